/**
 * Time helpers of the demo estate: fast ClickHouse timestamp text, epoch-aligned grids, the
 * daily and weekly traffic shape, and smooth noise that is a pure function of time.
 *
 * Invariants:
 * - Every series lives on an epoch-aligned grid (`t = k * step`); a window [from, to)
 *   holds exactly the grid points with from <= t < to, so windows generated one after the
 *   other never overlap and never leave a gap.
 * - Timestamps are written as `YYYY-MM-DD hh:mm:ss.fff` (UTC), the text form every
 *   ClickHouse DateTime64 column parses without extra settings; PostgreSQL gets ISO 8601.
 */
import { hash3, hashTime, unit } from './prng.js';

/** Milliseconds per minute. */
export const MINUTE = 60_000;
/** Milliseconds per hour. */
export const HOUR = 3_600_000;
/** Milliseconds per day. */
export const DAY = 86_400_000;

const PAD3: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const PAD2: string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

let cachedMinute = Number.NaN;
let cachedPrefix = '';

/** `YYYY-MM-DD hh:mm:ss.fff` (UTC) for epoch milliseconds `ms` (integer). */
export function chTime(ms: number): string {
  const t = Math.floor(ms);
  const minute = Math.floor(t / MINUTE);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * MINUTE).toISOString().slice(0, 17).replace('T', ' ');
  }
  const inMinute = t - minute * MINUTE;
  const sec = Math.floor(inMinute / 1000);
  return `${cachedPrefix}${PAD2[sec] as string}.${PAD3[inMinute - sec * 1000] as string}`;
}

/** Like {@link chTime} with nanosecond precision: `subMs` is 0..999_999 nanoseconds past `ms`. */
export function chTimeNs(ms: number, subMs: number): string {
  const micro = Math.floor(subMs / 1000);
  return `${chTime(ms)}${PAD3[micro] as string}${PAD3[subMs - micro * 1000] as string}`;
}

/** ISO 8601 text for PostgreSQL timestamptz columns. */
export function pgTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Largest multiple of `step` that is <= `ms`. */
export function alignDown(ms: number, step: number): number {
  return Math.floor(ms / step) * step;
}

/** First multiple of `step` that is >= `ms`. */
export function alignUp(ms: number, step: number): number {
  return Math.ceil(ms / step) * step;
}

/**
 * Calls `fn(t, k)` for every grid point `t = k * step` with from <= t < to, in order.
 * `step` in milliseconds.
 */
export function forEachGridPoint(
  from: number,
  to: number,
  step: number,
  fn: (t: number, k: number) => void,
): void {
  for (let k = Math.ceil(from / step); k * step < to; k++) fn(k * step, k);
}

/**
 * Share of peak traffic at `ms` for an audience whose local time is UTC + `utcOffsetHours`:
 * a smooth daily curve (lowest near 04:00, highest near 16:00 local) between 0.35 and 1,
 * times 0.75 on Saturdays and Sundays.
 */
export function diurnal(ms: number, utcOffsetHours: number): number {
  const localHours = ms / HOUR + utcOffsetHours;
  const hourOfDay = ((localHours % 24) + 24) % 24;
  const x = 0.5 - 0.5 * Math.cos((2 * Math.PI * (hourOfDay - 4)) / 24);
  const day = Math.floor(localHours / 24);
  // 1970-01-01 was a Thursday (day 4 with Sunday = 0).
  const dow = (((day + 4) % 7) + 7) % 7;
  const weekend = dow === 0 || dow === 6 ? 0.75 : 1;
  return (0.35 + 0.65 * x) * weekend;
}

/**
 * Smooth noise in [0, 1): values at knots every `period` ms (hashed from `key` and the knot
 * index) joined by a cosine ease. A pure function of (key, ms, period).
 */
export function smoothNoise(key: number, ms: number, period: number): number {
  const x = ms / period;
  const k = Math.floor(x);
  const f = x - k;
  const a = unit(hash3(key, k, period | 0));
  const b = unit(hash3(key, k + 1, period | 0));
  const w = 0.5 - 0.5 * Math.cos(Math.PI * f);
  return a + (b - a) * w;
}

/** Uniform jitter in [-1, 1) for one grid point: a pure function of (key, ms). */
export function jitter(key: number, ms: number): number {
  return unit(hashTime(key, ms)) * 2 - 1;
}

/** Linear ramp: 0 before `start`, 1 after `end`, linear in between. */
export function ramp(ms: number, start: number, end: number): number {
  if (ms <= start) return 0;
  if (ms >= end) return 1;
  return (ms - start) / (end - start);
}

/** 1 inside [start, end) with linear edges of `edge` ms on both sides, 0 outside. */
export function plateau(ms: number, start: number, end: number, edge: number): number {
  if (ms < start || ms >= end) return 0;
  return Math.min(ramp(ms, start, start + edge), 1 - ramp(ms, end - edge, end));
}
