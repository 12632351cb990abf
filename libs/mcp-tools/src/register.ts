/**
 * Composition entry of @tfo/mcp-tools: `registerMcpTools(container, config)` puts the
 * tool, resource and prompt catalog and the session registry into a tsyringe
 * container. The app registers the ports it owns first (Logger, Clock, IdSource) and
 * may register SessionStore / EventPublisher; in-memory defaults fill the gaps.
 *
 * The SQL tools join the catalog when the app registers the datasources: the pg_* tools with
 * `TOKENS.PostgresDatasource`, the ch_* tools with `TOKENS.ClickHouseDatasource`, and writes
 * through pg_query / ch_query only with `MCP_TOKENS.SqlWriteGate`. The telemetry tools, resources
 * and investigation prompts join with the ClickHouse datasource; the schema resources are always
 * offered (`schema://postgresql` with the PostgreSQL datasource). They are looked up when the
 * server dependencies are first resolved, so registration order does not matter.
 */
import { randomUUID } from 'node:crypto';
import {
  TOKENS,
  noopActivityRecorder,
  noopLogger,
  type ActivityRecorder,
  type Clock,
  type IdSource,
  type ConversationStore,
  type Logger,
  type SqlDatasource,
} from '@tfo/domain';
import { LlmGateway, type LlmGatewaySettings } from '@tfo/llm-providers/gateway';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { CommandRunner, type CommandSettings } from './commands/command-runner.js';
import type { PromptDefinition, ResourceDefinition, ToolDefinition } from './definitions.js';
import { FileService, type FileLimits } from './files/file-service.js';
import { PathGuard } from './files/path-guard.js';
import { codeReviewPrompt, debugHelpPrompt, explainCodePrompt } from './prompts/code-prompts.js';
import { createConfigResource } from './resources/config.resource.js';
import { createFileResource } from './resources/file.resource.js';
import { createHealthResource, type HealthCheck } from './resources/health.resource.js';
import type { McpLogLevel, ServerDependencies } from './server/build-server.js';
import { InMemorySessionStore, noopEventPublisher, SessionRegistry } from './server/session-registry.js';
import { MCP_TOKENS } from './server/tokens.js';
import { createContextTools, type ContextToolSettings } from './context/catalog.js';
import { createLlmTools, InMemoryConversationStore } from './llm/catalog.js';
import { createSqlTools } from './sql/catalog.js';
import type { SqlWriteGate } from './sql/write-gate.js';
import { createTelemetryCatalog } from './telemetry/catalog.js';
import { createEchoTool } from './tools/echo.tool.js';
import { createExecuteCommandTool } from './tools/execute-command.tool.js';
import { createListDirectoryTool } from './tools/list-directory.tool.js';
import { createReadFileTool } from './tools/read-file.tool.js';
import { createSearchFilesTool } from './tools/search-files.tool.js';
import { createSystemInfoTool, type ServerIdentity } from './tools/system-info.tool.js';
import { createWriteFileTool } from './tools/write-file.tool.js';

/** Configuration slice for @tfo/mcp-tools, prepared by the app. */
export interface McpToolsConfig {
  identity: ServerIdentity;
  files: { roots: readonly string[] } & FileLimits;
  commands: CommandSettings;
  /** Organization the server acts for when the transport carries no identity (stdio). */
  organizationId?: string;
  /** The effective configuration with secrets redacted, for `config://server`. */
  redactedConfig: () => unknown;
  /** Changes the process log level (`logging/setLevel`). */
  setLogLevel?: (level: McpLogLevel) => void;
  /** Instructions sent to clients at the handshake. */
  instructions?: string;
  /**
   * SQL tools: the configured row cap, the largest `max_rows` pg_query / ch_query accept
   * (default 1000), and whether free SQL (pg_query, ch_query) is offered (default true; a
   * multi-tenant server turns it off).
   */
  sql?: { maxRows: number; freeSql?: boolean };
  /** Context collection deadline and prompt token budget (defaults 5000 ms and 6000 tokens). */
  context?: ContextToolSettings;
  /**
   * Language models: defaults, provider keys and base URLs. Absent, list_models,
   * claude_conversation and analyze_telemetry are not offered.
   */
  llm?: LlmGatewaySettings;
}

function optional<T>(container: DependencyContainer, token: symbol): T | undefined {
  return container.isRegistered(token, true) ? container.resolve<T>(token) : undefined;
}

function registerDefault<T>(container: DependencyContainer, token: symbol, make: () => T): void {
  if (!container.isRegistered(token, true)) container.register<T>(token, { useValue: make() });
}

/** Registers the MCP catalog and its collaborators in `container`. */
export function registerMcpTools(container: DependencyContainer, config: McpToolsConfig): void {
  registerDefault<Logger>(container, TOKENS.Logger, () => noopLogger);
  registerDefault<Clock>(container, TOKENS.Clock, () => ({ now: () => new Date() }));
  registerDefault<IdSource>(container, TOKENS.IdSource, () => ({ newId: () => randomUUID() }));
  registerDefault(container, TOKENS.SessionStore, () => new InMemorySessionStore());
  registerDefault(container, TOKENS.EventPublisher, () => noopEventPublisher);
  registerDefault<ActivityRecorder>(container, TOKENS.ActivityRecorder, () => noopActivityRecorder);
  registerDefault<ConversationStore>(
    container,
    TOKENS.ConversationStore,
    () => new InMemoryConversationStore(),
  );
  registerDefault<HealthCheck[]>(container, MCP_TOKENS.HealthChecks, () => []);
  container.register(MCP_TOKENS.Config, { useValue: config });
  container.registerSingleton(MCP_TOKENS.SessionRegistry, SessionRegistry);
  container.register<ServerDependencies>(MCP_TOKENS.ServerDependencies, {
    useFactory: instanceCachingFactory((c) => {
      const logger = c.resolve<Logger>(TOKENS.Logger);
      const clock = c.resolve<Clock>(TOKENS.Clock);
      const sessions = c.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry);
      const files = new FileService(new PathGuard(config.files.roots), config.files);
      const commands = new CommandRunner(config.commands);
      const now = () => clock.now();
      const tools: ToolDefinition[] = [
        createEchoTool(),
        createReadFileTool(files),
        createWriteFileTool(files),
        createListDirectoryTool(files),
        createSearchFilesTool(files),
        createExecuteCommandTool(commands, files),
        createSystemInfoTool(config.identity, now),
      ] as unknown as ToolDefinition[];
      const postgres = optional<SqlDatasource>(c, TOKENS.PostgresDatasource);
      const clickhouse = optional<SqlDatasource>(c, TOKENS.ClickHouseDatasource);
      const writeGate = optional<SqlWriteGate>(c, MCP_TOKENS.SqlWriteGate);
      tools.push(
        ...createSqlTools({
          ...(postgres ? { postgres } : {}),
          ...(clickhouse ? { clickhouse } : {}),
          ...(writeGate ? { writeGate } : {}),
          ...(config.sql ? { maxRows: config.sql.maxRows } : {}),
          ...(config.sql?.freeSql === false ? { freeSql: false } : {}),
        }),
      );
      const resources: ResourceDefinition[] = [
        createConfigResource(config.redactedConfig),
        createHealthResource({
          version: config.identity.version,
          startedAt: config.identity.startedAt,
          now,
          activeSessions: () => sessions.activeCount,
          checks: c.resolve<HealthCheck[]>(MCP_TOKENS.HealthChecks),
        }),
        createFileResource(files),
      ];
      const prompts = [codeReviewPrompt, explainCodePrompt, debugHelpPrompt] as unknown as PromptDefinition[];
      const telemetry = createTelemetryCatalog({
        clickhouse,
        postgres,
        organizationId: config.organizationId,
      });
      tools.push(...telemetry.tools);
      const activity = c.resolve<ActivityRecorder>(TOKENS.ActivityRecorder);
      const ids = c.resolve<IdSource>(TOKENS.IdSource);
      const gateway = config.llm
        ? new LlmGateway(config.llm, { activity, logger: logger.child({ component: 'llm' }), now })
        : undefined;
      tools.push(
        ...createContextTools({
          postgres,
          clickhouse,
          now,
          gateway,
          ...(config.context ? { settings: config.context } : {}),
        }),
      );
      if (gateway) {
        tools.push(
          ...createLlmTools({
            gateway,
            conversations: c.resolve<ConversationStore>(TOKENS.ConversationStore),
            ids,
            now,
          }),
        );
      }
      resources.push(...telemetry.resources);
      prompts.push(...telemetry.prompts);
      return {
        identity: config.identity,
        logger: logger.child({ component: 'mcp' }),
        clock,
        ids,
        tools,
        resources,
        prompts,
        sessions,
        activity,
        ...(config.setLogLevel ? { setLogLevel: config.setLogLevel } : {}),
        ...(config.organizationId ? { organizationId: config.organizationId } : {}),
        ...(config.instructions ? { instructions: config.instructions } : {}),
      };
    }),
  });
}
