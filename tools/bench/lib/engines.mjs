// Helpers for benchmark processes that open the embedded engines themselves: the
// `postgres` system user question when running as root, a PostgreSQL left behind by a
// child, and the size of a data directory on disk.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, waitForExit } from './common.mjs';

/** True when running as root on a machine without a `postgres` system user. */
export function needsPostgresSystemUser() {
  return process.getuid?.() === 0 && spawnSync('id', ['postgres'], { stdio: 'ignore' }).status !== 0;
}

/**
 * Stops an embedded PostgreSQL that outlived the child which started it under `dataDir`
 * (it should never happen). Resolves null when there was none, else its pid and whether
 * it stopped within 20 s.
 */
export async function stopLeftPostgres(dataDir, log = () => undefined) {
  const pidFile = join(dataDir, 'postgres', 'pgdata', 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  log(`warning: PostgreSQL pid ${pid} outlived its child; stopping it`);
  process.kill(pid, 'SIGINT');
  return { pid, stopped: await waitForExit(pid, 20_000) };
}

/** Bytes on disk under `dir` (allocated blocks, like `du`). */
export function diskUsage(dir) {
  let bytes = 0;
  const walk = (path) => {
    const stat = lstatSync(path);
    bytes += stat.blocks * 512;
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  if (existsSync(dir)) walk(dir);
  return bytes;
}
