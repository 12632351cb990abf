/**
 * A small SQL tokenizer for the two dialects the server speaks, PostgreSQL and ClickHouse.
 *
 * It is not a parser: it only has to find where strings, quoted identifiers and comments
 * begin and end exactly as the engine does, so that the statement classifier can look at the
 * remaining code (keywords, function names, `;`) without being fooled by text hidden inside them.
 *
 * Invariants:
 * - Every character of the input belongs to exactly one token or to whitespace; tokens are
 *   returned in order with their `[start, end)` offsets into the input.
 * - When the two engines disagree, or when a construct is ambiguous, the lexer picks the reading
 *   that exposes more code rather than less (a `#` that ClickHouse may not take as a comment is
 *   punctuation; Unicode whitespace separates words). Being wrong that way rejects a query; being
 *   wrong the other way would hide one.
 * - Unterminated strings, quoted identifiers, dollar quotes and block comments throw a
 *   `ValidationError` with code `SQL.UNTERMINATED`; nothing is guessed.
 * - Pure: no I/O, no dependencies beyond the domain's error classes.
 */
import { ValidationError } from '@tfo/domain';

/** The SQL dialects the safety layer understands. */
export type SqlDialect = 'postgresql' | 'clickhouse';

/** What a token is. Comments are tokens too, so callers can keep or drop them. */
export type SqlTokenKind =
  'word' | 'quoted-identifier' | 'string' | 'number' | 'parameter' | 'punctuation' | 'comment';

/** One token of a SQL text. */
export interface SqlToken {
  /** The token's kind. */
  readonly kind: SqlTokenKind;
  /** The raw text, exactly as it appears in the input. */
  readonly text: string;
  /**
   * For a quoted identifier, the name without its quotes and with doubled quotes (and, on
   * ClickHouse, backslash escapes) undone; for every other kind, the same as `text`.
   */
  readonly value: string;
  /** Offset of the first character in the input. */
  readonly start: number;
  /** Offset just past the last character in the input. */
  readonly end: number;
}

/** Options of {@link tokenizeSql}. */
export interface SqlLexerOptions {
  /**
   * PostgreSQL only: read backslashes in plain `'...'` strings as escapes, as a server with
   * `standard_conforming_strings = off` does. Default `false` (the PostgreSQL default since 9.1).
   * ClickHouse strings always take backslash escapes.
   */
  readonly backslashEscapesInStrings?: boolean;
}

const ASCII_WORD_START = /[A-Za-z_]/;
const ASCII_WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const UNICODE_WHITESPACE = /\s/u;
/** PostgreSQL dollar-quote tag: `$` or `$tag$`, tag an identifier without `$`. */
const PG_DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/u;

function isWordStart(ch: string, dialect: SqlDialect): boolean {
  if (ASCII_WORD_START.test(ch)) return true;
  if (dialect === 'clickhouse' && ch === '$') return true;
  return ch.charCodeAt(0) >= 0x80 && !UNICODE_WHITESPACE.test(ch) && !isCurlyQuote(ch, dialect);
}

function isWordPart(ch: string, dialect: SqlDialect): boolean {
  return ch === '$' || ASCII_WORD_PART.test(ch) || (isWordStart(ch, dialect) && ch.charCodeAt(0) >= 0x80);
}

function isCurlyQuote(ch: string, dialect: SqlDialect): boolean {
  return dialect === 'clickhouse' && (ch === '\u2018' || ch === '\u201C');
}

function unterminated(what: string, start: number, dialect: SqlDialect): ValidationError {
  return new ValidationError(
    `Unterminated ${what} starting at offset ${start}: close it, or remove it, and send the statement again.`,
    { code: 'SQL.UNTERMINATED', details: { construct: what, position: start, dialect } },
  );
}

/**
 * Splits `sql` into tokens the way `dialect`'s own lexer would, closely enough for safety checks.
 *
 * Understands single-quoted strings (`''` escapes; backslash escapes on ClickHouse, in PostgreSQL
 * `E'...'` strings, and optionally in plain PostgreSQL strings), PostgreSQL dollar quotes
 * (`$$...$$`, `$tag$...$tag$`), ClickHouse heredocs and curly-quoted strings, double-quoted and
 * (ClickHouse) backtick identifiers, `--` and (ClickHouse) `# ` line comments, nested block
 * comments, numbers, words, parameters (`$1`, `?`) and single-character punctuation.
 *
 * @throws ValidationError with code `SQL.UNTERMINATED` when a string, quoted identifier, dollar
 *   quote or block comment is not closed.
 */
export function tokenizeSql(sql: string, dialect: SqlDialect, options: SqlLexerOptions = {}): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = sql.length;
  const plainBackslash = dialect === 'clickhouse' || options.backslashEscapesInStrings === true;
  let i = 0;

  const push = (kind: SqlTokenKind, start: number, end: number, value?: string): void => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, start, end });
  };

  /** Scans a quoted run opened at `start` (the quote at `start`), returns the offset past its close. */
  const quoted = (start: number, quote: string, backslash: boolean, what: string): number => {
    let j = start + 1;
    while (j < n) {
      const ch = sql[j];
      if (backslash && ch === '\\') {
        if (j + 1 >= n) break;
        j += 2;
        continue;
      }
      if (ch === quote) {
        if (sql[j + 1] === quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j += 1;
    }
    throw unterminated(what, start, dialect);
  };

  const unquote = (raw: string, quote: string, backslash: boolean): string => {
    let inner = raw
      .slice(1, -1)
      .split(quote + quote)
      .join(quote);
    if (backslash) inner = inner.replace(/\\(.)/gsu, '$1');
    return inner;
  };

  while (i < n) {
    const ch = sql[i] as string;
    const next = sql[i + 1];

    if (UNICODE_WHITESPACE.test(ch)) {
      i += 1;
      continue;
    }

    // Line comments: `--` on both; `# ` and `#!` on ClickHouse (a bare `#` is an operator on
    // PostgreSQL and an error on ClickHouse, so it stays visible as punctuation).
    if (
      (ch === '-' && next === '-') ||
      (dialect === 'clickhouse' && ch === '#' && (next === ' ' || next === '!'))
    ) {
      let j = i;
      while (j < n && sql[j] !== '\n') j += 1;
      push('comment', i, j);
      i = j;
      continue;
    }

    // Block comments nest on both engines.
    if (ch === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') {
          depth += 1;
          j += 2;
        } else if (sql[j] === '*' && sql[j + 1] === '/') {
          depth -= 1;
          j += 2;
        } else {
          j += 1;
        }
      }
      if (depth > 0) throw unterminated('block comment', i, dialect);
      push('comment', i, j);
      i = j;
      continue;
    }

    if (ch === "'") {
      const end = quoted(i, "'", plainBackslash, 'string literal');
      push('string', i, end);
      i = end;
      continue;
    }

    if (ch === '"') {
      const backslash = dialect === 'clickhouse';
      const end = quoted(i, '"', backslash, 'quoted identifier');
      push('quoted-identifier', i, end, unquote(sql.slice(i, end), '"', backslash));
      i = end;
      continue;
    }

    if (ch === '`' && dialect === 'clickhouse') {
      const end = quoted(i, '`', true, 'backtick identifier');
      push('quoted-identifier', i, end, unquote(sql.slice(i, end), '`', true));
      i = end;
      continue;
    }

    // ClickHouse also takes ‘curly’ strings and “curly” identifiers, without escapes.
    if (isCurlyQuote(ch, dialect)) {
      const close = ch === '\u2018' ? '\u2019' : '\u201D';
      const endQuote = sql.indexOf(close, i + 1);
      const what = ch === '\u2018' ? 'string literal' : 'quoted identifier';
      if (endQuote < 0) throw unterminated(what, i, dialect);
      const kind = ch === '\u2018' ? 'string' : 'quoted-identifier';
      push(kind, i, endQuote + 1, kind === 'string' ? undefined : sql.slice(i + 1, endQuote));
      i = endQuote + 1;
      continue;
    }

    if (ch === '$') {
      if (dialect === 'postgresql') {
        if (next !== undefined && DIGIT.test(next)) {
          let j = i + 1;
          while (j < n && DIGIT.test(sql[j] as string)) j += 1;
          push('parameter', i, j);
          i = j;
          continue;
        }
        const tag = PG_DOLLAR_TAG.exec(sql.slice(i, i + 256))?.[0];
        if (tag !== undefined) {
          const close = sql.indexOf(tag, i + tag.length);
          if (close < 0) throw unterminated('dollar-quoted string', i, dialect);
          push('string', i, close + tag.length);
          i = close + tag.length;
          continue;
        }
        push('punctuation', i, i + 1);
        i += 1;
        continue;
      }
      // ClickHouse heredoc: `$anything$ ... $anything$`, only when the closing tag exists;
      // otherwise the `$` is a lone sign or starts a word, as in ClickHouse's own lexer.
      const tagEnd = sql.indexOf('$', i + 1);
      if (tagEnd >= 0) {
        const tag = sql.slice(i, tagEnd + 1);
        const close = sql.indexOf(tag, tagEnd + 1);
        if (close >= 0) {
          push('string', i, close + tag.length);
          i = close + tag.length;
          continue;
        }
      }
      if (next === undefined || !ASCII_WORD_PART.test(next)) {
        push('punctuation', i, i + 1);
        i += 1;
        continue;
      }
    }

    // PostgreSQL escape strings: exactly `E'` or `e'` at the start of a token.
    if (dialect === 'postgresql' && (ch === 'E' || ch === 'e') && next === "'") {
      const end = quoted(i + 1, "'", true, 'string literal');
      push('string', i, end);
      i = end;
      continue;
    }

    if (DIGIT.test(ch) || (ch === '.' && next !== undefined && DIGIT.test(next))) {
      i = scanNumber(sql, i, push);
      continue;
    }

    if (isWordStart(ch, dialect)) {
      let j = i + 1;
      while (j < n && isWordPart(sql[j] as string, dialect)) j += 1;
      push('word', i, j);
      i = j;
      continue;
    }

    if (ch === '?') {
      push('parameter', i, i + 1);
      i += 1;
      continue;
    }

    // Everything else is one character of punctuation. Surrogate pairs stay whole.
    const width = (ch.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
    push('punctuation', i, i + width);
    i += width;
  }
  return tokens;
}

/** Scans a number starting at `start`; a following letter starts a new token (exposing it). */
function scanNumber(
  sql: string,
  start: number,
  push: (kind: SqlTokenKind, start: number, end: number) => void,
): number {
  const n = sql.length;
  let j = start;
  const prefix = /^0[xXoObB][0-9A-Fa-f_]/.exec(sql.slice(start, start + 3));
  if (prefix) {
    j += 2;
    while (j < n && /[0-9A-Fa-f_]/.test(sql[j] as string)) j += 1;
    push('number', start, j);
    return j;
  }
  while (j < n && /[0-9_]/.test(sql[j] as string)) j += 1;
  if (sql[j] === '.') {
    j += 1;
    while (j < n && /[0-9_]/.test(sql[j] as string)) j += 1;
  }
  if ((sql[j] === 'e' || sql[j] === 'E') && /^[+-]?[0-9]/.test(sql.slice(j + 1, j + 3))) {
    j += 1;
    if (sql[j] === '+' || sql[j] === '-') j += 1;
    while (j < n && /[0-9_]/.test(sql[j] as string)) j += 1;
  }
  push('number', start, j);
  return j;
}
