/**
 * The optional write path of pg_query and ch_query.
 *
 * The datasources are read-only by construction (the engine enforces it), so a write can
 * only happen through a separate capability that the application registers under
 * `MCP_TOKENS.SqlWriteGate`, and only when the operator enabled writes in configuration.
 * Without a gate, `read_only: false` is refused. With one, `read_only: false` hands the
 * statement to the gate unchanged: the gate owns its policy (one statement per call, its own
 * transaction, audit, which engines it serves). `read_only: true` never reaches the gate.
 */
import type { QueryOptions, QueryResult, SqlEngine } from '@tfo/domain';

/** Runs statements that may write, for the engines the operator enabled writes on. */
export interface SqlWriteGate {
  /** The engines this gate writes to; a query tool of another engine treats writes as disabled. */
  readonly engines: readonly SqlEngine[];
  /**
   * Runs one statement that may change data, with bound parameters and the given budgets.
   * Failures are thrown as domain errors (`TfoError`), like the datasources do.
   */
  execute(engine: SqlEngine, sql: string, options: QueryOptions): Promise<QueryResult>;
}

/** The gate when it serves `engine`, otherwise undefined. */
export function gateFor(gate: SqlWriteGate | undefined, engine: SqlEngine): SqlWriteGate | undefined {
  return gate !== undefined && gate.engines.includes(engine) ? gate : undefined;
}
