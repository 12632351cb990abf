import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool } from '../definitions.js';
import { maxRowsArgument, readOnlyArgument, sqlArgument } from '../sql/arguments.js';
import { answerQuery, type QueryToolSettings } from '../sql/query.js';
import { queryWriteMode } from '../sql/write-gate.js';

/**
 * `ch_query`: one read-only ClickHouse statement. Read-only is enforced by the engine
 * (`readonly`, execution time and result caps) with the statement classifier in front.
 * Writes only through a configured write gate; the annotations say which the server offers.
 */
export function createChQueryTool(clickhouse: SqlDatasource, settings: QueryToolSettings) {
  const writeMode = queryWriteMode(settings.writeGate, 'clickhouse');
  return defineTool({
    name: 'ch_query',
    title: 'ClickHouse query',
    category: 'datasource',
    scope: 'mcp:sql:query',
    description:
      'Run one SQL statement on ClickHouse (telemetry: metrics, logs, traces and their rollups such as metrics_5m or logs_1h; ' +
      "the server's own analytics: tool_calls, api_usage, session_analytics, error_analytics) and return rows, row_count, " +
      'columns (name, type) and duration_ms. Allowed: SELECT, WITH ... SELECT, SHOW, EXPLAIN, DESCRIBE, EXISTS; one statement ' +
      'per call; SETTINGS, FORMAT and INTO OUTFILE clauses and table functions that reach files, URLs or other servers are refused. ' +
      'Filter on the time column and organization_id, and prefer rollup tables for long windows. Results over max_rows or the ' +
      'size cap are cut and the answer says how to narrow the query; a query over the time budget is stopped. ' +
      writeMode.sentence,
    inputSchema: z.object({
      query: sqlArgument('ClickHouse'),
      max_rows: maxRowsArgument(settings.maxRowsCap),
      read_only: readOnlyArgument,
    }),
    annotations: writeMode.annotations,
    async handler({ query, max_rows, read_only }, ctx) {
      return answerQuery(
        clickhouse,
        settings,
        { tool: 'ch_query', query, maxRows: max_rows, readOnly: read_only },
        ctx,
      );
    },
  });
}
