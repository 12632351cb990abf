/**
 * How a SQL tool answers: one JSON object (text for the model, the same object as structured
 * content) with `row_count`, `columns` (name, type), `duration_ms`, then, when the datasource
 * cut the result, `truncated` and a plain-language `notice`, and finally `rows`.
 *
 * Invariants:
 * - Every value is JSON-safe (see json-safe.ts): BigInt as a string, Date as ISO-8601,
 *   binary as `\x` hex, NaN and Infinity as null.
 * - Metadata comes before `rows`, so a long answer still starts with what it is and whether
 *   it was cut.
 * - Rows are never cut here: the datasource applies `maxRows` / `maxBytes` while reading
 *   (the engine stops the work), and reports the cut in `truncated`.
 */
import type { QueryResult, Truncation } from '@tfo/domain';
import { jsonResult, type ToolResult } from '../definitions.js';
import { toJsonSafe, type JsonValue } from './json-safe.js';

/** Options of {@link renderQueryResult}. */
export interface RenderOptions {
  /** Fields placed before the result's own (tool-specific facts: window, filters, ...). */
  before?: Record<string, unknown>;
  /** Rows are converted by this function before the JSON conversion (e.g. engine formats). */
  mapRow?: (row: Record<string, unknown>) => Record<string, unknown>;
  /** The caller's `max_rows` and the configured cap, to suggest raising `max_rows` when it cut. */
  maxRows?: { requested: number; cap: number };
}

/** The sentence telling a model how a result was cut and how to narrow the query. */
export function truncationNotice(
  truncated: Truncation,
  maxRows?: { requested: number; cap: number },
): string {
  const cut =
    truncated.reason === 'rows'
      ? `the row limit of ${truncated.limit}`
      : `the size limit of ${truncated.limit} bytes`;
  const raise =
    truncated.reason === 'rows' && maxRows !== undefined && maxRows.requested < maxRows.cap
      ? ` You may also raise max_rows (up to ${maxRows.cap}).`
      : '';
  const narrow =
    truncated.hint.trim() !== ''
      ? truncated.hint.trim()
      : 'Narrow the query: add LIMIT, select fewer columns, filter by time, or aggregate with GROUP BY.';
  return `Only the first ${truncated.returnedRows} rows are shown: the result was cut at ${cut} and has more rows. ${narrow}${raise}`;
}

/** Renders a query result as the JSON answer described in the module header. */
export function renderQueryResult(result: QueryResult, options: RenderOptions = {}): ToolResult {
  const mapRow = options.mapRow ?? ((row: Record<string, unknown>) => row);
  const rows = result.rows.map((row) => toJsonSafe(mapRow(row)));
  const answer: Record<string, JsonValue> = {
    ...(toJsonSafe(options.before ?? {}) as Record<string, JsonValue>),
    row_count: result.rowCount,
    columns: result.columns.map((c) => ({ name: c.name, type: c.type })),
    duration_ms: toJsonSafe(result.durationMs),
  };
  if (result.truncated !== undefined) {
    answer['truncated'] = toJsonSafe({
      reason: result.truncated.reason,
      limit: result.truncated.limit,
      returned_rows: result.truncated.returnedRows,
    });
    answer['notice'] = truncationNotice(result.truncated, options.maxRows);
  }
  answer['rows'] = rows;
  return jsonResult(answer);
}
