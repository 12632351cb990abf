/**
 * A catalog of the ClickHouse schema read back from the migration statements: every table
 * with its columns, engine, ORDER BY and TTL, every materialized view with its source and
 * target, and the rollup families (`<family>_<suffix>` at the grains of {@link GRAINS}).
 * The schema spec checks its invariants over this catalog and the schema reference in
 * docs/schema.md is rendered from it, so neither can drift from the DDL.
 *
 * Invariant: it understands exactly the statement shapes this library emits
 * (`CREATE TABLE IF NOT EXISTS name (...) ENGINE = ... ORDER BY (...) TTL ...`,
 * `CREATE MATERIALIZED VIEW IF NOT EXISTS name TO target AS SELECT ... FROM source ...` and
 * `ALTER TABLE name ADD COLUMN IF NOT EXISTS column Type [DEFAULT expr]`);
 * any other statement makes {@link describeClickHouseSchema} throw, so a new shape is
 * noticed by the spec rather than skipped.
 */
import { GRAINS, type Grain } from './grains.js';

/** A column of a ClickHouse table. */
export interface ClickHouseColumnInfo {
  /** Column name. */
  name: string;
  /** ClickHouse type, e.g. `LowCardinality(String)`. */
  type: string;
  /** DEFAULT expression, when the column has one. */
  defaultExpr?: string;
}

/** A table created by the migrations. */
export interface ClickHouseTableInfo {
  /** Table name. */
  name: string;
  /** Version of the migration that creates it. */
  version: number;
  /** Columns in declaration order. */
  columns: ClickHouseColumnInfo[];
  /** Engine clause, e.g. `SummingMergeTree(count)`. */
  engine: string;
  /** PARTITION BY expression. */
  partitionBy: string | undefined;
  /** ORDER BY columns. */
  orderBy: string[];
  /** TTL clause, e.g. `hour + INTERVAL 180 DAY`. */
  ttl: string | undefined;
  /** TTL in days, read from the TTL clause. */
  ttlDays: number | undefined;
}

/** A materialized view created by the migrations. */
export interface ClickHouseViewInfo {
  /** View name (`<target>_mv`). */
  name: string;
  /** Version of the migration that creates it. */
  version: number;
  /** Table the view writes to. */
  target: string;
  /** Table the view reads from. */
  source: string;
}

/** A table filled only by a materialized view: a rollup. */
export interface ClickHouseRollupInfo {
  /** The rollup table. */
  table: ClickHouseTableInfo;
  /** The view that fills it. */
  view: ClickHouseViewInfo;
  /** Its grain, when it follows the `<family>_<suffix>` naming with the grain's time column. */
  grain: Grain | undefined;
  /** Family name (table name without the grain suffix), or the table name without a grain. */
  family: string;
}

/** The schema the migrations build. */
export interface ClickHouseSchemaCatalog {
  /** Every table, in creation order. */
  tables: ClickHouseTableInfo[];
  /** Every materialized view, in creation order. */
  views: ClickHouseViewInfo[];
  /** Every rollup (a table some view writes to), in creation order. */
  rollups: ClickHouseRollupInfo[];
  /** Raw tables: tables no view writes to. */
  rawTables: ClickHouseTableInfo[];
}

/** Splits `text` at commas outside parentheses and quotes. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** The text between the parenthesis at `open` and its matching closing one. */
function parenthesised(text: string, open: number): { inner: string; end: number } {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')' && --depth === 0) return { inner: text.slice(open + 1, i), end: i };
  }
  throw new Error(`unbalanced parentheses in: ${text.slice(0, 80)}`);
}

function parseColumn(definition: string): ClickHouseColumnInfo {
  const name = /^(\w+)\s+/.exec(definition)?.[1];
  if (name === undefined) throw new Error(`cannot read column definition: ${definition}`);
  const rest = definition.slice(name.length).trim();
  const def = /^(.*?)\s+DEFAULT\s+(.+)$/s.exec(rest);
  return def ? { name, type: def[1] ?? '', defaultExpr: def[2] ?? '' } : { name, type: rest };
}

function clause(body: string, keyword: string): string | undefined {
  return new RegExp(`^${keyword} (.+)$`, 'm').exec(body)?.[1]?.trim();
}

function parseTable(statement: string, version: number): ClickHouseTableInfo {
  const name = /^CREATE TABLE IF NOT EXISTS (\w+) \(/.exec(statement)?.[1];
  if (name === undefined) throw new Error(`not a CREATE TABLE: ${statement.slice(0, 80)}`);
  const { inner, end } = parenthesised(statement, statement.indexOf('('));
  const tail = statement.slice(end + 1);
  const engine = /^\s*ENGINE = (.+)$/m.exec(tail)?.[1]?.trim();
  if (engine === undefined) throw new Error(`table ${name} has no ENGINE clause`);
  const orderBy = clause(tail, 'ORDER BY');
  const ttl = clause(tail, 'TTL');
  const ttlDays = ttl === undefined ? undefined : /INTERVAL (\d+) DAY/.exec(ttl)?.[1];
  return {
    name,
    version,
    columns: splitTopLevel(inner).map(parseColumn),
    engine,
    partitionBy: clause(tail, 'PARTITION BY'),
    orderBy:
      orderBy === undefined
        ? []
        : splitTopLevel(orderBy.startsWith('(') ? orderBy.slice(1, -1) : orderBy).map((c) => c.trim()),
    ttl,
    ttlDays: ttlDays === undefined ? undefined : Number(ttlDays),
  };
}

function parseView(statement: string, version: number): ClickHouseViewInfo {
  const head = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+) TO (\w+) AS\b/.exec(statement);
  const source = /\bFROM (\w+)/.exec(statement)?.[1];
  if (head === null || source === undefined) {
    throw new Error(`unexpected materialized view shape: ${statement.slice(0, 80)}`);
  }
  return { name: head[1] ?? '', target: head[2] ?? '', source, version };
}

const ADD_COLUMN = /^ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (.+)$/s;

/** Applies `ALTER TABLE t ADD COLUMN IF NOT EXISTS <column>` to the table it names. */
function addColumn(tables: ClickHouseTableInfo[], statement: string): void {
  const match = ADD_COLUMN.exec(statement);
  const table = match ? tables.find((t) => t.name === match[1]) : undefined;
  if (!match || !table) throw new Error(`unexpected statement: ${statement.slice(0, 80)}`);
  table.columns.push(parseColumn(match[2]!.trim()));
}

/** The grain `table` belongs to, when it is named `<family>_<suffix>` and has the grain's time column. */
function grainOf(table: ClickHouseTableInfo): Grain | undefined {
  return GRAINS.find(
    (g) => table.name.endsWith(`_${g.suffix}`) && table.columns.some((c) => c.name === g.column),
  );
}

/**
 * Reads the tables, views and rollups out of migration statements.
 *
 * @param migrations versions and statements, e.g. `CLICKHOUSE_MIGRATIONS`
 * @throws Error on a statement shape it does not know
 */
export function describeClickHouseSchema(
  migrations: readonly { version: number; statements: readonly string[] }[],
): ClickHouseSchemaCatalog {
  const tables: ClickHouseTableInfo[] = [];
  const views: ClickHouseViewInfo[] = [];
  for (const migration of migrations) {
    for (const raw of migration.statements) {
      const statement = raw.trim();
      if (statement.startsWith('CREATE TABLE ')) tables.push(parseTable(statement, migration.version));
      else if (statement.startsWith('CREATE MATERIALIZED VIEW '))
        views.push(parseView(statement, migration.version));
      else if (statement.startsWith('ALTER TABLE ')) addColumn(tables, statement);
      else throw new Error(`unexpected statement: ${statement.slice(0, 80)}`);
    }
  }
  const rollups: ClickHouseRollupInfo[] = [];
  for (const table of tables) {
    const view = views.find((v) => v.target === table.name);
    if (view === undefined) continue;
    const grain = grainOf(table);
    const family = grain === undefined ? table.name : table.name.slice(0, -(grain.suffix.length + 1));
    rollups.push({ table, view, grain, family });
  }
  const rollupNames = new Set(rollups.map((r) => r.table.name));
  return { tables, views, rollups, rawTables: tables.filter((t) => !rollupNames.has(t.name)) };
}
