/**
 * Composition root of the stdio server: builds the DI container from the parsed configuration
 * with the registrations both servers share (@tfo/app-shell), as the `stdio` transport. The
 * stdio server adds nothing of its own: one local user, the configured organization, free SQL
 * (pg_query, ch_query) offered.
 */
import { registerServer, type ServerInputs } from '@tfo/app-shell/server';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';

/** What the container is built from besides the configuration. */
export type ContainerInputs = ServerInputs;

/** Builds the container of one stdio server process. */
export function createContainer(inputs: ContainerInputs): DependencyContainer {
  const container = rootContainer.createChildContainer();
  registerServer(container, {
    ...inputs,
    transport: 'stdio',
    instructions: { lead: 'TelemetryFlow MCP server.' },
  });
  return container;
}
