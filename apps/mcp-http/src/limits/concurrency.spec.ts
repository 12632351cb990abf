/**
 * The per-credential concurrency cap of expensive tools, and which tools are expensive.
 */
import { describe, it, expect } from '@jest/globals';
import type { QueryResult, SqlDatasource, SqlEngine } from '@tfo/domain';
import { createSqlTools, type ToolDefinition } from '@tfo/mcp-tools';
import { DEFAULT_EXPENSIVE_TOOLS, ToolConcurrencyLimiter, expensiveTools } from './concurrency.js';

/** A SqlDatasource port that is never queried here (the tools are only listed). */
function datasource(engine: SqlEngine): SqlDatasource {
  return {
    engine,
    query: async () => ({ rows: [], columns: [], rowCount: 0 }) as unknown as QueryResult<never>,
    ping: async () => true,
    close: async () => undefined,
  } as SqlDatasource;
}

describe('ToolConcurrencyLimiter', () => {
  it('runs at most `limit` calls of one expensive tool per credential', () => {
    const limiter = new ToolConcurrencyLimiter(2, ['pg_query', 'ch_query']);
    const first = limiter.acquire('key-a', 'pg_query');
    const second = limiter.acquire('key-a', 'pg_query');
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(limiter.acquire('key-a', 'pg_query')).toBeUndefined();
    // Another tool and another credential have their own slots.
    expect(limiter.acquire('key-a', 'ch_query')).toBeDefined();
    expect(limiter.acquire('key-b', 'pg_query')).toBeDefined();
    first?.();
    expect(limiter.inFlight('key-a', 'pg_query')).toBe(1);
    expect(limiter.acquire('key-a', 'pg_query')).toBeDefined();
  });

  it('frees a slot once however often its release is called', () => {
    const limiter = new ToolConcurrencyLimiter(1, ['pg_query']);
    const release = limiter.acquire('k', 'pg_query');
    release?.();
    release?.();
    expect(limiter.inFlight('k', 'pg_query')).toBe(0);
    const again = limiter.acquire('k', 'pg_query');
    expect(again).toBeDefined();
    release?.();
    expect(limiter.acquire('k', 'pg_query')).toBeUndefined();
  });

  it('always lets cheap tools through', () => {
    const limiter = new ToolConcurrencyLimiter(1, ['pg_query']);
    for (let i = 0; i < 10; i++) expect(limiter.acquire('k', 'echo')).toBeDefined();
    expect(limiter.inFlight('k', 'echo')).toBe(0);
    expect(limiter.isExpensive('echo')).toBe(false);
  });

  it('refuses a limit below one', () => {
    expect(() => new ToolConcurrencyLimiter(0, [])).toThrow(/expensiveToolConcurrency/);
  });
});

describe('expensiveTools', () => {
  const tool = (name: string, scope: ToolDefinition['scope']) => ({ name, scope });

  it('picks the SQL and model tools and the context collectors', () => {
    const names = expensiveTools([
      tool('pg_query', 'mcp:sql:query'),
      tool('chat', 'mcp:llm:use'),
      tool('collect_telemetry_context', 'mcp:telemetry:read'),
      tool('build_insight_prompt', 'mcp:telemetry:read'),
      tool('get_current_metrics', 'mcp:telemetry:read'),
      tool('echo', null),
      tool('read_file', 'mcp:files:read'),
    ]);
    expect([...names].sort()).toEqual([
      'build_insight_prompt',
      'chat',
      'collect_telemetry_context',
      'pg_query',
    ]);
  });

  it('covers every SQL tool of the catalog in the default set', () => {
    const sql = createSqlTools({ postgres: datasource('postgresql'), clickhouse: datasource('clickhouse') });
    const derived = expensiveTools(sql);
    expect(derived.size).toBeGreaterThan(0);
    for (const name of derived) expect(DEFAULT_EXPENSIVE_TOOLS).toContain(name);
  });
});
