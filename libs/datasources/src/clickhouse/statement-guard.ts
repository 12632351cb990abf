/**
 * A lexical guard for ClickHouse statements, for what the engine's `readonly` does not
 * cover on every backend. Measured on chdb 3.4: with `readonly=1`, `SELECT ... INTO OUTFILE`
 * still writes the file (clickhouse-local semantics), so the datasource rejects the clause
 * before the engine sees it. On a server the HTTP interface refuses it anyway.
 *
 * Invariant: string literals, quoted identifiers and comments are blanked before matching,
 * so a clause hidden in a comment is ignored and a clause inside a string is not a false
 * positive. This is a second layer; engine-enforced `readonly` is the first.
 */

/** Replaces string literals, quoted identifiers and comments with spaces (lengths kept). */
export function blankLiteralsAndComments(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (ch === '#' && (next === '!' || next === ' ')) {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < sql.length) {
        const c = sql[j];
        if (c === '\\') j += 2;
        else if (c === ch && sql[j + 1] === ch) j += 2;
        else if (c === ch) break;
        else j += 1;
      }
      const stop = Math.min(sql.length, j + 1);
      out += ' '.repeat(stop - i);
      i = stop;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** The reason `sql` is refused by the guard, or undefined when it may go to the engine. */
export function readOnlyViolation(sql: string): string | undefined {
  const bare = blankLiteralsAndComments(sql);
  if (/\bINTO\s+OUTFILE\b/i.test(bare)) return 'INTO OUTFILE writes a file and is not allowed';
  return undefined;
}
