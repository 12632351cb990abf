/**
 * Maps `@clickhouse/client` failures (a `ClickHouseError` whose `code` is the ClickHouse
 * error number as a string, or a transport error) to the domain's error taxonomy with
 * stable `DATASOURCE.*` codes.
 *
 * Invariants: nothing above this module depends on the driver's error shape; the original
 * error is kept as `cause` only; messages carry no credentials (driver messages never
 * contain the connection password, and we never add the URL).
 */
import {
  DependencyError,
  LimitExceededError,
  NotFoundError,
  PermissionDeniedError,
  TfoError,
  ValidationError,
  editDistance,
} from '@tfo/domain';
import { NETWORK_ERROR_CODES } from '../shared/network-errors.js';

/** ClickHouse error numbers this module gives a meaning to. */
export const CLICKHOUSE_ERROR_CODES = {
  UNKNOWN_IDENTIFIER: 47,
  UNKNOWN_TABLE: 60,
  SYNTAX_ERROR: 62,
  UNKNOWN_DATABASE: 81,
  TIMEOUT_EXCEEDED: 159,
  READONLY: 164,
  MEMORY_LIMIT_EXCEEDED: 241,
  QUERY_WAS_CANCELLED: 394,
  TOO_MANY_ROWS_OR_BYTES: 396,
  ACCESS_DENIED: 497,
} as const;

/** Facts about the failing query that make a mapped error actionable. */
export interface ErrorContext {
  /** The statement's time budget, when one applied. */
  timeoutMs?: number;
  /** True when our own timer (not the caller's signal) stopped the query. */
  timedOut?: boolean;
  /** True when the caller's AbortSignal stopped the query. */
  aborted?: boolean;
  /** Table names to suggest from when a table is unknown. */
  knownTables?: readonly string[];
}

/** Returns the ClickHouse error number carried by `error`, or undefined for transport errors. */
export function clickHouseCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const raw = (error as { code?: unknown }).code;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string' && /^\d+$/.test(raw)) return Number(raw);
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string') {
    const m = /^Code: (\d+)\./.exec(message);
    if (m?.[1] !== undefined) return Number(m[1]);
  }
  return undefined;
}

/** True when `error` says the engine could not be reached (network, closed embedded engine). */
export function isUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  const message = String((error as { message?: unknown }).message ?? '');
  return /socket hang up|ECONNREFUSED|ENOTFOUND|connection is closed|Timeout error|EHOSTUNREACH/i.test(
    message,
  );
}

/** Extracts the table name from an unknown-table message (server and chdb phrasings). */
export function unknownTableName(message: string): string | undefined {
  const patterns = [
    /Unknown table expression identifier '([^']+)'/,
    /Table ([\w.`]+) does not exist/,
    /Unknown table '([^']+)'/,
  ];
  for (const p of patterns) {
    const m = p.exec(message);
    if (m?.[1] !== undefined) return m[1].replace(/`/g, '');
  }
  return undefined;
}

/**
 * Up to `limit` names from `candidates` close to `name` (edit distance within a third of its
 * length, or sharing a prefix/substring), closest first.
 */
export function nearMatches(name: string, candidates: readonly string[], limit = 5): string[] {
  const bare = (name.split('.').pop() ?? name).toLowerCase();
  const scored = candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const d = editDistance(bare, lc);
      const related = lc.includes(bare) || bare.includes(lc);
      return { c, d: related ? Math.min(d, 1) : d };
    })
    .filter(({ d }) => d <= Math.max(2, Math.ceil(bare.length / 3)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return [...new Set(scored.map(({ c }) => c))].slice(0, limit);
}

/** Parses `failed at position N (...) (line L, col C)` from a syntax error message. */
export function syntaxPosition(message: string): { position?: number; line?: number; column?: number } {
  const pos = /failed at position (\d+)/.exec(message);
  const lc = /\(line (\d+), col (\d+)\)/.exec(message);
  return {
    ...(pos?.[1] === undefined ? {} : { position: Number(pos[1]) }),
    ...(lc?.[1] === undefined || lc[2] === undefined ? {} : { line: Number(lc[1]), column: Number(lc[2]) }),
  };
}

/** The first line of a ClickHouse message without the `Code: N. DB::Exception:` prefix. */
function cleanMessage(message: string): string {
  return (message.split('\n')[0] ?? message)
    .replace(/^Code: \d+\.\s*/, '')
    .replace(/^DB::Exception:\s*/, '')
    .trim();
}

/** Maps any failure of a ClickHouse call to a {@link TfoError} with a `DATASOURCE.*` code. */
export function mapClickHouseError(error: unknown, context: ErrorContext = {}): TfoError {
  if (error instanceof TfoError) return error;
  const code = clickHouseCodeOf(error);
  const raw = error instanceof Error ? error.message : String(error);
  const message = cleanMessage(raw);
  const details: Record<string, unknown> = code === undefined ? {} : { clickhouseCode: code };
  const budget =
    context.timeoutMs === undefined ? 'its time budget' : `its time budget of ${context.timeoutMs} ms`;

  if (context.timedOut || code === CLICKHOUSE_ERROR_CODES.TIMEOUT_EXCEEDED) {
    return new LimitExceededError(
      `The query ran past ${budget} and was stopped. Narrow it: add a WHERE condition on the time column, aggregate, or query a rollup table.`,
      {
        code: 'DATASOURCE.QUERY_TIMEOUT',
        cause: error,
        details: { ...details, timeoutMs: context.timeoutMs },
      },
    );
  }
  if (context.aborted || code === CLICKHOUSE_ERROR_CODES.QUERY_WAS_CANCELLED) {
    return new LimitExceededError('The query was cancelled before it finished.', {
      code: 'DATASOURCE.QUERY_CANCELLED',
      cause: error,
      details,
    });
  }
  switch (code) {
    case CLICKHOUSE_ERROR_CODES.UNKNOWN_TABLE:
    case CLICKHOUSE_ERROR_CODES.UNKNOWN_DATABASE: {
      const table = unknownTableName(raw);
      const near = table === undefined ? [] : nearMatches(table, context.knownTables ?? []);
      const suggestion = near.length > 0 ? ` Did you mean: ${near.join(', ')}?` : '';
      return new NotFoundError(
        `${table === undefined ? message : `Unknown table '${table}'.`}${suggestion}`,
        {
          code: 'DATASOURCE.UNKNOWN_TABLE',
          cause: error,
          details: { ...details, ...(table === undefined ? {} : { table }), nearMatches: near },
        },
      );
    }
    case CLICKHOUSE_ERROR_CODES.SYNTAX_ERROR: {
      const where = syntaxPosition(raw);
      return new ValidationError(`Syntax error: ${message}`, {
        code: 'DATASOURCE.SYNTAX_ERROR',
        cause: error,
        details: { ...details, ...where },
      });
    }
    case CLICKHOUSE_ERROR_CODES.READONLY:
      return new PermissionDeniedError(
        `The datasource is read-only: ${message} Only SELECT-style queries are allowed.`,
        { code: 'DATASOURCE.READ_ONLY', cause: error, details },
      );
    case CLICKHOUSE_ERROR_CODES.ACCESS_DENIED:
      return new PermissionDeniedError(`Access denied by ClickHouse: ${message}`, {
        code: 'DATASOURCE.ACCESS_DENIED',
        cause: error,
        details,
      });
    case CLICKHOUSE_ERROR_CODES.MEMORY_LIMIT_EXCEEDED:
    case CLICKHOUSE_ERROR_CODES.TOO_MANY_ROWS_OR_BYTES:
      return new LimitExceededError(
        `${message} Narrow the query: add WHERE conditions, aggregate, or add LIMIT.`,
        {
          code: 'DATASOURCE.RESOURCE_LIMIT',
          cause: error,
          details,
        },
      );
    case undefined:
      if (isUnreachable(error)) {
        return new DependencyError(`ClickHouse is unreachable: ${message}`, {
          code: 'DATASOURCE.UNREACHABLE',
          cause: error,
        });
      }
      return new DependencyError(`ClickHouse call failed: ${message}`, {
        code: 'DATASOURCE.FAILED',
        cause: error,
      });
    default:
      return new ValidationError(`ClickHouse rejected the query: ${message}`, {
        code: 'DATASOURCE.QUERY_ERROR',
        cause: error,
        details,
      });
  }
}
