/**
 * The shared body of pg_query and ch_query.
 *
 * - `read_only: true` (the default): classifier, then the read-only datasource (run.ts).
 * - `read_only: false` without a write gate for the engine: refused, nothing reaches an engine.
 * - `read_only: false` with a gate: the statement goes to the gate unchanged; the classifier
 *   is skipped because it rejects every write by design, and the gate owns the write policy.
 *
 * ClickHouse values are normalised (run.ts: safe 64-bit integers as numbers, UTC times as
 * ISO-8601) so a server and embedded chdb answer alike.
 *
 * In every case `max_rows` travels as the `maxRows` option and the caller's signal as
 * `signal`, so the engine stops reading at the cap and a cancelled request stops the query.
 */
import type { QueryResult, SqlDatasource, SqlEngine } from '@tfo/domain';
import type { ToolCallContext, ToolResult } from '../definitions.js';
import { withSqlAdvice, writesDisabled } from './errors.js';
import { renderQueryResult, type RenderOptions } from './render.js';
import { clickHouseValues, readQuery } from './run.js';
import { gateFor, type SqlWriteGate } from './write-gate.js';

/** Settings of a query tool, fixed when the tool is created. */
export interface QueryToolSettings {
  /** The configured row cap: the largest `max_rows` accepted. */
  maxRowsCap: number;
  /** Present only when the operator enabled writes. */
  writeGate?: SqlWriteGate;
}

/** One call of a query tool. */
export interface QueryCall {
  tool: string;
  query: string;
  params?: unknown[];
  maxRows: number;
  readOnly: boolean;
}

function rowsOf(engine: SqlEngine, result: QueryResult): Pick<RenderOptions, 'mapRow'> {
  return engine === 'clickhouse' ? { mapRow: clickHouseValues(result.columns) } : {};
}

/** Runs one pg_query / ch_query call as described in the module header. */
export async function answerQuery(
  datasource: SqlDatasource,
  settings: QueryToolSettings,
  call: QueryCall,
  ctx: ToolCallContext,
): Promise<ToolResult> {
  const engine = datasource.engine;
  const params = call.params === undefined || call.params.length === 0 ? undefined : call.params;
  const render = { maxRows: { requested: call.maxRows, cap: settings.maxRowsCap } };
  if (call.readOnly) {
    const result = await readQuery(
      datasource,
      call.query,
      { ...(params === undefined ? {} : { params }), maxRows: call.maxRows },
      ctx,
    );
    return renderQueryResult(result, { ...render, ...rowsOf(engine, result), before: { read_only: true } });
  }
  const gate = gateFor(settings.writeGate, engine);
  if (gate === undefined) throw writesDisabled(call.tool, engine);
  ctx.logger.info({ tool: call.tool, engine }, 'running a statement through the SQL write gate');
  try {
    const result = await gate.execute(engine, call.query, {
      ...(params === undefined ? {} : { params }),
      maxRows: call.maxRows,
      signal: ctx.signal,
    });
    return renderQueryResult(result, { ...render, ...rowsOf(engine, result), before: { read_only: false } });
  } catch (error) {
    throw withSqlAdvice(error, engine);
  }
}
