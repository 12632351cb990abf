/**
 * Schema resources, so a model writes correct ch_query / pg_query SQL the first time:
 *
 * - `schema://clickhouse`: every raw table with its columns, ORDER BY and TTL, and every
 *   rollup family once (grains, time column per grain, the shared column layout and the
 *   expression that reads each column), plus the rules every query follows.
 * - `schema://clickhouse/{table}`: one table (raw or rollup) in full, with an example query.
 * - `schema://postgresql`: tables and columns the read-only login can see, from
 *   information_schema, through the PostgreSQL datasource (offered only when one is
 *   registered).
 *
 * The ClickHouse description is derived from the migrations (`describeClickHouseSchema`),
 * not from the live engine: it needs no connection and cannot drift from the DDL. It is
 * computed once, on first read.
 */
import {
  CLICKHOUSE_MIGRATIONS,
  describeClickHouseSchema,
  type ClickHouseColumnInfo,
  type ClickHouseRollupInfo,
  type ClickHouseSchemaCatalog,
  type ClickHouseTableInfo,
} from '@tfo/datasources';
import { NotFoundError, ValidationError, nearMatches, type SqlDatasource } from '@tfo/domain';
import {
  detachedCallContext,
  type StaticResourceDefinition,
  type TemplateResourceDefinition,
  type ToolCallContext,
} from '../definitions.js';
import { readQuery } from '../sql/run.js';

let catalog: ClickHouseSchemaCatalog | undefined;

function clickHouseCatalog(): ClickHouseSchemaCatalog {
  catalog ??= describeClickHouseSchema(CLICKHOUSE_MIGRATIONS);
  return catalog;
}

/** Rules every ClickHouse query of a tenant follows. */
export const CLICKHOUSE_QUERY_RULES: readonly string[] = [
  'Filter every query with organization_id = <your organization> (the first ORDER BY column of every table).',
  'Prefer a rollup to its raw table for windows over an hour: <family>_1m up to 1 hour, _5m up to 1 day, _1h up to 7 days, _1d beyond.',
  'Rollup time columns: minute (1m), five_minutes (5m), fifteen_minutes (15m), hour (1h), six_hours (6h), day (1d); raw tables use timestamp.',
  'AggregateFunction(fn, T) columns are states: read them with fnMerge(column) and GROUP BY, e.g. avgMerge(avg_value), quantileMerge(0.95)(p95_duration_ns).',
  'SimpleAggregateFunction(fn, T) columns are read with fn(column) and GROUP BY, e.g. sum(request_count).',
  'SummingMergeTree value columns are read with sum(column) and GROUP BY (rows of a key may not be merged yet).',
  'Durations in traces are nanoseconds (duration_ns); divide by 1e6 for milliseconds. Times are UTC.',
];

/** How to read `column` of `table` in a SELECT. */
export function readExpression(table: ClickHouseTableInfo, column: ClickHouseColumnInfo): string {
  const aggregate = /^AggregateFunction\((.*)\)$/s.exec(column.type);
  if (aggregate) {
    const fn = firstArgument(aggregate[1] ?? '');
    const parametric = /^(\w+)(\(.*\))$/.exec(fn);
    return parametric
      ? `${parametric[1]}Merge${parametric[2]}(${column.name})`
      : `${fn}Merge(${column.name})`;
  }
  const simple = /^SimpleAggregateFunction\((\w+),/.exec(column.type);
  if (simple) return `${simple[1]}(${column.name})`;
  const summed = /^SummingMergeTree\((.*)\)$/.exec(table.engine);
  if (summed && summed[1]?.replace(/[()]/g, '').split(/,\s*/).includes(column.name))
    return `sum(${column.name})`;
  return column.name;
}

function firstArgument(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) return text.slice(0, i).trim();
  }
  return text.trim();
}

const columnLine = (c: ClickHouseColumnInfo) => `${c.name} ${c.type}`;

function rawTableSummary(t: ClickHouseTableInfo) {
  return {
    name: t.name,
    engine: t.engine,
    order_by: t.orderBy,
    ttl_days: t.ttlDays ?? null,
    columns: t.columns.map(columnLine),
  };
}

function familySummaries(rollups: readonly ClickHouseRollupInfo[]) {
  const families = new Map<string, ClickHouseRollupInfo[]>();
  for (const r of rollups) families.set(r.family, [...(families.get(r.family) ?? []), r]);
  return [...families.entries()].map(([family, members]) => {
    const first = members[0] as ClickHouseRollupInfo;
    const timeColumn = first.grain?.column;
    return {
      family,
      source: first.view.source,
      engine: first.table.engine,
      tables: Object.fromEntries(
        members.map((m) => [
          m.table.name,
          m.grain === undefined ? 'no grain' : `time column ${m.grain.column}`,
        ]),
      ),
      columns: first.table.columns
        .filter((c) => c.name !== timeColumn)
        .map((c) => ({ column: columnLine(c), read_with: readExpression(first.table, c) })),
    };
  });
}

/** `schema://clickhouse`: the ClickHouse schema overview. */
export function createClickHouseSchemaResource(): StaticResourceDefinition {
  return {
    kind: 'static',
    name: 'clickhouse-schema',
    uri: 'schema://clickhouse',
    title: 'ClickHouse schema',
    description:
      'Tables and columns of the ClickHouse telemetry store (metrics, logs, traces, infrastructure, maps, insights, ' +
      'security, cost, server analytics): raw tables with their columns, rollup families with their grains and how to ' +
      'read each column (avgMerge, quantileMerge, sum, ...), and the rules for writing ch_query SQL. ' +
      'schema://clickhouse/{table} describes one table.',
    mimeType: 'application/json',
    async read() {
      const c = clickHouseCatalog();
      const body = {
        engine: 'clickhouse',
        rules: CLICKHOUSE_QUERY_RULES,
        raw_tables: c.rawTables.map(rawTableSummary),
        rollup_families: familySummaries(c.rollups),
      };
      return [
        { uri: 'schema://clickhouse', mimeType: 'application/json', text: JSON.stringify(body, null, 2) },
      ];
    },
  };
}

function exampleQuery(table: ClickHouseTableInfo, rollup: ClickHouseRollupInfo | undefined): string {
  const time =
    rollup?.grain?.column ?? (table.columns.some((c) => c.name === 'timestamp') ? 'timestamp' : undefined);
  const keys = table.orderBy.filter(
    (k) => !['organization_id', 'workspace_id', 'tenant_id', time].includes(k),
  );
  const key = keys[0];
  const values = table.columns
    .filter((c) => readExpression(table, c) !== c.name)
    .slice(0, 3)
    .map((c) => `${readExpression(table, c)} AS ${c.name}`);
  const select = rollup ? [...(key ? [key] : []), ...(time ? [time] : []), ...values] : ['*'];
  const where = [
    "organization_id = 'your-organization-id'",
    ...(time ? [`${time} > now() - INTERVAL 1 HOUR`] : []),
  ];
  const group = rollup ? [...(key ? [key] : []), ...(time ? [time] : [])] : [];
  return [
    `SELECT ${select.join(', ')}`,
    `FROM ${table.name}`,
    `WHERE ${where.join(' AND ')}`,
    ...(group.length > 0 ? [`GROUP BY ${group.join(', ')}`] : []),
    ...(time ? [`ORDER BY ${time} DESC`] : []),
    'LIMIT 100',
  ].join('\n');
}

/** `schema://clickhouse/{table}`: one ClickHouse table in full. */
export function createClickHouseTableResource(): TemplateResourceDefinition {
  return {
    kind: 'template',
    name: 'clickhouse-table',
    uriTemplate: 'schema://clickhouse/{table}',
    title: 'ClickHouse table',
    description:
      'One ClickHouse table: columns with types and defaults and how to read each in a SELECT, engine, ORDER BY, TTL, ' +
      'for a rollup its source table and grain, and an example query. An unknown table is answered with the closest names.',
    mimeType: 'application/json',
    async read(uri, variables) {
      const raw = variables['table'];
      const name = decodeURIComponent((Array.isArray(raw) ? raw[0] : raw) ?? '').trim();
      if (name === '') throw new ValidationError('The URI must name a table: schema://clickhouse/{table}');
      const c = clickHouseCatalog();
      const table = c.tables.find((t) => t.name === name);
      if (table === undefined) {
        const near = nearMatches(
          name,
          c.tables.map((t) => t.name),
          5,
        );
        throw new NotFoundError(
          `Unknown ClickHouse table ${JSON.stringify(name)}` +
            (near.length > 0
              ? `; did you mean ${near.join(', ')}?`
              : '; schema://clickhouse lists the tables.'),
          { code: 'DATASOURCE.UNKNOWN_TABLE', details: { table: name, nearMatches: near } },
        );
      }
      const rollup = c.rollups.find((r) => r.table.name === name);
      const body = {
        name: table.name,
        kind: rollup ? 'rollup' : 'raw',
        engine: table.engine,
        partition_by: table.partitionBy ?? null,
        order_by: table.orderBy,
        ttl: table.ttl ?? null,
        ttl_days: table.ttlDays ?? null,
        ...(rollup
          ? {
              rollup: {
                family: rollup.family,
                source: rollup.view.source,
                view: rollup.view.name,
                grain: rollup.grain?.suffix ?? null,
                time_column: rollup.grain?.column ?? null,
                siblings: c.rollups
                  .filter((r) => r.family === rollup.family && r !== rollup)
                  .map((r) => r.table.name),
              },
            }
          : { rollups: c.rollups.filter((r) => r.view.source === name).map((r) => r.table.name) }),
        columns: table.columns.map((col) => ({
          name: col.name,
          type: col.type,
          ...(col.defaultExpr === undefined ? {} : { default: col.defaultExpr }),
          read_with: readExpression(table, col),
        })),
        rules: CLICKHOUSE_QUERY_RULES,
        example: exampleQuery(table, rollup),
      };
      return [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }];
    },
  };
}

const PG_TABLES = `SELECT c.table_schema AS schema_name,
       c.table_name AS table_name,
       t.table_type AS table_type,
       string_agg(c.column_name || ' ' || c.data_type || CASE WHEN c.is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END,
                  ', ' ORDER BY c.ordinal_position) AS columns
  FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
 WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND left(c.table_schema, 3) <> 'pg_'
 GROUP BY c.table_schema, c.table_name, t.table_type
 ORDER BY c.table_schema, c.table_name`;

/** `schema://postgresql`: the PostgreSQL tables and columns the read-only login can see. */
export function createPostgresSchemaResource(postgres: SqlDatasource): StaticResourceDefinition {
  return {
    kind: 'static',
    name: 'postgresql-schema',
    uri: 'schema://postgresql',
    title: 'PostgreSQL schema',
    description:
      'Tables and views of the PostgreSQL inventory store (organizations, services, alerts, SLOs, incidents, IAM, ' +
      'sessions, ...) that pg_query can read, each with its columns ("name type [NOT NULL]"), from information_schema. ' +
      'pg_describe_table adds indexes and constraints for one table.',
    mimeType: 'application/json',
    async read(ctx) {
      const call: ToolCallContext = detachedCallContext({
        logger: ctx.logger,
        signal: ctx.signal,
        organizationId: undefined,
        clientRoots: () => ctx.clientRoots(),
      });
      const result = await readQuery(postgres, PG_TABLES, { maxRows: 2_000 }, call);
      const body = {
        engine: 'postgresql',
        rules: [
          'Use $1, $2, ... parameters for values (pg_query params); never splice values into SQL.',
          'Tenant tables carry organization_id: filter by it.',
          'One read-only statement per call (SELECT, WITH ... SELECT, SHOW, EXPLAIN).',
        ],
        ...(result.truncated
          ? { notice: 'The list was cut; pg_list_tables lists one schema at a time.' }
          : {}),
        tables: result.rows.map((r) => ({
          schema: String(r['schema_name']),
          name: String(r['table_name']),
          type: String(r['table_type']) === 'VIEW' ? 'view' : 'table',
          columns: String(r['columns'] ?? ''),
        })),
      };
      return [
        { uri: 'schema://postgresql', mimeType: 'application/json', text: JSON.stringify(body, null, 2) },
      ];
    },
  };
}
