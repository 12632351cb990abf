/**
 * The apps' logger: pino on stderr (file descriptor 2), never stdout, which belongs to
 * the stdio transport. Libraries do not import this; they accept anything shaped like
 * {@link Logger} (pino is) and default to {@link noopLogger}.
 *
 * Secrets are kept out of log lines in two ways:
 * - by key: pino `redact` paths for api keys, passwords, tokens, secrets, authorization
 *   headers, cookies and connection strings, at the top level and two levels down;
 * - by value: credentials inside URLs (`postgres://app:pw@db`) are stripped from every
 *   string in the logged object, from fields named like `url`/`dsn`/`uri` (including
 *   child bindings), from error messages and stacks, and from the message itself.
 */
import { ValidationError } from '@tfo/domain';
import { build as buildPretty } from 'pino-pretty';
import {
  pino,
  type DestinationStream,
  type LogFn as PinoLogFn,
  type Logger as PinoLogger,
  type SerializedError,
} from 'pino';
import { redactUrlCredentials } from '../config/redact.js';
import { LOG_LEVELS, type LogFormat, type LogLevel } from '../config/schema.js';

/** One logging method, pino-compatible: `(obj, msg?)` or `(msg)`. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/**
 * The structural logger every library accepts. pino's logger satisfies it, as does
 * {@link noopLogger}; it is assignable to the domain's `Logger` port (same methods,
 * plus `level` so `logging/setLevel` can change it).
 */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` (e.g. `{ component }`, `{ sessionId, tool }`) to every line. */
  child(bindings: Record<string, unknown>): Logger;
  /** The current level name. */
  level: string;
}

/** The logger {@link createLogger} returns: a pino logger (so it also has `fatal`, `flush`, …). */
export type AppLogger = PinoLogger;

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Lowest level written. */
  level: LogLevel;
  /** `json`: one object per line; `pretty`: human-readable lines. */
  format: LogFormat;
  /** Logger name, added to every line as `name`. */
  name: string;
  /** Where lines go; stderr (fd 2) when omitted. Tests pass an in-memory stream. */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Colour the pretty format (ignored for json). Default false: stderr is often a file. */
  colorize?: boolean;
}

const SECRET_FIELDS = [
  'apiKey',
  'api_key',
  'apikey',
  'password',
  'passwd',
  'pass',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'secret',
  'clientSecret',
  'client_secret',
  'privateKey',
  'private_key',
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'connectionString',
  'connection_string',
];

function fieldPath(prefix: string, field: string): string {
  const access = /^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `["${field}"]`;
  return prefix ? `${prefix}${access}` : access.startsWith('.') ? field : access;
}

/** pino redact paths: each secret field at the top level, one level and two levels down. */
export const LOG_REDACT_PATHS: readonly string[] = SECRET_FIELDS.flatMap((field) => [
  fieldPath('', field),
  fieldPath('*', field),
  fieldPath('*.*', field),
]);

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let changed = false;
    const copy = value.map((item) => {
      const next = scrub(item, depth - 1);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? copy : value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = scrub(item, depth - 1);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

/** A serialized error as a plain object with credentials stripped from its strings (cause included). */
function plainScrubbed(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => plainScrubbed(item, depth - 1));
  // pino's serialized errors inherit from a prototype of their own, so copy own fields.
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = plainScrubbed(item, depth - 1);
  return copy;
}

function scrubError(error: unknown): SerializedError | unknown {
  return plainScrubbed(pino.stdSerializers.err(error as Error), 4);
}

// Serializers also apply to child bindings, which the `log` formatter does not see.
const URL_SERIALIZERS: Record<string, (value: unknown) => unknown> = Object.fromEntries(
  ['url', 'uri', 'dsn', 'databaseUrl', 'connectionUrl', 'endpoint'].map((field) => [
    field,
    (value: unknown) => scrub(value, 2),
  ]),
);

function buildDestination(options: CreateLoggerOptions): DestinationStream | NodeJS.WritableStream {
  if (options.format === 'pretty') {
    return buildPretty({
      destination: options.destination ?? 2,
      colorize: options.colorize ?? false,
      sync: options.destination !== undefined,
      translateTime: 'SYS:standard',
      ignore: 'pid,hostname',
    });
  }
  return options.destination ?? pino.destination({ fd: 2, sync: false });
}

/**
 * A pino logger on stderr (or `destination`), with secret redaction and ISO
 * timestamps; levels are written as names (`"level":"info"`).
 */
export function createLogger(options: CreateLoggerOptions): AppLogger {
  assertLogLevel(options.level);
  return pino(
    {
      name: options.name,
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...LOG_REDACT_PATHS], censor: '[REDACTED]' },
      serializers: { err: scrubError, error: scrubError, ...URL_SERIALIZERS },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrub(object, 6) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const [first, second] = args as unknown[];
          // `log.error(err)` uses err.message as the message: scrub it too.
          if (first instanceof Error && typeof second !== 'string') {
            const rest = args.slice(2) as unknown[];
            return method.apply(this, [
              first,
              redactUrlCredentials(first.message),
              ...rest,
            ] as unknown as Parameters<PinoLogFn>);
          }
          const safe = (args as unknown[]).map((arg) =>
            typeof arg === 'string' ? redactUrlCredentials(arg) : arg,
          );
          return method.apply(this, safe as Parameters<PinoLogFn>);
        },
      },
    },
    buildDestination(options) as DestinationStream,
  );
}

function assertLogLevel(level: string): asserts level is LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ValidationError(`Unknown log level "${level}": expected one of ${LOG_LEVELS.join(', ')}`, {
      details: { level, allowed: [...LOG_LEVELS] },
    });
  }
}

/**
 * Changes `logger`'s level now. Children created from it without a level of their own
 * follow the change (pino children inherit from their parent), so the root logger is
 * the one to change for MCP `logging/setLevel`.
 *
 * @throws ValidationError for a name that is not a log level.
 */
export function setLogLevel(logger: Pick<Logger, 'level'>, level: LogLevel): void {
  assertLogLevel(level);
  logger.level = level;
}

/** MCP's log levels (RFC 5424 severities), least severe first. */
export const MCP_LOG_LEVELS = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const;

/** A level an MCP client may send in `logging/setLevel`. */
export type McpLogLevel = (typeof MCP_LOG_LEVELS)[number];

const MCP_TO_PINO: Readonly<Record<McpLogLevel, LogLevel>> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
  alert: 'fatal',
  emergency: 'fatal',
};

/**
 * The pino level for an MCP level: `notice` → info, `warning` → warn, and the three
 * most severe (`critical`, `alert`, `emergency`) → fatal.
 *
 * @throws ValidationError for a name that is not an MCP level.
 */
export function mcpLevelToPino(level: McpLogLevel): LogLevel {
  const mapped = (MCP_TO_PINO as Record<string, LogLevel | undefined>)[level];
  if (mapped === undefined) {
    throw new ValidationError(
      `Unknown MCP log level "${String(level)}": expected one of ${MCP_LOG_LEVELS.join(', ')}`,
      {
        details: { level, allowed: [...MCP_LOG_LEVELS] },
      },
    );
  }
  return mapped;
}

const noop = (): void => undefined;

/** A logger that drops everything: the default for libraries given no logger. */
export const noopLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => noopLogger,
  // Shared by every library, so its level cannot be changed.
  get level(): string {
    return 'silent';
  },
  set level(_ignored: string) {
    // deliberately ignored
  },
};
