import { describe, expect, it } from '@jest/globals';
import {
  DependencyError,
  ValidationError,
  noopActivityRecorder,
  type ActivityRecorder,
  type SqlDatasource,
  type ToolCallRecord,
} from '@tfo/domain';
import { Metrics, meteredActivityRecorder, meteredDatasource } from './metrics.js';

const MEMORY: NodeJS.MemoryUsage = { rss: 100, heapTotal: 80, heapUsed: 60, external: 5, arrayBuffers: 1 };

function lines(metrics: Metrics): string[] {
  return metrics.render(MEMORY, 12.5).split('\n');
}

function call(tool: string, outcome: 'success' | 'error', durationMs: number): ToolCallRecord {
  return {
    at: new Date(0),
    organizationId: 'org',
    callId: 'c',
    sessionId: 's',
    tool,
    argumentsDigest: 'd',
    durationMs,
    outcome,
    caller: 'x',
  };
}

describe('Metrics', () => {
  it('writes every family with HELP and TYPE, and the zero-valued counters', () => {
    const text = lines(new Metrics(['postgresql', 'clickhouse']));
    for (const [name, type] of [
      ['tfo_http_requests_total', 'counter'],
      ['tfo_tool_calls_total', 'counter'],
      ['tfo_tool_call_duration_seconds', 'histogram'],
      ['tfo_rate_limited_total', 'counter'],
      ['tfo_datasource_errors_total', 'counter'],
      ['tfo_process_resident_memory_bytes', 'gauge'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${type}`);
      expect(text.some((l) => l.startsWith(`# HELP ${name} `))).toBe(true);
    }
    expect(text).toContain('tfo_rate_limited_total 0');
    expect(text).toContain('tfo_datasource_errors_total{engine="postgresql"} 0');
    expect(text).toContain('tfo_process_resident_memory_bytes 100');
    expect(text).toContain('tfo_process_heap_used_bytes 60');
    expect(text).toContain('tfo_process_uptime_seconds 12.5');
  });

  it('counts requests by route and status', () => {
    const metrics = new Metrics();
    metrics.httpRequest('/mcp', 200);
    metrics.httpRequest('/mcp', 200);
    metrics.httpRequest('/mcp', 401);
    const text = lines(metrics);
    expect(text).toContain('tfo_http_requests_total{route="/mcp",status="200"} 2');
    expect(text).toContain('tfo_http_requests_total{route="/mcp",status="401"} 1');
  });

  it('keeps a cumulative duration histogram per tool', () => {
    const metrics = new Metrics();
    metrics.toolCall('echo', 'success', 0.003);
    metrics.toolCall('echo', 'error', 0.2);
    metrics.toolCall('echo', 'success', 500);
    const text = lines(metrics);
    expect(text).toContain('tfo_tool_calls_total{tool="echo",outcome="success"} 2');
    expect(text).toContain('tfo_tool_calls_total{tool="echo",outcome="error"} 1');
    expect(text).toContain('tfo_tool_call_duration_seconds_bucket{tool="echo",le="0.005"} 1');
    expect(text).toContain('tfo_tool_call_duration_seconds_bucket{tool="echo",le="0.1"} 1');
    expect(text).toContain('tfo_tool_call_duration_seconds_bucket{tool="echo",le="0.25"} 2');
    expect(text).toContain('tfo_tool_call_duration_seconds_bucket{tool="echo",le="120"} 2');
    expect(text).toContain('tfo_tool_call_duration_seconds_bucket{tool="echo",le="+Inf"} 3');
    expect(text).toContain('tfo_tool_call_duration_seconds_count{tool="echo"} 3');
    expect(text).toContain('tfo_tool_call_duration_seconds_sum{tool="echo"} 500.203');
  });

  it('escapes label values', () => {
    const metrics = new Metrics();
    metrics.toolCall('a"b\\c\nd', 'success', 1);
    expect(lines(metrics)).toContain('tfo_tool_calls_total{tool="a\\"b\\\\c\\nd",outcome="success"} 1');
  });

  it('counts rate-limited requests and refused concurrent calls', () => {
    const metrics = new Metrics();
    metrics.rateLimitedRequest();
    metrics.rateLimitedRequest();
    metrics.concurrencyLimitedCall('pg_query');
    const text = lines(metrics);
    expect(text).toContain('tfo_rate_limited_total 2');
    expect(text).toContain('tfo_tool_concurrency_limited_total{tool="pg_query"} 1');
  });

  it('reads the gauges at render time', () => {
    const metrics = new Metrics();
    let inFlight = 1;
    metrics.useGauges({ inFlightRequests: () => inFlight, activeSessions: () => 4 });
    inFlight = 3;
    const text = lines(metrics);
    expect(text).toContain('tfo_http_in_flight_requests 3');
    expect(text).toContain('tfo_mcp_sessions_active 4');
  });
});

describe('meteredActivityRecorder', () => {
  it('counts tool calls and forwards every record', () => {
    const seen: string[] = [];
    const inner: ActivityRecorder = {
      ...noopActivityRecorder,
      toolCall: (r) => seen.push(`tool:${r.tool}`),
      error: (r) => seen.push(`error:${r.errorCode}`),
    };
    const metrics = new Metrics();
    const recorder = meteredActivityRecorder(inner, metrics);
    recorder.toolCall(call('echo', 'success', 1500));
    recorder.error({
      at: new Date(0),
      organizationId: 'o',
      source: 'tool',
      errorCode: 'X',
      errorClass: 'E',
      message: 'm',
    });
    expect(seen).toEqual(['tool:echo', 'error:X']);
    const text = lines(metrics);
    expect(text).toContain('tfo_tool_calls_total{tool="echo",outcome="success"} 1');
    expect(text).toContain('tfo_tool_call_duration_seconds_sum{tool="echo"} 1.5');
  });
});

describe('meteredDatasource', () => {
  function failing(error: unknown): SqlDatasource {
    return {
      engine: 'postgresql',
      query: async () => {
        throw error;
      },
      ping: async () => true,
      close: async () => undefined,
    };
  }

  it('counts failures of the engine, not mistakes of the query, and rethrows both', async () => {
    const metrics = new Metrics(['postgresql']);
    const down = new DependencyError('PostgreSQL is unavailable', { code: 'DATASOURCE.UNAVAILABLE' });
    const typo = new ValidationError('SQL syntax error', { code: 'DATASOURCE.SYNTAX_ERROR' });
    await expect(meteredDatasource(failing(down), metrics).query('SELECT 1')).rejects.toBe(down);
    await expect(meteredDatasource(failing(typo), metrics).query('SELEC 1')).rejects.toBe(typo);
    expect(lines(metrics)).toContain('tfo_datasource_errors_total{engine="postgresql"} 1');
  });

  it('passes results and pings through', async () => {
    const inner: SqlDatasource = {
      engine: 'clickhouse',
      query: async <Row>() => ({ columns: [], rows: [{ one: 1 } as Row], rowCount: 1, durationMs: 1 }),
      ping: async () => false,
      close: async () => undefined,
    };
    const ds = meteredDatasource(inner, new Metrics());
    expect(ds.engine).toBe('clickhouse');
    expect((await ds.query('SELECT 1')).rows).toEqual([{ one: 1 }]);
    expect(await ds.ping()).toBe(false);
  });
});
