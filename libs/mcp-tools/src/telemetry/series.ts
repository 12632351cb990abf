/**
 * The answer of query_historical_metrics and of the `telemetry://services/{service}/metrics/{metric}`
 * resource: one metric of one service over a window, at the window's grain, with a
 * min / avg / max summary.
 *
 * The summary's `avg` is weighted by the samples of each bucket (the mean of all samples in
 * the window), `min` and `max` are the extremes of all samples, `latest` is the newest
 * bucket's average.
 */
import { metricSeries, metricUnit, resolveMetric, round, isoOfSeconds, type ScopedCall } from './queries.js';
import type { TelemetryWindow } from './window.js';

/** Builds the series answer (throws NotFoundError for an unknown service or metric). */
export async function seriesAnswer(
  call: ScopedCall,
  service: string,
  metricArgument: string,
  window: TelemetryWindow,
): Promise<Record<string, unknown>> {
  const metric = await resolveMetric(call, service, metricArgument);
  const g = window.grain;
  const { points } = await metricSeries(call, service, metric, g, window.seconds);
  const unit = await metricUnit(call, service, metric);
  const samples = points.reduce((n, p) => n + p.samples, 0);
  const weighted = points.reduce((s, p) => s + p.avg * (p.samples > 0 ? p.samples : 1), 0);
  const weight = points.reduce((s, p) => s + (p.samples > 0 ? p.samples : 1), 0);
  const last = points.at(-1);
  return {
    service,
    metric,
    unit,
    window: window.label,
    grain: g.suffix,
    from: points[0] === undefined ? null : isoOfSeconds(points[0].ts),
    to: last === undefined ? null : isoOfSeconds(last.ts + g.seconds),
    summary:
      points.length === 0
        ? null
        : {
            min: round(Math.min(...points.map((p) => p.min))),
            avg: round(weighted / weight),
            max: round(Math.max(...points.map((p) => p.max))),
            latest: round(last?.avg),
            points: points.length,
            samples,
          },
    ...(points.length === 0
      ? { notice: `No samples of ${metric} for ${service} in the last ${window.label}; try a longer window.` }
      : {}),
    points: points.map((p) => ({
      time: isoOfSeconds(p.ts),
      avg: round(p.avg),
      min: round(p.min),
      max: round(p.max),
    })),
  };
}
