/**
 * Shared readers of the metric-shaped rollup families (`metrics_*`, `vm_metrics_*`,
 * `kubernetes_metrics_*`, `db_metrics_*`), which hold the same states: avg, min, max,
 * sum and count. One query returns each series twice, for the window (`current = 1`)
 * and for the baseline window of the same length just before it (`current = 0`), so
 * summaries can state spikes against the baseline.
 *
 * Averages are exact (`sumMerge / countMerge` over buckets), extremes use `-Merge` of the
 * min/max states, and `peak_at` is the bucket of the maximum.
 */
import { change, fmt, num, str, when, type Row } from '../format.js';
import type { SourceBuilder } from '../spec.js';
import { ch, type ChBuilder } from '../sql.js';

/** The metric-shaped rollup families. */
export type SeriesFamily = 'metrics' | 'vm_metrics' | 'kubernetes_metrics' | 'db_metrics';

/** What to read from a series family. */
export interface SeriesOptions {
  readonly family: SeriesFamily;
  /** Grouping columns (constants), the metric name last by convention. */
  readonly keys: readonly string[];
  /** Extra filter with bound values. */
  readonly where?: (b: ChBuilder) => string | undefined;
  /** Rows kept: `maxItems` times this factor (default 20: many series, both windows). */
  readonly limitFactor?: number;
}

/** A source reading series aggregates for the window and its baseline. */
export function seriesSource(options: SeriesOptions): SourceBuilder {
  return (input) =>
    ch(input, (b) => {
      const t = input.grain.column;
      const keys = options.keys.join(', ');
      const extra = options.where?.(b);
      return `
        SELECT ${keys}, current,
               sum(s) / nullIf(sum(c), 0) AS avg, min(mn) AS min, max(mx) AS max,
               argMax(${t}, mx) AS peak_at, sum(c) AS samples
        FROM (
          SELECT ${keys}, ${t}, ${b.currentFlag(t)} AS current,
                 sumMerge(sum_value) AS s, countMerge(count) AS c,
                 minMerge(min_value) AS mn, maxMerge(max_value) AS mx
          FROM ${b.table(options.family)}
          WHERE ${b.scope} AND ${b.rollupWindow(true)}${extra ? ` AND (${extra})` : ''}
          GROUP BY ${keys}, ${t}, current
        )
        GROUP BY ${keys}, current
        ORDER BY max DESC
        LIMIT ${b.limit(options.limitFactor ?? 20)}`;
    });
}

/** One series with its window and baseline aggregates. */
export interface Series {
  /** The grouping values, e.g. `{ service_name, metric_name }`. */
  key: Record<string, string>;
  /** `service/metric` style label. */
  label: string;
  metric: string;
  avg: number;
  min: number;
  max: number;
  peakAt: string;
  samples: number;
  baselineAvg: number | null;
  baselineMax: number | null;
}

/** Pairs window and baseline rows of the same series; series absent from the window are dropped. */
export function pairSeries(rows: readonly Row[], keys: readonly string[]): Series[] {
  const byKey = new Map<string, { cur?: Row; base?: Row }>();
  for (const row of rows) {
    const id = keys.map((k) => str(row[k])).join('\u0000');
    const slot = byKey.get(id) ?? {};
    if (num(row['current']) === 1 || row['current'] === true) slot.cur = row;
    else slot.base = row;
    byKey.set(id, slot);
  }
  const out: Series[] = [];
  for (const { cur, base } of byKey.values()) {
    if (cur === undefined) continue;
    const key = Object.fromEntries(keys.map((k) => [k, str(cur[k])]));
    const metric = key['metric_name'] ?? '';
    const owner = keys
      .filter((k) => k !== 'metric_name')
      .map((k) => key[k])
      .filter((v) => v !== '')
      .join('/');
    out.push({
      key,
      label: owner === '' ? metric : `${owner} ${metric}`,
      metric,
      avg: num(cur['avg']),
      min: num(cur['min']),
      max: num(cur['max']),
      peakAt: str(cur['peak_at']),
      samples: num(cur['samples']),
      baselineAvg: base === undefined ? null : num(base['avg']),
      baselineMax: base === undefined ? null : num(base['max']),
    });
  }
  return out;
}

/**
 * Series whose peak in the window is at least `ratio` times their baseline average
 * (and above the baseline maximum), strongest first.
 */
export function spikes(series: readonly Series[], ratio = 1.5): Series[] {
  return series
    .filter(
      (s) =>
        s.baselineAvg !== null &&
        s.baselineAvg > 0 &&
        s.max >= s.baselineAvg * ratio &&
        s.max > (s.baselineMax ?? 0),
    )
    .sort((a, b) => b.max / (b.baselineAvg as number) - a.max / (a.baselineAvg as number));
}

/** One sentence describing a spike, with the real figures. */
export function describeSpike(s: Series, format: (v: number) => string = (v) => fmt(v, 1)): string {
  return (
    `${s.label} peaked at ${format(s.max)} at ${when(s.peakAt)} (window avg ${format(s.avg)}) ` +
    `against a baseline avg of ${format(s.baselineAvg ?? 0)} (${change(s.max, s.baselineAvg ?? 0)})`
  );
}

/** A compact, JSON-friendly view of a series for the context data. */
export function seriesData(s: Series): Record<string, unknown> {
  return {
    ...s.key,
    avg: round(s.avg),
    min: round(s.min),
    max: round(s.max),
    peakAt: s.peakAt,
    samples: s.samples,
    baselineAvg: s.baselineAvg === null ? null : round(s.baselineAvg),
  };
}

/** Rounds to 3 decimals for data payloads. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
