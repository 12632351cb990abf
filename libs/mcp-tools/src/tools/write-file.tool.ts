import { z } from 'zod';
import { defineTool, textResult } from '../definitions.js';
import type { FileService } from '../files/file-service.js';

/** `write_file`: writes a file inside the allowed roots, atomically. */
export function createWriteFileTool(files: FileService) {
  return defineTool({
    name: 'write_file',
    title: 'Write file',
    category: 'file',
    scope: 'mcp:files:write',
    description:
      "Create or overwrite a file inside the server's allowed roots. The write is atomic: readers see the old or the new content, never a mix. " +
      'Set create_dirs to create missing parent directories. Refused when writing is disabled or the content is over the size limit.',
    inputSchema: z.object({
      path: z.string().min(1).describe('File path, relative to the first root or absolute inside a root'),
      content: z.string().describe('The full new content of the file'),
      encoding: z.enum(['utf-8', 'base64']).default('utf-8').describe('How `content` is encoded'),
      create_dirs: z.boolean().default(false).describe('Create missing parent directories'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async handler({ path, content, encoding, create_dirs }, ctx) {
      const data = encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
      const written = await files.write(path, data, {
        createDirs: create_dirs,
        clientRoots: await ctx.clientRoots(),
      });
      return textResult(
        `${written.created ? 'Created' : 'Overwrote'} ${written.path} (${written.bytes} bytes)`,
        {
          path: written.path,
          bytes: written.bytes,
          created: written.created,
        },
      );
    },
  });
}
