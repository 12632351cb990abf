/**
 * Composition root of the HTTP server: builds the DI container from the parsed configuration
 * with the registrations both servers share (@tfo/app-shell), as the `http` transport. What is
 * the HTTP server's own:
 * - its metrics in front of two ports (the ActivityRecorder and each datasource), so tool calls
 *   and datasource failures are counted without touching the libraries;
 * - no free SQL: pg_query and ch_query see what the read-only login sees, across organizations,
 *   so the multi-tenant server offers only the SQL tools bound to the caller's organization;
 * - instructions about credentials, scopes and the concurrency limit.
 */
import { registerServer, type ServerInputs } from '@tfo/app-shell/server';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { TRANSPORT } from './instances.js';
import { meteredActivityRecorder, meteredDatasource, type Metrics } from './metrics.js';

/** What the container is built from besides the configuration. */
export interface ContainerInputs extends ServerInputs {
  /** Where tool calls and datasource failures are counted. */
  metrics: Metrics;
}

/** Builds the container of one HTTP server process. */
export function createContainer(inputs: ContainerInputs): DependencyContainer {
  const { metrics } = inputs;
  const container = rootContainer.createChildContainer();
  registerServer(container, {
    ...inputs,
    transport: TRANSPORT,
    freeSql: false,
    decorate: {
      activity: (recorder) => meteredActivityRecorder(recorder, metrics),
      datasource: (datasource) => meteredDatasource(datasource, metrics),
    },
    instructions: {
      lead:
        'TelemetryFlow MCP server over HTTP. Every call acts for the organization of your credential, and you ' +
        'see only the tools its scopes allow.',
      notes:
        'A tool answering LIMIT.CONCURRENCY means too many calls of it are running for your credential: retry in a few seconds.',
    },
  });
  return container;
}
