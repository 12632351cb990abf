/**
 * Unit specs of the collector with fakes of the SqlDatasource port: registry coverage,
 * grain selection, the deadline, partial failure, and scoping of every spec's SQL (a
 * hostile contextId must only ever travel as a bound parameter, next to the org filter).
 */
import { describe, it, expect } from '@jest/globals';
import {
  CONTEXT_TYPES,
  isSystemContext,
  type QueryOptions,
  type QueryResult,
  type SqlDatasource,
  type SqlEngine,
} from '@tfo/domain';
import { ContextCollector } from './collector.js';
import { GRAINS, grainFor } from './grain.js';
import { ALL_SPECS, specifiedContextTypes } from './registry.js';
import { CH_ORG_FILTER, PG_ORG_FILTER } from './sql.js';

const ORG = '6f1e2d3c-0000-4000-8000-0000000000aa';
const HOSTILE = "x' OR 1=1 --";
const NOW = new Date('2025-03-01T12:00:00Z');
const clock = { now: () => NOW };

interface Recorded {
  sql: string;
  options: QueryOptions | undefined;
}

/** A fake datasource that records every query and answers with fixed rows. */
function recording(
  engine: SqlEngine,
  rows: Record<string, unknown>[] = [],
): SqlDatasource & { calls: Recorded[] } {
  const calls: Recorded[] = [];
  return {
    engine,
    calls,
    async query<Row>(sql: string, options?: QueryOptions): Promise<QueryResult<Row>> {
      calls.push({ sql, options });
      return { columns: [], rows: rows as Row[], rowCount: rows.length, durationMs: 0 };
    },
    ping: async () => true,
    close: async () => undefined,
  };
}

/** A fake datasource that never answers until aborted. */
function hanging(engine: SqlEngine): SqlDatasource & { aborted: number } {
  const ds = {
    engine,
    aborted: 0,
    query<Row>(_sql: string, options?: QueryOptions): Promise<QueryResult<Row>> {
      return new Promise((_resolve, reject) => {
        options?.signal?.addEventListener('abort', () => {
          ds.aborted += 1;
          reject(new Error('aborted'));
        });
      });
    },
    ping: async () => false,
    close: async () => undefined,
  };
  return ds;
}

function failing(engine: SqlEngine): SqlDatasource {
  return {
    engine,
    query: async () => {
      throw new Error('connection refused');
    },
    ping: async () => false,
    close: async () => undefined,
  };
}

describe('spec registry', () => {
  it('covers all 138 context types exactly once', () => {
    const keys = ALL_SPECS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...CONTEXT_TYPES].sort());
    expect(specifiedContextTypes()).toHaveLength(138);
  });
});

describe('grain selection', () => {
  it.each([
    [60_000, '1m'],
    [3_600_000, '1m'],
    [3_600_001, '5m'],
    [86_400_000, '5m'],
    [2 * 86_400_000, '1h'],
    [7 * 86_400_000, '1h'],
    [30 * 86_400_000, '1d'],
  ])('a window of %d ms reads the %s rollups', (ms, suffix) => {
    expect(grainFor(ms).suffix).toBe(suffix);
  });

  it('lists the grains finest first with their time columns', () => {
    expect(GRAINS.map((g) => `${g.suffix}:${g.column}`)).toEqual([
      '1m:minute',
      '5m:five_minutes',
      '1h:hour',
      '1d:day',
    ]);
  });

  it('reads the rollup of the chosen grain', async () => {
    const chds = recording('clickhouse');
    const collector = new ContextCollector({ clickhouse: chds, postgres: recording('postgresql'), clock });
    await collector.collectContext({
      organizationId: ORG,
      contextType: 'metrics',
      timeRange: { from: '2025-02-20T00:00:00Z', to: '2025-03-01T00:00:00Z' },
    });
    expect(chds.calls[0]?.sql).toContain('FROM metrics_1d');
    expect(chds.calls[0]?.sql).toContain('sumMerge(sum_value)');
  });
});

describe('deadline', () => {
  it('returns the unavailable context by the deadline when a source never answers, and aborts it', async () => {
    const chds = hanging('clickhouse');
    const collector = new ContextCollector({
      clickhouse: chds,
      postgres: hanging('postgresql'),
      clock,
      deadlineMs: 50,
    });
    const context = await collector.collectContext({ organizationId: ORG, contextType: 'traces' });
    expect(isSystemContext(context)).toBe(true);
    expect(context.summary).toContain('traces data is unavailable');
    expect(context.summary).toContain('50 ms deadline');
    expect(chds.aborted).toBeGreaterThan(0);
  });

  it('passes the remaining time and an AbortSignal to every query', async () => {
    const chds = recording('clickhouse');
    const collector = new ContextCollector({
      clickhouse: chds,
      postgres: recording('postgresql'),
      clock,
      deadlineMs: 4_000,
    });
    await collector.collectContext({ organizationId: ORG, contextType: 'logs' });
    for (const call of chds.calls) {
      expect(call.options?.signal).toBeInstanceOf(AbortSignal);
      expect(call.options?.timeoutMs).toBeLessThanOrEqual(4_000);
      expect(call.options?.timeoutMs).toBeGreaterThan(0);
    }
  });
});

describe('failures', () => {
  it('keeps what arrived and names the missing source on a partial failure', async () => {
    const agents = [
      {
        name: 'agent-1',
        host: 'h1',
        type: 'otel',
        version: '1',
        status: 'online',
        last_heartbeat: NOW.toISOString(),
      },
    ];
    const collector = new ContextCollector({
      clickhouse: failing('clickhouse'),
      postgres: recording('postgresql', agents),
      clock,
    });
    const context = await collector.collectContext({ organizationId: ORG, contextType: 'infra-overview' });
    expect(isSystemContext(context)).toBe(false);
    expect(context.summary).toContain('1 agents (1 online)');
    expect(context.summary).toContain('series is missing (ClickHouse failed: connection refused)');
    expect((context.data as { missingSources: unknown[] }).missingSources).toHaveLength(1);
  });

  it('returns the unavailable context when every source fails', async () => {
    const collector = new ContextCollector({
      clickhouse: failing('clickhouse'),
      postgres: failing('postgresql'),
      clock,
    });
    const context = await collector.collectContext({ organizationId: ORG, contextType: 'alerts' });
    expect(context.summary).toMatch(
      /^\[SYSTEM\] alerts data is unavailable: alerts: PostgreSQL failed: connection refused/,
    );
  });

  it('returns the no-data context with the period when the sources are empty', async () => {
    const collector = new ContextCollector({
      clickhouse: recording('clickhouse'),
      postgres: recording('postgresql'),
      clock,
    });
    const context = await collector.collectContext({ organizationId: ORG, contextType: 'uptime' });
    expect(context.summary).toBe(
      '[SYSTEM] No data found for uptime in the period 2025-03-01T11:00:00.000Z to 2025-03-01T12:00:00.000Z.',
    );
  });

  it('answers bad input with a [SYSTEM] context instead of throwing', async () => {
    const collector = new ContextCollector({
      clickhouse: recording('clickhouse'),
      postgres: recording('postgresql'),
      clock,
    });
    const unknown = await collector.collectContext({ organizationId: ORG, contextType: 'nope' });
    expect(unknown.summary).toContain('unknown context type "nope"');
    const reversed = await collector.collectContext({
      organizationId: ORG,
      contextType: 'logs',
      timeRange: { from: NOW, to: new Date(0) },
    });
    expect(reversed.summary).toContain('invalid time range');
    const noOrg = await collector.collectContext({ organizationId: '', contextType: 'logs' });
    expect(noOrg.summary).toContain('an organizationId is required');
  });

  it('says an engine is not configured', async () => {
    const collector = new ContextCollector({ clock });
    const context = await collector.collectContext({ organizationId: ORG, contextType: 'metrics' });
    expect(context.summary).toContain('ClickHouse is not configured');
  });
});

describe('scoping of every spec', () => {
  it('binds a hostile contextId and always filters by organization', async () => {
    const chds = recording('clickhouse');
    const pgds = recording('postgresql');
    const collector = new ContextCollector({ clickhouse: chds, postgres: pgds, clock });
    for (const contextType of CONTEXT_TYPES) {
      await collector.collectContext({
        organizationId: ORG,
        userId: HOSTILE,
        contextType,
        contextId: HOSTILE,
        workspaceId: 'ws-1',
        tenantId: 't-1',
      });
    }
    expect(chds.calls.length).toBeGreaterThan(100);
    expect(pgds.calls.length).toBeGreaterThan(50);
    for (const call of chds.calls) {
      expect(call.sql).not.toContain(HOSTILE);
      expect(call.sql).not.toContain("x'");
      expect(call.sql).toContain(CH_ORG_FILTER);
      expect(call.sql).toContain('workspace_id = {workspace:String}');
      expect(call.options?.params).toMatchObject({ org: ORG, workspace: 'ws-1', tenant: 't-1' });
    }
    for (const call of pgds.calls) {
      expect(call.sql).not.toContain(HOSTILE);
      expect(call.sql).toContain(PG_ORG_FILTER);
      expect((call.options?.params as unknown[])[0]).toBe(ORG);
    }
    const carried = [...chds.calls, ...pgds.calls].filter((c) =>
      JSON.stringify(c.options?.params).includes('OR 1=1'),
    );
    expect(carried.length).toBeGreaterThan(50);
  });
});
