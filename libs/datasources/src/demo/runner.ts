/**
 * Seeds the demo estate into PostgreSQL and ClickHouse, then keeps it topped up.
 *
 * Behaviour:
 * - First run (no `demo_estate` row for the primary organization): writes the inventory
 *   (the estate as it stands at the anchor = `now` rounded down to the minute) and the
 *   history window [anchor - historyHours, anchor).
 * - Later runs with the same seed and size: write only [generated_until, now), capped at
 *   the history window, so a server started again days later has a fresh last hour; the
 *   same `now` twice writes nothing the second time.
 * - Another seed or size on an existing estate: nothing is written, the report says why.
 *   Nothing is ever deleted.
 *
 * Invariants:
 * - Generation is time-major (every stream for one hour, then the next hour) and cut into
 *   checkpoints of about `checkpointRows` ClickHouse rows (hour-aligned). After a
 *   checkpoint's ClickHouse rows are written, one PostgreSQL transaction writes its periodic
 *   rows and mutations and advances `generated_until`. A run that fails or is cancelled
 *   leaves the estate at its last checkpoint; rerunning after a failure regenerates at most
 *   one checkpoint of ClickHouse rows twice (ClickHouse has no transactions), never
 *   PostgreSQL rows (ON CONFLICT DO NOTHING).
 * - `signal` is honoured at the end of the current one-hour slice: the queue is drained and
 *   a checkpoint written there, then the run throws `DEMO.CANCELLED`; a later run resumes
 *   exactly at that checkpoint, so a cancellation never duplicates rows.
 * - A lease (`lease_until`, ten minutes, renewed at each checkpoint, taken under an
 *   advisory lock) keeps two processes from generating the same estate at once; the
 *   second one reports the estate as busy and writes nothing.
 * - Memory is bounded by `batchRows` per table (insert-queue.ts); up to `concurrency`
 *   inserts run while the next rows are generated.
 * - No clock inside the generator: `now` is read once here (default: the current time).
 */
import { DependencyError, LimitExceededError, noopLogger, type Logger } from '@tfo/domain';
import type { ClickHouseWriter } from '../clickhouse/clickhouse-writer.js';
import type { PostgresExecutor, PostgresWriter } from '../postgres/postgres-datasource.js';
import {
  DEFAULT_BATCH_ROWS,
  demoStreams,
  inventoryWrites,
  plannedClickHouseRows,
  refreshWrites,
  subWindowMinutes,
  windowWrites,
} from './generate.js';
import { InsertQueue } from './insert-queue.js';
import { DEMO_FAMILIES } from './families.js';
import type { ChStream, PgWrite } from './model.js';
import { writePostgres, type PgWriteCounts } from './pg-write.js';
import { buildDemoPlan, DEFAULT_DEMO_SEED, DEMO_ORGANIZATION_IDS, type DemoPlan } from './plan.js';
import { resolveDemoSize, sameSize, type DemoSize, type DemoSizeSpec } from './size.js';
import { alignDown, HOUR, MINUTE } from './time.js';

/** Version of the generator's output; recorded with the estate. */
export const DEMO_GENERATOR_VERSION = 1;

/** Advisory lock key of the estate bookkeeping ("tfodemo" in ASCII). */
const LOCK_KEY = 0x74666f64656d6fn;
const LEASE = "interval '10 minutes'";
/** Generation slices: every stream generates one slice before the next begins. */
const SLICE_MS = HOUR;
/** Default ClickHouse rows between two checkpoints. */
export const DEFAULT_CHECKPOINT_ROWS = 1_000_000;
const PROGRESS_EVERY = 100_000;

/** A progress report. */
export interface DemoProgress {
  /** `inventory` (PostgreSQL, first run), `history` (first window), `top-up`, `refresh`, `done`. */
  phase: 'inventory' | 'history' | 'top-up' | 'refresh' | 'done';
  /** Table being written. */
  table: string;
  rowsWritten: number;
  rowsPlanned: number;
}

/** Options of {@link seedDemoEstate}. */
export interface SeedDemoEstateOptions {
  postgres: PostgresWriter;
  /**
   * ClickHouse writer(s). Several writers on separate connections insert in parallel (an
   * embedded chdb connection runs one statement at a time).
   */
  clickhouse: ClickHouseWriter | readonly ClickHouseWriter[];
  /** Inserts running at once; default max(2, number of writers). */
  concurrency?: number;
  /** ClickHouse rows between two checkpoints (see the module header); default 1 000 000. */
  checkpointRows?: number;
  /** Seed; default {@link DEFAULT_DEMO_SEED}. */
  seed?: number;
  /** Size; default `standard`. */
  size?: DemoSize;
  /** End of the window to generate; default the current time. Rounded down to the minute. */
  now?: Date;
  /** Organization ids, primary first (tests use fresh ones); default {@link DEMO_ORGANIZATION_IDS}. */
  organizationIds?: readonly string[];
  /** Rows per ClickHouse insert; default 50 000 (larger batches amortise the per-insert cost of the rollups). */
  batchRows?: number;
  logger?: Logger;
  onProgress?: (progress: DemoProgress) => void;
  /** Cancels the run at the end of the current one-hour slice, after a checkpoint there. */
  signal?: AbortSignal;
}

/** What {@link seedDemoEstate} did. */
export interface DemoSeedReport {
  /** `created`, `topped-up`, `up-to-date` (nothing to add) or `skipped` (see `reason`). */
  action: 'created' | 'topped-up' | 'up-to-date' | 'skipped';
  reason?: string;
  seed: number;
  size: string;
  spec: DemoSizeSpec;
  organizationIds: string[];
  /** Anchor of the estate (end of its first window); null when skipped before one was known. */
  anchor: Date | null;
  /** Window generated by this run, or null. */
  window: { from: Date; to: Date } | null;
  /** How far the estate is generated after this run. */
  generatedUntil: Date | null;
  /** Rows inserted by table. */
  rows: { postgres: Record<string, number>; clickhouse: Record<string, number> };
  /** PostgreSQL rows updated by table (mutations and last-seen stamps). */
  updated: Record<string, number>;
  totalRows: number;
  durationMs: number;
  /** ClickHouse rows per second of this run (0 when none). */
  clickhouseRowsPerSecond: number;
  /** Tables the generator fills that this schema lacks (their rows were not generated). */
  skippedTables: string[];
}

interface EstateRow extends Record<string, unknown> {
  seed: string;
  size: string;
  size_spec: DemoSizeSpec;
  anchor: Date;
  generated_until: Date;
  leased: boolean;
  lease_until: Date | null;
}

type Claim =
  | { kind: 'skip'; reason: string; anchor: number | null; generatedUntil: number | null }
  | { kind: 'up-to-date'; anchor: number; generatedUntil: number }
  | { kind: 'run'; created: boolean; anchor: number; from: number; previous: number };

/** Seeds the demo estate, or tops it up; see the module header. */
export async function seedDemoEstate(options: SeedDemoEstateOptions): Promise<DemoSeedReport> {
  const started = performance.now();
  const logger = (options.logger ?? noopLogger).child({ component: 'demo-estate' });
  const { label, spec } = resolveDemoSize(options.size ?? 'standard');
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const orgIds = [...(options.organizationIds ?? DEMO_ORGANIZATION_IDS)].map((id) => id.toLowerCase());
  const to = alignDown((options.now ?? new Date()).getTime(), MINUTE);
  const batchRows = Math.max(1_000, Math.floor(options.batchRows ?? DEFAULT_BATCH_ROWS));
  const pgCounts: PgWriteCounts = { inserted: {}, updated: {} };
  const chCounts: Record<string, number> = {};
  // Validates seed and ids before anything is written (the anchor is replaced below when the estate exists).
  buildDemoPlan({ seed, sizeLabel: label, spec, anchor: to, organizationIds: orgIds });

  const pgTables = await postgresTables(options.postgres);
  for (const required of ['organizations', 'demo_estate']) {
    if (!pgTables.has(required)) {
      throw new DependencyError(
        `The demo estate needs the PostgreSQL table ${required}: run the migrations first`,
        {
          code: 'DEMO.SCHEMA_MISSING',
          details: { table: required },
        },
      );
    }
  }
  const chWriter = (Array.isArray(options.clickhouse) ? options.clickhouse[0] : options.clickhouse) as
    ClickHouseWriter | undefined;
  if (chWriter === undefined) {
    throw new DependencyError('seedDemoEstate needs at least one ClickHouse writer', {
      code: 'DEMO.NO_WRITER',
    });
  }
  const chTables = await clickhouseTables(chWriter);
  const streams = demoStreams()
    .map((s) => ({ ...s, tables: s.tables.filter((t) => chTables.has(t)) }))
    .filter((s) => s.tables.length > 0);
  const skippedTables = [
    ...new Set([
      ...DEMO_FAMILIES.flatMap((f) => f.pgTables.filter((t) => !pgTables.has(t)).map((t) => `postgres.${t}`)),
      ...demoStreams().flatMap((s) => s.tables.filter((t) => !chTables.has(t)).map((t) => `clickhouse.${t}`)),
    ]),
  ];

  const report = (
    action: DemoSeedReport['action'],
    extra: Partial<DemoSeedReport> & Pick<DemoSeedReport, 'anchor' | 'window' | 'generatedUntil'>,
  ): DemoSeedReport => {
    const chTotal = Object.values(chCounts).reduce((a, b) => a + b, 0);
    const pgTotal = Object.values(pgCounts.inserted).reduce((a, b) => a + b, 0);
    const durationMs = Math.round(performance.now() - started);
    return {
      action,
      seed,
      size: label,
      spec,
      organizationIds: orgIds,
      rows: { postgres: pgCounts.inserted, clickhouse: chCounts },
      updated: pgCounts.updated,
      totalRows: chTotal + pgTotal,
      durationMs,
      clickhouseRowsPerSecond: durationMs > 0 ? Math.round((chTotal * 1000) / durationMs) : 0,
      skippedTables,
      ...extra,
    };
  };

  let progressPhase: DemoProgress['phase'] = 'inventory';
  let rowsWritten = 0;
  let rowsPlanned = 0;
  let nextProgress = PROGRESS_EVERY;
  const progress = (table: string, force = false): void => {
    if (options.onProgress === undefined) return;
    if (!force && rowsWritten < nextProgress) return;
    nextProgress = (Math.floor(rowsWritten / PROGRESS_EVERY) + 1) * PROGRESS_EVERY;
    options.onProgress({
      phase: progressPhase,
      table,
      rowsWritten,
      rowsPlanned: Math.max(rowsPlanned, rowsWritten),
    });
  };
  const checkAbort = (): void => {
    if (options.signal?.aborted === true) {
      throw new LimitExceededError('Seeding the demo estate was cancelled; it stays at its last checkpoint', {
        code: 'DEMO.CANCELLED',
      });
    }
  };
  checkAbort();

  const primary = orgIds[0] as string;
  const claim = await options.postgres.transaction(async (tx): Promise<Claim> => {
    await tx.execute('SELECT pg_advisory_xact_lock($1::bigint)', [LOCK_KEY.toString()]);
    const found = await tx.execute<EstateRow>(
      `SELECT seed::text AS seed, size, size_spec, anchor, generated_until, lease_until,
              coalesce(lease_until > now(), false) AS leased
         FROM demo_estate WHERE organization_id = $1 FOR UPDATE`,
      [primary],
    );
    const row = found.rows[0];
    if (row !== undefined) {
      const anchor = new Date(row.anchor).getTime();
      const until = new Date(row.generated_until).getTime();
      if (Number(row.seed) !== seed || !sameSize(row.size_spec, spec)) {
        return {
          kind: 'skip',
          reason: `The estate exists with seed ${row.seed} and size ${row.size}; asked for seed ${seed} and size ${label}. Nothing was written (an estate is never regenerated or deleted).`,
          anchor,
          generatedUntil: until,
        };
      }
      if (row.leased) {
        return {
          kind: 'skip',
          reason: `Another generator is writing this estate (lease until ${new Date(row.lease_until ?? 0).toISOString()}).`,
          anchor,
          generatedUntil: until,
        };
      }
      const from = Math.max(until, to - spec.historyHours * HOUR);
      if (from >= to) return { kind: 'up-to-date', anchor, generatedUntil: until };
      await tx.execute(
        `UPDATE demo_estate SET lease_until = now() + ${LEASE}, updated_at = now() WHERE organization_id = $1`,
        [primary],
      );
      return { kind: 'run', created: false, anchor, from, previous: until };
    }
    const taken = await tx.execute<{ id: string }>(
      'SELECT id::text AS id FROM organizations WHERE id = ANY($1::uuid[])',
      [orgIds],
    );
    if (taken.rows.length > 0) {
      return {
        kind: 'skip',
        reason: `Organization ${taken.rows.map((r) => r.id).join(', ')} exists without a demo estate record; the demo estate is not written over it.`,
        anchor: null,
        generatedUntil: null,
      };
    }
    const plan = buildDemoPlan({ seed, sizeLabel: label, spec, anchor: to, organizationIds: orgIds });
    const writes = inventoryWrites(plan, pgTables);
    rowsPlanned = writes.reduce((n, w) => n + (w.kind === 'rows' ? w.rows.length : 1), 0);
    progress('organizations', true);
    await writeWithProgress(tx, writes, pgCounts, (table, n) => {
      rowsWritten += n;
      progress(table);
    });
    const from = to - spec.historyHours * HOUR;
    await tx.execute(
      `INSERT INTO demo_estate (organization_id, organization_ids, seed, size, size_spec, generator_version, anchor, generated_until, lease_until)
       VALUES ($1, $2::uuid[], $3, $4, $5::jsonb, $6, $7, $8, now() + ${LEASE})`,
      [
        primary,
        orgIds,
        seed,
        label,
        JSON.stringify(spec),
        DEMO_GENERATOR_VERSION,
        new Date(to).toISOString(),
        new Date(from).toISOString(),
      ],
    );
    return { kind: 'run', created: true, anchor: to, from, previous: from };
  });

  if (claim.kind === 'skip') {
    logger.warn({ reason: claim.reason }, 'demo estate not generated');
    return report('skipped', {
      reason: claim.reason,
      anchor: claim.anchor === null ? null : new Date(claim.anchor),
      window: null,
      generatedUntil: claim.generatedUntil === null ? null : new Date(claim.generatedUntil),
    });
  }
  if (claim.kind === 'up-to-date') {
    progressPhase = 'done';
    progress('demo_estate', true);
    return report('up-to-date', {
      anchor: new Date(claim.anchor),
      window: null,
      generatedUntil: new Date(claim.generatedUntil),
    });
  }

  const plan = buildDemoPlan({ seed, sizeLabel: label, spec, anchor: claim.anchor, organizationIds: orgIds });
  progressPhase = claim.created ? 'history' : 'top-up';
  rowsPlanned += plannedClickHouseRows(plan, claim.from, to, streams);
  progress('metrics', true);
  logger.info(
    {
      seed,
      size: label,
      from: new Date(claim.from).toISOString(),
      to: new Date(to).toISOString(),
      created: claim.created,
    },
    claim.created ? 'generating the demo estate' : 'topping up the demo estate',
  );
  let generatedUntil = claim.from;
  try {
    generatedUntil = await generateWindow(
      options,
      plan,
      streams,
      claim,
      to,
      batchRows,
      pgTables,
      pgCounts,
      chCounts,
      {
        checkAbort,
        written: (table, n) => {
          rowsWritten += n;
          progress(table);
        },
      },
    );
    progressPhase = 'refresh';
    progress('agents', true);
    await options.postgres.transaction(async (tx) => {
      await writePostgres(tx, refreshWrites(plan, to, pgTables), pgCounts);
      await tx.execute(
        'UPDATE demo_estate SET lease_until = NULL, updated_at = now() WHERE organization_id = $1',
        [primary],
      );
    });
  } catch (error) {
    await options.postgres
      .execute('UPDATE demo_estate SET lease_until = NULL WHERE organization_id = $1', [primary])
      .catch((e: unknown) => logger.warn({ err: e }, 'could not release the demo estate lease'));
    throw error;
  }
  progressPhase = 'done';
  progress('demo_estate', true);
  const result = report(claim.created ? 'created' : 'topped-up', {
    anchor: new Date(claim.anchor),
    window: { from: new Date(claim.from), to: new Date(to) },
    generatedUntil: new Date(generatedUntil),
  });
  logger.info(
    { action: result.action, totalRows: result.totalRows, durationMs: result.durationMs },
    'demo estate written',
  );
  return result;
}

async function writeWithProgress(
  tx: PostgresExecutor,
  writes: readonly PgWrite[],
  counts: PgWriteCounts,
  written: (table: string, n: number) => void,
): Promise<void> {
  for (const w of writes) {
    const before = counts.inserted[w.table] ?? 0;
    await writePostgres(tx, [w], counts);
    written(w.table, (counts.inserted[w.table] ?? 0) - before);
  }
}

async function generateWindow(
  options: SeedDemoEstateOptions,
  plan: DemoPlan,
  streams: ChStream[],
  claim: { anchor: number; from: number; previous: number },
  to: number,
  batchRows: number,
  pgTables: ReadonlySet<string>,
  pgCounts: PgWriteCounts,
  chCounts: Record<string, number>,
  hooks: { checkAbort: () => void; written: (table: string, n: number) => void },
): Promise<number> {
  const primary = plan.orgs[0]?.id as string;
  const writers = Array.isArray(options.clickhouse)
    ? options.clickhouse
    : [options.clickhouse as ClickHouseWriter];
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? Math.max(2, writers.length)));
  const queue = new InsertQueue(writers, batchRows, concurrency, (table, n) => {
    chCounts[table] = (chCounts[table] ?? 0) + n;
    hooks.written(table, n);
  });
  const checkpointRows = Math.max(batchRows, options.checkpointRows ?? DEFAULT_CHECKPOINT_ROWS);
  const steps = streams.map((s) => subWindowMinutes(plan, s, batchRows) * MINUTE);
  let mutationsFrom = claim.previous;
  let checkpointStart = claim.from;
  let sinceCheckpoint = 0;
  let until = claim.from;
  try {
    // Time-major: every stream for one slice, then the next slice; a checkpoint whenever
    // enough rows were generated since the last one, and at the end.
    for (let a = claim.from; a < to;) {
      const b = Math.min(to, alignDown(a, SLICE_MS) + SLICE_MS);
      for (let i = 0; i < streams.length; i++) {
        const stream = streams[i] as ChStream;
        const step = steps[i] as number;
        for (let x = a; x < b; x += step) {
          const batch = stream.generate(plan, x, Math.min(b, x + step));
          for (const table of stream.tables) {
            const rows = batch[table];
            if (rows === undefined || rows.length === 0) continue;
            sinceCheckpoint += rows.length;
            await queue.add(table, rows);
          }
        }
      }
      a = b;
      // A cancellation ends the run at the end of this slice, with a checkpoint, so the
      // estate resumes exactly there (no ClickHouse row is written twice).
      const cancelled = options.signal?.aborted === true;
      if (!cancelled && sinceCheckpoint < checkpointRows && b < to) continue;
      await queue.drain();
      const writes = windowWrites(
        plan,
        checkpointStart,
        b,
        Math.min(mutationsFrom, checkpointStart),
        pgTables,
      );
      await options.postgres.transaction(async (tx) => {
        await writeWithProgress(tx, writes, pgCounts, hooks.written);
        await tx.execute(
          `UPDATE demo_estate SET generated_until = $2, lease_until = now() + ${LEASE}, updated_at = now() WHERE organization_id = $1`,
          [primary, new Date(b).toISOString()],
        );
      });
      mutationsFrom = b;
      checkpointStart = b;
      sinceCheckpoint = 0;
      until = b;
      if (cancelled) hooks.checkAbort();
    }
  } finally {
    // Never leave an insert running unobserved, even when generation fails or is cancelled.
    await queue.settle();
  }
  return until;
}

async function postgresTables(writer: PostgresWriter): Promise<Set<string>> {
  const rows = await writer.execute<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  return new Set(rows.rows.map((r) => r.name));
}

async function clickhouseTables(writer: ClickHouseWriter): Promise<Set<string>> {
  const rows = await writer.select<{ name: string }>(
    'SELECT name FROM system.tables WHERE database = currentDatabase()',
  );
  return new Set(rows.map((r) => r.name));
}
