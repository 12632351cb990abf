/**
 * The single place the HTTP app writes to its standard streams outside the logger: the CLI's
 * answers (`--version`, `--help`, `info`, `validate`, `init-config`) and the start-up banner on
 * stdout, and the CLI's own errors on stderr before a logger exists. Logs go to stderr through
 * the logger; stdout carries nothing else, so the banner can be read by scripts.
 */
import { writeSync } from 'node:fs';
import type { CliOutput } from '@tfo/app-shell';

/** Writes a line (or block) of CLI output to stdout. */
export function printLine(text: string): void {
  writeSync(1, text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a line to stderr (errors of the CLI itself, before a logger exists). */
export function printError(text: string): void {
  writeSync(2, text.endsWith('\n') ? text : `${text}\n`);
}

/** The command line's output: answers on stdout, its own errors on stderr. */
export const cliOutput: CliOutput = { line: printLine, error: printError };
