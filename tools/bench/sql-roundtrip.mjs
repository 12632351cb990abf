#!/usr/bin/env node
// Benchmark: the SQL tools over stdio on the embedded engines, next to baselines from the same run.
//
//   node tools/bench/sql-roundtrip.mjs [calls] [--rounds 10] [--warmup 100] [--demo small]
//        [--era legacy|modern] [--product apps/mcp-stdio/dist/main.js] [--json]
//        [--server-log <file>] [--server-log-level debug]
//
// One product server runs with the data plane on (embedded PostgreSQL and embedded
// ClickHouse/chdb in a throw-away data directory; the server loads the demo estate of the
// size --demo names, otherwise none). Once `status://health` reports both engines up (and,
// with --demo, the demo estate settled), these subjects are measured, calls (default 2000;
// BENCH_CALLS) each, split into rounds whose order rotates so machine drift lands on every
// subject alike:
//
//   echo          `tools/call echo` on that server: the protocol floor of the same process
//   echo-off      `tools/call echo` on a second product process with the data plane off
//   pg_query      `tools/call pg_query` with a small read
//   pg-datasource the same read through the product's PostgresDatasource, in this process,
//                 against a separate embedded PostgreSQL (READ ONLY transaction + cursor)
//   pg-raw        the same read through a bare `pg` Pool against that separate PostgreSQL
//   ch_query      `tools/call ch_query` with a small aggregate on a rollup
//
// The server's own PostgreSQL is private (port and password stay inside it), hence the
// separate one, migrated with the same migrations and logged into as the same read-only
// role. chdb binds one data directory to one process, so ClickHouse's baseline is the
// echo floor. With --demo, the queries are the demo ones of lib/demo-queries.mjs, and the
// tables the PostgreSQL read touches are copied from the product (through pg_query) into the
// separate PostgreSQL so both read the same rows.
//
// A request left unanswered for CALL_TIMEOUT_MS is counted as lost and the run goes on;
// the rounds before and after the first loss are then also summarised apart, because the
// server is not in its normal state afterwards. The script also checks what the server
// recorded about its own calls (mcp_sessions in PostgreSQL, tool_calls in ClickHouse): a
// server that loses no request records every call in both.
//
// --server-log <file> keeps the data-plane server's whole stderr (--server-log-level sets
// its log level, e.g. debug), for looking into a lost request.
//
// Progress goes to stderr; stdout is a markdown section (or, with --json, the results);
// the numbers go to results/sql-roundtrip.json.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import pg from 'pg';
import { fmt, fmtRatio, markdownTable, median, percentile, ratio, summarize } from './lib/stats.mjs';
import { DEMO_CH_AGGREGATE, DEMO_PG_READ, DEMO_PRIMARY_ORGANIZATION_ID } from './lib/demo-queries.mjs';
import {
  DEFAULT_PRODUCT_MAIN,
  REPO_ROOT,
  engineDataDir,
  withoutNewExitListeners,
  machineInfo,
  machineMarkdown,
  memoryOf,
  positiveInt,
  repoPath,
  requireBuilt,
  roundSizes,
  isAlive,
  sandbox,
  waitForExit,
  writeResults,
} from './lib/common.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    calls: { type: 'string', short: 'n' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    demo: { type: 'string' },
    era: { type: 'string' },
    product: { type: 'string' },
    'server-log': { type: 'string' },
    'server-log-level': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const CALLS = positiveInt('calls', 2000, opts.calls, positionals[0], process.env.BENCH_CALLS);
const ROUNDS = Math.min(positiveInt('rounds', 10, opts.rounds, process.env.BENCH_ROUNDS), CALLS);
const WARMUP = positiveInt('warmup', 100, opts.warmup, process.env.BENCH_WARMUP);
const PRODUCT_MAIN = resolve(opts.product ?? process.env.BENCH_PRODUCT_MAIN ?? DEFAULT_PRODUCT_MAIN);
const DEMO_SIZE = opts.demo ?? process.env.BENCH_DEMO;
/** Where the data-plane server's whole stderr goes (for diagnosis), and at what log level. */
const SERVER_LOG = opts['server-log'] ?? process.env.BENCH_SERVER_LOG;
const SERVER_LOG_LEVEL = opts['server-log-level'] ?? process.env.BENCH_SERVER_LOG_LEVEL;
const ERA = opts.era ?? process.env.BENCH_ERA ?? 'legacy';
const DATASOURCES_MAIN = join(REPO_ROOT, 'libs', 'datasources', 'dist', 'index.js');
const DOMAIN_MAIN = join(REPO_ROOT, 'libs', 'domain', 'dist', 'index.js');
const MESSAGE = 'benchmark payload 0123456789';
const HEALTH_TIMEOUT_MS = 180_000;
const DEMO_TIMEOUT_MS = 900_000;
const SHUTDOWN_TIMEOUT_MS = 20_000;
/**
 * A request unanswered after this long is counted as lost (the queries take milliseconds).
 * The check exists because of a defect it once caught (embedded chdb inserts that carried their
 * own data read the server's stdin, the MCP channel, swallowing a waiting request); it stays
 * as a guard. Health polls use the same limit.
 */
const CALL_TIMEOUT_MS = 5_000;
const RUN_STARTED = Date.now();
/** Query budgets of a server with the default configuration (sql.* keys). */
const DEFAULT_BUDGETS = { timeoutMs: 10_000, maxRows: 1_000, maxBytes: 1_048_576 };

const ERAS = {
  legacy: { label: 'legacy (initialize handshake)', clientOptions: {} },
  modern: {
    label: 'modern (pinned 2026-07-28)',
    clientOptions: { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  },
};
if (!ERAS[ERA]) {
  console.error(`--era must be legacy or modern, got ${JSON.stringify(ERA)}`);
  process.exit(2);
}
if (DEMO_SIZE !== undefined && !['small', 'standard', 'large'].includes(DEMO_SIZE)) {
  console.error(`--demo must be small, standard or large, got ${JSON.stringify(DEMO_SIZE)}`);
  process.exit(2);
}

const log = (...parts) => console.error('[bench:sql]', ...parts);

requireBuilt(PRODUCT_MAIN);
for (const built of [DATASOURCES_MAIN, DOMAIN_MAIN]) requireBuilt(built);
const {
  DEMO_ORGANIZATION_IDS,
  PostgresDatasource,
  PostgresWriter,
  READONLY_ROLE,
  classifyStatement,
  ensureReadonlyLogin,
  runPostgresMigrations,
  startEmbeddedPostgres,
  withCredentials,
} = await import(DATASOURCES_MAIN);
const { DEMO_ORGANIZATION_ID } = await import(DOMAIN_MAIN);
if (
  DEMO_ORGANIZATION_ID !== DEMO_PRIMARY_ORGANIZATION_ID ||
  DEMO_ORGANIZATION_IDS[0] !== DEMO_ORGANIZATION_ID
) {
  console.error(
    `lib/demo-queries.mjs reads organization ${DEMO_PRIMARY_ORGANIZATION_ID}, but the product's primary demo ` +
      `organization is ${DEMO_ORGANIZATION_ID} (the estate's first: ${DEMO_ORGANIZATION_IDS[0]}); update it.`,
  );
  process.exit(2);
}

// ---- the queries -----------------------------------------------------------------------

/** Without demo data: tables both databases fill alike (the migrations) and an empty rollup. */
const PLAIN_QUERIES = {
  dataset: 'migrations only (no demo estate)',
  pg: {
    sql: 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version LIMIT 10',
    params: [],
    copyTables: [],
  },
  ch: { sql: 'SELECT count() AS points FROM metrics_5m' },
};

/** With the demo estate: an inventory read by organization and a per-service rollup aggregate. */
const DEMO_QUERIES = {
  dataset: `demo estate (${DEMO_SIZE})`,
  pg: { sql: DEMO_PG_READ.sql, params: DEMO_PG_READ.params, copyTables: DEMO_PG_READ.tables },
  ch: { sql: DEMO_CH_AGGREGATE.sql },
};

// ---- the product server ------------------------------------------------------------------

const box = sandbox();

/** Spawns the product with `env` and connects an SDK client to it. */
async function connect(key, env, logFile) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [PRODUCT_MAIN],
    env,
    cwd: box.cwd,
    stderr: 'pipe',
  });
  let stderrTail = '';
  transport.stderr?.on('data', (chunk) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
    if (logFile) appendFileSync(logFile, chunk);
  });
  const client = new Client({ name: 'tfo-bench', version: '0.0.0' }, ERAS[ERA].clientOptions);
  try {
    await client.connect(transport);
  } catch (error) {
    await client.close().catch(() => {});
    const detail = stderrTail.trim() ? `\n--- server stderr ---\n${stderrTail.trim()}` : '';
    throw new Error(`${key}: connect failed: ${error.message}${detail}`);
  }
  const conn = {
    key,
    client,
    pid: transport.pid,
    calls: 0,
    /** `tools/call`, counted (the server records every call in its session). */
    call(name, args) {
      conn.calls += 1;
      return client.callTool({ name, arguments: args }, { timeout: CALL_TIMEOUT_MS });
    },
    protocol: client.getNegotiatedProtocolVersion?.() ?? 'unknown',
    stderrTail: () => stderrTail,
  };
  return conn;
}

/**
 * Stops a server the way an SDK host does: `client.close()` ends the server's stdin (the
 * server then closes its sessions and stops its engines), and sends SIGTERM only when the
 * process is still there 2 s later. Then waits for the process to be gone: a server killed
 * before it stops embedded PostgreSQL leaves the postmaster behind (see stopLeftPostgres).
 */
async function shutdown(conn) {
  if (!conn) return;
  await conn.client.close().catch(() => {});
  if (!(await waitForExit(conn.pid, SHUTDOWN_TIMEOUT_MS))) {
    log(`${conn.key}: still running ${SHUTDOWN_TIMEOUT_MS / 1000} s after its stdin was closed`);
  }
}

/**
 * When the server's embedded PostgreSQL outlived the server (its postmaster.pid is still
 * there and names a live process), says so and stops it (SIGINT: PostgreSQL's fast
 * shutdown), so a run never leaves a database running in a removed directory.
 */
async function stopLeftPostgres(dataDir) {
  const pidFile = join(dataDir, 'postgres', 'pgdata', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  log(`warning: the server's PostgreSQL (pid ${pid}) outlived the server; stopping it`);
  process.kill(pid, 'SIGINT');
  const stopped = await waitForExit(pid, SHUTDOWN_TIMEOUT_MS);
  if (!stopped) log(`PostgreSQL pid ${pid} still running ${SHUTDOWN_TIMEOUT_MS / 1000} s after SIGINT`);
  return { pid, stopped };
}

function firstText(result) {
  return result?.content?.find?.((c) => c.type === 'text')?.text ?? '';
}

/** The JSON answer of a SQL tool; throws with the tool's message when it failed. */
function sqlAnswer(what, result) {
  const text = firstText(result);
  if (result?.isError) throw new Error(`${what} failed: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** Health polls that got no answer within CALL_TIMEOUT_MS (see block()). */
const setupLost = [];

async function health(conn) {
  const answer = await conn.client.readResource({ uri: 'status://health' }, { timeout: CALL_TIMEOUT_MS });
  const body = JSON.parse(answer.contents[0].text);
  return Object.fromEntries(body.components.map((c) => [c.name, c]));
}

/** Polls `status://health` until `ready(components)` holds; returns the last components. */
async function waitForHealth(conn, what, ready, timeoutMs) {
  const started = Date.now();
  let last;
  for (;;) {
    try {
      last = await health(conn);
    } catch (error) {
      if (!isTimeout(error)) throw error;
      setupLost.push({ subject: 'status://health', afterSeconds: (Date.now() - RUN_STARTED) / 1000 });
      log(`status://health: no answer within ${CALL_TIMEOUT_MS} ms; request lost, polling again`);
      continue;
    }
    if (ready(last)) {
      log(`${what} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return last;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `${what}: not reached within ${timeoutMs / 1000} s; health: ${JSON.stringify(last)}` +
          `\n--- server stderr ---\n${conn.stderrTail().trim()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The demo estate's state as the health check reports it (`disabled`, `loading: ...`, ...). */
function demoState(components) {
  const demo = components['demo-estate'];
  if (!demo) return 'absent';
  if (demo.status === 'disabled') return 'disabled';
  return demo.detail ?? demo.status;
}

// ---- the separate PostgreSQL of the baselines -------------------------------------------

/**
 * Starts embedded PostgreSQL the way the server opens its own: migrations through a writer
 * on the superuser login, queries through the read-only role with a password made now.
 */
async function startBaselinePostgres() {
  const embedded = await withoutNewExitListeners(() =>
    startEmbeddedPostgres({ dataDir: engineDataDir(box, 'baseline-postgres'), createSystemUser: true }),
  );
  const adminPool = new pg.Pool({ connectionString: embedded.url, max: 2 });
  const writer = new PostgresWriter(adminPool);
  await runPostgresMigrations(writer);
  const password = randomBytes(24).toString('base64url');
  await ensureReadonlyLogin(writer, password);
  const readUrl = withCredentials(embedded.url, READONLY_ROLE, password);
  const rawPool = new pg.Pool({ connectionString: readUrl, max: 10 });
  // An idle client that fails must not end the run with an unhandled 'error' event.
  rawPool.on('error', (error) => log(`bare pg pool: idle client failed: ${error.message}`));
  const datasource = new PostgresDatasource({
    pool: new pg.Pool({ connectionString: readUrl, max: 10 }),
    limits: DEFAULT_BUDGETS,
  });
  return {
    writer,
    rawPool,
    datasource,
    async stop() {
      await datasource.close().catch(() => {});
      await rawPool.end().catch(() => {});
      await adminPool.end().catch(() => {});
      await embedded.stop();
    },
  };
}

/** Copies whole tables from the product (read through pg_query) into the baseline database. */
async function copyTables(conn, writer, tables) {
  const copied = {};
  for (const table of tables) {
    const answer = sqlAnswer(
      `copying ${table}`,
      await conn.call('pg_query', { query: `SELECT * FROM ${table}`, max_rows: DEFAULT_BUDGETS.maxRows }),
    );
    if (answer.truncated) throw new Error(`copying ${table}: the product cut the answer (${answer.notice})`);
    await writer.execute(
      `INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`,
      [JSON.stringify(answer.rows)],
    );
    copied[table] = answer.rows.length;
  }
  return copied;
}

// ---- measuring ---------------------------------------------------------------------------

/**
 * A subject is one way of running one request: `once()` performs it and returns something
 * `check()` can verify (it throws on a wrong answer) and `failed()` can classify cheaply.
 * `observe()`, when present, looks at each measured answer outside the timed region.
 */
function toolSubject(key, label, conn, name, args, check, observe) {
  return {
    key,
    label,
    once: () => conn.call(name, args),
    failed: (result) => result?.isError === true,
    check,
    ...(observe ? { observe } : {}),
  };
}

/** Keeps the `duration_ms` a SQL tool reports (the datasource's time, rounded to ms by the server). */
function keepDuration(result, tally) {
  if (result?.isError) return;
  const duration = JSON.parse(firstText(result)).duration_ms;
  if (typeof duration === 'number') tally.durationsMs.push(duration);
}

function isTimeout(error) {
  return error?.code === 'REQUEST_TIMEOUT' || /timed out/i.test(String(error?.message));
}

/**
 * Runs `count` sequential requests; returns per-request microseconds and the block's wall
 * time. A request the server never answers (see CALL_TIMEOUT_MS) is noted in `tally.lost`
 * and left out of both, so one lost request does not end the run or skew the rest.
 */
async function block(subject, count, tally) {
  const micros = [];
  let lostNs = 0n;
  const started = process.hrtime.bigint();
  let last;
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    let result;
    try {
      result = await subject.once();
    } catch (error) {
      if (!isTimeout(error)) throw error;
      lostNs += process.hrtime.bigint() - t0;
      tally.lost.push({ subject: subject.key, afterSeconds: (Date.now() - RUN_STARTED) / 1000 });
      log(`${subject.key}: no answer within ${CALL_TIMEOUT_MS} ms; request lost, going on`);
      continue;
    }
    micros.push(Number(process.hrtime.bigint() - t0) / 1000);
    last = result;
    if (subject.failed(last)) tally.failures += 1;
    subject.observe?.(last, tally);
  }
  const wallNs = process.hrtime.bigint() - started - lostNs;
  if (last !== undefined) subject.check(last);
  return { micros, wallNs };
}

/** Microseconds per `classifyStatement` call, the SQL tools' classifier, in this process. */
function classifierCost(sql, dialect, iterations = 5_000) {
  for (let i = 0; i < 500; i++) classifyStatement(sql, dialect);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) classifyStatement(sql, dialect);
  return Number(process.hrtime.bigint() - t0) / 1000 / iterations;
}

/** Lines of EXPLAIN (no ANALYZE) for the query, from the product and from the baseline. */
async function plans(conn, baseline, query) {
  const explain = `EXPLAIN ${query.sql}`;
  const product = sqlAnswer(
    'EXPLAIN through pg_query',
    await conn.call('pg_query', { query: explain, ...(query.params.length ? { params: query.params } : {}) }),
  ).rows.map((r) => r['QUERY PLAN']);
  const raw = (
    await baseline.rawPool.query(explain, query.params.length ? query.params : undefined)
  ).rows.map((r) => r['QUERY PLAN']);
  return { product, baseline: raw };
}

/** Node type of each plan line, without costs (the two databases' estimates may differ). */
const planShape = (lines) => lines.map((l) => l.replace(/\s*\(cost=.*$/, '').trim());

// ---- the run -----------------------------------------------------------------------------

const machine = machineInfo();
const startedAt = new Date().toISOString();
const dataEnv = {
  ...box.env,
  TELEMETRYFLOW_MCP_DATA_ENABLED: 'true',
  TELEMETRYFLOW_MCP_DATA_DIR: engineDataDir(box, 'data'),
  TELEMETRYFLOW_MCP_DEMO_LOAD: DEMO_SIZE ? 'embedded' : 'never',
  ...(DEMO_SIZE ? { TELEMETRYFLOW_MCP_DEMO_SIZE: DEMO_SIZE } : {}),
  ...(SERVER_LOG_LEVEL ? { TELEMETRYFLOW_MCP_LOG_LEVEL: SERVER_LOG_LEVEL } : {}),
};

let product;
let productOff;
let baseline;
let results;
try {
  log(`starting the product (data plane on, ${ERA}) and a separate embedded PostgreSQL`);
  const baselineStart = startBaselinePostgres();
  baselineStart.catch(() => {});
  const setupStarted = Date.now();
  if (SERVER_LOG) writeFileSync(resolve(SERVER_LOG), '');
  product = await connect('product', dataEnv, SERVER_LOG && resolve(SERVER_LOG));
  productOff = await connect('product-data-off', box.env);
  let components = await waitForHealth(
    product,
    'postgresql and clickhouse up',
    (c) => c.postgresql?.status === 'up' && c.clickhouse?.status === 'up',
    HEALTH_TIMEOUT_MS,
  );
  const enginesUpSeconds = (Date.now() - setupStarted) / 1000;
  baseline = await baselineStart;
  log('separate PostgreSQL ready');

  let queries = PLAIN_QUERIES;
  let demo = DEMO_SIZE ? { requested: DEMO_SIZE } : undefined;
  if (DEMO_SIZE) {
    const demoStarted = Date.now();
    components = await waitForHealth(
      product,
      'demo estate settled',
      (c) => !/^(waiting|loading)/.test(demoState(c)),
      DEMO_TIMEOUT_MS,
    );
    demo.state = demoState(components);
    demo.settledAfterEnginesSeconds = (Date.now() - demoStarted) / 1000;
    // What the demo queries will find: the primary organization's services and the rollup.
    const count = async (tool, query, params) =>
      Number(
        sqlAnswer(
          `probing demo rows (${tool})`,
          await product.call(tool, { query, ...(params ? { params } : {}) }),
        ).rows[0]?.n ?? 0,
      );
    demo.services = await count(
      'pg_query',
      'SELECT count(*)::int AS n FROM service_map_services WHERE organization_id = $1',
      DEMO_PG_READ.params,
    );
    demo.metrics5mRows = await count('ch_query', 'SELECT count() AS n FROM metrics_5m');
    if (demo.state.startsWith('loaded') && demo.services > 0 && demo.metrics5mRows > 0) {
      queries = DEMO_QUERIES;
      demo.copied = await copyTables(product, baseline.writer, queries.pg.copyTables);
      log(`demo estate loaded; copied ${JSON.stringify(demo.copied)} into the separate PostgreSQL`);
    } else {
      demo.fallback =
        `demo estate not usable (demo-estate: ${demo.state}; ${demo.services} services of the primary ` +
        `organization, ${demo.metrics5mRows} metrics_5m rows); measured the plain queries`;
      log(demo.fallback);
    }
  }

  const pgArgs = {
    query: queries.pg.sql,
    ...(queries.pg.params.length ? { params: queries.pg.params } : {}),
  };
  const rawValues = queries.pg.params.length ? queries.pg.params : undefined;
  const rowCounts = {};
  const expectRows = (key, n) => {
    rowCounts[key] ??= n;
    if (rowCounts[key] !== n) throw new Error(`${key}: ${n} rows, earlier ${rowCounts[key]}`);
  };
  const echoCheck = (key) => (result) => {
    if (result?.isError || !firstText(result).includes(MESSAGE)) {
      throw new Error(`${key}: echo did not return the message: ${JSON.stringify(result).slice(0, 300)}`);
    }
  };
  const SUBJECTS = [
    toolSubject(
      'echo',
      '`tools/call echo` (data plane on)',
      product,
      'echo',
      { message: MESSAGE },
      echoCheck('echo'),
    ),
    toolSubject(
      'echo-off',
      '`tools/call echo`, second process, data plane off',
      productOff,
      'echo',
      { message: MESSAGE },
      echoCheck('echo-off'),
    ),
    toolSubject(
      'pg_query',
      '`tools/call pg_query`',
      product,
      'pg_query',
      pgArgs,
      (result) => expectRows('pg_query', sqlAnswer('pg_query', result).row_count),
      keepDuration,
    ),
    {
      key: 'pg-datasource',
      label: 'PostgresDatasource.query, in-process, separate PostgreSQL',
      once: () => baseline.datasource.query(queries.pg.sql, rawValues ? { params: rawValues } : {}),
      failed: () => false,
      check: (result) => expectRows('pg-datasource', result.rowCount),
    },
    {
      key: 'pg-raw',
      label: 'bare `pg` Pool, in-process, separate PostgreSQL',
      once: () => baseline.rawPool.query(queries.pg.sql, rawValues),
      failed: () => false,
      check: (result) => expectRows('pg-raw', result.rows.length),
    },
    toolSubject(
      'ch_query',
      '`tools/call ch_query`',
      product,
      'ch_query',
      { query: queries.ch.sql },
      (result) => expectRows('ch_query', sqlAnswer('ch_query', result).row_count),
      keepDuration,
    ),
  ];

  const queryPlans = await plans(product, baseline, queries.pg);
  const sameShape =
    JSON.stringify(planShape(queryPlans.product)) === JSON.stringify(planShape(queryPlans.baseline));
  if (!sameShape) log('note: the two PostgreSQL plans differ in shape', JSON.stringify(queryPlans));

  const warmupLost = [];
  const lost = [];
  const tally = Object.fromEntries(SUBJECTS.map((s) => [s.key, { failures: 0, durationsMs: [], lost }]));
  for (const subject of SUBJECTS) {
    log(`warming up ${subject.key} with ${WARMUP} calls`);
    await block(subject, WARMUP, { failures: 0, durationsMs: [], lost: warmupLost });
  }
  const samples = Object.fromEntries(SUBJECTS.map((s) => [s.key, []]));
  const wallNs = Object.fromEntries(SUBJECTS.map((s) => [s.key, 0n]));
  const roundMedians = Object.fromEntries(SUBJECTS.map((s) => [s.key, []]));
  const perRound = Object.fromEntries(SUBJECTS.map((s) => [s.key, []]));
  const sizes = roundSizes(CALLS, ROUNDS);
  // The round in which the first request was lost (0 when it happened in the warm-up).
  let firstLossRound = warmupLost.length > 0 ? 0 : undefined;
  const measureStarted = Date.now();
  for (const [r, size] of sizes.entries()) {
    const lostBefore = lost.length;
    // Rotate the starting subject, so none always runs right after another.
    const order = SUBJECTS.map((_, j) => SUBJECTS[(r + j) % SUBJECTS.length]);
    for (const subject of order) {
      const { micros, wallNs: ns } = await block(subject, size, tally[subject.key]);
      samples[subject.key].push(...micros);
      wallNs[subject.key] += ns;
      roundMedians[subject.key].push(median(micros));
      perRound[subject.key].push(micros);
    }
    if (firstLossRound === undefined && lost.length > lostBefore) firstLossRound = r;
    log(`round ${r + 1}/${sizes.length} done`);
  }
  const measureSeconds = (Date.now() - measureStarted) / 1000;
  const failures = Object.entries(tally).filter(([, t]) => t.failures > 0);
  if (failures.length > 0)
    throw new Error(`failed calls while measuring: ${JSON.stringify(Object.fromEntries(failures))}`);

  // What the server recorded about the session that made these calls. Its snapshot is
  // saved after every call without being awaited, so wait until the stored count settles.
  const onProduct = (l) => l.subject !== 'echo-off' && !l.subject.startsWith('pg-');
  const toolCallsMade = product.calls - [...warmupLost, ...lost].filter(onProduct).length;
  const readRecord = async () =>
    sqlAnswer(
      'reading the recorded session',
      await product.call('pg_query', {
        query:
          "SELECT id, tool_calls, tool_errors FROM mcp_sessions WHERE client_name = 'tfo-bench' AND state = 'ready'",
      }),
    ).rows[0] ?? null;
  // Each read is itself a recorded call: the n-th read (from 0) sees n calls more.
  const countAt = async (n) => {
    const row = await readRecord();
    return row === null ? null : { id: row.id, toolCalls: row.tool_calls - n, toolErrors: row.tool_errors };
  };
  const settleStarted = Date.now();
  const atEnd = await countAt(0);
  let recorded = atEnd;
  let settled = false;
  for (let n = 1; n <= 15 && !settled; n++) {
    await new Promise((r) => setTimeout(r, 1_000));
    const again = await countAt(n);
    settled = JSON.stringify(again) === JSON.stringify(recorded);
    recorded = again;
  }
  const settleSeconds = (Date.now() - settleStarted) / 1000;

  // The same calls as ClickHouse's tool_calls holds them. The activity recorder flushes each
  // second, so count until the number stops moving. Only this session's rows are counted (the
  // demo estate has tool calls of its own), and only those of calls made before the first
  // count: each count is itself a call, recorded later.
  const activityMade = product.calls - [...warmupLost, ...lost].filter(onProduct).length;
  const sessionId = recorded?.id ?? atEnd?.id;
  let activityRecorded = null;
  let activitySettleSeconds = 0;
  if (typeof sessionId === 'string' && /^[A-Za-z0-9-]+$/.test(sessionId)) {
    const cutoff = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const countQuery =
      `SELECT count() AS n FROM tool_calls WHERE session_id = '${sessionId}' ` +
      `AND timestamp < toDateTime64('${cutoff}', 3, 'UTC')`;
    const activityStarted = Date.now();
    for (let attempt = 0; attempt < 15; attempt++) {
      await new Promise((r) => setTimeout(r, 1_000));
      const n = Number(
        sqlAnswer('counting recorded tool calls', await product.call('ch_query', { query: countQuery }))
          .rows[0]?.n ?? Number.NaN,
      );
      const stable = n === activityRecorded;
      activityRecorded = n;
      if (n === activityMade || stable) break;
    }
    activitySettleSeconds = (Date.now() - activityStarted) / 1000;
  } else {
    log(`no session id to count tool_calls by (got ${JSON.stringify(sessionId)})`);
  }

  const memory = memoryOf(product.pid);
  const subjects = {};
  for (const subject of SUBJECTS) {
    subjects[subject.key] = {
      label: subject.label,
      micros: summarize(samples[subject.key]),
      callsPerSecond: samples[subject.key].length / (Number(wallNs[subject.key]) / 1e9),
      roundMediansMicros: roundMedians[subject.key],
      ...(tally[subject.key].durationsMs.length
        ? { reportedDurationMs: summarize(tally[subject.key].durationsMs) }
        : {}),
    };
  }
  // After a lost request the server is not in its normal state (see CALL_TIMEOUT_MS): the
  // rounds before the one with the loss and the rounds after it are summarised apart.
  const phase = (from, to) =>
    to > from
      ? Object.fromEntries(
          SUBJECTS.map((subject) => {
            const xs = perRound[subject.key].slice(from, to).flat();
            return [
              subject.key,
              { rounds: to - from, n: xs.length, medianMicros: median(xs), p95Micros: percentile(xs, 95) },
            ];
          }),
        )
      : undefined;
  const phases =
    firstLossRound === undefined
      ? undefined
      : {
          firstLossRound,
          beforeLoss: phase(0, warmupLost.length > 0 ? 0 : firstLossRound),
          afterLoss: phase(warmupLost.length > 0 ? 0 : firstLossRound + 1, sizes.length),
        };
  const pair = (a, b) => {
    const perRound = subjects[a].roundMediansMicros.map((m, i) =>
      ratio(m, subjects[b].roundMediansMicros[i]),
    );
    return {
      median: ratio(subjects[a].micros.median, subjects[b].micros.median),
      p95: ratio(subjects[a].micros.p95, subjects[b].micros.p95),
      perRoundMedian: { min: Math.min(...perRound), max: Math.max(...perRound) },
      medianDifferenceMicros: subjects[a].micros.median - subjects[b].micros.median,
      ...(phases?.beforeLoss
        ? {
            medianBeforeLoss: ratio(phases.beforeLoss[a].medianMicros, phases.beforeLoss[b].medianMicros),
          }
        : {}),
    };
  };

  results = {
    benchmark: 'sql-roundtrip',
    startedAt,
    machine,
    params: {
      callsPerSubject: CALLS,
      rounds: ROUNDS,
      warmupCallsPerSubject: WARMUP,
      era: ERA,
      protocol: product.protocol,
      dataset: queries.dataset,
      pgQuery: queries.pg,
      chQuery: queries.ch.sql,
      budgets: DEFAULT_BUDGETS,
    },
    product: repoPath(PRODUCT_MAIN),
    setup: {
      enginesUpSeconds,
      health: components,
      ...(demo ? { demo } : {}),
    },
    rows: rowCounts,
    plans: { ...queryPlans, sameShape },
    classifierMicros: {
      postgresql: classifierCost(queries.pg.sql, 'postgresql'),
      clickhouse: classifierCost(queries.ch.sql, 'clickhouse'),
    },
    subjects,
    ratios: {
      pgQueryOverRawPg: pair('pg_query', 'pg-raw'),
      pgQueryOverEcho: pair('pg_query', 'echo'),
      chQueryOverEcho: pair('ch_query', 'echo'),
      pgDatasourceOverRawPg: pair('pg-datasource', 'pg-raw'),
      pgQueryOverPgDatasource: pair('pg_query', 'pg-datasource'),
      echoDataOnOverOff: pair('echo', 'echo-off'),
    },
    productMemory: memory,
    sessionRecord: { toolCallsMade, atEnd, recorded, settled, settleSeconds },
    activityRecord: {
      toolCallsMade: activityMade,
      recordedInClickHouse: activityRecorded,
      settleSeconds: activitySettleSeconds,
    },
    lostRequests: { setup: setupLost, warmup: warmupLost, measured: lost, timeoutMs: CALL_TIMEOUT_MS },
    ...(phases ? { phases } : {}),
    measureSeconds,
  };
} catch (error) {
  const tail = product?.stderrTail().trim();
  if (tail) log(`product stderr (last lines):\n${tail}`);
  throw error;
} finally {
  await Promise.all([shutdown(product), shutdown(productOff)]);
  await baseline?.stop().catch((error) => log(`stopping the separate PostgreSQL: ${error.message}`));
  const leftover = await stopLeftPostgres(dataEnv.TELEMETRYFLOW_MCP_DATA_DIR);
  if (results) results.serverPostgresLeftRunning = leftover ?? null;
}

const written = await writeResults('sql-roundtrip', results);
if (opts.json) {
  console.log(JSON.stringify(results, null, 2));
  process.exit(0);
}

// ---- markdown report -----------------------------------------------------------------------
const right = (title) => ({ title, align: 'right' });
const s = results.subjects;
const r = results.ratios;
const ratioRow = (label, x) => [
  label,
  fmtRatio(x.median),
  fmtRatio(x.p95),
  `${fmtRatio(x.perRoundMedian.min)} – ${fmtRatio(x.perRoundMedian.max)}`,
  fmt(x.medianDifferenceMicros),
  ...(results.phases?.beforeLoss ? [fmtRatio(x.medianBeforeLoss)] : []),
];
const ph = results.phases;
const phaseLines = ph
  ? [
      '',
      `**A request was lost${ph.beforeLoss ? ` in round ${ph.firstLossRound + 1}` : ' during the warm-up'}.** ` +
        'Medians (and p95) in µs of the rounds before that round and of the rounds after it ' +
        '(the round with the loss is left out):',
      '',
      markdownTable(
        [
          'Subject',
          right('before, median'),
          right('before, p95'),
          right('after, median'),
          right('after, p95'),
          right('after / before, medians'),
        ],
        Object.entries(s).map(([key, x]) => {
          const before = ph.beforeLoss?.[key];
          const after = ph.afterLoss?.[key];
          return [
            x.label,
            fmt(before?.medianMicros),
            fmt(before?.p95Micros),
            fmt(after?.medianMicros),
            fmt(after?.p95Micros),
            fmtRatio(ratio(after?.medianMicros ?? Number.NaN, before?.medianMicros ?? Number.NaN)),
          ];
        }),
      ),
    ]
  : [];
const allLost = [
  ...results.lostRequests.setup,
  ...results.lostRequests.warmup,
  ...results.lostRequests.measured,
];
const demoLine = results.setup.demo
  ? results.setup.demo.fallback
    ? `Demo estate requested (${DEMO_SIZE}): ${results.setup.demo.fallback}.`
    : `Demo estate (${DEMO_SIZE}) loaded by the server ${fmt(results.setup.demo.settledAfterEnginesSeconds)} s ` +
      `after the engines were up (\`${results.setup.demo.state}\`); ${results.setup.demo.services} services in ` +
      `the primary organization, ${results.setup.demo.metrics5mRows} rows in metrics_5m; copied into the separate ` +
      `PostgreSQL: ${Object.entries(results.setup.demo.copied)
        .map(([t, n]) => `${t} ${n} rows`)
        .join(', ')}.`
  : 'No demo estate (`TELEMETRYFLOW_MCP_DEMO_LOAD=never`).';
console.log(
  [
    '### SQL round trip: `pg_query` and `ch_query` on the embedded engines',
    '',
    `${CALLS} measured calls per subject in ${ROUNDS} rotating rounds, after ${WARMUP} warm-up calls each; ` +
      `${ERAS[ERA].label}, protocol ${results.params.protocol}. Latency is client-observed, in microseconds. ` +
      `Both engines were up ${fmt(results.setup.enginesUpSeconds)} s after spawn.`,
    '',
    demoLine,
    '',
    `- PostgreSQL read (${results.rows.pg_query} rows): \`${results.params.pgQuery.sql}\`` +
      (results.params.pgQuery.params.length ? ` with \`$1 = ${results.params.pgQuery.params[0]}\`` : ''),
    `- ClickHouse aggregate (${results.rows.ch_query} rows): \`${results.params.chQuery}\``,
    `- Plans of the PostgreSQL read (EXPLAIN, no ANALYZE), product and separate database: ` +
      (results.plans.sameShape ? 'same shape' : 'DIFFERENT shapes (see the JSON)') +
      ` (\`${planShape(results.plans.product).join(' → ')}\`).`,
    '',
    machineMarkdown(machine),
    '',
    markdownTable(
      [
        'Subject',
        right('median µs'),
        right('p95 µs'),
        right('p99 µs'),
        right('mean µs'),
        right('min µs'),
        right('max µs'),
        right('calls/s'),
      ],
      Object.values(s).map((x) => [
        x.label,
        fmt(x.micros.median),
        fmt(x.micros.p95),
        fmt(x.micros.p99),
        fmt(x.micros.mean),
        fmt(x.micros.min),
        fmt(x.micros.max),
        fmt(x.callsPerSecond, 0),
      ]),
    ),
    '',
    markdownTable(
      [
        'Ratio',
        right('median'),
        right('p95'),
        right('per-round median, min–max'),
        right('median difference µs'),
        ...(results.phases?.beforeLoss ? [right('median, rounds before the lost request')] : []),
      ],
      [
        ratioRow('pg_query / bare pg', r.pgQueryOverRawPg),
        ratioRow('pg_query / echo', r.pgQueryOverEcho),
        ratioRow('ch_query / echo', r.chQueryOverEcho),
        ratioRow('PostgresDatasource / bare pg', r.pgDatasourceOverRawPg),
        ratioRow('pg_query / PostgresDatasource', r.pgQueryOverPgDatasource),
        ratioRow('echo, data plane on / off', r.echoDataOnOverOff),
      ],
    ),
    ...phaseLines,
    '',
    `Statement classifier, in-process: ${fmt(results.classifierMicros.postgresql, 2)} µs (PostgreSQL read), ` +
      `${fmt(results.classifierMicros.clickhouse, 2)} µs (ClickHouse aggregate) per call. ` +
      `Product peak RSS ${fmt(results.productMemory?.peakRssMiB)} MiB. ` +
      `PostgreSQL session record (\`mcp_sessions.tool_calls\`) for ${results.sessionRecord.toolCallsMade} tool calls made: ` +
      `${results.sessionRecord.atEnd?.toolCalls ?? '—'} when measuring ended, ` +
      `${results.sessionRecord.recorded?.toolCalls ?? '—'} after ${fmt(results.sessionRecord.settleSeconds)} s` +
      `${results.sessionRecord.settled ? '' : ' (still moving)'}.`,
    '',
    `Requests lost (no answer within ${CALL_TIMEOUT_MS / 1000} s, left out of the figures): ` +
      `${results.lostRequests.measured.length} measured, ${results.lostRequests.warmup.length} in warm-up, ` +
      `${results.lostRequests.setup.length} health polls while starting` +
      (allLost.length
        ? ` (${allLost.map((l) => `${l.subject} after ${fmt(l.afterSeconds)} s`).join(', ')})`
        : '') +
      `. ClickHouse \`tool_calls\` held ${results.activityRecord.recordedInClickHouse ?? '—'} rows of this ` +
      `session for ${results.activityRecord.toolCallsMade} tool calls made` +
      (results.activityRecord.recordedInClickHouse === results.activityRecord.toolCallsMade
        ? ' (all recorded).'
        : ' (NOT all recorded).') +
      (results.serverPostgresLeftRunning
        ? ` The server's PostgreSQL (pid ${results.serverPostgresLeftRunning.pid}) outlived the server and was stopped by the script.`
        : ''),
    '',
    `Datasource time as the server reports it in each answer (\`duration_ms\`, rounded to whole ms; mean): ` +
      `pg_query ${fmt(s.pg_query.reportedDurationMs?.mean, 2)} ms, ch_query ${fmt(s.ch_query.reportedDurationMs?.mean, 2)} ms.`,
    '',
    `Raw summary: \`${written}\` (${startedAt}; measuring took ${fmt(results.measureSeconds)} s).`,
  ].join('\n'),
);
