import { z } from 'zod';
import { NotFoundError, nearMatches, type SqlDatasource } from '@tfo/domain';
import { defineTool, jsonResult, type ToolCallContext } from '../definitions.js';
import { identifierArgument } from '../sql/arguments.js';
import { toJsonSafe } from '../sql/json-safe.js';
import { readQuery } from '../sql/run.js';

const RELKIND = `CASE c.relkind
         WHEN 'r' THEN 'table'
         WHEN 'p' THEN 'partitioned table'
         WHEN 'v' THEN 'view'
         WHEN 'm' THEN 'materialized view'
         WHEN 'f' THEN 'foreign table'
       END`;

const RELATION = `SELECT ${RELKIND} AS type,
       CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS row_estimate,
       obj_description(c.oid, 'pg_class') AS comment
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`;

const COLUMNS = `SELECT a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS "default",
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated,
       CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity,
       col_description(c.oid, a.attnum) AS comment
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum`;

const INDEXES = `SELECT i.relname AS name,
       pg_get_indexdef(x.indexrelid) AS definition,
       x.indisunique AS "unique",
       x.indisprimary AS "primary"
  FROM pg_catalog.pg_index x
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relname = $2
 ORDER BY x.indisprimary DESC, i.relname`;

const KEY_COLUMNS = (keys: string, relation: string) =>
  `ARRAY(SELECT a.attname::text
                FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_catalog.pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum
               ORDER BY k.ord)`;

const FK_ACTION = (column: string) =>
  `CASE ${column} WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade'
                  WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END`;

const CONSTRAINTS = `SELECT con.conname AS name,
       CASE con.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key'
                        WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion' END AS type,
       ${KEY_COLUMNS('con.conkey', 'con.conrelid')} AS columns,
       fn.nspname AS referenced_schema,
       fc.relname AS referenced_table,
       CASE WHEN con.contype = 'f' THEN ${KEY_COLUMNS('con.confkey', 'con.confrelid')} END AS referenced_columns,
       CASE WHEN con.contype = 'f' THEN ${FK_ACTION('con.confupdtype')} END AS on_update,
       CASE WHEN con.contype = 'f' THEN ${FK_ACTION('con.confdeltype')} END AS on_delete,
       pg_get_constraintdef(con.oid) AS definition
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
 WHERE n.nspname = $1 AND c.relname = $2 AND con.contype IN ('p', 'u', 'f', 'c', 'x')
 ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'f' THEN 2 ELSE 3 END, con.conname`;

const VISIBLE_RELATIONS = `SELECT n.nspname AS schema_name, c.relname AS name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'`;

/** Names close to `table`: same-named relations in other schemas first, then near spellings. */
async function suggestions(
  postgres: SqlDatasource,
  schema: string,
  table: string,
  ctx: ToolCallContext,
): Promise<string[]> {
  const rows = (await readQuery(postgres, VISIBLE_RELATIONS, {}, ctx)).rows.map((r) => ({
    schema: String(r['schema_name']),
    name: String(r['name']),
  }));
  const display = (r: { schema: string; name: string }) =>
    r.schema === schema ? r.name : `${r.schema}.${r.name}`;
  const elsewhere = rows.filter((r) => r.name === table && r.schema !== schema).map(display);
  const near = nearMatches(
    table,
    rows.map((r) => r.name),
    10,
  );
  const spelled = rows
    .filter((r) => near.includes(r.name) && r.name !== table)
    .sort((x, y) => near.indexOf(x.name) - near.indexOf(y.name) || (x.schema === schema ? -1 : 1))
    .map(display);
  return [...new Set([...elsewhere, ...spelled])].slice(0, 5);
}

/** `pg_describe_table`: columns, indexes and constraints of one PostgreSQL table or view. */
export function createPgDescribeTableTool(postgres: SqlDatasource) {
  return defineTool({
    name: 'pg_describe_table',
    title: 'Describe a PostgreSQL table',
    category: 'datasource',
    scope: 'mcp:sql:query',
    description:
      'Describe a PostgreSQL table or view: columns (name, type, nullable, default, generated, identity, comment), ' +
      'indexes (name, definition, unique, primary) and constraints (primary key, unique, foreign keys with the referenced ' +
      'table and columns and their ON UPDATE / ON DELETE actions, check, exclusion). The table may be given as "schema.table". ' +
      'An unknown table is answered with the closest names that exist.',
    inputSchema: z.object({
      table: z
        .string({ error: 'table must be a string' })
        .min(1, { error: 'table must not be empty' })
        .max(127, { error: 'table must be at most 127 characters' })
        .describe('Table or view name, optionally schema-qualified ("public.users")'),
      schema: identifierArgument('schema').default('public').describe('Schema name (default "public")'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args, ctx) {
      const dot = args.table.indexOf('.');
      const [schema, table] =
        dot > 0 && dot < args.table.length - 1
          ? [args.table.slice(0, dot), args.table.slice(dot + 1)]
          : [args.schema, args.table];
      const params = [schema, table];
      const relation = await readQuery(postgres, RELATION, { params }, ctx);
      const found = relation.rows[0];
      if (found === undefined) {
        const near = await suggestions(postgres, schema, table, ctx);
        throw new NotFoundError(
          `Unknown table "${schema}.${table}"` +
            (near.length > 0
              ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?`
              : `; list the tables of a schema with pg_list_tables`),
          { code: 'DATASOURCE.UNKNOWN_TABLE', details: { schema, table, nearMatches: near } },
        );
      }
      const [columns, indexes, constraints] = await Promise.all([
        readQuery(postgres, COLUMNS, { params }, ctx),
        readQuery(postgres, INDEXES, { params }, ctx),
        readQuery(postgres, CONSTRAINTS, { params }, ctx),
      ]);
      const durationMs = [relation, columns, indexes, constraints].reduce((sum, r) => sum + r.durationMs, 0);
      return jsonResult(
        toJsonSafe({
          schema,
          table,
          type: found['type'],
          row_estimate: found['row_estimate'],
          comment: found['comment'],
          columns: columns.rows,
          indexes: indexes.rows,
          constraints: constraints.rows,
          duration_ms: durationMs,
        }) as Record<string, unknown>,
      );
    },
  });
}
