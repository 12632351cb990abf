/**
 * Composition root of the stdio server: builds the DI container from the parsed
 * configuration. Every library is wired through its `registerX(container, config)`.
 */
import { randomUUID } from 'node:crypto';
import { TOKENS, type Clock, type IdSource, type Logger } from '@tfo/domain';
import { registerMcpTools, type McpLogLevel } from '@tfo/mcp-tools';
import type { ServerConfig } from '@tfo/runtime';
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
}

/** Builds the container of one stdio server process. */
export function createContainer(inputs: ContainerInputs): DependencyContainer {
  const c = rootContainer.createChildContainer();
  const { config } = inputs;
  c.register<Logger>(TOKENS.Logger, { useValue: inputs.logger });
  c.register<Clock>(TOKENS.Clock, { useValue: { now: () => new Date() } });
  c.register<IdSource>(TOKENS.IdSource, { useValue: { newId: () => randomUUID() } });
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
    redactedConfig: inputs.redactedConfig,
    setLogLevel: inputs.setLogLevel,
    instructions:
      'TelemetryFlow MCP server. File tools work inside the configured roots only; execute_command runs allow-listed programs without a shell.',
  });
  return c;
}
