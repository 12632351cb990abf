/**
 * Time ranges and window durations for telemetry queries.
 *
 * Invariants:
 * - A TimeRange always holds two valid instants with `from <= to`; it is
 *   immutable, and its `from`/`to` getters hand out fresh Date copies.
 * - The domain has no clock: anything relative ("the last hour") takes `now`
 *   from the caller.
 * - ISO strings without a zone designator are read as UTC, never as the host's
 *   local time, so parsing does not depend on where the code runs.
 */
import { ValidationError } from '../errors/index.js';
import { describeInput } from './near-match.js';

/** The default query window, one hour, matching the platform's default. */
export const DEFAULT_WINDOW_MS = 3_600_000;

/** An instant as callers may give it: a Date, an ISO 8601 string or epoch milliseconds. */
export type TimeInput = Date | string | number;

/** The JSON form of a {@link TimeRange}: two ISO 8601 UTC strings. */
export interface TimeRangeJSON {
  from: string;
  to: string;
}

/** Optional bounds from a request; see {@link TimeRange.resolve} for how gaps are filled. */
export interface TimeRangeOptions {
  /** Start of the range; when absent it is `to` minus `window`. */
  from?: TimeInput | null;
  /** End of the range; when absent it is `now`. */
  to?: TimeInput | null;
  /** Window length as text (`'15m'`) or milliseconds; only allowed when `from` is absent. */
  window?: string | number | null;
}

/** The largest instant a JavaScript Date can hold, in milliseconds either side of the epoch. */
const MAX_EPOCH_MS = 8.64e15;

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

const WINDOW_FORMS =
  'a whole number followed by s (seconds), m (minutes), h (hours), d (days) or w (weeks), ' +
  'for example 15m, 1h, 24h, 7d or 30d';

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * An immutable, validated interval `[from, to]` (both ends included). Construct it
 * with {@link TimeRange.of}, {@link TimeRange.last}, {@link TimeRange.lastHour} or
 * {@link TimeRange.resolve}.
 */
export class TimeRange {
  private readonly fromMs: number;
  private readonly toMs: number;

  private constructor(fromMs: number, toMs: number) {
    this.fromMs = fromMs;
    this.toMs = toMs;
    Object.freeze(this);
  }

  /** Start of the range (a copy; mutating it does not change the range). */
  get from(): Date {
    return new Date(this.fromMs);
  }

  /** End of the range (a copy; mutating it does not change the range). */
  get to(): Date {
    return new Date(this.toMs);
  }

  /** Length of the range in milliseconds; zero when `from` equals `to`. */
  get durationMs(): number {
    return this.toMs - this.fromMs;
  }

  /**
   * A range between two instants. Throws a {@link ValidationError} naming the bad
   * value when either is not a valid instant, or when `from` is after `to`.
   */
  static of(from: TimeInput, to: TimeInput): TimeRange {
    const fromMs = toEpochMs(from, 'from');
    const toMs = toEpochMs(to, 'to');
    if (fromMs > toMs) {
      throw new ValidationError(
        `Invalid time range: "from" (${new Date(fromMs).toISOString()}) is after "to" (${new Date(toMs).toISOString()}).`,
        { details: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() } },
      );
    }
    return new TimeRange(fromMs, toMs);
  }

  /** The `durationMs` milliseconds ending at `now`; the duration must be a positive number. */
  static last(durationMs: number, now: TimeInput): TimeRange {
    const duration = checkDuration(durationMs, 'duration');
    const toMs = toEpochMs(now, 'now');
    return TimeRange.of(toMs - duration, toMs);
  }

  /** The hour ending at `now`: the default window when a caller gives no range. */
  static lastHour(now: TimeInput): TimeRange {
    return TimeRange.last(DEFAULT_WINDOW_MS, now);
  }

  /**
   * Fills in a partly given range: `to` defaults to `now`, `from` to `to` minus the
   * window, and the window to {@link DEFAULT_WINDOW_MS}. `null` counts as absent.
   * Giving both `from` and `window` is ambiguous and rejected.
   */
  static resolve(options: TimeRangeOptions, now: TimeInput): TimeRange {
    const from = options.from ?? undefined;
    const to = options.to ?? undefined;
    const window = options.window ?? undefined;
    if (from !== undefined && window !== undefined) {
      throw new ValidationError('Give either "from" or "window", not both: together they are ambiguous.', {
        details: { from: describeInput(from), window: describeInput(window) },
      });
    }
    const toMs = to === undefined ? toEpochMs(now, 'now') : toEpochMs(to, 'to');
    if (from !== undefined) return TimeRange.of(from, toMs);
    const windowMs =
      window === undefined
        ? DEFAULT_WINDOW_MS
        : typeof window === 'number'
          ? checkDuration(window, 'window')
          : parseWindow(window);
    return TimeRange.last(windowMs, toMs);
  }

  /** True when `date` lies within the range, both ends included. Throws on an invalid instant. */
  contains(date: TimeInput): boolean {
    const ms = toEpochMs(date, 'date');
    return ms >= this.fromMs && ms <= this.toMs;
  }

  /** `{ from, to }` as ISO 8601 UTC strings, so JSON output is stable and readable. */
  toJSON(): TimeRangeJSON {
    return { from: new Date(this.fromMs).toISOString(), to: new Date(this.toMs).toISOString() };
  }

  /** ISO 8601 interval notation, `from/to`, for logs and summaries. */
  toString(): string {
    return `${new Date(this.fromMs).toISOString()}/${new Date(this.toMs).toISOString()}`;
  }
}

/**
 * Parses a window length such as `'15m'`, `'1h'`, `'24h'`, `'7d'` or `'30d'` into
 * milliseconds. Throws a {@link ValidationError} showing the accepted forms.
 */
export function parseWindow(text: unknown): number {
  const match = typeof text === 'string' ? /^(\d+)\s*([smhdw])$/.exec(text.trim()) : null;
  const amount = match ? Number(match[1]) : Number.NaN;
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  const ms = unit === undefined ? Number.NaN : amount * UNIT_MS[unit];
  if (!(ms > 0) || !Number.isSafeInteger(ms)) {
    throw new ValidationError(`Invalid window ${describeInput(text)}: use ${WINDOW_FORMS}.`, {
      details: {
        given: describeInput(text),
        accepted: ['s', 'm', 'h', 'd', 'w'],
        examples: ['15m', '1h', '24h', '7d', '30d'],
      },
    });
  }
  return ms;
}

/** A positive, finite number of milliseconds, or a {@link ValidationError} naming `label`. */
function checkDuration(value: number, label: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(
      `Invalid ${label} ${describeInput(value)}: expected a positive number of milliseconds.`,
      {
        details: { [label]: describeInput(value) },
      },
    );
  }
  return value;
}

/** Converts a {@link TimeInput} to epoch milliseconds, or throws a {@link ValidationError} naming `label`. */
function toEpochMs(value: unknown, label: string): number {
  let ms = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') ms = parseIso(value.trim());

  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
    throw new ValidationError(
      `Invalid "${label}" time ${describeInput(value)}: expected an ISO 8601 date-time ` +
        '(for example 2024-05-01T12:00:00Z), epoch milliseconds or a valid Date.',
      { details: { [label]: describeInput(value) } },
    );
  }
  return ms;
}

/**
 * Strict ISO 8601 parsing: `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fff]]`
 * and a zone (`Z`, `±HH`, `±HHMM`, `±HH:MM`). Calendar fields are range-checked, so
 * `2024-02-30` is rejected instead of rolling over. Returns NaN when it does not parse.
 */
function parseIso(text: string): number {
  const m = ISO_PATTERN.exec(text);
  if (!m) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));

  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;

  const offsetMinutes = zoneOffsetMinutes(m[8]);
  if (Number.isNaN(offsetMinutes)) return Number.NaN;

  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offsetMinutes * 60_000;
}

/** Minutes east of UTC for a zone designator; absent or `Z` is UTC; NaN when out of range. */
function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return Number.NaN;
  return sign * (hours * 60 + minutes);
}

/** Days in a month of the proleptic Gregorian calendar (month is 1-based). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
