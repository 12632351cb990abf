import { z } from 'zod';
import { defineTool, jsonResult } from '../definitions.js';
import type { FileService } from '../files/file-service.js';

/** `list_directory`: lists a directory inside the allowed roots. */
export function createListDirectoryTool(files: FileService) {
  return defineTool({
    name: 'list_directory',
    title: 'List directory',
    category: 'file',
    scope: 'mcp:files:read',
    description:
      "List the entries of a directory inside the server's allowed roots (name, type, size, modification time). " +
      'With recursive, walks subdirectories (symlinked directories are listed, not followed). Large listings are cut at a limit and say so.',
    inputSchema: z.object({
      path: z
        .string()
        .min(1)
        .default('.')
        .describe('Directory path, relative to the first root or absolute inside a root'),
      recursive: z.boolean().default(false).describe('Include subdirectories'),
      include_hidden: z.boolean().default(false).describe('Include entries whose name starts with a dot'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ path, recursive, include_hidden }, ctx) {
      const list = await files.list(path, {
        recursive,
        includeHidden: include_hidden,
        clientRoots: await ctx.clientRoots(),
      });
      return jsonResult({
        directory: list.root,
        count: list.entries.length,
        entries: list.entries,
        ...(list.truncated
          ? {
              truncated: {
                limit: list.limit,
                hint: 'List a subdirectory or turn off recursive to see the rest.',
              },
            }
          : {}),
      });
    },
  });
}
