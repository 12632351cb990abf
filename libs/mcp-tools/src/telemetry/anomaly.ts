/**
 * Anomaly statistics over a metric series: a robust baseline and the points that deviate
 * from it by more than a z threshold.
 *
 * Method: the baseline centre is the median of the baseline points and its spread is the
 * median absolute deviation scaled to a standard deviation (1.4826 x MAD, exact for normal
 * data). Both resist the anomaly itself: a spike covering less than half the points moves
 * neither, where a mean and standard deviation would be dragged towards it and hide it.
 * When the MAD is zero (a mostly constant series) the ordinary standard deviation is used;
 * when that is zero too, the series is constant and nothing is anomalous.
 *
 * A point's deviation is (value - median) / sigma, in sigmas, signed. Anomalous points that
 * follow each other form one episode (start, end, peak). The mean and standard deviation of
 * the points that are not anomalous are reported as the "normal" range.
 *
 * Pure: no I/O, deterministic.
 */

/** Scale from MAD to a standard deviation for normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;

/** Named sensitivities and their z thresholds (in sigmas). */
export const SENSITIVITY_Z = { low: 4, medium: 3, high: 2 } as const;

/** A named sensitivity. */
export type Sensitivity = keyof typeof SENSITIVITY_Z;

/** A point of a series. */
export interface Point {
  /** Time, epoch milliseconds. */
  at: number;
  value: number;
}

/** The baseline a series is judged against. */
export interface Baseline {
  /** Median of the baseline points. */
  median: number;
  /** Robust standard deviation (1.4826 x MAD, or the standard deviation when the MAD is 0). */
  sigma: number;
  /** How sigma was obtained. */
  sigmaMethod: 'mad' | 'stddev' | 'constant';
  /** Mean of the baseline points that are not anomalous. */
  mean: number;
  /** Standard deviation of the baseline points that are not anomalous. */
  stddev: number;
  /** Number of baseline points. */
  points: number;
}

/** An anomalous point. */
export interface AnomalousPoint extends Point {
  /** Signed deviation from the median, in sigmas. */
  sigmas: number;
  direction: 'above' | 'below';
}

/** Consecutive anomalous points. */
export interface Episode {
  start: number;
  end: number;
  peak: AnomalousPoint;
  points: number;
}

/** What {@link detectAnomalies} finds. */
export interface AnomalyReport {
  baseline: Baseline;
  threshold: number;
  anomalies: AnomalousPoint[];
  episodes: Episode[];
}

/** Median of `values` (which must not be empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function meanAndStddev(values: readonly number[]): { mean: number; stddev: number } {
  if (values.length === 0) return { mean: Number.NaN, stddev: Number.NaN };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, stddev: Math.sqrt(variance) };
}

/** The robust centre and spread of `values` (see the module header); undefined when empty. */
export function robustBaseline(values: readonly number[]): Omit<Baseline, 'mean' | 'stddev'> | undefined {
  if (values.length === 0) return undefined;
  const centre = median(values);
  const mad = median(values.map((v) => Math.abs(v - centre)));
  if (mad > 0)
    return { median: centre, sigma: MAD_TO_SIGMA * mad, sigmaMethod: 'mad', points: values.length };
  const { stddev } = meanAndStddev(values);
  if (stddev > 0) return { median: centre, sigma: stddev, sigmaMethod: 'stddev', points: values.length };
  return { median: centre, sigma: 0, sigmaMethod: 'constant', points: values.length };
}

/**
 * Judges the points of `series` against the baseline of `baseline` (often the series
 * itself plus the period before it). Points deviating by at least `threshold` sigmas are
 * anomalous. Returns undefined when the baseline has no points.
 */
export function detectAnomalies(
  series: readonly Point[],
  baseline: readonly Point[],
  threshold: number,
): AnomalyReport | undefined {
  const robust = robustBaseline(baseline.map((p) => p.value));
  if (robust === undefined) return undefined;
  const deviation = (value: number): number =>
    robust.sigma > 0 ? (value - robust.median) / robust.sigma : 0;
  const anomalies: AnomalousPoint[] = series
    .map((p) => ({ ...p, sigmas: deviation(p.value) }))
    .filter((p) => Math.abs(p.sigmas) >= threshold)
    .map((p) => ({ ...p, direction: p.sigmas > 0 ? ('above' as const) : ('below' as const) }));
  const normal = baseline.filter((p) => Math.abs(deviation(p.value)) < threshold).map((p) => p.value);
  const { mean, stddev } = meanAndStddev(normal);
  return {
    baseline: { ...robust, mean, stddev },
    threshold,
    anomalies,
    episodes: episodesOf(series, anomalies),
  };
}

/** Groups anomalous points that are neighbours in `series` into episodes. */
function episodesOf(series: readonly Point[], anomalies: readonly AnomalousPoint[]): Episode[] {
  const index = new Map(series.map((p, i) => [p.at, i]));
  const episodes: Episode[] = [];
  let current: { episode: Episode; lastIndex: number } | undefined;
  for (const a of anomalies) {
    const i = index.get(a.at) ?? -1;
    if (current !== undefined && i === current.lastIndex + 1) {
      const e = current.episode;
      e.end = a.at;
      e.points++;
      if (Math.abs(a.sigmas) > Math.abs(e.peak.sigmas)) e.peak = a;
      current.lastIndex = i;
    } else {
      const episode: Episode = { start: a.at, end: a.at, peak: a, points: 1 };
      episodes.push(episode);
      current = { episode, lastIndex: i };
    }
  }
  return episodes;
}
