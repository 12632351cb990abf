/**
 * Shared PostgreSQL inventory readers: a scoped `SELECT ... FROM <table>` with a bound
 * limit, and the digest helpers inventory specs use (counts by status, listings).
 * Table and column lists are constants of the calling spec, never input.
 */
import { countBy, list, str, tally, type Row } from '../format.js';
import type { SourceBuilder } from '../spec.js';
import { pg, type PgBuilder } from '../sql.js';

/** What to list from one PostgreSQL table. */
export interface ListOptions {
  /** Table name, optionally with an alias (`kubernetes_pods p`). */
  readonly from: string;
  /** Select list (constant text). */
  readonly columns: string;
  /** ORDER BY clause (constant text). */
  readonly orderBy: string;
  /** Alias of the scoped table when `from` joins several. */
  readonly alias?: string;
  /** Extra filter with bound values, or undefined for none. */
  readonly where?: (b: PgBuilder) => string | undefined;
  /** Rows kept: `maxItems` times this factor (default 5). */
  readonly limitFactor?: number;
}

/** A source listing rows of one tenant-scoped table. */
export function pgList(options: ListOptions): SourceBuilder {
  return (input) =>
    pg(input, (b) => {
      const extra = options.where?.(b);
      return `SELECT ${options.columns} FROM ${options.from}
        WHERE ${b.scope(options.alias)}${extra ? ` AND (${extra})` : ''}
        ORDER BY ${options.orderBy} LIMIT ${b.limit(options.limitFactor ?? 5)}`;
    });
}

/** `name = $n` on a text column when the request carries a contextId, else undefined. */
export function byContextId(column: string): (b: PgBuilder) => string | undefined {
  return (b) =>
    b.input.contextId === undefined ? undefined : `${column}::text = ${b.bind(b.input.contextId)}`;
}

/** `12 items (9 running, 3 pending)` style text. */
export function countText(rows: readonly Row[], noun: string, statusKey?: string): string {
  const counts = statusKey === undefined ? undefined : countBy(rows, statusKey);
  return `${rows.length} ${noun}${counts ? ` (${tally(counts)})` : ''}`;
}

/** The rows whose `key` is not one of `healthy`, as labelled text. */
export function unhealthy(
  rows: readonly Row[],
  key: string,
  healthy: readonly string[],
  label: (row: Row) => string,
): string[] {
  const ok = new Set(healthy.map((h) => h.toLowerCase()));
  return rows.filter((r) => !ok.has(str(r[key]).toLowerCase())).map((r) => `${label(r)} is ${str(r[key])}`);
}

/** `Not healthy: a is failed; b is pending.` or '' when all are healthy. */
export function problemsText(items: readonly string[], lead = 'Needs attention'): string {
  return items.length > 0 ? `${lead}: ${list(items, 5)}.` : '';
}
