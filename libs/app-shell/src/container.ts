/**
 * The registrations every TelemetryFlow MCP server makes in its DI container: the ports the app
 * owns (logger, clock, id source), the data plane's datasources, stores, activity recorder and
 * health checks, the SQL write path, and the MCP catalog through `registerMcpTools` with the
 * configuration's files, commands, tenancy, SQL, context and model settings.
 *
 * Invariants:
 * - What differs between servers is passed in, never decided here: the transport name, the
 *   instructions' own sentences, whether free SQL (pg_query, ch_query) is offered, and wrappers
 *   around the activity recorder and the datasources (the HTTP server counts through them).
 * - The model settings are the same the command line checked at load time ({@link modelSettingsOf}).
 * - Without a data plane no datasource is registered, so no SQL or telemetry tool is offered.
 */
import { randomUUID } from 'node:crypto';
import {
  TOKENS,
  noopActivityRecorder,
  type ActivityRecorder,
  type Clock,
  type ConversationStore,
  type IdSource,
  type Logger,
  type SessionStore,
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
import type { DependencyContainer } from 'tsyringe';
import { modelSettingsOf } from './model-settings.js';

/** What a server takes from its data plane (the `DataPlane` of @tfo/datasources has all of it). */
export interface PlanePorts {
  postgres: SqlDatasource;
  clickhouse: SqlDatasource;
  sessions: SessionStore;
  conversations: ConversationStore;
  activity: ActivityRecorder;
  healthChecks(): HealthCheck[];
}

/** What the container is built from besides the configuration. */
export interface ServerInputs {
  /** The validated configuration, as the program adjusted it. */
  config: ServerConfig;
  /** The program's version. */
  version: string;
  logger: Logger;
  /** When the server started. */
  startedAt: Date;
  /** The effective configuration with secrets redacted, for `config://server`. */
  redactedConfig: () => unknown;
  /** Changes the process log level (`logging/setLevel`). */
  setLogLevel: (level: McpLogLevel) => void;
  /** Environment handed to programs run by execute_command (no secrets). */
  childEnv: Record<string, string>;
  /** The engines and what is built on them; absent when `data.enabled` is off. */
  plane?: PlanePorts;
  /** The write path of pg_query / ch_query; only when `sql.allowWrites` is on. */
  writeGate?: SqlWriteGate;
}

/** Wrappers put in front of ports, e.g. to count what passes through them. */
export interface PortDecorators {
  /** Wraps the activity recorder (the plane's, or one that records nothing). */
  activity?: (recorder: ActivityRecorder) => ActivityRecorder;
  /** Wraps each datasource of the plane. */
  datasource?: (datasource: SqlDatasource) => SqlDatasource;
}

/** The sentences of the instructions sent at the handshake that belong to one server. */
export interface ServerInstructions {
  /** What the server is, first. */
  lead: string;
  /** Appended after the shared sentences. */
  notes?: string;
}

/** {@link ServerInputs} and what makes one server differ from the other. */
export interface ServerRegistration extends ServerInputs {
  /** The transport name reported by system_info and recorded on sessions (`stdio`, `http`). */
  transport: string;
  instructions: ServerInstructions;
  /** Offer pg_query and ch_query. Default true; a multi-tenant server turns it off. */
  freeSql?: boolean;
  decorate?: PortDecorators;
}

const FILES_SENTENCE =
  'File tools work inside the configured roots only; execute_command runs allow-listed programs without a shell.';

const DATA_SENTENCE =
  "pg_* tools query PostgreSQL (inventory, tenancy, alerting, the server's sessions) and ch_* tools ClickHouse " +
  "(telemetry and the server's analytics), read-only with row, byte and time budgets.";

/** The instructions: the server's lead, the shared sentences (the data one with a plane), its notes. */
function instructionsOf(own: ServerInstructions, withData: boolean): string {
  return [own.lead, FILES_SENTENCE, withData ? DATA_SENTENCE : undefined, own.notes]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' ');
}

/** Registers what a server process needs in `container`; see the module header. */
export function registerServer(container: DependencyContainer, inputs: ServerRegistration): void {
  const { config, plane, decorate = {} } = inputs;
  const datasource = decorate.datasource ?? ((ds: SqlDatasource) => ds);
  const activity = plane?.activity ?? noopActivityRecorder;
  container.register<Logger>(TOKENS.Logger, { useValue: inputs.logger });
  container.register<Clock>(TOKENS.Clock, { useValue: { now: () => new Date() } });
  container.register<IdSource>(TOKENS.IdSource, { useValue: { newId: () => randomUUID() } });
  container.register<ActivityRecorder>(TOKENS.ActivityRecorder, {
    useValue: decorate.activity ? decorate.activity(activity) : activity,
  });
  if (plane) {
    container.register<SqlDatasource>(TOKENS.PostgresDatasource, { useValue: datasource(plane.postgres) });
    container.register<SqlDatasource>(TOKENS.ClickHouseDatasource, {
      useValue: datasource(plane.clickhouse),
    });
    container.register<SessionStore>(TOKENS.SessionStore, { useValue: plane.sessions });
    container.register<ConversationStore>(TOKENS.ConversationStore, { useValue: plane.conversations });
    container.register<HealthCheck[]>(MCP_TOKENS.HealthChecks, { useValue: plane.healthChecks() });
    if (inputs.writeGate) {
      container.register<SqlWriteGate>(MCP_TOKENS.SqlWriteGate, { useValue: inputs.writeGate });
    }
  }
  registerMcpTools(container, {
    identity: {
      name: config.server.name,
      version: inputs.version,
      startedAt: inputs.startedAt,
      transport: inputs.transport,
    },
    files: config.files,
    commands: { ...config.commands, childEnv: inputs.childEnv },
    organizationId: config.tenancy.organizationId,
    sql: { maxRows: config.sql.maxRows, freeSql: inputs.freeSql ?? true },
    context: config.context,
    llm: modelSettingsOf(config),
    redactedConfig: inputs.redactedConfig,
    setLogLevel: inputs.setLogLevel,
    instructions: instructionsOf(inputs.instructions, plane !== undefined),
  });
}
