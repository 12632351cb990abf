/**
 * Two processes of the built HTTP server on different ports, sharing one PostgreSQL server, as
 * replicas behind a load balancer are: a stateless client is answered by either, in turn, with
 * one API key issued into the shared database.
 *
 * Set-up: the test runs its own embedded PostgreSQL as a server on loopback and both processes
 * open it through `postgres.url` (they start at the same moment, so their migrations meet; the
 * migrator serialises them). ClickHouse is not shared: the embedded ClickHouse (chdb) runs inside
 * the server process and binds its data directory to that one process, so each replica has a
 * data directory of its own. A deployment shares a ClickHouse server instead.
 *
 * What must hold: the key works on both processes; a client whose requests a round-robin
 * "balancer" (the transport's fetch) sends to A, B, A, B gets every answer, in both protocol
 * eras, and each process counts the calls it answered; a tool that reads PostgreSQL sees, on
 * both, a table the test created in the shared database.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  PostgresApiKeyStore,
  PostgresWriter,
  freeLoopbackPort,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@tfo/datasources';
import pg from 'pg';
import { POST_HEADERS, firstText, makeBase, raw, startServer, type RunningServer } from './harness.js';
import {
  embeddedPostgresLoader,
  needsPostgresSystemUser,
  reachableDir,
} from '../../../tools/jest/engines.js';

const SLOW = 300_000;
/** A table only the shared database has: a replica that lists it reads that database. */
const MARKER = `replica_marker_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** Environment of one replica: the shared PostgreSQL, its own embedded ClickHouse, API keys only. */
function replicaEnv(base: string, postgresUrl: string): Record<string, string> {
  return {
    TELEMETRYFLOW_MCP_DATA_ENABLED: 'true',
    TELEMETRYFLOW_MCP_DATA_DIR: reachableDir(base, 'data'),
    TELEMETRYFLOW_MCP_POSTGRES_URL: postgresUrl,
    TELEMETRYFLOW_MCP_DEMO_LOAD: 'never',
    TELEMETRYFLOW_MCP_AUTH_ANONYMOUS_LOOPBACK: 'false',
    TELEMETRYFLOW_MCP_HTTP_SESSIONS: 'stateless',
  };
}

/** Waits until `/readyz` answers 200 (both engines open), for at most about two minutes. */
async function ready(server: RunningServer): Promise<number> {
  let status = 0;
  for (let i = 0; i < 480 && status !== 200; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 250));
    status = (await raw(`${server.origin}/readyz`)).status;
  }
  return status;
}

/** Successful echo calls a process has answered, from its /metrics. */
async function echoCalls(server: RunningServer): Promise<number> {
  const metrics = await raw(`${server.origin}/metrics`);
  const match = /^tfo_tool_calls_total\{tool="echo",outcome="success"\} (\d+)$/m.exec(metrics.body);
  return Number(match?.[1] ?? 0);
}

/** One request as the round-robin fetch sent it. */
interface Routed {
  url: string;
  method: string;
  status: number;
}

/**
 * An SDK client whose transport sends each request to the next of `urls`, as a round-robin load
 * balancer in front of replicas would. `tools/call` requests take turns on a counter of their
 * own, so the calls land on A, B, A, B whatever else the client sends (the handshake, a
 * notification, a stream it opens).
 */
async function balancedClient(
  urls: string[],
  era: 'legacy' | 'modern',
  headers: Record<string, string>,
  routed: Routed[],
): Promise<Client> {
  let calls = 0;
  let others = 0;
  const balancer = async (_url: string | URL, init?: RequestInit): Promise<Response> => {
    let method = init?.method ?? 'GET';
    if (typeof init?.body === 'string') {
      const message = JSON.parse(init.body) as { method?: unknown };
      method = typeof message.method === 'string' ? message.method : 'response';
    }
    const url = urls[(method === 'tools/call' ? calls++ : others++) % urls.length] ?? '';
    const response = await fetch(url, init);
    routed.push({ url, method, status: response.status });
    return response;
  };
  const client = new Client(
    { name: 'tfo-e2e-replicas', version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(urls[0] ?? ''), { fetch: balancer, requestInit: { headers } }),
  );
  return client;
}

describe('two HTTP server processes sharing one PostgreSQL', () => {
  const bases: string[] = [];
  let postgres: EmbeddedPostgres | undefined;
  let pool: pg.Pool | undefined;
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  let key = '';
  const open: Client[] = [];

  beforeAll(async () => {
    const pgBase = makeBase();
    bases.push(pgBase);
    postgres = await startEmbeddedPostgres({
      dataDir: reachableDir(pgBase, 'pg'),
      port: await freeLoopbackPort(),
      loader: embeddedPostgresLoader,
      createSystemUser: needsPostgresSystemUser,
    });
    const url = postgres.url;
    const start = async () => {
      const base = makeBase();
      bases.push(base);
      return startServer({ base, env: replicaEnv(base, url), readyTimeoutMs: SLOW });
    };
    const started = await Promise.allSettled([start(), start()]);
    a = started[0].status === 'fulfilled' ? started[0].value : undefined;
    b = started[1].status === 'fulfilled' ? started[1].value : undefined;
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    if (!a || !b) throw new Error('a replica did not start');
    expect(a.port).not.toBe(b.port);
    // Ready once both engines answer: the migrations have run on the shared PostgreSQL by then.
    expect(await ready(a)).toBe(200);
    expect(await ready(b)).toBe(200);

    pool = new pg.Pool({ connectionString: url, max: 2 });
    const writer = new PostgresWriter(pool);
    const organizationId = randomUUID();
    await writer.execute('INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3)', [
      organizationId,
      'Replicas',
      `e2e-${organizationId}`,
    ]);
    await writer.execute(`CREATE TABLE ${MARKER} (id integer PRIMARY KEY)`);
    const store = new PostgresApiKeyStore(writer);
    key = (await store.issue({ organizationId, name: 'e2e-replicas', scopes: ['mcp:*'] })).plainKey;
  }, SLOW);

  afterAll(async () => {
    for (const client of open) await client.close().catch(() => undefined);
    await Promise.all([a?.stop(), b?.stop()]);
    await pool?.end();
    await postgres?.stop();
    for (const base of bases) rmSync(base, { recursive: true, force: true });
  }, SLOW);

  it('accepts the same key on both processes, alternately (raw 2025-11-25 stateless POSTs)', async () => {
    const servers = [a, b, a, b].map((s) => s as RunningServer);
    for (const [i, server] of servers.entries()) {
      const answer = await raw(server.url, {
        method: 'POST',
        headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-11-25', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: i + 1,
          method: 'tools/call',
          params: { name: 'pg_list_tables', arguments: {} },
        }),
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(MARKER);
      expect(answer.body).not.toContain('"isError":true');
    }
  }, 60_000);

  it.each(['legacy', 'modern'] as const)(
    'answers one stateless client from both processes in turn (%s era)',
    async (era) => {
      const [first, second] = [a as RunningServer, b as RunningServer];
      const routed: Routed[] = [];
      const client = await balancedClient(
        [first.url, second.url],
        era,
        { authorization: `Bearer ${key}` },
        routed,
      );
      open.push(client);
      const before = await Promise.all([echoCalls(first), echoCalls(second)]);

      for (let i = 0; i < 4; i++) {
        const answer = await client.callTool({ name: 'echo', arguments: { message: `${era} ${i}` } });
        expect(answer.isError).toBeFalsy();
        expect(firstText(answer)).toBe(`${era} ${i}`);
      }
      for (let i = 0; i < 2; i++) {
        const tables = await client.callTool({ name: 'pg_list_tables', arguments: {} });
        expect(tables.isError).toBeFalsy();
        expect(firstText(tables)).toContain(MARKER);
      }

      const calls = routed.filter((r) => r.method === 'tools/call');
      expect(calls.map((r) => r.url)).toEqual([
        first.url,
        second.url,
        first.url,
        second.url,
        first.url,
        second.url,
      ]);
      expect(calls.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const after = await Promise.all([echoCalls(first), echoCalls(second)]);
      expect([after[0] - before[0], after[1] - before[1]]).toEqual([2, 2]);
    },
    60_000,
  );
});
