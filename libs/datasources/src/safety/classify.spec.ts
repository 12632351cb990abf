import { describe, expect, it } from '@jest/globals';
import { PermissionDeniedError, type TfoError, ValidationError } from '@tfo/domain';
import { classifyStatement } from './classify.js';
import { type SqlDialect } from './sql-lexer.js';

const PG: SqlDialect = 'postgresql';
const CH: SqlDialect = 'clickhouse';

/** Runs the classifier and returns the error it threw (or fails the test). */
function rejection(sql: string, dialect: SqlDialect): TfoError {
  try {
    classifyStatement(sql, dialect);
  } catch (error) {
    return error as TfoError;
  }
  throw new Error(`expected ${JSON.stringify(sql)} to be rejected on ${dialect}`);
}

function expectRejected(sql: string, dialect: SqlDialect, code: string): TfoError {
  const error = rejection(sql, dialect);
  expect({ sql, code: error.code }).toEqual({ sql, code });
  return error;
}

function expectRead(sql: string, dialect: SqlDialect, statement?: string): void {
  const result = classifyStatement(sql, dialect);
  expect(result.kind).toBe('read');
  if (statement !== undefined) expect(result.statement).toBe(statement);
}

describe('classifyStatement: one statement', () => {
  it('returns the trimmed statement without trailing semicolons or surrounding comments', () => {
    expectRead('  SELECT 1 ;  ', PG, 'SELECT 1');
    expectRead('SELECT 1;;', PG, 'SELECT 1');
    expectRead('-- lead\nSELECT /* keep */ 1; -- trailing', PG, 'SELECT /* keep */ 1');
    expectRead('SELECT 1 -- no semicolon', CH, 'SELECT 1');
  });

  it.each([
    ['SELECT 1; COMMIT; DROP TABLE users', PG],
    ['SELECT 1; DROP TABLE users', CH],
    ['SELECT 1 /* ; */ ; DROP TABLE users --', PG],
    ['SELECT 1; /* c */ SELECT 2', CH],
    ['; SELECT 1', PG],
    ["SELECT 'a\\'; DROP TABLE users; SELECT ''", PG],
    ['SELECT x$$;DROP TABLE users;x$$', PG],
    ["SELECT \u2018'\u2019; DROP TABLE users; SELECT ''", CH],
  ] as [string, SqlDialect][])('rejects a second statement: %s (%s)', (sql, dialect) => {
    const error = expectRejected(sql, dialect, 'SQL.MULTIPLE_STATEMENTS');
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.message).toContain('Only one read-only statement per call is allowed');
  });

  it('keeps semicolons hidden in strings, dollar quotes, heredocs and comments inside one statement', () => {
    expectRead("SELECT 'DROP TABLE users; --'", PG);
    expectRead('SELECT $$;DROP$$', PG, 'SELECT $$;DROP$$');
    expectRead('SELECT $tag$ ; DELETE FROM t $tag$', PG);
    expectRead('SELECT $h$;DROP$h$', CH);
    expectRead('SELECT /* outer /* inner ; DROP */ still comment ; */ 1', PG);
    expectRead("SELECT E'it\\'s; DROP'", PG);
    expectRead("SELECT 'a\\'; DROP'", CH);
  });

  it('rejects text that reads differently with standard_conforming_strings off', () => {
    // On: the string is 'a\' and "; DROP" is code. Off: one string. Both readings must pass.
    expectRejected("SELECT 'a\\'; DROP TABLE t; --'", PG, 'SQL.MULTIPLE_STATEMENTS');
    // On: two strings. Off: the first string swallows the comma and "; DROP" is code.
    expectRejected("SELECT 'x\\', '; DROP TABLE t; --'", PG, 'SQL.MULTIPLE_STATEMENTS');
    expectRead("SELECT '\\d+' ~ 'x'", PG);
  });

  it.each([
    ['', PG],
    ['   \n\t', CH],
    ['-- just a comment', PG],
    ['/* only */ -- comments', CH],
    [';', PG],
    ['# shebang-style comment', CH],
  ] as [string, SqlDialect][])('rejects empty input: %j (%s)', (sql, dialect) => {
    const error = expectRejected(sql, dialect, 'SQL.EMPTY');
    expect(error).toBeInstanceOf(ValidationError);
  });

  it.each([
    ["SELECT 'abc", PG],
    ['SELECT /* never closed', CH],
    ['SELECT $$abc', PG],
    ['SELECT "abc', CH],
  ] as [string, SqlDialect][])('rejects unterminated input: %s (%s)', (sql, dialect) => {
    const error = expectRejected(sql, dialect, 'SQL.UNTERMINATED');
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('classifyStatement: the first keyword', () => {
  it.each([
    ['SELECT 1', PG],
    ['select * from t', PG],
    ['WITH x AS (SELECT 1) SELECT * FROM x', PG],
    ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r', PG],
    ['SHOW search_path', PG],
    ['EXPLAIN SELECT * FROM t', PG],
    ['EXPLAIN (FORMAT JSON, VERBOSE) SELECT 1', PG],
    ['VALUES (1), (2)', PG],
    ['TABLE users', PG],
    ['(SELECT 1) UNION (SELECT 2)', PG],
    ['SELECT 1', CH],
    ['WITH 1 AS x SELECT x', CH],
    ['SHOW TABLES', CH],
    ['SHOW TABLES FROM system', CH],
    ['SHOW CREATE TABLE logs', CH],
    ["SHOW SETTINGS ILIKE '%readonly%'", CH],
    ['SHOW CHANGED SETTINGS', CH],
    ['EXPLAIN SELECT 1', CH],
    ['EXPLAIN ESTIMATE SELECT * FROM logs', CH],
    ['DESCRIBE TABLE logs', CH],
    ['DESC logs', CH],
    ['EXISTS TABLE logs', CH],
  ] as [string, SqlDialect][])('accepts %s (%s)', (sql, dialect) => {
    expectRead(sql, dialect);
  });

  it.each([
    ['DROP TABLE users', PG],
    ['INSERT INTO t VALUES (1)', CH],
    ['SET TRANSACTION READ WRITE', PG],
    ['COMMIT', PG],
    ['DESCRIBE users', PG],
    ['EXISTS TABLE t', PG],
    ['VALUES (1)', CH],
    ['TABLE users', CH],
    ['"select" 1', PG],
    ['(SHOW x)', PG],
    ['USE system', CH],
    ['1', PG],
  ] as [string, SqlDialect][])('rejects %s (%s)', (sql, dialect) => {
    const error = expectRejected(sql, dialect, 'SQL.NOT_READ_ONLY');
    expect(error.message).toContain('Only one read-only statement per call is allowed:');
  });

  it('names what was found and what is allowed', () => {
    const error = rejection('DELETE FROM users', PG);
    expect(error.message).toBe(
      'Found a statement starting with "DELETE", which is not a read-only statement. Only one read-only' +
        ' statement per call is allowed: SELECT, WITH ... SELECT, SHOW, EXPLAIN (without ANALYZE), VALUES, TABLE.',
    );
    expect(error.details).toEqual({
      dialect: 'postgresql',
      found: 'DELETE',
      position: 0,
      allowed: ['SELECT', 'WITH ... SELECT', 'SHOW', 'EXPLAIN (without ANALYZE)', 'VALUES', 'TABLE'],
    });
    expect(rejection('ALTER TABLE t DELETE WHERE 1', CH).message).toContain(
      'SELECT, WITH ... SELECT, SHOW, EXPLAIN, DESCRIBE, EXISTS',
    );
  });

  it('rejects EXPLAIN ANALYZE on PostgreSQL, because it executes the statement', () => {
    for (const sql of [
      'EXPLAIN ANALYZE DELETE FROM users',
      'EXPLAIN ANALYZE SELECT 1',
      'EXPLAIN (ANALYZE, BUFFERS) SELECT 1',
      'explain analyse select 1',
    ]) {
      const error = expectRejected(sql, PG, 'SQL.NOT_READ_ONLY');
      expect(error.message).toContain('executes the statement');
    }
  });
});

describe('classifyStatement: state-changing keywords anywhere', () => {
  it.each([
    ['WITH x AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT * FROM x', PG],
    ['WITH x AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM x', PG],
    ['WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', PG],
    ['WITH x AS (MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE) SELECT 1', PG],
    ['SELECT * FROM t WHERE a IN (SELECT 1) AND start = 1', PG],
    ['SELECT 1 AS set', CH],
    ['SELECT * FROM t /* hidden? */ WHERE 1 = 1 AND DROP', PG],
    ['SELECT kill FROM t', CH],
    ['SELECT 1 FROM t, LATERAL (SELECT 1) x WHERE TRUNCATE', PG],
  ] as [string, SqlDialect][])('rejects %s (%s)', (sql, dialect) => {
    expectRejected(sql, dialect, 'SQL.NOT_READ_ONLY');
  });

  it('suggests quoting when a forbidden keyword is used as a name', () => {
    expect(rejection('SELECT start FROM events', PG).message).toContain('quote it: "start"');
    expect(rejection('SELECT cluster FROM system.clusters', CH).message).toContain('quote it: "cluster"');
    expect(
      rejection('WITH x AS (INSERT INTO t DEFAULT VALUES RETURNING 1) SELECT 1', PG).message,
    ).not.toContain('quote it');
  });

  it.each([
    ['SELECT updated_at, "delete", created_by, "drop" FROM t', PG],
    ['SELECT `delete`, "update", inserted_rows FROM t', CH],
    ['SELECT t.update, t.set FROM t', PG],
    ['SELECT * FROM system.tables', CH],
    ["SELECT 'DROP TABLE users'", PG],
    ["SELECT 'DROP TABLE users'", CH],
    ['SELECT 1 -- DROP TABLE users', PG],
    ['SELECT /* DELETE */ 1', CH],
    ['SELECT $$INSERT INTO t VALUES (1)$$', PG],
    ['SELECT größe, "名前" FROM données', PG],
    ['SELECT `größe` FROM t', CH],
    ['SELECT dropped, settings_hash, formatted FROM t', CH],
  ] as [string, SqlDialect][])('accepts %s (%s)', (sql, dialect) => {
    expectRead(sql, dialect);
  });
});

describe('classifyStatement: PostgreSQL clauses', () => {
  it.each([
    ['SELECT * INTO new_table FROM users', 'INTO'],
    ['SELECT * FROM users FOR UPDATE', 'FOR UPDATE'],
    ['SELECT * FROM users FOR SHARE', 'FOR SHARE'],
    ['SELECT * FROM users FOR NO KEY UPDATE', 'FOR NO KEY UPDATE'],
    ['SELECT * FROM users FOR KEY SHARE SKIP LOCKED', 'FOR KEY SHARE'],
  ])('rejects %s', (sql, found) => {
    const error = expectRejected(sql, PG, 'SQL.FORBIDDEN_CLAUSE');
    expect(error.details).toMatchObject({ found });
  });

  it('accepts FOR in other positions', () => {
    expectRead("SELECT substring('abc' FROM 1 FOR 2)", PG);
  });
});

describe('classifyStatement: forbidden functions', () => {
  it.each([
    "SELECT * FROM pg_read_file('/etc/passwd')",
    "SELECT pg_catalog.pg_read_binary_file('/etc/passwd')",
    'SELECT "pg_read_file"(\'/etc/passwd\')',
    "SELECT * FROM pg_ls_dir('.')",
    "SELECT pg_stat_file('postgresql.conf')",
    "SELECT lo_import('/etc/passwd')",
    "SELECT lo_export(1, '/tmp/x')",
    "SELECT * FROM dblink('host=x', 'SELECT 1') AS t(a int)",
    "SELECT dblink_exec('host=x', 'DROP TABLE t')",
    'SELECT pg_terminate_backend(123)',
    'SELECT PG_CANCEL_BACKEND(123)',
    'SELECT pg_reload_conf()',
    'SELECT pg_rotate_logfile()',
    "SELECT set_config('statement_timeout', '0', false)",
    "SELECT query_to_xml('DELETE FROM t RETURNING 1', true, true, '')",
    "SELECT nextval('seq')",
    'SELECT pg_advisory_lock(1)',
  ])('rejects on PostgreSQL: %s', (sql) => {
    expectRejected(sql, PG, 'SQL.FORBIDDEN_FUNCTION');
  });

  it('allows pg_sleep (bounded by statement_timeout) and current_setting', () => {
    expectRead('SELECT pg_sleep(1)', PG);
    expectRead("SELECT current_setting('statement_timeout')", PG);
  });

  it.each([
    "select * from FILE('x')",
    "SELECT * FROM file('data.csv', 'CSV', 'a String')",
    "SELECT file('/etc/passwd')",
    "SELECT * FROM url('http://example.com/x.csv', CSV)",
    "SELECT * FROM urlCluster('c', 'http://x')",
    "SELECT * FROM s3('https://bucket/x', 'CSV')",
    "SELECT * FROM s3Cluster('c', 'https://bucket/x')",
    "SELECT * FROM hdfs('hdfs://x', 'CSV')",
    "SELECT * FROM remote('host:9000', db.t)",
    "SELECT * FROM remoteSecure('host:9440', db.t)",
    "SELECT * FROM cluster('c', db.t)",
    "SELECT * FROM clusterAllReplicas('c', system.one)",
    "SELECT * FROM mysql('h:3306', 'db', 't', 'u', 'p')",
    "SELECT * FROM postgresql('h:5432', 'db', 't', 'u', 'p')",
    "SELECT * FROM mongodb('h', 'db', 'c', 'u', 'p', 'x String')",
    "SELECT * FROM redis('h', 'k', 'k String')",
    "SELECT * FROM sqlite('x.db', 't')",
    "SELECT * FROM odbc('dsn', 't')",
    "SELECT * FROM jdbc('dsn', 't')",
    "SELECT * FROM executable('x.sh', 'CSV', 'a String')",
    "SELECT * FROM input('a String')",
    "SELECT * FROM azureBlobStorage('x', 'c', 'b')",
    "SELECT * FROM gcs('https://x', 'CSV')",
    "SELECT * FROM deltaLake('https://x')",
    "SELECT * FROM iceberg('https://x')",
    "SELECT * FROM hudi('https://x')",
    "SELECT * FROM `url`('http://x')",
    "SELECT * FROM url /* gap */ ('http://x')",
  ])('rejects on ClickHouse: %s', (sql) => {
    const error = expectRejected(sql, CH, 'SQL.FORBIDDEN_FUNCTION');
    expect(error).toBeInstanceOf(PermissionDeniedError);
  });

  it('accepts the same names as columns, and harmless table functions', () => {
    expectRead('SELECT file, url, input FROM t', PG);
    expectRead('SELECT file, url, "input", `cluster` FROM t', CH);
    expectRead('SELECT * FROM numbers(10)', CH);
    expectRead("SELECT URLHierarchy('https://x/y'), format('{} {}', 'a', 'b')", CH);
    expectRead("SELECT 'pg_read_file(''/etc/passwd'')'", PG);
  });
});

describe('classifyStatement: ClickHouse clauses', () => {
  it.each([
    ['SELECT 1 SETTINGS readonly=0', 'SETTINGS'],
    ['SELECT * FROM logs SETTINGS max_execution_time = 0', 'SETTINGS'],
    ['select 1 settings readonly = 0', 'SETTINGS'],
    ["SELECT 1 INTO OUTFILE '/tmp/x'", 'INTO OUTFILE'],
    ["SELECT 1 INTO OUTFILE '/tmp/x' FORMAT CSV", 'INTO OUTFILE'],
    ['SELECT 1 FORMAT JSON', 'FORMAT'],
    ['SELECT 1 format TabSeparated', 'FORMAT'],
  ])('rejects %s', (sql, found) => {
    const error = expectRejected(sql, CH, 'SQL.FORBIDDEN_CLAUSE');
    expect(error.details).toMatchObject({ found });
    expect(error.message).toContain(`Found the clause ${found}`);
  });

  it('accepts settings tables and the format() function', () => {
    expectRead("SELECT name, value FROM system.settings WHERE name = 'readonly'", CH);
    expectRead("SELECT format('{}', 1)", CH);
    expectRead('SELECT 1 AS "settings", `format`', CH);
  });

  it('rejects SETTINGS and FORMAT only on ClickHouse', () => {
    expectRead('EXPLAIN (FORMAT JSON) SELECT 1', PG);
    // PostgreSQL has no SETTINGS clause: the word is not special there (the engine rejects the syntax).
    expectRead('SELECT 1 AS settings', PG);
  });

  it('rejects SYSTEM and KILL statements but allows the system database', () => {
    expectRejected('SYSTEM DROP DNS CACHE', CH, 'SQL.NOT_READ_ONLY');
    expectRejected("KILL QUERY WHERE query_id = 'x'", CH, 'SQL.NOT_READ_ONLY');
    expectRejected('OPTIMIZE TABLE logs FINAL', CH, 'SQL.NOT_READ_ONLY');
    expectRead('SELECT * FROM system.processes', CH);
    expectRead('SHOW TABLES IN system', CH);
  });
});
