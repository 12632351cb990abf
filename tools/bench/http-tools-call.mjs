#!/usr/bin/env node
// Benchmark: stateless `tools/call echo` over Streamable HTTP at several concurrencies, the
// product's HTTP server against a bare SDK server in the same run.
//
//   node tools/bench/http-tools-call.mjs [requests] [--rounds 5] [--warmup 500]
//        [--concurrency 1,10,50] [--eras legacy,modern] [--demo small] [--settle 5]
//        [--product apps/mcp-http/dist/main.js] [--json]
//
// requests (default 3000; BENCH_REQUESTS) is per server, per protocol era and per concurrency.
//
// The product runs as it does on a developer's machine, with everything a request meets on:
// embedded PostgreSQL and ClickHouse (chdb) in a throw-away data directory with the demo estate
// of --demo written into them; the local API key it prints (every request carries it, so every
// request is authenticated); the per-credential rate limiter, with budgets set far above what
// the run sends so it counts but never refuses; and the activity recorder, which writes a row per
// tool call into ClickHouse's tool_calls. The baseline is baseline/http-echo-server.mjs: the SDK's
// createMcpHandler with one echo tool behind node:http, nothing else. Both are stateless: every
// request is served by a fresh MCP server instance (the product's carries its whole catalog).
//
// One client drives both: raw JSON-RPC POSTs over node:http keep-alive connections (an Agent),
// with the body built from a template, the shape the SDK client sends in the era measured
// (2025-11-25 without initialize: the stateless legacy route; 2026-07-28 with the per-request
// `_meta` envelope). It is the cheapest client that still speaks the protocol, so on a 2-core
// machine the client takes as little as possible of the CPU both servers need.
//
// For each era and concurrency c, `c` workers send requests back to back until the block's
// count is reached. The requests are split into rounds; in each round both servers run one
// block and the server that starts alternates, so drift on the machine lands on both. Latency
// is measured per request in this process; throughput is a block's requests over its wall time,
// and the figure reported is the median over the rounds. The CPU time each server process used
// during its blocks (user + system, all threads, from /proc/<pid>/stat) per answered request is
// reported too, and the client's own: on a shared machine CPU per request moves much less than
// wall-clock figures do. The product's memory is read from /proc: idle after start (the demo
// estate written and the server left alone for --settle s), the highest resident size sampled
// every 100 ms while measuring at each concurrency, and after the last block. A second product
// process without the demo estate gives the idle figure of a server whose engines hold only
// their migrations. The embedded PostgreSQL runs in processes of its own; its memory is given
// apart, as the sum of their proportional set sizes. The ClickHouse of the product (chdb) runs
// inside the server process and is part of its resident size.
//
// At the end the script checks what the product recorded: ClickHouse's tool_calls must hold a
// row for every echo call answered (the recorder flushes in the background, so it counts again
// until the number stops moving), and /metrics must show no rate-limited request.
//
// Progress goes to stderr; stdout is a markdown section (or, with --json, the results); the
// numbers go to results/http-tools-call.json.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, fmtRatio, markdownTable, median, ratio, summarize } from './lib/stats.mjs';
import {
  BENCH_DIR,
  REPO_ROOT,
  engineDataDir,
  machineInfo,
  machineMarkdown,
  memoryOf,
  positiveInt,
  repoPath,
  requireBuilt,
  roundSizes,
  sandbox,
  waitForExit,
  writeResults,
} from './lib/common.mjs';
import { stopLeftPostgres } from './lib/engines.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', short: 'n' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    eras: { type: 'string' },
    demo: { type: 'string' },
    settle: { type: 'string' },
    product: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const REQUESTS = positiveInt('requests', 3000, opts.requests, positionals[0], process.env.BENCH_REQUESTS);
const ROUNDS = Math.min(positiveInt('rounds', 5, opts.rounds, process.env.BENCH_ROUNDS), REQUESTS);
const WARMUP = positiveInt('warmup', 500, opts.warmup, process.env.BENCH_WARMUP);
const SETTLE_SECONDS = positiveInt('settle', 5, opts.settle, process.env.BENCH_SETTLE);
const CONCURRENCY = (opts.concurrency ?? process.env.BENCH_CONCURRENCY ?? '1,10,50')
  .split(',')
  .map((c) => positiveInt('concurrency', undefined, c.trim()));
const WANTED_ERAS = (opts.eras ?? process.env.BENCH_ERAS ?? 'legacy,modern').split(',').map((e) => e.trim());
const DEMO_SIZE = opts.demo ?? process.env.BENCH_DEMO ?? 'small';
const PRODUCT_MAIN = resolve(
  opts.product ?? process.env.BENCH_PRODUCT_MAIN ?? join(REPO_ROOT, 'apps', 'mcp-http', 'dist', 'main.js'),
);
const BASELINE_MAIN = join(BENCH_DIR, 'baseline/http-echo-server.mjs');
const MESSAGE = 'benchmark payload 0123456789';
/** Budgets far above what the run sends: the limiter takes a token per request and never refuses. */
const UNREACHED_RATE = '100000000';
const UNREACHED_BURST = '1000000';
const BANNER_TIMEOUT_MS = 240_000;
const DEMO_TIMEOUT_MS = 900_000;
const REQUEST_TIMEOUT_MS = 30_000;
const SHUTDOWN_TIMEOUT_MS = 20_000;
const MEMORY_SAMPLE_MS = 100;

if (!['small', 'standard', 'large'].includes(DEMO_SIZE)) {
  console.error(`--demo must be small, standard or large, got ${JSON.stringify(DEMO_SIZE)}`);
  process.exit(2);
}

const log = (...parts) => console.error('[bench:http]', ...parts);

// ---- the two protocol eras: headers and body of one echo call ---------------------------

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'tfo-bench', version: '0.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const ERAS = {
  legacy: {
    label: '2025-11-25, stateless (no initialize)',
    headers: { 'mcp-protocol-version': '2025-11-25' },
    params: JSON.stringify({ name: 'echo', arguments: { message: MESSAGE } }),
  },
  modern: {
    label: '2026-07-28 (per-request `_meta` envelope)',
    headers: { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
    params: JSON.stringify({ name: 'echo', arguments: { message: MESSAGE }, _meta: ENVELOPE }),
  },
};
for (const era of WANTED_ERAS) {
  if (!ERAS[era]) {
    console.error(`--eras takes legacy and/or modern, got ${JSON.stringify(era)}`);
    process.exit(2);
  }
}
const ECHOED = `"text":"${MESSAGE}"`;

// ---- processes ----------------------------------------------------------------------------

requireBuilt(PRODUCT_MAIN);
const box = sandbox();
const children = new Set();
process.once('SIGINT', () => {
  for (const child of children) child.kill('SIGTERM');
  process.exit(130);
});

/** A free TCP port on loopback (the product takes its port from the configuration). */
function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * Spawns `node <main> [...args]` in the sandbox and resolves once stdout holds everything
 * `ready` looks for (it returns undefined until then); stderr is drained, its tail kept.
 */
async function spawnServer(key, main, args, env, ready, timeoutMs) {
  const child = spawn(process.execPath, [main, ...args], {
    cwd: box.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderrTail = '';
  child.stderr.on('data', (chunk) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  void exited.then(() => children.delete(child));
  const found = await new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`${key}: not ready within ${timeoutMs / 1000} s\n${stderrTail}`)),
      timeoutMs,
    );
    child.stdout.on('data', (chunk) => {
      stdout += chunk.toString();
      let value;
      try {
        value = ready(stdout);
      } catch (error) {
        clearTimeout(timer);
        fail(new Error(`${key}: ${error.message}\n${stderrTail}`));
        return;
      }
      if (value !== undefined) {
        clearTimeout(timer);
        done(value);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`${key}: exited (${code ?? signal}) before it was ready\n${stderrTail}`));
    });
  });
  return {
    key,
    pid: child.pid,
    ...found,
    stderrTail: () => stderrTail,
    /** SIGTERM, then the exit (the product stops its engines first). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

function productEnv(port, dataDir, demoLoad) {
  return {
    ...box.env,
    TELEMETRYFLOW_MCP_SERVER_HOST: '127.0.0.1',
    TELEMETRYFLOW_MCP_SERVER_PORT: String(port),
    TELEMETRYFLOW_MCP_DATA_ENABLED: 'true',
    TELEMETRYFLOW_MCP_DATA_DIR: dataDir,
    TELEMETRYFLOW_MCP_DEMO_LOAD: demoLoad,
    TELEMETRYFLOW_MCP_DEMO_SIZE: DEMO_SIZE,
    TELEMETRYFLOW_MCP_HTTP_SESSIONS: 'stateless',
    TELEMETRYFLOW_MCP_AUTH_API_KEYS: 'true',
    TELEMETRYFLOW_MCP_AUTH_LOCAL_KEY: 'true',
    TELEMETRYFLOW_MCP_AUTH_ANONYMOUS_LOOPBACK: 'false',
    TELEMETRYFLOW_MCP_LIMITS_USER_REQUESTS_PER_MINUTE: UNREACHED_RATE,
    TELEMETRYFLOW_MCP_LIMITS_SERVICE_REQUESTS_PER_MINUTE: UNREACHED_RATE,
    TELEMETRYFLOW_MCP_LIMITS_BURST: UNREACHED_BURST,
  };
}

/** The product with the demo estate; resolves with its endpoint and local API key. */
async function startProduct() {
  const port = await freePort();
  const dataDir = engineDataDir(box, 'data');
  const server = await spawnServer(
    'product',
    PRODUCT_MAIN,
    [],
    productEnv(port, dataDir, 'embedded'),
    (out) => {
      const url = /MCP endpoint: (\S+)/.exec(out)?.[1];
      const apiKey = /Local API key[^:]*: (\S+)/.exec(out)?.[1];
      if (url && apiKey) return { url, apiKey };
      if (url && /\n\nConnect:/.test(out)) {
        throw new Error('the product printed no local API key; see its log (TELEMETRYFLOW_MCP_LOG_LEVEL)');
      }
      return undefined;
    },
    BANNER_TIMEOUT_MS,
  );
  return { ...server, port, dataDir, headers: { authorization: `Bearer ${server.apiKey}` } };
}

async function startBaseline() {
  const server = await spawnServer(
    'baseline',
    BASELINE_MAIN,
    ['0'],
    box.env,
    (out) => {
      const url = /MCP endpoint: (\S+)/.exec(out)?.[1];
      return url ? { url } : undefined;
    },
    30_000,
  );
  return { ...server, port: Number(new URL(server.url).port), headers: {} };
}

// ---- memory --------------------------------------------------------------------------------

/** Proportional set size (KiB) of one process, from smaps_rollup; 0 when unreadable. */
function pssKiB(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Memory of the product's embedded PostgreSQL: the postmaster (from postmaster.pid) and its
 * children, as the sum of their proportional set sizes (shared buffers counted once).
 */
function postgresMemory(dataDir) {
  try {
    const postmaster = Number(
      readFileSync(join(dataDir, 'postgres', 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const pids = [postmaster];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === postmaster) pids.push(Number(entry));
      } catch {
        // the process ended while we looked
      }
    }
    return { processes: pids.length, pssMiB: pids.reduce((sum, pid) => sum + pssKiB(pid), 0) / 1024 };
  } catch {
    return undefined;
  }
}

/** Samples the resident size of `pid` every MEMORY_SAMPLE_MS; `stop()` returns the highest. */
function rssSampler(pid) {
  let peak = memoryOf(pid)?.rssMiB ?? Number.NaN;
  const timer = setInterval(() => {
    const now = memoryOf(pid)?.rssMiB;
    if (now !== undefined && !(now <= peak)) peak = now;
  }, MEMORY_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU time (user + system, every thread) a process has used so far, in microseconds. */
function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

// ---- the client -----------------------------------------------------------------------------

/** One JSON-RPC POST to `/mcp`; resolves with the status and the body text. */
function post(target, headers, body) {
  return new Promise((done, fail) => {
    const req = httpRequest(
      {
        agent: target.agent,
        host: '127.0.0.1',
        port: target.port,
        path: '/mcp',
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, text }));
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', fail);
    req.end(body);
  });
}

const ACCEPT = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
let nextId = 1;

/** Builds the request function of one server in one era. */
function caller(target, eraKey) {
  const era = ERAS[eraKey];
  const headers = { ...ACCEPT, ...era.headers, ...target.headers };
  const prefix = '{"jsonrpc":"2.0","method":"tools/call","params":' + era.params + ',"id":';
  return async () => {
    const answer = await post(target, headers, `${prefix}${nextId++}}`);
    const ok =
      answer.status === 200 && answer.text.includes(ECHOED) && !answer.text.includes('"isError":true');
    return ok ? undefined : `${answer.status} ${answer.text.slice(0, 300)}`;
  };
}

/**
 * `count` requests from `concurrency` workers, each sending its next request when the previous
 * one is answered. Returns per-request microseconds of the answered ones, the wall time, and the
 * failures (a refused or wrong answer, or a transport error) with the first one's text.
 */
async function block(call, count, concurrency) {
  const micros = [];
  let issued = 0;
  let failures = 0;
  let firstFailure;
  const worker = async () => {
    while (issued < count) {
      issued += 1;
      const t0 = process.hrtime.bigint();
      let failure;
      try {
        failure = await call();
      } catch (error) {
        failure = `transport: ${error.message}`;
      }
      if (failure === undefined) micros.push(Number(process.hrtime.bigint() - t0) / 1000);
      else {
        failures += 1;
        firstFailure ??= failure;
      }
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { micros, wallNs: process.hrtime.bigint() - started, failures, firstFailure };
}

// ---- the product's own view -----------------------------------------------------------------

/** One MCP request to the product in the 2026-07-28 shape; resolves with the JSON-RPC result. */
async function productRpc(product, method, params, extraHeaders = {}) {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: nextId++,
    method,
    params: { ...params, _meta: ENVELOPE },
  });
  const answer = await post(
    product,
    {
      ...ACCEPT,
      ...product.headers,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...extraHeaders,
    },
    body,
  );
  const json = answer.text.startsWith('{')
    ? JSON.parse(answer.text)
    : JSON.parse(/^data: (.*)$/m.exec(answer.text)?.[1] ?? 'null');
  if (answer.status !== 200 || !json?.result) {
    throw new Error(`${method}: ${answer.status} ${answer.text.slice(0, 500)}`);
  }
  return json.result;
}

async function health(product) {
  const result = await productRpc(
    product,
    'resources/read',
    { uri: 'status://health' },
    { 'mcp-name': 'status://health' },
  );
  const body = JSON.parse(result.contents[0].text);
  return Object.fromEntries(body.components.map((c) => [c.name, c]));
}

/** Waits until both engines are up and the demo estate has left waiting/loading. */
async function waitForDemo(product) {
  const started = Date.now();
  for (;;) {
    const components = await health(product);
    const demo = components['demo-estate'];
    const state = demo?.detail ?? demo?.status ?? 'absent';
    if (
      components.postgresql?.status === 'up' &&
      components.clickhouse?.status === 'up' &&
      !/^(waiting|loading)/.test(state)
    ) {
      return { state, seconds: (Date.now() - started) / 1000 };
    }
    if (Date.now() - started > DEMO_TIMEOUT_MS) throw new Error(`demo estate not settled: ${state}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Echo calls of the key's organization in ClickHouse's tool_calls over the last hour, through
 * `ch_tool_analytics` (the product offers no free SQL over HTTP). The demo estate writes tool
 * calls of its own, so the run compares the count before and after.
 */
async function recordedEchoCalls(product) {
  const result = await productRpc(
    product,
    'tools/call',
    { name: 'ch_tool_analytics', arguments: { tool_name: 'echo', hours: 1 } },
    { 'mcp-name': 'ch_tool_analytics' },
  );
  const text = result.content?.find?.((c) => c.type === 'text')?.text ?? '';
  if (result.isError) throw new Error(`counting tool_calls: ${text.slice(0, 300)}`);
  return Number(JSON.parse(text).rows?.[0]?.total_calls ?? 0);
}

/** Counters of the product's /metrics that this run looks at. */
async function productMetrics(product) {
  const text = await new Promise((done, fail) => {
    const req = httpRequest(
      { agent: product.agent, host: '127.0.0.1', port: product.port, path: '/metrics' },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => done(body));
      },
    );
    req.on('error', fail);
    req.end();
  });
  const value = (pattern) => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    rateLimited: value('tfo_rate_limited_total'),
    echoSuccess: value('tfo_tool_calls_total\\{tool="echo",outcome="success"\\}'),
  };
}

// ---- the run --------------------------------------------------------------------------------

/** Idle memory of a product process whose engines hold only their migrations (no demo estate). */
async function idleWithoutDemo() {
  const port = await freePort();
  const dataDir = engineDataDir(box, 'data-no-demo');
  const server = await spawnServer(
    'product-no-demo',
    PRODUCT_MAIN,
    [],
    productEnv(port, dataDir, 'never'),
    (out) => (/MCP endpoint: (\S+)/.test(out) && /\n\nConnect:/.test(out) ? {} : undefined),
    BANNER_TIMEOUT_MS,
  );
  try {
    for (let i = 0; i < 480; i++) {
      const status = await new Promise((done) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/readyz' }, (res) => {
          res.resume();
          done(res.statusCode);
        });
        req.on('error', () => done(0));
        req.end();
      });
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
    return { ...memoryOf(server.pid), postgres: postgresMemory(dataDir) };
  } finally {
    await server.stop();
    await stopLeftPostgres(dataDir, log);
  }
}

const machine = machineInfo();
const startedAt = new Date().toISOString();
let product;
let baseline;
let results;
try {
  log('starting a product process without the demo estate, for its idle memory');
  const noDemo = await idleWithoutDemo();
  log(`idle without the demo estate: ${fmt(noDemo.rssMiB)} MiB resident`);

  log(`starting the product (embedded engines, demo estate ${DEMO_SIZE}) and the baseline`);
  const setupStarted = Date.now();
  [product, baseline] = await Promise.all([startProduct(), startBaseline()]);
  const bannerSeconds = (Date.now() - setupStarted) / 1000;
  product.agent = new Agent({ keepAlive: true, maxSockets: 256 });
  baseline.agent = new Agent({ keepAlive: true, maxSockets: 256 });
  log(`product banner after ${bannerSeconds.toFixed(1)} s; waiting for the demo estate`);
  const demo = await waitForDemo(product);
  log(`demo estate: ${demo.state}`);
  await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
  const idle = {
    product: { ...memoryOf(product.pid), postgres: postgresMemory(product.dataDir) },
    productWithoutDemo: noDemo,
    baseline: memoryOf(baseline.pid),
  };
  log(`idle: product ${fmt(idle.product.rssMiB)} MiB, baseline ${fmt(idle.baseline.rssMiB)} MiB resident`);

  const recordedBefore = await recordedEchoCalls(product);
  const metricsBefore = await productMetrics(product);
  let productEchoAnswered = 0;
  const eras = [];
  for (const eraKey of WANTED_ERAS) {
    const targets = [product, baseline].map((target) => ({ target, call: caller(target, eraKey) }));
    for (const { target, call } of targets) {
      log(`${eraKey}: warming up ${target.key} with ${WARMUP} requests`);
      const warm = await block(call, WARMUP, 10);
      if (warm.failures > 0) throw new Error(`${target.key}/${eraKey}: warm-up failed: ${warm.firstFailure}`);
      if (target === product) productEchoAnswered += warm.micros.length;
    }
    const levels = [];
    for (const concurrency of CONCURRENCY) {
      const samples = { product: [], baseline: [] };
      const perRound = { product: [], baseline: [] };
      const failures = { product: 0, baseline: 0 };
      const firstFailure = {};
      const peakRss = { product: 0, baseline: 0 };
      const cpu = { product: { server: 0, client: 0 }, baseline: { server: 0, client: 0 } };
      for (const [r, size] of roundSizes(REQUESTS, ROUNDS).entries()) {
        const order = r % 2 === 0 ? targets : [...targets].reverse();
        for (const { target, call } of order) {
          const sampler = rssSampler(target.pid);
          const serverCpu = cpuMicros(target.pid);
          const clientCpu = process.cpuUsage();
          const result = await block(call, size, concurrency);
          const clientCpuUsed = process.cpuUsage(clientCpu);
          cpu[target.key].server += cpuMicros(target.pid) - serverCpu;
          cpu[target.key].client += clientCpuUsed.user + clientCpuUsed.system;
          peakRss[target.key] = Math.max(peakRss[target.key], sampler.stop());
          samples[target.key].push(...result.micros);
          failures[target.key] += result.failures;
          firstFailure[target.key] ??= result.firstFailure;
          if (target === product) productEchoAnswered += result.micros.length;
          perRound[target.key].push({
            requestsPerSecond: result.micros.length / (Number(result.wallNs) / 1e9),
            medianMicros: median(result.micros),
          });
        }
      }
      const servers = {};
      for (const key of ['product', 'baseline']) {
        servers[key] = {
          micros: summarize(samples[key]),
          requestsPerSecond: median(perRound[key].map((x) => x.requestsPerSecond)),
          perRound: perRound[key],
          failures: failures[key],
          ...(firstFailure[key] ? { firstFailure: firstFailure[key] } : {}),
          peakRssMiB: peakRss[key],
          serverCpuMicrosPerRequest: cpu[key].server / samples[key].length,
          clientCpuMicrosPerRequest: cpu[key].client / samples[key].length,
        };
      }
      const p = servers.product;
      const b = servers.baseline;
      const roundRatios = p.perRound.map((x, i) =>
        ratio(x.requestsPerSecond, b.perRound[i].requestsPerSecond),
      );
      levels.push({
        concurrency,
        servers,
        ratios: {
          requestsPerSecond: ratio(p.requestsPerSecond, b.requestsPerSecond),
          median: ratio(p.micros.median, b.micros.median),
          p99: ratio(p.micros.p99, b.micros.p99),
          perRoundRequestsPerSecond: { min: Math.min(...roundRatios), max: Math.max(...roundRatios) },
          serverCpuPerRequest: ratio(p.serverCpuMicrosPerRequest, b.serverCpuMicrosPerRequest),
        },
      });
      log(
        `${eraKey} c=${concurrency}: product ${fmt(p.requestsPerSecond, 0)} req/s, ` +
          `baseline ${fmt(b.requestsPerSecond, 0)} req/s (${fmtRatio(ratio(p.requestsPerSecond, b.requestsPerSecond))})`,
      );
    }
    eras.push({ era: eraKey, label: ERAS[eraKey].label, levels });
  }
  const afterRun = {
    product: { ...memoryOf(product.pid), postgres: postgresMemory(product.dataDir) },
    baseline: memoryOf(baseline.pid),
  };

  // What the product recorded about the calls it answered.
  const metricsAfter = await productMetrics(product);
  let recorded = Number.NaN;
  const auditStarted = Date.now();
  for (let attempt = 0; attempt < 30; attempt++) {
    await new Promise((r) => setTimeout(r, 1_000));
    const n = (await recordedEchoCalls(product)) - recordedBefore;
    const stable = n === recorded;
    recorded = n;
    if (n >= productEchoAnswered || stable) break;
  }
  const audit = {
    echoCallsAnswered: productEchoAnswered,
    recordedInClickHouse: recorded,
    settleSeconds: (Date.now() - auditStarted) / 1000,
    echoSuccessOnMetrics: metricsAfter.echoSuccess - metricsBefore.echoSuccess,
    rateLimited: metricsAfter.rateLimited - metricsBefore.rateLimited,
  };
  log(
    `audit: ${recorded} of ${productEchoAnswered} echo calls in tool_calls; ${audit.rateLimited} rate-limited`,
  );

  results = {
    benchmark: 'http-tools-call',
    startedAt,
    machine,
    loadAverage1mAtEnd: machineInfo().loadAverage1m,
    params: {
      requestsPerServerPerLevel: REQUESTS,
      rounds: ROUNDS,
      warmupRequests: WARMUP,
      concurrency: CONCURRENCY,
      eras: WANTED_ERAS,
      demoSize: DEMO_SIZE,
      settleSeconds: SETTLE_SECONDS,
      messageBytes: MESSAGE.length,
      client: 'node:http keep-alive Agent, raw JSON-RPC POSTs',
    },
    product: repoPath(PRODUCT_MAIN),
    baseline: repoPath(BASELINE_MAIN),
    setup: { bannerSeconds, demo },
    memory: { idle, afterRun },
    audit,
    eras,
  };
} finally {
  const stops = [];
  if (baseline) stops.push(baseline.stop());
  if (product) {
    stops.push(
      product.stop().then(async (exit) => {
        if (results) results.productExit = exit;
        await waitForExit(product.pid, SHUTDOWN_TIMEOUT_MS);
        await stopLeftPostgres(product.dataDir, log);
      }),
    );
  }
  await Promise.allSettled(stops);
  // A server that failed to start beside the other one is still running: stop it too.
  for (const child of children) child.kill('SIGTERM');
  product?.agent?.destroy();
  baseline?.agent?.destroy();
}

const written = await writeResults('http-tools-call', results);

if (opts.json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  // ---- markdown report ------------------------------------------------------------------------
  const right = (title) => ({ title, align: 'right' });
  const ms = (micros) => fmt(micros / 1000, 2);
  const rows = [];
  const ratioRows = [];
  for (const era of results.eras) {
    for (const level of era.levels) {
      for (const [key, label] of [
        ['product', 'product'],
        ['baseline', 'baseline'],
      ]) {
        const s = level.servers[key];
        rows.push([
          era.era,
          String(level.concurrency),
          label,
          fmt(s.requestsPerSecond, 0),
          ms(s.micros.median),
          ms(s.micros.p95),
          ms(s.micros.p99),
          ms(s.micros.max),
          fmt(s.serverCpuMicrosPerRequest, 0),
          fmt(s.clientCpuMicrosPerRequest, 0),
          String(s.failures),
          fmt(s.peakRssMiB),
        ]);
      }
      ratioRows.push([
        era.era,
        String(level.concurrency),
        fmtRatio(level.ratios.requestsPerSecond),
        `${fmtRatio(level.ratios.perRoundRequestsPerSecond.min)} – ${fmtRatio(level.ratios.perRoundRequestsPerSecond.max)}`,
        fmtRatio(level.ratios.median),
        fmtRatio(level.ratios.p99),
        fmtRatio(level.ratios.serverCpuPerRequest),
      ]);
    }
  }
  const { idle, afterRun } = results.memory;
  const pgMiB = (m) => (m?.postgres ? `${fmt(m.postgres.pssMiB)} (${m.postgres.processes} processes)` : '—');
  const { audit } = results;
  const lines = [
    '### HTTP `tools/call echo`: product vs. bare SDK server',
    '',
    `${REQUESTS} requests per server, era and concurrency, in ${ROUNDS} alternating rounds, after ${WARMUP} ` +
      `warm-up requests per server and era; ${MESSAGE.length}-byte message; raw JSON-RPC POSTs over node:http ` +
      'keep-alive connections. Product: API key, rate limiter (never refusing), activity recording into embedded ' +
      `ClickHouse, demo estate \`${DEMO_SIZE}\`. Latency is client-observed, in milliseconds; req/s is the median ` +
      'over the rounds; CPU is what each process used during its blocks, per answered request.',
    '',
    machineMarkdown(machine),
    '',
    markdownTable(
      [
        'Era',
        right('c'),
        'Server',
        right('req/s'),
        right('median ms'),
        right('p95 ms'),
        right('p99 ms'),
        right('max ms'),
        right('server CPU µs/req'),
        right('client CPU µs/req'),
        right('failed'),
        right('peak RSS MiB'),
      ],
      rows,
    ),
    '',
    'Ratios are product / baseline (req/s below 1× and latency above 1× mean the product is slower).',
    '',
    markdownTable(
      [
        'Era',
        right('c'),
        right('req/s'),
        right('req/s per round, min–max'),
        right('median'),
        right('p99'),
        right('server CPU per request'),
      ],
      ratioRows,
    ),
    '',
    markdownTable(
      ['Memory', right('product RSS MiB'), right('its PostgreSQL, PSS MiB'), right('baseline RSS MiB')],
      [
        [
          'idle, no demo estate (second process)',
          fmt(idle.productWithoutDemo.rssMiB),
          pgMiB(idle.productWithoutDemo),
          '—',
        ],
        [
          `idle after start, demo estate \`${DEMO_SIZE}\` written`,
          fmt(idle.product.rssMiB),
          pgMiB(idle.product),
          fmt(idle.baseline.rssMiB),
        ],
        [
          'after the last block',
          fmt(afterRun.product.rssMiB),
          pgMiB(afterRun.product),
          fmt(afterRun.baseline.rssMiB),
        ],
        [
          'peak since start (VmHWM)',
          fmt(afterRun.product.peakRssMiB),
          '—',
          fmt(afterRun.baseline.peakRssMiB),
        ],
      ],
    ),
    '',
    `Recorded: ClickHouse \`tool_calls\` held ${audit.recordedInClickHouse} rows for the ${audit.echoCallsAnswered} ` +
      `echo calls the product answered (counted for ${fmt(audit.settleSeconds)} s after the run); ` +
      `/metrics counted ${audit.echoSuccessOnMetrics} successful echo calls and ${audit.rateLimited} rate-limited requests. ` +
      `Banner after ${fmt(results.setup.bannerSeconds)} s; demo estate: ${results.setup.demo.state}.`,
    '',
    `Raw summary: \`${written}\` (${startedAt}).`,
  ];
  console.log(lines.join('\n'));
}
