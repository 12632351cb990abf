/**
 * The write side of ClickHouse, for migrations, the demo generator and the server's own
 * analytics. Deliberately NOT part of the read-only {@link SqlDatasource} port: code that
 * holds only a datasource cannot write.
 *
 * Invariants: values are always bound (`{name:Type}` query parameters, JSONEachRow bodies);
 * table names are checked against an identifier pattern, never quoted from user input;
 * failures are mapped to `DATASOURCE.*` domain errors.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ValidationError, noopLogger, type Logger } from '@tfo/domain';
import { mapClickHouseError } from './clickhouse-errors.js';

/** Options of {@link ClickHouseWriter}. */
export interface ClickHouseWriterOptions {
  /** A `@clickhouse/client` client (server or chdb connection) with write permissions. */
  client: ClickHouseClient;
  /** Where to log; defaults to `noopLogger`. */
  logger?: Logger;
  /**
   * Inserts rows without the client's `INSERT ... FORMAT` path. Embedded chdb needs this: an
   * insert that carries its own data makes chdb read the process's standard input, which is the
   * MCP channel of a stdio server (see embedded.ts).
   */
  insertRows?: (table: string, rows: readonly Record<string, unknown>[]) => Promise<void>;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** Runs statements and inserts that change data or schema. */
export class ClickHouseWriter {
  private readonly client: ClickHouseClient;
  private readonly logger: Logger;
  private readonly insertRows:
    ((table: string, rows: readonly Record<string, unknown>[]) => Promise<void>) | undefined;

  /** Wraps `options.client`; the writer does not own it unless {@link close} is called. */
  constructor(options: ClickHouseWriterOptions) {
    this.client = options.client;
    this.logger = (options.logger ?? noopLogger).child({ component: 'clickhouse-writer' });
    this.insertRows = options.insertRows;
  }

  /** Runs one statement (DDL, INSERT ... SELECT, ...) with bound named parameters and optional settings. */
  async execute(
    sql: string,
    params: Record<string, unknown> = {},
    settings: Record<string, string | number> = {},
  ): Promise<void> {
    try {
      await this.client.command({ query: sql, query_params: params, clickhouse_settings: settings });
    } catch (error) {
      this.logger.debug({ err: error }, 'clickhouse statement failed');
      throw mapClickHouseError(error);
    }
  }

  /** Inserts `rows` (objects keyed by column name) into `table` as JSONEachRow. */
  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (!TABLE_NAME.test(table)) {
      throw new ValidationError(`Invalid table name '${table}'.`, { code: 'DATASOURCE.INVALID_TABLE_NAME' });
    }
    if (rows.length === 0) return;
    try {
      if (this.insertRows) {
        await this.insertRows(table, rows);
        return;
      }
      await this.client.insert({ table, values: [...rows], format: 'JSONEachRow' });
    } catch (error) {
      this.logger.debug({ err: error, table }, 'clickhouse insert failed');
      throw mapClickHouseError(error);
    }
  }

  /** Reads rows for internal, trusted callers (migrations); no caps, no read-only settings. */
  async select<Row = Record<string, unknown>>(
    sql: string,
    params: Record<string, unknown> = {},
  ): Promise<Row[]> {
    try {
      const rs = await this.client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
      return await rs.json<Row>();
    } catch (error) {
      throw mapClickHouseError(error);
    }
  }

  /** Closes the underlying client. */
  async close(): Promise<void> {
    await this.client.close();
  }
}
