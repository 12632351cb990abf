/**
 * The time window of a telemetry tool and the rollup grain it reads. A window is given as
 * text (`15m`, `6h`, `7d`, parsed by the domain's `parseWindow`) or as whole hours, and is
 * bounded to one minute .. 365 days.
 *
 * Grain rule: the context collector's (`grainFor` of '@tfo/context-collector': 1m rollups up
 * to 1 hour, 5m up to 1 day, 1h up to 7 days, 1d beyond), so the tools and the collected
 * context read a window at the same grain. Every rollup family the tools read (metrics_*,
 * service_error_rates_*, service_latency_percentiles_*) exists at these four grains.
 *
 * Invariant: table and column names come from {@link TELEMETRY_GRAINS} only, never from an
 * argument; the window itself reaches SQL as a bound number of seconds.
 */
import { GRAINS, grainFor, type Grain } from '@tfo/context-collector';
import { parseWindow, ValidationError } from '@tfo/domain';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Shortest window a telemetry tool accepts (one minute). */
export const MIN_WINDOW_MS = MINUTE_MS;
/** Longest window a telemetry tool accepts (365 days). */
export const MAX_WINDOW_MS = 365 * DAY_MS;

/** A rollup grain the telemetry tools read: the collector's grain with its bucket in seconds. */
export interface TelemetryGrain extends Grain {
  /** Length of one bucket in seconds (`bucketMs / 1000`), the unit the SQL binds. */
  readonly seconds: number;
}

/** The four grains, finest first, in the order of the collector's `GRAINS`. */
export const TELEMETRY_GRAINS: readonly TelemetryGrain[] = GRAINS.map((g) => ({
  ...g,
  seconds: g.bucketMs / 1000,
}));

/** The telemetry grain of a window of `windowMs`: the collector's choice (see the module header). */
function telemetryGrainFor(windowMs: number): TelemetryGrain {
  return TELEMETRY_GRAINS[GRAINS.indexOf(grainFor(windowMs))] as TelemetryGrain;
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
  return { label, ms, seconds: Math.round(ms / 1000), grain: telemetryGrainFor(ms) };
}
