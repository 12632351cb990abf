/**
 * The shapes shared by the demo estate's family modules and its runner.
 *
 * A family owns some PostgreSQL tables and some ClickHouse tables and describes them as:
 * - `inventory`: PostgreSQL rows describing the estate as it stands at the anchor, written
 *   once when the estate is created;
 * - `window`: PostgreSQL rows that happen over time (deployments, report runs, Kubernetes
 *   events), for the grid points of [from, to);
 * - `mutations`: changes scheduled after the anchor (an alert resolving, a rollback), for
 *   those whose time falls in [from, to);
 * - `refresh`: last-seen stamps set to the end of every run;
 * - `streams`: ClickHouse rows for [from, to).
 *
 * Invariant: every function is pure in (plan, window); the runner may split a window at any
 * minute boundary and get the same rows.
 */
import type { DemoPlan } from './plan.js';

/** One row: column name to value (JSON-serialisable). */
export type Row = Record<string, unknown>;

/** PostgreSQL rows for one table, inserted with `ON CONFLICT DO NOTHING`. */
export interface PgRows {
  kind: 'rows';
  table: string;
  rows: Row[];
}

/** A PostgreSQL statement with bound parameters (inserts that resolve references, updates). */
export interface PgStatement {
  kind: 'statement';
  /** Table the statement writes (for the report). */
  table: string;
  sql: string;
  params: unknown[];
}

/** A PostgreSQL write of a family. */
export type PgWrite = PgRows | PgStatement;

/** ClickHouse rows of one window, by table. */
export type ChBatch = Record<string, Row[]>;

/** A ClickHouse generator over time windows. */
export interface ChStream {
  /** Name for progress and logs. */
  name: string;
  /** Tables it fills. */
  tables: readonly string[];
  /** Rows per hour, all tables together (an estimate used to size batches and plan progress). */
  rowsPerHour(plan: DemoPlan): number;
  /** Rows with time in [from, to) (epoch ms, minute-aligned). */
  generate(plan: DemoPlan, from: number, to: number): ChBatch;
}

/** One family of the estate. */
export interface DemoFamily {
  name: string;
  /** PostgreSQL tables it writes. */
  pgTables: readonly string[];
  inventory?(plan: DemoPlan): PgWrite[];
  window?(plan: DemoPlan, from: number, to: number): PgWrite[];
  mutations?(plan: DemoPlan, from: number, to: number): PgWrite[];
  refresh?(plan: DemoPlan, at: number): PgWrite[];
  streams?: readonly ChStream[];
}

/** Shorthand for a {@link PgRows}. */
export function pgRows(table: string, rows: Row[]): PgRows {
  return { kind: 'rows', table, rows };
}

/** Shorthand for a {@link PgStatement}. */
export function pgStatement(table: string, sql: string, params: unknown[]): PgStatement {
  return { kind: 'statement', table, sql, params };
}

/** An empty batch with one array per table. */
export function emptyBatch(tables: readonly string[]): ChBatch {
  const batch: ChBatch = {};
  for (const t of tables) batch[t] = [];
  return batch;
}

/** The rows array of `table` in `batch` (created when missing). */
export function rowsOf(batch: ChBatch, table: string): Row[] {
  let rows = batch[table];
  if (rows === undefined) {
    rows = [];
    batch[table] = rows;
  }
  return rows;
}
