import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool } from '../definitions.js';
import { maxRowsArgument, pgParamsArgument, readOnlyArgument, sqlArgument } from '../sql/arguments.js';
import { answerQuery, type QueryToolSettings } from '../sql/query.js';
import { queryWriteMode } from '../sql/write-gate.js';

/**
 * `pg_query`: one read-only PostgreSQL statement with bound `$n` parameters. Read-only is
 * enforced by the engine (READ ONLY transaction, read-only login) with the statement
 * classifier in front. Writes only through a configured write gate; the annotations say
 * which of the two the server offers.
 */
export function createPgQueryTool(postgres: SqlDatasource, settings: QueryToolSettings) {
  const writeMode = queryWriteMode(settings.writeGate, 'postgresql');
  return defineTool({
    name: 'pg_query',
    title: 'PostgreSQL query',
    category: 'datasource',
    scope: 'mcp:sql:query',
    description:
      'Run one SQL statement on the PostgreSQL database (organizations, users, alert rules, Kubernetes and service inventory, ' +
      "the server's own sessions) and return rows, row_count, columns (name, type) and duration_ms. Pass values as params " +
      '($1, $2, ...), never inside the SQL text. Allowed: SELECT, WITH ... SELECT, SHOW, EXPLAIN (without ANALYZE), VALUES, TABLE; ' +
      'one statement per call; server file, network and administrative functions are refused. Results over max_rows or the ' +
      'size cap are cut and the answer says how to narrow the query; a query over the time budget is stopped. ' +
      writeMode.sentence +
      ' Use pg_list_tables and pg_describe_table to find tables and columns.',
    inputSchema: z.object({
      query: sqlArgument('PostgreSQL'),
      params: pgParamsArgument,
      max_rows: maxRowsArgument(settings.maxRowsCap),
      read_only: readOnlyArgument,
    }),
    annotations: writeMode.annotations,
    async handler({ query, params, max_rows, read_only }, ctx) {
      return answerQuery(
        postgres,
        settings,
        { tool: 'pg_query', query, params, maxRows: max_rows, readOnly: read_only },
        ctx,
      );
    },
  });
}
