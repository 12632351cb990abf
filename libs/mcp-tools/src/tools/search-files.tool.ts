import { z } from 'zod';
import { defineTool, jsonResult } from '../definitions.js';
import type { FileService } from '../files/file-service.js';

/** `search_files`: finds files by glob under a directory inside the allowed roots. */
export function createSearchFilesTool(files: FileService) {
  return defineTool({
    name: 'search_files',
    title: 'Search files',
    category: 'file',
    scope: 'mcp:files:read',
    description:
      'Find files and directories under a directory whose name matches a glob ("*.log", "config.{yaml,yml}"); a pattern containing "/" ' +
      'matches the relative path instead ("**/src/*.ts"). Skips .git and node_modules. Results are capped and say when they were cut.',
    inputSchema: z.object({
      path: z.string().min(1).default('.').describe('Directory to search under'),
      pattern: z.string().min(1).max(500).describe('Glob: * ? ** and {a,b}'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ path, pattern }, ctx) {
      const found = await files.search(path, pattern, await ctx.clientRoots());
      return jsonResult({
        directory: found.root,
        pattern,
        count: found.entries.length,
        matches: found.entries,
        ...(found.truncated
          ? {
              truncated: {
                limit: found.limit,
                hint: 'Use a more specific pattern or search a subdirectory.',
              },
            }
          : {}),
      });
    },
  });
}
