import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool, jsonResult } from '../definitions.js';
import { serviceArgument } from '../telemetry/arguments.js';
import { healthVerdict } from '../telemetry/health.js';
import {
  num,
  organizationOf,
  requireService,
  round,
  select,
  trafficByService,
} from '../telemetry/queries.js';
import { TELEMETRY_GRAINS, type TelemetryGrain } from '../telemetry/window.js';

/** How old the latest sample of a metric may be (seconds). */
const LATEST_WITHIN_SECONDS = 3_600;
/** Window of the span figures (seconds). */
const TRAFFIC_SECONDS = 300;

const LATEST = `SELECT metric_name,
       argMax(value, timestamp) AS value,
       argMax(unit, timestamp) AS unit,
       toUnixTimestamp64Milli(max(timestamp)) AS measured_ms
  FROM metrics
 WHERE organization_id = {organization_id:String}
   AND service_name = {service:String}
   AND timestamp > now64(3) - toIntervalSecond({since_seconds:UInt32})
 GROUP BY metric_name
 ORDER BY metric_name`;

/** `get_current_metrics`: the latest value of every metric of one service. */
export function createGetCurrentMetricsTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'get_current_metrics',
    title: 'Current metrics of a service',
    category: 'telemetry',
    scope: 'mcp:telemetry:read',
    description:
      'The latest value of every metric one service reports (cpu.usage %, memory.usage %, memory.used_bytes, ' +
      'http.server.request_rate req/s, http.server.error_rate %, http.server.duration ms, and db.*, cache.*, queue.*, jvm.* ' +
      'where the service has them), each with its unit and measured_at (UTC), plus the last 5 minutes of spans ' +
      '(requests, errors, error_rate_percent, p95_latency_ms) and a health verdict with reasons. Use it for "what is the ' +
      'status of X right now"; an unknown service is answered with the closest names. For a trend use ' +
      'query_historical_metrics.',
    inputSchema: z.object({ service: serviceArgument() }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ service }, ctx) {
      const call = organizationOf(clickhouse, ctx, 'get_current_metrics');
      await requireService(call, service);
      const rows = await select(call, LATEST, { service, since_seconds: LATEST_WITHIN_SECONDS }, 10_000);
      const traffic = (
        await trafficByService(call, TELEMETRY_GRAINS[0] as TelemetryGrain, TRAFFIC_SECONDS, service)
      ).get(service);
      const metrics: Record<string, { value: number | null; unit: string; measured_at: string | null }> = {};
      let latest = 0;
      for (const r of rows) {
        const at = num(r['measured_ms']);
        if (at !== null) latest = Math.max(latest, at);
        metrics[String(r['metric_name'])] = {
          value: round(num(r['value'])),
          unit: String(r['unit'] ?? ''),
          measured_at: at === null ? null : new Date(at).toISOString(),
        };
      }
      const value = (name: string) => metrics[name]?.value ?? null;
      const errorRate =
        traffic && traffic.requests > 0
          ? (100 * traffic.errors) / traffic.requests
          : value('http.server.error_rate');
      const verdict = healthVerdict({
        errorRatePercent: errorRate,
        cpuPercent: value('cpu.usage'),
        memoryPercent: value('memory.usage'),
        p95LatencyMs: traffic?.p95Ms ?? null,
      });
      return jsonResult({
        service,
        measured_at: latest > 0 ? new Date(latest).toISOString() : null,
        health: verdict.status,
        reasons: verdict.reasons,
        ...(rows.length === 0
          ? {
              notice: `No metric samples in the last hour; query_historical_metrics with a longer window shows older data.`,
            }
          : {}),
        metrics,
        spans_last_5m: {
          requests: traffic?.requests ?? 0,
          errors: traffic?.errors ?? 0,
          error_rate_percent:
            traffic && traffic.requests > 0 ? round((100 * traffic.errors) / traffic.requests) : null,
          p95_latency_ms: traffic?.p95Ms ?? null,
        },
      });
    },
  });
}
