/**
 * Graceful shutdown of the built HTTP server: SIGTERM while a slow tool call is in flight lets
 * the call finish and answer, refuses new connections, and exits 0.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { connect, raw, startServer, type RunningServer } from './harness.js';

/** Requests the server is answering now, read from its metrics (the metrics request included). */
async function inFlight(server: RunningServer): Promise<number> {
  const metrics = await raw(`${server.origin}/metrics`);
  return Number(/^tfo_http_in_flight_requests (\d+)$/m.exec(metrics.body)?.[1] ?? '0');
}

describe.each(['legacy', 'modern'] as const)('SIGTERM with a request in flight, %s era', (era) => {
  let server: RunningServer | undefined;

  afterAll(async () => {
    await server?.stop();
    if (server) rmSync(server.base, { recursive: true, force: true });
  });

  it('lets the request finish, then exits 0', async () => {
    server = await startServer({ env: { TELEMETRYFLOW_MCP_HTTP_SHUTDOWN_GRACE_MS: '30000' } });
    const running = server;
    const { client } = await connect(running.url, era);
    const slow = client.callTool({ name: 'execute_command', arguments: { command: 'sleep', args: ['2'] } });
    // Wait until the call is being answered (the metrics request itself counts one).
    for (let i = 0; i < 200 && (await inFlight(running)) < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await inFlight(running)).toBeGreaterThanOrEqual(2);

    running.child.kill('SIGTERM');
    const result = await slow;
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { exitCode: number }).exitCode).toBe(0);

    const exit = await running.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    await expect(raw(`${running.origin}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    expect(running.stderr()).not.toMatch(/"level":"(error|fatal)"/);
    await client.close().catch(() => undefined);
  }, 60_000);
});
