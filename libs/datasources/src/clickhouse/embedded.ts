/**
 * Starts the ClickHouse engine the product talks to: embedded chdb in this process (the
 * default for a fresh clone, the demo and the tests) or a real server.
 *
 * Invariants:
 * - `chdb` (about 540 MB) is loaded only inside {@link startEmbeddedClickHouse}, through a
 *   dynamic `import()`; importing this module never loads it.
 * - Every client built here routes `@clickhouse/client`'s logs through our Logger (its
 *   default logger writes to stdout).
 * - chdb binds one data directory per process; clients opened by a handle all use its
 *   directory. A second start on the same directory (after `close()`) sees the same data.
 * - This module never reads the environment: callers pass URLs, credentials and paths.
 */
import { mkdirSync } from 'node:fs';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { DependencyError, noopLogger, type Logger } from '@tfo/domain';
import type * as ChdbConnectionTypes from 'chdb/connection';
import {
  ClickHouseDatasource,
  type ClickHouseEngineKind,
  type ClickHouseLimits,
} from './clickhouse-datasource.js';
import { clickHouseLoggerClass } from './client-logger.js';
import { ClickHouseWriter } from './clickhouse-writer.js';

/** A started ClickHouse engine and the ways to talk to it. */
export interface ClickHouseEngine {
  /** `embedded` (chdb) or `server`. */
  readonly kind: ClickHouseEngineKind;
  /** An administrative client (can write); used by the writer and migrations. */
  readonly client: ClickHouseClient;
  /** A read-only datasource over this engine with the given budgets. */
  createDatasource(options: { limits: ClickHouseLimits; readOnly?: boolean }): ClickHouseDatasource;
  /** A writer (migrations, demo data, the server's own analytics) over {@link client}. */
  createWriter(): ClickHouseWriter;
  /** Stops the engine's clients; for chdb, also waits until the native connection is free. */
  close(): Promise<void>;
}

/** Options of {@link startEmbeddedClickHouse}. */
export interface EmbeddedClickHouseOptions {
  /** Data directory (created if missing); reused across starts. */
  dataDir: string;
  /** Where to log; defaults to `noopLogger`. */
  logger?: Logger;
}

type ChdbConnectionModule = typeof ChdbConnectionTypes;

/** A ClickHouse identifier in backquotes. */
function quoteIdentifier(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/**
 * Inserts for embedded chdb. Any INSERT carrying its own data (`INSERT ... FORMAT X <rows>`,
 * raw or inline) makes chdb look at the process's standard input, which in a stdio server is
 * the MCP channel: a waiting request is swallowed, or the insert fails with code 48. An
 * `INSERT ... SELECT` from the `format` table function has no data part, so the rows travel as
 * a bound parameter and stdin is never touched. The column list and types come from
 * `system.columns` (cached per table), so the rows are parsed with the table's own types and
 * columns the rows leave out keep their DEFAULT expressions.
 */
function embeddedInsert(
  client: ClickHouseClient,
): (table: string, rows: readonly Record<string, unknown>[]) => Promise<void> {
  const columnTypes = new Map<string, Promise<Map<string, string>>>();
  const typesOf = (table: string): Promise<Map<string, string>> => {
    let types = columnTypes.get(table);
    if (!types) {
      types = (async () => {
        const [database, name] = table.includes('.') ? table.split('.', 2) : [undefined, table];
        const rs = await client.query({
          query:
            'SELECT name, type FROM system.columns WHERE database = ' +
            (database === undefined ? 'currentDatabase()' : '{database:String}') +
            ' AND table = {table:String}',
          query_params: { table: name, ...(database === undefined ? {} : { database }) },
          format: 'JSONEachRow',
        });
        return new Map((await rs.json<{ name: string; type: string }>()).map((c) => [c.name, c.type]));
      })();
      types.catch(() => columnTypes.delete(table));
      columnTypes.set(table, types);
    }
    return types;
  };
  return async (table, rows) => {
    const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const types = await typesOf(table);
    const unknown = keys.filter((k) => !types.has(k));
    if (unknown.length > 0) {
      throw new DependencyError(`Table ${table} has no column ${unknown.join(', ')}.`, {
        code: 'DATASOURCE.UNKNOWN_COLUMN',
        details: { table, columns: unknown },
      });
    }
    const columns = keys.map(quoteIdentifier).join(', ');
    const structure = keys.map((k) => `${quoteIdentifier(k)} ${types.get(k)}`).join(', ');
    await client.command({
      query: `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM format(JSONEachRow, {structure:String}, {rows:String})`,
      query_params: { structure, rows: rows.map((row) => JSON.stringify(row)).join('\n') },
    });
  };
}

/** `createClient`'s `connection` option (chdb's own copy of the client-common types differs by a patch version). */
type ClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection'];

/** Loads `chdb/connection` on demand, with an actionable error when it is not installed. */
async function loadChdb(): Promise<ChdbConnectionModule> {
  try {
    return await import('chdb/connection');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new DependencyError(
        'The embedded ClickHouse engine is not installed. Install the optional package `chdb` ' +
          '(npm install chdb) or point TELEMETRYFLOW_MCP_CLICKHOUSE_URL at a ClickHouse server.',
        { code: 'DATASOURCE.EMBEDDED_ENGINE_MISSING', cause: error },
      );
    }
    throw new DependencyError('The embedded ClickHouse engine (chdb) failed to load.', {
      code: 'DATASOURCE.UNREACHABLE',
      cause: error,
    });
  }
}

/**
 * Starts chdb on `dataDir` and returns an engine handle. Each datasource query runs on its
 * own short-lived chdb connection to the same directory, because chdb keeps `SET`s on the
 * connection (see clickhouse-datasource.ts).
 */
export async function startEmbeddedClickHouse(options: EmbeddedClickHouseOptions): Promise<ClickHouseEngine> {
  const logger = (options.logger ?? noopLogger).child({ component: 'clickhouse-embedded' });
  const { createChdbConnection } = await loadChdb();
  mkdirSync(options.dataDir, { recursive: true });
  const LoggerClass = clickHouseLoggerClass(logger);
  const open = (): ClickHouseClient => {
    try {
      const connection = createChdbConnection({ path: options.dataDir });
      return createClient({ connection: connection as unknown as ClientConnection, log: { LoggerClass } });
    } catch (error) {
      throw new DependencyError(`chdb could not open ${options.dataDir}: ${(error as Error).message}`, {
        code: 'DATASOURCE.UNREACHABLE',
        cause: error,
      });
    }
  };
  const client = open();
  const insertRows = embeddedInsert(client);
  logger.info({ dataDir: options.dataDir }, 'embedded ClickHouse (chdb) started');
  return {
    kind: 'embedded',
    client,
    createDatasource: ({ limits, readOnly = true }) =>
      new ClickHouseDatasource({
        client: open(),
        logger,
        limits,
        readOnly,
        engineKind: 'embedded',
        openQueryClient: open,
      }),
    createWriter: () => new ClickHouseWriter({ client, logger, insertRows }),
    close: async () => {
      await client.close();
      try {
        const root = (await import('chdb')) as { drainPending?: () => Promise<void> };
        await root.drainPending?.();
      } catch (error) {
        logger.debug({ err: error }, 'chdb drainPending unavailable');
      }
      logger.info('embedded ClickHouse (chdb) stopped');
    },
  };
}

/** Options of {@link connectClickHouseServer}. */
export interface ClickHouseServerOptions {
  /** Server URL, e.g. `http://localhost:8123`. */
  url: string;
  /** User name; defaults to the driver's (`default`). */
  username?: string;
  /** Password; never logged. */
  password?: string;
  /** Database; defaults to `default`. */
  database?: string;
  /** HTTP request timeout in milliseconds (the driver's default is 30 s). */
  requestTimeoutMs?: number;
  /** Where to log; defaults to `noopLogger`. */
  logger?: Logger;
}

/** Connects to a ClickHouse server over HTTP(S) and returns an engine handle. */
export function connectClickHouseServer(options: ClickHouseServerOptions): ClickHouseEngine {
  const logger = (options.logger ?? noopLogger).child({ component: 'clickhouse-server' });
  const open = (): ClickHouseClient =>
    createClient({
      url: options.url,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.database === undefined ? {} : { database: options.database }),
      ...(options.requestTimeoutMs === undefined ? {} : { request_timeout: options.requestTimeoutMs }),
      log: { LoggerClass: clickHouseLoggerClass(logger) },
    });
  const client = open();
  return {
    kind: 'server',
    client,
    createDatasource: ({ limits, readOnly = true }) =>
      new ClickHouseDatasource({ client: open(), logger, limits, readOnly, engineKind: 'server' }),
    createWriter: () => new ClickHouseWriter({ client, logger }),
    close: async () => {
      await client.close();
    },
  };
}
