import { z } from 'zod';
import { defineTool, jsonResult } from '../definitions.js';
import type { CommandRunner } from '../commands/command-runner.js';
import type { FileService } from '../files/file-service.js';

/** `execute_command`: runs an allow-listed program without a shell. Off unless configured. */
export function createExecuteCommandTool(commands: CommandRunner, files: FileService) {
  const allowed = commands.enabled
    ? `Allowed programs: ${commands.allowList.join(', ')}.`
    : 'Disabled on this server.';
  return defineTool({
    name: 'execute_command',
    title: 'Execute command',
    category: 'system',
    scope: 'mcp:commands:run',
    description:
      `Run one allow-listed program with arguments and return its exit code, stdout and stderr. ${allowed} ` +
      'No shell is involved: pass the program in "command" and each argument as an element of "args"; pipes, redirects and globs are not interpreted. ' +
      'The working directory must be inside the allowed roots. Runs are time-limited and output is capped.',
    inputSchema: z.object({
      command: z.string().min(1).max(4096).describe('Program name (or absolute path) from the allow list'),
      args: z.array(z.string().max(32_768)).max(256).default([]).describe('Arguments, one per element'),
      working_dir: z.string().min(1).default('.').describe('Working directory inside the allowed roots'),
      timeout: z
        .number()
        .positive()
        .max(600)
        .optional()
        .describe('Timeout in seconds (capped by the server)'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async handler({ command, args, working_dir, timeout }, ctx) {
      await commands.resolveProgram(command);
      const cwd = await files.resolveDirectory(working_dir, await ctx.clientRoots());
      const outcome = await commands.run(command, args, {
        cwd,
        ...(timeout === undefined ? {} : { timeoutMs: Math.round(timeout * 1000) }),
        signal: ctx.signal,
      });
      const result = jsonResult({ ...outcome });
      if (outcome.timedOut) {
        result.isError = true;
        result.content.unshift({
          type: 'text',
          text: `The command timed out after ${outcome.durationMs} ms and was stopped. Use a shorter task or a larger timeout (within the server's limit).`,
        });
      }
      return result;
    },
  });
}
