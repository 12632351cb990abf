/**
 * The statement classifier: the SECOND layer of the SQL safety stack.
 *
 * The first layer is the engine itself (PostgreSQL: one statement per call over the extended
 * protocol inside a `READ ONLY` transaction with `statement_timeout`; ClickHouse: `readonly`,
 * `max_execution_time` and result caps). That layer is the one that holds. This one rejects
 * early, with a message a model can act on, what the engine would refuse or what should never
 * reach it: more than one statement, anything but a read, functions that reach the file system,
 * the network or other sessions, and clauses that write files, take locks or change settings.
 *
 * Invariants:
 * - Pure and total: no I/O; every input either yields one read statement or throws a
 *   `PermissionDeniedError` / `ValidationError` with a stable `SQL.*` code.
 * - Decisions are taken on tokens, never on raw text: keywords inside strings, quoted identifiers
 *   and comments are never keywords, and a `;` hidden in them never splits statements.
 * - Words are compared case-insensitively; quoted identifiers are names, never keywords (but a
 *   quoted forbidden function name is still that function).
 * - When in doubt it rejects: an unquoted column named like a forbidden keyword (`start`, `set`)
 *   is rejected with a hint to quote it.
 * - The statement returned is the single statement's text from its first to its last significant
 *   token: leading and trailing comments and trailing semicolons are dropped, so a caller may wrap
 *   it (`SELECT * FROM (...) LIMIT n`) without a trailing `--` comment swallowing the wrapper.
 *
 * Decisions:
 * - `pg_sleep` is allowed: it reads and changes nothing, and `statement_timeout` bounds it like
 *   any slow query.
 * - ClickHouse `FORMAT` clauses are rejected: the adapter chooses the wire format and parses it;
 *   the `format(...)` function stays allowed. `SETTINGS` clauses are rejected whatever they set.
 * - `EXISTS` (ClickHouse) and `DESCRIBE`/`DESC` (ClickHouse) are reads; PostgreSQL has neither as
 *   a statement. `EXPLAIN ANALYZE` is rejected on PostgreSQL because it executes the statement.
 * - PostgreSQL plain strings are lexed both with and without backslash escapes
 *   (`standard_conforming_strings` on and off) when the text contains a backslash; both readings
 *   must pass.
 */
import { PermissionDeniedError, ValidationError } from '@tfo/domain';
import { type SqlDialect, type SqlToken, tokenizeSql } from './sql-lexer.js';

/** The outcome of a successful classification: one read-only statement. */
export interface ReadStatement {
  /** Always `'read'`: anything else throws. */
  readonly kind: 'read';
  /** The single statement, trimmed, without leading/trailing comments or trailing semicolons. */
  readonly statement: string;
}

/** Stable codes of the errors {@link classifyStatement} throws. */
export const SqlSafetyCode = {
  /** More than one statement in one call (`PermissionDeniedError`). */
  MultipleStatements: 'SQL.MULTIPLE_STATEMENTS',
  /** A statement or keyword that writes or changes state (`PermissionDeniedError`). */
  NotReadOnly: 'SQL.NOT_READ_ONLY',
  /** A function that reaches files, the network or other sessions (`PermissionDeniedError`). */
  ForbiddenFunction: 'SQL.FORBIDDEN_FUNCTION',
  /** A clause that writes a file, takes locks, creates a table or changes settings (`PermissionDeniedError`). */
  ForbiddenClause: 'SQL.FORBIDDEN_CLAUSE',
  /** Nothing but whitespace, comments or semicolons (`ValidationError`). */
  Empty: 'SQL.EMPTY',
  /** An unterminated string, quoted identifier or comment (`ValidationError`). */
  Unterminated: 'SQL.UNTERMINATED',
} as const;

/** One of the {@link SqlSafetyCode} values. */
export type SqlSafetyCode = (typeof SqlSafetyCode)[keyof typeof SqlSafetyCode];

/** Statements accepted as the first keyword, per dialect (what the error messages list). */
export const ALLOWED_STATEMENTS: Readonly<Record<SqlDialect, readonly string[]>> = {
  postgresql: ['SELECT', 'WITH ... SELECT', 'SHOW', 'EXPLAIN (without ANALYZE)', 'VALUES', 'TABLE'],
  clickhouse: ['SELECT', 'WITH ... SELECT', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'EXISTS'],
};

const FIRST_KEYWORDS: Readonly<Record<SqlDialect, ReadonlySet<string>>> = {
  postgresql: new Set(['SELECT', 'WITH', 'SHOW', 'EXPLAIN', 'VALUES', 'TABLE']),
  clickhouse: new Set(['SELECT', 'WITH', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC', 'EXISTS']),
};

/** Keywords that start a query expression, allowed after leading parentheses: `(SELECT 1) UNION ...`. */
const PARENTHESISED_FIRST = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);

/** Keywords that write or change state, rejected anywhere outside strings, comments and quotes. */
export const FORBIDDEN_KEYWORDS: ReadonlySet<string> = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'UPSERT',
  'TRUNCATE',
  'DROP',
  'ALTER',
  'CREATE',
  'GRANT',
  'REVOKE',
  'COPY',
  'CALL',
  'DO',
  'SET',
  'RESET',
  'LOCK',
  'VACUUM',
  'ANALYZE',
  'ANALYSE',
  'CLUSTER',
  'REINDEX',
  'REFRESH',
  'LISTEN',
  'NOTIFY',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'ATTACH',
  'DETACH',
  'OPTIMIZE',
  'RENAME',
  'KILL',
  'SYSTEM',
  'CHECKPOINT',
  'DISCARD',
  'EXCHANGE',
  'UNDROP',
]);

/** Forbidden keywords that are almost never names: their rejection message carries no quoting hint. */
const STATEMENT_ONLY_KEYWORDS: ReadonlySet<string> = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'UPSERT',
  'TRUNCATE',
  'DROP',
  'ALTER',
  'CREATE',
  'GRANT',
  'REVOKE',
]);

/** PostgreSQL functions that read files, reach other servers, signal backends or change state. */
export const POSTGRES_FORBIDDEN_FUNCTIONS: ReadonlySet<string> = new Set([
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'lo_import',
  'lo_export',
  'lo_get',
  'lo_put',
  'loread',
  'lowrite',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_promote',
  'pg_switch_wal',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_start_backup',
  'pg_stop_backup',
  'pg_notify',
  'pg_logical_emit_message',
  'set_config',
  'nextval',
  'setval',
  'txid_current',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
]);

/** Prefixes of PostgreSQL function families rejected as a whole (`dblink*`, `lo_*`, ...). */
export const POSTGRES_FORBIDDEN_FUNCTION_PREFIXES: readonly string[] = [
  'dblink',
  'lo_',
  'pg_read_',
  'pg_ls_',
  'pg_file_',
  'pg_advisory_',
  'pg_try_advisory_',
  'pg_replication_',
  'pg_create_',
  'pg_drop_',
];

/** ClickHouse table (and scalar) functions that reach files, URLs, object stores or other servers. */
export const CLICKHOUSE_FORBIDDEN_FUNCTIONS: ReadonlySet<string> = new Set(
  [
    'file',
    'fileCluster',
    'url',
    'urlCluster',
    's3',
    's3Cluster',
    'hdfs',
    'hdfsCluster',
    'remote',
    'remoteSecure',
    'cluster',
    'clusterAllReplicas',
    'mysql',
    'postgresql',
    'mongodb',
    'redis',
    'sqlite',
    'odbc',
    'jdbc',
    'executable',
    'input',
    'azureBlobStorage',
    'azureBlobStorageCluster',
    'gcs',
    'oss',
    'cosn',
    'hive',
    'deltaLake',
    'deltaLakeCluster',
    'iceberg',
    'icebergS3',
    'icebergAzure',
    'icebergHDFS',
    'icebergLocal',
    'icebergCluster',
    'icebergS3Cluster',
    'hudi',
    'hudiCluster',
  ].map((name) => name.toLowerCase()),
);

interface Violation {
  readonly code: SqlSafetyCode;
  readonly message: string;
  readonly found: string;
  readonly position: number;
}

/**
 * Classifies one SQL text for `dialect`: returns the single read-only statement it holds, or
 * throws explaining what was found and what is allowed.
 *
 * This is the second line of defence; callers must still run the statement under the engine's
 * read-only enforcement.
 *
 * @throws PermissionDeniedError `SQL.MULTIPLE_STATEMENTS`, `SQL.NOT_READ_ONLY`,
 *   `SQL.FORBIDDEN_FUNCTION` or `SQL.FORBIDDEN_CLAUSE`.
 * @throws ValidationError `SQL.EMPTY` or `SQL.UNTERMINATED`.
 */
export function classifyStatement(sql: string, dialect: SqlDialect): ReadStatement {
  const result = classifyTokens(sql, tokenizeSql(sql, dialect), dialect);
  if (dialect === 'postgresql' && sql.includes('\\')) {
    // The same text read as a server with standard_conforming_strings = off would read it.
    classifyTokens(sql, tokenizeSql(sql, dialect, { backslashEscapesInStrings: true }), dialect);
  }
  return result;
}

function classifyTokens(sql: string, all: readonly SqlToken[], dialect: SqlDialect): ReadStatement {
  const tokens = all.filter((t) => t.kind !== 'comment');
  const semicolon = tokens.findIndex((t) => isPunct(t, ';'));
  const body = semicolon < 0 ? tokens : tokens.slice(0, semicolon);
  const rest = semicolon < 0 ? [] : tokens.slice(semicolon).filter((t) => !isPunct(t, ';'));

  const first = body[0];
  if (first === undefined && rest[0] === undefined) {
    throw new ValidationError(
      `The SQL text is empty (only whitespace, comments or semicolons). Send one read-only statement: ${ALLOWED_STATEMENTS[dialect].join(', ')}.`,
      { code: SqlSafetyCode.Empty, details: { dialect, allowed: ALLOWED_STATEMENTS[dialect] } },
    );
  }
  if (first === undefined || rest[0] !== undefined) {
    const second = rest[0] ?? (tokens[semicolon] as SqlToken);
    throw deny(dialect, {
      code: SqlSafetyCode.MultipleStatements,
      message: `Found more than one statement (another one starts with "${second.text}" at offset ${second.start})`,
      found: second.text,
      position: second.start,
    });
  }

  const last = body[body.length - 1] as SqlToken;
  const statement = sql.slice(first.start, last.end);

  const violation = checkFirstKeyword(body, dialect) ?? scanTokens(body, dialect);
  if (violation) throw deny(dialect, violation);
  return { kind: 'read', statement };
}

function checkFirstKeyword(body: readonly SqlToken[], dialect: SqlDialect): Violation | undefined {
  let k = 0;
  while (k < body.length && isPunct(body[k], '(')) k += 1;
  const head = body[k] ?? body[0];
  if (head === undefined) return undefined;
  const word = head.kind === 'word' ? head.text.toUpperCase() : undefined;
  const allowed = k === 0 ? FIRST_KEYWORDS[dialect] : PARENTHESISED_FIRST;
  if (word !== undefined && allowed.has(word) && FIRST_KEYWORDS[dialect].has(word)) return undefined;
  const found = head.kind === 'word' ? (word ?? head.text) : head.text;
  return {
    code: SqlSafetyCode.NotReadOnly,
    message: `Found a statement starting with "${found}", which is not a read-only statement`,
    found,
    position: head.start,
  };
}

function scanTokens(body: readonly SqlToken[], dialect: SqlDialect): Violation | undefined {
  const firstWord = body.find((t) => !isPunct(t, '('))?.text.toUpperCase();
  for (let i = 0; i < body.length; i += 1) {
    const violation =
      checkFunction(body, i, dialect) ??
      checkClause(body, i, dialect, firstWord) ??
      checkKeyword(body, i, dialect, firstWord);
    if (violation) return violation;
  }
  return undefined;
}

function checkFunction(body: readonly SqlToken[], i: number, dialect: SqlDialect): Violation | undefined {
  const token = body[i] as SqlToken;
  if (token.kind !== 'word' && token.kind !== 'quoted-identifier') return undefined;
  const name = token.value.toLowerCase();
  const called = isPunct(body[i + 1], '(');
  const forbidden =
    dialect === 'postgresql'
      ? POSTGRES_FORBIDDEN_FUNCTIONS.has(name) ||
        POSTGRES_FORBIDDEN_FUNCTION_PREFIXES.some((p) => name.startsWith(p))
      : called && CLICKHOUSE_FORBIDDEN_FUNCTIONS.has(name);
  if (!forbidden) return undefined;
  const reason =
    dialect === 'postgresql'
      ? 'it reads server files, reaches other servers or sessions, or changes server state'
      : 'it reads or writes files, URLs, object storage or other servers';
  return {
    code: SqlSafetyCode.ForbiddenFunction,
    message: `Found the function ${token.value}() at offset ${token.start}, which is not allowed because ${reason}`,
    found: token.value,
    position: token.start,
  };
}

function checkClause(
  body: readonly SqlToken[],
  i: number,
  dialect: SqlDialect,
  firstWord: string | undefined,
): Violation | undefined {
  const token = body[i] as SqlToken;
  if (token.kind !== 'word' || isQualifiedPart(body, i)) return undefined;
  const word = token.text.toUpperCase();
  const clause = (found: string, why: string): Violation => ({
    code: SqlSafetyCode.ForbiddenClause,
    message: `Found the clause ${found} at offset ${token.start}, which is not allowed because ${why}`,
    found,
    position: token.start,
  });

  if (word === 'INTO') {
    return dialect === 'postgresql'
      ? clause('INTO', 'SELECT ... INTO creates a table; select the rows instead')
      : clause(
          wordAt(body, i + 1) === 'OUTFILE' ? 'INTO OUTFILE' : 'INTO',
          'INTO OUTFILE writes a file; the server returns the rows itself',
        );
  }
  if (dialect === 'postgresql' && word === 'FOR') {
    const a = wordAt(body, i + 1);
    const b = wordAt(body, i + 2);
    const c = wordAt(body, i + 3);
    if (
      a === 'UPDATE' ||
      a === 'SHARE' ||
      (a === 'NO' && b === 'KEY' && c === 'UPDATE') ||
      (a === 'KEY' && b === 'SHARE')
    ) {
      const found = ['FOR', a, a === 'NO' ? `${b} ${c}` : a === 'KEY' ? b : undefined]
        .filter(Boolean)
        .join(' ');
      return clause(found, 'row-locking clauses (FOR UPDATE / FOR SHARE) take locks; remove the clause');
    }
  }
  if (dialect === 'clickhouse' && word === 'SETTINGS') {
    const showSubject = firstWord === 'SHOW' && (i === 1 || (i === 2 && wordAt(body, 1) === 'CHANGED'));
    if (!showSubject) {
      return clause(
        'SETTINGS',
        'query settings (readonly, max_execution_time, ...) are fixed by the server; remove the SETTINGS clause',
      );
    }
  }
  if (dialect === 'clickhouse' && word === 'FORMAT' && !isPunct(body[i + 1], '(')) {
    return clause('FORMAT', 'the server chooses the result format; remove the FORMAT clause');
  }
  return undefined;
}

function checkKeyword(
  body: readonly SqlToken[],
  i: number,
  dialect: SqlDialect,
  firstWord: string | undefined,
): Violation | undefined {
  const token = body[i] as SqlToken;
  if (token.kind !== 'word' || isQualifiedPart(body, i)) return undefined;
  const word = token.text.toUpperCase();
  if (!FORBIDDEN_KEYWORDS.has(word)) return undefined;
  if (dialect === 'clickhouse') {
    // SHOW CREATE TABLE ... reads a definition.
    if (word === 'CREATE' && firstWord === 'SHOW' && i === 1) return undefined;
    // `system` as a database name: SHOW TABLES FROM system, ... IN system, DATABASE system.
    const before = wordAt(body, i - 1);
    if (word === 'SYSTEM' && (before === 'FROM' || before === 'IN' || before === 'DATABASE'))
      return undefined;
  }
  if (dialect === 'postgresql' && firstWord === 'EXPLAIN' && (word === 'ANALYZE' || word === 'ANALYSE')) {
    return {
      code: SqlSafetyCode.NotReadOnly,
      message: `Found EXPLAIN ${word} at offset ${token.start}, which executes the statement it explains; use EXPLAIN without ANALYZE`,
      found: `EXPLAIN ${word}`,
      position: token.start,
    };
  }
  const hint = STATEMENT_ONLY_KEYWORDS.has(word)
    ? ''
    : ` (if it is a column or table name, quote it: "${token.text}")`;
  return {
    code: SqlSafetyCode.NotReadOnly,
    message: `Found the keyword ${word} at offset ${token.start}, which writes or changes state${hint}`,
    found: word,
    position: token.start,
  };
}

function deny(dialect: SqlDialect, violation: Violation): PermissionDeniedError {
  const allowed = ALLOWED_STATEMENTS[dialect];
  return new PermissionDeniedError(
    `${violation.message}. Only one read-only statement per call is allowed: ${allowed.join(', ')}.`,
    {
      code: violation.code,
      details: { dialect, found: violation.found, position: violation.position, allowed },
    },
  );
}

function isPunct(token: SqlToken | undefined, ch: string): boolean {
  return token !== undefined && token.kind === 'punctuation' && token.text === ch;
}

function wordAt(body: readonly SqlToken[], i: number): string | undefined {
  const token = body[i];
  return token !== undefined && token.kind === 'word' ? token.text.toUpperCase() : undefined;
}

/** True when the word is part of a qualified name (`system.tables`, `t.update`). */
function isQualifiedPart(body: readonly SqlToken[], i: number): boolean {
  return isPunct(body[i - 1], '.') || isPunct(body[i + 1], '.');
}
