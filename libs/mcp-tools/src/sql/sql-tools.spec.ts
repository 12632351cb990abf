/**
 * Unit specs of the nine SQL tools against a fake of the SqlDatasource port: argument
 * bounds and messages, bound parameters (no argument ever appears in SQL text),
 * organization scoping, the classifier in front of the datasource, the write gate,
 * truncation and JSON-safe answers, and the wiring into the catalog.
 *
 * Calls go through `callTool`, which does what the server does: parse the arguments with
 * the tool's schema, run the handler, and turn a thrown error into an `isError` result with
 * the error boundary.
 */
import { describe, expect, it } from '@jest/globals';
import {
  ConfigurationError,
  DependencyError,
  LimitExceededError,
  NotFoundError,
  SESSION_STATES,
  TOKENS,
  noopLogger,
  type QueryOptions,
  type QueryResult,
  type SqlDatasource,
  type SqlEngine,
} from '@tfo/domain';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { container as rootContainer } from 'tsyringe';
import {
  detachedCallContext,
  type ToolCallContext,
  type ToolDefinition,
  type ToolResult,
} from '../definitions.js';
import { registerMcpTools, type McpToolsConfig } from '../register.js';
import { buildServer, type ServerDependencies } from '../server/build-server.js';
import { toolErrorResult } from '../server/error-boundary.js';
import { MCP_TOKENS } from '../server/tokens.js';
import { createSqlTools } from './catalog.js';
import type { SqlWriteGate } from './write-gate.js';

interface Call {
  sql: string;
  options: QueryOptions;
}

type Responder = (sql: string, options: QueryOptions) => QueryResult | Promise<QueryResult>;

const EMPTY: QueryResult = { columns: [], rows: [], rowCount: 0, durationMs: 1 };

/** A fake of the SqlDatasource port that records every query and answers with `respond`. */
class FakeDatasource implements SqlDatasource {
  readonly calls: Call[] = [];
  constructor(
    readonly engine: SqlEngine,
    private readonly respond: Responder = () => EMPTY,
  ) {}
  async query<Row = Record<string, unknown>>(
    sql: string,
    options: QueryOptions = {},
  ): Promise<QueryResult<Row>> {
    this.calls.push({ sql, options });
    return (await this.respond(sql, options)) as QueryResult<Row>;
  }
  async ping(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {
    return undefined;
  }
}

const ORG = '6f1e2d3c-0000-4000-8000-00000000abcd';
const INJECTIONS = ["x' OR 1=1 --", "'; DROP TABLE tool_calls; --", '{evil:String} OR 1', "a\\' OR '1'='1"];

function context(
  organizationId: string | undefined,
  signal: AbortSignal = new AbortController().signal,
): ToolCallContext {
  return detachedCallContext({
    logger: noopLogger,
    signal,
    sessionId: 'session-1',
    organizationId,
  });
}

function tools(deps: Parameters<typeof createSqlTools>[0]): Map<string, ToolDefinition> {
  return new Map(createSqlTools(deps).map((t) => [t.name, t]));
}

function tool(deps: Parameters<typeof createSqlTools>[0], name: string): ToolDefinition {
  const found = tools(deps).get(name);
  if (found === undefined) throw new Error(`no tool ${name}`);
  return found;
}

/** What the server does with a call: validate, run, and map a throw through the error boundary. */
async function callTool(
  definition: ToolDefinition,
  args: Record<string, unknown>,
  ctx: ToolCallContext = context(ORG),
): Promise<ToolResult> {
  const parsed = definition.inputSchema.parse(args);
  try {
    return await definition.handler(parsed as never, ctx);
  } catch (error) {
    return toolErrorResult(error, definition.name, 'ref-1', noopLogger);
  }
}

function textOf(result: ToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

function answer(result: ToolResult): Record<string, unknown> {
  expect(result.isError).toBeFalsy();
  return JSON.parse(textOf(result)) as Record<string, unknown>;
}

function validationMessages(definition: ToolDefinition, args: Record<string, unknown>): string {
  const parsed = definition.inputSchema.safeParse(args);
  expect(parsed.success).toBe(false);
  return parsed.success ? '' : parsed.error.issues.map((i) => i.message).join('\n');
}

function serverConfig(): McpToolsConfig {
  return {
    identity: { name: 'tfo-spec', version: '0.0.0', startedAt: new Date(), transport: 'memory' },
    files: {
      roots: ['/tmp'],
      maxReadBytes: 1,
      maxWriteBytes: 1,
      writeEnabled: false,
      maxSearchResults: 1,
      maxListEntries: 1,
    },
    commands: { allow: [], timeoutMs: 1000, maxOutputBytes: 1, childEnv: {} },
    redactedConfig: () => ({}),
  };
}

const PG_TOOLS = ['pg_query', 'pg_list_tables', 'pg_describe_table', 'pg_sessions'];
const CH_TOOLS = [
  'ch_query',
  'ch_tool_analytics',
  'ch_session_analytics',
  'ch_error_analytics',
  'ch_api_usage',
];
const ANALYTICS = ['ch_tool_analytics', 'ch_session_analytics', 'ch_error_analytics', 'ch_api_usage'];

describe('the SQL tool catalog', () => {
  it('offers the pg_* tools only with PostgreSQL and the ch_* tools only with ClickHouse', () => {
    expect(createSqlTools({})).toEqual([]);
    expect([...tools({ postgres: new FakeDatasource('postgresql') }).keys()]).toEqual(PG_TOOLS);
    expect([...tools({ clickhouse: new FakeDatasource('clickhouse') }).keys()]).toEqual(CH_TOOLS);
    expect([
      ...tools({
        postgres: new FakeDatasource('postgresql'),
        clickhouse: new FakeDatasource('clickhouse'),
      }).keys(),
    ]).toEqual([...PG_TOOLS, ...CH_TOOLS]);
  });

  it('leaves out free SQL (pg_query, ch_query) when a multi-tenant server asks it to', () => {
    const names = [
      ...tools({
        postgres: new FakeDatasource('postgresql'),
        clickhouse: new FakeDatasource('clickhouse'),
        freeSql: false,
      }).keys(),
    ];
    expect(names).toEqual([...PG_TOOLS, ...CH_TOOLS].filter((n) => n !== 'pg_query' && n !== 'ch_query'));
  });

  it('refuses a datasource of the wrong engine at start-up', () => {
    expect(() => createSqlTools({ postgres: new FakeDatasource('clickhouse') })).toThrow(ConfigurationError);
    expect(() => createSqlTools({ clickhouse: new FakeDatasource('postgresql') })).toThrow(
      ConfigurationError,
    );
    expect(() => createSqlTools({ maxRows: 0 })).toThrow(ConfigurationError);
  });

  it('annotates every tool: read-only, closed world, not destructive, idempotent (writes disabled)', () => {
    const all = createSqlTools({
      postgres: new FakeDatasource('postgresql'),
      clickhouse: new FakeDatasource('clickhouse'),
    });
    for (const t of all) {
      expect([t.name, t.annotations]).toEqual([
        t.name,
        { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      ]);
      expect(t.description.length).toBeGreaterThan(80);
    }
  });

  const config = (sql?: { maxRows: number }): McpToolsConfig => ({
    ...serverConfig(),
    ...(sql ? { sql } : {}),
  });

  it('is wired by registerMcpTools from the domain tokens, and absent without datasources', () => {
    const bare = rootContainer.createChildContainer();
    registerMcpTools(bare, config());
    const bareNames = bare
      .resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies)
      .tools.map((t) => t.name);
    for (const name of [...PG_TOOLS, ...CH_TOOLS]) expect(bareNames).not.toContain(name);

    const wired = rootContainer.createChildContainer();
    wired.register(TOKENS.PostgresDatasource, { useValue: new FakeDatasource('postgresql') });
    wired.register(TOKENS.ClickHouseDatasource, { useValue: new FakeDatasource('clickhouse') });
    registerMcpTools(wired, config({ maxRows: 250 }));
    const deps = wired.resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies);
    const names = deps.tools.map((t) => t.name);
    for (const name of [...PG_TOOLS, ...CH_TOOLS]) expect(names).toContain(name);
    const pgQuery = deps.tools.find((t) => t.name === 'pg_query') as ToolDefinition;
    expect(validationMessages(pgQuery, { query: 'SELECT 1', max_rows: 251 })).toContain('1 to 250');
    expect(pgQuery.annotations.readOnlyHint).toBe(true);

    const ch = rootContainer.createChildContainer();
    ch.register(TOKENS.ClickHouseDatasource, { useValue: new FakeDatasource('clickhouse') });
    registerMcpTools(ch, config());
    const chNames = ch.resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies).tools.map((t) => t.name);
    expect(chNames.filter((n) => n.startsWith('pg_'))).toEqual([]);
    expect(chNames.filter((n) => n.startsWith('ch_'))).toEqual(CH_TOOLS);
  });

  it('takes the write gate from MCP_TOKENS.SqlWriteGate', () => {
    const c = rootContainer.createChildContainer();
    c.register(TOKENS.PostgresDatasource, { useValue: new FakeDatasource('postgresql') });
    const gate: SqlWriteGate = { engines: ['postgresql'], execute: async () => EMPTY };
    c.register(MCP_TOKENS.SqlWriteGate, { useValue: gate });
    registerMcpTools(c, config());
    const pgQuery = c
      .resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies)
      .tools.find((t) => t.name === 'pg_query') as ToolDefinition;
    expect(pgQuery.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    });
  });
});

describe('through the MCP server', () => {
  async function connect(
    organizationId: string | undefined,
  ): Promise<{ client: Client; ch: FakeDatasource }> {
    const c = rootContainer.createChildContainer();
    const ch = new FakeDatasource('clickhouse');
    c.register(TOKENS.PostgresDatasource, { useValue: new FakeDatasource('postgresql') });
    c.register(TOKENS.ClickHouseDatasource, { useValue: ch });
    registerMcpTools(c, { ...serverConfig(), ...(organizationId ? { organizationId } : {}) });
    const client = new Client({ name: 'sql-spec', version: '1.0.0' });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await buildServer(c, { era: 'legacy', transport: 'memory' }).connect(serverTransport);
    await client.connect(clientTransport);
    return { client, ch };
  }

  it('lists the nine tools with object schemas and descriptions sized for a model', async () => {
    const { client } = await connect(ORG);
    const listed = (await client.listTools()).tools.filter((t) => /^(pg|ch)_/.test(t.name));
    expect(listed.map((t) => t.name).sort()).toEqual([...PG_TOOLS, ...CH_TOOLS].sort());
    for (const t of listed) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.description?.length).toBeLessThanOrEqual(1200);
    }
    expect(listed.find((t) => t.name === 'pg_query')?.inputSchema.required).toEqual(['query']);
    await client.close();
  });

  it('answers out-of-range arguments and a missing organization with isError results', async () => {
    const { client, ch } = await connect(undefined);
    const range = await client.callTool({ name: 'ch_tool_analytics', arguments: { hours: 0 } });
    expect(range.isError).toBe(true);
    expect(JSON.stringify(range.content)).toContain('hours must be a whole number from 1 to 8760');
    const scoped = await client.callTool({ name: 'ch_api_usage', arguments: {} });
    expect(scoped.isError).toBe(true);
    expect(JSON.stringify(scoped.content)).toContain('TENANCY.NO_ORGANIZATION');
    expect(ch.calls).toEqual([]);
    await client.close();
  });

  it('runs an analytics call for the configured organization', async () => {
    const { client, ch } = await connect(ORG);
    const result = await client.callTool({ name: 'ch_error_analytics', arguments: { hours: 3 } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ organization_id: ORG, window_hours: 3, row_count: 0 });
    expect(ch.calls[0]?.options.params).toMatchObject({ organization_id: ORG, hours: 3, limit: 50 });
    await client.close();
  });
});

describe('argument validation', () => {
  const all = tools({
    postgres: new FakeDatasource('postgresql'),
    clickhouse: new FakeDatasource('clickhouse'),
    maxRows: 500,
  });
  const get = (name: string): ToolDefinition => all.get(name) as ToolDefinition;

  it.each([
    ['ch_tool_analytics', 24, 50],
    ['ch_session_analytics', 168, 50],
    ['ch_error_analytics', 72, 50],
    ['ch_api_usage', 168, 50],
  ])('%s defaults to hours %i and limit %i', (name, hours, limit) => {
    expect(get(name).inputSchema.parse({})).toMatchObject({ hours, limit });
  });

  it('gives the other defaults of the original server', () => {
    expect(get('pg_query').inputSchema.parse({ query: 'SELECT 1' })).toEqual({
      query: 'SELECT 1',
      params: [],
      max_rows: 100,
      read_only: true,
    });
    expect(get('ch_query').inputSchema.parse({ query: 'SELECT 1' })).toEqual({
      query: 'SELECT 1',
      max_rows: 100,
      read_only: true,
    });
    expect(get('pg_list_tables').inputSchema.parse({})).toEqual({ schema: 'public' });
    expect(get('pg_describe_table').inputSchema.parse({ table: 'users' })).toEqual({
      table: 'users',
      schema: 'public',
    });
    expect(get('pg_sessions').inputSchema.parse({})).toEqual({ limit: 20 });
  });

  it.each(ANALYTICS)('%s: hours must be 1..8760 and limit 1..1000, with a clear message', (name) => {
    for (const hours of [0, -1, 8761, 1.5, '24']) {
      expect(validationMessages(get(name), { hours })).toBe(
        'hours must be a whole number from 1 to 8760 (8760 hours is one year)',
      );
    }
    for (const limit of [0, 1001, 2.5]) {
      expect(validationMessages(get(name), { limit })).toBe('limit must be a whole number from 1 to 1000');
    }
    expect(get(name).inputSchema.safeParse({ hours: 8760, limit: 1000 }).success).toBe(true);
    expect(get(name).inputSchema.safeParse({ hours: 1, limit: 1 }).success).toBe(true);
  });

  it('bounds max_rows by the configured cap', () => {
    for (const name of ['pg_query', 'ch_query']) {
      expect(validationMessages(get(name), { query: 'SELECT 1', max_rows: 501 })).toBe(
        "max_rows must be a whole number from 1 to 500 (the server's configured cap)",
      );
      expect(validationMessages(get(name), { query: 'SELECT 1', max_rows: 0 })).toContain('from 1 to 500');
      expect(get(name).inputSchema.safeParse({ query: 'SELECT 1', max_rows: 500 }).success).toBe(true);
    }
    const small = tool({ postgres: new FakeDatasource('postgresql'), maxRows: 10 }, 'pg_query');
    expect(small.inputSchema.parse({ query: 'SELECT 1' })).toMatchObject({ max_rows: 10 });
  });

  it('rejects an empty query, a wrong params shape, an unknown session state and empty filters', () => {
    expect(validationMessages(get('pg_query'), { query: '   ' })).toContain('query must not be empty');
    expect(validationMessages(get('pg_query'), {})).toContain('query must be a string');
    expect(validationMessages(get('pg_query'), { query: 'SELECT $1', params: 'x' })).toContain(
      'params must be an array',
    );
    expect(validationMessages(get('pg_query'), { query: 'SELECT 1', read_only: 'no' })).toContain(
      'read_only must be true or false',
    );
    expect(validationMessages(get('pg_sessions'), { state: "ready' OR 1=1 --" })).toBe(
      `state must be one of: ${SESSION_STATES.join(', ')}`,
    );
    expect(validationMessages(get('pg_sessions'), { limit: 1001 })).toContain('from 1 to 1000');
    expect(validationMessages(get('ch_tool_analytics'), { tool_name: '' })).toContain(
      'omit it to include all',
    );
    expect(validationMessages(get('ch_api_usage'), { model: '' })).toContain('omit it to include all');
    expect(validationMessages(get('pg_describe_table'), {})).toContain('table must be a string');
  });
});

describe('analytics tools: bound parameters and organization scoping', () => {
  const argsFor = (name: string, injection: string): Record<string, unknown> =>
    name === 'ch_tool_analytics'
      ? { tool_name: injection, hours: 12, limit: 7 }
      : name === 'ch_api_usage'
        ? { model: injection, hours: 12, limit: 7 }
        : { hours: 12, limit: 7 };

  it.each(ANALYTICS)('%s never puts an argument or the organization into the SQL text', async (name) => {
    for (const injection of INJECTIONS) {
      const ds = new FakeDatasource('clickhouse');
      const org = `org' OR 1=1 -- ${injection}`;
      const result = await callTool(tool({ clickhouse: ds }, name), argsFor(name, injection), context(org));
      expect(result.isError).toBeFalsy();
      expect(ds.calls).toHaveLength(1);
      const { sql, options } = ds.calls[0] as Call;
      expect(sql).not.toContain(injection);
      expect(sql).not.toContain(org);
      expect(sql).not.toContain('OR 1=1');
      expect(sql).toContain('organization_id = {organization_id:String}');
      expect(sql).toContain('toIntervalHour({hours:UInt32})');
      expect(sql).toContain('LIMIT {limit:UInt32}');
      const params = options.params as Record<string, unknown>;
      expect(params).toMatchObject({ organization_id: org, hours: 12, limit: 7 });
      if (name === 'ch_tool_analytics') {
        expect(params['tool_name']).toBe(injection);
        expect(sql).toContain('tool_name = {tool_name:String}');
      }
      if (name === 'ch_api_usage') {
        expect(params['model']).toBe(injection);
        expect(sql).toContain('model = {model:String}');
      }
      expect(options.maxRows).toBe(7);
    }
  });

  it('adds no filter condition when the optional filter is absent', async () => {
    const ds = new FakeDatasource('clickhouse');
    await callTool(tool({ clickhouse: ds }, 'ch_tool_analytics'), {});
    await callTool(tool({ clickhouse: ds }, 'ch_api_usage'), {});
    expect(ds.calls[0]?.sql).not.toContain('{tool_name:String}');
    expect(ds.calls[0]?.options.params).not.toHaveProperty('tool_name');
    expect(ds.calls[1]?.sql).not.toContain('{model:String}');
    expect(ds.calls[1]?.options.params).not.toHaveProperty('model');
  });

  it.each([...ANALYTICS, 'pg_sessions'])(
    '%s refuses without an organization and queries nothing',
    async (name) => {
      const pg = new FakeDatasource('postgresql');
      const ch = new FakeDatasource('clickhouse');
      const result = await callTool(tool({ postgres: pg, clickhouse: ch }, name), {}, context(undefined));
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('Error [TENANCY.NO_ORGANIZATION]');
      expect(textOf(result)).toContain(`${name} reads one organization's data`);
      expect(pg.calls).toEqual([]);
      expect(ch.calls).toEqual([]);
    },
  );

  it('passes the call signal so a cancelled request cancels the query', async () => {
    const ds = new FakeDatasource('clickhouse');
    const controller = new AbortController();
    await callTool(tool({ clickhouse: ds }, 'ch_error_analytics'), {}, context(ORG, controller.signal));
    expect(ds.calls[0]?.options.signal).toBe(controller.signal);
  });

  it('returns ClickHouse counts as numbers and UTC times as ISO-8601, whatever the engine sent', async () => {
    const ds = new FakeDatasource('clickhouse', () => ({
      columns: [
        { name: 'tool_name', type: 'LowCardinality(String)' },
        { name: 'total_calls', type: 'UInt64' },
        { name: 'huge', type: 'UInt64' },
        { name: 'last_call', type: "DateTime64(3, 'UTC')" },
        { name: 'closed_at', type: "Nullable(DateTime64(3, 'UTC'))" },
      ],
      rows: [
        {
          tool_name: 'echo',
          total_calls: '42',
          huge: '18446744073709551615',
          last_call: '2026-01-02 03:04:05.678',
          closed_at: null,
        },
      ],
      rowCount: 1,
      durationMs: 3,
    }));
    const parsed = answer(
      await callTool(tool({ clickhouse: ds }, 'ch_tool_analytics'), { tool_name: 'echo' }),
    );
    expect(parsed).toMatchObject({ organization_id: ORG, window_hours: 24, tool_name: 'echo', limit: 50 });
    expect(parsed['rows']).toEqual([
      {
        tool_name: 'echo',
        total_calls: 42,
        huge: '18446744073709551615',
        last_call: '2026-01-02T03:04:05.678Z',
        closed_at: null,
      },
    ]);
  });
});

describe('pg_sessions', () => {
  it('binds organization, state and limit, newest first', async () => {
    const ds = new FakeDatasource('postgresql');
    await callTool(tool({ postgres: ds }, 'pg_sessions'), { state: 'closed', limit: 5 });
    await callTool(tool({ postgres: ds }, 'pg_sessions'), {});
    const [first, second] = ds.calls as [Call, Call];
    expect(first.options.params).toEqual([ORG, 'closed', 5]);
    expect(first.options.maxRows).toBe(5);
    expect(second.options.params).toEqual([ORG, null, 20]);
    expect(first.sql).not.toContain(ORG);
    expect(first.sql).toContain('organization_id = $1::uuid');
    expect(first.sql).toContain('ORDER BY created_at DESC');
  });

  it('answers an organization that is not a UUID with no sessions and a note, without querying', async () => {
    const ds = new FakeDatasource('postgresql');
    const parsed = answer(await callTool(tool({ postgres: ds }, 'pg_sessions'), {}, context('org-demo')));
    expect(parsed).toMatchObject({ row_count: 0, rows: [] });
    expect(parsed['notice']).toContain('"org-demo" is not one');
    expect(ds.calls).toEqual([]);
  });
});

describe('pg_query and ch_query', () => {
  it('sends one classified statement with bound params, max_rows as an option and the call signal', async () => {
    const ds = new FakeDatasource('postgresql');
    const controller = new AbortController();
    const result = await callTool(
      tool({ postgres: ds }, 'pg_query'),
      { query: 'SELECT * FROM users WHERE email = $1;  -- trailing', params: ["a' OR 1=1 --"], max_rows: 3 },
      context(ORG, controller.signal),
    );
    expect(answer(result)).toMatchObject({ read_only: true, row_count: 0 });
    expect(ds.calls).toEqual([
      {
        sql: 'SELECT * FROM users WHERE email = $1',
        options: { params: ["a' OR 1=1 --"], maxRows: 3, signal: controller.signal },
      },
    ]);
  });

  it.each([
    'SELECT 1; COMMIT; DROP TABLE users',
    "SELECT * FROM pg_read_file('/etc/passwd')",
    'WITH x AS (INSERT INTO users (email) VALUES ($1) RETURNING *) SELECT * FROM x',
    'SET TRANSACTION READ WRITE; DELETE FROM users',
    'SELECT 1 /* ; */ ; DELETE FROM users',
    'SELECT 1 --\n; DELETE FROM users',
    'DROP TABLE users',
    'SELECT * FROM users FOR UPDATE',
  ])('pg_query refuses %j before it reaches the datasource', async (query) => {
    const ds = new FakeDatasource('postgresql');
    const result = await callTool(tool({ postgres: ds }, 'pg_query'), { query });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Error \[SQL\.[A-Z_]+\]: .*Only one read-only statement per call is allowed/s,
    );
    expect(ds.calls).toEqual([]);
  });

  it.each([
    'SELECT 1 SETTINGS readonly=0',
    "SELECT 1 INTO OUTFILE '/tmp/x'",
    "SELECT * FROM file('/etc/passwd', 'LineAsString')",
    "SELECT * FROM url('http://127.0.0.1/', 'LineAsString')",
    'INSERT INTO tool_calls (tool_name) VALUES (1)',
    'ALTER TABLE tool_calls DELETE WHERE 1',
    'DROP TABLE tool_calls',
    'SELECT 1 FORMAT CSV',
  ])('ch_query refuses %j before it reaches the datasource', async (query) => {
    const ds = new FakeDatasource('clickhouse');
    const result = await callTool(tool({ clickhouse: ds }, 'ch_query'), { query });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Error \[SQL\.[A-Z_]+\]: /);
    expect(ds.calls).toEqual([]);
  });

  it('renders truncation with the notice and keeps values JSON-safe', async () => {
    const ds = new FakeDatasource('postgresql', () => ({
      columns: [
        { name: 'n', type: 'bigint' },
        { name: 'at', type: 'timestamp with time zone' },
        { name: 'data', type: 'bytea' },
        { name: 'ratio', type: 'double precision' },
      ],
      rows: [
        {
          n: 9007199254740993n,
          at: new Date('2026-03-04T05:06:07.000Z'),
          data: Buffer.from([1, 2]),
          ratio: Number.NaN,
        },
      ],
      rowCount: 1,
      durationMs: 4,
      truncated: {
        reason: 'rows',
        limit: 1,
        returnedRows: 1,
        hint: 'The result was cut at 1 rows. Narrow the query: add a WHERE clause.',
      },
    }));
    const parsed = answer(
      await callTool(tool({ postgres: ds }, 'pg_query'), { query: 'SELECT 1', max_rows: 1 }),
    );
    expect(parsed['truncated']).toEqual({ reason: 'rows', limit: 1, returned_rows: 1 });
    expect(parsed['notice']).toContain('Only the first 1 rows are shown');
    expect(parsed['notice']).toContain('add a WHERE clause');
    expect(parsed['notice']).toContain('raise max_rows (up to 1000)');
    expect(parsed['rows']).toEqual([
      { n: '9007199254740993', at: '2026-03-04T05:06:07.000Z', data: '\\x0102', ratio: null },
    ]);
    expect(parsed['columns']).toEqual([
      { name: 'n', type: 'bigint' },
      { name: 'at', type: 'timestamp with time zone' },
      { name: 'data', type: 'bytea' },
      { name: 'ratio', type: 'double precision' },
    ]);
  });

  it('turns datasource errors into isError answers that name the problem and the next step', async () => {
    const failing = (error: Error) => new FakeDatasource('clickhouse', () => Promise.reject(error));
    const unknown = await callTool(
      tool(
        {
          clickhouse: failing(
            new NotFoundError("Unknown table 'metrcs_5m'. Did you mean: metrics_5m?", {
              code: 'DATASOURCE.UNKNOWN_TABLE',
            }),
          ),
        },
        'ch_query',
      ),
      { query: 'SELECT * FROM metrcs_5m' },
    );
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toBe(
      "Error [DATASOURCE.UNKNOWN_TABLE]: Unknown table 'metrcs_5m'. Did you mean: metrics_5m?",
    );

    const timeout = await callTool(
      tool(
        {
          clickhouse: failing(
            new LimitExceededError('The query ran past its time budget of 1000 ms and was stopped.', {
              code: 'DATASOURCE.QUERY_TIMEOUT',
            }),
          ),
        },
        'ch_query',
      ),
      { query: 'SELECT sleep(3)' },
    );
    expect(textOf(timeout)).toContain('1000 ms');

    const down = await callTool(
      tool(
        {
          clickhouse: failing(
            new DependencyError('ClickHouse is unreachable: connect ECONNREFUSED', {
              code: 'DATASOURCE.UNREACHABLE',
            }),
          ),
        },
        'ch_tool_analytics',
      ),
      {},
    );
    expect(down.isError).toBe(true);
    expect(textOf(down)).toContain('Check that ClickHouse is running and reachable, then retry');
  });
});

describe('the write gate', () => {
  it('without a gate, read_only false is refused because writes are disabled by configuration', async () => {
    for (const [name, engine] of [
      ['pg_query', 'postgresql'],
      ['ch_query', 'clickhouse'],
    ] as const) {
      const ds = new FakeDatasource(engine);
      const result = await callTool(
        tool(engine === 'postgresql' ? { postgres: ds } : { clickhouse: ds }, name),
        { query: 'SELECT 1', read_only: false },
      );
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('Error [SQL.WRITES_DISABLED]');
      expect(textOf(result)).toContain("Writes are disabled by the server's configuration");
      expect(textOf(result)).toContain('read-only');
      expect(ds.calls).toEqual([]);
    }
  });

  it('with a gate, read_only false goes to the gate unchanged, and only for its engines', async () => {
    const executed: { engine: SqlEngine; sql: string; options: QueryOptions }[] = [];
    const gate: SqlWriteGate = {
      engines: ['postgresql'],
      execute: async (engine, sql, options) => {
        executed.push({ engine, sql, options });
        return { columns: [], rows: [], rowCount: 0, durationMs: 2 };
      },
    };
    const pg = new FakeDatasource('postgresql');
    const ch = new FakeDatasource('clickhouse');
    const set = tools({ postgres: pg, clickhouse: ch, writeGate: gate });
    const write = 'UPDATE users SET name = $1 WHERE id = $2';
    const result = await callTool(set.get('pg_query') as ToolDefinition, {
      query: write,
      params: ['Ada', 1],
      read_only: false,
    });
    expect(answer(result)).toMatchObject({ read_only: false });
    expect(executed).toHaveLength(1);
    expect(executed[0]).toMatchObject({
      engine: 'postgresql',
      sql: write,
      options: { params: ['Ada', 1], maxRows: 100 },
    });
    expect(pg.calls).toEqual([]);

    const chWrite = await callTool(set.get('ch_query') as ToolDefinition, {
      query: 'INSERT INTO t VALUES (1)',
      read_only: false,
    });
    expect(textOf(chWrite)).toContain('Error [SQL.WRITES_DISABLED]');
    expect(set.get('ch_query')?.annotations.readOnlyHint).toBe(true);
    expect(set.get('pg_query')?.annotations.readOnlyHint).toBe(false);
  });

  it('keeps the classifier on for read_only true even when writes are enabled', async () => {
    const gate: SqlWriteGate = { engines: ['postgresql', 'clickhouse'], execute: async () => EMPTY };
    const pg = new FakeDatasource('postgresql');
    const result = await callTool(tool({ postgres: pg, writeGate: gate }, 'pg_query'), {
      query: 'DELETE FROM users',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Error [SQL.NOT_READ_ONLY]');
    expect(pg.calls).toEqual([]);
  });
});

describe('pg_list_tables and pg_describe_table', () => {
  it('lists a schema with its name bound, and names an unknown schema with near matches', async () => {
    const ds = new FakeDatasource('postgresql', (sql) =>
      sql.includes('pg_namespace\n WHERE left')
        ? {
            columns: [{ name: 'name', type: 'name' }],
            rows: [{ name: 'public' }, { name: 'audit' }],
            rowCount: 2,
            durationMs: 1,
          }
        : EMPTY,
    );
    const result = await callTool(tool({ postgres: ds }, 'pg_list_tables'), { schema: 'publc' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'Error [DATASOURCE.UNKNOWN_SCHEMA]: Unknown schema "publc"; did you mean "public"?',
    );
    expect(ds.calls[0]?.options.params).toEqual(['publc']);
    expect(ds.calls[0]?.sql).not.toContain('publc');
  });

  it('describes a table from bound catalog queries', async () => {
    const ds = new FakeDatasource('postgresql', (sql) => {
      if (sql.includes('pg_attrdef')) {
        return {
          columns: [],
          rows: [{ name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' }],
          rowCount: 1,
          durationMs: 1,
        };
      }
      if (sql.includes('pg_get_indexdef')) {
        return {
          columns: [],
          rows: [{ name: 'users_pkey', definition: 'CREATE UNIQUE INDEX ...', unique: true, primary: true }],
          rowCount: 1,
          durationMs: 1,
        };
      }
      if (sql.includes('pg_constraint')) {
        return {
          columns: [],
          rows: [{ name: 'users_pkey', type: 'primary key', columns: ['id'] }],
          rowCount: 1,
          durationMs: 1,
        };
      }
      return {
        columns: [],
        rows: [{ type: 'table', row_estimate: 2n, comment: null }],
        rowCount: 1,
        durationMs: 1,
      };
    });
    const parsed = answer(
      await callTool(tool({ postgres: ds }, 'pg_describe_table'), { table: 'audit.users' }),
    );
    expect(parsed).toMatchObject({
      schema: 'audit',
      table: 'users',
      type: 'table',
      row_estimate: '2',
      columns: [{ name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' }],
      indexes: [{ name: 'users_pkey', unique: true, primary: true }],
      constraints: [{ name: 'users_pkey', type: 'primary key', columns: ['id'] }],
      duration_ms: 4,
    });
    expect(ds.calls).toHaveLength(4);
    for (const call of ds.calls) {
      expect(call.options.params).toEqual(['audit', 'users']);
      expect(call.sql).not.toContain("'users'");
    }
  });

  it('names an unknown table with near matches, including the same name in another schema', async () => {
    const ds = new FakeDatasource('postgresql', (sql) =>
      sql.includes('schema_name')
        ? {
            columns: [],
            rows: [
              { schema_name: 'public', name: 'users' },
              { schema_name: 'public', name: 'user_roles' },
              { schema_name: 'audit', name: 'userz' },
              { schema_name: 'public', name: 'alert_rules' },
            ],
            rowCount: 4,
            durationMs: 1,
          }
        : EMPTY,
    );
    const result = await callTool(tool({ postgres: ds }, 'pg_describe_table'), { table: 'userz' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'Error [DATASOURCE.UNKNOWN_TABLE]: Unknown table "public.userz"; did you mean "audit.userz", "users"?',
    );
  });
});
