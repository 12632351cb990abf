import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool, jsonResult } from '../definitions.js';
import { limitArgument, sessionStateArgument } from '../sql/arguments.js';
import { requireOrganization } from '../sql/errors.js';
import { renderQueryResult } from '../sql/render.js';
import { readQuery } from '../sql/run.js';

/** The caller's sessions, newest first; every value is bound ($1 organization, $2 state or null, $3 limit). */
const SESSIONS = `SELECT id, state, transport, client_name, client_version, protocol_version,
       tool_calls, tool_errors, created_at, updated_at, closed_at,
       round(extract(epoch FROM (coalesce(closed_at, now()) - created_at)) * 1000)::float8 AS duration_ms
  FROM mcp_sessions
 WHERE organization_id = $1::uuid
   AND ($2::text IS NULL OR state = $2::text)
 ORDER BY created_at DESC, id
 LIMIT $3`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `pg_sessions`: the MCP server's own sessions of the caller's organization, from mcp_sessions. */
export function createPgSessionsTool(postgres: SqlDatasource) {
  return defineTool({
    name: 'pg_sessions',
    title: 'MCP sessions',
    category: 'datasource',
    scope: 'mcp:sql:query',
    description:
      "List this MCP server's sessions for your organization, newest first: id, state, transport, client name and version, " +
      'protocol version, tool calls and errors, created / updated / closed times and duration_ms (up to now for open sessions). ' +
      'Filter by state to see, for example, only sessions that are ready or closed.',
    inputSchema: z.object({
      limit: limitArgument(20),
      state: sessionStateArgument,
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ limit, state }, ctx) {
      const organizationId = requireOrganization(ctx, 'pg_sessions');
      const before = { organization_id: organizationId, state: state ?? null, limit };
      if (!UUID.test(organizationId)) {
        // mcp_sessions keys organizations by UUID: no session can belong to another kind of id.
        return jsonResult({
          ...before,
          row_count: 0,
          columns: [],
          duration_ms: 0,
          notice: `Sessions are recorded for UUID organization ids only; "${organizationId}" is not one, so it has none.`,
          rows: [],
        });
      }
      const result = await readQuery(
        postgres,
        SESSIONS,
        { params: [organizationId, state ?? null, limit], maxRows: limit },
        ctx,
      );
      return renderQueryResult(result, { before });
    },
  });
}
