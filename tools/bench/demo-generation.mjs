#!/usr/bin/env node
// Benchmark: how fast the demo estate is written into the embedded engines, next to the same
// generator writing into memory only, in the same run.
//
//   node tools/bench/demo-generation.mjs [--size small|standard|large] [--reps 5] [--seed 1]
//        [--anchor 2026-11-21T08:00:00Z] [--json]
//
// Two subjects, each repetition in a child process of its own (chdb binds one data
// directory per process, so every repetition needs a fresh process and a fresh directory):
//
//   seed     openPostgres + openClickHouse (embedded, migrations applied) on an empty data
//            directory, then the timed part: `seedDemoEstate` with one ClickHouse writer, as
//            the stdio server loads it; its report gives the rows per table and the time
//   collect  `collectDemoRows`: the same generator, same size, seed and anchor, into memory,
//            no engine; the time and rows of this are the baseline
//
// The two alternate (which goes first flips each repetition), so machine drift lands on both.
// The anchor (end of the generated window) is the same for every child of a run: the current
// hour unless --anchor says otherwise (the raw tables expire rows after 14 days, so an anchor
// long in the past would write rows the engine drops again). After seeding, the child runs
// the demo queries of lib/demo-queries.mjs once and counts every ClickHouse table the report
// names, so a run also checks that the rows are where the other benchmarks expect them.
//
// `small` (default) runs 5 repetitions; `standard` (about 30 s and 1.5 GB of disk per
// repetition) and `large` run once unless --reps says otherwise. Children run with stdin on
// /dev/null and report through a JSON file; each data directory is removed after its child.
// Progress goes to stderr; stdout is a markdown section (or, with --json, the results); the
// numbers go to results/demo-generation.json, which keeps one entry per size.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { fmt, fmtRatio, markdownTable, median } from './lib/stats.mjs';
import { DEMO_CH_AGGREGATE, DEMO_PG_READ, DEMO_PRIMARY_ORGANIZATION_ID } from './lib/demo-queries.mjs';
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
const DATASOURCES_MAIN = join(REPO_ROOT, 'libs', 'datasources', 'dist', 'index.js');
const SIZES = ['small', 'standard', 'large'];
/** Query budgets of a server with the default configuration (sql.* keys). */
const BUDGETS = { timeoutMs: 10_000, maxRows: 1_000, maxBytes: 1_048_576 };
/** A child that has not reported after this long is stopped (large takes many minutes). */
const CHILD_TIMEOUT_MS = { small: 300_000, standard: 1_200_000, large: 7_200_000 };

const { values: opts } = parseArgs({
  options: {
    size: { type: 'string' },
    reps: { type: 'string' },
    seed: { type: 'string' },
    anchor: { type: 'string' },
    json: { type: 'boolean', default: false },
    // Internal: run one repetition of one subject and write its JSON to --out.
    child: { type: 'string' },
    'data-dir': { type: 'string' },
    out: { type: 'string' },
  },
});

const SIZE = opts.size ?? process.env.BENCH_DEMO_SIZE ?? 'small';
if (!SIZES.includes(SIZE)) {
  console.error(`--size must be one of ${SIZES.join(', ')}, got ${JSON.stringify(SIZE)}`);
  process.exit(2);
}
const SEED = positiveInt('seed', 1, opts.seed, process.env.BENCH_DEMO_SEED);
const REPS = positiveInt('reps', SIZE === 'small' ? 5 : 1, opts.reps, process.env.BENCH_REPS);
const ANCHOR = new Date(opts.anchor ?? Math.floor(Date.now() / 3_600_000) * 3_600_000);
if (Number.isNaN(ANCHOR.getTime())) {
  console.error(`--anchor must be a date, got ${JSON.stringify(opts.anchor)}`);
  process.exit(2);
}

const log = (...parts) => console.error('[bench:demo]', ...parts);
const mib = (kib) => kib / 1024;

requireBuilt(DATASOURCES_MAIN);

if (opts.child !== undefined) {
  await runChild(opts.child);
  process.exit(0);
}

// ---- one repetition, in a child process -----------------------------------------------

/** Runs one subject once and writes what it measured to --out. */
async function runChild(subject) {
  const ds = await import(DATASOURCES_MAIN);
  const out = resolve(opts.out);
  const result =
    subject === 'seed'
      ? await childSeed(ds, resolve(opts['data-dir']))
      : subject === 'collect'
        ? childCollect(ds)
        : undefined;
  if (result === undefined) throw new Error(`unknown subject ${JSON.stringify(subject)}`);
  writeFileSync(out, JSON.stringify({ ...result, peakRssMiB: mib(process.resourceUsage().maxRSS) }));
}

async function childSeed(ds, dataDir) {
  if (ds.DEMO_ORGANIZATION_IDS[0] !== DEMO_PRIMARY_ORGANIZATION_ID) {
    throw new Error(
      `lib/demo-queries.mjs reads organization ${DEMO_PRIMARY_ORGANIZATION_ID}, the estate's primary is ${ds.DEMO_ORGANIZATION_IDS[0]}`,
    );
  }
  const openStarted = performance.now();
  const [pg, ch] = await Promise.all([
    withoutNewExitListeners(() =>
      ds.openPostgres({ dataDir, budgets: BUDGETS, createSystemUser: needsPostgresSystemUser() }),
    ),
    ds.openClickHouse({ dataDir, budgets: BUDGETS }),
  ]);
  try {
    const openMs = performance.now() - openStarted;
    const rssBeforeKiB = process.resourceUsage().maxRSS;
    const report = await ds.seedDemoEstate({
      postgres: pg.writer,
      clickhouse: ch.writer,
      size: SIZE,
      seed: SEED,
      now: ANCHOR,
    });
    const rssAfterSeedMiB = mib(process.resourceUsage().maxRSS);
    // Where the rows landed: every ClickHouse table the report names, and the demo queries.
    const stored = {};
    for (const table of Object.keys(report.rows.clickhouse)) {
      const rows = await ch.writer.select(`SELECT count() AS n FROM ${table}`);
      stored[table] = Number(rows[0]?.n ?? Number.NaN);
    }
    const pgRead = await pg.datasource.query(DEMO_PG_READ.sql, { params: DEMO_PG_READ.params });
    const chAggregate = await ch.datasource.query(DEMO_CH_AGGREGATE.sql);
    const services = await pg.datasource.query(
      'SELECT count(*)::int AS n FROM service_map_services WHERE organization_id = $1',
      { params: DEMO_PG_READ.params },
    );
    const metrics5m = await ch.datasource.query('SELECT count() AS n FROM metrics_5m');
    return {
      subject: 'seed',
      openMs,
      report,
      peakRssBeforeSeedMiB: mib(rssBeforeKiB),
      peakRssAfterSeedMiB: rssAfterSeedMiB,
      clickhouseStored: stored,
      demoQueries: {
        pgReadRows: pgRead.rowCount,
        chAggregateRows: chAggregate.rowCount,
        primaryOrganizationServices: Number(services.rows[0]?.n ?? 0),
        metrics5mRows: Number(metrics5m.rows[0]?.n ?? 0),
      },
    };
  } finally {
    await ch.close();
    await pg.close();
  }
}

function childCollect(ds) {
  const started = performance.now();
  const collected = ds.collectDemoRows({ size: SIZE, seed: SEED, anchor: ANCHOR });
  const durationMs = performance.now() - started;
  const postgres = {};
  let statements = 0;
  for (const write of collected.postgres) {
    if (write.kind === 'rows') postgres[write.table] = (postgres[write.table] ?? 0) + write.rows.length;
    else statements += 1;
  }
  const clickhouse = Object.fromEntries(
    Object.entries(collected.clickhouse).map(([table, rows]) => [table, rows.length]),
  );
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  return {
    subject: 'collect',
    durationMs,
    rows: { postgres, clickhouse },
    postgresStatements: statements,
    totalRows: sum(postgres) + sum(clickhouse),
    clickhouseRows: sum(clickhouse),
  };
}

// ---- the parent: repetitions, summary, report ---------------------------------------------

/** Runs one child; resolves with its JSON report, or rejects with its stderr tail. */
function runOne(box, subject, rep) {
  const dataDir = subject === 'seed' ? engineDataDir(box, `rep-${rep}`) : undefined;
  const out = join(box.cwd, `${subject}-${rep}.json`);
  const args = [
    SCRIPT,
    '--child',
    subject,
    '--size',
    SIZE,
    '--seed',
    String(SEED),
    '--anchor',
    ANCHOR.toISOString(),
    '--out',
    out,
    ...(dataDir ? ['--data-dir', dataDir] : []),
  ];
  const started = performance.now();
  // stdin is /dev/null: nothing for a child to read (embedded chdb reads a piped stdin).
  const child = spawn(process.execPath, args, {
    cwd: box.cwd,
    env: box.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderrTail = '';
  child.stderr.on('data', (chunk) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      log(`${subject} ${rep + 1}: no report after ${CHILD_TIMEOUT_MS[SIZE] / 1000} s; stopping it`);
      child.kill('SIGTERM');
    }, CHILD_TIMEOUT_MS[SIZE]);
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const extra = {};
      if (dataDir) {
        extra.diskMiB = diskUsage(dataDir) / 2 ** 20;
        extra.postgresLeftRunning = await stopLeftPostgres(dataDir, log);
        rmSync(dataDir, { recursive: true, force: true });
      }
      if (code !== 0 || !existsSync(out)) {
        reject(new Error(`${subject} ${rep + 1}: child exited with ${signal ?? code}\n${stderrTail.trim()}`));
        return;
      }
      const report = JSON.parse(readFileSync(out, 'utf8'));
      rmSync(out, { force: true });
      resolvePromise({ ...report, ...extra, childWallMs: wallMs });
    });
  });
}

const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);

/** Differences between what the seed wrote to ClickHouse, what it stored and what collect made. */
function clickhouseMismatches(seed, collect) {
  const tables = new Set([
    ...Object.keys(seed.report.rows.clickhouse),
    ...Object.keys(collect.rows.clickhouse),
  ]);
  const out = [];
  for (const table of tables) {
    const written = seed.report.rows.clickhouse[table] ?? 0;
    const stored = seed.clickhouseStored[table] ?? 0;
    const inMemory = collect.rows.clickhouse[table] ?? 0;
    if (written !== inMemory || stored !== written) out.push({ table, written, stored, inMemory });
  }
  return out;
}

const box = sandbox();
const machine = machineInfo();
const startedAt = new Date().toISOString();
log(
  `size ${SIZE}, seed ${SEED}, anchor ${ANCHOR.toISOString()}, ${REPS} repetition(s); 1-min load ${machine.loadAverage1m}`,
);
const reps = [];
for (let rep = 0; rep < REPS; rep++) {
  const order = rep % 2 === 0 ? ['seed', 'collect'] : ['collect', 'seed'];
  const entry = { loadAverage1m: Math.round(loadavg()[0] * 100) / 100 };
  for (const subject of order) {
    entry[subject] = await runOne(box, subject, rep);
    const x = entry[subject];
    log(
      subject === 'seed'
        ? `rep ${rep + 1}/${REPS} seed: ${x.report.totalRows} rows in ${fmt(x.report.durationMs / 1000, 2)} s ` +
            `(engines opened in ${fmt(x.openMs / 1000, 2)} s, ${fmt(x.diskMiB, 0)} MiB on disk)`
        : `rep ${rep + 1}/${REPS} collect: ${x.totalRows} rows in ${fmt(x.durationMs / 1000, 2)} s`,
    );
  }
  reps.push(entry);
}
const loadAtEnd = Math.round(loadavg()[0] * 100) / 100;

const perRep = reps.map((r) => {
  const seedRate = (r.seed.report.totalRows * 1000) / r.seed.report.durationMs;
  const collectRate = (r.collect.totalRows * 1000) / r.collect.durationMs;
  return {
    loadAverage1m: r.loadAverage1m,
    seed: {
      durationMs: r.seed.report.durationMs,
      totalRows: r.seed.report.totalRows,
      clickhouseRows: sum(r.seed.report.rows.clickhouse),
      postgresRows: sum(r.seed.report.rows.postgres),
      postgresUpdated: sum(r.seed.report.updated),
      rowsPerSecond: seedRate,
      clickhouseRowsPerSecond: r.seed.report.clickhouseRowsPerSecond,
      openMs: r.seed.openMs,
      childWallMs: r.seed.childWallMs,
      peakRssMiB: r.seed.peakRssMiB,
      peakRssBeforeSeedMiB: r.seed.peakRssBeforeSeedMiB,
      diskMiB: r.seed.diskMiB,
      action: r.seed.report.action,
      skippedTables: r.seed.report.skippedTables,
      demoQueries: r.seed.demoQueries,
      postgresLeftRunning: r.seed.postgresLeftRunning,
    },
    collect: {
      durationMs: r.collect.durationMs,
      totalRows: r.collect.totalRows,
      clickhouseRows: r.collect.clickhouseRows,
      postgresRows: sum(r.collect.rows.postgres),
      postgresStatements: r.collect.postgresStatements,
      rowsPerSecond: collectRate,
      childWallMs: r.collect.childWallMs,
      peakRssMiB: r.collect.peakRssMiB,
    },
    seedOverCollectTime: r.seed.report.durationMs / r.collect.durationMs,
    clickhouseMismatches: clickhouseMismatches(r.seed, r.collect),
  };
});
const med = (pick) => median(perRep.map(pick));
const first = reps[0];
const summary = {
  seed: {
    durationMs: med((r) => r.seed.durationMs),
    rowsPerSecond: med((r) => r.seed.rowsPerSecond),
    clickhouseRowsPerSecond: med((r) => r.seed.clickhouseRowsPerSecond),
    openMs: med((r) => r.seed.openMs),
    peakRssMiB: med((r) => r.seed.peakRssMiB),
    diskMiB: med((r) => r.seed.diskMiB),
  },
  collect: {
    durationMs: med((r) => r.collect.durationMs),
    rowsPerSecond: med((r) => r.collect.rowsPerSecond),
    peakRssMiB: med((r) => r.collect.peakRssMiB),
  },
  seedOverCollectTime: {
    ofMedians: med((r) => r.seed.durationMs) / med((r) => r.collect.durationMs),
    perRep: {
      min: Math.min(...perRep.map((r) => r.seedOverCollectTime)),
      max: Math.max(...perRep.map((r) => r.seedOverCollectTime)),
    },
  },
  rows: {
    seedTotal: first.seed.report.totalRows,
    collectTotal: first.collect.totalRows,
    sameEveryRep: perRep.every(
      (r) =>
        r.seed.totalRows === perRep[0].seed.totalRows && r.collect.totalRows === perRep[0].collect.totalRows,
    ),
    seedByTable: first.seed.report.rows,
    collectByTable: first.collect.rows,
    clickhouseMatches: perRep.every((r) => r.clickhouseMismatches.length === 0),
  },
};

const entry = {
  startedAt,
  machine,
  loadAverage1mAtEnd: loadAtEnd,
  params: { size: SIZE, spec: first.seed.report.spec, seed: SEED, anchor: ANCHOR.toISOString(), reps: REPS },
  summary,
  perRep,
  benchProcessPeakRssMiB: mib(process.resourceUsage().maxRSS),
};
// One entry per size: a `--size standard` run keeps the small one, and the other way round.
let previous = {};
try {
  const old = JSON.parse(readFileSync(join(RESULTS_DIR, 'demo-generation.json'), 'utf8'));
  if (old?.benchmark === 'demo-generation' && old.runs) previous = old.runs;
} catch {
  // no earlier results
}
const written = await writeResults('demo-generation', {
  benchmark: 'demo-generation',
  runs: { ...previous, [SIZE]: entry },
});
if (opts.json) {
  console.log(JSON.stringify(entry, null, 2));
  process.exit(0);
}

// ---- markdown report -----------------------------------------------------------------------
const right = (title) => ({ title, align: 'right' });
const s = summary;
const q = perRep[0].seed.demoQueries;
const mismatches = perRep.flatMap((r) => r.clickhouseMismatches);
console.log(
  [
    `### Demo estate generation: \`${SIZE}\``,
    '',
    `${REPS} repetition(s), each subject in a fresh child process (seed: fresh data directory, engines opened ` +
      `and migrated before the clock starts); seed ${SEED}, anchor ${ANCHOR.toISOString()} ` +
      `(${entry.params.spec.historyHours} h of history).`,
    '',
    machineMarkdown(machine) + ` 1-min load at the end: ${loadAtEnd}.`,
    '',
    markdownTable(
      [
        'Subject',
        right('rows'),
        right('median s'),
        right('median rows/s'),
        right('peak RSS MiB'),
        right('disk MiB'),
      ],
      [
        [
          '`seedDemoEstate` into embedded PostgreSQL + chdb',
          s.rows.seedTotal.toLocaleString('en-US'),
          fmt(s.seed.durationMs / 1000, 2),
          fmt(s.seed.rowsPerSecond, 0),
          fmt(s.seed.peakRssMiB, 0),
          fmt(s.seed.diskMiB, 0),
        ],
        [
          '`collectDemoRows` into memory (baseline)',
          s.rows.collectTotal.toLocaleString('en-US'),
          fmt(s.collect.durationMs / 1000, 2),
          fmt(s.collect.rowsPerSecond, 0),
          fmt(s.collect.peakRssMiB, 0),
          '—',
        ],
      ],
    ),
    '',
    `Seed time / in-memory time: ${fmtRatio(s.seedOverCollectTime.ofMedians)} of the medians ` +
      `(per repetition ${fmtRatio(s.seedOverCollectTime.perRep.min)} – ${fmtRatio(s.seedOverCollectTime.perRep.max)}). ` +
      `ClickHouse rows per second as the seed reports them: ${fmt(s.seed.clickhouseRowsPerSecond, 0)} (median). ` +
      `Opening both engines on an empty directory (not timed in the rate): ${fmt(s.seed.openMs / 1000, 2)} s (median).`,
    '',
    markdownTable(
      [
        'Rep',
        right('load'),
        right('seed s'),
        right('seed rows/s'),
        right('collect s'),
        right('collect rows/s'),
        right('ratio'),
      ],
      perRep.map((r, i) => [
        String(i + 1),
        fmt(r.loadAverage1m, 2),
        fmt(r.seed.durationMs / 1000, 2),
        fmt(r.seed.rowsPerSecond, 0),
        fmt(r.collect.durationMs / 1000, 2),
        fmt(r.collect.rowsPerSecond, 0),
        fmtRatio(r.seedOverCollectTime),
      ]),
    ),
    '',
    `Rows: seed ${s.rows.seedTotal.toLocaleString('en-US')} (ClickHouse ${perRep[0].seed.clickhouseRows.toLocaleString('en-US')}, ` +
      `PostgreSQL ${perRep[0].seed.postgresRows.toLocaleString('en-US')} inserted, ${perRep[0].seed.postgresUpdated} updated); ` +
      `in memory ${s.rows.collectTotal.toLocaleString('en-US')} (ClickHouse ${perRep[0].collect.clickhouseRows.toLocaleString('en-US')}, ` +
      `PostgreSQL ${perRep[0].collect.postgresRows.toLocaleString('en-US')} rows and ${perRep[0].collect.postgresStatements} statements). ` +
      (mismatches.length === 0
        ? 'ClickHouse rows per table: written = stored = in memory, in every repetition.'
        : `ClickHouse rows per table DIFFER: ${JSON.stringify(mismatches)}.`),
    '',
    `Demo queries on the seeded estate: the primary organization has ${q.primaryOrganizationServices} services ` +
      `(the inventory read returns ${q.pgReadRows} rows), metrics_5m holds ${q.metrics5mRows} rows ` +
      `(the per-service aggregate returns ${q.chAggregateRows}). Bench process peak RSS ${fmt(entry.benchProcessPeakRssMiB, 0)} MiB.`,
    '',
    `Raw summary: \`${written}\` (${startedAt}).`,
  ].join('\n'),
);
