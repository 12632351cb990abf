/**
 * The nine SQL tools against the real engines (embedded PostgreSQL and chdb, or the servers
 * the test environment names): the tool definitions are built from the read-only datasources
 * the server uses and each handler is called the way the server calls it (arguments parsed
 * by the tool's schema, a thrown error mapped by the error boundary).
 *
 * Test data lives under fresh organization ids; a second organization holds the "foreign"
 * rows that scoping and injection attempts must never return. Every refused statement is
 * followed by counting rows through the writers: nothing may have been written.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  noopLogger,
  type QueryOptions,
  type QueryResult,
  type SessionSnapshot,
  type SqlDatasource,
} from '@tfo/domain';
import { connectClickHouseServer } from '@tfo/datasources';
import { startTestEngines, type TestEngines } from '../../../tools/jest/engines.js';
import {
  detachedCallContext,
  type ToolCallContext,
  type ToolDefinition,
  type ToolResult,
} from '../src/definitions.js';
import { toolErrorResult } from '../src/server/error-boundary.js';
import { createSqlTools } from '../src/sql/catalog.js';

const SLOW = 180_000;
const ORG = randomUUID();
const OTHER = randomUUID();
const INJECTION = "x' OR 1=1 --";

let engines: TestEngines;
let tools: Map<string, ToolDefinition>;

function context(organizationId: string | undefined): ToolCallContext {
  return detachedCallContext({
    logger: noopLogger,
    signal: new AbortController().signal,
    sessionId: 'int-session',
    organizationId,
  });
}

async function call(
  name: string,
  args: Record<string, unknown>,
  options: { org?: string | undefined; from?: Map<string, ToolDefinition> } = {},
): Promise<ToolResult> {
  const definition = (options.from ?? tools).get(name);
  if (definition === undefined) throw new Error(`no tool ${name}`);
  const ctx = context('org' in options ? options.org : ORG);
  try {
    return await definition.handler(definition.inputSchema.parse(args) as never, ctx);
  } catch (error) {
    return toolErrorResult(error, name, 'int-ref', noopLogger);
  }
}

function textOf(result: ToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

interface Answer {
  row_count: number;
  columns: { name: string; type: string }[];
  duration_ms: number;
  truncated?: { reason: string; limit: number; returned_rows: number };
  notice?: string;
  rows: Record<string, unknown>[];
  [key: string]: unknown;
}

function answer(result: ToolResult): Answer {
  if (result.isError) throw new Error(`unexpected error answer: ${textOf(result)}`);
  return JSON.parse(textOf(result)) as Answer;
}

/** The real datasource with a smaller per-call time budget (the engine enforces it). */
function withBudget(datasource: SqlDatasource, timeoutMs: number): SqlDatasource {
  return {
    engine: datasource.engine,
    query: <Row>(sql: string, options: QueryOptions = {}): Promise<QueryResult<Row>> =>
      datasource.query<Row>(sql, { ...options, timeoutMs }),
    ping: (ms?: number) => datasource.ping(ms),
    close: async () => undefined,
  };
}

const ago = (ms: number): string =>
  new Date(Date.now() - ms).toISOString().replace('T', ' ').replace('Z', '');
const tenant = (organization_id: string) => ({ organization_id, workspace_id: 'ws', tenant_id: 't' });

async function pgCount(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await engines.pg.writer.execute<{ n: number }>(sql, params);
  return Number(rows[0]?.n ?? -1);
}

async function chCount(table: string, org: string): Promise<number> {
  const rows = await engines.ch.writer.select<{ n: string | number }>(
    `SELECT count() AS n FROM ${table} WHERE organization_id = {org:String}`,
    { org },
  );
  return Number(rows[0]?.n ?? -1);
}

function session(
  id: string,
  org: string,
  state: SessionSnapshot['state'],
  minutesAgo: number,
): SessionSnapshot {
  const createdAt = new Date(Date.now() - minutesAgo * 60_000);
  return {
    id,
    transport: 'stdio',
    state,
    organizationId: org,
    client: { name: 'int-client', version: '1.0.0', protocolVersion: '2025-11-25' },
    createdAt,
    updatedAt: createdAt,
    ...(state === 'closed' ? { closedAt: new Date(createdAt.getTime() + 30_000) } : {}),
    toolCalls: 3,
    toolErrors: 1,
  };
}

beforeAll(async () => {
  engines = await startTestEngines();
  tools = new Map(
    createSqlTools({ postgres: engines.pg.datasource, clickhouse: engines.ch.datasource }).map((t) => [
      t.name,
      t,
    ]),
  );

  const pg = engines.pg.writer;
  for (const [id, slug] of [
    [ORG, `int-${ORG}`],
    [OTHER, `int-${OTHER}`],
  ]) {
    await pg.execute('INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3)', [id, 'Int', slug]);
  }
  await pg.execute(
    `INSERT INTO users (organization_id, email, name) VALUES ($1, 'ada@int.test', 'Ada'), ($1, 'bob@int.test', 'Bob'), ($2, 'eve@other.test', 'Eve')`,
    [ORG, OTHER],
  );
  await engines.pg.sessions.save(session(`s-old-${ORG}`, ORG, 'closed', 30));
  await engines.pg.sessions.save(session(`s-mid-${ORG}`, ORG, 'ready', 20));
  await engines.pg.sessions.save(session(`s-new-${ORG}`, ORG, 'ready', 10));
  await engines.pg.sessions.save(session(`s-foreign-${OTHER}`, OTHER, 'ready', 5));

  const ch = engines.ch.writer;
  const toolCall = (org: string, tool_name: string, outcome: string, duration_ms: number, msAgo: number) => ({
    ...tenant(org),
    timestamp: ago(msAgo),
    call_id: randomUUID(),
    session_id: 's1',
    tool_name,
    arguments_digest: 'd',
    duration_ms,
    outcome,
    error_code: outcome === 'error' ? 'DATASOURCE.QUERY_TIMEOUT' : '',
    caller: '',
  });
  await ch.insert('tool_calls', [
    toolCall(ORG, 'echo', 'success', 10, 60_000),
    toolCall(ORG, 'echo', 'success', 30, 50_000),
    toolCall(ORG, 'echo', 'error', 50, 40_000),
    toolCall(ORG, 'pg_query', 'success', 100, 30_000),
    toolCall(ORG, 'old_tool', 'success', 1, 30 * 3_600_000),
    toolCall(OTHER, 'echo', 'success', 5, 20_000),
    toolCall(OTHER, 'foreign_tool', 'success', 5, 20_000),
  ]);
  const usage = (
    org: string,
    provider: string,
    model: string,
    input: number,
    output: number,
    success: boolean,
  ) => ({
    ...tenant(org),
    timestamp: ago(120_000),
    session_id: 's1',
    provider,
    model,
    operation: 'chat',
    input_tokens: input,
    output_tokens: output,
    cost_usd: (input + output) / 1_000_000,
    duration_ms: 800,
    success,
  });
  await ch.insert('api_usage', [
    usage(ORG, 'anthropic', 'claude-sonnet', 1000, 200, true),
    usage(ORG, 'anthropic', 'claude-sonnet', 500, 100, false),
    usage(ORG, 'openai', 'gpt-small', 10, 5, true),
    usage(OTHER, 'anthropic', 'claude-sonnet', 99_999, 1, true),
  ]);
  const event = (
    org: string,
    session_id: string,
    ev: string,
    msAgo: number,
    extra: Record<string, unknown> = {},
  ) => ({
    ...tenant(org),
    timestamp: ago(msAgo),
    session_id,
    event: ev,
    transport: 'stdio',
    client_name: '',
    duration_ms: 0,
    tool_call_count: 0,
    ...extra,
  });
  await ch.insert('session_analytics', [
    event(ORG, 'sa-1', 'created', 9_000),
    event(ORG, 'sa-1', 'initialized', 8_000, { client_name: 'int-client' }),
    event(ORG, 'sa-1', 'closed', 4_000, {
      client_name: 'int-client',
      duration_ms: 5_000,
      tool_call_count: 4,
    }),
    event(ORG, 'sa-2', 'created', 2_000, { transport: 'http' }),
    event(OTHER, 'sa-foreign', 'created', 1_000),
  ]);
  const failure = (org: string, error_code: string, message: string, msAgo: number, tool_name = '') => ({
    ...tenant(org),
    timestamp: ago(msAgo),
    session_id: 's1',
    source: 'tool',
    error_code,
    error_class: 'LimitExceededError',
    message,
    tool_name,
  });
  await ch.insert('error_analytics', [
    failure(ORG, 'DATASOURCE.QUERY_TIMEOUT', 'first timeout', 60_000, 'pg_query'),
    failure(ORG, 'DATASOURCE.QUERY_TIMEOUT', 'latest timeout', 10_000, 'ch_query'),
    failure(ORG, 'VALIDATION.INVALID_ARGUMENT', 'bad hours', 30_000),
    failure(OTHER, 'FOREIGN.ERROR', 'not yours', 5_000),
  ]);
}, SLOW);

afterAll(async () => {
  await engines?.close();
}, SLOW);

describe('PostgreSQL tools', () => {
  it('pg_query reads with bound parameters', async () => {
    const result = answer(
      await call('pg_query', {
        query: 'SELECT email, name FROM users WHERE organization_id = $1 ORDER BY email',
        params: [ORG],
      }),
    );
    expect(result.rows).toEqual([
      { email: 'ada@int.test', name: 'Ada' },
      { email: 'bob@int.test', name: 'Bob' },
    ]);
    expect(result.row_count).toBe(2);
    expect(result.columns).toEqual([
      { name: 'email', type: 'text' },
      { name: 'name', type: 'text' },
    ]);
    expect(typeof result.duration_ms).toBe('number');
    expect(result.truncated).toBeUndefined();

    const injected = answer(
      await call('pg_query', {
        query: 'SELECT email FROM users WHERE email = $1',
        params: [INJECTION],
      }),
    );
    expect(injected.rows).toEqual([]);
  });

  it('pg_list_tables lists the schema with types, and names an unknown schema with near matches', async () => {
    const result = answer(await call('pg_list_tables', {}));
    const users = result.rows.find((r) => r['name'] === 'users');
    expect(users).toMatchObject({ name: 'users', type: 'table', readable: true });
    expect(result.rows.map((r) => r['name'])).toContain('mcp_sessions');
    const unknown = await call('pg_list_tables', { schema: 'publik' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain('Unknown schema "publik"; did you mean "public"?');
  });

  it('pg_describe_table gives columns, indexes and constraints, and names an unknown table', async () => {
    const result = answer(await call('pg_describe_table', { table: 'users' }));
    expect(result).toMatchObject({ schema: 'public', table: 'users', type: 'table' });
    const columns = result['columns'] as Record<string, unknown>[];
    expect(columns.find((c) => c['name'] === 'email')).toMatchObject({ type: 'text', nullable: false });
    expect(columns.find((c) => c['name'] === 'id')).toMatchObject({
      type: 'uuid',
      nullable: false,
      default: 'gen_random_uuid()',
    });
    expect(columns.find((c) => c['name'] === 'last_login_at')).toMatchObject({
      nullable: true,
      default: null,
    });
    const indexes = result['indexes'] as Record<string, unknown>[];
    expect(indexes.find((i) => i['primary'] === true)).toMatchObject({ name: 'users_pkey', unique: true });
    expect(indexes.map((i) => i['name'])).toContain('users_organization_id_idx');
    const constraints = result['constraints'] as Record<string, unknown>[];
    expect(constraints.find((c) => c['type'] === 'primary key')).toMatchObject({ columns: ['id'] });
    expect(constraints.find((c) => c['type'] === 'foreign key')).toMatchObject({
      columns: ['organization_id'],
      referenced_schema: 'public',
      referenced_table: 'organizations',
      referenced_columns: ['id'],
      on_delete: 'cascade',
    });
    expect(constraints.find((c) => c['type'] === 'unique')).toMatchObject({
      columns: ['organization_id', 'email'],
    });

    const unknown = await call('pg_describe_table', { table: 'userz' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(
      /^Error \[DATASOURCE\.UNKNOWN_TABLE\]: Unknown table "public\.userz"; did you mean "users"/,
    );
  });

  it("pg_sessions lists the caller's own sessions, newest first, optionally by state", async () => {
    const all = answer(await call('pg_sessions', {}));
    expect(all.rows.map((r) => r['id'])).toEqual([`s-new-${ORG}`, `s-mid-${ORG}`, `s-old-${ORG}`]);
    expect(all.rows[2]).toMatchObject({
      state: 'closed',
      client_name: 'int-client',
      tool_calls: 3,
      duration_ms: 30_000,
    });
    const closed = answer(await call('pg_sessions', { state: 'closed', limit: 5 }));
    expect(closed.rows.map((r) => r['id'])).toEqual([`s-old-${ORG}`]);
    const one = answer(await call('pg_sessions', { limit: 1 }));
    expect(one.rows.map((r) => r['id'])).toEqual([`s-new-${ORG}`]);
    expect(tools.get('pg_sessions')?.inputSchema.safeParse({ state: INJECTION }).success).toBe(false);
    const injectedOrg = answer(await call('pg_sessions', {}, { org: `${ORG}' OR 1=1 --` }));
    expect(injectedOrg.rows).toEqual([]);
    const none = await call('pg_sessions', {}, { org: undefined });
    expect(none.isError).toBe(true);
    expect(textOf(none)).toContain('TENANCY.NO_ORGANIZATION');
  });
});

describe('ClickHouse tools', () => {
  it('ch_query reads and answers JSON', async () => {
    const result = answer(
      await call('ch_query', {
        query: `SELECT tool_name, count() AS n FROM tool_calls WHERE organization_id = '${ORG}' GROUP BY tool_name ORDER BY tool_name`,
      }),
    );
    expect(result.rows).toEqual([
      { tool_name: 'echo', n: 3 },
      { tool_name: 'old_tool', n: 1 },
      { tool_name: 'pg_query', n: 1 },
    ]);
    expect(result.columns).toEqual([
      { name: 'tool_name', type: 'LowCardinality(String)' },
      { name: 'n', type: 'UInt64' },
    ]);
  });

  it('ch_tool_analytics aggregates per tool inside the window, for the caller only', async () => {
    const result = answer(await call('ch_tool_analytics', {}));
    expect(result.rows.map((r) => r['tool_name'])).toEqual(['echo', 'pg_query']);
    expect(result.rows[0]).toMatchObject({
      tool_name: 'echo',
      total_calls: 3,
      successes: 2,
      failures: 1,
      avg_duration_ms: 30,
      max_duration_ms: 50,
    });
    expect(String(result.rows[0]?.['first_call'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const wide = answer(await call('ch_tool_analytics', { hours: 48 }));
    expect(wide.rows.map((r) => r['tool_name'])).toContain('old_tool');
    const one = answer(await call('ch_tool_analytics', { tool_name: 'pg_query' }));
    expect(one.rows).toHaveLength(1);
    expect(one.rows[0]).toMatchObject({ tool_name: 'pg_query', total_calls: 1 });
    const injected = answer(await call('ch_tool_analytics', { tool_name: INJECTION }));
    expect(injected.rows).toEqual([]);
    const foreign = answer(await call('ch_tool_analytics', {}, { org: `${ORG}' OR 1=1 --` }));
    expect(foreign.rows).toEqual([]);
  });

  it('ch_session_analytics summarises each session from its events', async () => {
    const result = answer(await call('ch_session_analytics', {}));
    expect(result.rows.map((r) => r['session_id'])).toEqual(['sa-2', 'sa-1']);
    expect(result.rows[1]).toMatchObject({
      session_id: 'sa-1',
      client_name: 'int-client',
      transport: 'stdio',
      state: 'closed',
      duration_ms: 5_000,
      tool_calls: 4,
      events: 3,
    });
    expect(result.rows[0]).toMatchObject({
      session_id: 'sa-2',
      transport: 'http',
      state: 'open',
      closed_at: null,
    });
  });

  it('ch_error_analytics groups errors by code and source with the latest message', async () => {
    const result = answer(await call('ch_error_analytics', {}));
    expect(result.rows.map((r) => r['error_code'])).toEqual([
      'DATASOURCE.QUERY_TIMEOUT',
      'VALIDATION.INVALID_ARGUMENT',
    ]);
    expect(result.rows[0]).toMatchObject({
      source: 'tool',
      count: 2,
      sample_message: 'latest timeout',
      sessions: 1,
    });
    expect([...(result.rows[0]?.['tools'] as string[])].sort()).toEqual(['ch_query', 'pg_query']);
  });

  it('ch_api_usage sums tokens and cost per provider and model, optionally for one model', async () => {
    const result = answer(await call('ch_api_usage', {}));
    expect(result.rows.map((r) => `${String(r['provider'])}/${String(r['model'])}`)).toEqual([
      'anthropic/claude-sonnet',
      'openai/gpt-small',
    ]);
    expect(result.rows[0]).toMatchObject({
      calls: 2,
      total_input_tokens: 1500,
      total_output_tokens: 300,
      total_tokens: 1800,
      successes: 1,
      failures: 1,
      avg_duration_ms: 800,
    });
    expect(result.rows[0]?.['total_cost_usd']).toBeCloseTo(0.0018, 6);
    const one = answer(await call('ch_api_usage', { model: 'gpt-small' }));
    expect(one.rows).toHaveLength(1);
    const injected = answer(await call('ch_api_usage', { model: INJECTION }));
    expect(injected.rows).toEqual([]);
  });

  it.each(['ch_tool_analytics', 'ch_session_analytics', 'ch_error_analytics', 'ch_api_usage'])(
    '%s refuses without an organization',
    async (name) => {
      const result = await call(name, {}, { org: undefined });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('Error [TENANCY.NO_ORGANIZATION]');
    },
  );
});

describe('safety', () => {
  it(
    'pg_query refuses writes, file reads and hidden statements, and nothing is written',
    async () => {
      const users = () => pgCount('SELECT count(*)::int AS n FROM users WHERE organization_id = $1', [ORG]);
      const sessions = () => pgCount('SELECT count(*)::int AS n FROM mcp_sessions');
      const before = { users: await users(), sessions: await sessions() };
      const attacks = [
        'SELECT 1; COMMIT; DROP TABLE users',
        "SELECT * FROM pg_read_file('/etc/passwd')",
        `WITH x AS (INSERT INTO users (organization_id, email) VALUES ('${ORG}', 'evil@int.test') RETURNING *) SELECT * FROM x`,
        'SET TRANSACTION READ WRITE; DELETE FROM users',
        `SELECT 1 /* ; */ ; DELETE FROM users WHERE organization_id = '${ORG}'`,
        'SELECT 1 -- a comment\n; DROP TABLE users',
        'DELETE FROM mcp_sessions',
      ];
      for (const query of attacks) {
        const result = await call('pg_query', { query });
        expect([query, result.isError]).toEqual([query, true]);
        expect(textOf(result)).toMatch(/^Error \[(SQL|DATASOURCE)\.[A-Z_]+\]: /);
      }
      const write = await call('pg_query', { query: 'DELETE FROM users', read_only: false });
      expect(textOf(write)).toContain("Writes are disabled by the server's configuration");
      expect({ users: await users(), sessions: await sessions() }).toEqual(before);
      expect(await pgCount("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'users'")).toBe(1);
      expect(await pgCount('SELECT count(*)::int AS n FROM users WHERE email = $1', ['evil@int.test'])).toBe(
        0,
      );
    },
    SLOW,
  );

  it(
    'ch_query refuses SETTINGS, OUTFILE, file() and url(), INSERT, ALTER and DROP, and nothing is written',
    async () => {
      const outfile = join(tmpdir(), `tfo-sql-tools-${randomUUID()}.txt`);
      const before = await chCount('tool_calls', ORG);
      const attacks = [
        'SELECT 1 SETTINGS readonly=0',
        `SELECT 1 INTO OUTFILE '${outfile}'`,
        "SELECT * FROM file('/etc/passwd', 'LineAsString')",
        "SELECT * FROM url('http://127.0.0.1:9/x', 'LineAsString')",
        `INSERT INTO tool_calls (organization_id, tool_name) VALUES ('${ORG}', 'evil')`,
        'ALTER TABLE tool_calls DELETE WHERE 1',
        'DROP TABLE tool_calls',
        'SELECT 1; DROP TABLE tool_calls',
      ];
      for (const query of attacks) {
        const result = await call('ch_query', { query });
        expect([query, result.isError]).toEqual([query, true]);
      }
      const write = await call('ch_query', { query: 'DROP TABLE tool_calls', read_only: false });
      expect(textOf(write)).toContain('Error [SQL.WRITES_DISABLED]');
      expect(await chCount('tool_calls', ORG)).toBe(before);
      expect(existsSync(outfile)).toBe(false);
      const tables = await engines.ch.writer.select<{ name: string }>(
        "SELECT name FROM system.tables WHERE database = currentDatabase() AND name = 'tool_calls'",
      );
      expect(tables).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'caps a 10M-row answer and says how to narrow it',
    async () => {
      const pg = answer(await call('pg_query', { query: 'SELECT n FROM generate_series(1, 10000000) AS n' }));
      expect(pg.row_count).toBe(100);
      expect(pg.rows).toHaveLength(100);
      expect(pg.truncated).toEqual({ reason: 'rows', limit: 100, returned_rows: 100 });
      expect(pg.notice).toMatch(
        /^Only the first 100 rows are shown: the result was cut at the row limit of 100/,
      );
      expect(pg.notice).toContain('raise max_rows (up to 1000)');

      const ch = answer(
        await call('ch_query', { query: 'SELECT number FROM numbers(10000000)', max_rows: 1000 }),
      );
      expect(ch.row_count).toBe(1000);
      expect(ch.truncated).toMatchObject({ reason: 'rows', limit: 1000 });
      expect(ch.notice).toContain('Narrow the query');
    },
    SLOW,
  );

  it('answers engine errors with what went wrong and what to do', async () => {
    const unknown = await call('pg_query', { query: 'SELECT * FROM userz' });
    expect(textOf(unknown)).toBe(
      'Error [DATASOURCE.UNKNOWN_TABLE]: Unknown table "userz"; did you mean "users"?',
    );
    const syntax = await call('pg_query', { query: 'SELECT count( FROM users' });
    expect(textOf(syntax)).toMatch(
      /^Error \[DATASOURCE\.SYNTAX_ERROR\]: .*at position 15 \(line 1, column 15\)/,
    );
    expect(textOf(syntax)).toMatch(/\nFix the SQL at that position and retry\.$/);
    const chUnknown = await call('ch_query', { query: 'SELECT * FROM tool_call' });
    expect(textOf(chUnknown)).toMatch(
      /^Error \[DATASOURCE\.UNKNOWN_TABLE\]: Unknown table 'tool_call'\. Did you mean: tool_calls/,
    );
    const chSyntax = await call('ch_query', { query: 'SELECT count( FROM tool_calls' });
    expect(textOf(chSyntax)).toMatch(/^Error \[DATASOURCE\.SYNTAX_ERROR\]: .*position 13/);

    const nowhere = connectClickHouseServer({ url: 'http://127.0.0.1:1', requestTimeoutMs: 2_000 });
    const unreachable = nowhere.createDatasource({
      limits: { timeoutMs: 1_000, maxRows: 10, maxBytes: 10_000 },
    });
    try {
      const down = await call(
        'ch_api_usage',
        {},
        { from: new Map(createSqlTools({ clickhouse: unreachable }).map((t) => [t.name, t])) },
      );
      expect(down.isError).toBe(true);
      expect(textOf(down)).toMatch(/^Error \[DATASOURCE\.UNREACHABLE\]: ClickHouse is unreachable/);
      expect(textOf(down)).toContain('Check that ClickHouse is running and reachable, then retry');
    } finally {
      await unreachable.close();
      await nowhere.close();
    }
  });

  it(
    'stops a query that runs past its budget and names the budget',
    async () => {
      const slow = new Map(
        createSqlTools({
          postgres: withBudget(engines.pg.datasource, 1_000),
          clickhouse: withBudget(engines.ch.datasource, 1_000),
        }).map((t) => [t.name, t]),
      );
      const pg = await call('pg_query', { query: 'SELECT pg_sleep(5)' }, { from: slow });
      expect(pg.isError).toBe(true);
      expect(textOf(pg)).toContain('Error [DATASOURCE.QUERY_TIMEOUT]');
      expect(textOf(pg)).toContain('1000 ms');
      const ch = await call('ch_query', { query: 'SELECT sleep(3)' }, { from: slow });
      expect(ch.isError).toBe(true);
      expect(textOf(ch)).toContain('Error [DATASOURCE.QUERY_TIMEOUT]');
      expect(textOf(ch)).toContain('1000 ms');
    },
    SLOW,
  );
});
