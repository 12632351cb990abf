#!/usr/bin/env node
// Benchmark: cold start to the first `initialize` reply, product vs. baseline.
//
//   node tools/bench/cold-start.mjs [runs] [--warmup 1] [--product apps/mcp-stdio/dist/main.js]
//
// runs (default 15; BENCH_RUNS works too) is per subject. Each run spawns a fresh
// `node <entry>` process, writes one raw JSON-RPC `initialize` line to its stdin
// straight away, and stops the clock when a complete line arrives on stdout.
// Subjects rotate inside every run (product, baseline, `node -e ""`) so drift is
// shared. The `node -e ""` spawn-to-exit time is the floor no Node server can beat.
// Each process is allowed to exit before the next one starts. Progress goes to
// stderr; stdout is a markdown section; numbers go to results/cold-start.json.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fmt, fmtRatio, markdownTable, ratio, summarize } from './lib/stats.mjs';
import {
  BASELINE_MAIN,
  DEFAULT_PRODUCT_MAIN,
  machineInfo,
  machineMarkdown,
  positiveInt,
  repoPath,
  requireBuilt,
  sandbox,
  writeResults,
} from './lib/common.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', short: 'k' },
    warmup: { type: 'string' },
    product: { type: 'string' },
  },
});

const RUNS = positiveInt('runs', 15, opts.runs, positionals[0], process.env.BENCH_RUNS);
const WARMUP = Number(opts.warmup ?? process.env.BENCH_WARMUP ?? 1);
const PRODUCT_MAIN = resolve(opts.product ?? process.env.BENCH_PRODUCT_MAIN ?? DEFAULT_PRODUCT_MAIN);
const TIMEOUT_MS = 20_000;
const INITIALIZE =
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'bench', version: '0' },
    },
  }) + '\n';

const log = (...parts) => console.error('[bench:cold-start]', ...parts);

requireBuilt(PRODUCT_MAIN);
const box = sandbox();

const ms = (fromNs, toNs) => Number(toNs - fromNs) / 1e6;

/**
 * Spawns `node <args>`, optionally sends the initialize line, and resolves once
 * the process has exited with the timings of interest (milliseconds):
 *   ready    spawn() call → first complete stdout line (servers) or → exit (floor)
 *   shutdown stdin closed → process exit (servers only)
 */
function runOnce(subject) {
  return new Promise((done, fail) => {
    let stdout = '';
    let stderr = '';
    let readyAt;
    let stdinClosedAt;
    let reply;
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, subject.args, {
      cwd: box.cwd,
      env: box.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (subject.sendsInitialize) child.stdin.write(INITIALIZE);
    else child.stdin.end();

    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${subject.key}: no reply within ${TIMEOUT_MS} ms; stderr: ${stderr.slice(-2000)}`));
    }, TIMEOUT_MS);
    let termTimer;

    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.stdout.on('data', (chunk) => {
      if (readyAt !== undefined) return;
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      readyAt = process.hrtime.bigint();
      const line = stdout.slice(0, newline);
      try {
        reply = JSON.parse(line);
      } catch {
        reply = { unparsable: line.slice(0, 200) };
      }
      // Ask politely (EOF on stdin); insist if the server lingers.
      stdinClosedAt = process.hrtime.bigint();
      child.stdin.end();
      termTimer = setTimeout(() => child.kill('SIGTERM'), 3000);
    });
    child.on('error', (error) => {
      clearTimeout(killer);
      fail(error);
    });
    child.on('exit', (code, signal) => {
      const exitedAt = process.hrtime.bigint();
      clearTimeout(killer);
      clearTimeout(termTimer);
      if (!subject.sendsInitialize) {
        done({ readyMs: ms(t0, exitedAt) });
        return;
      }
      if (readyAt === undefined) {
        fail(
          new Error(
            `${subject.key}: exited (${signal ?? code}) before replying; stderr: ${stderr.slice(-2000)}`,
          ),
        );
        return;
      }
      if (reply?.id !== 1 || !reply?.result) {
        fail(
          new Error(
            `${subject.key}: first stdout line is not the initialize result: ${JSON.stringify(reply)}`,
          ),
        );
        return;
      }
      done({
        readyMs: ms(t0, readyAt),
        shutdownMs: ms(stdinClosedAt, exitedAt),
        exit: signal ?? code,
        protocolVersion: reply.result.protocolVersion,
        serverInfo: reply.result.serverInfo,
      });
    });
  });
}

const SUBJECTS = [
  {
    key: 'product',
    label: `product (${repoPath(PRODUCT_MAIN)})`,
    args: [PRODUCT_MAIN],
    sendsInitialize: true,
  },
  { key: 'baseline', label: 'baseline (bare SDK echo server)', args: [BASELINE_MAIN], sendsInitialize: true },
  { key: 'floor', label: 'floor (`node -e ""`, spawn to exit)', args: ['-e', ''], sendsInitialize: false },
];

const machine = machineInfo();
const startedAt = new Date().toISOString();
const runs = Object.fromEntries(SUBJECTS.map((s) => [s.key, []]));

for (let w = 0; w < WARMUP; w++) {
  for (const subject of SUBJECTS) await runOnce(subject);
}
log(`${WARMUP} warm-up run(s) per subject done`);
for (let i = 0; i < RUNS; i++) {
  // Rotate the starting subject so none always runs right after another.
  const order = SUBJECTS.map((_, j) => SUBJECTS[(i + j) % SUBJECTS.length]);
  for (const subject of order) runs[subject.key].push(await runOnce(subject));
  log(`run ${i + 1}/${RUNS} done`);
}

const summary = {};
for (const subject of SUBJECTS) {
  const rs = runs[subject.key];
  summary[subject.key] = {
    label: subject.label,
    readyMs: summarize(rs.map((r) => r.readyMs)),
    shutdownMs: subject.sendsInitialize ? summarize(rs.map((r) => r.shutdownMs)) : undefined,
    protocolVersion: rs[0]?.protocolVersion,
    serverInfo: rs[0]?.serverInfo,
    exits: subject.sendsInitialize ? [...new Set(rs.map((r) => r.exit))] : undefined,
  };
}
const p = summary.product.readyMs.median;
const b = summary.baseline.readyMs.median;
const f = summary.floor.readyMs.median;
const ratios = {
  median: ratio(p, b),
  aboveFloor: ratio(p - f, b - f),
  productMinusBaselineMs: p - b,
};

const results = {
  benchmark: 'cold-start',
  startedAt,
  machine,
  params: { runsPerSubject: RUNS, warmupRunsPerSubject: WARMUP, initialize: INITIALIZE.trim() },
  product: repoPath(PRODUCT_MAIN),
  baseline: repoPath(BASELINE_MAIN),
  summary,
  ratios,
  samplesMs: Object.fromEntries(
    Object.entries(runs).map(([k, rs]) => [k, rs.map((r) => Math.round(r.readyMs * 1000) / 1000)]),
  ),
};
const written = await writeResults('cold-start', results);

const right = (title) => ({ title, align: 'right' });
console.log(
  [
    '### Cold start: spawn to first `initialize` reply',
    '',
    `${RUNS} runs per subject after ${WARMUP} warm-up run(s), subjects rotated within each run; ` +
      'the clock starts just before `spawn()` and stops when the first full line arrives on stdout. ' +
      'Shutdown is stdin EOF to process exit. Times in milliseconds.',
    '',
    machineMarkdown(machine),
    '',
    markdownTable(
      [
        'Subject',
        right('median ms'),
        right('mean ms'),
        right('min ms'),
        right('max ms'),
        right('shutdown median ms'),
      ],
      SUBJECTS.map((s) => {
        const r = summary[s.key];
        return [
          s.label,
          fmt(r.readyMs.median),
          fmt(r.readyMs.mean),
          fmt(r.readyMs.min),
          fmt(r.readyMs.max),
          fmt(r.shutdownMs?.median),
        ];
      }),
    ),
    '',
    markdownTable(
      ['Ratio', right('value')],
      [
        ['product / baseline (medians)', fmtRatio(ratios.median)],
        ['product / baseline, each minus the `node -e ""` floor', fmtRatio(ratios.aboveFloor)],
        ['product − baseline (medians)', `${fmt(ratios.productMinusBaselineMs)} ms`],
      ],
    ),
    '',
    `Raw samples: \`${written}\` (${startedAt}).`,
  ].join('\n'),
);
