/**
 * The one place where failures become answers. Tool handlers throw typed errors; this
 * turns them into `isError` results whose text tells the model what went wrong and
 * what to do next. Unexpected errors are logged in full and answered with a reference
 * id, so internals never reach the model.
 */
import { isTfoError, type Logger } from '@tfo/domain';
import type { ToolResult } from '../definitions.js';

const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'The server process has no permission for this path.',
  EPERM: 'The operating system refused the operation.',
  ENOSPC: 'The disk is full.',
  EISDIR: 'The path is a directory.',
  ENOTDIR: 'A part of the path is not a directory.',
  EMFILE: 'The server has too many open files; retry shortly.',
  EBUSY: 'The resource is busy; retry shortly.',
  ENOENT:
    'The file or directory no longer exists (it changed while the tool ran); list the directory and retry.',
};

/** A stable code and a message safe to show a model. */
export function describeError(
  error: unknown,
  reference: string,
): { code: string; message: string; expected: boolean } {
  if (isTfoError(error)) return { code: error.code, message: error.message, expected: error.expected };
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === 'string' && Object.hasOwn(SYSTEM_ERRORS, errno)) {
    return { code: `SYSTEM.${errno}`, message: `${SYSTEM_ERRORS[errno]} (${errno})`, expected: true };
  }
  return {
    code: 'INTERNAL',
    message: `The tool failed unexpectedly (reference ${reference}). The server log has the details; retry or take another approach.`,
    expected: false,
  };
}

/** Converts a thrown error into an `isError` tool result, logging it appropriately. */
export function toolErrorResult(error: unknown, tool: string, reference: string, logger: Logger): ToolResult {
  const { code, message, expected } = describeError(error, reference);
  if (expected) logger.info({ tool, code, reference }, `tool refused: ${message}`);
  else logger.error({ tool, code, reference, err: error }, 'tool failed');
  return {
    content: [{ type: 'text', text: `Error [${code}]: ${message}` }],
    structuredContent: { error: { code, message, reference } },
    isError: true,
  };
}
