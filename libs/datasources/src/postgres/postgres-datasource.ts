/**
 * PostgreSQL adapter of the domain's {@link SqlDatasource} port, plus a writer for
 * migrations, stores and the demo generator (deliberately not part of the port).
 *
 * Invariants of {@link PostgresDatasource.query}:
 * - Read-only is enforced by the engine: every statement runs inside
 *   `BEGIN TRANSACTION READ ONLY` with `SET LOCAL statement_timeout`, `lock_timeout`
 *   and `idle_in_transaction_session_timeout`, and the transaction is always rolled
 *   back. The pool handed in should log in as a role without write privileges or
 *   superuser (`tfo_readonly`, see migrations) so functions such as `pg_read_file`
 *   are denied too.
 * - One statement per call: the text goes through the extended protocol only (a
 *   `pg-cursor` portal), whose Parse message rejects multiple commands.
 * - Parameters are always bound ($1, $2, ...), never spliced into SQL.
 * - At most maxRows + 1 rows are fetched from the server and accumulation stops at
 *   maxBytes of JSON; a cut result carries a `truncated` notice with a hint.
 * - A connection that saw any failure is destroyed (`release(true)`), never pooled.
 * - A timeout or abort stops the query on the server (statement_timeout, and
 *   `pg_cancel_backend` from another connection when the caller aborts).
 * - Nothing is written to stdout; diagnostics go to the injected logger.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import {
  LimitExceededError,
  isTfoError,
  ValidationError,
  noopLogger,
  type Logger,
  type QueryOptions,
  type QueryResult,
  type ResultColumn,
  type SqlDatasource,
} from '@tfo/domain';
import { hasSqlState, mapPgError, nearestNames, unknownRelationName } from './pg-errors.js';

/** Default budgets of a {@link PostgresDatasource}; each query may lower or raise them. */
export interface PostgresLimits {
  /** statement_timeout, milliseconds. */
  timeoutMs: number;
  /** Maximum rows returned. */
  maxRows: number;
  /** Maximum JSON bytes of rows returned. */
  maxBytes: number;
  /** lock_timeout, milliseconds. */
  lockTimeoutMs: number;
  /** idle_in_transaction_session_timeout, milliseconds. */
  idleInTransactionTimeoutMs: number;
}

/** Budgets used when none are given. */
export const DEFAULT_POSTGRES_LIMITS: PostgresLimits = {
  timeoutMs: 30_000,
  maxRows: 1_000,
  maxBytes: 1_000_000,
  lockTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 60_000,
};

/** Options of {@link PostgresDatasource}. */
export interface PostgresDatasourceOptions {
  /** A pool that logs in as a read-only, non-superuser role. The datasource does not own it unless `ownsPool`. */
  pool: pg.Pool;
  logger?: Logger;
  limits?: Partial<PostgresLimits>;
  /** When true, {@link PostgresDatasource.close} ends the pool. Default true. */
  ownsPool?: boolean;
}

/** Well-known type OIDs (pg_type) and their SQL names. */
const TYPE_NAMES: Record<number, string> = {
  16: 'boolean',
  17: 'bytea',
  18: 'char',
  19: 'name',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  26: 'oid',
  114: 'json',
  142: 'xml',
  700: 'real',
  701: 'double precision',
  869: 'inet',
  650: 'cidr',
  829: 'macaddr',
  1000: 'boolean[]',
  1005: 'smallint[]',
  1007: 'integer[]',
  1009: 'text[]',
  1016: 'bigint[]',
  1021: 'real[]',
  1022: 'double precision[]',
  1015: 'character varying[]',
  1042: 'character',
  1043: 'character varying',
  1082: 'date',
  1083: 'time without time zone',
  1114: 'timestamp without time zone',
  1184: 'timestamp with time zone',
  1186: 'interval',
  1266: 'time with time zone',
  1700: 'numeric',
  2249: 'record',
  2278: 'void',
  2950: 'uuid',
  2951: 'uuid[]',
  3802: 'jsonb',
  3807: 'jsonb[]',
  705: 'unknown',
};

/** Grace after the server-side budget before the client cancels and destroys the connection itself. */
const CLIENT_GRACE_MS = 2_000;
/** Rows per cursor read. */
const BATCH_ROWS = 500;

function positiveInt(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0 || !Number.isInteger(value)) {
    throw new ValidationError(`${name} must be a positive integer, got ${String(value)}`, {
      code: 'DATASOURCE.INVALID_LIMIT',
      details: { [name]: value },
    });
  }
  return value;
}

function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '',
    );
  } catch {
    return 0;
  }
}

/** Reads a node-postgres client's backend process id (set from BackendKeyData). */
function backendPid(client: pg.PoolClient): number | undefined {
  const pid = (client as unknown as { processID?: unknown }).processID;
  return typeof pid === 'number' ? pid : undefined;
}

/**
 * Read-only PostgreSQL datasource (engine `postgresql`) over a `pg.Pool` handed in.
 * See the module header for the guarantees of {@link PostgresDatasource.query}.
 */
export class PostgresDatasource implements SqlDatasource {
  /** Always `postgresql`. */
  readonly engine = 'postgresql' as const;
  private readonly pool: pg.Pool;
  private readonly logger: Logger;
  private readonly limits: PostgresLimits;
  private readonly ownsPool: boolean;
  private readonly typeNames = new Map<number, string>(
    Object.entries(TYPE_NAMES).map(([k, v]) => [Number(k), v]),
  );
  private closed = false;

  /** Wraps `options.pool`; budgets default to {@link DEFAULT_POSTGRES_LIMITS}. */
  constructor(options: PostgresDatasourceOptions) {
    this.pool = options.pool;
    this.logger = (options.logger ?? noopLogger).child({ component: 'postgres-datasource' });
    this.limits = { ...DEFAULT_POSTGRES_LIMITS, ...options.limits };
    this.ownsPool = options.ownsPool ?? true;
    // An idle client that dies (server restart) must not crash the process.
    this.pool.on('error', (error) =>
      this.logger.warn({ err: mapPgError(error) }, 'idle PostgreSQL client failed'),
    );
  }

  /** Runs one read-only statement with bound parameters and engine-enforced budgets. */
  async query<Row = Record<string, unknown>>(
    sql: string,
    options: QueryOptions = {},
  ): Promise<QueryResult<Row>> {
    if (this.closed) throw mapPgError(Object.assign(new Error('closed'), { code: 'ECONNRESET' }));
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw new ValidationError('The query is empty', { code: 'DATASOURCE.EMPTY_QUERY' });
    }
    if (options.params !== undefined && !Array.isArray(options.params)) {
      throw new ValidationError(
        'PostgreSQL takes positional parameters ($1, $2, ...): pass params as an array',
        {
          code: 'DATASOURCE.INVALID_PARAMS',
        },
      );
    }
    const timeoutMs = positiveInt('timeoutMs', options.timeoutMs ?? this.limits.timeoutMs);
    const maxRows = positiveInt('maxRows', options.maxRows ?? this.limits.maxRows);
    const maxBytes = positiveInt('maxBytes', options.maxBytes ?? this.limits.maxBytes);
    const lockTimeoutMs = positiveInt('lockTimeoutMs', this.limits.lockTimeoutMs);
    const idleMs = positiveInt('idleInTransactionTimeoutMs', this.limits.idleInTransactionTimeoutMs);
    const signal = options.signal;
    if (signal?.aborted) {
      throw new LimitExceededError('The query was cancelled before it started', {
        code: 'DATASOURCE.QUERY_CANCELLED',
      });
    }

    const started = performance.now();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw mapPgError(error, { timeoutMs });
    }
    const pid = backendPid(client);
    let poisoned = false;
    let aborted = false;
    let clientTimedOut = false;
    const cancelOnServer = (why: string): void => {
      poisoned = true;
      if (pid !== undefined) void this.cancelBackend(pid, why);
    };
    const onAbort = (): void => {
      aborted = true;
      cancelOnServer('aborted by caller');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const guard = setTimeout(() => {
      clientTimedOut = true;
      cancelOnServer('client-side budget elapsed');
    }, timeoutMs + CLIENT_GRACE_MS);
    guard.unref?.();

    try {
      await client.query('BEGIN TRANSACTION READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      await client.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
      await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`);

      const cursor = client.query(new Cursor<Row>(sql, (options.params as unknown[] | undefined) ?? []));
      const rows: Row[] = [];
      let bytes = 2;
      let fields: pg.FieldDef[] = [];
      let reason: 'rows' | 'bytes' | undefined;
      for (;;) {
        const batch = await new Promise<Row[]>((resolve, reject) => {
          cursor.read(Math.min(BATCH_ROWS, maxRows + 1 - rows.length), (err, got, result) => {
            if (err) return reject(err);
            if (result?.fields?.length) fields = result.fields;
            resolve(got);
          });
        });
        for (const row of batch) {
          if (rows.length >= maxRows) {
            reason = 'rows';
            break;
          }
          const size = jsonBytes(row) + 1;
          if (bytes + size > maxBytes) {
            reason = 'bytes';
            break;
          }
          bytes += size;
          rows.push(row);
        }
        if (reason !== undefined || batch.length === 0 || rows.length > maxRows) break;
        if (signal?.aborted) throw Object.assign(new Error('aborted'), { code: '57014' });
      }
      await cursor.close();
      const columns = await this.describeColumns(client, fields);
      await client.query('ROLLBACK');
      const durationMs = Math.round(performance.now() - started);
      const result: QueryResult<Row> = { columns, rows, rowCount: rows.length, durationMs };
      if (reason !== undefined) {
        const limit = reason === 'rows' ? maxRows : maxBytes;
        result.truncated = {
          reason,
          limit,
          returnedRows: rows.length,
          hint:
            reason === 'rows'
              ? `The result was cut at ${maxRows} rows. Narrow the query: add a WHERE clause (a shorter time range, one organization or service), aggregate with GROUP BY, or add ORDER BY ... LIMIT to get the rows that matter.`
              : `The result was cut at ${maxBytes} bytes. Select fewer or narrower columns (avoid SELECT * and large text or JSON columns), aggregate, or add a WHERE clause and LIMIT.`,
        };
      }
      this.logger.debug({ durationMs, rowCount: rows.length, truncated: reason }, 'postgres query done');
      return result;
    } catch (error) {
      poisoned = true;
      const wasAborted = aborted || signal?.aborted === true;
      let nearMatches: string[] | undefined;
      if (hasSqlState(error, '42P01')) nearMatches = await this.nearTables(unknownRelationName(error));
      const mapped = mapPgError(
        clientTimedOut && !hasSqlState(error, '57014') ? { ...asObject(error), code: '57014' } : error,
        {
          sql,
          timeoutMs,
          aborted: wasAborted,
          ...(nearMatches === undefined ? {} : { nearMatches }),
        },
      );
      this.logger.debug(
        { code: mapped.code, sqlState: mapped.details?.['sqlState'] },
        'postgres query failed',
      );
      throw mapped;
    } finally {
      clearTimeout(guard);
      signal?.removeEventListener('abort', onAbort);
      // A failed or cancelled connection is destroyed, never returned to the pool.
      client.release(poisoned ? true : undefined);
    }
  }

  /** True when `SELECT 1` answers within `timeoutMs`. Never throws. */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    if (this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const attempt = this.query('SELECT 1 AS ok', { timeoutMs, maxRows: 1 }).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([attempt, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the pool when the datasource owns it. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsPool) await this.pool.end();
  }

  private async describeColumns(
    client: pg.PoolClient,
    fields: readonly pg.FieldDef[],
  ): Promise<ResultColumn[]> {
    const unknown = [...new Set(fields.map((f) => f.dataTypeID).filter((oid) => !this.typeNames.has(oid)))];
    if (unknown.length > 0) {
      const lookup = await client.query<{ oid: number; name: string }>(
        'SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])',
        [unknown],
      );
      for (const row of lookup.rows) this.typeNames.set(row.oid, row.name);
    }
    return fields.map((f) => ({
      name: f.name,
      type: this.typeNames.get(f.dataTypeID) ?? `oid:${f.dataTypeID}`,
    }));
  }

  /** Visible table names close to `wanted`, best first (empty when lookup fails). */
  private async nearTables(wanted: string | undefined): Promise<string[]> {
    if (wanted === undefined) return [];
    try {
      const result = await this.pool.query<{ name: string }>(
        `SELECT CASE WHEN table_schema = 'public' THEN table_name ELSE table_schema || '.' || table_name END AS name
           FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      return nearestNames(
        wanted,
        result.rows.map((r) => r.name),
      );
    } catch {
      return [];
    }
  }

  /** Cancels a running statement from another connection (pg_cancel_backend). */
  private async cancelBackend(pid: number, why: string): Promise<void> {
    const canceller = new pg.Client(this.pool.options);
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
      this.logger.debug({ pid, why }, 'cancelled PostgreSQL backend');
    } catch (error) {
      this.logger.warn({ pid, why, code: mapPgError(error).code }, 'could not cancel PostgreSQL backend');
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null
    ? { message: (value as Error).message }
    : { message: String(value) };
}

/** A transaction handle given to {@link PostgresWriter.transaction}'s callback. */
export interface PostgresExecutor {
  /** Runs one statement with bound parameters. */
  execute<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

/**
 * Read-write access for migrations, stores and the demo generator. Not part of the
 * read-only port: never hand it to a tool. Errors are mapped like the datasource's.
 */
export class PostgresWriter implements PostgresExecutor {
  private readonly logger: Logger;

  /** Wraps a pool that logs in as the schema owner. The writer does not end the pool. */
  constructor(
    private readonly pool: pg.Pool,
    logger: Logger = noopLogger,
  ) {
    this.logger = logger.child({ component: 'postgres-writer' });
    this.pool.on('error', (error) =>
      this.logger.warn({ code: mapPgError(error).code }, 'idle PostgreSQL client failed'),
    );
  }

  /** Runs one statement (extended protocol when `params` are given) and returns its rows. */
  async execute<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }> {
    try {
      const result = await this.pool.query<Row>(sql, params === undefined ? undefined : [...params]);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw mapPgError(error, { sql });
    }
  }

  /**
   * Runs `fn` inside one transaction on one connection: COMMIT when it resolves,
   * ROLLBACK when it throws (and the connection is destroyed).
   */
  async transaction<T>(fn: (tx: PostgresExecutor) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw mapPgError(error);
    }
    const tx: PostgresExecutor = {
      execute: async <Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) => {
        try {
          const result = await client.query<Row>(sql, params === undefined ? undefined : [...params]);
          return { rows: result.rows, rowCount: result.rowCount ?? 0 };
        } catch (error) {
          throw mapPgError(error, { sql });
        }
      },
    };
    let failed = false;
    try {
      await client.query('BEGIN');
      const value = await fn(tx);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw isTfoError(error) ? error : mapPgError(error);
    } finally {
      client.release(failed ? true : undefined);
    }
  }
}
