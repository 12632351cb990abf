/**
 * Shared readers of service telemetry: log volume and error lines, latency percentiles,
 * error rates, exemplars and signal correlations, each with a window/baseline split
 * where a comparison is meaningful. Used by the core-telemetry specs and by every seed
 * key that is a view over the same data (errors, latency, throughput, service-health,
 * platform-performance, ai-root-cause, ...).
 *
 * `serviceFilter` narrows to `contextId` as a service name when the spec asks for it;
 * the id is always a bound parameter.
 */
import { change, fmt, num, pct, str, type Row } from '../format.js';
import type { SourceBuilder } from '../spec.js';
import { ch, type ChBuilder } from '../sql.js';

const ERROR_SEVERITIES = "('ERROR', 'FATAL', 'CRITICAL')";

/** `AND service_name = {id:String}` when the request carries a contextId and `narrow` is set. */
function serviceFilter(b: ChBuilder, narrow: boolean, column = 'service_name'): string {
  return narrow && b.input.contextId !== undefined ? ` AND ${column} = ${b.id}` : '';
}

/** Log counts per service and severity, window and baseline (logs_* rollup). */
export function logCounts(narrow = true): SourceBuilder {
  return (input) =>
    ch(input, (b) => {
      const t = input.grain.column;
      return `
        SELECT service_name, severity_text, ${b.currentFlag(t)} AS current, sum(count) AS count
        FROM ${b.table('logs')}
        WHERE ${b.scope} AND ${b.rollupWindow(true)}${serviceFilter(b, narrow)}
        GROUP BY service_name, severity_text, current
        ORDER BY count DESC
        LIMIT ${b.limit(20)}`;
    });
}

/** The most frequent error-level log lines of the window (raw logs). */
export function errorLogs(narrow = true): SourceBuilder {
  return (input) =>
    ch(
      input,
      (b) => `
        SELECT service_name, severity_text, substring(body, 1, 300) AS message,
               count() AS count, max(timestamp) AS last_seen
        FROM logs
        WHERE ${b.scope} AND ${b.rawWindow('timestamp')}
          AND severity_text IN ${ERROR_SEVERITIES}${serviceFilter(b, narrow)}
        GROUP BY service_name, severity_text, message
        ORDER BY count DESC
        LIMIT ${b.limit()}`,
    );
}

/** Request count and latency percentiles per service, window and baseline. */
export function latency(narrow = true): SourceBuilder {
  return (input) =>
    ch(input, (b) => {
      const t = input.grain.column;
      return `
        SELECT service_name, ${b.currentFlag(t)} AS current,
               sum(request_count) AS requests,
               avgMerge(avg_duration_ns) / 1e6 AS avg_ms,
               quantileMerge(0.95)(p95_duration_ns) / 1e6 AS p95_ms,
               quantileMerge(0.99)(p99_duration_ns) / 1e6 AS p99_ms
        FROM ${b.table('service_latency_percentiles')}
        WHERE ${b.scope} AND ${b.rollupWindow(true)}${serviceFilter(b, narrow)}
        GROUP BY service_name, current
        ORDER BY p95_ms DESC
        LIMIT ${b.limit(4)}`;
    });
}

/** Latency percentiles per service and operation (span name) for the window. */
export function operationLatency(narrow = true): SourceBuilder {
  return (input) =>
    ch(
      input,
      (b) => `
        SELECT service_name, span_name, sum(request_count) AS requests,
               quantileMerge(0.95)(p95_duration_ns) / 1e6 AS p95_ms,
               quantileMerge(0.99)(p99_duration_ns) / 1e6 AS p99_ms
        FROM ${b.table('service_latency_percentiles')}
        WHERE ${b.scope} AND ${b.rollupWindow()}${serviceFilter(b, narrow)}
        GROUP BY service_name, span_name
        ORDER BY p95_ms DESC
        LIMIT ${b.limit()}`,
    );
}

/** Requests and errors per service, window and baseline (service_error_rates_*). */
export function errorRates(narrow = true): SourceBuilder {
  return (input) =>
    ch(input, (b) => {
      const t = input.grain.column;
      return `
        SELECT service_name, ${b.currentFlag(t)} AS current,
               sum(total_requests) AS requests, sum(error_count) AS errors
        FROM ${b.table('service_error_rates')}
        WHERE ${b.scope} AND ${b.rollupWindow(true)}${serviceFilter(b, narrow)}
        GROUP BY service_name, current
        ORDER BY errors DESC
        LIMIT ${b.limit(4)}`;
    });
}

/** Exemplar counts and sample trace ids per service and metric (exemplars_* rollup). */
export function exemplarSummary(narrow = true): SourceBuilder {
  return (input) =>
    ch(
      input,
      (b) => `
        SELECT service_name, metric_name, sum(exemplar_count) AS exemplars, max(max_value) AS max_value,
               groupUniqArrayMerge(10)(sample_trace_ids) AS trace_ids
        FROM ${b.table('exemplars')}
        WHERE ${b.scope} AND ${b.rollupWindow()}${serviceFilter(b, narrow)}
        GROUP BY service_name, metric_name
        ORDER BY exemplars DESC
        LIMIT ${b.limit()}`,
    );
}

/** The exemplars with the largest values in the window (raw exemplars). */
export function topExemplars(narrow = true): SourceBuilder {
  return (input) =>
    ch(
      input,
      (b) => `
        SELECT timestamp, service_name, metric_name, value, trace_id, span_id
        FROM exemplars
        WHERE ${b.scope} AND ${b.rawWindow('timestamp')}${serviceFilter(b, narrow)}
        ORDER BY value DESC
        LIMIT ${b.limit()}`,
    );
}

/** Signal correlations per service and signal pair (signal_correlations_*). */
export function correlations(narrow = true): SourceBuilder {
  return (input) =>
    ch(
      input,
      (b) => `
        SELECT service_name, correlation_type, source_signal, target_signal,
               sum(count) AS count, avgMerge(avg_strength) AS avg_strength, maxMerge(max_strength) AS max_strength
        FROM ${b.table('signal_correlations')}
        WHERE ${b.scope} AND ${b.rollupWindow()}${serviceFilter(b, narrow)}
        GROUP BY service_name, correlation_type, source_signal, target_signal
        ORDER BY count DESC
        LIMIT ${b.limit()}`,
    );
}

/** Window and baseline figures of one service, joined from latency and error-rate rows. */
export interface ServiceStats {
  service: string;
  requests: number;
  errors: number;
  errorRate: number;
  baselineErrorRate: number | null;
  avgMs: number;
  p95Ms: number;
  p99Ms: number;
  baselineP95Ms: number | null;
  baselineRequests: number | null;
}

/** Joins latency and error-rate rows (both with `current`) into per-service stats. */
export function serviceStats(latencyRows: readonly Row[], errorRows: readonly Row[]): ServiceStats[] {
  const stats = new Map<string, ServiceStats>();
  const get = (service: string): ServiceStats => {
    let s = stats.get(service);
    if (s === undefined) {
      s = {
        service,
        requests: 0,
        errors: 0,
        errorRate: 0,
        baselineErrorRate: null,
        avgMs: 0,
        p95Ms: 0,
        p99Ms: 0,
        baselineP95Ms: null,
        baselineRequests: null,
      };
      stats.set(service, s);
    }
    return s;
  };
  const isCurrent = (row: Row): boolean => num(row['current']) === 1 || row['current'] === true;
  for (const row of latencyRows) {
    const s = get(str(row['service_name']));
    if (isCurrent(row)) {
      s.avgMs = num(row['avg_ms']);
      s.p95Ms = num(row['p95_ms']);
      s.p99Ms = num(row['p99_ms']);
      if (s.requests === 0) s.requests = num(row['requests']);
    } else {
      s.baselineP95Ms = num(row['p95_ms']);
      s.baselineRequests ??= num(row['requests']);
    }
  }
  for (const row of errorRows) {
    const s = get(str(row['service_name']));
    const requests = num(row['requests']);
    const rate = requests > 0 ? num(row['errors']) / requests : 0;
    if (isCurrent(row)) {
      s.requests = requests;
      s.errors = num(row['errors']);
      s.errorRate = rate;
    } else {
      s.baselineErrorRate = rate;
      s.baselineRequests = requests;
    }
  }
  return [...stats.values()].filter((s) => s.requests > 0 || s.p95Ms > 0);
}

/** `checkout-service p95 1,020 ms (baseline 310 ms, x3.3)` style text. */
export function describeLatency(s: ServiceStats): string {
  const base =
    s.baselineP95Ms === null
      ? ''
      : ` (baseline ${fmt(s.baselineP95Ms, 0)} ms, ${change(s.p95Ms, s.baselineP95Ms)})`;
  return `${s.service} p95 ${fmt(s.p95Ms, 0)} ms, p99 ${fmt(s.p99Ms, 0)} ms${base}`;
}

/** `payment-processor 12.3 % errors (512 of 4,160; baseline 0.4 %)` style text. */
export function describeErrors(s: ServiceStats): string {
  const base = s.baselineErrorRate === null ? '' : `; baseline ${pct(s.baselineErrorRate, 2)}`;
  return `${s.service} ${pct(s.errorRate, 2)} errors (${fmt(s.errors, 0)} of ${fmt(s.requests, 0)}${base})`;
}

/** Services whose error rate is at least 1 % and clearly above baseline, worst first. */
export function errorSpikes(stats: readonly ServiceStats[]): ServiceStats[] {
  return stats
    .filter((s) => s.errorRate >= 0.01 && s.errorRate >= 2 * (s.baselineErrorRate ?? 0))
    .sort((a, b) => b.errorRate - a.errorRate);
}

/** Services whose p95 is at least 1.5 times the baseline p95, worst first. */
export function latencySpikes(stats: readonly ServiceStats[]): ServiceStats[] {
  return stats
    .filter((s) => s.baselineP95Ms !== null && s.baselineP95Ms > 0 && s.p95Ms >= 1.5 * s.baselineP95Ms)
    .sort((a, b) => b.p95Ms / (b.baselineP95Ms as number) - a.p95Ms / (a.baselineP95Ms as number));
}

/** Per-service error counts of the window and baseline, from `logCounts` rows. */
export function errorLogTotals(
  rows: readonly Row[],
): { service: string; current: number; baseline: number }[] {
  const errors = new Set(['ERROR', 'FATAL', 'CRITICAL']);
  const totals = new Map<string, { service: string; current: number; baseline: number }>();
  for (const row of rows) {
    if (!errors.has(str(row['severity_text']).toUpperCase())) continue;
    const service = str(row['service_name']);
    const t = totals.get(service) ?? { service, current: 0, baseline: 0 };
    if (num(row['current']) === 1 || row['current'] === true) t.current += num(row['count']);
    else t.baseline += num(row['count']);
    totals.set(service, t);
  }
  return [...totals.values()].sort((a, b) => b.current - a.current);
}

/** `payment-processor ERROR "thread pool exhausted" x412` style text for error lines. */
export function describeErrorLine(row: Row): string {
  const text = str(row['message']).replace(/\s+/g, ' ').slice(0, 120);
  return `${str(row['service_name'])} ${str(row['severity_text'])} "${text}" x${fmt(num(row['count']), 0)}`;
}

/** Only the window rows (`current = 1`) of a window/baseline source. */
export function currentRows(rows: readonly Row[]): Row[] {
  return rows.filter((r) => num(r['current']) === 1 || r['current'] === true);
}
