/**
 * The generator without the engines: everything the estate holds for a plan and a window,
 * as PostgreSQL writes and ClickHouse row batches. The runner (runner.ts) writes these; the
 * tests and benchmarks can consume them in memory (see {@link collectDemoRows}).
 *
 * Invariants:
 * - Pure: the same plan and window give the same writes and rows, in the same order.
 * - ClickHouse rows come in sub-windows sized so one batch holds about `batchRows` rows,
 *   which bounds memory whatever the window.
 */
import { createHash } from 'node:crypto';
import { DEMO_FAMILIES } from './families.js';
import type { ChStream, PgWrite, Row } from './model.js';
import { buildDemoPlan, DEFAULT_DEMO_SEED, type DemoPlan } from './plan.js';
import { resolveDemoSize, type DemoSize } from './size.js';
import { alignDown, HOUR, MINUTE } from './time.js';

/** Default rows per ClickHouse insert. */
export const DEFAULT_BATCH_ROWS = 50_000;

/** A ClickHouse batch of one table. */
export interface ChRowsBatch {
  stream: string;
  table: string;
  rows: Row[];
}

/** Keeps only writes to tables that exist (when `tables` is given). */
function existing(writes: PgWrite[], tables?: ReadonlySet<string>): PgWrite[] {
  return tables === undefined ? writes : writes.filter((w) => tables.has(w.table));
}

/** The inventory writes (state at the anchor), in write order. */
export function inventoryWrites(plan: DemoPlan, tables?: ReadonlySet<string>): PgWrite[] {
  return DEMO_FAMILIES.flatMap((f) => existing(f.inventory?.(plan) ?? [], tables));
}

/** Periodic PostgreSQL rows and scheduled mutations for [from, to). */
export function windowWrites(
  plan: DemoPlan,
  from: number,
  to: number,
  mutationsFrom = from,
  tables?: ReadonlySet<string>,
): PgWrite[] {
  return DEMO_FAMILIES.flatMap((f) => [
    ...existing(f.window?.(plan, from, to) ?? [], tables),
    ...existing(f.mutations?.(plan, mutationsFrom, to) ?? [], tables),
  ]);
}

/** Last-seen stamps at `at`. */
export function refreshWrites(plan: DemoPlan, at: number, tables?: ReadonlySet<string>): PgWrite[] {
  return DEMO_FAMILIES.flatMap((f) => existing(f.refresh?.(plan, at) ?? [], tables));
}

/** Every ClickHouse stream of the estate. */
export function demoStreams(): ChStream[] {
  return DEMO_FAMILIES.flatMap((f) => [...(f.streams ?? [])]);
}

/** Minutes per sub-window of `stream` so one sub-window holds about `batchRows` rows. */
export function subWindowMinutes(plan: DemoPlan, stream: ChStream, batchRows: number): number {
  const perMinute = Math.max(1e-6, stream.rowsPerHour(plan) / 60);
  return Math.max(1, Math.min(24 * 60, Math.floor(batchRows / perMinute)));
}

/**
 * ClickHouse batches of [from, to) (minute-aligned), stream by stream and sub-window by
 * sub-window; a table's rows of one sub-window are split at `batchRows`.
 */
export function* clickhouseBatches(
  plan: DemoPlan,
  from: number,
  to: number,
  batchRows = DEFAULT_BATCH_ROWS,
  streams = demoStreams(),
): Generator<ChRowsBatch> {
  for (const stream of streams) {
    const step = subWindowMinutes(plan, stream, batchRows) * MINUTE;
    for (let a = from; a < to; a += step) {
      const b = Math.min(to, a + step);
      const batch = stream.generate(plan, a, b);
      for (const table of stream.tables) {
        const rows = batch[table] ?? [];
        for (let i = 0; i < rows.length; i += batchRows) {
          yield {
            stream: stream.name,
            table,
            rows: i === 0 && rows.length <= batchRows ? rows : rows.slice(i, i + batchRows),
          };
        }
      }
    }
  }
}

/** Estimated ClickHouse rows of [from, to), all streams. */
export function plannedClickHouseRows(
  plan: DemoPlan,
  from: number,
  to: number,
  streams = demoStreams(),
): number {
  const hours = (to - from) / HOUR;
  return Math.round(streams.reduce((n, s) => n + s.rowsPerHour(plan) * hours, 0));
}

/** Options of {@link collectDemoRows}. */
export interface CollectDemoRowsOptions {
  seed?: number;
  size?: DemoSize;
  /** The anchor (end of the first window); rounded down to the minute. */
  anchor: Date;
  organizationIds?: readonly string[];
  /** Window to generate; defaults to the size's history window ending at the anchor. */
  from?: Date;
  to?: Date;
  batchRows?: number;
}

/** What an estate holds for one window, in memory. */
export interface CollectedDemoRows {
  plan: DemoPlan;
  /** Inventory, periodic rows and mutations, in write order. */
  postgres: PgWrite[];
  /** ClickHouse rows by table. */
  clickhouse: Record<string, Row[]>;
}

/**
 * Generates a window of an estate in memory: the inventory (when the window starts at the
 * estate's first window), the periodic PostgreSQL rows and the ClickHouse rows. For tests,
 * benchmarks and previews; nothing is written.
 */
export function collectDemoRows(options: CollectDemoRowsOptions): CollectedDemoRows {
  const { label, spec } = resolveDemoSize(options.size ?? 'small');
  const anchor = alignDown(options.anchor.getTime(), MINUTE);
  const plan = buildDemoPlan({
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    sizeLabel: label,
    spec,
    anchor,
    ...(options.organizationIds === undefined ? {} : { organizationIds: options.organizationIds }),
  });
  const first = anchor - spec.historyHours * HOUR;
  const from = alignDown(options.from?.getTime() ?? first, MINUTE);
  const to = alignDown(options.to?.getTime() ?? anchor, MINUTE);
  const postgres = [...(from <= first ? inventoryWrites(plan) : []), ...windowWrites(plan, from, to)];
  const clickhouse: Record<string, Row[]> = {};
  for (const b of clickhouseBatches(plan, from, to, options.batchRows))
    (clickhouse[b.table] ??= []).push(...b.rows);
  return { plan, postgres, clickhouse };
}

/** Order-independent SHA-256 digest of rows (each row serialised with sorted keys). */
export function digestRows(rows: readonly Row[]): string {
  const lines = rows.map((r) =>
    JSON.stringify(
      Object.keys(r)
        .sort()
        .map((k) => [k, r[k]]),
    ),
  );
  lines.sort();
  const hash = createHash('sha256');
  for (const l of lines) hash.update(l).update('\n');
  return hash.digest('hex');
}
