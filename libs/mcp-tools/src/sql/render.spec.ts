import { describe, expect, it } from '@jest/globals';
import type { QueryResult } from '@tfo/domain';
import { renderQueryResult, truncationNotice } from './render.js';

const text = (result: ReturnType<typeof renderQueryResult>): string => {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
};

describe('renderQueryResult', () => {
  const base: QueryResult = {
    columns: [{ name: 'n', type: 'integer' }],
    rows: [{ n: 1 }, { n: 2 }],
    rowCount: 2,
    durationMs: 7,
  };

  it('answers JSON with row_count, columns, duration_ms and rows, metadata first', () => {
    const result = renderQueryResult(base, { before: { read_only: true } });
    const parsed = JSON.parse(text(result)) as Record<string, unknown>;
    expect(parsed).toEqual({
      read_only: true,
      row_count: 2,
      columns: [{ name: 'n', type: 'integer' }],
      duration_ms: 7,
      rows: [{ n: 1 }, { n: 2 }],
    });
    expect(Object.keys(parsed).at(-1)).toBe('rows');
    expect(result.structuredContent).toEqual(parsed);
    expect(result.isError).toBeUndefined();
  });

  it('adds the truncation object and a notice that says how it was cut and how to narrow', () => {
    const result = renderQueryResult(
      {
        ...base,
        truncated: { reason: 'rows', limit: 2, returnedRows: 2, hint: 'Add a WHERE clause and LIMIT.' },
      },
      { maxRows: { requested: 2, cap: 1000 } },
    );
    const parsed = JSON.parse(text(result)) as Record<string, unknown>;
    expect(parsed['truncated']).toEqual({ reason: 'rows', limit: 2, returned_rows: 2 });
    expect(parsed['notice']).toBe(
      'Only the first 2 rows are shown: the result was cut at the row limit of 2 and has more rows. ' +
        'Add a WHERE clause and LIMIT. You may also raise max_rows (up to 1000).',
    );
    expect(Object.keys(parsed).indexOf('notice')).toBeLessThan(Object.keys(parsed).indexOf('rows'));
  });

  it('says the size limit for a byte cut and offers its own narrowing advice when the hint is empty', () => {
    const notice = truncationNotice({ reason: 'bytes', limit: 1024, returnedRows: 3, hint: '' });
    expect(notice).toContain('the size limit of 1024 bytes');
    expect(notice).toMatch(/add LIMIT, select fewer columns, filter by time/);
    expect(notice).not.toContain('max_rows');
  });

  it('does not suggest raising max_rows when it already is the cap', () => {
    const notice = truncationNotice(
      { reason: 'rows', limit: 50, returnedRows: 50, hint: 'Narrow it.' },
      { requested: 50, cap: 50 },
    );
    expect(notice).not.toContain('raise max_rows');
  });

  it('keeps odd values valid JSON', () => {
    const result = renderQueryResult({
      columns: [],
      rows: [{ big: 12n, at: new Date(0), bytes: Buffer.from('hi'), nan: Number.NaN }],
      rowCount: 1,
      durationMs: Number.POSITIVE_INFINITY,
    });
    const parsed = JSON.parse(text(result)) as { rows: unknown[]; duration_ms: unknown };
    expect(parsed.rows).toEqual([{ big: '12', at: '1970-01-01T00:00:00.000Z', bytes: '\\x6869', nan: null }]);
    expect(parsed.duration_ms).toBeNull();
  });
});
