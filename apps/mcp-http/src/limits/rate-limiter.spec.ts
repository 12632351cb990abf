/**
 * The token-bucket rate limiter under a hand-driven clock: burst, steady refill, Retry-After,
 * the two rate classes, per-credential isolation and bounded memory.
 */
import { describe, it, expect } from '@jest/globals';
import type { Clock } from '@tfo/domain';
import { TokenBucketRateLimiter } from './rate-limiter.js';

class ManualClock implements Clock {
  constructor(private ms = Date.UTC(2030, 0, 1)) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

const LIMITS = { userRequestsPerMinute: 60, serviceRequestsPerMinute: 600, burst: 5 };

function takeMany(
  limiter: TokenBucketRateLimiter,
  n: number,
  id = 'k',
  rateClass: 'user' | 'service' = 'user',
) {
  return Array.from({ length: n }, () => limiter.take(id, rateClass).ok);
}

describe('TokenBucketRateLimiter', () => {
  it('lets a burst through at once, then refuses with the wait for the next request', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(LIMITS, { clock });
    expect(takeMany(limiter, 5)).toEqual([true, true, true, true, true]);
    expect(limiter.take('k', 'user')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('refills at the per-minute rate and never above the burst', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(LIMITS, { clock });
    takeMany(limiter, 5);
    clock.advance(3_000); // 60 per minute: three requests
    expect(takeMany(limiter, 4)).toEqual([true, true, true, false]);
    clock.advance(3_600_000);
    expect(takeMany(limiter, 6)).toEqual([true, true, true, true, true, false]);
  });

  it('gives the service class its own, larger rate', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(LIMITS, { clock });
    takeMany(limiter, 5, 'svc', 'service');
    takeMany(limiter, 5, 'usr', 'user');
    clock.advance(1_000); // service: 10 per second; user: 1 per second
    expect(takeMany(limiter, 6, 'svc', 'service')).toEqual([true, true, true, true, true, false]);
    expect(takeMany(limiter, 2, 'usr', 'user')).toEqual([true, false]);
  });

  it('answers Retry-After in whole seconds, rounded up, at least one', () => {
    const clock = new ManualClock();
    const slow = new TokenBucketRateLimiter({ ...LIMITS, userRequestsPerMinute: 1, burst: 1 }, { clock });
    expect(slow.take('k', 'user').ok).toBe(true);
    expect(slow.take('k', 'user')).toEqual({ ok: false, retryAfterSeconds: 60 });
    clock.advance(59_500);
    expect(slow.take('k', 'user')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(500);
    expect(slow.take('k', 'user').ok).toBe(true);
    clock.advance(20_250);
    expect(slow.take('k', 'user')).toEqual({ ok: false, retryAfterSeconds: 40 });
  });

  it('keeps one budget per credential', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(LIMITS, { clock });
    takeMany(limiter, 5, 'a');
    expect(limiter.take('a', 'user').ok).toBe(false);
    expect(limiter.take('b', 'user').ok).toBe(true);
  });

  it('gains nothing from a clock that steps back', () => {
    let ms = Date.UTC(2030, 0, 1);
    const limiter = new TokenBucketRateLimiter(LIMITS, { clock: { now: () => new Date(ms) } });
    takeMany(limiter, 5);
    ms -= 60_000;
    expect(limiter.take('k', 'user').ok).toBe(false);
    ms += 60_000;
    expect(limiter.take('k', 'user').ok).toBe(false);
  });

  it('drops buckets that have refilled, at the next sweep', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(LIMITS, { clock, sweepIntervalMs: 10_000 });
    for (let i = 0; i < 100; i++) limiter.take(`idle-${i}`, 'user');
    clock.advance(9_000);
    takeMany(limiter, 5, 'busy');
    expect(limiter.size).toBe(101);
    clock.advance(1_000); // the sweep: idle buckets are full again, 'busy' has one request back
    expect(limiter.take('busy', 'user').ok).toBe(true);
    expect(limiter.size).toBe(1);
    expect(limiter.take('busy', 'user').ok).toBe(false);
  });

  it('holds at most maxBuckets, dropping the least recently used', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(LIMITS, { clock, maxBuckets: 3 });
    takeMany(limiter, 5, 'a');
    takeMany(limiter, 5, 'b');
    takeMany(limiter, 5, 'c');
    limiter.take('a', 'user'); // a is now the most recently used
    limiter.take('d', 'user');
    expect(limiter.size).toBe(3);
    expect(limiter.take('a', 'user').ok).toBe(false);
    expect(limiter.take('c', 'user').ok).toBe(false);
    expect(limiter.take('b', 'user').ok).toBe(true); // forgotten: starts full again
  });

  it('refuses limits below one', () => {
    expect(() => new TokenBucketRateLimiter({ ...LIMITS, burst: 0 })).toThrow(/limits\.burst/);
    expect(() => new TokenBucketRateLimiter({ ...LIMITS, userRequestsPerMinute: Number.NaN })).toThrow(
      /userRequestsPerMinute/,
    );
  });
});
