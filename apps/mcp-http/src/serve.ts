/**
 * Serves MCP over Streamable HTTP until SIGTERM or SIGINT, then shuts down in order: stop
 * accepting, let in-flight requests finish (up to `http.shutdownGraceMs`), close the sessions,
 * the identity layer and the data plane, and exit 0.
 *
 * Start-up order: refuse an unauthenticated public bind (exit 2), start the data plane (it opens
 * the engines in the background), build the container and the identity layer, listen, print the
 * banner on stdout. A failure after the engines started stops them before the error is reported.
 */
import type { ServeInputs } from '@tfo/app-shell';
import { handleShutdown, openDataPlane, stopDataPlane } from '@tfo/app-shell/server';
import { MCP_TOKENS, type ServerDependencies, type SessionRegistry } from '@tfo/mcp-tools';
import { createAuthLayer } from './auth/index.js';
import { renderBanner } from './banner.js';
import { printLine } from './cli-output.js';
import { createContainer } from './container.js';
import { HttpServer } from './http-server.js';
import { InstanceFactory, TRANSPORT } from './instances.js';
import { McpEndpoint } from './mcp-endpoint.js';
import { Metrics } from './metrics.js';
import { AddressPolicy, assertSafeBind, isLoopbackHost, mcpUrl, resolvePublicUrl } from './network.js';
import { checkReadiness } from './readiness.js';
import { SessionManager } from './sessions.js';

/** Starts the HTTP server; resolves once it is listening and the banner is printed. */
export async function serve(inputs: ServeInputs): Promise<void> {
  const { logger, config } = inputs;
  assertSafeBind(config);
  const publicUrl = resolvePublicUrl(config);
  const loopback = isLoopbackHost(config.server.host);
  const endpointUrl = mcpUrl(publicUrl);

  // The engines open in the background; the drivers are loaded only when the engines are on.
  const data = await openDataPlane(config, logger, inputs.dataDir);
  const plane = data?.plane;
  const metrics = new Metrics(plane ? ['postgresql', 'clickhouse'] : []);
  let auth: Awaited<ReturnType<typeof createAuthLayer>> | undefined;
  let httpServer: HttpServer;
  let sessions: SessionManager | undefined;
  let endpoint: McpEndpoint;
  let registry: SessionRegistry;
  try {
    const container = createContainer({ ...inputs, ...data, metrics });
    registry = container.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry);
    auth = await createAuthLayer({
      config,
      ...(plane ? { plane } : {}),
      logger,
      publicUrl,
      loopback,
      dataDir: inputs.dataDir,
    });
    const instances = new InstanceFactory({
      deps: container.resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies),
      concurrency: auth.concurrency,
      concurrencyLimit: config.limits.expensiveToolConcurrency,
      metrics,
    });
    sessions =
      config.http.sessions === 'stateful'
        ? new SessionManager({
            ttlMs: config.http.sessionTtlMs,
            maxBodyBytes: config.http.maxBodyBytes,
            build: (caller) => instances.build('legacy', caller, false),
            logger,
          })
        : undefined;
    endpoint = new McpEndpoint({
      authenticator: auth.authenticator,
      rateLimiter: auth.rateLimiter,
      instances,
      sessions,
      config,
      metrics,
      logger,
    });
    const healthChecks = plane?.healthChecks() ?? [];
    httpServer = new HttpServer({
      config,
      policy: new AddressPolicy(config, publicUrl, loopback),
      publicUrl,
      endpoint,
      authenticator: auth.authenticator,
      readiness: () => checkReadiness(healthChecks),
      metrics,
      logger,
    });
    const openSessions = sessions;
    metrics.useGauges({
      inFlightRequests: () => httpServer.inFlightCount,
      activeSessions: () => openSessions?.size ?? 0,
    });
    await httpServer.listen();
  } catch (error) {
    await sessions?.closeAll().catch(() => undefined);
    await auth?.close().catch(() => undefined);
    await stopDataPlane(plane, logger);
    throw error;
  }

  if (!loopback && config.http.publicUrl === '') {
    logger.warn(
      { host: config.server.host, publicUrl },
      'bound beyond loopback without http.publicUrl: clients must use the URL above, or set http.publicUrl',
    );
  }
  logger.info(
    {
      version: inputs.version,
      url: endpointUrl,
      transport: TRANSPORT,
      sessions: config.http.sessions,
      roots: config.files.roots,
      commands: config.commands.allow.length > 0 ? config.commands.allow : 'disabled',
      configFile: inputs.configFile ?? null,
      data: plane ? 'starting' : 'disabled',
    },
    'TelemetryFlow MCP HTTP server ready',
  );
  printLine(
    renderBanner({
      url: endpointUrl,
      version: inputs.version,
      localKey: auth.localKey,
      anonymous: config.auth.anonymousLoopback,
      oauth: config.auth.oauthIssuers.length > 0,
      sessions: config.http.sessions,
    }),
  );

  handleShutdown({
    host: process,
    logger,
    plane,
    describe: () => ({ inFlight: httpServer.inFlightCount }),
    close: async (reason) => {
      await httpServer
        .shutdown(config.http.shutdownGraceMs)
        .catch((error: unknown) => logger.warn({ err: error }, 'the HTTP server stopped with errors'));
      await sessions?.closeAll().catch(() => undefined);
      await endpoint.close().catch(() => undefined);
      registry.flushPendingSaves();
      registry.closeAll(reason);
      await auth
        ?.close()
        .catch((error: unknown) => logger.warn({ err: error }, 'the identity layer stopped with errors'));
    },
  });
}
