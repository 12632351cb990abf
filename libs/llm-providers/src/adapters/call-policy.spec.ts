import { describe, expect, it } from '@jest/globals';
import { DependencyError, PermissionDeniedError, ValidationError } from '@tfo/domain';
import { failureToError, parseRetryAfter, redact, resolvePolicy } from './call-policy.js';

const TARGET = { provider: 'qwen', displayName: 'Qwen', apiKeyVariable: 'QWEN_API_KEY', apiKey: 'sk-abc123' };
const CONTEXT = { attempts: 3, timeoutMs: 500, cause: undefined };

describe('call policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('redacts the key wherever it appears', () => {
    expect(redact('key sk-abc123 and sk-abc123', 'sk-abc123')).toBe('key [redacted] and [redacted]');
    expect(redact('nothing', undefined)).toBe('nothing');
  });

  it('maps statuses onto the domain errors', () => {
    const http = (status: number, message = 'said sk-abc123') =>
      failureToError({ kind: 'http', status, message, retryAfter: undefined }, TARGET, CONTEXT);
    const denied = http(403);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied.message).toContain('QWEN_API_KEY');
    expect(denied.message).not.toContain('sk-abc123');
    expect(http(404)).toBeInstanceOf(ValidationError);
    expect(http(404).message).toContain('said [redacted]');
    expect(http(502).code).toBe('LLM.PROVIDER_UNAVAILABLE');
    expect(failureToError({ kind: 'timeout' }, TARGET, CONTEXT).details).toMatchObject({ timeoutMs: 500 });
    expect(failureToError({ kind: 'aborted' }, TARGET, CONTEXT)).toBeInstanceOf(DependencyError);
  });

  it('fills defaults and rejects bad settings', () => {
    expect(resolvePolicy()).toMatchObject({ timeoutMs: 120_000, maxRetries: 2 });
    expect(() => resolvePolicy({ retry: { maxRetries: -1 } })).toThrow(/retry.maxRetries/);
    expect(() => resolvePolicy({ timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
