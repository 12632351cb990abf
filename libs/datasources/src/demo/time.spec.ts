import { describe, expect, it } from '@jest/globals';
import {
  alignDown,
  chTime,
  chTimeNs,
  diurnal,
  forEachGridPoint,
  HOUR,
  jitter,
  MINUTE,
  plateau,
  pgTime,
  ramp,
  smoothNoise,
} from './time.js';

describe('timestamps', () => {
  it('formats ClickHouse DateTime64 text in UTC', () => {
    const t = Date.UTC(2025, 5, 11, 9, 5, 7, 42);
    expect(chTime(t)).toBe('2025-06-11 09:05:07.042');
    expect(chTime(t + MINUTE)).toBe('2025-06-11 09:06:07.042');
    expect(chTime(t)).toBe('2025-06-11 09:05:07.042');
    expect(chTimeNs(t, 123_456)).toBe('2025-06-11 09:05:07.042123456');
    expect(pgTime(t)).toBe('2025-06-11T09:05:07.042Z');
  });

  it('sorts lexicographically in time order', () => {
    const a = chTime(Date.UTC(2025, 0, 1, 23, 59, 59, 999));
    const b = chTime(Date.UTC(2025, 0, 2, 0, 0, 0, 0));
    expect(a < b).toBe(true);
  });
});

describe('grids', () => {
  it('visits exactly the points of [from, to), so adjacent windows neither overlap nor leave gaps', () => {
    const points = (from: number, to: number): number[] => {
      const out: number[] = [];
      forEachGridPoint(from, to, 5 * MINUTE, (t) => out.push(t));
      return out;
    };
    const from = Date.UTC(2025, 0, 1, 0, 3);
    const mid = Date.UTC(2025, 0, 1, 1, 7);
    const to = Date.UTC(2025, 0, 1, 2, 0);
    const whole = points(from, to);
    expect([...points(from, mid), ...points(mid, to)]).toEqual(whole);
    expect(whole[0]).toBe(Date.UTC(2025, 0, 1, 0, 5));
    expect(whole.at(-1)).toBe(Date.UTC(2025, 0, 1, 1, 55));
    expect(alignDown(mid, HOUR)).toBe(Date.UTC(2025, 0, 1, 1));
  });
});

describe('traffic shape and noise', () => {
  it('peaks in the local afternoon, dips at night and on weekends', () => {
    const wednesday = Date.UTC(2025, 5, 11);
    const at = (hour: number, day = wednesday): number => diurnal(day + hour * HOUR, 0);
    expect(at(16)).toBeCloseTo(1, 5);
    expect(at(4)).toBeCloseTo(0.35, 5);
    expect(diurnal(wednesday + 16 * HOUR, 2)).toBeLessThan(at(16));
    const saturday = Date.UTC(2025, 5, 14);
    expect(at(16, saturday)).toBeCloseTo(0.75, 5);
    for (let h = 0; h < 24 * 7; h++) {
      const x = diurnal(wednesday + h * HOUR, -5);
      expect(x).toBeGreaterThanOrEqual(0.26);
      expect(x).toBeLessThanOrEqual(1);
    }
  });

  it('smooth noise is a pure, bounded, continuous function of time', () => {
    const t = Date.UTC(2025, 5, 11, 12);
    expect(smoothNoise(7, t, 10 * MINUTE)).toBe(smoothNoise(7, t, 10 * MINUTE));
    for (let i = 0; i < 600; i++) {
      const a = smoothNoise(7, t + i * 1000, 10 * MINUTE);
      const b = smoothNoise(7, t + (i + 1) * 1000, 10 * MINUTE);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThan(1);
      expect(Math.abs(a - b)).toBeLessThan(0.01);
    }
    expect(jitter(1, t)).toBe(jitter(1, t));
    expect(Math.abs(jitter(1, t))).toBeLessThanOrEqual(1);
  });

  it('ramps and plateaus', () => {
    expect(ramp(5, 0, 10)).toBe(0.5);
    expect(ramp(-1, 0, 10)).toBe(0);
    expect(ramp(11, 0, 10)).toBe(1);
    expect(plateau(50, 0, 100, 10)).toBe(1);
    expect(plateau(5, 0, 100, 10)).toBe(0.5);
    expect(plateau(95, 0, 100, 10)).toBe(0.5);
    expect(plateau(100, 0, 100, 10)).toBe(0);
  });
});
