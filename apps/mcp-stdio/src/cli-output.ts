/**
 * The CLI's non-serving commands (`--version`, `--help`, `info`, `validate`,
 * `init-config`) answer on stdout, as command-line tools do. While serving, stdout
 * carries only JSON-RPC and nothing here is called. This module is the single place
 * the app writes to file descriptor 1 outside the transport.
 */
import { writeSync } from 'node:fs';
import type { CliOutput } from '@tfo/app-shell';

/** Writes a line of CLI output to stdout. */
export function printLine(text: string): void {
  writeSync(1, text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a line to stderr (errors of the CLI itself, before a logger exists). */
export function printError(text: string): void {
  writeSync(2, text.endsWith('\n') ? text : `${text}\n`);
}

/** The command line's output: answers on stdout, its own errors on stderr. */
export const cliOutput: CliOutput = { line: printLine, error: printError };
