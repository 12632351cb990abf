/**
 * Reliability and change specs (seed keys): golden-signal views over the same sources as
 * traces/logs/metrics (errors, latency, throughput, saturation, service-health), SLO
 * views over PostgreSQL slo_definitions measured against service_error_rates_* and
 * service_latency_percentiles_* (slo, sli, error-budget), and change history from
 * change_events with Kubernetes rollouts (change-events, deployment).
 *
 * SLO arithmetic: availability SLI = 1 - errors / requests in the window; burn rate =
 * (1 - SLI) / (1 - objective); budget spent in the window = burn rate x window / SLO
 * period (constant traffic assumed, and said so in the data). Latency SLOs compare the
 * window's p95 / p99 with the objective's threshold.
 */
import { fmt, list, num, pct, str, when, type Row } from '../format.js';
import { changeEvents, changeLine } from '../queries/intelligence.js';
import { pgList } from '../queries/inventory.js';
import { pairSeries, seriesData, seriesSource } from '../queries/series.js';
import {
  describeErrorLine,
  describeErrors,
  describeLatency,
  errorLogs,
  errorRates,
  errorSpikes,
  latency,
  latencySpikes,
  logCounts,
  operationLatency,
  serviceStats,
  type ServiceStats,
} from '../queries/telemetry.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import { sentences, viewSpec } from './common.js';
import { saturated, seriesText } from './infrastructure.js';
import { logsDigest } from './core-telemetry.js';

const slos: SourceBuilder = pgList({
  from: 'slo_definitions',
  columns: 'name, service_name, sli_type, objective, window_days, threshold_ms, enabled',
  orderBy: 'service_name, name',
  where: (b) =>
    b.input.contextId === undefined
      ? undefined
      : `service_name = ${b.bind(b.input.contextId)} OR name = $${b.params.length}`,
});

interface SloStatus {
  name: string;
  service: string;
  sliType: string;
  objective: number;
  sli: number | null;
  met: boolean | null;
  burnRate: number | null;
  budgetSpentInWindow: number | null;
  detail: string;
}

function evaluate(slo: Row, stats: ReadonlyMap<string, ServiceStats>, windowMs: number): SloStatus {
  const service = str(slo['service_name']);
  const s = stats.get(service);
  const objective = num(slo['objective']) / 100;
  const base = {
    name: str(slo['name']),
    service,
    sliType: str(slo['sli_type']),
    objective: num(slo['objective']),
  };
  if (s === undefined || s.requests === 0) {
    return {
      ...base,
      sli: null,
      met: null,
      burnRate: null,
      budgetSpentInWindow: null,
      detail: 'no traffic in the window',
    };
  }
  if (str(slo['sli_type']).includes('latency')) {
    const threshold = num(slo['threshold_ms']);
    const quantileOk = objective >= 0.99 ? s.p99Ms <= threshold : s.p95Ms <= threshold;
    return {
      ...base,
      sli: null,
      met: quantileOk,
      burnRate: null,
      budgetSpentInWindow: null,
      detail: `p95 ${fmt(s.p95Ms, 0)} ms, p99 ${fmt(s.p99Ms, 0)} ms against ${fmt(threshold, 0)} ms`,
    };
  }
  const sli = 1 - s.errorRate;
  const burn = objective < 1 ? s.errorRate / (1 - objective) : null;
  const periodMs = Math.max(1, num(slo['window_days'])) * 86_400_000;
  return {
    ...base,
    sli,
    met: sli >= objective,
    burnRate: burn,
    budgetSpentInWindow: burn === null ? null : (burn * windowMs) / periodMs,
    detail: `${pct(sli, 3)} of ${fmt(s.requests, 0)} requests succeeded`,
  };
}

function sloLine(s: SloStatus): string {
  const burn = s.burnRate === null ? '' : `, burn rate ${fmt(s.burnRate, 1)}x`;
  return `${s.name} (${s.service}, ${s.sliType} ${fmt(s.objective, 2)} %): ${s.met === null ? 'not measured' : s.met ? 'met' : 'BREACHED'}, ${s.detail}${burn}`;
}

function sloView(key: 'slo' | 'sli' | 'error-budget'): ContextSpec {
  return viewSpec(
    key,
    { slos, latency: latency(false), errorRates: errorRates(false) },
    (rows, input) => {
      const stats = new Map(
        serviceStats(rows.get('latency'), rows.get('errorRates')).map((s) => [s.service, s]),
      );
      const statuses = rows
        .get('slos')
        .filter((r) => r['enabled'] !== false)
        .map((r) => evaluate(r, stats, input.range.durationMs));
      const breached = statuses.filter((s) => s.met === false);
      const burning = statuses
        .filter((s) => (s.burnRate ?? 0) > 1)
        .sort((a, b) => (b.burnRate ?? 0) - (a.burnRate ?? 0));
      const texts = {
        slo: [
          `${statuses.length} objectives, ${breached.length} breached in the window.`,
          breached.length > 0 ? `Breached: ${list(breached.map(sloLine), 3)}.` : '',
          `Met: ${list(
            statuses.filter((s) => s.met === true).map((s) => s.name),
            5,
          )}.`,
        ],
        sli: [`Indicators: ${list(statuses.map(sloLine), 6)}.`],
        'error-budget': [
          burning.length > 0
            ? `Burning budget faster than allowed: ${list(
                burning.map(
                  (s) =>
                    `${s.name} ${fmt(s.burnRate ?? 0, 1)}x, ${pct(s.budgetSpentInWindow ?? 0, 2)} of the period's budget spent in this window`,
                ),
                3,
              )}.`
            : 'No objective is burning its error budget faster than allowed.',
          `${statuses.filter((s) => s.burnRate !== null).length} availability objectives measured.`,
        ],
      }[key];
      return {
        summary: sentences(...texts),
        data: {
          objectives: statuses,
          assumption: 'budget spent in the window assumes constant traffic over the SLO period',
        },
      };
    },
    { required: ['slos'] },
  );
}

const SERVICE_KEYS = ['service_name', 'metric_name'] as const;
const serviceSaturation = seriesSource({
  family: 'metrics',
  keys: SERVICE_KEYS,
  where: (b) =>
    `(metric_name LIKE '%.usage' OR metric_name LIKE '%usage_percent' OR metric_name = 'queue.consumer_lag')${b.input.contextId === undefined ? '' : ` AND service_name = ${b.id}`}`,
});
const hostSaturation = seriesSource({
  family: 'vm_metrics',
  keys: ['host_name', 'metric_name'],
  where: () => "metric_name IN ('cpu.usage', 'memory.usage', 'disk.usage')",
});

function verdict(s: ServiceStats, errorLines: number): string {
  if (s.errorRate >= 0.05 || (s.baselineP95Ms !== null && s.p95Ms >= 3 * s.baselineP95Ms)) return 'critical';
  if (
    s.errorRate >= 0.01 ||
    (s.baselineP95Ms !== null && s.p95Ms >= 1.5 * s.baselineP95Ms) ||
    errorLines >= 20
  )
    return 'degraded';
  return 'healthy';
}

const deployments: SourceBuilder = pgList({
  from: 'kubernetes_deployments',
  columns: 'namespace, name, replicas, available_replicas, image, last_rollout_at',
  orderBy: 'last_rollout_at DESC NULLS LAST',
  where: (b) => (b.input.contextId === undefined ? undefined : `name = ${b.bind(b.input.contextId)}`),
});

/** Reliability and change specs. */
export const reliabilitySpecs: readonly ContextSpec[] = [
  viewSpec(
    'errors',
    { errorRates: errorRates(), latency: latency(), errorLogs: errorLogs() },
    (rows) => {
      const stats = serviceStats(rows.get('latency'), rows.get('errorRates'));
      const ranked = [...stats].sort((a, b) => b.errorRate - a.errorRate);
      return {
        summary: sentences(
          errorSpikes(stats).length > 0
            ? `Error spikes against the previous window: ${list(errorSpikes(stats).map(describeErrors), 3)}.`
            : `Highest error rates: ${list(ranked.map(describeErrors), 3)}.`,
          rows.get('errorLogs').length > 0
            ? `Top errors: ${list(rows.get('errorLogs').map(describeErrorLine), 5)}.`
            : 'No error-level log lines.',
        ),
        data: { services: ranked, topErrors: rows.get('errorLogs') },
      };
    },
    { required: ['errorRates', 'errorLogs'] },
  ),
  viewSpec(
    'latency',
    { latency: latency(), operations: operationLatency() },
    (rows) => {
      const stats = serviceStats(rows.get('latency'), []);
      const slow = latencySpikes(stats);
      return {
        summary: sentences(
          slow.length > 0
            ? `Regressions against the previous window: ${list(slow.map(describeLatency), 3)}.`
            : 'No service p95 rose 50 % above the previous window.',
          `Slowest operations: ${list(
            rows
              .get('operations')
              .map(
                (o) =>
                  `${str(o['service_name'])} ${str(o['span_name'])} p95 ${fmt(num(o['p95_ms']), 0)} ms (${fmt(num(o['requests']), 0)} requests)`,
              ),
            3,
          )}.`,
        ),
        data: { services: stats, operations: rows.get('operations') },
      };
    },
    { required: ['latency'] },
  ),
  viewSpec(
    'throughput',
    { errorRates: errorRates(), latency: latency() },
    (rows, input) => {
      const stats = serviceStats(rows.get('latency'), rows.get('errorRates')).sort(
        (a, b) => b.requests - a.requests,
      );
      const minutes = Math.max(1, input.range.durationMs / 60_000);
      const moved = stats.filter(
        (s) =>
          s.baselineRequests !== null &&
          s.baselineRequests > 0 &&
          Math.abs(s.requests / s.baselineRequests - 1) >= 0.3,
      );
      return {
        summary: sentences(
          `${fmt(stats.reduce((a, s) => a + s.requests, 0) / minutes, 1)} requests per minute in total.`,
          `Busiest: ${list(
            stats.map((s) => `${s.service} ${fmt(s.requests / minutes, 1)}/min`),
            5,
          )}.`,
          moved.length > 0
            ? `Changed by 30 % or more against the previous window: ${list(
                moved.map((s) => `${s.service} ${fmt(s.requests, 0)} vs ${fmt(s.baselineRequests ?? 0, 0)}`),
                3,
              )}.`
            : '',
        ),
        data: {
          services: stats.map((s) => ({
            service: s.service,
            requests: s.requests,
            perMinute: s.requests / minutes,
            baselineRequests: s.baselineRequests,
          })),
        },
      };
    },
    { required: ['errorRates'] },
  ),
  viewSpec('saturation', { services: serviceSaturation, hosts: hostSaturation }, (rows, input) => {
    const services = pairSeries(rows.get('services'), SERVICE_KEYS);
    const hosts = pairSeries(rows.get('hosts'), ['host_name', 'metric_name']);
    return {
      summary: sentences(seriesText([...hosts, ...services], 'utilisation')),
      data: {
        grain: input.grain.suffix,
        saturated: saturated([...hosts, ...services]).map(seriesData),
        hosts: hosts.map(seriesData),
        services: services.map(seriesData),
      },
    };
  }),
  viewSpec(
    'service-health',
    { latency: latency(), errorRates: errorRates(), logCounts: logCounts(), errorLogs: errorLogs() },
    (rows, input) => {
      const stats = serviceStats(rows.get('latency'), rows.get('errorRates'));
      const logs = logsDigest(rows, input);
      const errorsBy = new Map<string, number>();
      for (const r of rows.get('logCounts'))
        if (num(r['current']) === 1 && /ERROR|FATAL|CRITICAL/.test(str(r['severity_text'])))
          errorsBy.set(str(r['service_name']), (errorsBy.get(str(r['service_name'])) ?? 0) + num(r['count']));
      const verdicts = stats.map((s) => ({
        service: s.service,
        verdict: verdict(s, errorsBy.get(s.service) ?? 0),
        errorRate: s.errorRate,
        p95Ms: s.p95Ms,
        baselineP95Ms: s.baselineP95Ms,
        errorLogLines: errorsBy.get(s.service) ?? 0,
      }));
      const bad = verdicts
        .filter((v) => v.verdict !== 'healthy')
        .sort((a, b) => (a.verdict === 'critical' ? -1 : 1) - (b.verdict === 'critical' ? -1 : 1));
      return {
        summary: sentences(
          `${verdicts.length} services: ${verdicts.filter((v) => v.verdict === 'healthy').length} healthy, ${verdicts.filter((v) => v.verdict === 'degraded').length} degraded, ${verdicts.filter((v) => v.verdict === 'critical').length} critical.`,
          bad.length > 0
            ? `Not healthy: ${list(
                bad.map(
                  (v) =>
                    `${v.service} ${v.verdict} (${pct(v.errorRate, 2)} errors, p95 ${fmt(v.p95Ms, 0)} ms${v.baselineP95Ms === null ? '' : ` vs ${fmt(v.baselineP95Ms, 0)} ms`}, ${v.errorLogLines} error lines)`,
                ),
                5,
              )}.`
            : '',
          logs === null ? '' : logs.text,
        ),
        data: { services: verdicts },
      };
    },
    { required: ['latency', 'errorRates'] },
  ),
  sloView('slo'),
  sloView('sli'),
  sloView('error-budget'),
  viewSpec('change-events', { changes: changeEvents }, (rows, input) => {
    const changes = rows.get('changes');
    const inWindow = changes.filter(
      (c) => new Date(str(c['occurred_at'])).getTime() >= input.range.from.getTime(),
    );
    return {
      summary: sentences(
        `${changes.length} changes in this and the previous window (${inWindow.length} in this one).`,
        `Latest: ${list(changes.map(changeLine), 5)}.`,
      ),
      data: { changes },
    };
  }),
  viewSpec(
    'deployment',
    { changes: changeEvents, deployments },
    (rows) => {
      const deploys = rows
        .get('changes')
        .filter((c) => /deploy|release|rollback/i.test(`${str(c['type'])} ${str(c['title'])}`));
      const rollouts = rows
        .get('deployments')
        .filter((d) => d['last_rollout_at'] !== null)
        .slice(0, 5);
      return {
        summary: sentences(
          deploys.length > 0
            ? `Deployments: ${list(deploys.map(changeLine), 5)}.`
            : 'No deployment recorded in this or the previous window.',
          rollouts.length > 0
            ? `Latest Kubernetes rollouts: ${list(
                rollouts.map(
                  (d) =>
                    `${str(d['namespace'])}/${str(d['name'])} ${str(d['image']).split(':').pop() ?? ''} at ${when(d['last_rollout_at'])} (${fmt(num(d['available_replicas']), 0)}/${fmt(num(d['replicas']), 0)} available)`,
                ),
                3,
              )}.`
            : '',
        ),
        data: { deployments: deploys, rollouts },
      };
    },
    { required: ['changes'] },
  ),
];
