// Small statistics and reporting helpers shared by the benchmark scripts.
// Everything here is pure: numbers in, numbers or strings out.

/** Returns a sorted copy (ascending) so callers' arrays stay untouched. */
function ascending(samples) {
  return Float64Array.from(samples).sort();
}

/**
 * Percentile by linear interpolation between the two closest ranks
 * (the same definition as numpy's default). `p` is in [0, 100].
 * Accepts an already-sorted typed array to avoid re-sorting.
 */
export function percentile(samples, p, { sorted = false } = {}) {
  if (samples.length === 0) return Number.NaN;
  const xs = sorted ? samples : ascending(samples);
  const position = (Math.min(Math.max(p, 0), 100) / 100) * (xs.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  if (below === above) return xs[below];
  return xs[below] + (xs[above] - xs[below]) * (position - below);
}

export function median(samples) {
  return percentile(samples, 50);
}

export function mean(samples) {
  if (samples.length === 0) return Number.NaN;
  let total = 0;
  for (const x of samples) total += x;
  return total / samples.length;
}

/** One-pass summary of a sample set: count, min, max, mean, median, p95, p99. */
export function summarize(samples) {
  const xs = ascending(samples);
  return {
    n: xs.length,
    min: xs.length ? xs[0] : Number.NaN,
    max: xs.length ? xs[xs.length - 1] : Number.NaN,
    mean: mean(xs),
    median: percentile(xs, 50, { sorted: true }),
    p95: percentile(xs, 95, { sorted: true }),
    p99: percentile(xs, 99, { sorted: true }),
  };
}

/** a / b, or NaN when b is zero or missing. */
export function ratio(a, b) {
  return b ? a / b : Number.NaN;
}

/** Rounds for display; keeps NaN visible as an em dash. */
export function fmt(value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function fmtRatio(value) {
  return Number.isNaN(value) ? '—' : `${value.toFixed(2)}×`;
}

/**
 * Renders a GitHub-flavoured markdown table.
 * `columns` is a list of `{ title, align?: 'left' | 'right' }` (or plain strings),
 * `rows` a list of arrays of already-formatted cells.
 */
export function markdownTable(columns, rows) {
  const cols = columns.map((c) => (typeof c === 'string' ? { title: c } : c));
  const cells = rows.map((row) => row.map((cell) => String(cell ?? '')));
  const widths = cols.map((c, i) =>
    Math.max(3, c.title.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const pad = (text, i) => (cols[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (parts) => `| ${parts.join(' | ')} |`;
  const rule = cols.map((c, i) =>
    c.align === 'right' ? `${'-'.repeat(widths[i] - 1)}:` : '-'.repeat(widths[i]),
  );
  return [
    line(cols.map((c, i) => pad(c.title, i))),
    line(rule),
    ...cells.map((row) => line(cols.map((_, i) => pad(row[i] ?? '', i)))),
  ].join('\n');
}
