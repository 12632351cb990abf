import { describe, expect, it } from '@jest/globals';
import {
  DependencyError,
  LimitExceededError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
  noopLogger,
} from '@tfo/domain';
import { detachedCallContext, type ToolCallContext } from '../definitions.js';
import { requireOrganization, withSqlAdvice, writesDisabled } from './errors.js';

const ctx = (organizationId: string | undefined): ToolCallContext =>
  detachedCallContext({
    logger: noopLogger,
    signal: new AbortController().signal,
    sessionId: 's',
    organizationId,
  });

describe('withSqlAdvice', () => {
  it('appends a next step to an unreachable engine and keeps class, code, details and cause', () => {
    const cause = new Error('socket hang up');
    const original = new DependencyError('ClickHouse is unreachable: socket hang up', {
      code: 'DATASOURCE.UNREACHABLE',
      cause,
      details: { x: 1 },
    });
    const advised = withSqlAdvice(original, 'clickhouse') as DependencyError;
    expect(advised).toBeInstanceOf(DependencyError);
    expect(advised.code).toBe('DATASOURCE.UNREACHABLE');
    expect(advised.details).toEqual({ x: 1 });
    expect(advised.cause).toBe(cause);
    expect(advised.message).toBe(
      'ClickHouse is unreachable: socket hang up. Check that ClickHouse is running and reachable, then retry; ' +
        'tools that do not use ClickHouse keep working.',
    );
  });

  it('explains a permission error from the read-only login', () => {
    const advised = withSqlAdvice(
      new PermissionDeniedError('Permission denied: permission denied for function pg_ls_waldir', {
        code: 'DATASOURCE.PERMISSION_DENIED',
      }),
      'postgresql',
    ) as PermissionDeniedError;
    expect(advised).toBeInstanceOf(PermissionDeniedError);
    expect(advised.message).toContain('read-only account');
  });

  it('passes errors that already say what to do through unchanged', () => {
    const unknownTable = new NotFoundError('Unknown table "userz"; did you mean "users"?', {
      code: 'DATASOURCE.UNKNOWN_TABLE',
    });
    const timeout = new LimitExceededError('The query exceeded its time budget of 1000 ms ...', {
      code: 'DATASOURCE.QUERY_TIMEOUT',
    });
    const classifier = new PermissionDeniedError('Found the keyword DROP ...', { code: 'SQL.NOT_READ_ONLY' });
    for (const error of [unknownTable, timeout, classifier]) {
      expect(withSqlAdvice(error, 'postgresql')).toBe(error);
    }
    const plain = new Error('boom');
    expect(withSqlAdvice(plain, 'postgresql')).toBe(plain);
  });

  it('adds a syntax hint once, after the position the datasource gave', () => {
    const error = new ValidationError('Syntax error: failed at position 8 (line 1, col 8)', {
      code: 'DATASOURCE.SYNTAX_ERROR',
    });
    const once = withSqlAdvice(error, 'clickhouse') as ValidationError;
    expect(once.message).toBe(
      'Syntax error: failed at position 8 (line 1, col 8). Fix the SQL at that position and retry.',
    );
    expect(withSqlAdvice(once, 'clickhouse')).toBe(once);
  });

  it('puts the advice on its own line after an excerpt with a caret', () => {
    const error = new ValidationError(
      'SQL syntax error: at position 8 (line 1, column 8):\n  SELECT (\n         ^',
      {
        code: 'DATASOURCE.SYNTAX_ERROR',
      },
    );
    expect((withSqlAdvice(error, 'postgresql') as ValidationError).message).toBe(
      'SQL syntax error: at position 8 (line 1, column 8):\n  SELECT (\n         ^\nFix the SQL at that position and retry.',
    );
  });
});

describe('requireOrganization', () => {
  it('returns the organization of the call', () => {
    expect(requireOrganization(ctx('org-1'), 'ch_api_usage')).toBe('org-1');
  });

  it('refuses without one, naming the tool and the fix', () => {
    for (const missing of [undefined, '']) {
      let thrown: unknown;
      try {
        requireOrganization(ctx(missing), 'ch_api_usage');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(PermissionDeniedError);
      expect((thrown as PermissionDeniedError).code).toBe('TENANCY.NO_ORGANIZATION');
      expect((thrown as PermissionDeniedError).message).toMatch(/ch_api_usage .*no organization/);
      expect((thrown as PermissionDeniedError).message).toContain('tenancy.organizationId');
    }
  });
});

describe('writesDisabled', () => {
  it('says writes are disabled by configuration and the query must be read-only', () => {
    const error = writesDisabled('pg_query', 'postgresql');
    expect(error.code).toBe('SQL.WRITES_DISABLED');
    expect(error.message).toContain("Writes are disabled by the server's configuration");
    expect(error.message).toContain('read_only true');
    expect(error.message).toContain('read-only PostgreSQL statement');
  });
});
