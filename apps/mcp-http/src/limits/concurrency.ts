/**
 * Concurrency of expensive tools per credential: SQL, model calls and context collection may
 * each run only `limit` calls at once for one credential; more are refused at once (the
 * transport answers with a retryable error) rather than queued.
 *
 * Invariants:
 * - Which tools are expensive is decided by the caller (the transport, from the tool
 *   definitions through {@link expensiveTools}); any other tool always passes.
 * - A release function frees its slot once, however often it is called.
 * - Memory holds only running calls: a counter that drops to zero is removed.
 */
import type { ToolDefinition } from '@tfo/mcp-tools';
import type { ConcurrencyLimiter } from '../auth/types.js';

/** Scopes whose tools are expensive: they run queries or call a language model. */
export const EXPENSIVE_SCOPES: ReadonlySet<string> = new Set(['mcp:sql:query', 'mcp:llm:use']);

/** Tools that are expensive whatever their scope: they fan out to many queries. */
export const EXPENSIVE_TOOL_NAMES: readonly string[] = ['collect_telemetry_context', 'build_insight_prompt'];

/**
 * The names of the expensive tools among `tools`: those needing `mcp:sql:query` or
 * `mcp:llm:use`, and `collect_telemetry_context` / `build_insight_prompt`.
 */
export function expensiveTools(tools: Iterable<Pick<ToolDefinition, 'name' | 'scope'>>): ReadonlySet<string> {
  const names = new Set<string>();
  for (const tool of tools) {
    if (
      (tool.scope !== null && EXPENSIVE_SCOPES.has(tool.scope)) ||
      EXPENSIVE_TOOL_NAMES.includes(tool.name)
    ) {
      names.add(tool.name);
    }
  }
  return names;
}

/**
 * The expensive tools of the current catalog, for a transport that does not derive them with
 * {@link expensiveTools}: the SQL tools and the two context-collecting tools.
 */
export const DEFAULT_EXPENSIVE_TOOLS: ReadonlySet<string> = new Set([
  'pg_query',
  'pg_list_tables',
  'pg_describe_table',
  'pg_sessions',
  'ch_query',
  ...EXPENSIVE_TOOL_NAMES,
]);

const pass = (): void => undefined;

/** Counts running calls of expensive tools per credential and tool; see the module header. */
export class ToolConcurrencyLimiter implements ConcurrencyLimiter {
  private readonly running = new Map<string, number>();
  private readonly expensive: ReadonlySet<string>;

  /** `limit` calls of one expensive tool at once per credential; `expensive` names those tools. */
  constructor(
    private readonly limit: number,
    expensive: Iterable<string>,
  ) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(
        `limits.expensiveToolConcurrency must be a whole number of at least 1, got ${limit}`,
      );
    }
    this.expensive = new Set(expensive);
  }

  /** A release function for the slot taken, or undefined when the caller has none left. */
  acquire(credentialId: string, tool: string): (() => void) | undefined {
    if (!this.expensive.has(tool)) return pass;
    const key = `${credentialId}\u0000${tool}`;
    const current = this.running.get(key) ?? 0;
    if (current >= this.limit) return undefined;
    this.running.set(key, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left <= 0) this.running.delete(key);
      else this.running.set(key, left);
    };
  }

  /** Calls of `tool` the credential runs now (for metrics and tests). */
  inFlight(credentialId: string, tool: string): number {
    return this.running.get(`${credentialId}\u0000${tool}`) ?? 0;
  }

  /** True when `tool` is limited. */
  isExpensive(tool: string): boolean {
    return this.expensive.has(tool);
  }
}
