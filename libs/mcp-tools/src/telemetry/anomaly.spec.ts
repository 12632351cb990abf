/**
 * Unit specs of the anomaly statistics on synthetic series: a spike is found with its time
 * and sigma, seeded Gaussian noise gives no false positive at low sensitivity, the baseline
 * resists the spike, and constant series are handled.
 */
import { describe, expect, it } from '@jest/globals';
import { detectAnomalies, median, robustBaseline, SENSITIVITY_Z, type Point } from './anomaly.js';

/** Deterministic standard normal noise (LCG + Box-Muller). */
function noise(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state + 1) / 4_294_967_297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const T0 = Date.UTC(2026, 0, 15, 8, 0, 0);
const STEP = 5 * 60_000;

function series(n: number, value: (i: number) => number): Point[] {
  return Array.from({ length: n }, (_, i) => ({ at: T0 + i * STEP, value: value(i) }));
}

describe('anomaly statistics', () => {
  it('finds a CPU spike with its time and deviation in sigmas', () => {
    const gauss = noise(7);
    const data = series(144, (i) => (i >= 100 && i < 104 ? 95 : 35 + 2 * gauss()));
    const report = detectAnomalies(data, data, SENSITIVITY_Z.medium);
    expect(report).toBeDefined();
    const r = report as NonNullable<typeof report>;
    expect(r.anomalies.map((a) => a.at)).toEqual([100, 101, 102, 103].map((i) => T0 + i * STEP));
    expect(r.episodes).toHaveLength(1);
    expect(r.episodes[0]?.start).toBe(T0 + 100 * STEP);
    expect(r.episodes[0]?.end).toBe(T0 + 103 * STEP);
    const peak = r.episodes[0]?.peak;
    expect(peak?.direction).toBe('above');
    // (95 - 35) / ~2 = ~30 sigmas
    expect(peak?.sigmas).toBeGreaterThan(20);
    expect(peak?.sigmas).toBeLessThan(45);
    // The baseline is not dragged by the spike.
    expect(r.baseline.median).toBeCloseTo(35, 0);
    expect(r.baseline.mean).toBeCloseTo(35, 0);
    expect(r.baseline.stddev).toBeGreaterThan(1.5);
    expect(r.baseline.stddev).toBeLessThan(2.5);
  });

  it('reports no anomaly on Gaussian noise at low sensitivity', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const gauss = noise(seed);
      const data = series(288, () => 50 + 5 * gauss());
      const report = detectAnomalies(data, data, SENSITIVITY_Z.low);
      expect(report?.anomalies).toEqual([]);
      expect(report?.episodes).toEqual([]);
    }
  });

  it('finds drops as well as rises, and more at high sensitivity than at low', () => {
    const gauss = noise(11);
    const data = series(100, (i) => (i === 50 ? 10 : i === 70 ? 43.5 : 40 + gauss()));
    const high = detectAnomalies(data, data, SENSITIVITY_Z.high);
    const low = detectAnomalies(data, data, SENSITIVITY_Z.low);
    expect(low?.anomalies.map((a) => [a.at, a.direction])).toEqual([[T0 + 50 * STEP, 'below']]);
    expect((high?.anomalies.length ?? 0) > (low?.anomalies.length ?? 0)).toBe(true);
  });

  it('judges the window against a baseline that includes the period before it', () => {
    const gauss = noise(5);
    const before = series(72, () => 30 + gauss());
    const window = series(72, () => 60 + gauss()).map((p) => ({ ...p, at: p.at + 72 * STEP }));
    const report = detectAnomalies(window, [...before, ...window], 4);
    // Half of the baseline is the shifted level: the median sits between the two levels.
    expect(report?.baseline.points).toBe(144);
    expect(report?.baseline.median).toBeGreaterThan(30);
  });

  it('handles constant and nearly constant series', () => {
    const flat = series(50, () => 7);
    expect(detectAnomalies(flat, flat, 3)?.anomalies).toEqual([]);
    expect(robustBaseline(flat.map((p) => p.value))?.sigmaMethod).toBe('constant');
    const step = series(50, (i) => (i === 25 ? 70 : 7));
    const report = detectAnomalies(step, step, 3);
    expect(report?.baseline.sigmaMethod).toBe('stddev');
    expect(report?.anomalies.map((a) => a.at)).toEqual([T0 + 25 * STEP]);
    expect(detectAnomalies([], [], 3)).toBeUndefined();
  });

  it('computes medians of odd and even lengths', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
