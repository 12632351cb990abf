import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool } from '../definitions.js';
import { WINDOW_CONDITION, answerAnalytics } from '../sql/analytics.js';
import { hoursArgument, limitArgument } from '../sql/arguments.js';

/** A session event that ends it (`closed`, `SessionClosed`, `closing`, ...). */
const CLOSING = "positionCaseInsensitive(event, 'clos') > 0";

const SESSIONS = `SELECT session_id,
       argMaxIf(client_name, timestamp, client_name != '') AS client_name,
       argMax(transport, timestamp) AS transport,
       if(countIf(${CLOSING}) > 0, 'closed', 'open') AS state,
       min(timestamp) AS opened_at,
       maxIfOrNull(timestamp, ${CLOSING}) AS closed_at,
       if(max(duration_ms) > 0, max(duration_ms),
          toUInt64(greatest(0, dateDiff('millisecond', min(timestamp), max(timestamp))))) AS duration_ms,
       max(tool_call_count) AS tool_calls,
       count() AS events,
       max(timestamp) AS last_event_at
  FROM session_analytics
 WHERE ${WINDOW_CONDITION}
 GROUP BY session_id
 ORDER BY opened_at DESC, session_id
 LIMIT {limit:UInt32}`;

/** `ch_session_analytics`: per-session summaries from session_analytics events. */
export function createChSessionAnalyticsTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'ch_session_analytics',
    title: 'Session analytics',
    category: 'analytics',
    scope: 'mcp:telemetry:read',
    description:
      "Summaries of this MCP server's sessions for your organization over the last hours, newest first, built from their " +
      'recorded events: client_name, transport, state (open or closed), opened_at, closed_at, duration_ms, tool_calls, ' +
      'events and last_event_at (UTC). opened_at is the first event inside the window.',
    inputSchema: z.object({
      hours: hoursArgument(168),
      limit: limitArgument(50),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ hours, limit }, ctx) {
      return answerAnalytics(clickhouse, { tool: 'ch_session_analytics', sql: SESSIONS, hours, limit }, ctx);
    },
  });
}
