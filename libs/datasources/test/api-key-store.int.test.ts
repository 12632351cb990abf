/**
 * The API key store against real PostgreSQL (embedded in a temp directory, or the server named
 * by TELEMETRYFLOW_MCP_POSTGRES_URL): issue, find by hash, revocation as stored, the coalesced
 * `last_used_at`, and the same store behind a DataPlane that is still opening. Rows are
 * isolated by fresh organization UUIDs.
 */
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { isTfoError, type TfoError } from '@tfo/domain';
import {
  API_KEY_PREFIX_LENGTH,
  DataPlane,
  PostgresApiKeyStore,
  hashApiKey,
  type OpenedPostgres,
} from '../src/index.js';
import {
  TEST_BUDGETS,
  embeddedPostgresLoader,
  needsPostgresSystemUser,
  processDataDir,
  startTestPostgres,
} from '../../../tools/jest/engines.js';

const SLOW = 180_000;

async function failure(promise: Promise<unknown>): Promise<TfoError> {
  try {
    await promise;
  } catch (error) {
    if (!isTfoError(error)) throw error;
    return error;
  }
  throw new Error('expected the call to fail');
}

async function newOrganization(pg: Pick<OpenedPostgres, 'writer'>): Promise<string> {
  const id = randomUUID();
  await pg.writer.execute('INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3)', [
    id,
    'Key Test Org',
    `key-test-${id}`,
  ]);
  return id;
}

async function lastUsed(pg: Pick<OpenedPostgres, 'writer'>, id: string): Promise<Date | null> {
  const { rows } = await pg.writer.execute<{ at: Date | null }>(
    'SELECT last_used_at AS at FROM api_keys WHERE id = $1',
    [id],
  );
  return rows[0]?.at ?? null;
}

describe('PostgresApiKeyStore', () => {
  let pg: OpenedPostgres;
  let store: PostgresApiKeyStore;

  beforeAll(async () => {
    pg = await startTestPostgres();
    store = new PostgresApiKeyStore(pg.writer);
  }, SLOW);

  afterAll(async () => {
    await pg?.close();
  }, SLOW);

  it('issues a key whose hash and prefix alone are stored, and finds it by hash', async () => {
    const org = await newOrganization(pg);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { record, plainKey } = await store.issue({
      organizationId: org,
      name: ' ci-reader ',
      scopes: ['mcp:telemetry:read', ' metrics:read', ''],
      expiresAt,
    });
    expect(plainKey).toMatch(/^tfo_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({
      organizationId: org,
      name: 'ci-reader',
      keyPrefix: plainKey.slice(0, API_KEY_PREFIX_LENGTH),
      keyHash: hashApiKey(plainKey),
      scopes: ['mcp:telemetry:read', 'metrics:read'],
      expiresAt,
    });
    expect(record.revokedAt).toBeUndefined();
    expect(record.lastUsedAt).toBeUndefined();

    const stored = await pg.writer.execute<Record<string, unknown>>(
      'SELECT * FROM api_keys WHERE organization_id = $1',
      [org],
    );
    expect(stored.rows).toHaveLength(1);
    expect(JSON.stringify(stored.rows[0])).not.toContain(plainKey.slice(API_KEY_PREFIX_LENGTH));

    expect(await store.findByHash(hashApiKey(plainKey))).toEqual(record);
    expect(await store.findByHash(hashApiKey(`${plainKey}x`))).toBeUndefined();
    expect(await store.findByHash('not a hash')).toBeUndefined();
  });

  it('issues a different key every time', async () => {
    const org = await newOrganization(pg);
    const a = await store.issue({ organizationId: org, name: 'a', scopes: [] });
    const b = await store.issue({ organizationId: org, name: 'a', scopes: [] });
    expect(a.plainKey).not.toBe(b.plainKey);
    expect(a.record.id).not.toBe(b.record.id);
  });

  it('refuses an organization that does not exist, or that is not a UUID', async () => {
    const missing = randomUUID();
    const error = await failure(store.issue({ organizationId: missing, name: 'x', scopes: ['mcp:*'] }));
    expect(error.code).toBe('DATASOURCE.ORGANIZATION_NOT_FOUND');
    expect(error.message).toContain(missing);
    const bad = await failure(store.issue({ organizationId: 'acme', name: 'x', scopes: [] }));
    expect(bad.code).toBe('DATASOURCE.INVALID_ORGANIZATION_ID');
    const { rows } = await pg.writer.execute<{ n: number }>(
      'SELECT count(*)::int AS n FROM api_keys WHERE organization_id = $1',
      [missing],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('returns a revoked key with its revocation time', async () => {
    const org = await newOrganization(pg);
    const { record, plainKey } = await store.issue({ organizationId: org, name: 'old', scopes: ['mcp:*'] });
    const revokedAt = new Date(Date.now() - 60_000);
    await pg.writer.execute('UPDATE api_keys SET revoked_at = $2 WHERE id = $1', [record.id, revokedAt]);
    expect(await store.findByHash(hashApiKey(plainKey))).toEqual({ ...record, revokedAt });
  });

  it('writes last_used_at at most once a minute per key, across store instances too', async () => {
    const org = await newOrganization(pg);
    const { record } = await store.issue({ organizationId: org, name: 'busy', scopes: [] });
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1_000);

    await store.touch(record.id, t0);
    expect(await lastUsed(pg, record.id)).toEqual(t0);
    await store.touch(record.id, at(30));
    expect(await lastUsed(pg, record.id)).toEqual(t0);
    await store.touch(record.id, at(60));
    expect(await lastUsed(pg, record.id)).toEqual(at(60));

    // Another replica has no memory of these writes: the SQL guard keeps the minute.
    const replica = new PostgresApiKeyStore(pg.writer);
    await replica.touch(record.id, at(90));
    expect(await lastUsed(pg, record.id)).toEqual(at(60));
    await replica.touch(record.id, at(125));
    expect(await lastUsed(pg, record.id)).toEqual(at(125));
    expect((await store.findByHash(record.keyHash))?.lastUsedAt).toEqual(at(125));

    // Unknown or malformed ids change nothing and do not fail.
    await store.touch(randomUUID(), at(500));
    await store.touch('not-a-uuid', at(500));
  });
});

describe('DataPlane.apiKeys', () => {
  let plane: DataPlane;

  beforeAll(() => {
    plane = new DataPlane({
      dataDir: processDataDir(),
      budgets: TEST_BUDGETS,
      postgres: { createSystemUser: needsPostgresSystemUser, loader: embeddedPostgresLoader },
      clickhouse: {},
      // Long enough for a first start of the embedded engine.
      startWaitMs: 150_000,
    });
  });

  afterAll(async () => {
    await plane?.close();
  }, SLOW);

  it(
    'ignores a touch before PostgreSQL is open, then waits for it to look a key up',
    async () => {
      await plane.apiKeys.touch(randomUUID(), new Date());
      plane.start();
      expect(await plane.apiKeys.findByHash(hashApiKey('tfo_unknown'))).toBeUndefined();
      const pg = plane.engines().postgres;
      if (!pg) throw new Error('PostgreSQL should be open');
      const org = await newOrganization(pg);
      const { record, plainKey } = await plane.apiKeys.issue({
        organizationId: org,
        name: 'plane',
        scopes: [],
      });
      expect(await plane.apiKeys.findByHash(hashApiKey(plainKey))).toEqual(record);
      const at = new Date();
      await plane.apiKeys.touch(record.id, at);
      expect(await lastUsed(pg, record.id)).toEqual(at);
    },
    SLOW,
  );

  it(
    'fails with DATASOURCE.UNAVAILABLE once the plane is closed',
    async () => {
      await plane.close();
      const error = await failure(plane.apiKeys.findByHash(hashApiKey('tfo_x')));
      expect(error.code).toBe('DATASOURCE.UNAVAILABLE');
    },
    SLOW,
  );
});
