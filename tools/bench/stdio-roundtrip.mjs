#!/usr/bin/env node
// Benchmark: sequential `tools/call echo` round trips over stdio, product vs. baseline.
//
//   node tools/bench/stdio-roundtrip.mjs [calls] [--rounds 10] [--warmup 200]
//        [--eras legacy,modern] [--product apps/mcp-stdio/dist/main.js]
//
// calls (default 2000) is per server and per protocol era; BENCH_CALLS works too.
// Both servers stay connected for the whole era, and the measured calls are split
// into rounds that alternate between them (and alternate who goes first), so any
// drift in machine speed lands on both sides. Progress goes to stderr; stdout is a
// markdown section; the full numbers go to results/stdio-roundtrip.json.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { fmt, fmtRatio, markdownTable, median, ratio, summarize } from './lib/stats.mjs';
import {
  BASELINE_MAIN,
  DEFAULT_PRODUCT_MAIN,
  machineInfo,
  machineMarkdown,
  memoryOf,
  positiveInt,
  repoPath,
  requireBuilt,
  roundSizes,
  sandbox,
  writeResults,
} from './lib/common.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    calls: { type: 'string', short: 'n' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    eras: { type: 'string' },
    product: { type: 'string' },
  },
});

const CALLS = positiveInt('calls', 2000, opts.calls, positionals[0], process.env.BENCH_CALLS);
const ROUNDS = Math.min(positiveInt('rounds', 10, opts.rounds, process.env.BENCH_ROUNDS), CALLS);
const WARMUP = positiveInt('warmup', 200, opts.warmup, process.env.BENCH_WARMUP);
const PRODUCT_MAIN = resolve(opts.product ?? process.env.BENCH_PRODUCT_MAIN ?? DEFAULT_PRODUCT_MAIN);
const MESSAGE = 'benchmark payload 0123456789';

const ERAS = [
  { key: 'legacy', label: 'legacy (initialize handshake)', clientOptions: {} },
  {
    key: 'modern',
    label: 'modern (pinned 2026-07-28)',
    clientOptions: { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  },
];
const wantedEras = (opts.eras ?? process.env.BENCH_ERAS ?? 'legacy,modern').split(',');

const log = (...parts) => console.error('[bench:stdio]', ...parts);

requireBuilt(PRODUCT_MAIN);
const box = sandbox();
const TARGETS = [
  { key: 'product', label: `product (${repoPath(PRODUCT_MAIN)})`, main: PRODUCT_MAIN },
  { key: 'baseline', label: 'baseline (bare SDK echo server)', main: BASELINE_MAIN },
];

/** Spawns one server and connects a fresh client to it for the given era. */
async function connect(target, era) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [target.main],
    env: box.env,
    cwd: box.cwd,
    stderr: 'pipe',
  });
  let stderrTail = '';
  transport.stderr?.on('data', (chunk) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const client = new Client({ name: 'tfo-bench', version: '0.0.0' }, era.clientOptions);
  try {
    await client.connect(transport);
  } catch (error) {
    await client.close().catch(() => {});
    const detail = stderrTail.trim() ? `\n--- server stderr ---\n${stderrTail.trim()}` : '';
    throw new Error(`${target.key}/${era.key}: connect failed: ${error.message}${detail}`);
  }
  return {
    ...target,
    client,
    pid: transport.pid,
    protocol: client.getNegotiatedProtocolVersion?.() ?? 'unknown',
    stderrTail: () => stderrTail,
  };
}

async function echoOnce(conn) {
  const result = await conn.client.callTool({ name: 'echo', arguments: { message: MESSAGE } });
  return result;
}

function assertEcho(conn, result) {
  const text = result?.content?.find?.((c) => c.type === 'text')?.text;
  if (result?.isError || typeof text !== 'string' || !text.includes(MESSAGE)) {
    throw new Error(
      `${conn.key}: echo tool did not return the message; got ${JSON.stringify(result).slice(0, 300)}`,
    );
  }
}

/** Runs `count` sequential calls; returns per-call microseconds and the block's wall time. */
async function block(conn, count) {
  const micros = new Float64Array(count);
  const started = process.hrtime.bigint();
  let last;
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    last = await echoOnce(conn);
    micros[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const wallNs = process.hrtime.bigint() - started;
  assertEcho(conn, last);
  return { micros, wallNs };
}

async function runEra(era) {
  log(`${era.key}: connecting both servers`);
  const conns = [];
  try {
    for (const target of TARGETS) conns.push(await connect(target, era));
  } catch (error) {
    await Promise.all(conns.map((c) => c.client.close().catch(() => {})));
    log(`${era.key}: skipped — ${error.message}`);
    return { era: era.key, label: era.label, skipped: error.message.split('\n')[0] };
  }

  try {
    for (const conn of conns) {
      log(`${era.key}: ${conn.key} speaks ${conn.protocol}; warming up with ${WARMUP} calls`);
      assertEcho(conn, await echoOnce(conn));
      for (let i = 1; i < WARMUP; i++) await echoOnce(conn);
    }

    const samples = Object.fromEntries(conns.map((c) => [c.key, []]));
    const wallNs = Object.fromEntries(conns.map((c) => [c.key, 0n]));
    const roundMedians = Object.fromEntries(conns.map((c) => [c.key, []]));
    const sizes = roundSizes(CALLS, ROUNDS);
    for (const [r, size] of sizes.entries()) {
      const order = r % 2 === 0 ? conns : [...conns].reverse();
      for (const conn of order) {
        const { micros, wallNs: ns } = await block(conn, size);
        samples[conn.key].push(...micros);
        wallNs[conn.key] += ns;
        roundMedians[conn.key].push(median(micros));
      }
      log(`${era.key}: round ${r + 1}/${sizes.length} done`);
    }

    const servers = {};
    for (const conn of conns) {
      servers[conn.key] = {
        label: conn.label,
        protocol: conn.protocol,
        micros: summarize(samples[conn.key]),
        callsPerSecond: samples[conn.key].length / (Number(wallNs[conn.key]) / 1e9),
        roundMediansMicros: roundMedians[conn.key],
        memory: memoryOf(conn.pid),
      };
    }
    const p = servers.product;
    const b = servers.baseline;
    const perRoundRatios = p.roundMediansMicros.map((m, i) => ratio(m, b.roundMediansMicros[i]));
    return {
      era: era.key,
      label: era.label,
      servers,
      ratios: {
        median: ratio(p.micros.median, b.micros.median),
        p95: ratio(p.micros.p95, b.micros.p95),
        p99: ratio(p.micros.p99, b.micros.p99),
        callsPerSecond: ratio(p.callsPerSecond, b.callsPerSecond),
        perRoundMedian: { min: Math.min(...perRoundRatios), max: Math.max(...perRoundRatios) },
      },
    };
  } finally {
    await Promise.all(conns.map((c) => c.client.close().catch(() => {})));
  }
}

const machine = machineInfo();
const startedAt = new Date().toISOString();
const eras = [];
for (const era of ERAS.filter((e) => wantedEras.includes(e.key))) eras.push(await runEra(era));

const results = {
  benchmark: 'stdio-roundtrip',
  startedAt,
  machine,
  params: { callsPerServerPerEra: CALLS, rounds: ROUNDS, warmupCalls: WARMUP, messageBytes: MESSAGE.length },
  product: repoPath(PRODUCT_MAIN),
  baseline: repoPath(BASELINE_MAIN),
  eras,
};
const written = await writeResults('stdio-roundtrip', results);

// ---- markdown report -------------------------------------------------------
const measured = eras.filter((e) => !e.skipped);
const right = (title) => ({ title, align: 'right' });
const lines = [
  '### stdio round trip: sequential `tools/call echo`',
  '',
  `${CALLS} measured calls per server per era, in ${ROUNDS} alternating rounds, after ${WARMUP} warm-up calls; ` +
    `${MESSAGE.length}-byte message; one SDK \`Client\` per server over \`StdioClientTransport\`. ` +
    'Latency is client-observed, in microseconds.',
  '',
  machineMarkdown(machine),
  '',
  markdownTable(
    [
      'Era',
      'Server',
      'Protocol',
      right('median µs'),
      right('p95 µs'),
      right('p99 µs'),
      right('mean µs'),
      right('min µs'),
      right('max µs'),
      right('calls/s'),
      right('peak RSS MiB'),
    ],
    measured.flatMap((e) =>
      Object.values(e.servers).map((s) => [
        e.era,
        s.label,
        s.protocol,
        fmt(s.micros.median),
        fmt(s.micros.p95),
        fmt(s.micros.p99),
        fmt(s.micros.mean),
        fmt(s.micros.min),
        fmt(s.micros.max),
        fmt(s.callsPerSecond, 0),
        fmt(s.memory?.peakRssMiB),
      ]),
    ),
  ),
  '',
  'Ratios are product / baseline (above 1× means the product is slower, except calls/s where below 1× is slower).',
  '',
  markdownTable(
    [
      'Era',
      right('median'),
      right('p95'),
      right('p99'),
      right('calls/s'),
      right('per-round median ratio, min–max'),
    ],
    measured.map((e) => [
      e.era,
      fmtRatio(e.ratios.median),
      fmtRatio(e.ratios.p95),
      fmtRatio(e.ratios.p99),
      fmtRatio(e.ratios.callsPerSecond),
      `${fmtRatio(e.ratios.perRoundMedian.min)} – ${fmtRatio(e.ratios.perRoundMedian.max)}`,
    ]),
  ),
];
for (const e of eras.filter((x) => x.skipped)) lines.push('', `Era \`${e.era}\` skipped: ${e.skipped}`);
lines.push('', `Raw summary: \`${written}\` (${startedAt}).`);
console.log(lines.join('\n'));
