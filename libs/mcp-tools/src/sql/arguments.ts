/**
 * Argument schemas shared by the SQL tools, each with the bound and the message a model
 * sees when it breaks it. The MCP SDK validates arguments with these schemas before a
 * handler runs and answers a violation with an `isError` result carrying the message.
 *
 * Bounds: a time window of 1 to 8760 hours (one year), a row limit of 1 to 1000, and
 * `max_rows` of 1 to the server's configured cap.
 */
import { SESSION_STATES } from '@tfo/domain';
import { z } from 'zod';

/** Largest time window, in hours, an analytics tool accepts (one year). */
export const MAX_WINDOW_HOURS = 8_760;
/** Largest `limit` an analytics or listing tool accepts. */
export const MAX_LIMIT = 1_000;
/** Longest SQL text accepted, in characters. */
export const MAX_SQL_LENGTH = 100_000;
/** Default `max_rows` of pg_query and ch_query (lowered to the cap when the cap is smaller). */
export const DEFAULT_MAX_ROWS = 100;
/** Rows a query may return when the configuration names no cap. */
export const DEFAULT_ROW_CAP = 1_000;

function wholeNumber(name: string, min: number, max: number, meaning: string) {
  const message = `${name} must be a whole number from ${min} to ${max}${meaning}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

/** `hours`: the window ending now that an analytics tool reads. */
export function hoursArgument(defaultHours: number) {
  return wholeNumber('hours', 1, MAX_WINDOW_HOURS, ' (8760 hours is one year)')
    .default(defaultHours)
    .describe(`Time window in hours, ending now (1 to ${MAX_WINDOW_HOURS}; default ${defaultHours})`);
}

/** `limit`: most rows (groups, sessions) an analytics or listing tool returns. */
export function limitArgument(defaultLimit: number) {
  return wholeNumber('limit', 1, MAX_LIMIT, '')
    .default(defaultLimit)
    .describe(`Most rows returned (1 to ${MAX_LIMIT}; default ${defaultLimit})`);
}

/** `max_rows` of pg_query / ch_query, bounded by the configured cap. */
export function maxRowsArgument(cap: number) {
  const fallback = Math.min(DEFAULT_MAX_ROWS, cap);
  return wholeNumber('max_rows', 1, cap, " (the server's configured cap)")
    .default(fallback)
    .describe(
      `Most rows returned (1 to ${cap}; default ${fallback}). Extra rows are cut and the answer says so.`,
    );
}

/** `query`: one SQL statement. */
export function sqlArgument(dialect: string) {
  return z
    .string({ error: 'query must be a string holding one SQL statement' })
    .trim()
    .min(1, { error: 'query must not be empty: send one SQL statement' })
    .max(MAX_SQL_LENGTH, { error: `query must be at most ${MAX_SQL_LENGTH} characters` })
    .describe(`One ${dialect} statement (SELECT, WITH ... SELECT, SHOW, EXPLAIN, ...)`);
}

/** `read_only`: true keeps the query read-only (the only mode unless writes are configured). */
export const readOnlyArgument = z
  .boolean({ error: 'read_only must be true or false' })
  .default(true)
  .describe(
    "Keep true (default). false asks to run a write, which works only when the server's configuration allows writes.",
  );

/** A PostgreSQL identifier (schema or table name), unquoted, as stored in the catalog. */
export function identifierArgument(name: string) {
  return z
    .string({ error: `${name} must be a string` })
    .min(1, { error: `${name} must not be empty` })
    .max(63, { error: `${name} must be at most 63 characters (PostgreSQL's identifier length)` });
}

/** A text filter of an analytics tool (compared for equality, always bound). */
export function filterArgument(name: string, description: string) {
  return z
    .string({ error: `${name} must be a string` })
    .min(1, { error: `${name} must not be empty; omit it to include all` })
    .max(256, { error: `${name} must be at most 256 characters` })
    .optional()
    .describe(description);
}

/** `state` of pg_sessions: one of the session lifecycle states. */
export const sessionStateArgument = z
  .enum(SESSION_STATES, { error: `state must be one of: ${SESSION_STATES.join(', ')}` })
  .optional()
  .describe(`Only sessions in this state (${SESSION_STATES.join(', ')})`);

/** Positional parameter values of pg_query ($1, $2, ...). */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** `params` of pg_query. */
export const pgParamsArgument = z
  .array(z.union([scalar, z.array(scalar), z.record(z.string(), z.unknown())]), {
    error: 'params must be an array of values for $1, $2, ...',
  })
  .max(1_000, { error: 'params may hold at most 1000 values' })
  .default([])
  .describe(
    'Values for $1, $2, ... in order, always sent as bound parameters (strings, numbers, booleans, null; arrays for = ANY($n); objects for json)',
  );
