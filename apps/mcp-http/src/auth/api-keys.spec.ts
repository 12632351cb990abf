/**
 * API key authentication through the HttpAuthenticator, against a fake of the ApiKeyStore
 * port: both headers, principal and scopes, revoked and expired keys, the constant-time hash
 * check, the positive and negative caches, shared look-ups, and a store that cannot answer.
 */
import { createHash } from 'node:crypto';
import { describe, it, expect, beforeEach } from '@jest/globals';
import {
  DependencyError,
  noopLogger,
  type ApiKeyRecord,
  type ApiKeyStore,
  type Clock,
  type IssueApiKeyInput,
  type IssuedApiKey,
} from '@tfo/domain';
import { ApiKeyVerifier } from './api-keys.js';
import { HttpAuthenticator } from './authenticator.js';
import { Challenges } from './challenge.js';
import type { AuthOutcome, Refused } from './types.js';

const ORG = '11111111-1111-4111-8111-111111111111';
const KEY = 'tfo_' + 'A'.repeat(43);
const OTHER_KEY = 'tfo_' + 'B'.repeat(43);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

class ManualClock implements Clock {
  ms = Date.UTC(2030, 0, 1);
  now(): Date {
    return new Date(this.ms);
  }
}

/** An in-memory ApiKeyStore port that counts look-ups and records touches. */
class FakeApiKeyStore implements ApiKeyStore {
  readonly rows = new Map<string, ApiKeyRecord>();
  lookups = 0;
  touches: { id: string; at: Date }[] = [];
  failWith: Error | undefined;
  touchFails = false;
  /** When set, look-ups wait for this promise (to observe concurrent requests). */
  gate: Promise<void> | undefined;

  add(plain: string, patch: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
    const record: ApiKeyRecord = {
      id: `00000000-0000-4000-8000-${String(this.rows.size + 1).padStart(12, '0')}`,
      organizationId: ORG,
      name: 'ci-reader',
      keyPrefix: plain.slice(0, 13),
      keyHash: sha256(plain),
      scopes: ['mcp:sql:query', 'metrics:read', 'deployments:write'],
      createdAt: new Date(Date.UTC(2029, 0, 1)),
      ...patch,
    };
    this.rows.set(sha256(plain), record);
    return record;
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    this.lookups += 1;
    if (this.gate) await this.gate;
    if (this.failWith) throw this.failWith;
    return this.rows.get(hash);
  }

  async issue(_input: IssueApiKeyInput): Promise<IssuedApiKey> {
    throw new Error('not used here');
  }

  async touch(id: string, at: Date): Promise<void> {
    this.touches.push({ id, at });
    if (this.touchFails) throw new Error('touch failed');
  }
}

function refused(outcome: AuthOutcome): Refused {
  if (outcome.ok) throw new Error('expected a refusal');
  return outcome;
}

describe('API key authentication', () => {
  let store: FakeApiKeyStore;
  let clock: ManualClock;
  let auth: HttpAuthenticator;

  beforeEach(() => {
    store = new FakeApiKeyStore();
    clock = new ManualClock();
    const challenges = new Challenges('https://mcp.example.com/', []);
    auth = new HttpAuthenticator({
      challenges,
      apiKeys: new ApiKeyVerifier({ store, challenges, logger: noopLogger, clock }),
    });
  });

  it('accepts a key as a bearer token, acting for its organization with its scopes', async () => {
    const record = store.add(KEY);
    const outcome = await auth.authenticate({ authorization: `Bearer ${KEY}` });
    expect(outcome).toEqual({
      ok: true,
      principal: {
        organizationId: ORG,
        subject: record.id,
        kind: 'api_key',
        scopes: new Set(['mcp:sql:query', 'mcp:telemetry:read']),
      },
      rateClass: 'service',
      credentialId: `api_key:${record.id}`,
    });
    expect(store.touches).toEqual([{ id: record.id, at: clock.now() }]);
  });

  it('accepts a key in X-API-Key, and mcp:* as every scope', async () => {
    store.add(KEY, { scopes: ['mcp:*'] });
    const outcome = await auth.authenticate({ 'x-api-key': KEY });
    expect(outcome.ok && [...outcome.principal.scopes].sort()).toEqual([
      'mcp:commands:run',
      'mcp:files:read',
      'mcp:files:write',
      'mcp:llm:use',
      'mcp:sql:query',
      'mcp:telemetry:read',
    ]);
  });

  it('refuses an unknown key with invalid_token and never quotes it', async () => {
    const answer = refused(await auth.authenticate({ authorization: `Bearer ${KEY}` }));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(answer.description).toMatch(/Unknown API key/);
    expect(answer.wwwAuthenticate).toMatch(
      /^Bearer resource_metadata="https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource\/mcp", error="invalid_token", error_description="Unknown API key/,
    );
    expect(JSON.stringify(answer)).not.toContain(KEY.slice(4, 20));
  });

  it('refuses a revoked key, saying so', async () => {
    store.add(KEY, { revokedAt: new Date(clock.ms - 1_000), name: 'old-ci' });
    const answer = refused(await auth.authenticate({ authorization: `Bearer ${KEY}` }));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(answer.description).toBe(
      'API key "old-ci" was revoked at 2029-12-31T23:59:59.000Z; use another key.',
    );
    expect(store.touches).toEqual([]);
  });

  it('refuses an expired key, saying so, also when it expires while cached', async () => {
    store.add(KEY, { expiresAt: new Date(clock.ms + 10_000) });
    expect((await auth.authenticate({ 'x-api-key': KEY })).ok).toBe(true);
    clock.ms += 10_000;
    const answer = refused(await auth.authenticate({ 'x-api-key': KEY }));
    expect(answer.description).toMatch(/expired at 2030-01-01T00:00:10\.000Z/);
    expect(store.lookups).toBe(1);
  });

  it('refuses a record whose stored hash differs from the presented key', async () => {
    store.add(KEY);
    const wrong = store.rows.get(sha256(KEY));
    if (!wrong) throw new Error('setup');
    store.rows.set(sha256(KEY), { ...wrong, keyHash: sha256(OTHER_KEY) });
    expect(refused(await auth.authenticate({ 'x-api-key': KEY })).error).toBe('invalid_token');
  });

  it('serves a found key from memory for 30 s, then asks the store again', async () => {
    store.add(KEY);
    await auth.authenticate({ 'x-api-key': KEY });
    clock.ms += 29_000;
    await auth.authenticate({ 'x-api-key': KEY });
    expect(store.lookups).toBe(1);
    clock.ms += 1_000;
    await auth.authenticate({ 'x-api-key': KEY });
    expect(store.lookups).toBe(2);
  });

  it('remembers an unknown key for 5 s only', async () => {
    await auth.authenticate({ 'x-api-key': KEY });
    await auth.authenticate({ 'x-api-key': KEY });
    expect(store.lookups).toBe(1);
    store.add(KEY);
    clock.ms += 5_000;
    expect((await auth.authenticate({ 'x-api-key': KEY })).ok).toBe(true);
    expect(store.lookups).toBe(2);
  });

  it('asks the store once for concurrent requests with one key', async () => {
    store.add(KEY);
    let open: () => void = () => undefined;
    store.gate = new Promise<void>((resolve) => (open = resolve));
    const pending = Promise.all([1, 2, 3].map(() => auth.authenticate({ 'x-api-key': KEY })));
    open();
    const outcomes = await pending;
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    expect(store.lookups).toBe(1);
  });

  it('lets a store failure through (not a 401), and does not cache it', async () => {
    store.add(KEY);
    store.failWith = new DependencyError('PostgreSQL is still starting', { code: 'DATASOURCE.STARTING' });
    await expect(auth.authenticate({ 'x-api-key': KEY })).rejects.toMatchObject({
      code: 'DATASOURCE.STARTING',
    });
    store.failWith = undefined;
    expect((await auth.authenticate({ 'x-api-key': KEY })).ok).toBe(true);
  });

  it('still accepts the key when recording its use fails', async () => {
    store.add(KEY);
    store.touchFails = true;
    expect((await auth.authenticate({ 'x-api-key': KEY })).ok).toBe(true);
  });

  it('forgets cached keys when closed', async () => {
    store.add(KEY);
    await auth.authenticate({ 'x-api-key': KEY });
    await auth.close();
    await auth.authenticate({ 'x-api-key': KEY });
    expect(store.lookups).toBe(2);
  });
});
