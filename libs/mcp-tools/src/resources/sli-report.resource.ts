import type { SqlDatasource } from '@tfo/domain';
import type { StaticResourceDefinition } from '../definitions.js';
import { resourceScope, type TenantReadContext } from '../telemetry/queries.js';
import {
  DEFAULT_AVAILABILITY_TARGET,
  DEFAULT_LATENCY_THRESHOLD_MS,
  DEFAULT_SLICE_OBJECTIVE,
  evaluateSli,
} from '../telemetry/sli.js';
import { resolveWindow } from '../telemetry/window.js';

const URI = 'telemetry://sli-report';

/**
 * `telemetry://sli-report`: every service's availability (objective 99 %) and p95 latency
 * (500 ms in 99 % of 5-minute slices) over the last 24 hours, with the services that miss
 * either. Scoped like the telemetry tools (the reader's organization, else the configured one).
 */
export function createSliReportResource(
  clickhouse: SqlDatasource,
  defaultOrganization: string | undefined,
): StaticResourceDefinition {
  return {
    kind: 'static',
    name: 'sli-report',
    uri: URI,
    title: 'SLI compliance report (24 h)',
    description:
      `Availability (objective ${DEFAULT_AVAILABILITY_TARGET} % of requests) and p95 latency (at most ` +
      `${DEFAULT_LATENCY_THRESHOLD_MS} ms in ${DEFAULT_SLICE_OBJECTIVE} % of 5-minute slices) of every service over the ` +
      'last 24 hours, with error budgets and the services that miss an objective. check_sli_compliance answers other ' +
      'windows and objectives.',
    mimeType: 'application/json',
    async read(ctx) {
      const call = resourceScope(clickhouse, ctx as TenantReadContext, defaultOrganization, URI);
      const window = resolveWindow({}, '24h');
      const common = { objective: DEFAULT_SLICE_OBJECTIVE, comparison: 'at_most' as const, window };
      const availability = await evaluateSli(call, {
        ...common,
        sli: 'availability',
        threshold: DEFAULT_AVAILABILITY_TARGET,
      });
      const latency = await evaluateSli(call, {
        ...common,
        sli: 'latency',
        threshold: DEFAULT_LATENCY_THRESHOLD_MS,
      });
      const latencyOf = new Map(latency.rows.map((r) => [r.service, r]));
      const names = [...new Set([...availability.rows, ...latency.rows].map((r) => r.service))].sort();
      const services = names.map((service) => {
        const a = availability.rows.find((r) => r.service === service);
        const l = latencyOf.get(service);
        return {
          service,
          availability: a ?? null,
          latency_p95: l ?? null,
        };
      });
      const missing = (rows: typeof availability.rows) =>
        rows.filter((r) => r.status === 'non_compliant').map((r) => r.service);
      const body = {
        window: window.label,
        generated_at: new Date().toISOString(),
        objectives: {
          availability_percent: DEFAULT_AVAILABILITY_TARGET,
          latency_p95_ms: DEFAULT_LATENCY_THRESHOLD_MS,
          latency_good_slices_percent: DEFAULT_SLICE_OBJECTIVE,
          slice: window.grain.suffix,
        },
        missing_availability: missing(availability.rows),
        missing_latency: missing(latency.rows),
        services,
      };
      return [{ uri: URI, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }];
    },
  };
}
