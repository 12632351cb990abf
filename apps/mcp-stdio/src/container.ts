/**
 * Composition root of the stdio server: builds the DI container from the parsed
 * configuration. Every library is wired through its `registerX(container, config)`.
 */
import { randomUUID } from 'node:crypto';
import type { DataPlane } from '@tfo/datasources';
import { TOKENS, type Clock, type IdSource, type Logger } from '@tfo/domain';
import {
  MCP_TOKENS,
  registerMcpTools,
  type HealthCheck,
  type McpLogLevel,
  type SqlWriteGate,
} from '@tfo/mcp-tools';
import { providerCredentialsOf, type ServerConfig } from '@tfo/runtime';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';

/** What the container needs besides the configuration. */
export interface ContainerInputs {
  config: ServerConfig;
  version: string;
  logger: Logger;
  redactedConfig: () => unknown;
  setLogLevel: (level: McpLogLevel) => void;
  /** Environment handed to programs run by execute_command (no secrets). */
  childEnv: Record<string, string>;
  startedAt: Date;
  /** The engines and what is built on them; absent when `data.enabled` is off. */
  plane?: DataPlane;
  /** The write path of pg_query / ch_query; only when `sql.allowWrites` is on. */
  writeGate?: SqlWriteGate;
}

/** Builds the container of one stdio server process. */
export function createContainer(inputs: ContainerInputs): DependencyContainer {
  const c = rootContainer.createChildContainer();
  const { config } = inputs;
  c.register<Logger>(TOKENS.Logger, { useValue: inputs.logger });
  c.register<Clock>(TOKENS.Clock, { useValue: { now: () => new Date() } });
  c.register<IdSource>(TOKENS.IdSource, { useValue: { newId: () => randomUUID() } });
  const { plane } = inputs;
  if (plane) {
    c.register(TOKENS.PostgresDatasource, { useValue: plane.postgres });
    c.register(TOKENS.ClickHouseDatasource, { useValue: plane.clickhouse });
    c.register(TOKENS.SessionStore, { useValue: plane.sessions });
    c.register(TOKENS.ConversationStore, { useValue: plane.conversations });
    c.register(TOKENS.ActivityRecorder, { useValue: plane.activity });
    c.register<HealthCheck[]>(MCP_TOKENS.HealthChecks, { useValue: plane.healthChecks() });
    if (inputs.writeGate) c.register<SqlWriteGate>(MCP_TOKENS.SqlWriteGate, { useValue: inputs.writeGate });
  }
  registerMcpTools(c, {
    identity: {
      name: config.server.name,
      version: inputs.version,
      startedAt: inputs.startedAt,
      transport: 'stdio',
    },
    files: config.files,
    commands: { ...config.commands, childEnv: inputs.childEnv },
    organizationId: config.tenancy.organizationId,
    sql: { maxRows: config.sql.maxRows },
    context: config.context,
    llm: { ...config.llm, providers: providerCredentialsOf(config) },
    redactedConfig: inputs.redactedConfig,
    setLogLevel: inputs.setLogLevel,
    instructions:
      'TelemetryFlow MCP server. File tools work inside the configured roots only; execute_command runs allow-listed programs without a shell.' +
      (plane
        ? " pg_* tools query PostgreSQL (inventory, tenancy, alerting, the server's sessions) and ch_* tools ClickHouse (telemetry and the server's analytics), read-only with row, byte and time budgets."
        : ''),
  });
  return c;
}
