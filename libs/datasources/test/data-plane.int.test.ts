/**
 * The data plane against the real engines: embedded PostgreSQL and chdb opened in the
 * background, deferred datasources, sessions saved before PostgreSQL is open, the activity
 * recorder writing the server's own analytics, health checks, and a PostgreSQL server that is
 * down at start and comes up later.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { DEMO_ORGANIZATION_ID, isTfoError, type SessionSnapshot } from '@tfo/domain';
import {
  DataPlane,
  SqlWriteGateway,
  freeLoopbackPort,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../src/index.js';
import {
  TEST_BUDGETS,
  embeddedPostgresLoader,
  needsPostgresSystemUser,
  processDataDir,
} from '../../../tools/jest/engines.js';

const SLOW = 180_000;

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isTfoError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected the call to fail');
}

function snapshot(id: string): SessionSnapshot {
  const now = new Date();
  return {
    id,
    organizationId: DEMO_ORGANIZATION_ID,
    transport: 'stdio',
    state: 'ready',
    client: { name: 'plane-test', version: '1' },
    createdAt: now,
    updatedAt: now,
    toolCalls: 0,
    toolErrors: 0,
  } as SessionSnapshot;
}

describe('DataPlane on the embedded engines', () => {
  let plane: DataPlane;
  const early = randomUUID();

  beforeAll(async () => {
    plane = new DataPlane({
      dataDir: processDataDir(),
      budgets: TEST_BUDGETS,
      postgres: { createSystemUser: needsPostgresSystemUser, loader: embeddedPostgresLoader },
      clickhouse: {},
      activityFlushMs: 100,
    });
    // Saved before start: kept in memory, written once PostgreSQL is open.
    await plane.sessions.save(snapshot(early));
    plane.start();
    await plane.settled();
  }, SLOW);

  afterAll(async () => {
    await plane?.close();
  }, SLOW);

  it('opens both engines and reports them healthy', async () => {
    expect(plane.status().postgres).toMatchObject({ state: 'ready', kind: 'embedded' });
    expect(plane.status().clickhouse).toMatchObject({ state: 'ready', kind: 'embedded' });
    const checks = await Promise.all(
      plane.healthChecks().map(async (c) => [c.name, (await c.check()).status]),
    );
    expect(checks).toEqual([
      ['postgresql', 'up'],
      ['clickhouse', 'up'],
      ['demo-estate', 'disabled'],
    ]);
  });

  it('answers read-only queries on both engines and refuses writes in the engine', async () => {
    const pg = await plane.postgres.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
    expect(pg.rows).toHaveLength(1);
    const ch = await plane.clickhouse.query<{ n: string }>('SELECT count() AS n FROM tool_calls');
    expect(ch.rows).toHaveLength(1);
    const denied = await failure(plane.postgres.query("SELECT pg_read_file('/etc/hostname')"));
    expect(denied.code).toMatch(/^DATASOURCE\./);
  });

  it('writes the session saved before PostgreSQL was open', async () => {
    const stored = await plane.sessions.get(early);
    expect(stored?.client.name).toBe('plane-test');
  });

  it('records activity in ClickHouse, readable through the read-only datasource', async () => {
    const org = randomUUID();
    const at = new Date();
    plane.activity.toolCall({
      at,
      organizationId: org,
      callId: 'c1',
      sessionId: 's1',
      tool: 'echo',
      argumentsDigest: 'd'.repeat(64),
      durationMs: 3.4,
      outcome: 'error',
      errorCode: 'VALIDATION.BAD',
      caller: 'plane-test/1',
    });
    plane.activity.error({
      at,
      organizationId: org,
      source: 'tool',
      errorCode: 'VALIDATION.BAD',
      errorClass: 'ValidationError',
      message: 'bad input',
      tool: 'echo',
    });
    plane.activity.resourceRead({
      at,
      organizationId: org,
      sessionId: 's1',
      uri: 'status://health',
      durationMs: 1,
      outcome: 'success',
      caller: 'plane-test/1',
    });
    plane.activity.session({
      at,
      organizationId: org,
      sessionId: 's1',
      event: 'opened',
      transport: 'stdio',
      clientName: 'plane-test',
    });
    plane.activity.llmUsage({
      at,
      organizationId: org,
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      operation: 'complete',
      inputTokens: 10,
      outputTokens: 5,
      durationMs: 20,
      success: true,
    });
    await plane.activity.flush();
    const counts = await plane.clickhouse.query<{ t: string; n: string }>(
      `SELECT 'tool_calls' AS t, count() AS n FROM tool_calls WHERE organization_id = {org:String}
       UNION ALL SELECT 'error_analytics', count() FROM error_analytics WHERE organization_id = {org:String}
       UNION ALL SELECT 'resource_reads', count() FROM resource_reads WHERE organization_id = {org:String}
       UNION ALL SELECT 'session_analytics', count() FROM session_analytics WHERE organization_id = {org:String}
       UNION ALL SELECT 'api_usage', count() FROM api_usage WHERE organization_id = {org:String}`,
      { params: { org } },
    );
    expect(Object.fromEntries(counts.rows.map((r) => [r.t, Number(r.n)]))).toEqual({
      tool_calls: 1,
      error_analytics: 1,
      resource_reads: 1,
      session_analytics: 1,
      api_usage: 1,
    });
    const rollup = await plane.clickhouse.query<{ calls: string; errors: string }>(
      `SELECT sum(call_count) AS calls, sum(error_count) AS errors FROM tool_calls_1h WHERE organization_id = {org:String}`,
      { params: { org } },
    );
    expect(rollup.rows[0]).toMatchObject({ calls: expect.anything(), errors: expect.anything() });
    expect(Number(rollup.rows[0]?.calls)).toBe(1);
    expect(plane.activity.stats.dropped).toBe(0);
  });

  it('writes through the SqlWriteGateway only when enabled for the engine, one statement at a time', async () => {
    const gate = new SqlWriteGateway(plane, ['postgresql', 'clickhouse'], 2_000);
    const id = randomUUID();
    const inserted = await gate.execute(
      'postgresql',
      'INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3) RETURNING id',
      { params: [id, 'Gate Org', `gate-${id}`] },
    );
    expect(inserted.rowCount).toBe(1);
    const read = await plane.postgres.query('SELECT name FROM organizations WHERE id = $1', { params: [id] });
    expect(read.rows).toEqual([{ name: 'Gate Org' }]);
    const twice = await failure(
      gate.execute(
        'postgresql',
        `UPDATE organizations SET name = 'x' WHERE id = '${id}'; DROP TABLE organizations`,
      ),
    );
    expect(twice.code).toBe('SQL.MULTIPLE_STATEMENTS');
    const org = randomUUID();
    await gate.execute(
      'clickhouse',
      "INSERT INTO audit_logs (organization_id, timestamp, user_id, user_email, event_type, action, resource, resource_id, result, ip_address) VALUES ({org:String}, now64(3), 'u', 'u@x', 'auth', 'login', 'session', 's', 'success', '127.0.0.1')",
      { params: { org } },
    );
    const audit = await plane.clickhouse.query<{ n: string }>(
      'SELECT count() AS n FROM audit_logs WHERE organization_id = {org:String}',
      { params: { org } },
    );
    expect(Number(audit.rows[0]?.n)).toBe(1);
    const pgOnly = new SqlWriteGateway(plane, ['postgresql'], 2_000);
    expect(
      (await failure(pgOnly.execute('clickhouse', 'INSERT INTO audit_logs SELECT * FROM audit_logs'))).code,
    ).toBe('SQL.WRITES_DISABLED');
  });
});

describe('DataPlane with a PostgreSQL server that is down at start', () => {
  let dir: string;
  let server: EmbeddedPostgres | undefined;
  let plane: DataPlane;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(processDataDir(), 'pg-later-'));
    port = await freeLoopbackPort();
    // Initialise the cluster once to learn its URL, then stop it: the plane starts while it is down.
    server = await startEmbeddedPostgres({
      dataDir: dir,
      port,
      loader: embeddedPostgresLoader,
      createSystemUser: needsPostgresSystemUser,
    });
    const url = server.url;
    await server.stop();
    server = undefined;
    plane = new DataPlane({
      dataDir: processDataDir(),
      budgets: { ...TEST_BUDGETS, timeoutMs: 2_000 },
      postgres: { url, pool: { connectionTimeoutMillis: 1_000 } },
      clickhouse: {},
      retryDelayMs: 200,
      maxRetryDelayMs: 500,
    });
    plane.start();
    await plane.settled();
  }, SLOW);

  afterAll(async () => {
    await plane?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it('answers DATASOURCE.UNAVAILABLE with the reason while the server is down, and ClickHouse still works', async () => {
    expect(plane.status().postgres.state).toBe('failed');
    const down = await failure(plane.postgres.query('SELECT 1'));
    expect(down.code).toBe('DATASOURCE.UNAVAILABLE');
    expect(down.message).toMatch(/PostgreSQL is unavailable: .+/);
    const ch = await plane.clickhouse.query('SELECT 1 AS one');
    expect(ch.rows).toEqual([{ one: 1 }]);
  });

  it('recovers when the server comes up', async () => {
    server = await startEmbeddedPostgres({
      dataDir: dir,
      port,
      loader: embeddedPostgresLoader,
      createSystemUser: needsPostgresSystemUser,
    });
    const deadline = Date.now() + 30_000;
    while (plane.status().postgres.state !== 'ready' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = await plane.postgres.query<{ one: number }>('SELECT 1 AS one');
    expect(result.rows).toEqual([{ one: 1 }]);
    expect(plane.status().postgres.attempts).toBeGreaterThan(1);
  }, 60_000);
});
