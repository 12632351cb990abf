/**
 * Serves MCP over stdio until the client goes away or a signal arrives, then closes
 * the sessions and exits cleanly. The SDK's `serveStdio` serves both protocol
 * revisions (2025-11-25 and 2026-07-28) from one factory.
 */
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { ServeInputs } from '@tfo/app-shell';
import { handleShutdown, openDataPlane } from '@tfo/app-shell/server';
import { MCP_TOKENS, buildServer, type SessionRegistry } from '@tfo/mcp-tools';
import { createContainer } from './container.js';
import { createJsonRpcGuard } from './jsonrpc-guard.js';

/** Largest JSON-RPC message accepted on stdin. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Starts the stdio server; resolves once it is listening. */
export async function serve(inputs: ServeInputs): Promise<void> {
  const { logger, config } = inputs;
  // The engines open in the background: the protocol is served at once. The drivers are
  // loaded only when the engines are on.
  const data = await openDataPlane(config, logger, inputs.dataDir);
  const container = createContainer({ ...inputs, ...data });
  const registry = container.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry);
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
      roots: config.files.roots,
      commands: config.commands.allow.length > 0 ? config.commands.allow : 'disabled',
      configFile: inputs.configFile ?? null,
      data: data ? 'starting' : 'disabled',
    },
    'TelemetryFlow MCP stdio server ready',
  );

  const stop = handleShutdown({
    host: process,
    logger,
    plane: data?.plane,
    close: async (reason) => {
      registry.closeAll(reason);
      await handle.close().catch(() => undefined);
    },
  });
  process.stdin.on('end', () => void stop('stdin closed'));
}
