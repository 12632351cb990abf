/**
 * The per-credential rate limit of the built HTTP server: a burst over the budget gets 429 with
 * Retry-After and a body naming the budget; after that wait the credential is served again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { POST_HEADERS, raw, startServer, type RunningServer } from './harness.js';

const BURST = 3;

describe('HTTP server rate limit', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({
      env: {
        TELEMETRYFLOW_MCP_LIMITS_USER_REQUESTS_PER_MINUTE: '60',
        TELEMETRYFLOW_MCP_LIMITS_BURST: String(BURST),
      },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (server) rmSync(server.base, { recursive: true, force: true });
  });

  const echo = (id: number) =>
    raw(server.url, {
      method: 'POST',
      headers: POST_HEADERS,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: `m${id}` } },
      }),
    });

  it('answers 429 with Retry-After past the burst, then serves again after the wait', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof echo>> | undefined;
    for (let i = 0; i < BURST + 3 && !limited; i++) {
      const answer = await echo(i);
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses.slice(0, BURST)).toEqual(Array(BURST).fill(200));
    expect(limited).toBeDefined();
    const retryAfter = Number(limited?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited?.json).toMatchObject({
      error: 'rate_limited',
      retryAfterSeconds: retryAfter,
      message: expect.stringMatching(/60 requests per minute \(bursts of up to 3\)/),
    });

    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    expect((await echo(100)).status).toBe(200);

    const metrics = await raw(`${server.origin}/metrics`);
    expect(metrics.body).toMatch(/^tfo_rate_limited_total [1-9]\d*$/m);
    expect(metrics.body).toMatch(/^tfo_http_requests_total\{route="\/mcp",status="429"\} [1-9]\d*$/m);
  }, 30_000);

  it('does not count the operational routes against the budget', async () => {
    for (let i = 0; i < BURST * 3; i++) expect((await raw(`${server.origin}/healthz`)).status).toBe(200);
  });
});
