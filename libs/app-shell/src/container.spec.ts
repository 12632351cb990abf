import { describe, expect, it } from '@jest/globals';
import {
  TOKENS,
  noopActivityRecorder,
  noopLogger,
  type ActivityRecorder,
  type QueryResult,
  type SqlDatasource,
  type SqlEngine,
} from '@tfo/domain';
import {
  InMemorySessionStore,
  MCP_TOKENS,
  type McpToolsConfig,
  type ServerDependencies,
  type SqlWriteGate,
} from '@tfo/mcp-tools';
import { loadConfig, type ServerConfig } from '@tfo/runtime';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { registerServer, type PlanePorts, type ServerRegistration } from './container.js';

function configFrom(env: Record<string, string> = {}): ServerConfig {
  return loadConfig({ env, cwd: '/srv', homeDir: '/home/ops', readFile: () => undefined }).config;
}

const EMPTY: QueryResult = { columns: [], rows: [], rowCount: 0, durationMs: 0 };

/** A datasource port that answers every query with no rows. */
function datasource(engine: SqlEngine): SqlDatasource {
  return {
    engine,
    query: async <Row>(): Promise<QueryResult<Row>> => ({ ...EMPTY, rows: [] }),
    ping: async () => true,
    close: async () => undefined,
  };
}

function plane(): PlanePorts {
  return {
    postgres: datasource('postgresql'),
    clickhouse: datasource('clickhouse'),
    sessions: new InMemorySessionStore(),
    conversations: { save: async () => undefined, get: async () => undefined },
    activity: noopActivityRecorder,
    healthChecks: () => [{ name: 'postgresql', check: async () => ({ status: 'up' as const }) }],
  };
}

function registered(overrides: Partial<ServerRegistration> = {}, config = configFrom()): DependencyContainer {
  const container = rootContainer.createChildContainer();
  registerServer(container, {
    config,
    version: '1.2.3',
    logger: noopLogger,
    startedAt: new Date('2026-01-01T00:00:00Z'),
    redactedConfig: () => ({}),
    setLogLevel: () => undefined,
    childEnv: { PATH: '/bin' },
    transport: 'test',
    instructions: { lead: 'Lead sentence.' },
    ...overrides,
  });
  return container;
}

function toolNames(container: DependencyContainer): string[] {
  return container.resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies).tools.map((t) => t.name);
}

const ORGANIZATION_BOUND_SQL_TOOLS = [
  'pg_list_tables',
  'pg_describe_table',
  'pg_sessions',
  'ch_tool_analytics',
  'ch_session_analytics',
  'ch_error_analytics',
  'ch_api_usage',
];

describe('registerServer', () => {
  it('offers the file, command and model tools without a data plane, and no SQL tool', () => {
    const names = toolNames(registered());
    expect(names).toEqual(expect.arrayContaining(['echo', 'read_file', 'execute_command', 'list_models']));
    expect(names.filter((name) => /^(pg|ch)_/.test(name))).toEqual([]);
  });

  it('hands the configuration slices, the model settings and the transport to the catalog', () => {
    const config = configFrom({ OPENAI_API_KEY: 'sk-test', TELEMETRYFLOW_MCP_SQL_MAX_ROWS: '250' });
    const given = registered({ transport: 'http' }, config).resolve<McpToolsConfig>(MCP_TOKENS.Config);
    expect(given.identity).toMatchObject({ name: config.server.name, version: '1.2.3', transport: 'http' });
    expect(given.sql).toEqual({ maxRows: 250, freeSql: true });
    expect(given.llm).toMatchObject({
      defaultModel: config.llm.defaultModel,
      providers: { openai: { apiKey: 'sk-test' } },
    });
    expect(given.commands.childEnv).toEqual({ PATH: '/bin' });
    expect(given.organizationId).toBe(config.tenancy.organizationId);
  });

  it('composes the instructions, with the data sentence only when there is a data plane', () => {
    const bare = registered({ instructions: { lead: 'Lead.', notes: 'Notes.' } });
    expect(bare.resolve<McpToolsConfig>(MCP_TOKENS.Config).instructions).toBe(
      'Lead. File tools work inside the configured roots only; execute_command runs allow-listed programs without a shell. Notes.',
    );
    const withData = registered({ plane: plane() }).resolve<McpToolsConfig>(MCP_TOKENS.Config).instructions;
    expect(withData).toMatch(/^Lead sentence\. File tools .* pg_\* tools query PostgreSQL .* budgets\.$/);
  });

  it('offers free SQL with a data plane unless it is turned off, keeping the organization-bound SQL tools', () => {
    const open = toolNames(registered({ plane: plane() }));
    expect(open).toEqual(expect.arrayContaining(['pg_query', 'ch_query', ...ORGANIZATION_BOUND_SQL_TOOLS]));
    const bound = toolNames(registered({ plane: plane(), freeSql: false }));
    expect(bound).toEqual(expect.arrayContaining(ORGANIZATION_BOUND_SQL_TOOLS));
    expect(bound).not.toContain('pg_query');
    expect(bound).not.toContain('ch_query');
  });

  it("registers the plane's ports, its health checks and the write path", () => {
    const ports = plane();
    const writeGate: SqlWriteGate = { engines: ['postgresql'], execute: async () => EMPTY };
    const container = registered({ plane: ports, writeGate });
    expect(container.resolve(TOKENS.PostgresDatasource)).toBe(ports.postgres);
    expect(container.resolve(TOKENS.ClickHouseDatasource)).toBe(ports.clickhouse);
    expect(container.resolve(TOKENS.SessionStore)).toBe(ports.sessions);
    expect(container.resolve(TOKENS.ConversationStore)).toBe(ports.conversations);
    expect(container.resolve(TOKENS.ActivityRecorder)).toBe(ports.activity);
    expect(container.resolve(MCP_TOKENS.SqlWriteGate)).toBe(writeGate);
    expect(container.resolve<{ name: string }[]>(MCP_TOKENS.HealthChecks).map((c) => c.name)).toEqual([
      'postgresql',
    ]);
  });

  it('puts the decorators in front of the activity recorder and each datasource', () => {
    const wrapped: string[] = [];
    const decorate = {
      activity: (inner: ActivityRecorder): ActivityRecorder => ({ ...inner }),
      datasource: (inner: SqlDatasource): SqlDatasource => {
        wrapped.push(inner.engine);
        return { ...inner };
      },
    };
    const ports = plane();
    const container = registered({ plane: ports, decorate });
    expect(wrapped).toEqual(['postgresql', 'clickhouse']);
    expect(container.resolve(TOKENS.PostgresDatasource)).not.toBe(ports.postgres);
    expect(container.resolve(TOKENS.ActivityRecorder)).not.toBe(ports.activity);
    const bare = registered({ decorate });
    expect(bare.resolve(TOKENS.ActivityRecorder)).not.toBe(noopActivityRecorder);
    expect(bare.isRegistered(TOKENS.PostgresDatasource, true)).toBe(false);
  });
});
