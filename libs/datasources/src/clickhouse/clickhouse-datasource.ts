/**
 * ClickHouse implementation of the read-only {@link SqlDatasource} port over a
 * `@clickhouse/client` client, so the same code runs against a server (HTTP) and against
 * embedded chdb (`chdb/connection`).
 *
 * Invariants:
 * - Read-only is enforced by the engine: `readonly=1` is sent with every query unless the
 *   connected user is already read-only (`getSetting('readonly')`, read once). A user at
 *   `readonly=1` may change no setting at all (code 164), so nothing is sent; at
 *   `readonly=2` the limits are sent but `readonly` is not. The stricter level always wins.
 *   `readonly` is the last setting sent, because chdb applies settings as ordered `SET`s.
 * - chdb applies `clickhouse_settings` as session-wide `SET` statements that persist on the
 *   connection; a `readonly=1` connection then refuses every later `SET` (164). Embedded
 *   engines therefore pass `openQueryClient`, and each query runs on a fresh connection to
 *   the same data directory (measured: under 2 ms to open), closed afterwards.
 * - Budgets: `max_execution_time` (from `timeoutMs`), `max_result_rows` / `max_result_bytes`
 *   with overflow mode `break` in the engine, and a client-side cap while streaming
 *   (JSONCompactEachRowWithNamesAndTypes, stop after `maxRows + 1` rows or `maxBytes` of
 *   JSON). A cut answer carries `truncated` with a hint to narrow the query.
 * - Every query has its own `query_id`. When the time budget or the caller's signal ends a
 *   query, a server is told `KILL QUERY WHERE query_id = {id:String} ASYNC` on a separate
 *   command. chdb cannot cancel: an aborted single-shot native call runs to completion in
 *   the background (chdb README), so on chdb `max_execution_time` is what stops the work.
 * - Parameters are always bound (`query_params`), never spliced.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import {
  PermissionDeniedError,
  ValidationError,
  noopLogger,
  type Logger,
  type QueryOptions,
  type QueryResult,
  type ResultColumn,
  type SqlDatasource,
  type Truncation,
} from '@tfo/domain';
import { mapClickHouseError } from './clickhouse-errors.js';
import { readOnlyViolation } from './statement-guard.js';

/** Default budgets applied when a query does not bring its own. */
export interface ClickHouseLimits {
  /** Time budget per query, in milliseconds. */
  timeoutMs: number;
  /** Maximum rows returned per query. */
  maxRows: number;
  /** Maximum bytes of JSON returned per query. */
  maxBytes: number;
}

/** Which kind of engine the client talks to. */
export type ClickHouseEngineKind = 'server' | 'embedded';

/** Options of {@link ClickHouseDatasource}. */
export interface ClickHouseDatasourceOptions {
  /** The client for probes, cancellation and (without `openQueryClient`) queries. */
  client: ClickHouseClient;
  /** Where to log; defaults to `noopLogger`. */
  logger?: Logger;
  /** Default budgets; a query's own options may only tighten them. */
  limits: ClickHouseLimits;
  /** When true (the normal case), queries run with the engine's `readonly` setting. */
  readOnly: boolean;
  /** `server` (default) can cancel with KILL QUERY; `embedded` (chdb) cannot. */
  engineKind?: ClickHouseEngineKind;
  /**
   * Opens a fresh client per query, for engines whose settings stick to a connection (chdb).
   * The datasource closes each one after its query.
   */
  openQueryClient?: () => ClickHouseClient;
}

/** Extra time the client waits past the engine's own budget before aborting itself. */
const CLIENT_GRACE_MS = 1_000;

/** Sentence telling a model how to narrow a cut answer. */
function narrowingHint(reason: Truncation['reason'], limit: number, returned: number): string {
  const cap = reason === 'rows' ? `${limit} rows` : `${limit} bytes`;
  return (
    `The result was cut at ${returned} rows (cap: ${cap}). Narrow the query: add a WHERE ` +
    `condition on the time column (e.g. timestamp >= now() - INTERVAL 1 HOUR) and on ` +
    `service_name, aggregate with GROUP BY (or read a rollup table such as metrics_5m or logs_1h), ` +
    `select fewer columns, or add LIMIT.`
  );
}

/** Read-only ClickHouse datasource (engine `clickhouse`). */
export class ClickHouseDatasource implements SqlDatasource {
  /** Always `clickhouse`. */
  readonly engine = 'clickhouse' as const;
  private readonly client: ClickHouseClient;
  private readonly logger: Logger;
  private readonly limits: ClickHouseLimits;
  private readonly readOnly: boolean;
  private readonly engineKind: ClickHouseEngineKind;
  private readonly openQueryClient: (() => ClickHouseClient) | undefined;
  private userReadonly: Promise<number> | undefined;
  private tableNames: Promise<string[]> | undefined;

  /** Wraps `options.client`; {@link close} closes it. */
  constructor(options: ClickHouseDatasourceOptions) {
    this.client = options.client;
    this.logger = (options.logger ?? noopLogger).child({ component: 'clickhouse-datasource' });
    this.limits = options.limits;
    this.readOnly = options.readOnly;
    this.engineKind = options.engineKind ?? 'server';
    this.openQueryClient = options.openQueryClient;
  }

  /**
   * The connected user's own `readonly` level (0, 1 or 2), read once and cached. A failed
   * probe is not cached, so a datasource that starts while the engine is down recovers.
   */
  userReadonlyLevel(): Promise<number> {
    if (this.userReadonly === undefined) {
      const probe = (async () => {
        const rs = await this.client.query({
          query: "SELECT toUInt8(getSetting('readonly')) AS readonly",
          format: 'JSONEachRow',
        });
        const rows = await rs.json<{ readonly: number | string }>();
        return Number(rows[0]?.readonly ?? 0);
      })();
      this.userReadonly = probe;
      probe.catch(() => {
        if (this.userReadonly === probe) this.userReadonly = undefined;
      });
    }
    return this.userReadonly;
  }

  /** The engine settings for one query, `readonly` last. */
  private settingsFor(
    userLevel: number,
    timeoutMs: number,
    maxRows: number,
    maxBytes: number,
  ): ClickHouseSettings {
    if (userLevel === 1) return {};
    const settings: Record<string, unknown> = {
      max_execution_time: Math.max(0.001, timeoutMs / 1000),
      max_result_rows: String(maxRows + 1),
      max_result_bytes: String(maxBytes * 2),
      result_overflow_mode: 'break',
      // 64-bit integers as JSON strings, as a server does by default: a JSON number loses
      // precision above 2^53 (chdb's default is unquoted).
      output_format_json_quote_64bit_integers: 1,
    };
    if (this.engineKind === 'server') settings['cancel_http_readonly_queries_on_client_close'] = 1;
    if (userLevel === 0 && this.readOnly) settings['readonly'] = '1';
    return settings as ClickHouseSettings;
  }

  /** Runs one read-only statement with bound named parameters under row, byte and time budgets. */
  async query<Row = Record<string, unknown>>(
    sql: string,
    options: QueryOptions = {},
  ): Promise<QueryResult<Row>> {
    const started = Date.now();
    const timeoutMs = Math.min(options.timeoutMs ?? this.limits.timeoutMs, this.limits.timeoutMs);
    const maxRows = Math.max(0, Math.min(options.maxRows ?? this.limits.maxRows, this.limits.maxRows));
    const maxBytes = Math.max(1, Math.min(options.maxBytes ?? this.limits.maxBytes, this.limits.maxBytes));
    if (Array.isArray(options.params)) {
      throw new ValidationError('ClickHouse takes named parameters ({name:Type}), not positional ones.', {
        code: 'DATASOURCE.INVALID_PARAMS',
      });
    }
    if (this.readOnly) {
      const violation = readOnlyViolation(sql);
      if (violation !== undefined) {
        throw new PermissionDeniedError(`The datasource is read-only: ${violation}.`, {
          code: 'DATASOURCE.READ_ONLY',
        });
      }
    }
    if (options.signal?.aborted) throw mapClickHouseError(options.signal.reason, { aborted: true });

    let userLevel: number;
    try {
      userLevel = await this.userReadonlyLevel();
    } catch (error) {
      throw mapClickHouseError(error);
    }
    const queryId = randomUUID();
    const controller = new AbortController();
    let timedOut = false;
    let aborted = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`query ${queryId} ran past ${timeoutMs} ms`));
    }, timeoutMs + CLIENT_GRACE_MS);
    const onAbort = (): void => {
      aborted = true;
      controller.abort(options.signal?.reason);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const client = this.openQueryClient?.() ?? this.client;
    const log = this.logger.child({ queryId });
    try {
      const rs = await client.query({
        query: sql,
        format: 'JSONCompactEachRowWithNamesAndTypes',
        query_params: options.params ?? {},
        clickhouse_settings: this.settingsFor(userLevel, timeoutMs, maxRows, maxBytes),
        query_id: queryId,
        abort_signal: controller.signal,
      });
      const columns: ResultColumn[] = [];
      let names: string[] | undefined;
      const rows: Row[] = [];
      let bytes = 0;
      let truncated: Truncation | undefined;
      outer: for await (const batch of rs.stream()) {
        for (const line of batch) {
          const values = line.json<unknown[]>();
          if (names === undefined) {
            names = values.map(String);
            continue;
          }
          if (columns.length === 0 && names.length > 0) {
            names.forEach((name, i) => columns.push({ name, type: String(values[i] ?? '') }));
            continue;
          }
          if (rows.length >= maxRows) {
            truncated = { reason: 'rows', limit: maxRows, returnedRows: rows.length, hint: '' };
            break outer;
          }
          const size = line.text.length + 1;
          if (bytes + size > maxBytes) {
            truncated = { reason: 'bytes', limit: maxBytes, returnedRows: rows.length, hint: '' };
            break outer;
          }
          bytes += size;
          const row: Record<string, unknown> = {};
          names.forEach((name, i) => {
            row[name] = values[i];
          });
          rows.push(row as Row);
        }
      }
      rs.close();
      if (truncated !== undefined) {
        truncated.hint = narrowingHint(truncated.reason, truncated.limit, truncated.returnedRows);
        log.debug({ truncated: truncated.reason }, 'clickhouse result truncated');
      }
      return {
        columns,
        rows,
        rowCount: rows.length,
        durationMs: Date.now() - started,
        ...(truncated === undefined ? {} : { truncated }),
      };
    } catch (error) {
      if (timedOut || aborted) void this.cancelOnServer(queryId, log);
      const knownTables = await this.knownTablesFor(error);
      throw mapClickHouseError(error, { timeoutMs, timedOut, aborted, knownTables });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (client !== this.client) {
        await client
          .close()
          .catch((error: unknown) => log.debug({ err: error }, 'closing query client failed'));
      }
    }
  }

  /** Table names for near-match suggestions, read only when the error is an unknown table. */
  private async knownTablesFor(error: unknown): Promise<string[] | undefined> {
    const code = String((error as { code?: unknown } | undefined)?.code ?? '');
    if (code !== '60' && code !== '81') return undefined;
    if (this.tableNames === undefined) {
      this.tableNames = (async () => {
        const rs = await this.client.query({
          query:
            "SELECT name FROM system.tables WHERE database NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema') ORDER BY name",
          format: 'JSONEachRow',
        });
        return (await rs.json<{ name: string }>()).map((r) => r.name);
      })();
      this.tableNames.catch(() => (this.tableNames = undefined));
    }
    const names = await this.tableNames.catch(() => []);
    this.tableNames = undefined;
    return names;
  }

  /** Best-effort server-side cancellation; chdb has no process list to kill from. */
  private async cancelOnServer(queryId: string, log: Logger): Promise<void> {
    if (this.engineKind !== 'server') {
      log.debug(
        'embedded engine: the aborted call finishes in the background, bounded by max_execution_time',
      );
      return;
    }
    try {
      await this.client.command({
        query: 'KILL QUERY WHERE query_id = {id:String} ASYNC',
        query_params: { id: queryId },
      });
      log.info('cancelled clickhouse query on the server');
    } catch (error) {
      log.warn({ err: error }, 'KILL QUERY failed');
    }
  }

  /** True when the engine answers `SELECT 1` within `timeoutMs`. */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      const probe = this.client
        .query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' })
        .then(async (rs) => (await rs.json()).length === 1)
        .catch(() => false);
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the client. */
  async close(): Promise<void> {
    await this.client.close();
  }
}
