import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@tfo/domain';
import { type SqlDialect, tokenizeSql } from './sql-lexer.js';

const kinds = (sql: string, dialect: SqlDialect = 'postgresql') =>
  tokenizeSql(sql, dialect).map((t) => [t.kind, t.text]);

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).code;
  }
  return undefined;
};

describe('tokenizeSql', () => {
  it('splits words, numbers, punctuation and keeps offsets', () => {
    const tokens = tokenizeSql('SELECT a1, 2.5e-3 FROM t;', 'postgresql');
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['word', 'SELECT'],
      ['word', 'a1'],
      ['punctuation', ','],
      ['number', '2.5e-3'],
      ['word', 'FROM'],
      ['word', 't'],
      ['punctuation', ';'],
    ]);
    expect(tokens[1]).toMatchObject({ start: 7, end: 9, value: 'a1' });
  });

  it('reads hex and underscore numbers, and starts a new token after a number', () => {
    expect(kinds('0x1F 1_000 .5 1DROP')).toEqual([
      ['number', '0x1F'],
      ['number', '1_000'],
      ['number', '.5'],
      ['number', '1'],
      ['word', 'DROP'],
    ]);
  });

  it("reads '' escapes on both dialects", () => {
    expect(kinds("SELECT 'it''s; DROP'")).toEqual([
      ['word', 'SELECT'],
      ['string', "'it''s; DROP'"],
    ]);
    expect(kinds("SELECT 'it''s'", 'clickhouse')[1]).toEqual(['string', "'it''s'"]);
  });

  it('reads backslash escapes on ClickHouse but not in standard PostgreSQL strings', () => {
    expect(kinds("SELECT 'a\\'; b'", 'clickhouse')).toEqual([
      ['word', 'SELECT'],
      ['string', "'a\\'; b'"],
    ]);
    expect(kinds("SELECT 'a\\' ; 1", 'postgresql')).toEqual([
      ['word', 'SELECT'],
      ['string', "'a\\'"],
      ['punctuation', ';'],
      ['number', '1'],
    ]);
    const legacy = tokenizeSql("SELECT 'a\\'; b'", 'postgresql', { backslashEscapesInStrings: true });
    expect(legacy.map((t) => t.kind)).toEqual(['word', 'string']);
  });

  it("reads PostgreSQL E'' strings with backslash escapes, only as a whole token", () => {
    expect(kinds("SELECT E'a\\'; b', e'x'")).toEqual([
      ['word', 'SELECT'],
      ['string', "E'a\\'; b'"],
      ['punctuation', ','],
      ['string', "e'x'"],
    ]);
    expect(kinds("SELECT name'x'")).toEqual([
      ['word', 'SELECT'],
      ['word', 'name'],
      ['string', "'x'"],
    ]);
  });

  it('reads PostgreSQL dollar quotes, parameters and $ inside identifiers', () => {
    expect(kinds('SELECT $$;DROP$$, $fn$ a $$ b $fn$, $1')).toEqual([
      ['word', 'SELECT'],
      ['string', '$$;DROP$$'],
      ['punctuation', ','],
      ['string', '$fn$ a $$ b $fn$'],
      ['punctuation', ','],
      ['parameter', '$1'],
    ]);
    expect(kinds('SELECT x$$;DROP$$')).toEqual([
      ['word', 'SELECT'],
      ['word', 'x$$'],
      ['punctuation', ';'],
      ['word', 'DROP$$'],
    ]);
  });

  it('reads ClickHouse heredocs only when they are closed', () => {
    expect(kinds('SELECT $doc$;DROP$doc$', 'clickhouse')).toEqual([
      ['word', 'SELECT'],
      ['string', '$doc$;DROP$doc$'],
    ]);
    expect(kinds('SELECT $x; 1', 'clickhouse')).toEqual([
      ['word', 'SELECT'],
      ['word', '$x'],
      ['punctuation', ';'],
      ['number', '1'],
    ]);
  });

  it('reads double-quoted identifiers, and backticks only on ClickHouse', () => {
    const pg = tokenizeSql('SELECT "de""lete"', 'postgresql');
    expect(pg[1]).toMatchObject({ kind: 'quoted-identifier', text: '"de""lete"', value: 'de"lete' });
    const ch = tokenizeSql('SELECT `a\\`b`, "c"', 'clickhouse');
    expect(ch[1]).toMatchObject({ kind: 'quoted-identifier', value: 'a`b' });
    expect(ch[3]).toMatchObject({ kind: 'quoted-identifier', value: 'c' });
    expect(kinds('SELECT `;`', 'postgresql').map(([k]) => k)).toEqual([
      'word',
      'punctuation',
      'punctuation',
      'punctuation',
    ]);
  });

  it('reads ClickHouse curly-quoted strings and identifiers', () => {
    expect(kinds("SELECT \u2018'\u2019, \u201Cx\u201D", 'clickhouse')).toEqual([
      ['word', 'SELECT'],
      ['string', "\u2018'\u2019"],
      ['punctuation', ','],
      ['quoted-identifier', '\u201Cx\u201D'],
    ]);
  });

  it('reads line comments: -- on both, "# " and "#!" on ClickHouse only', () => {
    expect(kinds('SELECT 1 -- ; DROP\n, 2')).toEqual([
      ['word', 'SELECT'],
      ['number', '1'],
      ['comment', '-- ; DROP'],
      ['punctuation', ','],
      ['number', '2'],
    ]);
    expect(kinds('SELECT 1 # ; DROP', 'clickhouse').map(([k]) => k)).toEqual(['word', 'number', 'comment']);
    expect(kinds('SELECT 1 #x', 'clickhouse').map(([k]) => k)).toEqual([
      'word',
      'number',
      'punctuation',
      'word',
    ]);
    expect(kinds('SELECT 1 # 2', 'postgresql').map(([k]) => k)).toEqual([
      'word',
      'number',
      'punctuation',
      'number',
    ]);
  });

  it('reads nested block comments', () => {
    expect(kinds('SELECT /* a /* b; */ c; */ 1')).toEqual([
      ['word', 'SELECT'],
      ['comment', '/* a /* b; */ c; */'],
      ['number', '1'],
    ]);
  });

  it('reads unicode identifiers and treats unicode whitespace as a separator', () => {
    expect(kinds('SELECT größe, 名前 FROM t')).toEqual([
      ['word', 'SELECT'],
      ['word', 'größe'],
      ['punctuation', ','],
      ['word', '名前'],
      ['word', 'FROM'],
      ['word', 't'],
    ]);
    expect(kinds('SELECT\u00A0DROP').map(([, t]) => t)).toEqual(['SELECT', 'DROP']);
  });

  it.each([
    ["SELECT 'abc", 'postgresql'],
    ["SELECT E'abc\\'", 'postgresql'],
    ['SELECT "abc', 'postgresql'],
    ['SELECT `abc', 'clickhouse'],
    ['SELECT $$abc', 'postgresql'],
    ['SELECT $t$abc$$', 'postgresql'],
    ['SELECT /* a /* b */', 'postgresql'],
    ["SELECT 'abc\\'", 'clickhouse'],
    ['SELECT \u2018abc', 'clickhouse'],
  ] as [string, SqlDialect][])('rejects an unterminated construct: %s (%s)', (sql, dialect) => {
    expect(code(() => tokenizeSql(sql, dialect))).toBe('SQL.UNTERMINATED');
  });
});
