import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool, jsonResult } from '../definitions.js';
import {
  hoursWindowArgument,
  metricArgument,
  serviceArgument,
  windowArgument,
} from '../telemetry/arguments.js';
import { organizationOf } from '../telemetry/queries.js';
import { seriesAnswer } from '../telemetry/series.js';
import { resolveWindow } from '../telemetry/window.js';

/** `query_historical_metrics`: one metric of one service as a time series. */
export function createQueryHistoricalMetricsTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'query_historical_metrics',
    title: 'Metric history of a service',
    category: 'telemetry',
    scope: 'mcp:telemetry:read',
    description:
      'One metric of one service as a time series over a window ending now, read from the metric rollups at a grain ' +
      'chosen from the window (1-minute buckets up to 1 hour, 5 minutes up to 1 day, 1 hour up to 7 days, 1 day beyond). ' +
      'Each point has time (bucket start, UTC), avg, min and max; the summary has min, avg, max, latest and the number of ' +
      'points. Use it to see when a problem started and to correlate metrics (e.g. cpu then error_rate of the same ' +
      'service over the same window). Unknown services or metrics are answered with the closest names.',
    inputSchema: z.object({
      service: serviceArgument(),
      metric: metricArgument(),
      window: windowArgument('24h'),
      hours: hoursWindowArgument,
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ service, metric, window, hours }, ctx) {
      const call = organizationOf(clickhouse, ctx, 'query_historical_metrics');
      const resolved = resolveWindow({ window, hours }, '24h');
      return jsonResult(await seriesAnswer(call, service, metric, resolved));
    },
  });
}
