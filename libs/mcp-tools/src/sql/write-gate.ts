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
import type { ToolAnnotations } from '../definitions.js';

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

/** How a query tool presents its write path to clients. */
export interface QueryWriteMode {
  /** The sentence the tool's description carries about `read_only`. */
  readonly sentence: string;
  /** The tool's annotations: read-only and idempotent without a gate, destructive with one. */
  readonly annotations: ToolAnnotations;
}

/**
 * The write mode of the query tool of `engine`: writes are offered exactly when `gate`
 * serves that engine (see {@link gateFor}).
 */
export function queryWriteMode(gate: SqlWriteGate | undefined, engine: SqlEngine): QueryWriteMode {
  const writable = gateFor(gate, engine) !== undefined;
  return {
    sentence: writable
      ? 'Writes are enabled on this server: read_only false runs a write statement.'
      : 'Writes are disabled on this server: read_only must stay true.',
    annotations: {
      readOnlyHint: !writable,
      destructiveHint: writable,
      idempotentHint: !writable,
      openWorldHint: false,
    },
  };
}
