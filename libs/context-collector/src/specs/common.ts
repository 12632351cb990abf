/**
 * Small factories shared by the spec files: a spec over one listing source, and the
 * joining of summary sentences. Keeps each group file declarative.
 */
import type { ContextType } from '@tfo/domain';
import type { Row } from '../format.js';
import { defineSpec, type Built, type ContextSpec, type SourceBuilder, type SourceRows } from '../spec.js';
import type { QueryInput } from '../sql.js';

/** Joins non-empty sentences with single spaces. */
export function sentences(...parts: readonly (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}

/**
 * A spec whose context is made from named sources; `build` is called only when at least
 * one of `required` (default: all sources) returned rows.
 */
export function viewSpec(
  key: ContextType,
  sources: Readonly<Record<string, SourceBuilder>>,
  describe: (rows: SourceRows, input: QueryInput) => Built,
  options: { required?: readonly string[]; noDataDetail?: (input: QueryInput) => string | undefined } = {},
): ContextSpec {
  const required = options.required ?? Object.keys(sources);
  return defineSpec({
    key,
    sources,
    build: (rows, input) => (rows.empty(...required) ? null : describe(rows, input)),
    ...(options.noDataDetail ? { noDataDetail: options.noDataDetail } : {}),
  });
}

/** A spec over one listing source named `items`. */
export function listSpec(
  key: ContextType,
  source: SourceBuilder,
  describe: (rows: Row[], input: QueryInput) => string,
): ContextSpec {
  return viewSpec(key, { items: source }, (rows, input) => ({
    summary: describe(rows.get('items'), input),
    data: { items: rows.get('items').slice(0, input.maxItems * 5) },
  }));
}
