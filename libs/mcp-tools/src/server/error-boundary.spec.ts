import { describe, expect, it } from '@jest/globals';
import {
  ConfigurationError,
  DependencyError,
  InvalidStateError,
  LimitExceededError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
  type LogFn,
  type Logger,
  type LogLevel,
} from '@tfo/domain';
import { describeError, toolErrorResult } from './error-boundary.js';

interface Line {
  level: LogLevel;
  fields: Record<string, unknown>;
  message: string | undefined;
}

/** A Logger port that keeps what it is given. */
function recordingLogger(
  lines: Line[] = [],
  bindings: Record<string, unknown> = {},
): Logger & { lines: Line[] } {
  const at =
    (level: LogLevel): LogFn =>
    (first: object | string, message?: string) => {
      if (typeof first === 'string') lines.push({ level, fields: { ...bindings }, message: first });
      else lines.push({ level, fields: { ...bindings, ...first }, message });
    };
  return {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}

const REF = 'ref-1234';

describe('describeError', () => {
  it('passes the code and message of an expected domain error through', () => {
    const cases = [
      [new ValidationError('bad input'), 'VALIDATION.INVALID_ARGUMENT'],
      [new NotFoundError('no such file'), 'NOT_FOUND'],
      [new PermissionDeniedError('outside the roots'), 'PERMISSION.DENIED'],
      [new LimitExceededError('too big'), 'LIMIT.EXCEEDED'],
      [new InvalidStateError('not ready'), 'STATE.INVALID_TRANSITION'],
      [new ConfigurationError('bad config'), 'CONFIG.INVALID'],
      [new ValidationError('custom', { code: 'VALIDATION.CUSTOM' }), 'VALIDATION.CUSTOM'],
    ] as const;
    for (const [error, code] of cases) {
      expect(describeError(error, REF)).toEqual({ code, message: error.message, expected: true });
    }
  });

  it('passes an unexpected domain error through but marks it unexpected', () => {
    const error = new DependencyError('ClickHouse is unreachable', { code: 'DATASOURCE.UNREACHABLE' });
    expect(describeError(error, REF)).toEqual({
      code: 'DATASOURCE.UNREACHABLE',
      message: 'ClickHouse is unreachable',
      expected: false,
    });
  });

  it('maps known Node errno errors to SYSTEM codes without the original message', () => {
    for (const errno of ['EACCES', 'EPERM', 'ENOSPC', 'EISDIR', 'ENOTDIR', 'EMFILE', 'EBUSY']) {
      const error = Object.assign(new Error(`${errno}: open '/secret/internal/path'`), { code: errno });
      const described = describeError(error, REF);
      expect(described.code).toBe(`SYSTEM.${errno}`);
      expect(described.expected).toBe(true);
      expect(described.message).toContain(`(${errno})`);
      expect(described.message).not.toContain('/secret/internal/path');
    }
    expect(describeError(Object.assign(new Error('x'), { code: 'ENOSPC' }), REF).message).toBe(
      'The disk is full. (ENOSPC)',
    );
  });

  it('answers anything else as INTERNAL with the reference and without the internal message', () => {
    const inputs: unknown[] = [
      new Error('password=hunter2 at db.internal:5432'),
      Object.assign(new Error('password=hunter2 in errno we do not map'), { code: 'ECONNRESET' }),
      new TypeError("Cannot read properties of undefined (reading 'hunter2')"),
      'password=hunter2',
      { message: 'password=hunter2' },
      null,
      undefined,
      42,
    ];
    for (const input of inputs) {
      const described = describeError(input, REF);
      expect(described.code).toBe('INTERNAL');
      expect(described.expected).toBe(false);
      expect(described.message).toContain(`reference ${REF}`);
      expect(described.message).not.toContain('hunter2');
    }
  });
});

describe('toolErrorResult', () => {
  it('turns an expected error into an isError result and logs it at info', () => {
    const logger = recordingLogger();
    const result = toolErrorResult(new PermissionDeniedError('Access denied: "x"'), 'read_file', REF, logger);
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Error [PERMISSION.DENIED]: Access denied: "x"' }],
      structuredContent: {
        error: { code: 'PERMISSION.DENIED', message: 'Access denied: "x"', reference: REF },
      },
      isError: true,
    });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toEqual({
      level: 'info',
      fields: { tool: 'read_file', code: 'PERMISSION.DENIED', reference: REF },
      message: 'tool refused: Access denied: "x"',
    });
  });

  it('logs a mapped errno error at info', () => {
    const logger = recordingLogger();
    const error = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const result = toolErrorResult(error, 'write_file', REF, logger);
    expect(result.content[0]).toEqual({
      type: 'text',
      text: 'Error [SYSTEM.EACCES]: The server process has no permission for this path. (EACCES)',
    });
    expect(logger.lines.map((l) => l.level)).toEqual(['info']);
  });

  it('logs an unexpected error in full at error and answers with the reference only', () => {
    const logger = recordingLogger();
    const boom = new Error('secret internal detail');
    const result = toolErrorResult(boom, 'echo', REF, logger);
    expect(result.isError).toBe(true);
    const text = (result.content[0] as { text: string }).text;
    expect(text.startsWith('Error [INTERNAL]: ')).toBe(true);
    expect(text).toContain(REF);
    expect(text).not.toContain('secret internal detail');
    expect(result.structuredContent).toEqual({
      error: { code: 'INTERNAL', message: text.slice('Error [INTERNAL]: '.length), reference: REF },
    });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toEqual({
      level: 'error',
      fields: { tool: 'echo', code: 'INTERNAL', reference: REF, err: boom },
      message: 'tool failed',
    });
  });

  it('logs an unexpected domain error at error but shows its message', () => {
    const logger = recordingLogger();
    const result = toolErrorResult(new DependencyError('PostgreSQL is down'), 'query', REF, logger);
    expect((result.content[0] as { text: string }).text).toBe(
      'Error [DEPENDENCY.FAILED]: PostgreSQL is down',
    );
    expect(logger.lines.map((l) => l.level)).toEqual(['error']);
  });
});
