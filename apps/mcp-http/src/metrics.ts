/**
 * The server's Prometheus metrics, kept in memory and written in the text exposition format
 * (version 0.0.4) by hand: a few counters, one histogram, and gauges read at scrape time.
 *
 * Where the numbers come from:
 * - HTTP requests: the router counts every answer by route and status.
 * - Tool calls: {@link meteredActivityRecorder} sits in front of the ActivityRecorder port, which
 *   `buildServer` calls once per tool call with its tool, outcome and duration.
 * - Datasource errors: {@link meteredDatasource} sits in front of each SqlDatasource and counts
 *   failures that are not the caller's doing (unreachable, unavailable, engine faults).
 *
 * Invariants: label values come from fixed sets (routes, engines, outcomes) or from the tool
 * catalog, so the series count stays bounded; every value is escaped as the format requires.
 */
import {
  isExpectedError,
  type ActivityRecorder,
  type QueryOptions,
  type QueryResult,
  type SqlDatasource,
  type SqlEngine,
} from '@tfo/domain';

/** Upper bounds (seconds) of the tool-call duration histogram. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
] as const;

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** Gauges read at scrape time. */
export interface MetricGauges {
  /** HTTP requests being answered now. */
  inFlightRequests(): number;
  /** Stateful MCP sessions open now. */
  activeSessions(): number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
  return body === '' ? '' : `{${body}}`;
}

function number(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/** Counters and histograms of one server process; see the module header. */
export class Metrics {
  private readonly httpRequests = new Map<string, { route: string; status: string; value: number }>();
  private readonly toolCalls = new Map<string, { tool: string; outcome: string; value: number }>();
  private readonly durations = new Map<string, Histogram>();
  private readonly datasourceErrors = new Map<string, number>();
  private readonly concurrencyLimited = new Map<string, number>();
  private rateLimited = 0;
  private gauges: MetricGauges = { inFlightRequests: () => 0, activeSessions: () => 0 };

  /** Starts every engine's error counter at zero, so the series exist before the first error. */
  constructor(engines: readonly SqlEngine[] = []) {
    for (const engine of engines) this.datasourceErrors.set(engine, 0);
  }

  /** Sets where the gauges read from (the HTTP server, once it exists). */
  useGauges(gauges: MetricGauges): void {
    this.gauges = gauges;
  }

  /** Counts one HTTP answer. */
  httpRequest(route: string, status: number): void {
    const key = `${route}\u0000${status}`;
    const entry = this.httpRequests.get(key);
    if (entry) entry.value += 1;
    else this.httpRequests.set(key, { route, status: String(status), value: 1 });
  }

  /** Counts one tool call and observes its duration. */
  toolCall(tool: string, outcome: string, seconds: number): void {
    const key = `${tool}\u0000${outcome}`;
    const entry = this.toolCalls.get(key);
    if (entry) entry.value += 1;
    else this.toolCalls.set(key, { tool, outcome, value: 1 });
    let histogram = this.durations.get(tool);
    if (!histogram) {
      histogram = { counts: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(tool, histogram);
    }
    DURATION_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) histogram.counts[i] = (histogram.counts[i] ?? 0) + 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
  }

  /** Counts one request refused by the rate limiter. */
  rateLimitedRequest(): void {
    this.rateLimited += 1;
  }

  /** Counts one tool call refused because the caller already ran as many as allowed. */
  concurrencyLimitedCall(tool: string): void {
    this.concurrencyLimited.set(tool, (this.concurrencyLimited.get(tool) ?? 0) + 1);
  }

  /** Counts one datasource failure that was not the caller's doing. */
  datasourceError(engine: SqlEngine): void {
    this.datasourceErrors.set(engine, (this.datasourceErrors.get(engine) ?? 0) + 1);
  }

  /** The exposition text. */
  render(memory: NodeJS.MemoryUsage = process.memoryUsage(), uptimeSeconds = process.uptime()): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    family('tfo_http_requests_total', 'counter', 'HTTP requests answered, by route and status code.');
    for (const e of this.httpRequests.values()) {
      out.push(`tfo_http_requests_total${labels({ route: e.route, status: e.status })} ${e.value}`);
    }
    family('tfo_tool_calls_total', 'counter', 'MCP tool calls, by tool and outcome (success or error).');
    for (const e of this.toolCalls.values()) {
      out.push(`tfo_tool_calls_total${labels({ tool: e.tool, outcome: e.outcome })} ${e.value}`);
    }
    family('tfo_tool_call_duration_seconds', 'histogram', 'Duration of MCP tool calls, by tool.');
    for (const [tool, h] of this.durations) {
      DURATION_BUCKETS.forEach((bound, i) => {
        out.push(
          `tfo_tool_call_duration_seconds_bucket${labels({ tool, le: number(bound) })} ${h.counts[i] ?? 0}`,
        );
      });
      out.push(`tfo_tool_call_duration_seconds_bucket${labels({ tool, le: '+Inf' })} ${h.count}`);
      out.push(`tfo_tool_call_duration_seconds_sum${labels({ tool })} ${number(h.sum)}`);
      out.push(`tfo_tool_call_duration_seconds_count${labels({ tool })} ${h.count}`);
    }
    family(
      'tfo_rate_limited_total',
      'counter',
      'Requests refused with 429 by the per-credential rate limit.',
    );
    out.push(`tfo_rate_limited_total ${this.rateLimited}`);
    family(
      'tfo_tool_concurrency_limited_total',
      'counter',
      'Tool calls refused because the credential already ran as many calls of the tool as allowed.',
    );
    for (const [tool, value] of this.concurrencyLimited) {
      out.push(`tfo_tool_concurrency_limited_total${labels({ tool })} ${value}`);
    }
    family(
      'tfo_datasource_errors_total',
      'counter',
      'Datasource failures not caused by the query (unreachable, unavailable, engine faults), by engine.',
    );
    for (const [engine, value] of this.datasourceErrors) {
      out.push(`tfo_datasource_errors_total${labels({ engine })} ${value}`);
    }
    family('tfo_http_in_flight_requests', 'gauge', 'HTTP requests being answered.');
    out.push(`tfo_http_in_flight_requests ${this.gauges.inFlightRequests()}`);
    family('tfo_mcp_sessions_active', 'gauge', 'Stateful MCP sessions open (http.sessions=stateful).');
    out.push(`tfo_mcp_sessions_active ${this.gauges.activeSessions()}`);
    family('tfo_process_resident_memory_bytes', 'gauge', 'Resident set size of the server process.');
    out.push(`tfo_process_resident_memory_bytes ${memory.rss}`);
    family('tfo_process_heap_used_bytes', 'gauge', 'V8 heap in use.');
    out.push(`tfo_process_heap_used_bytes ${memory.heapUsed}`);
    family('tfo_process_heap_total_bytes', 'gauge', 'V8 heap reserved.');
    out.push(`tfo_process_heap_total_bytes ${memory.heapTotal}`);
    family(
      'tfo_process_external_memory_bytes',
      'gauge',
      'Memory of C++ objects bound to JavaScript objects.',
    );
    out.push(`tfo_process_external_memory_bytes ${memory.external}`);
    family('tfo_process_uptime_seconds', 'gauge', 'Seconds since the server process started.');
    out.push(`tfo_process_uptime_seconds ${number(Math.round(uptimeSeconds * 1000) / 1000)}`);
    return `${out.join('\n')}\n`;
  }
}

/** An ActivityRecorder that counts tool calls in `metrics` and forwards everything to `inner`. */
export function meteredActivityRecorder(inner: ActivityRecorder, metrics: Metrics): ActivityRecorder {
  return {
    toolCall(record) {
      metrics.toolCall(record.tool, record.outcome, record.durationMs / 1000);
      inner.toolCall(record);
    },
    resourceRead: (record) => inner.resourceRead(record),
    error: (record) => inner.error(record),
    llmUsage: (record) => inner.llmUsage(record),
    session: (record) => inner.session(record),
  };
}

/** A datasource that counts in `metrics` the failures that are not the caller's doing. */
export function meteredDatasource(inner: SqlDatasource, metrics: Metrics): SqlDatasource {
  return {
    engine: inner.engine,
    async query<Row = Record<string, unknown>>(
      sql: string,
      options?: QueryOptions,
    ): Promise<QueryResult<Row>> {
      try {
        return await inner.query<Row>(sql, options);
      } catch (error) {
        if (!isExpectedError(error)) metrics.datasourceError(inner.engine);
        throw error;
      }
    },
    ping: (timeoutMs) => inner.ping(timeoutMs),
    close: () => inner.close(),
  };
}
