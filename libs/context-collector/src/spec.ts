/**
 * The declarative shape of a context type: the named sources it reads (each a query
 * builder) and how their rows become a summary and data. Specs hold no I/O; the
 * collector runs their sources with the deadline and hands the rows back.
 *
 * Invariants:
 * - A source builder returns a scoped {@link SourceQuery} (see sql.ts), or `null` when it
 *   does not apply to the request (for example an account source without a user id).
 * - `build` returns `null` when the rows hold nothing to report; the collector then
 *   answers with the `[SYSTEM] No data found ...` context. It never invents figures.
 */
import type { ContextType } from '@tfo/domain';
import type { Row } from './format.js';
import type { QueryInput, SourceQuery } from './sql.js';

/** Builds the query of one source for a request, or `null` when it does not apply. */
export type SourceBuilder = (input: QueryInput) => SourceQuery | null;

/** What a spec's `build` produces: the summary and the data of the context. */
export interface Built {
  summary: string;
  data: Record<string, unknown>;
}

/** The rows each source returned; a failed or skipped source reads as no rows. */
export class SourceRows {
  constructor(
    private readonly rows: ReadonlyMap<string, Row[]>,
    /** Sources that failed or ran out of time, with the reason. */
    readonly missing: readonly { source: string; reason: string }[],
  ) {}

  /** Rows of one source ([] when it failed, was skipped or found nothing). */
  get(source: string): Row[] {
    return this.rows.get(source) ?? [];
  }

  /** True when every named source returned no rows. */
  empty(...sources: string[]): boolean {
    return sources.every((s) => this.get(s).length === 0);
  }
}

/** One context type's collection recipe. */
export interface ContextSpec {
  /** The context type it answers. */
  readonly key: ContextType;
  /** Named sources, run in parallel. */
  readonly sources: Readonly<Record<string, SourceBuilder>>;
  /** Turns the rows into a summary and data; `null` means no data for the period. */
  build(rows: SourceRows, input: QueryInput): Built | null;
  /** Extra sentence for the no-data context (for example why nothing could be read). */
  noDataDetail?(input: QueryInput): string | undefined;
}

/** Declares a spec; a typed identity that keeps spec files terse. */
export function defineSpec(spec: ContextSpec): ContextSpec {
  return Object.freeze(spec);
}

/**
 * Declares several keys that read the same sources and differ only in how the rows are
 * presented: one spec per key, sharing the source builders.
 */
export function specsFor(
  keys: readonly ContextType[],
  sources: Readonly<Record<string, SourceBuilder>>,
  build: (key: ContextType) => ContextSpec['build'],
  noDataDetail?: ContextSpec['noDataDetail'],
): ContextSpec[] {
  return keys.map((key) =>
    defineSpec({ key, sources, build: build(key), ...(noDataDetail ? { noDataDetail } : {}) }),
  );
}
