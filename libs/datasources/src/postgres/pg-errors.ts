/**
 * Maps node-postgres failures onto the domain error taxonomy with stable codes,
 * keyed on SQLSTATE (server errors) or the socket error code (network failures).
 *
 * Invariants:
 * - A mapped message never contains a connection string, host, user or password:
 *   network failures are described by their error code only, and server messages
 *   (which never carry credentials) are quoted as they are.
 * - The original error is kept as `cause` for logs; `details` stay secret-free.
 */
import {
  DependencyError,
  LimitExceededError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
  type TfoError,
  editDistance,
} from '@tfo/domain';
import { NETWORK_ERROR_CODES } from '../shared/network-errors.js';

/** The fields of a node-postgres `DatabaseError` (or a socket error) that we read. */
interface PgErrorLike {
  message?: string;
  code?: string;
  position?: string;
  hint?: string;
  detail?: string;
}

/** What the caller knows about the failed statement, used to phrase the error. */
export interface PgErrorContext {
  /** The statement text (used to show a syntax error's position). */
  sql?: string;
  /** The time budget that applied, in milliseconds. */
  timeoutMs?: number;
  /** True when the caller's AbortSignal fired (a 57014 is then a cancellation). */
  aborted?: boolean;
  /** Table names similar to an unknown one, when already looked up. */
  nearMatches?: readonly string[];
}

function asPgError(error: unknown): PgErrorLike {
  return typeof error === 'object' && error !== null ? (error as PgErrorLike) : { message: String(error) };
}

/** The relation named in a 42P01 message (`relation "x" does not exist`), if any. */
export function unknownRelationName(error: unknown): string | undefined {
  const match = /relation "([^"]+)" does not exist/.exec(asPgError(error).message ?? '');
  return match?.[1];
}

/** True when `error` is a PostgreSQL server error with this SQLSTATE. */
export function hasSqlState(error: unknown, sqlState: string): boolean {
  return asPgError(error).code === sqlState;
}

/** Line, column and a caret excerpt for a 1-based character position in `sql`. */
function describePosition(sql: string, position: number): string {
  const before = sql.slice(0, position - 1);
  const line = before.split('\n').length;
  const column = position - 1 - before.lastIndexOf('\n');
  const lineText = sql.split('\n')[line - 1] ?? '';
  const excerpt = lineText.length > 200 ? lineText.slice(0, 200) + '…' : lineText;
  return `position ${position} (line ${line}, column ${column}):\n  ${excerpt}\n  ${' '.repeat(
    Math.max(0, Math.min(column - 1, 200)),
  )}^`;
}

/**
 * Translates a node-postgres error into a domain error. Known SQLSTATEs get stable
 * `DATASOURCE.*` codes; anything else becomes `DATASOURCE.QUERY_FAILED`.
 */
export function mapPgError(error: unknown, context: PgErrorContext = {}): TfoError {
  const pgError = asPgError(error);
  const sqlState = pgError.code ?? '';
  const serverMessage = pgError.message ?? 'unknown error';
  const details: Record<string, unknown> = sqlState ? { sqlState } : {};

  if (NETWORK_ERROR_CODES.has(sqlState) || /Connection terminated|connection timeout/i.test(serverMessage)) {
    return new DependencyError(
      `PostgreSQL is unreachable (${sqlState || 'connection lost'}); check that the server is running and reachable, then retry`,
      { code: 'DATASOURCE.UNREACHABLE', cause: error, details },
    );
  }

  switch (sqlState) {
    case '42P01': {
      const table = unknownRelationName(error);
      const near = context.nearMatches ?? [];
      const suggestion = near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : '';
      return new NotFoundError(
        `Unknown table ${table === undefined ? '' : `"${table}"`}${suggestion || '; list the tables to see what exists'}`,
        { code: 'DATASOURCE.UNKNOWN_TABLE', cause: error, details: { ...details, table, nearMatches: near } },
      );
    }
    case '42601': {
      if (/multiple commands/i.test(serverMessage)) {
        return new ValidationError(
          'Only one SQL statement is allowed per query; send each statement separately',
          { code: 'DATASOURCE.MULTIPLE_STATEMENTS', cause: error, details },
        );
      }
      const position = Number(pgError.position);
      const where =
        Number.isInteger(position) && position > 0 && context.sql !== undefined
          ? ` at ${describePosition(context.sql, position)}`
          : '';
      return new ValidationError(`SQL syntax error: ${serverMessage}${where}`, {
        code: 'DATASOURCE.SYNTAX_ERROR',
        cause: error,
        details: { ...details, ...(Number.isInteger(position) ? { position } : {}) },
      });
    }
    case '57014':
      if (context.aborted) {
        return new LimitExceededError('The query was cancelled by the caller and stopped on the server', {
          code: 'DATASOURCE.QUERY_CANCELLED',
          cause: error,
          details,
        });
      }
      return new LimitExceededError(
        `The query exceeded its time budget of ${context.timeoutMs ?? '?'} ms and was stopped on the server; ` +
          'narrow it (a shorter time range, a WHERE clause on an indexed column, a LIMIT) and retry',
        {
          code: 'DATASOURCE.QUERY_TIMEOUT',
          cause: error,
          details: { ...details, timeoutMs: context.timeoutMs },
        },
      );
    case '55P03':
      return new LimitExceededError('The query waited too long for a lock and was stopped; retry later', {
        code: 'DATASOURCE.LOCK_TIMEOUT',
        cause: error,
        details,
      });
    case '25006':
      return new PermissionDeniedError(
        `This datasource is read-only: ${serverMessage}. Only SELECT-style queries are allowed`,
        { code: 'DATASOURCE.READ_ONLY', cause: error, details },
      );
    case '42501':
      return new PermissionDeniedError(`Permission denied: ${serverMessage}`, {
        code: 'DATASOURCE.PERMISSION_DENIED',
        cause: error,
        details,
      });
    case '28P01':
    case '28000':
      return new DependencyError(
        'PostgreSQL rejected the credentials; check the configured user and password',
        {
          code: 'DATASOURCE.AUTH_FAILED',
          cause: error,
          details,
        },
      );
    case '42703':
      return new ValidationError(
        `Unknown column: ${serverMessage}${pgError.hint ? `. ${pgError.hint}` : ''}`,
        {
          code: 'DATASOURCE.UNKNOWN_COLUMN',
          cause: error,
          details,
        },
      );
    default:
      break;
  }
  if (sqlState.startsWith('42') || sqlState.startsWith('22')) {
    return new ValidationError(`Invalid query: ${serverMessage}${pgError.hint ? `. ${pgError.hint}` : ''}`, {
      code: 'DATASOURCE.INVALID_QUERY',
      cause: error,
      details,
    });
  }
  if (sqlState.startsWith('08') || sqlState.startsWith('57P')) {
    return new DependencyError(`PostgreSQL connection failed (${sqlState}); retry shortly`, {
      code: 'DATASOURCE.UNREACHABLE',
      cause: error,
      details,
    });
  }
  return new DependencyError(
    `PostgreSQL query failed${sqlState ? ` (SQLSTATE ${sqlState})` : ''}: ${sqlState ? serverMessage : 'driver error'}`,
    { code: 'DATASOURCE.QUERY_FAILED', cause: error, details },
  );
}

/** Up to `limit` names closest to `wanted` (edit distance, substring matches first). */
export function nearestNames(wanted: string, candidates: readonly string[], limit = 3): string[] {
  const target = wanted.toLowerCase().replace(/^.*\./, '');
  return candidates
    .map((name) => {
      const lower = name.toLowerCase();
      const bare = lower.replace(/^.*\./, '');
      const contains = bare.includes(target) || target.includes(bare);
      return { name, score: editDistance(target, bare) - (contains ? 3 : 0) };
    })
    .filter((c) => c.score <= Math.max(3, Math.floor(target.length / 2)))
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((c) => c.name);
}
