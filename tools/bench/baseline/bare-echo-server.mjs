#!/usr/bin/env node
// Baseline for the stdio benchmarks: the smallest useful SDK stdio server.
// One tool (`echo`), no configuration, no logging, no dependency injection.
// Whatever the product server costs on top of this is what the benchmarks report.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

function buildServer() {
  const server = new McpServer({ name: 'bench-bare-echo', version: '0.0.0' });
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

serveStdio(buildServer);
