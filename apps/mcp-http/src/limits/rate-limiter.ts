/**
 * Per-credential request budget of the HTTP server: one token bucket per credential.
 *
 * Invariants:
 * - A bucket holds at most `burst` requests and refills at the credential's per-minute rate
 *   (`userRequestsPerMinute` or `serviceRequestsPerMinute`): a caller may send `burst`
 *   requests at once, then keeps its steady rate.
 * - A refused request costs nothing; its `retryAfterSeconds` is the wait until one request
 *   is available again, in whole seconds, at least 1 (the value of a `Retry-After` header).
 * - Memory is bounded: a bucket that has refilled to full is the same as no bucket, so idle
 *   buckets are dropped at each sweep (once per `sweepIntervalMs`, during a `take`); past
 *   `maxBuckets`, the least recently used bucket is dropped, which can only be lenient.
 * - Time comes from the injected clock only; nothing here starts a timer.
 */
import type { Clock } from '@tfo/domain';
import type { RateClass, RateLimiter } from '../auth/types.js';

/** Budgets of the two rate classes (the `limits` configuration section). */
export interface RateLimits {
  userRequestsPerMinute: number;
  serviceRequestsPerMinute: number;
  /** Requests a credential may send at once above its steady rate (the bucket's size). */
  burst: number;
}

/** Options of {@link TokenBucketRateLimiter}. */
export interface TokenBucketRateLimiterOptions {
  clock?: Clock;
  /** Most buckets kept at once. Default 50 000. */
  maxBuckets?: number;
  /** Time between two sweeps of idle buckets, in milliseconds. Default 60 000. */
  sweepIntervalMs?: number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
  /** Tokens per millisecond. */
  rate: number;
}

const systemClock: Clock = { now: () => new Date() };

/** Token buckets keyed by credential; see the module header. */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;
  private readonly capacity: number;
  private readonly rates: Record<RateClass, number>;
  private readonly maxBuckets: number;
  private readonly sweepIntervalMs: number;
  private lastSweep: number;

  /** Budgets from `limits`; the clock is injectable for tests. */
  constructor(limits: RateLimits, options: TokenBucketRateLimiterOptions = {}) {
    for (const name of ['userRequestsPerMinute', 'serviceRequestsPerMinute', 'burst'] as const) {
      const value = limits[name];
      if (!Number.isFinite(value) || value < 1) {
        throw new RangeError(`limits.${name} must be at least 1, got ${String(value)}`);
      }
    }
    this.clock = options.clock ?? systemClock;
    this.capacity = limits.burst;
    this.rates = {
      user: limits.userRequestsPerMinute / 60_000,
      service: limits.serviceRequestsPerMinute / 60_000,
    };
    this.maxBuckets = Math.max(1, options.maxBuckets ?? 50_000);
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.lastSweep = this.clock.now().getTime();
  }

  /** Takes one request from the credential's bucket, or says how long to wait for one. */
  take(credentialId: string, rateClass: RateClass): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.clock.now().getTime();
    if (now - this.lastSweep >= this.sweepIntervalMs) this.sweep(now);
    const key = `${rateClass}\u0000${credentialId}`;
    const rate = this.rates[rateClass];
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now, rate };
    this.refill(bucket, now);
    // Re-inserted on every use: the map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxBuckets) this.evictOldest();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    const waitMs = (1 - bucket.tokens) / bucket.rate;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)) };
  }

  /** Buckets currently held (for metrics and tests). */
  get size(): number {
    return this.buckets.size;
  }

  private refill(bucket: Bucket, now: number): void {
    // A clock that steps back adds nothing (and takes nothing away).
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsed * bucket.rate);
    bucket.at = Math.max(bucket.at, now);
  }

  /** Drops every bucket that has refilled to full: forgetting it changes nothing. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.tokens >= this.capacity) this.buckets.delete(key);
    }
  }

  /** Drops the least recently used bucket (its credential starts full again if it returns). */
  private evictOldest(): void {
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}
