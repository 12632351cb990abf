#!/usr/bin/env node
// Benchmark: what `ContextCollector.collectContext` costs per context type on demo estates of
// growing size, and how large the context prompt of each type is.
//
//   node tools/bench/collect-context.mjs [--sizes small,standard,large,metrics-1m,metrics-20m]
//        [--reps 5] [--warmup 1] [--seed 1] [--anchor 2026-11-21T09:00:00Z]
//        [--ingest-probe 0] [--settle 60] [--json]
//
// Sizes: the demo's presets (`small`, `standard`, `large`) and two denser estates on
// `standard`'s 72 hours, which differ from it only in the raw `metrics` table (the demo's
// `metricInstances`: every Kubernetes service reports per pod, VM and managed services per
// node; the rollups stay per service):
//
//   metrics-1m    2 instances, 60 s interval: about 1.3 M raw metric rows
//   metrics-20m   6 instances, 10 s interval: about 21.2 M raw metric rows
//
// Each size runs in a child process of its own on a fresh data directory (chdb binds one
// data directory per process). The child opens embedded PostgreSQL and ClickHouse, writes the
// demo estate with `seedDemoEstate` (anchor = the run's anchor), counts the raw `metrics` rows,
// then measures, with the built libraries and no server:
//
//   types     `collectContext({ organizationId: DEMO_ORGANIZATION_ID, contextType, timeRange })`
//             for all 138 context types on the last hour of the estate (1 min grain), and for a
//             subset on the last 24 hours (5 min grain), with the collector's defaults (5 s
//             deadline); the collector's clock is the anchor
//   floor     `SELECT 1` through the same read-only ClickHouse and PostgreSQL datasources: one
//             round trip, the least any collection that reads that engine can cost
//
// Warm-up rounds (default 1) run every item once through a collector whose datasources count
// the queries per engine; their answers give each type's [SYSTEM] status and its prompt size
// (`new PromptBuilder().renderContext(context)`, default 6,000-token budget, and once more with
// no practical budget for the uncut size). Then the measured rounds (default 5): every round
// runs every item once, in a fresh shuffled order (seeded), so drift lands on all types; the
// floors are 20 items per engine per round, scattered among the types. A type's floor is the
// larger floor of the engines it reads (its queries run in parallel).
//
// After seeding, the child waits up to --settle seconds (default 60) for ClickHouse's
// background merges to finish, and records the active parts and rows of `metrics` and its
// rollups before and after the measured rounds: a freshly loaded table has many parts, and the
// rows a rollup query reads are the rows of its unmerged parts.
//
// --ingest-probe <rows> (default 0: off) measures what the rollups cost at insert time, on the
// fresh data directory before seeding: <rows> raw metric rows of the size's newest hours, in
// 50,000-row inserts, alternately into `metrics` (six materialized views feed its rollups)
// and into a copy of it without views; then the copy is dropped and `metrics` and its rollups
// truncated, so the estate is seeded into empty tables as without the probe.
//
// `small` (default) takes about a minute; `standard` about 35 s more to seed and 1.3 GB of
// memory; `metrics-1m` a little more than `standard`; `metrics-20m` about 8 minutes (7 of
// them seeding); `large` (about 41 M ClickHouse rows) many minutes. Every size but `small`
// runs only when named.
// Progress goes to stderr; stdout is a markdown section (or, with --json, the results); the
// numbers go to results/collect-context.json, which keeps one entry per size.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { fmt, markdownTable, median, percentile, summarize } from './lib/stats.mjs';
import { diskUsage, needsPostgresSystemUser, stopLeftPostgres } from './lib/engines.mjs';
import {
  REPO_ROOT,
  RESULTS_DIR,
  engineDataDir,
  machineInfo,
  machineMarkdown,
  positiveInt,
  requireBuilt,
  sandbox,
  withoutNewExitListeners,
  writeResults,
} from './lib/common.mjs';

const SCRIPT = fileURLToPath(import.meta.url);
const dist = (lib) => join(REPO_ROOT, 'libs', lib, 'dist', 'index.js');
const LIBS = {
  datasources: dist('datasources'),
  collector: dist('context-collector'),
  prompts: dist('prompt-builder'),
  domain: dist('domain'),
};
/** The denser estates: a preset and what differs from it (see the header). */
const DENSE = {
  'metrics-1m': { base: 'standard', metricInstances: 2 },
  'metrics-20m': { base: 'standard', metricIntervalSeconds: 10, metricInstances: 6 },
};
const SIZES = ['small', 'standard', 'large', ...Object.keys(DENSE)];
/** The raw `metrics` table and its six rollups (one per grain of the ClickHouse schema). */
const METRIC_TABLES = [
  'metrics',
  'metrics_1m',
  'metrics_5m',
  'metrics_15m',
  'metrics_1h',
  'metrics_6h',
  'metrics_1d',
];
/** Seeding progress goes to stderr every this many rows. */
const SEED_LOG_EVERY = 2_000_000;
/** Rows per insert of the ingest probe (the demo's default batch). */
const PROBE_BATCH = 50_000;
/** Query budgets of a server with the default configuration (sql.* keys). */
const BUDGETS = { timeoutMs: 10_000, maxRows: 1_000, maxBytes: 1_048_576 };
/** A child that has not reported after this long is stopped. */
const CHILD_TIMEOUT_MS = {
  small: 600_000,
  standard: 1_200_000,
  large: 7_200_000,
  'metrics-1m': 1_200_000,
  'metrics-20m': 3_600_000,
};
/** Types also measured on a 24-hour window, where the collector reads the 5-minute grain. */
const DAY_SUBSET = ['metrics', 'logs', 'traces', 'latency', 'errors', 'kubernetes-pods', 'service-map'];
/** `SELECT 1` items per engine per round. */
const FLOOR_PER_ROUND = 20;
const HOUR = 3_600_000;
const WINDOWS = { '1h': HOUR, '24h': 24 * HOUR };

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string' },
    reps: { type: 'string' },
    warmup: { type: 'string' },
    seed: { type: 'string' },
    anchor: { type: 'string' },
    'ingest-probe': { type: 'string' },
    settle: { type: 'string' },
    json: { type: 'boolean', default: false },
    // Internal: measure one size and write its JSON to --out.
    child: { type: 'string' },
    'data-dir': { type: 'string' },
    out: { type: 'string' },
  },
});

const SIZE_LIST = (opts.sizes ?? process.env.BENCH_CONTEXT_SIZES ?? 'small')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const size of SIZE_LIST) {
  if (!SIZES.includes(size)) {
    console.error(`--sizes takes a list of ${SIZES.join(', ')}, got ${JSON.stringify(size)}`);
    process.exit(2);
  }
}
const REPS = positiveInt('reps', 5, opts.reps, process.env.BENCH_REPS);
const WARMUP = positiveInt('warmup', 1, opts.warmup, process.env.BENCH_WARMUP);
const SEED = positiveInt('seed', 1, opts.seed, process.env.BENCH_DEMO_SEED);
const PROBE_ROWS = opts['ingest-probe'] === '0' ? 0 : positiveInt('ingest-probe', 0, opts['ingest-probe']);
const SETTLE_S = opts.settle === '0' ? 0 : positiveInt('settle', 60, opts.settle);
// The end of the estate and of every window: the current minute unless --anchor says otherwise
// (the raw tables expire rows after 14 days).
const ANCHOR = new Date(opts.anchor ?? Math.floor(Date.now() / 60_000) * 60_000);
if (Number.isNaN(ANCHOR.getTime())) {
  console.error(`--anchor must be a date, got ${JSON.stringify(opts.anchor)}`);
  process.exit(2);
}

const log = (...parts) => console.error('[bench:context]', ...parts);
const mib = (kib) => kib / 1024;
const round3 = (x) => Math.round(x * 1000) / 1000;

for (const main of Object.values(LIBS)) requireBuilt(main);

if (opts.child !== undefined) {
  const result = await measureSize(opts.child, resolve(opts['data-dir']));
  writeFileSync(
    resolve(opts.out),
    JSON.stringify({ ...result, peakRssMiB: mib(process.resourceUsage().maxRSS) }),
  );
  process.exit(0);
}

// ---- one size, in a child process -----------------------------------------------------------

/** A deterministic PRNG (mulberry32), so a run's orders can be reproduced from its seed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled(items, random) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A datasource that counts the queries it passes on (the collector only calls `query`). */
function counting(datasource, counter, engine) {
  return {
    query: (sql, options) => {
      counter.current[engine] += 1;
      return datasource.query(sql, options);
    },
  };
}

/** `[SYSTEM]` kind of a context: `data`, `no-data` or `unavailable`. */
function systemKind(domain, context) {
  if (!domain.isSystemContext(context)) return 'data';
  return context.summary.startsWith('[SYSTEM] No data found') ? 'no-data' : 'unavailable';
}

/** What `seedDemoEstate` is given for a size: a preset's name, or a preset with the changes of a dense size. */
function sizeOf(ds, size) {
  const dense = DENSE[size];
  if (dense === undefined) return size;
  const { base, ...changes } = dense;
  return { ...ds.DEMO_SIZES[base], ...changes };
}

/** Active parts and their rows of `metrics` and its rollups, and the merges running. */
async function metricParts(writer) {
  const list = METRIC_TABLES.map((t) => `'${t}'`).join(', ');
  const rows = await writer.select(
    `SELECT table, count() AS parts, sum(rows) AS rows FROM system.parts
      WHERE database = currentDatabase() AND active AND table IN (${list}) GROUP BY table`,
  );
  const merges = await writer.select(
    `SELECT count() AS n FROM system.merges WHERE database = currentDatabase()`,
  );
  const byTable = Object.fromEntries(
    rows.map((r) => [r.table, { parts: Number(r.parts), rows: Number(r.rows) }]),
  );
  return { tables: byTable, merges: Number(merges[0]?.n ?? 0) };
}

/** Waits up to SETTLE_S seconds for the background merges to finish; says how long it waited. */
async function settleMerges(writer, size) {
  const started = performance.now();
  const deadline = started + SETTLE_S * 1000;
  let merges = 0;
  for (;;) {
    const rows = await writer.select(
      `SELECT count() AS n FROM system.merges WHERE database = currentDatabase()`,
    );
    merges = Number(rows[0]?.n ?? 0);
    if (merges === 0 || performance.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const waitedMs = performance.now() - started;
  if (merges > 0)
    log(`${size}: ${merges} merge(s) still running after ${fmt(waitedMs / 1000, 0)} s; measuring anyway`);
  return { waitedMs, mergesLeft: merges };
}

/**
 * The ingest probe (see the header): PROBE_ROWS raw metric rows of the size's newest hours, inserted
 * alternately into `metrics` (with its six views) and into a copy without views; afterwards
 * the copy is dropped and `metrics` and its rollups are emptied again.
 */
async function ingestProbe(ds, writer, demoSize, size) {
  const hourMs = 3_600_000;
  const rows = [];
  for (let back = 1; rows.length < PROBE_ROWS && back <= 72; back++) {
    const window = ds.collectDemoRows({
      size: demoSize,
      seed: SEED,
      anchor: ANCHOR,
      from: new Date(ANCHOR.getTime() - back * hourMs),
      to: new Date(ANCHOR.getTime() - (back - 1) * hourMs),
    });
    for (const row of window.clickhouse.metrics ?? []) rows.push(row);
  }
  rows.length = Math.min(rows.length, PROBE_ROWS);
  await writer.execute('CREATE TABLE metrics_probe AS metrics');
  const timings = { withViews: [], withoutViews: [] };
  try {
    for (let i = 0; i < rows.length; i += PROBE_BATCH) {
      const batch = rows.slice(i, i + PROBE_BATCH);
      const order = (i / PROBE_BATCH) % 2 === 0 ? ['metrics', 'metrics_probe'] : ['metrics_probe', 'metrics'];
      for (const table of order) {
        const started = performance.now();
        await writer.insert(table, batch);
        timings[table === 'metrics' ? 'withViews' : 'withoutViews'].push(performance.now() - started);
      }
    }
  } finally {
    await writer.execute('DROP TABLE IF EXISTS metrics_probe');
    for (const table of METRIC_TABLES) await writer.execute(`TRUNCATE TABLE ${table}`);
  }
  const total = (xs) => xs.reduce((a, b) => a + b, 0);
  const result = {
    rows: rows.length,
    inserts: timings.withViews.length,
    withViewsMs: total(timings.withViews),
    withoutViewsMs: total(timings.withoutViews),
  };
  result.withViewsRowsPerSecond = (rows.length * 1000) / result.withViewsMs;
  result.withoutViewsRowsPerSecond = (rows.length * 1000) / result.withoutViewsMs;
  result.viewsShare = 1 - result.withoutViewsMs / result.withViewsMs;
  log(
    `${size}: ingest probe ${rows.length} rows: with views ${fmt(result.withViewsRowsPerSecond, 0)} rows/s, ` +
      `without ${fmt(result.withoutViewsRowsPerSecond, 0)} rows/s (views ${(result.viewsShare * 100).toFixed(0)}% of the insert time)`,
  );
  return result;
}

async function measureSize(size, dataDir) {
  const [ds, cc, pb, domain] = await Promise.all(Object.values(LIBS).map((main) => import(main)));
  const openStarted = performance.now();
  const [pg, ch] = await Promise.all([
    withoutNewExitListeners(() =>
      ds.openPostgres({ dataDir, budgets: BUDGETS, createSystemUser: needsPostgresSystemUser() }),
    ),
    ds.openClickHouse({ dataDir, budgets: BUDGETS }),
  ]);
  try {
    const openMs = performance.now() - openStarted;
    const demoSize = sizeOf(ds, size);
    const probe = PROBE_ROWS > 0 ? await ingestProbe(ds, ch.writer, demoSize, size) : null;
    const seedStarted = performance.now();
    let nextLog = SEED_LOG_EVERY;
    const report = await ds.seedDemoEstate({
      postgres: pg.writer,
      clickhouse: ch.writer,
      size: demoSize,
      seed: SEED,
      now: ANCHOR,
      onProgress: ({ rowsWritten, rowsPlanned }) => {
        if (rowsWritten < nextLog) return;
        nextLog = (Math.floor(rowsWritten / SEED_LOG_EVERY) + 1) * SEED_LOG_EVERY;
        const s = (performance.now() - seedStarted) / 1000;
        log(
          `${size}: seeding, ${fmt(rowsWritten / 1e6, 1)} of ${fmt(rowsPlanned / 1e6, 1)} M rows after ${fmt(s, 0)} s ` +
            `(${fmt(rowsWritten / s, 0)} rows/s; 1-min load ${loadavg()[0].toFixed(2)})`,
        );
      },
    });
    log(`${size}: seeded ${report.totalRows} rows in ${fmt(report.durationMs / 1000, 1)} s`);
    const counts = {};
    for (const table of ['metrics', 'metrics_1m', 'metrics_5m', 'metrics_1h']) {
      try {
        const rows = await ch.writer.select(`SELECT count() AS n FROM ${table}`);
        counts[table] = Number(rows[0]?.n ?? Number.NaN);
      } catch (error) {
        counts[table] = `unreadable: ${error.message}`;
      }
    }
    const settle = await settleMerges(ch.writer, size);
    const partsBefore = await metricParts(ch.writer);

    const to = ANCHOR.getTime();
    const clock = { now: () => new Date(to) };
    const counter = { current: { postgres: 0, clickhouse: 0 } };
    const plain = new cc.ContextCollector({ postgres: pg.datasource, clickhouse: ch.datasource, clock });
    const counted = new cc.ContextCollector({
      postgres: counting(pg.datasource, counter, 'postgres'),
      clickhouse: counting(ch.datasource, counter, 'clickhouse'),
      clock,
    });
    const prompts = new pb.PromptBuilder();

    const collections = [
      ...domain.CONTEXT_TYPES.map((type) => ({ key: `${type}@1h`, type, window: '1h' })),
      ...DAY_SUBSET.map((type) => ({ key: `${type}@24h`, type, window: '24h' })),
    ];
    const floors = { postgres: [], clickhouse: [] };
    const items = [
      ...collections.map((c) => ({ kind: 'collect', ...c })),
      ...Array.from({ length: FLOOR_PER_ROUND }, () => [
        { kind: 'floor', engine: 'postgres' },
        { kind: 'floor', engine: 'clickhouse' },
      ]).flat(),
    ];
    const byKey = new Map(
      collections.map((c) => [c.key, { ...c, samples: [], warmupMs: [], unavailableCalls: 0 }]),
    );
    const floorSource = { postgres: pg.datasource, clickhouse: ch.datasource };

    const runItem = async (item, collector) => {
      if (item.kind === 'floor') {
        const started = performance.now();
        await floorSource[item.engine].query('SELECT 1 AS one');
        return { ms: performance.now() - started };
      }
      const request = {
        organizationId: domain.DEMO_ORGANIZATION_ID,
        contextType: item.type,
        timeRange: { from: new Date(to - WINDOWS[item.window]), to: new Date(to) },
      };
      const started = performance.now();
      const context = await collector.collectContext(request);
      return { ms: performance.now() - started, context };
    };

    const random = prng(SEED * 7919 + SIZES.indexOf(size));
    const measureStarted = performance.now();
    for (let round = 0; round < WARMUP; round++) {
      for (const item of shuffled(items, random)) {
        if (item.kind === 'floor') {
          await runItem(item, counted);
          continue;
        }
        counter.current = { postgres: 0, clickhouse: 0 };
        const { ms, context } = await runItem(item, counted);
        const entry = byKey.get(item.key);
        entry.warmupMs.push(ms);
        if (entry.context === undefined) {
          entry.context = context;
          entry.queries = { ...counter.current };
        }
      }
    }
    for (let round = 0; round < REPS; round++) {
      for (const item of shuffled(items, random)) {
        const { ms, context } = await runItem(item, plain);
        if (item.kind === 'floor') {
          floors[item.engine].push(ms);
          continue;
        }
        const entry = byKey.get(item.key);
        entry.samples.push(ms);
        if (systemKind(domain, context) === 'unavailable') entry.unavailableCalls += 1;
      }
      log(`${size}: round ${round + 1}/${REPS} done`);
    }
    const measureMs = performance.now() - measureStarted;
    const partsAfter = await metricParts(ch.writer);

    const floor = { postgres: summarize(floors.postgres), clickhouse: summarize(floors.clickhouse) };
    const types = [...byKey.values()].map((entry) => {
      const stats = summarize(entry.samples);
      const kind = systemKind(domain, entry.context);
      const rendered = prompts.renderContext(entry.context);
      const uncut = prompts.renderContext(entry.context, { maxTokens: 2_000_000 });
      const engines = Object.keys(entry.queries).filter((e) => entry.queries[e] > 0);
      const floorMs = Math.max(0, ...engines.map((e) => floor[e].median));
      return {
        key: entry.key,
        type: entry.type,
        window: entry.window,
        median: stats.median,
        p95: stats.p95,
        min: stats.min,
        max: stats.max,
        samples: entry.samples.map(round3),
        warmupMs: entry.warmupMs.map(round3),
        queries: entry.queries,
        floorMs,
        medianOverFloor: floorMs > 0 ? stats.median / floorMs : null,
        system: kind,
        partial: Array.isArray(entry.context.data?.missingSources),
        ...(kind === 'unavailable' ? { reason: entry.context.summary.slice(0, 240) } : {}),
        unavailableCalls: entry.unavailableCalls,
        prompt: {
          estimatedTokens: rendered.estimatedTokens,
          shortened: rendered.shortened,
          omissions: rendered.omissions.length,
          uncutTokens: uncut.estimatedTokens,
        },
      };
    });
    return {
      size,
      openMs,
      seed: {
        durationMs: report.durationMs,
        totalRows: report.totalRows,
        clickhouseRows: Object.values(report.rows.clickhouse).reduce((a, b) => a + b, 0),
        spec: report.spec,
        label: report.size,
        rowsPerSecond: (report.totalRows * 1000) / report.durationMs,
        clickhouseRowsPerSecond: report.clickhouseRowsPerSecond,
        clickhouseByTable: report.rows.clickhouse,
        anchor: report.anchor,
      },
      counts,
      probe,
      settle,
      parts: { before: partsBefore, after: partsAfter },
      measureMs,
      floor,
      types,
    };
  } finally {
    await ch.close();
    await pg.close();
  }
}

// ---- the parent: one child per size, summary, report ------------------------------------------

function runSize(box, size) {
  const dataDir = engineDataDir(box, `data-${size}`);
  const out = join(box.cwd, `${size}.json`);
  const args = [SCRIPT, '--child', size, '--data-dir', dataDir, '--out', out];
  args.push('--reps', String(REPS), '--warmup', String(WARMUP), '--seed', String(SEED));
  args.push('--anchor', ANCHOR.toISOString());
  args.push('--ingest-probe', String(PROBE_ROWS), '--settle', String(SETTLE_S));
  const started = performance.now();
  // stdin is /dev/null: nothing for a child to read (embedded chdb reads a piped stdin).
  const child = spawn(process.execPath, args, {
    cwd: box.cwd,
    env: box.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderrTail = '';
  child.stderr.on('data', (chunk) => {
    const text = chunk.toString();
    process.stderr.write(text);
    stderrTail = (stderrTail + text).slice(-4000);
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      log(`${size}: no report after ${CHILD_TIMEOUT_MS[size] / 1000} s; stopping it`);
      child.kill('SIGTERM');
    }, CHILD_TIMEOUT_MS[size]);
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const diskMiB = diskUsage(dataDir) / 2 ** 20;
      const postgresLeftRunning = await stopLeftPostgres(dataDir, log);
      rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0 || !existsSync(out)) {
        reject(new Error(`${size}: child exited with ${signal ?? code}\n${stderrTail.trim()}`));
        return;
      }
      const report = JSON.parse(readFileSync(out, 'utf8'));
      rmSync(out, { force: true });
      resolvePromise({ ...report, diskMiB, postgresLeftRunning, childWallMs: wallMs });
    });
  });
}

/** Upper bounds (ms) of the latency classes of the per-type distribution; the last is open. */
const LATENCY_CLASSES = [5, 10, 20, 40, 80];
/** Upper bounds (estimated tokens) of the prompt size classes; the default budget is 6,000. */
const TOKEN_CLASSES = [500, 1_500, 3_000, 6_000];

/** How many of `values` fall below each bound, between bounds, and above the last. */
function classify(values, bounds) {
  const counts = new Array(bounds.length + 1).fill(0);
  for (const v of values) {
    const i = bounds.findIndex((b) => v < b);
    counts[i < 0 ? bounds.length : i] += 1;
  }
  return counts;
}

/** Column titles of `classify`'s counts: `< 5`, `5–10`, …, `≥ 80`. */
function classTitles(bounds, unit) {
  return [
    `< ${int(bounds[0])}${unit}`,
    ...bounds.slice(1).map((b, i) => `${int(bounds[i])}–${int(b)}${unit}`),
    `≥ ${int(bounds[bounds.length - 1])}${unit}`,
  ];
}

/** The figures of one size that the report and the comparison read. */
function summarizeSize(r) {
  const hour = r.types.filter((t) => t.window === '1h');
  const pooled = summarize(hour.flatMap((t) => t.samples));
  const medians = hour.map((t) => t.median);
  const overFloor = hour.map((t) => t.medianOverFloor).filter((x) => x !== null);
  const tokens = hour.map((t) => t.prompt.estimatedTokens);
  const count = (kind) => hour.filter((t) => t.system === kind).length;
  return {
    types: hour.length,
    pooled: { median: pooled.median, p95: pooled.p95, max: pooled.max, n: pooled.n },
    perTypeMedian: {
      median: median(medians),
      p95: percentile(medians, 95),
      min: Math.min(...medians),
      max: Math.max(...medians),
      classes: classify(medians, LATENCY_CLASSES),
    },
    perTypeP95: {
      median: median(hour.map((t) => t.p95)),
      max: Math.max(...hour.map((t) => t.p95)),
      classes: classify(
        hour.map((t) => t.p95),
        LATENCY_CLASSES,
      ),
    },
    pooledOverFloor: r.floor.clickhouse.median > 0 ? pooled.median / r.floor.clickhouse.median : null,
    medianOverFloor: { median: median(overFloor), max: Math.max(...overFloor) },
    slowest: [...hour]
      .sort((a, b) => b.median - a.median)
      .slice(0, 10)
      .map((t) => t.type),
    system: { data: count('data'), noData: count('no-data'), unavailable: count('unavailable') },
    partial: hour.filter((t) => t.partial).length,
    unavailableCalls: hour.reduce((a, t) => a + t.unavailableCalls, 0),
    prompt: {
      medianTokens: median(tokens),
      p95Tokens: percentile(tokens, 95),
      maxTokens: Math.max(...tokens),
      maxType: hour.find((t) => t.prompt.estimatedTokens === Math.max(...tokens))?.type,
      shortened: hour.filter((t) => t.prompt.shortened).length,
      shortenedTypes: hour.filter((t) => t.prompt.shortened).map((t) => t.type),
      medianUncutTokens: median(hour.map((t) => t.prompt.uncutTokens)),
      maxUncutTokens: Math.max(...hour.map((t) => t.prompt.uncutTokens)),
      classes: classify(tokens, TOKEN_CLASSES),
    },
  };
}

const box = sandbox();
const machine = machineInfo();
const startedAt = new Date().toISOString();
log(
  `sizes ${SIZE_LIST.join(', ')}; ${WARMUP} warm-up + ${REPS} measured round(s); seed ${SEED}, anchor ${ANCHOR.toISOString()}; 1-min load ${machine.loadAverage1m}`,
);
const runs = {};
for (const size of SIZE_LIST) {
  const loadAtStart = Math.round(loadavg()[0] * 100) / 100;
  const r = await runSize(box, size);
  r.summary = summarizeSize(r);
  runs[size] = { startedAt, machine, loadAverage1mAtStart: loadAtStart, ...r };
  log(
    `${size}: metrics ${r.counts.metrics} rows; median of type medians ${fmt(r.summary.perTypeMedian.median, 2)} ms; child ${fmt(r.childWallMs / 1000, 1)} s`,
  );
}
const loadAtEnd = Math.round(loadavg()[0] * 100) / 100;
const params = {
  sizes: SIZE_LIST,
  reps: REPS,
  warmup: WARMUP,
  seed: SEED,
  anchor: ANCHOR.toISOString(),
  ingestProbeRows: PROBE_ROWS,
  settleSeconds: SETTLE_S,
};
for (const size of SIZE_LIST) Object.assign(runs[size], { params, loadAverage1mAtEnd: loadAtEnd });

// One entry per size: a `--sizes standard` run keeps the small one, and the other way round.
let previous = {};
try {
  const old = JSON.parse(readFileSync(join(RESULTS_DIR, 'collect-context.json'), 'utf8'));
  if (old?.benchmark === 'collect-context' && old.runs) previous = old.runs;
} catch {
  // no earlier results
}
const written = await writeResults('collect-context', {
  benchmark: 'collect-context',
  runs: { ...previous, ...runs },
});
if (opts.json) {
  console.log(JSON.stringify(runs, null, 2));
  process.exit(0);
}

// ---- markdown report -----------------------------------------------------------------------------
const right = (title) => ({ title, align: 'right' });
const int = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));
const x = (v) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${v.toFixed(1)}×`);
const lines = [
  `### Context collection: ${SIZE_LIST.map((s) => `\`${s}\``).join(', ')}`,
  '',
  `${WARMUP} warm-up and ${REPS} measured rounds per size, each size in a fresh child process and data ` +
    `directory; seed ${SEED}, anchor ${ANCHOR.toISOString()}. ${machineMarkdown(machine)} 1-min load at the end: ${loadAtEnd}.`,
  '',
  markdownTable(
    [
      'Size',
      right('raw `metrics` rows'),
      right('ClickHouse rows'),
      right('seed s'),
      right('seed rows/s'),
      right('floor CH ms'),
      right('floor PG ms'),
      right('median ms'),
      right('p95 ms'),
      right('median of type medians'),
      right('× floor (median)'),
      right('[SYSTEM] no data / unavailable'),
    ],
    SIZE_LIST.map((size) => {
      const r = runs[size];
      const s = r.summary;
      return [
        `\`${size}\``,
        int(r.counts.metrics),
        int(r.seed.clickhouseRows),
        fmt(r.seed.durationMs / 1000, 1),
        fmt(r.seed.rowsPerSecond, 0),
        fmt(r.floor.clickhouse.median, 2),
        fmt(r.floor.postgres.median, 2),
        fmt(s.pooled.median, 2),
        fmt(s.pooled.p95, 2),
        fmt(s.perTypeMedian.median, 2),
        x(s.medianOverFloor.median),
        `${s.system.noData} / ${s.system.unavailable}`,
      ];
    }),
  ),
  '',
  'Seeding and storage (the rollup rows and parts are what the last-hour queries read from):',
  '',
  markdownTable(
    [
      'Size',
      right('hours'),
      right('metric interval s'),
      right('instances'),
      right('raw `metrics` rows'),
      right('`metrics_1m` rows / parts'),
      right('merges waited s'),
      right('views share of insert time'),
      right('disk MiB'),
      right('child peak RSS MiB'),
    ],
    SIZE_LIST.map((size) => {
      const r = runs[size];
      const spec = r.seed.spec;
      const m1 = r.parts.before.tables.metrics_1m;
      return [
        `\`${size}\``,
        int(spec.historyHours),
        int(spec.metricIntervalSeconds),
        int(spec.metricInstances ?? 1),
        int(r.counts.metrics),
        m1 ? `${int(m1.rows)} / ${int(m1.parts)}` : '—',
        `${fmt(r.settle.waitedMs / 1000, 0)}${r.settle.mergesLeft ? ` (${r.settle.mergesLeft} left)` : ''}`,
        r.probe ? `${(r.probe.viewsShare * 100).toFixed(0)}%` : '—',
        fmt(r.diskMiB, 0),
        fmt(r.peakRssMiB, 0),
      ];
    }),
  ),
  '',
  'Types by median latency (last hour; counts of the 138 types):',
  '',
  markdownTable(
    [
      'Size',
      ...classTitles(LATENCY_CLASSES, ' ms').map(right),
      right('median of type p95s'),
      right('max type p95'),
    ],
    SIZE_LIST.map((size) => {
      const s = runs[size].summary;
      return [
        `\`${size}\``,
        ...s.perTypeMedian.classes.map(String),
        fmt(s.perTypeP95.median, 2),
        fmt(s.perTypeP95.max, 2),
      ];
    }),
  ),
  '',
  'Types by prompt size (estimated tokens of the rendered context, 6,000-token default budget):',
  '',
  markdownTable(
    ['Size', ...classTitles(TOKEN_CLASSES, '').map(right), right('median'), right('max')],
    SIZE_LIST.map((size) => {
      const s = runs[size].summary;
      return [
        `\`${size}\``,
        ...s.prompt.classes.map(String),
        int(s.prompt.medianTokens),
        int(s.prompt.maxTokens),
      ];
    }),
  ),
  '',
];
for (const size of SIZE_LIST) {
  const probe = runs[size].probe;
  if (!probe) continue;
  lines.push(
    `Ingest probe, \`${size}\`: ${int(probe.rows)} raw metric rows in ${probe.inserts} inserts of up to ${int(PROBE_BATCH)}: ` +
      `${fmt(probe.withViewsMs / 1000, 2)} s into \`metrics\` with its six rollup views ` +
      `(${fmt(probe.withViewsRowsPerSecond, 0)} rows/s), ${fmt(probe.withoutViewsMs / 1000, 2)} s into a copy without views ` +
      `(${fmt(probe.withoutViewsRowsPerSecond, 0)} rows/s): the views take ${(probe.viewsShare * 100).toFixed(0)}% of the insert time.`,
    '',
  );
}
for (const size of SIZE_LIST) {
  const r = runs[size];
  const s = r.summary;
  const byType = new Map(r.types.map((t) => [t.key, t]));
  lines.push(
    `#### \`${size}\`: the 10 slowest types (last hour)`,
    '',
    markdownTable(
      [
        'Type',
        right('median ms'),
        right('p95 ms'),
        right('× floor'),
        right('queries PG/CH'),
        'result',
        right('tokens'),
      ],
      s.slowest.map((type) => {
        const t = byType.get(`${type}@1h`);
        return [
          `\`${type}\``,
          fmt(t.median, 2),
          fmt(t.p95, 2),
          x(t.medianOverFloor),
          `${t.queries.postgres}/${t.queries.clickhouse}`,
          t.system,
          int(t.prompt.estimatedTokens),
        ];
      }),
    ),
    '',
    `Last hour vs last 24 hours (1 min vs 5 min grain):`,
    '',
    markdownTable(
      [
        'Type',
        right('1 h median ms'),
        right('24 h median ms'),
        right('24 h / 1 h'),
        right('1 h tokens'),
        right('24 h tokens'),
      ],
      DAY_SUBSET.map((type) => {
        const a = byType.get(`${type}@1h`);
        const b = byType.get(`${type}@24h`);
        return [
          `\`${type}\``,
          fmt(a.median, 2),
          fmt(b.median, 2),
          `${(b.median / a.median).toFixed(2)}×`,
          int(a.prompt.estimatedTokens),
          int(b.prompt.estimatedTokens),
        ];
      }),
    ),
    '',
    `Prompt sizes (last hour, 6,000-token default budget): median ${int(s.prompt.medianTokens)} tokens, ` +
      `p95 ${int(Math.round(s.prompt.p95Tokens))}, max ${int(s.prompt.maxTokens)} (\`${s.prompt.maxType}\`); ` +
      `${s.prompt.shortened} of ${s.types} shortened${s.prompt.shortened ? ` (${s.prompt.shortenedTypes.join(', ')})` : ''}; ` +
      `uncut median ${int(s.prompt.medianUncutTokens)}, max ${int(s.prompt.maxUncutTokens)}. ` +
      `Results: ${s.system.data} with data, ${s.system.noData} [SYSTEM] no data, ${s.system.unavailable} [SYSTEM] unavailable, ` +
      `${s.partial} partial; ${s.unavailableCalls} measured calls came back unavailable. ` +
      `Disk ${fmt(r.diskMiB, 0)} MiB, child peak RSS ${fmt(r.peakRssMiB, 0)} MiB, measuring took ${fmt(r.measureMs / 1000, 1)} s.`,
    '',
  );
}
for (const b of SIZE_LIST.slice(1)) {
  const a = SIZE_LIST[0];
  const ra = runs[a];
  const rb = runs[b];
  const ratios = ra.types
    .filter((t) => t.window === '1h')
    .map((t) => ({ type: t.type, ratio: rb.types.find((u) => u.key === t.key).median / t.median }))
    .sort((p, q) => q.ratio - p.ratio);
  const rs = ratios.map((p) => p.ratio);
  lines.push(
    `From \`${a}\` to \`${b}\`: raw \`metrics\` rows ×${(rb.counts.metrics / ra.counts.metrics).toFixed(1)}; ` +
      `per-type median latency ${b}/${a}: median ${rs.length ? median(rs).toFixed(2) : '—'}×, ` +
      `range ${Math.min(...rs).toFixed(2)}× – ${Math.max(...rs).toFixed(2)}×; grew most: ` +
      ratios
        .slice(0, 5)
        .map((p) => `\`${p.type}\` ${p.ratio.toFixed(2)}×`)
        .join(', ') +
      '.',
    '',
  );
}
lines.push(`Raw results: \`${written}\` (${startedAt}).`);
console.log(lines.join('\n'));
