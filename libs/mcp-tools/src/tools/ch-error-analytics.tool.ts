import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool } from '../definitions.js';
import { WINDOW_CONDITION, answerAnalytics } from '../sql/analytics.js';
import { hoursArgument, limitArgument } from '../sql/arguments.js';

const ERRORS = `SELECT error_code,
       source,
       count() AS count,
       argMax(message, timestamp) AS sample_message,
       argMax(error_class, timestamp) AS error_class,
       groupUniqArrayIf(10)(tool_name, tool_name != '') AS tools,
       uniqIf(session_id, session_id != '') AS sessions,
       min(timestamp) AS first_seen,
       max(timestamp) AS last_seen
  FROM error_analytics
 WHERE ${WINDOW_CONDITION}
 GROUP BY error_code, source
 ORDER BY count DESC, last_seen DESC, error_code
 LIMIT {limit:UInt32}`;

/** `ch_error_analytics`: errors grouped by code and source from error_analytics. */
export function createChErrorAnalyticsTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'ch_error_analytics',
    title: 'Error analytics',
    category: 'analytics',
    scope: 'mcp:telemetry:read',
    description:
      'The errors this MCP server recorded for your organization over the last hours, grouped by error_code and source, most ' +
      'frequent first: count, sample_message (the latest), error_class, tools involved (up to 10), sessions affected, ' +
      'first_seen and last_seen (UTC).',
    inputSchema: z.object({
      hours: hoursArgument(72),
      limit: limitArgument(50),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ hours, limit }, ctx) {
      return answerAnalytics(clickhouse, { tool: 'ch_error_analytics', sql: ERRORS, hours, limit }, ctx);
    },
  });
}
