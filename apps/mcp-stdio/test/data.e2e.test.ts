/**
 * The built stdio server with its engines, driven by the SDK client: the SQL tools on the
 * embedded engines, the server's own records, health, and a PostgreSQL server stopped in
 * the middle of a session (the tools answer isError within their budget, everything else keeps
 * working, and the server recovers when PostgreSQL is back).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/client';
import { freeLoopbackPort, startEmbeddedPostgres, type EmbeddedPostgres } from '@tfo/datasources';
import { connect, firstText, makeSandbox, type Sandbox } from './harness.js';
import {
  embeddedPostgresLoader,
  needsPostgresSystemUser,
  reachableDir,
} from '../../../tools/jest/engines.js';

const SLOW = 180_000;

function json(result: unknown): Record<string, unknown> {
  return JSON.parse(firstText(result)) as Record<string, unknown>;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  return client.callTool({ name, arguments: args });
}

async function health(client: Client): Promise<{ name: string; status: string; detail?: string }[]> {
  const answer = await client.readResource({ uri: 'status://health' });
  return (JSON.parse((answer.contents[0] as { text: string }).text) as { components: [] }).components;
}

describe('stdio server on the embedded engines, with the demo estate', () => {
  let sandbox: Sandbox;
  let client: Client;

  beforeAll(async () => {
    sandbox = makeSandbox();
    client = await connect(sandbox, 'modern', {
      env: {
        TELEMETRYFLOW_MCP_DATA_ENABLED: 'true',
        TELEMETRYFLOW_MCP_DATA_DIR: reachableDir(sandbox.base, 'data'),
        TELEMETRYFLOW_MCP_DEMO_SIZE: 'small',
      },
    });
  }, SLOW);

  afterAll(async () => {
    await client?.close();
  }, SLOW);

  it('offers the nine SQL tools', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'pg_query',
        'pg_list_tables',
        'pg_describe_table',
        'pg_sessions',
        'ch_query',
        'ch_tool_analytics',
        'ch_session_analytics',
        'ch_error_analytics',
        'ch_api_usage',
      ]),
    );
  });

  it('answers pg_query and ch_query, and refuses a write on each', async () => {
    const pg = await call(client, 'pg_query', { query: 'SELECT 1 + 1 AS two' });
    expect(pg.isError).toBeFalsy();
    expect(json(pg)['rows']).toEqual([{ two: 2 }]);
    const ch = await call(client, 'ch_query', { query: 'SELECT 40 + 2 AS answer' });
    expect(ch.isError).toBeFalsy();
    expect(json(ch)['rows']).toEqual([{ answer: 42 }]);
    const drop = await call(client, 'pg_query', { query: 'SELECT 1; DROP TABLE organizations' });
    expect(drop.isError).toBe(true);
    const insert = await call(client, 'ch_query', {
      query: "INSERT INTO tool_calls (tool_name) VALUES ('x')",
    });
    expect(insert.isError).toBe(true);
  }, 60_000);

  it('records its own tool calls (ClickHouse) and its session (PostgreSQL)', async () => {
    await call(client, 'echo', { message: 'recorded' });
    let rows: { tool_name: string; total_calls: unknown }[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const answer = await call(client, 'ch_tool_analytics', { tool_name: 'echo' });
      rows = (json(answer)['rows'] as typeof rows | undefined) ?? [];
      if (rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(rows[0]).toMatchObject({ tool_name: 'echo' });
    expect(Number(rows[0]?.total_calls)).toBeGreaterThanOrEqual(1);
    const sessions = await call(client, 'pg_sessions', { state: 'ready' });
    expect(sessions.isError).toBeFalsy();
    expect(firstText(sessions)).toContain('tfo-e2e');
  }, 60_000);

  it('reports both engines in status://health', async () => {
    expect(await health(client)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'postgresql', status: 'up' }),
        expect.objectContaining({ name: 'clickhouse', status: 'up' }),
      ]),
    );
  });

  it('loads the demo estate, whose incidents are visible by query', async () => {
    const deadline = Date.now() + 150_000;
    let demo = (await health(client)).find((c) => c.name === 'demo-estate');
    while (!demo?.detail?.startsWith('loaded') && Date.now() < deadline) {
      expect(demo?.status).toBe('up');
      await new Promise((r) => setTimeout(r, 1_000));
      demo = (await health(client)).find((c) => c.name === 'demo-estate');
    }
    expect(demo?.detail).toMatch(/^loaded: created/);
    // The CPU spike on payment-processor, and its error rate during the spike against before.
    const cpu = await call(client, 'ch_query', {
      query: `SELECT max(value) AS peak FROM metrics
              WHERE service_name = 'payment-processor' AND metric_name = 'cpu.usage' AND timestamp > now() - INTERVAL 1 HOUR`,
    });
    expect(Number((json(cpu)['rows'] as { peak: number }[])[0]?.peak)).toBeGreaterThan(90);
    // The bad deployment, in the inventory.
    const change = await call(client, 'pg_query', {
      query:
        "SELECT version FROM change_events WHERE service_name = $1 AND type = 'deployment' ORDER BY occurred_at",
      params: ['checkout-service'],
    });
    expect(firstText(change)).toContain('v2.15.0');
    // The investigator's questions, answered from the data.
    const anomalies = await call(client, 'detect_anomalies', {
      service: 'payment-processor',
      metric: 'cpu',
      sensitivity: 'medium',
    });
    expect(anomalies.isError).toBeFalsy();
    expect(firstText(anomalies)).toMatch(/sigma/i);
    const sli = await call(client, 'check_sli_compliance', {
      metric: 'availability',
      threshold: 99,
      window: '1h',
    });
    expect(sli.isError).toBeFalsy();
    expect(firstText(sli)).toContain('payment-processor');
    // The platform's context and prompts over the same data.
    const context = await call(client, 'collect_telemetry_context', {
      context_type: 'metrics',
      context_id: 'cpu.usage',
    });
    expect(context.isError).toBeFalsy();
    expect((json(context) as { summary: string }).summary).toMatch(/payment-processor/);
    const insight = await call(client, 'build_insight_prompt', {
      insight_type: 'root-cause',
      context_type: 'errors',
      window: '1h',
    });
    expect(insight.isError).toBeFalsy();
    const prompts = json(insight) as { system_prompt: string; user_prompt: string };
    expect(prompts.system_prompt).toContain('IMPORTANT INSTRUCTIONS');
    expect(prompts.user_prompt).toContain('payment-processor');
    // Two organizations; the analytics tools see only the caller's.
    const orgs = await call(client, 'pg_query', { query: 'SELECT count(*)::int AS n FROM organizations' });
    expect((json(orgs)['rows'] as { n: number }[])[0]?.n).toBeGreaterThanOrEqual(2);
  }, 180_000);
});

describe('a PostgreSQL server stopped in the middle of a session', () => {
  let sandbox: Sandbox;
  let client: Client;
  let postgres: EmbeddedPostgres | undefined;
  let pgDir: string;
  let port: number;

  const startPostgres = () =>
    startEmbeddedPostgres({
      dataDir: pgDir,
      port,
      loader: embeddedPostgresLoader,
      createSystemUser: needsPostgresSystemUser,
    });

  beforeAll(async () => {
    sandbox = makeSandbox();
    pgDir = reachableDir(sandbox.base, 'external-pg');
    port = await freeLoopbackPort();
    postgres = await startPostgres();
    client = await connect(sandbox, 'legacy', {
      env: {
        TELEMETRYFLOW_MCP_DATA_ENABLED: 'true',
        TELEMETRYFLOW_MCP_DATA_DIR: reachableDir(sandbox.base, 'data'),
        TELEMETRYFLOW_MCP_DEMO_LOAD: 'never',
        TELEMETRYFLOW_MCP_POSTGRES_URL: postgres.url,
        TELEMETRYFLOW_MCP_POSTGRES_CONNECTION_TIMEOUT_MS: '1000',
        TELEMETRYFLOW_MCP_SQL_TIMEOUT_MS: '2000',
      },
    });
  }, SLOW);

  afterAll(async () => {
    await client?.close();
    await postgres?.stop();
  }, SLOW);

  it('answers isError while PostgreSQL is down, keeps serving, and recovers', async () => {
    const before = await call(client, 'pg_query', { query: 'SELECT 1 AS one' });
    expect(before.isError).toBeFalsy();

    await postgres?.stop();
    postgres = undefined;
    // The connection timeout (1 s) bounds the answer; a hang would fail the test's own timeout.
    const during = await call(client, 'pg_query', { query: 'SELECT 1 AS one' });
    expect(during.isError).toBe(true);
    expect(firstText(during)).toMatch(/DATASOURCE\.(UNREACHABLE|UNAVAILABLE)/);
    // The rest of the server keeps working.
    expect(firstText(await call(client, 'echo', { message: 'still here' }))).toBe('still here');
    expect((await call(client, 'ch_query', { query: 'SELECT 1 AS one' })).isError).toBeFalsy();

    postgres = await startPostgres();
    let after = await call(client, 'pg_query', { query: 'SELECT 1 AS one' });
    const deadline = Date.now() + 20_000;
    while (after.isError && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      after = await call(client, 'pg_query', { query: 'SELECT 1 AS one' });
    }
    expect(after.isError).toBeFalsy();
    expect(json(after)['rows']).toEqual([{ one: 1 }]);
  }, 120_000);
});
