/**
 * Serves MCP over stdio until the client goes away or a signal arrives, then closes
 * the sessions and exits cleanly. The SDK's `serveStdio` serves both protocol
 * revisions (2025-11-25 and 2026-07-28) from one factory.
 */
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { MCP_TOKENS, buildServer, type SessionRegistry } from '@tfo/mcp-tools';
import type { AppLogger } from '@tfo/runtime';
import { createContainer, type ContainerInputs } from './container.js';
import { createJsonRpcGuard } from './jsonrpc-guard.js';

/** Largest JSON-RPC message accepted on stdin. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Longest wait for the engines to stop at shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Inputs of {@link serve}. */
export interface ServeInputs extends Omit<ContainerInputs, 'logger' | 'plane'> {
  logger: AppLogger;
  configFile: string | undefined;
}

/** Starts the stdio server; resolves once it is listening. */
export async function serve(inputs: ServeInputs): Promise<void> {
  const { logger } = inputs;
  // The engines open in the background: the protocol is served at once. The drivers are
  // loaded only when the engines are on.
  const data = inputs.config.data.enabled ? await import('./plane.js') : undefined;
  const plane = data?.createDataPlane(inputs.config, logger).start();
  const writeGate = plane ? data?.createWriteGate(inputs.config, plane) : undefined;
  const container = createContainer({
    ...inputs,
    ...(plane ? { plane } : {}),
    ...(writeGate ? { writeGate } : {}),
  });
  // The transport owns stdout: JSON-RPC replies only, from the SDK and from the guard.
  // eslint-disable-next-line no-restricted-properties
  const stdout = process.stdout;
  const input = process.stdin.pipe(createJsonRpcGuard(stdout, MAX_MESSAGE_BYTES));
  const handle = serveStdio((ctx) => buildServer(container, { era: ctx.era, transport: 'stdio' }), {
    transport: new StdioServerTransport(input, stdout, { maxBufferSize: MAX_MESSAGE_BYTES * 2 }),
    onerror: (error) => logger.warn({ err: error }, 'stdio transport error'),
  });
  logger.info(
    {
      version: inputs.version,
      roots: inputs.config.files.roots,
      commands: inputs.config.commands.allow.length > 0 ? inputs.config.commands.allow : 'disabled',
      configFile: inputs.configFile ?? null,
      data: plane ? 'starting' : 'disabled',
    },
    'TelemetryFlow MCP stdio server ready',
  );

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    container.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry).closeAll(reason);
    await handle.close().catch(() => undefined);
    if (plane) {
      const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([
        plane.close().catch((error: unknown) => logger.warn({ err: error }, 'engines stopped with errors')),
        grace,
      ]);
    }
    logger.flush();
    setTimeout(() => process.exit(0), 50).unref();
  };
  process.stdin.on('end', () => void stop('stdin closed'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('uncaughtException', (error) =>
    logger.error({ err: error }, 'uncaught exception; still serving'),
  );
  process.on('unhandledRejection', (error) =>
    logger.error({ err: error }, 'unhandled rejection; still serving'),
  );
}
