/**
 * Rollup grain selection: which pre-aggregated table a query reads, chosen from the
 * length of the window so the cost of a collection stays flat as raw data grows.
 *
 * | window            | grain | table suffix | time column    |
 * |-------------------|-------|--------------|----------------|
 * | up to 1 hour      | 1 min | `_1m`        | `minute`       |
 * | up to 1 day       | 5 min | `_5m`        | `five_minutes` |
 * | up to 7 days      | 1 h   | `_1h`        | `hour`         |
 * | longer            | 1 day | `_1d`        | `day`          |
 *
 * Invariants: a grain never yields more than about 300 buckets per series for the windows
 * it covers; bucket starts are aligned on UTC epoch multiples of the grain, as the
 * rollups' `toStartOf...` functions align them.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One rollup grain: its table suffix, time column and bucket length. */
export interface Grain {
  /** Suffix of the rollup tables, e.g. `5m` for `metrics_5m`. */
  readonly suffix: '1m' | '5m' | '1h' | '1d';
  /** Name of the bucket-start column in the rollup tables. */
  readonly column: 'minute' | 'five_minutes' | 'hour' | 'day';
  /** Length of one bucket in milliseconds. */
  readonly bucketMs: number;
  /** Longest window (milliseconds) this grain is chosen for. */
  readonly maxWindowMs: number;
}

/** The grains the collector reads, finest first (see the module table). */
export const GRAINS: readonly Grain[] = Object.freeze([
  Object.freeze({ suffix: '1m', column: 'minute', bucketMs: MINUTE_MS, maxWindowMs: HOUR_MS }),
  Object.freeze({ suffix: '5m', column: 'five_minutes', bucketMs: 5 * MINUTE_MS, maxWindowMs: DAY_MS }),
  Object.freeze({ suffix: '1h', column: 'hour', bucketMs: HOUR_MS, maxWindowMs: 7 * DAY_MS }),
  Object.freeze({ suffix: '1d', column: 'day', bucketMs: DAY_MS, maxWindowMs: Number.POSITIVE_INFINITY }),
] as const satisfies readonly Grain[]);

/** The grain for a window of `durationMs` milliseconds (see the module table). */
export function grainFor(durationMs: number): Grain {
  const found = GRAINS.find((g) => durationMs <= g.maxWindowMs);
  return found ?? (GRAINS[GRAINS.length - 1] as Grain);
}

/** The start of the bucket of `grain` that contains the instant `ms` (UTC aligned). */
export function bucketStart(ms: number, grain: Grain): number {
  return Math.floor(ms / grain.bucketMs) * grain.bucketMs;
}
