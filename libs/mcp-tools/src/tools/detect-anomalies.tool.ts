import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool, jsonResult } from '../definitions.js';
import { detectAnomalies, SENSITIVITY_Z, type AnomalousPoint } from '../telemetry/anomaly.js';
import {
  metricArgument,
  sensitivityArgument,
  serviceArgument,
  windowArgument,
} from '../telemetry/arguments.js';
import { metricSeries, metricUnit, organizationOf, resolveMetric, round } from '../telemetry/queries.js';
import { resolveWindow } from '../telemetry/window.js';

/** Most anomalous points listed (the strongest first); episodes are always complete. */
const MAX_LISTED = 50;

const point = (p: AnomalousPoint) => ({
  time: new Date(p.at).toISOString(),
  value: round(p.value),
  deviation_sigma: round(p.sigmas, 2),
  direction: p.direction,
});

/** `detect_anomalies`: statistical anomalies of one metric of one service. */
export function createDetectAnomaliesTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'detect_anomalies',
    title: 'Detect metric anomalies',
    category: 'telemetry',
    scope: 'mcp:telemetry:read',
    description:
      'Finds the points of one metric of one service that deviate from normal over a window ending now (default 6h). ' +
      'The baseline is the median and the robust standard deviation (1.4826 x median absolute deviation) of the window ' +
      'and the equally long period before it, so a spike does not hide itself by inflating the baseline. A point is ' +
      `anomalous when it is at least z sigmas away: sensitivity low = ${SENSITIVITY_Z.low}, medium = ` +
      `${SENSITIVITY_Z.medium} (default), high = ${SENSITIVITY_Z.high}, or a number. Returns the baseline (median, sigma, ` +
      'mean and stddev of the normal points), anomalies_detected, each anomalous point (time UTC, value, deviation_sigma, ' +
      'direction), and episodes of consecutive points with their start, end and peak. Use after list_services or ' +
      'get_current_metrics shows something unusual, then correlate with query_historical_metrics.',
    inputSchema: z.object({
      service: serviceArgument(),
      metric: metricArgument(),
      sensitivity: sensitivityArgument,
      window: windowArgument('6h'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ service, metric: metricName, sensitivity, window }, ctx) {
      const call = organizationOf(clickhouse, ctx, 'detect_anomalies');
      const resolved = resolveWindow({ window }, '6h');
      const threshold = typeof sensitivity === 'number' ? sensitivity : SENSITIVITY_Z[sensitivity];
      const metric = await resolveMetric(call, service, metricName);
      const g = resolved.grain;
      // The window and the equally long period before it form the baseline.
      const series = await metricSeries(call, service, metric, g, 2 * resolved.seconds);
      const all = series.points.map((p) => ({ at: p.ts * 1000, value: p.avg }));
      const now = (series.now ?? 0) * 1000;
      // Buckets that end inside the window belong to it.
      const windowStart = now - resolved.ms - g.seconds * 1000;
      const inWindow = all.filter((p) => p.at > windowStart);
      const unit = await metricUnit(call, service, metric);
      const report = detectAnomalies(inWindow, all, threshold);
      const head = {
        service,
        metric,
        unit,
        window: resolved.label,
        grain: g.suffix,
        sensitivity,
        z_threshold: threshold,
      };
      if (report === undefined || inWindow.length === 0) {
        return jsonResult({
          ...head,
          anomalies_detected: 0,
          notice: `No samples of ${metric} for ${service} in the last ${resolved.label}; try a longer window.`,
          anomalies: [],
          episodes: [],
        });
      }
      const latest = inWindow.at(-1);
      const b = report.baseline;
      const strongest = [...report.anomalies]
        .sort((x, y) => Math.abs(y.sigmas) - Math.abs(x.sigmas))
        .slice(0, MAX_LISTED)
        .sort((x, y) => x.at - y.at);
      return jsonResult({
        ...head,
        baseline: {
          median: round(b.median),
          sigma: round(b.sigma),
          sigma_method: b.sigmaMethod,
          mean: round(b.mean),
          stddev: round(b.stddev),
          points: b.points,
          from: all[0] === undefined ? null : new Date(all[0].at).toISOString(),
          to: new Date(now).toISOString(),
        },
        points_checked: inWindow.length,
        anomalies_detected: report.anomalies.length,
        ...(report.anomalies.length > MAX_LISTED
          ? { notice: `Only the ${MAX_LISTED} strongest anomalous points are listed; episodes cover all.` }
          : {}),
        latest:
          latest === undefined
            ? null
            : {
                time: new Date(latest.at).toISOString(),
                value: round(latest.value),
                deviation_sigma: b.sigma > 0 ? round((latest.value - b.median) / b.sigma, 2) : 0,
              },
        episodes: report.episodes.map((e) => ({
          start: new Date(e.start).toISOString(),
          end: new Date(e.end + g.seconds * 1000).toISOString(),
          points: e.points,
          peak: point(e.peak),
        })),
        anomalies: strongest.map(point),
      });
    },
  });
}
