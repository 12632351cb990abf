/**
 * Builders for the ClickHouse schema families added from migration 6 on: a raw MergeTree
 * table, and rollup tables `<family>_<suffix>` at the grains of {@link GRAINS}, each fed by
 * a materialized view `<family>_<suffix>_mv ... TO <family>_<suffix>` from the raw table.
 *
 * Invariants (checked over the shipped migrations by the schema spec):
 * - Every statement is `CREATE ... IF NOT EXISTS`.
 * - Every table starts with the tenant columns and its ORDER BY starts with organization_id;
 *   rollups order by (organization_id, workspace_id, tenant_id, keys..., time column).
 * - Every table has a TTL. A rollup keeps `max(grain TTL, family floor)` days, where the
 *   floor is at least the raw table's TTL: a rollup never expires before the rows it
 *   summarises (audit_logs uses a higher floor, the 730 days `audit_logs_1h` shipped with).
 * - All grains of a family share one column layout; only the time column's name differs.
 *
 * Decisions: AggregatingMergeTree families hold `AggregateFunction` columns (read with the
 * matching `-Merge` combinator) and `SimpleAggregateFunction` columns (read with the plain
 * function: `sum`, `max`, `anyLast`); SummingMergeTree families hold plain numbers named in
 * the engine, read with `sum()`. Statements built here are part of migration checksums:
 * changing this module's output for a shipped family is a migration edit, caught by the
 * pinned checksums in the schema spec.
 */
import { GRAINS, TENANT_COLUMNS, type Grain } from './grains.js';

/** A column of a rollup table and the expression the materialized view fills it with. */
export interface RollupColumn {
  /** Column name in the rollup table. */
  name: string;
  /** ClickHouse type, e.g. `AggregateFunction(avg, Float64)`. */
  type: string;
  /** Aggregate expression over the raw table, e.g. `avgState(value)`. */
  expr: string;
}

/** A grouping column of a rollup: copied from the raw row, part of the ORDER BY. */
export interface RollupKey {
  /** Column name, the same in the raw table and the rollup. */
  name: string;
  /** ClickHouse type; `LowCardinality(String)` when omitted. */
  type?: string;
}

/** The rollups of one family. */
export interface RollupFamily {
  /** Family name: tables are `<family>_<suffix>`. */
  family: string;
  /** Raw table the materialized views read. */
  source: string;
  /** DateTime expression of a raw row's time; `toDateTime(timestamp, 'UTC')` when omitted. */
  time?: string;
  /** Grouping columns, in declaration order. */
  keys: readonly RollupKey[];
  /** ORDER BY order of the keys when it differs from declaration order. */
  orderBy?: readonly string[];
  /** Value columns. */
  values: readonly RollupColumn[];
  /** Table engine; SummingMergeTree sums every value column. */
  engine: 'AggregatingMergeTree' | 'SummingMergeTree';
  /** Lower bound of every grain's TTL in days: the raw table's TTL. */
  floorTtlDays: number;
  /** Grain suffixes to build; all six when omitted. */
  grains?: readonly string[];
}

/**
 * An `AggregateFunction` column filled with `<fn>State(arg)`; `fn` may be parametric,
 * e.g. `quantile(0.95)`. Read it with `<fn>Merge(column)`.
 */
export function state(name: string, fn: string, arg: string, argType: string): RollupColumn {
  const parametric = /^(\w+)(\(.*\))$/.exec(fn);
  const combinator = parametric ? `${parametric[1]}State${parametric[2]}` : `${fn}State`;
  return { name, type: `AggregateFunction(${fn}, ${argType})`, expr: `${combinator}(${arg})` };
}

/** An `AggregateFunction(count)` column filled with `countState()`; read with `countMerge`. */
export function countState(name = 'count'): RollupColumn {
  return { name, type: 'AggregateFunction(count)', expr: 'countState()' };
}

/**
 * A `SimpleAggregateFunction(fn, type)` column filled with `expr` (already an aggregate of
 * the group, e.g. `toUInt64(count())`); read it with the plain `fn`.
 */
export function simple(name: string, fn: string, type: string, expr: string): RollupColumn {
  return { name, type: `SimpleAggregateFunction(${fn}, ${type})`, expr };
}

/** A plain numeric column of a SummingMergeTree rollup filled with `expr`; read with `sum()`. */
export function total(name: string, type: string, expr: string): RollupColumn {
  return { name, type, expr };
}

/**
 * The state columns of the `metrics_*` rollups (avg_value, min_value, max_value, sum_value,
 * count) over the Float64 column `arg`: metric-shaped families share them, so a query
 * written for `metrics_5m` works on `vm_metrics_5m` with other keys.
 */
export function metricStates(arg = 'value'): RollupColumn[] {
  return [
    state('avg_value', 'avg', arg, 'Float64'),
    state('min_value', 'min', arg, 'Float64'),
    state('max_value', 'max', arg, 'Float64'),
    state('sum_value', 'sum', arg, 'Float64'),
    countState(),
  ];
}

/** TTL in days of `family` at grain `g`. */
export function rollupTtlDays(family: Pick<RollupFamily, 'floorTtlDays'>, g: Grain): number {
  return Math.max(g.ttlDays, family.floorTtlDays);
}

function engineClause(family: RollupFamily): string {
  if (family.engine === 'AggregatingMergeTree') return 'AggregatingMergeTree';
  const names = family.values.map((v) => v.name);
  return names.length === 1 ? `SummingMergeTree(${names[0]})` : `SummingMergeTree((${names.join(', ')}))`;
}

/** The CREATE TABLE and CREATE MATERIALIZED VIEW statements of `family` at grain `g`. */
export function rollupStatements(family: RollupFamily, g: Grain): string[] {
  const table = `${family.family}_${g.suffix}`;
  const keyNames = family.keys.map((k) => k.name);
  const orderKeys = family.orderBy ?? keyNames;
  const time = family.time ?? "toDateTime(timestamp, 'UTC')";
  const columns = [
    `  ${g.column} DateTime('UTC')`,
    ...family.keys.map((k) => `  ${k.name} ${k.type ?? 'LowCardinality(String)'}`),
    ...family.values.map((v) => `  ${v.name} ${v.type}`),
  ];
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
  ${TENANT_COLUMNS},
${columns.join(',\n')}
) ENGINE = ${engineClause(family)}
PARTITION BY toYYYYMM(${g.column})
ORDER BY (organization_id, workspace_id, tenant_id, ${[...orderKeys, g.column].join(', ')})
TTL ${g.column} + INTERVAL ${rollupTtlDays(family, g)} DAY`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv TO ${table} AS
SELECT organization_id, workspace_id, tenant_id,
  ${g.bucket(time)} AS ${g.column},
  ${[...keyNames, ...family.values.map((v) => `${v.expr} AS ${v.name}`)].join(',\n  ')}
FROM ${family.source}
GROUP BY organization_id, workspace_id, tenant_id, ${[g.column, ...keyNames].join(', ')}`,
  ];
}

/** Every grain's statements for `family`, finest grain first. */
export function rollupFamily(family: RollupFamily): string[] {
  const wanted = family.grains;
  return GRAINS.filter((g) => wanted === undefined || wanted.includes(g.suffix)).flatMap((g) =>
    rollupStatements(family, g),
  );
}

/** Suffixes of every grain except those listed: the grains a family still lacks. */
export function grainsExcept(...suffixes: string[]): string[] {
  return GRAINS.map((g) => g.suffix).filter((s) => !suffixes.includes(s));
}

/** A raw table. */
export interface RawTable {
  /** Table name. */
  name: string;
  /** Column definitions after the tenant columns, one per line, without trailing commas. */
  columns: readonly string[];
  /** ORDER BY columns after organization_id. */
  orderBy: readonly string[];
  /** TTL in days. */
  ttlDays: number;
  /** Time column (a DateTime64); `timestamp` when omitted. */
  time?: string;
  /** PARTITION BY expression; `toDate(<time>)` when omitted. */
  partitionBy?: string;
}

/** CREATE TABLE statement of a raw MergeTree table. */
export function rawTable(spec: RawTable): string {
  const time = spec.time ?? 'timestamp';
  return `CREATE TABLE IF NOT EXISTS ${spec.name} (
  ${TENANT_COLUMNS},
${spec.columns.map((c) => `  ${c}`).join(',\n')}
) ENGINE = MergeTree
PARTITION BY ${spec.partitionBy ?? `toDate(${time})`}
ORDER BY (organization_id, ${spec.orderBy.join(', ')})
TTL toDateTime(${time}) + INTERVAL ${spec.ttlDays} DAY`;
}
