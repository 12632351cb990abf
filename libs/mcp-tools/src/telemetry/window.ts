/**
 * The time window of a telemetry tool and the rollup grain it reads. A window is given as
 * text (`15m`, `6h`, `7d`, parsed by the domain's `parseWindow`) or as whole hours, and is
 * bounded to one minute .. 365 days.
 *
 * Grain rule (finest grain that keeps a series short): 1m rollups up to 1 hour, 5m up to
 * 1 day, 1h up to 7 days, 1d beyond. Every rollup family the tools read (metrics_*,
 * service_error_rates_*, service_latency_percentiles_*) exists at these four grains.
 *
 * Invariant: table and column names come from {@link TELEMETRY_GRAINS} only, never from an
 * argument; the window itself reaches SQL as a bound number of seconds.
 */
import { parseWindow, ValidationError } from '@tfo/domain';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Shortest window a telemetry tool accepts (one minute). */
export const MIN_WINDOW_MS = MINUTE_MS;
/** Longest window a telemetry tool accepts (365 days). */
export const MAX_WINDOW_MS = 365 * DAY_MS;

/** A rollup grain the telemetry tools read. */
export interface TelemetryGrain {
  /** Table suffix: `metrics_<suffix>`. */
  suffix: '1m' | '5m' | '1h' | '1d';
  /** Time column of the rollup tables at this grain. */
  column: 'minute' | 'five_minutes' | 'hour' | 'day';
  /** Length of one bucket in seconds. */
  seconds: number;
  /** Longest window (ms) read at this grain. */
  upToMs: number;
}

/** The four grains, finest first. */
export const TELEMETRY_GRAINS: readonly TelemetryGrain[] = [
  { suffix: '1m', column: 'minute', seconds: 60, upToMs: HOUR_MS },
  { suffix: '5m', column: 'five_minutes', seconds: 300, upToMs: DAY_MS },
  { suffix: '1h', column: 'hour', seconds: 3_600, upToMs: 7 * DAY_MS },
  { suffix: '1d', column: 'day', seconds: 86_400, upToMs: Number.POSITIVE_INFINITY },
];

/** The grain a window of `windowMs` is read at (see the module header). */
export function grainFor(windowMs: number): TelemetryGrain {
  return TELEMETRY_GRAINS.find((g) => windowMs <= g.upToMs) ?? (TELEMETRY_GRAINS.at(-1) as TelemetryGrain);
}

/** A resolved window. */
export interface TelemetryWindow {
  /** How the window was asked for, e.g. `6h`. */
  label: string;
  /** Length in milliseconds. */
  ms: number;
  /** Length in whole seconds (bound into SQL). */
  seconds: number;
  /** The grain it is read at. */
  grain: TelemetryGrain;
}

/** Window arguments as the tools receive them. */
export interface WindowInput {
  window?: string | undefined;
  hours?: number | undefined;
}

/**
 * Resolves `window` or `hours` (not both) to a {@link TelemetryWindow}; `fallback` applies
 * when neither is given. Throws ValidationError naming the accepted forms and bounds.
 */
export function resolveWindow(input: WindowInput, fallback: string): TelemetryWindow {
  if (input.window !== undefined && input.hours !== undefined) {
    throw new ValidationError(
      `Give either window (e.g. "6h", "7d") or hours, not both (got window ${JSON.stringify(input.window)} and hours ${input.hours}).`,
      { details: { window: input.window, hours: input.hours } },
    );
  }
  const label = input.window ?? (input.hours === undefined ? fallback : `${input.hours}h`);
  const ms = input.hours === undefined ? parseWindow(label) : input.hours * HOUR_MS;
  if (ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS) {
    throw new ValidationError(
      `The window ${JSON.stringify(label)} is out of range: use one minute ("1m") to 365 days ("365d").`,
      { details: { window: label } },
    );
  }
  return { label, ms, seconds: Math.round(ms / 1000), grain: grainFor(ms) };
}
