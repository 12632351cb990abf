/**
 * Logger port: the structural logging interface libraries accept. It is a subset of
 * pino's API so an app can pass a pino logger as is. Libraries default to
 * {@link noopLogger} and never write to stdout themselves.
 */

/** Log levels, lowest first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** One logging method: either `(message)` or `(fields, message?)`. */
export interface LogFn {
  (message: string): void;
  (fields: object, message?: string): void;
}

/** Structural logger interface (pino compatible). */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` to every line (component, session, tool, ...). */
  child(bindings: Record<string, unknown>): Logger;
}

const noop: LogFn = () => undefined;

/** A logger that discards everything; the default inside libraries. */
export const noopLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => noopLogger,
};
