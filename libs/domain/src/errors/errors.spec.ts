import { describe, expect, it } from '@jest/globals';
import { DependencyError, isExpectedError, isTfoError, NotFoundError, ValidationError } from './errors.js';
import { McpErrorCode } from './mcp-error-codes.js';

describe('error taxonomy', () => {
  it('carries a stable code, name, details and cause', () => {
    const cause = new Error('ECONNREFUSED');
    const e = new DependencyError('ClickHouse unreachable', {
      code: 'DATASOURCE.UNREACHABLE',
      cause,
      details: { engine: 'clickhouse' },
    });
    expect(e.name).toBe('DependencyError');
    expect(e.code).toBe('DATASOURCE.UNREACHABLE');
    expect(e.cause).toBe(cause);
    expect(e.details).toEqual({ engine: 'clickhouse' });
    expect(isTfoError(e)).toBe(true);
    expect(isExpectedError(e)).toBe(false);
    expect(new ValidationError('bad').code).toBe('VALIDATION.INVALID_ARGUMENT');
    expect(isExpectedError(new NotFoundError('missing'))).toBe(true);
    expect(isExpectedError(new Error('plain'))).toBe(false);
  });

  it('keeps the original MCP codes', () => {
    expect(McpErrorCode.ToolNotFound).toBe(-32001);
    expect(McpErrorCode.ResourceNotFound).toBe(-32002);
    expect(McpErrorCode.PromptNotFound).toBe(-32003);
    expect(McpErrorCode.UnsupportedProtocolVersion).toBe(-32010);
    expect(McpErrorCode.ParseError).toBe(-32700);
  });
});
