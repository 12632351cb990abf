/**
 * SQL datasource port: read-only queries against PostgreSQL or ClickHouse with bound
 * parameters, and budgets that the engine enforces. Implemented by @tfo/datasources.
 */

/** A column of a result set. */
export interface ResultColumn {
  name: string;
  type: string;
}

/** Why and how a result was cut short. */
export interface Truncation {
  /** Which cap applied. */
  reason: 'rows' | 'bytes';
  /** The cap's value. */
  limit: number;
  /** Rows returned after the cut. */
  returnedRows: number;
  /** A sentence telling the caller how to narrow the query. */
  hint: string;
}

/** The answer to a query. */
export interface QueryResult<Row = Record<string, unknown>> {
  columns: ResultColumn[];
  rows: Row[];
  rowCount: number;
  durationMs: number;
  truncated?: Truncation;
}

/** Options for one query. */
export interface QueryOptions {
  /** Named (ClickHouse `{name:Type}`) or positional (PostgreSQL `$1`) parameters, always bound. */
  params?: Record<string, unknown> | unknown[];
  /** Server-side time budget; the engine stops the query when it runs out. */
  timeoutMs?: number;
  /** Maximum rows returned. */
  maxRows?: number;
  /** Maximum bytes of result returned. */
  maxBytes?: number;
  /** Cancels the query (on the server too). */
  signal?: AbortSignal;
}

/** Which engine a datasource talks to. */
export type SqlEngine = 'postgresql' | 'clickhouse';

/** A read-only SQL datasource. */
export interface SqlDatasource {
  readonly engine: SqlEngine;
  /** Runs one read-only statement. Rejects writes, enforces budgets, never splices parameters. */
  query<Row = Record<string, unknown>>(sql: string, options?: QueryOptions): Promise<QueryResult<Row>>;
  /** True when the engine answers a trivial query within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Releases connections. */
  close(): Promise<void>;
}
