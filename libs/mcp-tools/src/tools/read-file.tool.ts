import { z } from 'zod';
import { ValidationError } from '@tfo/domain';
import { defineTool, type ToolResult } from '../definitions.js';
import type { FileService } from '../files/file-service.js';

/** `read_file`: reads a text or binary file inside the allowed roots. */
export function createReadFileTool(files: FileService) {
  return defineTool({
    name: 'read_file',
    title: 'Read file',
    category: 'file',
    scope: 'mcp:files:read',
    description:
      "Read a file inside the server's allowed roots. Relative paths are resolved against the first root. " +
      'Use encoding "base64" for binary files. Files over the size limit are refused; the error says the limit.',
    inputSchema: z.object({
      path: z.string().min(1).describe('File path, relative to the first root or absolute inside a root'),
      encoding: z.enum(['utf-8', 'base64']).default('utf-8').describe('How to return the content'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ path, encoding }, ctx): Promise<ToolResult> {
      const file = await files.read(path, await ctx.clientRoots());
      if (encoding === 'utf-8' && file.data.subarray(0, 8192).includes(0)) {
        throw new ValidationError(
          `"${path}" looks binary (it contains NUL bytes); read it again with encoding "base64"`,
        );
      }
      const text = encoding === 'base64' ? file.data.toString('base64') : file.data.toString('utf8');
      return {
        content: [{ type: 'text', text }],
        structuredContent: { path: file.path, size: file.size, encoding },
      };
    },
  });
}
