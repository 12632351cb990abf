import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool, jsonResult } from '../definitions.js';
import { healthVerdict } from '../telemetry/health.js';
import { num, organizationOf, round, select, trafficByService } from '../telemetry/queries.js';
import { TELEMETRY_GRAINS, type TelemetryGrain } from '../telemetry/window.js';

/** Minutes of recent data the listing summarises. */
const RECENT_MINUTES = 15;

const MINUTE = TELEMETRY_GRAINS[0] as TelemetryGrain;

const RESOURCES = `SELECT service_name, metric_name,
       argMax(v, minute) AS latest,
       toUnixTimestamp(max(minute)) AS latest_ts
  FROM (SELECT service_name, metric_name, minute, avgMerge(avg_value) AS v
          FROM metrics_1m
         WHERE organization_id = {organization_id:String}
           AND minute > now() - toIntervalSecond({since_seconds:UInt32})
           AND metric_name IN ('cpu.usage', 'memory.usage', 'http.server.request_rate', 'http.server.error_rate')
         GROUP BY service_name, metric_name, minute)
 GROUP BY service_name, metric_name`;

const SEEN = `SELECT service_name
  FROM metrics_1h
 WHERE organization_id = {organization_id:String}
   AND hour > now() - toIntervalDay(1)
 GROUP BY service_name
UNION DISTINCT
SELECT service_name
  FROM service_error_rates_1h
 WHERE organization_id = {organization_id:String}
   AND hour > now() - toIntervalDay(1)
 GROUP BY service_name`;

/** `list_services`: the organization's services with current traffic, errors, latency and a verdict. */
export function createListServicesTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'list_services',
    title: 'List services',
    category: 'telemetry',
    scope: 'mcp:telemetry:read',
    description:
      "The organization's services (those with metrics or spans in the last 24 hours) with their current state over the " +
      `last ${RECENT_MINUTES} minutes: request_rate_per_s (the http.server.request_rate metric, else sampled spans per second), ` +
      'error_rate_percent (failed spans / spans), p95_latency_ms (spans), cpu_percent and memory_percent (latest minute), ' +
      'and health: healthy, degraded, critical or no_data, with the reasons (error rate >= 1 % / 5 %, CPU or memory >= ' +
      '80 % / 90 %, p95 >= 1 s / 3 s). Worst first. Start an investigation here, then use get_current_metrics, ' +
      'query_historical_metrics and detect_anomalies on the services that are not healthy.',
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(_args, ctx) {
      const call = organizationOf(clickhouse, ctx, 'list_services');
      const seconds = RECENT_MINUTES * 60;
      const seen = await select(call, SEEN, {}, 10_000);
      const resources = await select(call, RESOURCES, { since_seconds: seconds }, 10_000);
      const traffic = await trafficByService(call, MINUTE, seconds);
      const metrics = new Map<string, Map<string, { value: number | null; at: number | null }>>();
      for (const r of resources) {
        const service = String(r['service_name']);
        const byMetric = metrics.get(service) ?? new Map();
        byMetric.set(String(r['metric_name']), { value: num(r['latest']), at: num(r['latest_ts']) });
        metrics.set(service, byMetric);
      }
      const names = new Set([
        ...seen.map((r) => String(r['service_name'])),
        ...metrics.keys(),
        ...traffic.keys(),
      ]);
      const rank = { critical: 0, degraded: 1, healthy: 2, no_data: 3 } as const;
      const services = [...names]
        .map((service) => {
          const m = metrics.get(service);
          const t = traffic.get(service);
          const metric = (name: string) => m?.get(name)?.value ?? null;
          const requestRate =
            metric('http.server.request_rate') ?? (t && t.requests > 0 ? t.requests / seconds : null);
          const errorRate =
            t && t.requests > 0 ? (100 * t.errors) / t.requests : metric('http.server.error_rate');
          const figures = {
            errorRatePercent: errorRate,
            cpuPercent: metric('cpu.usage'),
            memoryPercent: metric('memory.usage'),
            p95LatencyMs: t?.p95Ms ?? null,
          };
          const verdict = healthVerdict(figures);
          return {
            service,
            health: verdict.status,
            reasons: verdict.reasons,
            request_rate_per_s: round(requestRate),
            error_rate_percent: round(errorRate),
            p95_latency_ms: round(figures.p95LatencyMs),
            cpu_percent: round(figures.cpuPercent),
            memory_percent: round(figures.memoryPercent),
            sampled_spans: t?.requests ?? 0,
          };
        })
        .sort((a, b) => rank[a.health] - rank[b.health] || a.service.localeCompare(b.service));
      const count = (status: keyof typeof rank) => services.filter((s) => s.health === status).length;
      return jsonResult({
        organization_id: call.organizationId,
        window_minutes: RECENT_MINUTES,
        service_count: services.length,
        summary: {
          critical: count('critical'),
          degraded: count('degraded'),
          healthy: count('healthy'),
          no_data: count('no_data'),
        },
        services,
      });
    },
  });
}
