/**
 * API key verification: the presented key is hashed (SHA-256), looked up by its hash in the
 * ApiKeyStore, and accepted when it is neither revoked nor expired. The principal acts for
 * the key's organization with the tool scopes its stored scopes grant.
 *
 * Invariants:
 * - The plain key is hashed at once and never kept, logged or passed on; the stored hash is
 *   compared with the computed one in constant time before a key is accepted.
 * - Found keys are cached by hash for `cacheTtlMs` (default 30 s, bounded, least recently used
 *   dropped first), so most requests cost no database round trip; revocation therefore takes
 *   effect within that time. Revocation and expiry are checked on every request, cached or not.
 * - Unknown keys are remembered only for `negativeTtlMs` (default 5 s): enough to spare the
 *   database a burst of retries with a wrong key, short enough that nothing stale lingers.
 * - Concurrent look-ups of one hash share one database call.
 * - A database that cannot answer is not the caller's fault: the look-up's error propagates
 *   (the transport answers 503), it is never turned into a 401.
 * - `last_used_at` is touched in the background; a failed touch is logged at debug and
 *   otherwise ignored.
 */
import { timingSafeEqual } from 'node:crypto';
import { hashApiKey } from '@tfo/datasources';
import type { ApiKeyRecord, ApiKeyStore, Clock, Logger } from '@tfo/domain';
import { toolScopesOf } from '@tfo/mcp-tools';
import type { Challenges } from './challenge.js';
import type { AuthOutcome } from './types.js';

/** Options of {@link ApiKeyVerifier}. */
export interface ApiKeyVerifierOptions {
  store: ApiKeyStore;
  challenges: Challenges;
  logger: Logger;
  clock: Clock;
  /** How long a found key is served from memory. Default 30 000 ms. */
  cacheTtlMs?: number;
  /** How long an unknown key is remembered as unknown. Default 5 000 ms. */
  negativeTtlMs?: number;
  /** Most keys cached (found and unknown together). Default 10 000. */
  maxCached?: number;
}

interface CacheEntry {
  record: ApiKeyRecord | undefined;
  until: number;
}

/** Verifies API keys against the store; see the module header. */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<ApiKeyRecord | undefined>>();
  private readonly cacheTtlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxCached: number;

  /** See {@link ApiKeyVerifierOptions}. */
  constructor(private readonly options: ApiKeyVerifierOptions) {
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.maxCached = Math.max(1, options.maxCached ?? 10_000);
  }

  /** Accepts or refuses `plainKey`; rejects only when the store cannot answer. */
  async verify(plainKey: string): Promise<AuthOutcome> {
    const { challenges, clock } = this.options;
    const hash = hashApiKey(plainKey);
    const record = await this.lookup(hash);
    if (record === undefined || !sameHash(hash, record.keyHash)) {
      return challenges.invalid(
        'invalid_token',
        'Unknown API key. Check that the whole key was copied, or create a new key for your organization.',
      );
    }
    const now = clock.now();
    if (record.revokedAt !== undefined && record.revokedAt.getTime() <= now.getTime()) {
      return challenges.invalid(
        'invalid_token',
        `API key "${record.name}" was revoked at ${record.revokedAt.toISOString()}; use another key.`,
      );
    }
    if (record.expiresAt !== undefined && record.expiresAt.getTime() <= now.getTime()) {
      return challenges.invalid(
        'invalid_token',
        `API key "${record.name}" expired at ${record.expiresAt.toISOString()}; create a new key.`,
      );
    }
    this.options.store.touch(record.id, now).catch((error: unknown) => {
      this.options.logger.debug(
        { keyId: record.id, err: error instanceof Error ? error.message : String(error) },
        'could not record the use of an API key',
      );
    });
    return {
      ok: true,
      principal: {
        organizationId: record.organizationId,
        subject: record.id,
        kind: 'api_key',
        scopes: toolScopesOf(record.scopes),
      },
      rateClass: 'service',
      credentialId: `api_key:${record.id}`,
    };
  }

  /** Forgets every cached key. */
  clear(): void {
    this.cache.clear();
  }

  private async lookup(hash: string): Promise<ApiKeyRecord | undefined> {
    const now = this.options.clock.now().getTime();
    const cached = this.cache.get(hash);
    if (cached !== undefined) {
      if (cached.until > now) {
        // Least recently used first: a hit moves the entry to the end.
        this.cache.delete(hash);
        this.cache.set(hash, cached);
        return cached.record;
      }
      this.cache.delete(hash);
    }
    const pending = this.inFlight.get(hash);
    if (pending) return pending;
    const query = this.options.store
      .findByHash(hash)
      .then((record) => {
        const ttl = record === undefined ? this.negativeTtlMs : this.cacheTtlMs;
        this.remember(hash, { record, until: this.options.clock.now().getTime() + ttl });
        return record;
      })
      .finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, query);
    return query;
  }

  private remember(hash: string, entry: CacheEntry): void {
    this.cache.delete(hash);
    this.cache.set(hash, entry);
    while (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
  }
}

/** Constant-time equality of two hex SHA-256 digests (false when either is malformed). */
function sameHash(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, 'hex');
  const b = Buffer.from(stored.toLowerCase(), 'hex');
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}
