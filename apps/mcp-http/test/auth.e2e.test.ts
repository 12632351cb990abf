/**
 * The built HTTP server with authentication, tenancy and limits, on real engines: the test runs
 * its own embedded PostgreSQL (so it can create organizations and issue API keys in the
 * platform's `api_keys` table) and the server opens it as a configured server, with embedded
 * ClickHouse for its analytics.
 *
 * What must hold: no credential gets 401 pointing at the protected-resource metadata; a key acts
 * for its organization only; a key without a scope does not see the tool and gets 403 calling
 * it; a stateful session belongs to the key that opened it; free SQL (pg_query, ch_query) is not
 * offered; expensive tools are limited per key.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/client';
import {
  PostgresApiKeyStore,
  PostgresWriter,
  freeLoopbackPort,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@tfo/datasources';
import pg from 'pg';
import {
  POST_HEADERS,
  connect,
  firstText,
  makeBase,
  raw,
  startServer,
  type RunningServer,
} from './harness.js';
import {
  embeddedPostgresLoader,
  needsPostgresSystemUser,
  reachableDir,
} from '../../../tools/jest/engines.js';

const SLOW = 240_000;

function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

function toolCall(id: number, name: string, args: Record<string, unknown> = {}): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

/** Tool names in the caller's own ch_tool_analytics, once `expected` shows up (the recorder flushes every second). */
async function analyticsTools(client: Client, expected: string): Promise<string[]> {
  let names: string[] = [];
  for (let i = 0; i < 60 && !names.includes(expected); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 500));
    const answer = await client.callTool({ name: 'ch_tool_analytics', arguments: {} });
    const rows = (JSON.parse(firstText(answer)) as { rows?: { tool_name: string }[] }).rows ?? [];
    names = rows.map((r) => r.tool_name);
  }
  return names;
}

describe('HTTP server with API keys, tenancy and limits', () => {
  let base: string;
  let postgres: EmbeddedPostgres | undefined;
  let pool: pg.Pool | undefined;
  let server: RunningServer;
  const keys = { a: '', b: '', narrow: '' };
  const open: Client[] = [];

  beforeAll(async () => {
    base = makeBase();
    postgres = await startEmbeddedPostgres({
      dataDir: reachableDir(base, 'pg'),
      port: await freeLoopbackPort(),
      loader: embeddedPostgresLoader,
      createSystemUser: needsPostgresSystemUser,
    });
    server = await startServer({
      base,
      env: {
        TELEMETRYFLOW_MCP_DATA_ENABLED: 'true',
        TELEMETRYFLOW_MCP_DATA_DIR: reachableDir(base, 'data'),
        TELEMETRYFLOW_MCP_POSTGRES_URL: postgres.url,
        TELEMETRYFLOW_MCP_DEMO_LOAD: 'never',
        TELEMETRYFLOW_MCP_AUTH_ANONYMOUS_LOOPBACK: 'false',
        TELEMETRYFLOW_MCP_HTTP_SESSIONS: 'stateful',
        TELEMETRYFLOW_MCP_LIMITS_EXPENSIVE_TOOL_CONCURRENCY: '1',
      },
      readyTimeoutMs: SLOW,
    });
    // Ready once both engines answer (the migrations have run on PostgreSQL by then).
    for (let i = 0; i < 400 && (await raw(`${server.origin}/readyz`)).status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await raw(`${server.origin}/readyz`)).status).toBe(200);

    pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    const writer = new PostgresWriter(pool);
    const store = new PostgresApiKeyStore(writer);
    const organization = async (name: string) => {
      const id = randomUUID();
      await writer.execute('INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3)', [
        id,
        name,
        `e2e-${id}`,
      ]);
      return id;
    };
    const orgA = await organization('Org A');
    const orgB = await organization('Org B');
    keys.a = (await store.issue({ organizationId: orgA, name: 'e2e-a', scopes: ['mcp:*'] })).plainKey;
    keys.b = (await store.issue({ organizationId: orgB, name: 'e2e-b', scopes: ['mcp:*'] })).plainKey;
    keys.narrow = (
      await store.issue({ organizationId: orgA, name: 'e2e-narrow', scopes: ['metrics:read'] })
    ).plainKey;
  }, SLOW);

  afterAll(async () => {
    for (const client of open) await client.close().catch(() => undefined);
    await server?.stop();
    await pool?.end();
    await postgres?.stop();
    if (base) rmSync(base, { recursive: true, force: true });
  }, SLOW);

  async function client(key: string, era: 'legacy' | 'modern'): Promise<Client> {
    const connected = await connect(server.url, era, bearer(key));
    open.push(connected.client);
    return connected.client;
  }

  it('answers a request without a credential with 401 pointing at the resource metadata', async () => {
    const answer = await raw(server.url, {
      method: 'POST',
      headers: POST_HEADERS,
      body: toolCall(1, 'echo'),
    });
    expect(answer.status).toBe(401);
    const challenge = String(answer.headers['www-authenticate']);
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(
      `resource_metadata="${server.origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    const metadata = await raw(`${server.origin}/.well-known/oauth-protected-resource/mcp`);
    expect(metadata.json).toMatchObject({ resource: server.url });
  });

  it('answers an unknown key with 401 invalid_token', async () => {
    const answer = await raw(server.url, {
      method: 'POST',
      headers: { ...POST_HEADERS, ...bearer('tfo_not-a-real-key-at-all-000000000000000000000') },
      body: toolCall(2, 'echo'),
    });
    expect(answer.status).toBe(401);
    expect(String(answer.headers['www-authenticate'])).toContain('error="invalid_token"');
  });

  it.each(['legacy', 'modern'] as const)(
    "serves a key's organization only (%s era)",
    async (era) => {
      const a = await client(keys.a, era);
      const b = await client(keys.b, era);
      const markerA = await a.callTool({ name: 'echo', arguments: { message: 'from A' } });
      expect(firstText(markerA)).toBe('from A');
      await b.callTool({ name: 'system_info', arguments: {} });
      const seenByA = await analyticsTools(a, 'echo');
      const seenByB = await analyticsTools(b, 'system_info');
      expect(seenByA).toContain('echo');
      expect(seenByA).not.toContain('system_info');
      expect(seenByB).toContain('system_info');
      expect(seenByB).not.toContain('echo');
    },
    60_000,
  );

  it('hides the tools a key has no scope for, and answers 403 insufficient_scope when one is called', async () => {
    const narrow = await client(keys.narrow, 'modern');
    const names = (await narrow.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'ch_tool_analytics']));
    expect(names).not.toContain('read_file');
    expect(names).not.toContain('pg_list_tables');
    const refused = await raw(server.url, {
      method: 'POST',
      headers: { ...POST_HEADERS, ...bearer(keys.narrow) },
      body: toolCall(3, 'read_file', { path: 'hello.txt' }),
    });
    expect(refused.status).toBe(403);
    expect(String(refused.headers['www-authenticate'])).toMatch(/error="insufficient_scope"/);
    expect(String(refused.headers['www-authenticate'])).toContain('mcp:files:read');
    expect(refused.json).toMatchObject({ error: 'insufficient_scope' });
  });

  it('keeps a session to the key that opened it', async () => {
    const connected = await connect(server.url, 'legacy', bearer(keys.a));
    open.push(connected.client);
    const id = connected.transport.sessionId ?? '';
    expect(id).toMatch(/^[\x21-\x7e]+$/);
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping' });
    const headers = { ...POST_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
    const stolen = await raw(server.url, {
      method: 'POST',
      headers: { ...headers, ...bearer(keys.b) },
      body: ping,
    });
    expect(stolen.status).toBe(404);
    const own = await raw(server.url, {
      method: 'POST',
      headers: { ...headers, ...bearer(keys.a) },
      body: ping,
    });
    expect(own.status).toBe(200);
  });

  it("offers no free SQL: only the SQL tools bound to the caller's organization", async () => {
    const names = (await (await client(keys.a, 'modern')).listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['pg_list_tables', 'pg_describe_table', 'pg_sessions', 'ch_tool_analytics']),
    );
    expect(names).not.toContain('pg_query');
    expect(names).not.toContain('ch_query');
  });

  it('runs one expensive call per key at a time and asks the second to retry later', async () => {
    const a = await client(keys.a, 'modern');
    const b = await client(keys.b, 'modern');
    // pg_sessions reads mcp_sessions: while the test holds an exclusive lock on that table, a call
    // that got its slot waits inside the tool, so the second call of the same key meets it running.
    const slow = { name: 'pg_sessions', arguments: {} };
    if (!pool) throw new Error('the test database is not open');
    const lock = await pool.connect();
    let calls: ReturnType<Client['callTool']>[] = [];
    let guard: ReturnType<typeof setTimeout> | undefined;
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE mcp_sessions IN ACCESS EXCLUSIVE MODE');
      calls = [a.callTool(slow), a.callTool(slow), b.callTool(slow)];
      // The refused call answers while the lock is held; the guard only bounds a broken limiter.
      const deadline = new Promise<void>((done) => (guard = setTimeout(done, 20_000)));
      await Promise.race([calls[0], calls[1], deadline]);
    } finally {
      clearTimeout(guard);
      await lock.query('COMMIT');
      lock.release();
    }
    const [first, second, other] = await Promise.all(calls);
    const outcomes = [first, second].map((r) => (r?.isError ? firstText(r) : 'ok'));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.find((o) => o !== 'ok')).toMatch(/LIMIT\.CONCURRENCY.*retry in a few seconds/);
    expect(other?.isError).toBeFalsy();
    const metrics = await raw(`${server.origin}/metrics`);
    expect(metrics.body).toMatch(/^tfo_tool_concurrency_limited_total\{tool="pg_sessions"\} 1$/m);
  }, 60_000);
});
