import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool } from '../definitions.js';
import { WINDOW_CONDITION, answerAnalytics } from '../sql/analytics.js';
import { filterArgument, hoursArgument, limitArgument } from '../sql/arguments.js';

function toolCallsSql(byTool: boolean): string {
  return `SELECT tool_name,
       count() AS total_calls,
       countIf(outcome = 'success') AS successes,
       countIf(outcome != 'success') AS failures,
       round(countIf(outcome = 'success') / count(), 4) AS success_rate,
       round(avg(duration_ms), 2) AS avg_duration_ms,
       max(duration_ms) AS max_duration_ms,
       min(timestamp) AS first_call,
       max(timestamp) AS last_call
  FROM tool_calls
 WHERE ${WINDOW_CONDITION}${byTool ? '\n   AND tool_name = {tool_name:String}' : ''}
 GROUP BY tool_name
 ORDER BY total_calls DESC, tool_name
 LIMIT {limit:UInt32}`;
}

const ALL_TOOLS = toolCallsSql(false);
const ONE_TOOL = toolCallsSql(true);

/** `ch_tool_analytics`: per-tool call counts, outcomes and durations from tool_calls. */
export function createChToolAnalyticsTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'ch_tool_analytics',
    title: 'Tool call analytics',
    category: 'analytics',
    scope: 'mcp:telemetry:read',
    description:
      "How this MCP server's tools were used by your organization over the last hours: per tool, total_calls, successes, " +
      'failures, success_rate, avg_duration_ms, max_duration_ms, first_call and last_call (UTC), busiest first. ' +
      'Give tool_name to see one tool only.',
    inputSchema: z.object({
      tool_name: filterArgument('tool_name', 'Only this tool (exact name, e.g. "pg_query")'),
      hours: hoursArgument(24),
      limit: limitArgument(50),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ tool_name, hours, limit }, ctx) {
      return answerAnalytics(
        clickhouse,
        {
          tool: 'ch_tool_analytics',
          sql: tool_name === undefined ? ALL_TOOLS : ONE_TOOL,
          hours,
          limit,
          filters: { tool_name },
        },
        ctx,
      );
    },
  });
}
