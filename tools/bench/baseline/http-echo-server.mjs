#!/usr/bin/env node
// Baseline for the HTTP benchmark: the smallest useful stateless MCP server over Streamable
// HTTP. One tool (`echo`), the SDK's own per-request handler (`createMcpHandler`, which serves
// 2026-07-28 requests and, statelessly, 2025-11-25 requests), served by node:http with no
// authentication, no rate limit, no activity recording, no configuration and no logging.
// Whatever the product's HTTP server costs on top of this is what the benchmark reports.
//
//   node tools/bench/baseline/http-echo-server.mjs <port>
//
// It listens on 127.0.0.1:<port> (0: any free port) and prints one line on stdout once it
// listens: `MCP endpoint: http://127.0.0.1:<port>/mcp`, the same words the product's banner
// uses. SIGTERM and SIGINT stop it.
//
// The Node side is as thin as it can be while doing what any node:http mount of the handler
// must do: read the body, build a web `Request` (the SDK parses the body itself), and write the
// web `Response` back, streaming an event stream chunk by chunk.
import { createServer } from 'node:http';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { z } from 'zod';

function buildServer() {
  const server = new McpServer({ name: 'bench-bare-http-echo', version: '0.0.0' });
  server.registerTool(
    'echo',
    {
      description: 'Returns the given message unchanged.',
      inputSchema: z.object({ message: z.string() }),
    },
    async ({ message }) => ({ content: [{ type: 'text', text: message }] }),
  );
  return server;
}

const handler = createMcpHandler(buildServer);

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function writeResponse(response, res) {
  const headers = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done || res.destroyed) break;
    res.write(value);
  }
  res.end();
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    if (url.pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else headers.set(name, value);
    }
    headers.delete('content-length');
    headers.delete('transfer-encoding');
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : undefined;
    const request = new Request(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: new Uint8Array(body) }),
    });
    await writeResponse(await handler.fetch(request), res);
  } catch (error) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error?.message ?? error));
  }
});
server.keepAliveTimeout = 65_000;

const port = Number(process.argv[2] ?? 0);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`MCP endpoint: http://127.0.0.1:${address.port}/mcp\n`);
});

const stop = () => {
  void handler.close().finally(() => server.close(() => process.exit(0)));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
