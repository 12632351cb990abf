/**
 * The built HTTP server's own routes and guards, driven with raw HTTP: health, readiness,
 * metrics, protected-resource metadata, Host and Origin validation, body limits, the request
 * timeout, and the CLI's refusals to start.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import {
  POST_HEADERS,
  makeBase,
  raw,
  runCli,
  serverEnv,
  startServer,
  type RunningServer,
} from './harness.js';

const MAX_BODY = 2048;

function call(id: number, name: string, args: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

describe('HTTP server routes and guards', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({
      env: {
        TELEMETRYFLOW_MCP_HTTP_MAX_BODY_BYTES: String(MAX_BODY),
        TELEMETRYFLOW_MCP_HTTP_REQUEST_TIMEOUT_MS: '1500',
        TELEMETRYFLOW_MCP_HTTP_ALLOWED_ORIGINS: 'https://app.example.com',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (server) rmSync(server.base, { recursive: true, force: true });
  });

  const mcp = () => `${server.origin}/mcp`;
  const host = () => `127.0.0.1:${server.port}`;

  describe('operational routes', () => {
    it('/healthz answers 200 whatever the Host', async () => {
      const ok = await raw(`${server.origin}/healthz`);
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({ status: 'ok' });
      expect((await raw(`${server.origin}/healthz`, { headers: { host: 'pod-10-0-0-7:8080' } })).status).toBe(
        200,
      );
    });

    it('/readyz answers 200 when the data plane is off', async () => {
      const ready = await raw(`${server.origin}/readyz`);
      expect(ready.status).toBe(200);
      expect(ready.json).toMatchObject({ status: 'ready' });
    });

    it('/metrics exposes requests, tool calls with durations, limits and memory', async () => {
      const answer = await raw(mcp(), {
        method: 'POST',
        headers: POST_HEADERS,
        body: call(1, 'echo', { message: 'm' }),
      });
      expect(answer.status).toBe(200);
      const metrics = await raw(`${server.origin}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = metrics.body;
      expect(text).toMatch(/^tfo_http_requests_total\{route="\/mcp",status="200"\} [1-9]\d*$/m);
      expect(text).toMatch(/^tfo_tool_calls_total\{tool="echo",outcome="success"\} [1-9]\d*$/m);
      expect(text).toMatch(/^tfo_tool_call_duration_seconds_bucket\{tool="echo",le="\+Inf"\} [1-9]\d*$/m);
      expect(text).toMatch(/^tfo_tool_call_duration_seconds_count\{tool="echo"\} [1-9]\d*$/m);
      expect(text).toMatch(/^tfo_rate_limited_total \d+$/m);
      expect(text).toContain('# TYPE tfo_datasource_errors_total counter');
      expect(text).toMatch(/^tfo_process_resident_memory_bytes [1-9]\d*$/m);
      expect(text).toMatch(/^tfo_process_heap_used_bytes [1-9]\d*$/m);
    });

    it('serves the protected-resource metadata at both well-known paths', async () => {
      for (const path of [
        '/.well-known/oauth-protected-resource',
        '/.well-known/oauth-protected-resource/mcp',
      ]) {
        const answer = await raw(`${server.origin}${path}`);
        expect(answer.status).toBe(200);
        expect(answer.json).toMatchObject({ resource: server.url });
        expect(answer.headers['access-control-allow-origin']).toBe('*');
      }
    });

    it('answers 404 for unknown paths and 405 for unknown methods, naming what is served', async () => {
      const missing = await raw(`${server.origin}/admin`);
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({ error: 'not_found', message: expect.stringMatching(/\/mcp/) });
      const put = await raw(mcp(), { method: 'PUT', headers: POST_HEADERS, body: '{}' });
      expect(put.status).toBe(405);
      expect(put.headers['allow']).toBe('POST, GET, DELETE');
    });
  });

  describe('Host validation', () => {
    it('answers 421 for a Host that is not this server, listing the allowed ones', async () => {
      for (const bad of ['evil.example', `evil.example:${server.port}`, `localhost:${server.port + 1}`]) {
        const answer = await raw(mcp(), {
          method: 'POST',
          headers: { ...POST_HEADERS, host: bad },
          body: '{}',
        });
        expect(answer.status).toBe(421);
        expect(answer.json).toMatchObject({
          error: 'misdirected_host',
          allowedHosts: expect.arrayContaining([`localhost:${server.port}`, host()]),
        });
      }
    });

    it('accepts the loopback names with the port', async () => {
      for (const good of [`localhost:${server.port}`, host(), `[::1]:${server.port}`]) {
        const answer = await raw(mcp(), {
          method: 'POST',
          headers: { ...POST_HEADERS, host: good },
          body: call(2, 'echo', { message: good }),
        });
        expect(answer.status).toBe(200);
        expect(answer.body).toContain(good);
      }
    });

    it('guards the metrics too', async () => {
      expect((await raw(`${server.origin}/metrics`, { headers: { host: 'evil.example' } })).status).toBe(421);
    });
  });

  describe('Origin validation', () => {
    it('answers 403 for a foreign Origin, naming the allowed ones', async () => {
      for (const origin of ['https://evil.example', 'null']) {
        const answer = await raw(mcp(), {
          method: 'POST',
          headers: { ...POST_HEADERS, origin },
          body: call(3, 'echo', { message: 'x' }),
        });
        expect(answer.status).toBe(403);
        expect(answer.json).toMatchObject({
          error: 'forbidden_origin',
          allowedOrigins: expect.arrayContaining(['https://app.example.com', server.origin]),
        });
      }
    });

    it('serves configured and loopback origins, with CORS headers', async () => {
      for (const origin of ['https://app.example.com', 'http://localhost:6274']) {
        const answer = await raw(mcp(), {
          method: 'POST',
          headers: { ...POST_HEADERS, origin },
          body: call(4, 'echo', { message: 'cors' }),
        });
        expect(answer.status).toBe(200);
        expect(answer.headers['access-control-allow-origin']).toBe(origin);
        expect(answer.headers['access-control-expose-headers']).toContain('mcp-session-id');
      }
      const preflight = await raw(mcp(), {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
      expect(preflight.headers['access-control-allow-headers']).toContain('mcp-session-id');
    });
  });

  describe('request limits', () => {
    it('answers 413 for a declared body over http.maxBodyBytes', async () => {
      const answer = await raw(mcp(), {
        method: 'POST',
        headers: POST_HEADERS,
        body: call(5, 'echo', { message: 'x'.repeat(MAX_BODY * 3) }),
      });
      expect(answer.status).toBe(413);
      expect(answer.json).toMatchObject({ error: 'payload_too_large', maxBodyBytes: MAX_BODY });
    });

    it('answers 413 for a chunked body that grows over the limit', async () => {
      const answer = await raw(mcp(), {
        method: 'POST',
        headers: { ...POST_HEADERS, 'transfer-encoding': 'chunked' },
        body: call(6, 'echo', { message: 'y'.repeat(MAX_BODY * 2) }),
      });
      expect(answer.status).toBe(413);
      expect(answer.json).toMatchObject({ error: 'payload_too_large' });
    });

    it('serves a body just under the limit', async () => {
      const message = 'z'.repeat(MAX_BODY - 200);
      const answer = await raw(mcp(), {
        method: 'POST',
        headers: POST_HEADERS,
        body: call(7, 'echo', { message }),
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(message);
    });

    it('answers a body that is not JSON with a JSON-RPC parse error', async () => {
      const answer = await raw(mcp(), {
        method: 'POST',
        headers: POST_HEADERS,
        body: '{"jsonrpc": "2.0", "id": ',
      });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    });

    it('stops a request that outlives http.requestTimeoutMs with 504, and keeps serving', async () => {
      const slow = await raw(mcp(), {
        method: 'POST',
        headers: POST_HEADERS,
        body: call(8, 'execute_command', { command: 'sleep', args: ['5'] }),
      });
      expect(slow.status).toBe(504);
      expect(slow.json).toMatchObject({ error: 'request_timeout', requestTimeoutMs: 1500 });
      const next = await raw(mcp(), {
        method: 'POST',
        headers: POST_HEADERS,
        body: call(9, 'echo', { message: 'ok' }),
      });
      expect(next.status).toBe(200);
    }, 20_000);
  });
});

describe('the command line', () => {
  const base = makeBase();
  // Each run loads the whole server (a few seconds on a slow machine).
  jest.setTimeout(60_000);

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('prints its version and help', async () => {
    const version = await runCli(['--version'], serverEnv(base, 1), base);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(['--help'], serverEnv(base, 1), base);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tfo-mcp-http');
  });

  it('reports the transport as http', async () => {
    const info = await runCli(['info'], serverEnv(base, 1), base);
    expect(info.code).toBe(0);
    expect(
      (JSON.parse(info.stdout) as { config: { server: { transport: string } } }).config.server.transport,
    ).toBe('http');
  });

  it('refuses to bind beyond loopback without authentication (exit 2)', async () => {
    const refused = await runCli(
      [],
      serverEnv(base, 1, {
        TELEMETRYFLOW_MCP_SERVER_HOST: '0.0.0.0',
        TELEMETRYFLOW_MCP_AUTH_ANONYMOUS_LOOPBACK: 'false',
        TELEMETRYFLOW_MCP_AUTH_API_KEYS: 'false',
      }),
      base,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no authentication is configured/);
    expect(refused.stdout).toBe('');
  });

  it('refuses anonymous access beyond loopback (exit 2)', async () => {
    const refused = await runCli([], serverEnv(base, 1, { TELEMETRYFLOW_MCP_SERVER_HOST: '0.0.0.0' }), base);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/auth\.anonymousLoopback is on but server\.host="0\.0\.0\.0"/);
  });

  it('says which setting to change when the port is taken (exit 2)', async () => {
    const holder: Server = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const port = (holder.address() as { port: number }).port;
    try {
      const refused = await runCli([], serverEnv(base, port), base);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`),
      );
    } finally {
      await new Promise<void>((done) => holder.close(() => done()));
    }
  });
});
