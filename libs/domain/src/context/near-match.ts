/**
 * Near-miss suggestions for closed vocabularies (context types, insight types).
 * Internal to the context module: pure string arithmetic, no dependencies.
 *
 * Invariants: suggestions are always members of the candidate list, keep the
 * candidates' order among equally close matches, and never exceed `limit`.
 */

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and
 * swaps of two neighbouring characters each cost one. Good enough for typos.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;

  // Three rolling rows: two back (for swaps), previous and current.
  let twoBack: number[] = new Array<number>(b.length + 1).fill(0);
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current: number[] = new Array<number>(b.length + 1).fill(0);

  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] ?? 0) + 1, // delete from a
        (current[j - 1] ?? 0) + 1, // insert into a
        (previous[j - 1] ?? 0) + cost, // substitute (or keep)
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (twoBack[j - 2] ?? 0) + 1); // swap neighbours
      }
      current[j] = best;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidates closest to `input`: first those within a typo-sized edit
 * distance (scaled to the input's length), then those the input is a whole
 * hyphen-separated part or prefix of (`pods` → `kubernetes-pods`).
 */
export function nearMatches(input: string, candidates: readonly string[], limit = 5): string[] {
  const needle = input.trim().toLowerCase();
  if (needle.length === 0 || limit <= 0) return [];

  const threshold = Math.max(1, Math.min(3, Math.floor(needle.length / 3)));
  const byDistance = candidates
    .map((candidate, index) => ({ candidate, index, distance: editDistance(needle, candidate) }))
    .filter((scored) => scored.distance <= threshold)
    .sort((x, y) => x.distance - y.distance || x.index - y.index)
    .map((scored) => scored.candidate);

  const byPart =
    needle.length < 3
      ? []
      : candidates.filter(
          (candidate) => candidate.split('-').includes(needle) || candidate.startsWith(`${needle}-`),
        );

  return [...new Set([...byDistance, ...byPart])].slice(0, limit);
}

/** Renders an arbitrary input for an error message: quoted, shortened, and typed when not a string. */
export function describeInput(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (undefined)';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Date)
    return `a Date (${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}

/** Lower-cases, trims and turns `_` and spaces into `-`, so `Root_Cause` reads as `root-cause`. */
export function normalizeKey(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
}
