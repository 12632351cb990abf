/**
 * Composition root of the HTTP server: builds the DI container from the parsed configuration.
 * Every library is wired through its `registerX(container, config)`, as in the stdio app; the
 * HTTP app adds its metrics in front of two ports (the ActivityRecorder and each datasource),
 * so tool calls and datasource failures are counted without touching the libraries.
 */
import { randomUUID } from 'node:crypto';
import type { DataPlane } from '@tfo/datasources';
import {
  TOKENS,
  noopActivityRecorder,
  type ActivityRecorder,
  type Clock,
  type IdSource,
  type Logger,
  type SqlDatasource,
} from '@tfo/domain';
import {
  MCP_TOKENS,
  registerMcpTools,
  type HealthCheck,
  type McpLogLevel,
  type SqlWriteGate,
} from '@tfo/mcp-tools';
import type { ServerConfig } from '@tfo/runtime';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { meteredActivityRecorder, meteredDatasource, type Metrics } from './metrics.js';

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
  /** Where tool calls and datasource failures are counted. */
  metrics: Metrics;
  /** The engines and what is built on them; absent when `data.enabled` is off. */
  plane?: DataPlane;
  /** The write path of pg_query / ch_query; only when `sql.allowWrites` is on. */
  writeGate?: SqlWriteGate;
}

/** Builds the container of one HTTP server process. */
export function createContainer(inputs: ContainerInputs): DependencyContainer {
  const c = rootContainer.createChildContainer();
  const { config, metrics } = inputs;
  c.register<Logger>(TOKENS.Logger, { useValue: inputs.logger });
  c.register<Clock>(TOKENS.Clock, { useValue: { now: () => new Date() } });
  c.register<IdSource>(TOKENS.IdSource, { useValue: { newId: () => randomUUID() } });
  const { plane } = inputs;
  c.register<ActivityRecorder>(TOKENS.ActivityRecorder, {
    useValue: meteredActivityRecorder(plane?.activity ?? noopActivityRecorder, metrics),
  });
  if (plane) {
    c.register<SqlDatasource>(TOKENS.PostgresDatasource, {
      useValue: meteredDatasource(plane.postgres, metrics),
    });
    c.register<SqlDatasource>(TOKENS.ClickHouseDatasource, {
      useValue: meteredDatasource(plane.clickhouse, metrics),
    });
    c.register(TOKENS.SessionStore, { useValue: plane.sessions });
    c.register(TOKENS.ConversationStore, { useValue: plane.conversations });
    c.register<HealthCheck[]>(MCP_TOKENS.HealthChecks, { useValue: plane.healthChecks() });
    if (inputs.writeGate) c.register<SqlWriteGate>(MCP_TOKENS.SqlWriteGate, { useValue: inputs.writeGate });
  }
  registerMcpTools(c, {
    identity: {
      name: config.server.name,
      version: inputs.version,
      startedAt: inputs.startedAt,
      transport: 'http',
    },
    files: config.files,
    commands: { ...config.commands, childEnv: inputs.childEnv },
    organizationId: config.tenancy.organizationId,
    sql: { maxRows: config.sql.maxRows },
    context: config.context,
    redactedConfig: inputs.redactedConfig,
    setLogLevel: inputs.setLogLevel,
    instructions:
      'TelemetryFlow MCP server over HTTP. Every call acts for the organization of your credential, and you ' +
      'see only the tools its scopes allow. File tools work inside the configured roots only; execute_command ' +
      'runs allow-listed programs without a shell.' +
      (plane
        ? " pg_* tools query PostgreSQL (inventory, tenancy, alerting, the server's sessions) and ch_* tools ClickHouse (telemetry and the server's analytics), read-only with row, byte and time budgets."
        : '') +
      ' A tool answering LIMIT.CONCURRENCY means too many calls of it are running for your credential: retry in a few seconds.',
  });
  return c;
}
