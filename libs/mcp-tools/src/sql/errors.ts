/**
 * Failures of the SQL tools, phrased for a model. The tools throw; the error boundary
 * (`server/error-boundary.ts`) turns every thrown error into an `isError` result with
 * `Error [CODE]: message`. This module only makes sure the message names the problem and
 * what to do next:
 *
 * - `withSqlAdvice` completes a datasource error whose message lacks a next step (the
 *   datasources already name unknown tables with near matches, syntax positions and time
 *   budgets; those pass through unchanged). The class, code, details and cause are kept.
 * - `requireOrganization` refuses tenant-scoped tools when the call has no organization.
 * - `writesDisabled` is the refusal of `read_only: false` without a write gate.
 */
import {
  DependencyError,
  LimitExceededError,
  NotFoundError,
  PermissionDeniedError,
  TfoError,
  ValidationError,
  type SqlEngine,
} from '@tfo/domain';
import type { ToolCallContext } from '../definitions.js';

/** Codes of the refusals raised by the SQL tools themselves. */
export const SqlToolErrorCode = {
  /** A tenant-scoped tool was called without an organization. */
  NoOrganization: 'TENANCY.NO_ORGANIZATION',
  /** `read_only: false` while the server's configuration allows no writes. */
  WritesDisabled: 'SQL.WRITES_DISABLED',
} as const;

const ENGINE_NAMES: Record<SqlEngine, string> = { postgresql: 'PostgreSQL', clickhouse: 'ClickHouse' };

/** The next step to append for codes whose datasource message has none. */
function adviceFor(code: string, engine: SqlEngine): string | undefined {
  const name = ENGINE_NAMES[engine];
  switch (code) {
    case 'DATASOURCE.UNREACHABLE':
      return `Check that ${name} is running and reachable, then retry; tools that do not use ${name} keep working.`;
    case 'DATASOURCE.FAILED':
    case 'DATASOURCE.QUERY_FAILED':
      return 'Retry; if it fails again, simplify the query or check the server log.';
    case 'DATASOURCE.QUERY_ERROR':
      return engine === 'clickhouse'
        ? 'Fix the query and retry (SHOW TABLES and DESCRIBE TABLE <name> list the tables and columns).'
        : 'Fix the query and retry.';
    case 'DATASOURCE.SYNTAX_ERROR':
      return 'Fix the SQL at that position and retry.';
    case 'DATASOURCE.PERMISSION_DENIED':
    case 'DATASOURCE.ACCESS_DENIED':
      return `The SQL tools log in to ${name} with a read-only account that may read the application tables only; server files, other sessions and administrative functions are out of reach. Query the tables instead.`;
    case 'DATASOURCE.READ_ONLY':
      return 'Send one read-only statement (SELECT, WITH ... SELECT, SHOW, EXPLAIN).';
    default:
      return undefined;
  }
}

function rebuild(error: TfoError, message: string): TfoError {
  const options = {
    code: error.code,
    cause: error.cause ?? error,
    ...(error.details === undefined ? {} : { details: error.details }),
  };
  if (error instanceof NotFoundError) return new NotFoundError(message, options);
  if (error instanceof PermissionDeniedError) return new PermissionDeniedError(message, options);
  if (error instanceof LimitExceededError) return new LimitExceededError(message, options);
  if (error instanceof DependencyError) return new DependencyError(message, options);
  if (error instanceof ValidationError) return new ValidationError(message, options);
  return error;
}

/**
 * Returns `error` with a next step appended when it is a datasource error whose message has
 * none; any other value is returned unchanged (the error boundary handles it).
 */
export function withSqlAdvice(error: unknown, engine: SqlEngine): unknown {
  if (!(error instanceof TfoError)) return error;
  const advice = adviceFor(error.code, engine);
  if (advice === undefined) return error;
  const base = error.message.trimEnd();
  if (base.includes(advice)) return error;
  // A message with an excerpt (a caret under the position) gets the advice on its own line.
  const separator = base.includes('\n') ? '\n' : /[.?!]$/.test(base) ? ' ' : '. ';
  return rebuild(error, `${base}${separator}${advice}`);
}

/**
 * The caller's organization, or a PermissionDeniedError naming the problem when the call has
 * none (tenant data is never read without one).
 */
export function requireOrganization(ctx: ToolCallContext, tool: string): string {
  const organizationId = ctx.organizationId;
  if (organizationId === undefined || organizationId === '') {
    throw new PermissionDeniedError(
      `${tool} reads one organization's data, and this session has no organization: the connection carried no ` +
        'identity naming one and the server has no default organization (tenancy.organizationId). ' +
        'Connect with an identity that names an organization, or ask the operator to configure one.',
      { code: SqlToolErrorCode.NoOrganization, details: { tool } },
    );
  }
  return organizationId;
}

/** The refusal of `read_only: false` when the server's configuration allows no writes. */
export function writesDisabled(tool: string, engine: SqlEngine): PermissionDeniedError {
  return new PermissionDeniedError(
    `Writes are disabled by the server's configuration, so ${tool} runs read-only statements only. ` +
      `Send the query with read_only true (the default) as one read-only ${ENGINE_NAMES[engine]} statement ` +
      '(SELECT, WITH ... SELECT, SHOW, EXPLAIN).',
    { code: SqlToolErrorCode.WritesDisabled, details: { tool, engine } },
  );
}
