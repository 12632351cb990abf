/**
 * Core telemetry specs: metrics, logs, traces, exemplars, correlations, dashboard.
 * Sources and tables follow the platform (metrics_*, logs_* + raw error logs,
 * service_latency_percentiles_* + service_error_rates_*, exemplars, signal_correlations_*);
 * the grain follows the window. Summaries lead with spikes against the previous window.
 */
import { fmt, list, num, pct, str, tally, top, total, when } from '../format.js';
import { describeSpike, pairSeries, seriesData, seriesSource, spikes } from '../queries/series.js';
import {
  correlations,
  currentRows,
  describeErrorLine,
  describeErrors,
  describeLatency,
  errorLogTotals,
  errorLogs,
  errorRates,
  errorSpikes,
  exemplarSummary,
  latency,
  latencySpikes,
  logCounts,
  serviceStats,
  topExemplars,
} from '../queries/telemetry.js';
import { defineSpec, type ContextSpec, type SourceRows } from '../spec.js';
import type { QueryInput } from '../sql.js';

const METRIC_KEYS = ['service_name', 'metric_name'] as const;

/** Metric series of services; `contextId` narrows to one metric name or service. */
export const metricSeries = seriesSource({
  family: 'metrics',
  keys: METRIC_KEYS,
  where: (b) =>
    b.input.contextId === undefined ? undefined : `metric_name = ${b.id} OR service_name = ${b.id}`,
});

/** Summary text and data of metric rows; shared by metrics, dashboard and saturation views. */
export function metricsDigest(
  rows: SourceRows,
  input: QueryInput,
): { text: string; data: Record<string, unknown> } | null {
  const series = pairSeries(rows.get('series'), METRIC_KEYS);
  if (series.length === 0) return null;
  const services = new Set(series.map((s) => s.key['service_name']));
  const up = spikes(series);
  const lead =
    up.length > 0
      ? `Spikes against the previous window: ${list(
          up.map((s) => describeSpike(s)),
          3,
        )}.`
      : 'No series rose 50 % or more above its baseline average.';
  const highest = top(
    series.map((s) => ({ label: s.label, max: s.max })),
    'max',
    3,
  ).map((s) => `${String(s['label'])} max ${fmt(num(s['max']), 1)}`);
  return {
    text: `${lead} ${series.length} series across ${services.size} services (${input.grain.suffix} rollups). Highest values: ${list(highest, 3)}.`,
    data: {
      grain: input.grain.suffix,
      spikes: up.slice(0, input.maxItems).map(seriesData),
      series: series.slice(0, input.maxItems * 3).map(seriesData),
    },
  };
}

/** Summary text and data of logs: severity totals, error spikes per service, top error lines. */
export function logsDigest(
  rows: SourceRows,
  input: QueryInput,
): { text: string; data: Record<string, unknown> } | null {
  const counts = currentRows(rows.get('logCounts'));
  const lines = rows.get('errorLogs');
  if (counts.length === 0 && lines.length === 0) return null;
  const bySeverity: Record<string, number> = {};
  for (const r of counts)
    bySeverity[str(r['severity_text'])] = (bySeverity[str(r['severity_text'])] ?? 0) + num(r['count']);
  const errorTotals = errorLogTotals(rows.get('logCounts')).filter((t) => t.current > 0);
  const rising = errorTotals
    .filter((t) => t.current >= 2 * t.baseline && t.current >= 10)
    .map(
      (t) => `${t.service} ${fmt(t.current, 0)} error-level lines (previous window ${fmt(t.baseline, 0)})`,
    );
  const parts = [
    `${fmt(total(counts, 'count'), 0)} log lines (${tally(bySeverity)}).`,
    rising.length > 0 ? `Error bursts: ${list(rising, 3)}.` : '',
    lines.length > 0 ? `Top errors: ${list(lines.map(describeErrorLine), 5)}.` : 'No error-level lines.',
  ];
  return {
    text: parts.filter(Boolean).join(' '),
    data: {
      grain: input.grain.suffix,
      bySeverity,
      errorsByService: errorTotals.slice(0, input.maxItems),
      topErrors: lines.slice(0, input.maxItems).map((r) => ({
        service: str(r['service_name']),
        severity: str(r['severity_text']),
        message: str(r['message']),
        count: num(r['count']),
        lastSeen: str(r['last_seen']),
      })),
    },
  };
}

/** Summary text and data of service latency and errors. */
export function tracesDigest(
  rows: SourceRows,
  input: QueryInput,
): { text: string; data: Record<string, unknown> } | null {
  const stats = serviceStats(rows.get('latency'), rows.get('errorRates'));
  if (stats.length === 0) return null;
  const slow = latencySpikes(stats);
  const failing = errorSpikes(stats);
  const requests = stats.reduce((a, s) => a + s.requests, 0);
  const errors = stats.reduce((a, s) => a + s.errors, 0);
  const parts = [
    `${fmt(requests, 0)} requests across ${stats.length} services, ${pct(requests > 0 ? errors / requests : 0, 2)} failed.`,
    failing.length > 0
      ? `Error spikes: ${list(failing.map(describeErrors), 3)}.`
      : 'No service has an error rate of 1 % or more above twice its baseline.',
    slow.length > 0 ? `Latency regressions: ${list(slow.map(describeLatency), 3)}.` : '',
    `Slowest p95: ${list([...stats].sort((a, b) => b.p95Ms - a.p95Ms).map(describeLatency), 3)}.`,
  ];
  return {
    text: parts.filter(Boolean).join(' '),
    data: {
      grain: input.grain.suffix,
      services: stats.slice(0, input.maxItems * 2).map((s) => ({
        ...s,
        errorRate: Math.round(s.errorRate * 1e5) / 1e5,
      })),
    },
  };
}

function compose(
  parts: readonly ({ text: string; data: Record<string, unknown> } | null)[],
  names: readonly string[],
): { summary: string; data: Record<string, unknown> } | null {
  if (parts.every((p) => p === null)) return null;
  const data: Record<string, unknown> = {};
  const texts: string[] = [];
  parts.forEach((p, i) => {
    if (p === null) return;
    texts.push(p.text);
    data[names[i] as string] = p.data;
  });
  return { summary: texts.join(' '), data };
}

function correlationsDigest(rows: SourceRows): { text: string; data: Record<string, unknown> } | null {
  const corr = rows.get('correlations');
  if (corr.length === 0) return null;
  const items = corr.map(
    (r) =>
      `${str(r['service_name'])} ${str(r['source_signal'])} -> ${str(r['target_signal'])} (${str(r['correlation_type'])}) x${fmt(num(r['count']), 0)}, strength ${fmt(num(r['avg_strength']), 2)}`,
  );
  return { text: `Signal correlations: ${list(items, 3)}.`, data: { correlations: corr } };
}

/** The core-telemetry specs. */
export const coreTelemetrySpecs: readonly ContextSpec[] = [
  defineSpec({
    key: 'metrics',
    sources: { series: metricSeries },
    build: (rows, input) => {
      const d = metricsDigest(rows, input);
      return d === null ? null : { summary: d.text, data: d.data };
    },
  }),
  defineSpec({
    key: 'logs',
    sources: { logCounts: logCounts(), errorLogs: errorLogs() },
    build: (rows, input) => {
      const d = logsDigest(rows, input);
      return d === null ? null : { summary: d.text, data: d.data };
    },
  }),
  defineSpec({
    key: 'traces',
    sources: { latency: latency(), errorRates: errorRates() },
    build: (rows, input) => {
      const d = tracesDigest(rows, input);
      return d === null ? null : { summary: d.text, data: d.data };
    },
  }),
  defineSpec({
    key: 'exemplars',
    sources: { exemplarSummary: exemplarSummary(), topExemplars: topExemplars() },
    build: (rows, input) => {
      const summary = rows.get('exemplarSummary');
      const topRows = rows.get('topExemplars');
      if (summary.length === 0 && topRows.length === 0) return null;
      const count = total(summary, 'exemplars');
      const highest = topRows
        .slice(0, 3)
        .map(
          (r) =>
            `${str(r['service_name'])} ${str(r['metric_name'])}=${fmt(num(r['value']), 1)} at ${when(r['timestamp'])} (trace ${str(r['trace_id'])})`,
        );
      return {
        summary: `${fmt(count, 0)} exemplars across ${summary.length} service metrics. Largest values: ${list(highest, 3)}.`,
        data: { grain: input.grain.suffix, byMetric: summary, top: topRows },
      };
    },
  }),
  defineSpec({
    key: 'correlations',
    sources: {
      correlations: correlations(),
      latency: latency(),
      errorRates: errorRates(),
      logCounts: logCounts(),
      errorLogs: errorLogs(),
    },
    build: (rows, input) =>
      compose(
        [correlationsDigest(rows), tracesDigest(rows, input), logsDigest(rows, input)],
        ['correlations', 'traces', 'logs'],
      ),
  }),
  defineSpec({
    key: 'dashboard',
    sources: {
      series: metricSeries,
      logCounts: logCounts(),
      errorLogs: errorLogs(),
      latency: latency(),
      errorRates: errorRates(),
      correlations: correlations(),
    },
    build: (rows, input) =>
      compose(
        [
          tracesDigest(rows, input),
          metricsDigest(rows, input),
          logsDigest(rows, input),
          correlationsDigest(rows),
        ],
        ['traces', 'metrics', 'logs', 'correlations'],
      ),
  }),
];

export { compose };
