/**
 * The shared body of the ClickHouse analytics tools (ch_tool_analytics, ch_session_analytics,
 * ch_error_analytics, ch_api_usage): the server's own analytics tables, one organization at a
 * time, over a window ending now.
 *
 * Invariants:
 * - The SQL text of an analytics tool is a constant chosen by the tool; arguments travel only
 *   as `{name:Type}` parameters. An optional filter adds a constant condition, never a value.
 * - Every query filters `organization_id = {organization_id:String}` with the caller's
 *   organization; without one the tool refuses before reaching the engine.
 * - The window is `timestamp >= now64(3) - toIntervalHour({hours:UInt32})`.
 */
import type { SqlDatasource } from '@tfo/domain';
import type { ToolCallContext, ToolResult } from '../definitions.js';
import { requireOrganization } from './errors.js';
import { renderQueryResult } from './render.js';
import { clickHouseValues, readQuery } from './run.js';

/** The window condition every analytics query uses (bound `hours`). */
export const WINDOW_CONDITION =
  'organization_id = {organization_id:String} AND timestamp >= now64(3) - toIntervalHour({hours:UInt32})';

/** One analytics call. */
export interface AnalyticsCall {
  tool: string;
  /** Constant SQL using {organization_id:String}, {hours:UInt32}, {limit:UInt32} and the filters' names. */
  sql: string;
  hours: number;
  limit: number;
  /** Optional equality filters, present only when given (bound by name). */
  filters?: Record<string, string | undefined>;
}

/** Runs an analytics call for the caller's organization and renders the answer. */
export async function answerAnalytics(
  clickhouse: SqlDatasource,
  call: AnalyticsCall,
  ctx: ToolCallContext,
): Promise<ToolResult> {
  const organizationId = requireOrganization(ctx, call.tool);
  const filters = Object.fromEntries(
    Object.entries(call.filters ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const result = await readQuery(
    clickhouse,
    call.sql,
    {
      params: { ...filters, organization_id: organizationId, hours: call.hours, limit: call.limit },
      maxRows: call.limit,
    },
    ctx,
  );
  return renderQueryResult(result, {
    before: { organization_id: organizationId, window_hours: call.hours, ...filters, limit: call.limit },
    mapRow: clickHouseValues(result.columns),
  });
}
