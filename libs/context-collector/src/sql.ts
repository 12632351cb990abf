/**
 * Scoped SQL builders: the only way a spec writes a query.
 *
 * Invariants:
 * - Every value is a bound parameter: `{name:Type}` on ClickHouse, `$n` on PostgreSQL.
 *   Identifiers (tables, columns) come from constants in this package, never from input.
 * - Every query carries the organization filter: `organization_id = {org:String}` on
 *   ClickHouse (plus `workspace_id` / `tenant_id` when the request names them), and
 *   `organization_id = $1` on PostgreSQL, where `$1` is always the organization id.
 *   {@link assertScoped} refuses to run a query without it.
 * - Time bounds are passed as epoch numbers and converted by the engine in UTC, so the
 *   server's time zone never shifts a window.
 */
import type { TimeRange } from '@tfo/domain';
import { bucketStart, type Grain } from './grain.js';

/** Which engine a source reads. */
export type Engine = 'clickhouse' | 'postgresql';

/** One query ready to run: its engine, text and bound parameters. */
export interface SourceQuery {
  readonly engine: Engine;
  readonly sql: string;
  readonly params: Record<string, unknown> | unknown[];
}

/** What query builders know about a request (already validated). */
export interface QueryInput {
  readonly organizationId: string;
  readonly workspaceId?: string;
  readonly tenantId?: string;
  readonly userId?: string;
  /** Caller-supplied narrowing (a service, metric, resource or question); always bound. */
  readonly contextId?: string;
  /** The window asked about. */
  readonly range: TimeRange;
  /** The window of the same length just before `range`, for baselines. */
  readonly baseline: TimeRange;
  /** The rollup grain chosen for `range`. */
  readonly grain: Grain;
  /** Most items a list in the context may hold. */
  readonly maxItems: number;
}

/** The organization filter a ClickHouse query must contain. */
export const CH_ORG_FILTER = 'organization_id = {org:String}';
/** The organization filter a PostgreSQL query must contain. */
export const PG_ORG_FILTER = 'organization_id = $1';

/** Builds one ClickHouse query with named, typed parameters. */
export class ChBuilder {
  /** Parameters bound so far; `org` is always present. */
  readonly params: Record<string, unknown>;
  private counter = 0;

  constructor(readonly input: QueryInput) {
    this.params = { org: input.organizationId };
    if (input.workspaceId !== undefined) this.params['workspace'] = input.workspaceId;
    if (input.tenantId !== undefined) this.params['tenant'] = input.tenantId;
  }

  /** The tenancy filter: organization, and workspace / tenant when the request names them. */
  get scope(): string {
    let clause = CH_ORG_FILTER;
    if (this.input.workspaceId !== undefined) clause += ' AND workspace_id = {workspace:String}';
    if (this.input.tenantId !== undefined) clause += ' AND tenant_id = {tenant:String}';
    return clause;
  }

  /** Binds a value and returns its placeholder, e.g. `{p1:String}`. */
  bind(value: unknown, type = 'String'): string {
    this.counter += 1;
    const name = `p${this.counter}`;
    this.params[name] = value;
    return `{${name}:${type}}`;
  }

  /** The bound `contextId` (`{id:String}`); only call when the request has one. */
  get id(): string {
    this.params['id'] = this.input.contextId ?? '';
    return '{id:String}';
  }

  /** Bound `LIMIT` value: the request's `maxItems` times `factor`. */
  limit(factor = 1): string {
    return this.bind(Math.max(1, Math.round(this.input.maxItems * factor)), 'UInt32');
  }

  /** `column` (a raw DateTime64 column) within the window, or within baseline + window. */
  rawWindow(column: string, withBaseline = false): string {
    const from = (withBaseline ? this.input.baseline : this.input.range).from.getTime();
    const f = this.bind(from, 'Int64');
    const t = this.bind(this.input.range.to.getTime(), 'Int64');
    return `${column} >= fromUnixTimestamp64Milli(${f}, 'UTC') AND ${column} <= fromUnixTimestamp64Milli(${t}, 'UTC')`;
  }

  /** The rollup time column within the window (bucket-aligned), or within baseline + window. */
  rollupWindow(withBaseline = false): string {
    const g = this.input.grain;
    const from = (withBaseline ? this.input.baseline : this.input.range).from.getTime();
    const f = this.bind(Math.floor(bucketStart(from, g) / 1000), 'Int64');
    const t = this.bind(Math.floor(this.input.range.to.getTime() / 1000), 'Int64');
    return `${g.column} >= toDateTime(${f}, 'UTC') AND ${g.column} <= toDateTime(${t}, 'UTC')`;
  }

  /** `1` for rows of the current window, `0` for the baseline, as a grouping expression. */
  currentFlag(column: string, raw = false): string {
    const start = this.input.range.from.getTime();
    if (raw) return `${column} >= fromUnixTimestamp64Milli(${this.bind(start, 'Int64')}, 'UTC')`;
    const aligned = Math.floor(bucketStart(start, this.input.grain) / 1000);
    return `${column} >= toDateTime(${this.bind(aligned, 'Int64')}, 'UTC')`;
  }

  /** A rollup table of `family` at the request's grain, e.g. `metrics_5m`. */
  table(family: string): string {
    return `${family}_${this.input.grain.suffix}`;
  }

  /** The finished query. */
  done(sql: string): SourceQuery {
    return { engine: 'clickhouse', sql: squash(sql), params: this.params };
  }
}

/** Builds one PostgreSQL query with positional parameters; `$1` is the organization id. */
export class PgBuilder {
  /** Parameters bound so far; the first is always the organization id. */
  readonly params: unknown[];

  constructor(readonly input: QueryInput) {
    this.params = [input.organizationId];
  }

  /** The organization filter, optionally on a table alias: `a.organization_id = $1`. */
  scope(alias?: string): string {
    return alias === undefined ? PG_ORG_FILTER : `${alias}.${PG_ORG_FILTER}`;
  }

  /** Binds a value and returns its placeholder, e.g. `$2`. */
  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Bound `LIMIT` value: the request's `maxItems` times `factor`. */
  limit(factor = 1): string {
    return this.bind(Math.max(1, Math.round(this.input.maxItems * factor)));
  }

  /** `column` (timestamptz) within the window. */
  window(column: string): string {
    const f = this.bind(this.input.range.from.toISOString());
    const t = this.bind(this.input.range.to.toISOString());
    return `${column} >= ${f}::timestamptz AND ${column} <= ${t}::timestamptz`;
  }

  /** The finished query. */
  done(sql: string): SourceQuery {
    return { engine: 'postgresql', sql: squash(sql), params: this.params };
  }
}

/** Writes a ClickHouse query through a {@link ChBuilder}. */
export function ch(input: QueryInput, write: (b: ChBuilder) => string): SourceQuery {
  const b = new ChBuilder(input);
  return b.done(write(b));
}

/** Writes a PostgreSQL query through a {@link PgBuilder}. */
export function pg(input: QueryInput, write: (b: PgBuilder) => string): SourceQuery {
  const b = new PgBuilder(input);
  return b.done(write(b));
}

/**
 * Throws when a query lacks its organization filter or the organization parameter; the
 * collector calls it before every query, so an unscoped query can never run.
 */
export function assertScoped(query: SourceQuery, organizationId: string): void {
  const ok =
    query.engine === 'clickhouse'
      ? query.sql.includes(CH_ORG_FILTER) &&
        !Array.isArray(query.params) &&
        query.params['org'] === organizationId
      : query.sql.includes(PG_ORG_FILTER) &&
        Array.isArray(query.params) &&
        query.params[0] === organizationId;
  if (!ok) throw new Error('refused to run a query without the organization filter');
}

/** Collapses the indentation of template literals into single spaces. */
function squash(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
