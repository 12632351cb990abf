/**
 * The one path every SQL tool takes to a datasource: the statement classifier first (the
 * second layer of the SQL safety stack; the engine's own read-only enforcement behind the
 * datasource is the first), then the datasource with bound parameters, the caller's
 * AbortSignal and the row cap as an option (never as SQL text). Datasource errors are given
 * a next step (errors.ts) and rethrown for the error boundary.
 *
 * Also holds the conversion of ClickHouse values the analytics tools apply, so that the
 * same answer comes back from a server (64-bit integers as JSON strings) and from embedded
 * chdb (as numbers).
 */
// The classifier alone: the drivers behind the package root are not loaded for it.
import { classifyStatement } from '@tfo/datasources/safety';
import type { QueryResult, ResultColumn, SqlDatasource } from '@tfo/domain';
import type { ToolCallContext } from '../definitions.js';
import { withSqlAdvice } from './errors.js';

/** What a read needs besides the SQL text. */
export interface ReadOptions {
  /** `$n` values (PostgreSQL) or `{name:Type}` values (ClickHouse). Always bound. */
  params?: Record<string, unknown> | unknown[];
  /** Most rows returned; the datasource's configured cap applies when omitted. */
  maxRows?: number;
}

/**
 * Classifies `sql` for the datasource's dialect and runs the single read statement it holds.
 * Throws the classifier's PermissionDeniedError / ValidationError before anything reaches the
 * engine, and the datasource's errors (with advice) after.
 */
export async function readQuery(
  datasource: SqlDatasource,
  sql: string,
  options: ReadOptions,
  ctx: ToolCallContext,
): Promise<QueryResult> {
  const { statement } = classifyStatement(sql, datasource.engine);
  try {
    return await datasource.query(statement, {
      ...(options.params === undefined ? {} : { params: options.params }),
      ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
      signal: ctx.signal,
    });
  } catch (error) {
    throw withSqlAdvice(error, datasource.engine);
  }
}

const INTEGER_TYPE = /^(?:Nullable\()?(?:LowCardinality\()?U?Int(?:8|16|32|64|128|256)\)*$/;
const UTC_DATETIME_TYPE = /^(?:Nullable\()?DateTime(?:64)?\(.*'UTC'\)\)?$/;
const INTEGER_TEXT = /^-?\d+$/;
const CLICKHOUSE_DATETIME_TEXT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;

/**
 * A row mapper for ClickHouse results: integer columns become JSON numbers when the value is
 * a safe integer (a larger one stays a decimal string), and UTC DateTime columns become
 * ISO-8601 strings (`2026-01-02T03:04:05.678Z`).
 */
export function clickHouseValues(
  columns: readonly ResultColumn[],
): (row: Record<string, unknown>) => Record<string, unknown> {
  const integers = new Set(columns.filter((c) => INTEGER_TYPE.test(c.type)).map((c) => c.name));
  const times = new Set(columns.filter((c) => UTC_DATETIME_TYPE.test(c.type)).map((c) => c.name));
  return (row) => {
    const out: Record<string, unknown> = { ...row };
    for (const name of integers) {
      const value = out[name];
      if (typeof value === 'string' && INTEGER_TEXT.test(value) && Number.isSafeInteger(Number(value))) {
        out[name] = Number(value);
      }
    }
    for (const name of times) {
      const value = out[name];
      const match = typeof value === 'string' ? CLICKHOUSE_DATETIME_TEXT.exec(value) : null;
      if (match !== null) out[name] = `${match[1]}T${match[2]}Z`;
    }
    return out;
  };
}
