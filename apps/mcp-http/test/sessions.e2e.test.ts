/**
 * Stateful serving (`http.sessions: stateful`) of the built HTTP server: Mcp-Session-Id
 * sessions for the 2025-11-25 revision, per-request serving of 2026-07-28 alongside.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { POST_HEADERS, connect, firstText, raw, startServer, type RunningServer } from './harness.js';

const PING = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' });

describe('HTTP server with stateful sessions', () => {
  let server: RunningServer;
  let client: Client;
  let transport: StreamableHTTPClientTransport;

  beforeAll(async () => {
    server = await startServer({ env: { TELEMETRYFLOW_MCP_HTTP_SESSIONS: 'stateful' } });
    ({ client, transport } = await connect(server.url, 'legacy'));
  }, 60_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await server?.stop();
    if (server) rmSync(server.base, { recursive: true, force: true });
  });

  it('gives the session an id of visible ASCII characters', () => {
    expect(transport.sessionId).toMatch(/^[\x21-\x7e]{20,}$/);
    expect(server.stdout()).toContain('(stateful)');
  });

  it('serves the session', async () => {
    expect(firstText(await client.callTool({ name: 'echo', arguments: { message: 'in session' } }))).toBe(
      'in session',
    );
    const metrics = await raw(`${server.origin}/metrics`);
    expect(metrics.body).toMatch(/^tfo_mcp_sessions_active [1-9]\d*$/m);
  });

  it('answers 404 for an unknown session id', async () => {
    const answer = await raw(server.url, {
      method: 'POST',
      headers: { ...POST_HEADERS, 'mcp-session-id': 'not-a-session', 'mcp-protocol-version': '2025-11-25' },
      body: PING,
    });
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ error: 'session_not_found' });
  });

  it('asks for initialize when a request carries no session id', async () => {
    const answer = await raw(server.url, { method: 'POST', headers: POST_HEADERS, body: PING });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'session_required' });
  });

  it('serves the 2026-07-28 revision per request alongside', async () => {
    const modern = await connect(server.url, 'modern');
    expect(modern.client.getProtocolEra()).toBe('modern');
    expect(firstText(await modern.client.callTool({ name: 'echo', arguments: { message: 'modern' } }))).toBe(
      'modern',
    );
    expect(modern.transport.sessionId).toBeUndefined();
    await modern.client.close();
  });

  it('ends the session on DELETE; its id then answers 404', async () => {
    const id = transport.sessionId ?? '';
    await transport.terminateSession();
    const answer = await raw(server.url, {
      method: 'POST',
      headers: { ...POST_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
      body: PING,
    });
    expect(answer.status).toBe(404);
  });
});
