import { ValidationError, type SqlDatasource } from '@tfo/domain';
import type { TemplateResourceDefinition } from '../definitions.js';
import { resourceScope, type TenantReadContext } from '../telemetry/queries.js';
import { seriesAnswer } from '../telemetry/series.js';
import { resolveWindow } from '../telemetry/window.js';

function variable(variables: Record<string, string | string[]>, name: string): string {
  const raw = variables[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  let decoded: string | undefined;
  try {
    decoded = value === undefined ? undefined : decodeURIComponent(value).trim();
  } catch {
    decoded = undefined;
  }
  if (decoded === undefined || decoded === '' || decoded.length > 256) {
    throw new ValidationError(
      `The URI must name a ${name}: telemetry://services/{service}/metrics/{metric}, e.g. telemetry://services/api-gateway/metrics/cpu.usage`,
    );
  }
  return decoded;
}

/**
 * `telemetry://services/{service}/metrics/{metric}`: the last hour of one metric of one
 * service at one-minute grain, as query_historical_metrics answers it. Scoped to the
 * reader's organization, or to `defaultOrganization` (the configured one) when the read
 * carries none.
 */
export function createTelemetryMetricResource(
  clickhouse: SqlDatasource,
  defaultOrganization: string | undefined,
): TemplateResourceDefinition {
  return {
    kind: 'template',
    name: 'telemetry-metric',
    uriTemplate: 'telemetry://services/{service}/metrics/{metric}',
    title: 'Service metric, last hour',
    description:
      'The last hour of one metric of one service as JSON: one point per minute (time, avg, min, max) and a ' +
      'min / avg / max / latest summary. {metric} is a stored name (cpu.usage, http.server.error_rate, ...) or an alias ' +
      '(cpu, memory, error_rate, request_rate, latency).',
    mimeType: 'application/json',
    async read(uri, variables, ctx) {
      const service = variable(variables, 'service');
      const metric = variable(variables, 'metric');
      const call = resourceScope(clickhouse, ctx as TenantReadContext, defaultOrganization, uri.href);
      const body = await seriesAnswer(call, service, metric, resolveWindow({}, '1h'));
      return [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }];
    },
  };
}
