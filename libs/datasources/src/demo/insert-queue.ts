/**
 * Buffered, concurrent ClickHouse inserts for the demo estate.
 *
 * Every insert into a table with rollups pays a fixed cost per materialized view (measured
 * on chdb: about 50 ms for a table with six grains, whatever the row count), so rows are
 * buffered per table and written `batchRows` at a time; small tables are written once per
 * checkpoint. Up to `concurrency` inserts run at once, spread over the given writers (each
 * embedded chdb connection runs one statement at a time; two connections use two cores).
 *
 * Invariants: after {@link InsertQueue.drain} resolves, every row handed to
 * {@link InsertQueue.add} is written; the first failure is rethrown by the next `add` or
 * `drain`, after the inserts already running have settled (none is left unobserved).
 */
import type { ClickHouseWriter } from '../clickhouse/clickhouse-writer.js';
import type { Row } from './model.js';

/** Buffers rows per table and writes them in batches, `concurrency` at a time. */
export class InsertQueue {
  private readonly buffers = new Map<string, Row[]>();
  private readonly slots: (Promise<void> | undefined)[];
  private failure: unknown;
  private failed = false;

  /** `onWritten(table, rows)` is called after each successful insert. */
  constructor(
    private readonly writers: readonly ClickHouseWriter[],
    private readonly batchRows: number,
    concurrency: number,
    private readonly onWritten: (table: string, rows: number) => void,
  ) {
    this.slots = new Array<Promise<void> | undefined>(Math.max(1, concurrency)).fill(undefined);
  }

  /** Buffers `rows` for `table`; writes full batches. */
  async add(table: string, rows: readonly Row[]): Promise<void> {
    this.rethrow();
    let buffer = this.buffers.get(table);
    if (buffer === undefined) {
      buffer = [];
      this.buffers.set(table, buffer);
    }
    for (const row of rows) buffer.push(row);
    while (buffer.length >= this.batchRows) {
      const batch = buffer.splice(0, this.batchRows);
      await this.start(table, batch);
    }
  }

  /** Writes every buffered row and waits for every running insert. */
  async drain(): Promise<void> {
    for (const [table, buffer] of this.buffers) {
      if (buffer.length === 0) continue;
      const batch = buffer.splice(0, buffer.length);
      await this.start(table, batch);
    }
    await this.settle();
    this.rethrow();
  }

  /** Waits for the running inserts without writing buffered rows (after a failure or a cancellation). */
  async settle(): Promise<void> {
    await Promise.all(this.slots.map((p) => p ?? Promise.resolve()));
  }

  private rethrow(): void {
    if (this.failed) throw this.failure;
  }

  private async start(table: string, rows: Row[]): Promise<void> {
    let slot = this.slots.findIndex((p) => p === undefined);
    while (slot < 0) {
      await Promise.race(this.slots);
      slot = this.slots.findIndex((p) => p === undefined);
    }
    this.rethrow();
    const writer = this.writers[slot % this.writers.length] as ClickHouseWriter;
    const run = writer.insert(table, rows).then(
      () => {
        this.slots[slot] = undefined;
        this.onWritten(table, rows.length);
      },
      (error: unknown) => {
        this.slots[slot] = undefined;
        if (!this.failed) {
          this.failed = true;
          this.failure = error;
        }
      },
    );
    this.slots[slot] = run;
  }
}
