/**
 * The built HTTP server driven by the SDK client over Streamable HTTP, on both protocol
 * revisions (2025-11-25 with its handshake, 2026-07-28 per-request), stateless by default.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/client';
import { connect, firstText, startServer, type RunningServer } from './harness.js';

describe.each(['legacy', 'modern'] as const)('HTTP server, %s protocol era', (era) => {
  let server: RunningServer;
  let client: Client;

  beforeAll(async () => {
    server = await startServer();
    ({ client } = await connect(server.url, era));
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await server?.stop();
    if (server) rmSync(server.base, { recursive: true, force: true });
  });

  it('negotiates the requested era', () => {
    expect(client.getProtocolEra()).toBe(era);
  });

  it('lists the tools with descriptions and annotations', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'read_file', 'execute_command', 'system_info']));
    for (const tool of tools) {
      expect(tool.description?.length ?? 0).toBeGreaterThan(40);
      expect(tool.annotations).toEqual(expect.objectContaining({ readOnlyHint: expect.any(Boolean) }));
    }
  });

  it('calls tools', async () => {
    const echo = await client.callTool({ name: 'echo', arguments: { message: `over http ✓ ${era}` } });
    expect(echo.isError).toBeFalsy();
    expect(firstText(echo)).toBe(`over http ✓ ${era}`);
    const read = await client.callTool({ name: 'read_file', arguments: { path: 'hello.txt' } });
    expect(firstText(read)).toBe('hello over http\n');
    const info = await client.callTool({ name: 'system_info', arguments: {} });
    expect((info.structuredContent as { server: { transport?: string } }).server).toBeDefined();
  });

  it('answers a tool failure as a result, and keeps serving', async () => {
    const denied = await client.callTool({ name: 'read_file', arguments: { path: '/etc/passwd' } });
    expect(denied.isError).toBe(true);
    expect(firstText(denied)).toMatch(/outside the allowed roots/);
    expect(firstText(await client.callTool({ name: 'echo', arguments: { message: 'still here' } }))).toBe(
      'still here',
    );
  });

  it('reads resources and gets prompts', async () => {
    const health = JSON.parse(
      ((await client.readResource({ uri: 'status://health' })).contents[0] as { text: string }).text,
    ) as { status: string };
    expect(health.status).toBe('healthy');
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(['code_review']));
  });

  it('serves many requests at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.callTool({ name: 'echo', arguments: { message: `n${i}` } }),
      ),
    );
    expect(answers.map(firstText)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
  });
});
