/**
 * Small, pure helpers that turn result rows into numbers and readable figures for
 * summaries. Engines return 64-bit integers and numerics as strings; everything read
 * from a row goes through {@link num} or {@link str}.
 */

/** A row as the datasources return it. */
export type Row = Record<string, unknown>;

/** A finite number from a row value (strings such as `'42'` included); 0 otherwise. */
export function num(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : 0;
}

/** A string from a row value; '' for null or undefined; ISO text for dates. */
export function str(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : String(value);
}

/** A number with at most `digits` decimals and thousands separators, e.g. `12,345.6`. */
export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A ratio (0..1) as a percentage, e.g. `0.4512` → `45.1 %`. */
export function pct(ratio: number, digits = 1): string {
  return `${fmt(ratio * 100, digits)} %`;
}

/** A byte count in binary units, e.g. `1.5 GiB`. */
export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${fmt(v, 1)} ${units[i]}`;
}

/** An instant as `YYYY-MM-DD HH:MM UTC` (engines return ISO or `YYYY-MM-DD HH:MM:SS` text). */
export function when(value: unknown): string {
  const text = str(value);
  if (text === '') return 'unknown time';
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const date = value instanceof Date ? value : new Date(iso);
  if (Number.isNaN(date.getTime())) return text;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How many rows carry each value of `key`, e.g. `{ firing: 3, resolved: 5 }`. */
export function countBy(rows: readonly Row[], key: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) {
    const k = str(row[key]) || 'unknown';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** `{ a: 2, b: 1 }` as `2 a, 1 b`, largest first. */
export function tally(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${fmt(v, 0)} ${k}`)
    .join(', ');
}

/** Sum of one numeric column. */
export function total(rows: readonly Row[], key: string): number {
  return rows.reduce((acc, row) => acc + num(row[key]), 0);
}

/** The `n` rows with the largest value of `key`. */
export function top(rows: readonly Row[], key: string, n: number): Row[] {
  return [...rows].sort((a, b) => num(b[key]) - num(a[key])).slice(0, n);
}

/** A list of at most `n` items joined with `; `, with `and N more` when cut. */
export function list(items: readonly string[], n = 5): string {
  const shown = items.slice(0, n).join('; ');
  return items.length > n ? `${shown}; and ${items.length - n} more` : shown;
}

/** Change of `current` against `baseline` as `x2.8` / `+35 %` / `-12 %` text. */
export function change(current: number, baseline: number): string {
  if (baseline === 0) return current === 0 ? 'unchanged' : 'up from 0';
  const ratio = current / baseline;
  if (ratio >= 2) return `x${fmt(ratio, 1)}`;
  const delta = (ratio - 1) * 100;
  return `${delta >= 0 ? '+' : ''}${fmt(delta, 0)} %`;
}
