import { z } from 'zod';
import { NotFoundError, nearMatches, type SqlDatasource } from '@tfo/domain';
import { defineTool } from '../definitions.js';
import { identifierArgument } from '../sql/arguments.js';
import { renderQueryResult } from '../sql/render.js';
import { readQuery } from '../sql/run.js';

/** Tables, views and their cheap facts from the catalog (no table is scanned). */
const LIST_TABLES = `SELECT c.relname AS name,
       CASE c.relkind
         WHEN 'r' THEN 'table'
         WHEN 'p' THEN 'partitioned table'
         WHEN 'v' THEN 'view'
         WHEN 'm' THEN 'materialized view'
         WHEN 'f' THEN 'foreign table'
       END AS type,
       CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS row_estimate,
       has_any_column_privilege(c.oid, 'SELECT') AS readable,
       obj_description(c.oid, 'pg_class') AS comment
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1
   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
 ORDER BY c.relname`;

const LIST_SCHEMAS = `SELECT nspname AS name
  FROM pg_catalog.pg_namespace
 WHERE left(nspname, 3) <> 'pg_' AND nspname <> 'information_schema'
 ORDER BY nspname`;

/** `pg_list_tables`: the tables and views of one PostgreSQL schema. */
export function createPgListTablesTool(postgres: SqlDatasource) {
  return defineTool({
    name: 'pg_list_tables',
    title: 'List PostgreSQL tables',
    category: 'datasource',
    scope: 'mcp:sql:query',
    description:
      'List the tables and views of a PostgreSQL schema (default "public") with their type (table, view, materialized view, ...), ' +
      "the planner's row estimate (null when never analyzed), whether the server's read-only login may read them, and the table comment. " +
      'Read from the catalog; no table is scanned. Use pg_describe_table for columns, indexes and constraints.',
    inputSchema: z.object({
      schema: identifierArgument('schema').default('public').describe('Schema name (default "public")'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ schema }, ctx) {
      const result = await readQuery(postgres, LIST_TABLES, { params: [schema] }, ctx);
      if (result.rowCount === 0) {
        const schemas = (await readQuery(postgres, LIST_SCHEMAS, {}, ctx)).rows.map((r) => String(r['name']));
        if (!schemas.includes(schema)) {
          const near = nearMatches(schema, schemas, 3);
          throw new NotFoundError(
            `Unknown schema "${schema}"` +
              (near.length > 0
                ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?`
                : `; schemas: ${schemas.join(', ') || '(none visible)'}`),
            { code: 'DATASOURCE.UNKNOWN_SCHEMA', details: { schema, nearMatches: near } },
          );
        }
      }
      return renderQueryResult(result, { before: { schema } });
    },
  });
}
