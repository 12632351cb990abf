/**
 * Insight types: the kinds of analysis a caller may ask for over a collected
 * telemetry context.
 *
 * Invariants: exactly the five keys of TFO-Platform's InsightType, spelled as the
 * platform spells them, in the platform's order.
 */
import { ValidationError } from '../errors/index.js';
import { describeInput, nearMatches, normalizeKey } from './near-match.js';

/** The five insight types, in the platform's order. */
export const INSIGHT_TYPES = ['chronology', 'prediction', 'recommendation', 'root-cause', 'pattern'] as const;

/** One of {@link INSIGHT_TYPES}. */
export type InsightType = (typeof INSIGHT_TYPES)[number];

const INSIGHT_TYPE_SET: ReadonlySet<string> = new Set(INSIGHT_TYPES);

/** True when `value` is exactly one of the five insight types (no trimming, no case folding). */
export function isInsightType(value: unknown): value is InsightType {
  return typeof value === 'string' && INSIGHT_TYPE_SET.has(value);
}

/**
 * Reads an insight type from untrusted input. Blanks and case are ignored and `_`
 * reads as `-`; anything else throws a {@link ValidationError} listing the five.
 */
export function parseInsightType(value: unknown): InsightType {
  if (typeof value === 'string') {
    const key = normalizeKey(value);
    if (isInsightType(key)) return key;
  }
  const suggestions = typeof value === 'string' ? nearMatches(normalizeKey(value), INSIGHT_TYPES, 2) : [];
  const lead =
    typeof value === 'string'
      ? `Unknown insight type ${describeInput(value)}.`
      : `An insight type must be a string, but got ${describeInput(value)}.`;
  const hint =
    suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
  throw new ValidationError(`${lead}${hint} Valid insight types: ${INSIGHT_TYPES.join(', ')}.`, {
    details: { given: describeInput(value), suggestions, allowed: [...INSIGHT_TYPES] },
  });
}
