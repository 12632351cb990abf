/**
 * The SQL safety classifier: the second layer of the SQL safety stack (engine-enforced
 * read-only is the first). Pure functions, no I/O.
 */
export {
  ALLOWED_STATEMENTS,
  CLICKHOUSE_FORBIDDEN_FUNCTIONS,
  classifyStatement,
  FORBIDDEN_KEYWORDS,
  POSTGRES_FORBIDDEN_FUNCTION_PREFIXES,
  POSTGRES_FORBIDDEN_FUNCTIONS,
  type ReadStatement,
  SqlSafetyCode,
} from './classify.js';
export {
  type SqlDialect,
  type SqlLexerOptions,
  type SqlToken,
  type SqlTokenKind,
  tokenizeSql,
} from './sql-lexer.js';
