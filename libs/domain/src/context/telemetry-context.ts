/**
 * The telemetry context handed to prompt building and to the model: what was
 * collected, for which period, a one-paragraph summary and the raw data.
 *
 * Invariants:
 * - The shape is exactly TFO-Platform's TelemetryContext: `type`, `timeRange`
 *   `{ from, to }`, `summary`, `data`; nothing is added at the top level.
 * - A summary that starts with `[SYSTEM]` is a statement by the product (no data,
 *   source unavailable), never telemetry; models are told to treat it as such.
 * - Helpers here validate the range (`from <= to`) and copy its dates, so a
 *   context never shares mutable Dates with its caller.
 */
import { type ContextType } from './context-type.js';
import { TimeRange, type TimeRangeJSON } from './time-range.js';

/** Collected context for one context type over one period. Matches the platform's shape field for field. */
export interface TelemetryContext<TData = unknown> {
  /** The context type that was collected; usually a {@link ContextType}, any string for forward compatibility. */
  type: ContextType | string;
  /** The period the data covers. */
  timeRange: { from: Date; to: Date };
  /** A short, human-readable account of the data, or a `[SYSTEM]` notice. */
  summary: string;
  /** The collected rows and aggregates; shape depends on `type`. */
  data: TData;
}

/** Marks summaries written by the product rather than derived from telemetry. */
export const SYSTEM_SUMMARY_PREFIX = '[SYSTEM]';

/** Why a `[SYSTEM]` context carries no telemetry. */
export type SystemContextStatus = 'no-data' | 'unavailable';

/** The `data` of a `[SYSTEM]` context: no telemetry, only why and for which period. */
export interface SystemContextData {
  /** `no-data`: the sources answered but had nothing; `unavailable`: a source could not answer. */
  readonly status: SystemContextStatus;
  /** The period that was asked about, as ISO 8601 UTC strings. */
  readonly period: TimeRangeJSON;
  /** Extra explanation (the detail of a no-data context, the reason of an unavailable one). */
  readonly reason?: string;
}

/** True when the context's summary is a `[SYSTEM]` notice rather than telemetry. */
export function isSystemContext(context: Pick<TelemetryContext, 'summary'>): boolean {
  return typeof context.summary === 'string' && context.summary.startsWith(SYSTEM_SUMMARY_PREFIX);
}

/**
 * An honest empty context: the sources were queried and returned nothing for the
 * period. The summary reads `[SYSTEM] No data found for <type> in the period <from> to <to>.`
 * followed by `detail` when given. Throws a ValidationError when `from` is after `to`.
 */
export function noDataContext(
  type: ContextType | string,
  timeRange: { from: Date; to: Date },
  detail?: string,
): TelemetryContext<SystemContextData> {
  const range = TimeRange.of(timeRange.from, timeRange.to);
  const period = range.toJSON();
  const extra = detail?.trim() ?? '';
  return {
    type,
    timeRange: { from: range.from, to: range.to },
    summary:
      `${SYSTEM_SUMMARY_PREFIX} No data found for ${type} in the period ${period.from} to ${period.to}.` +
      (extra ? ` ${extra}` : ''),
    data: extra ? { status: 'no-data', period, reason: extra } : { status: 'no-data', period },
  };
}

/**
 * An honest failure context: a source needed for `type` could not be queried
 * (not configured, timed out, refused). The summary reads
 * `[SYSTEM] <type> data is unavailable: <reason>`. Throws a ValidationError when `from` is after `to`.
 */
export function unavailableContext(
  type: ContextType | string,
  timeRange: { from: Date; to: Date },
  reason: string,
): TelemetryContext<SystemContextData> {
  const range = TimeRange.of(timeRange.from, timeRange.to);
  const because = reason.trim() || 'no reason was given';
  return {
    type,
    timeRange: { from: range.from, to: range.to },
    summary: `${SYSTEM_SUMMARY_PREFIX} ${type} data is unavailable: ${because}`,
    data: { status: 'unavailable', period: range.toJSON(), reason: because },
  };
}
