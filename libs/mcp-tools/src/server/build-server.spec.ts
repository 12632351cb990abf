import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';
import { TOKENS } from '@tfo/domain';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../definitions.js';
import { registerMcpTools, type McpToolsConfig } from '../register.js';
import { buildServer, buildServerFrom, type McpLogLevel, type ServerDependencies } from './build-server.js';
import type { InMemorySessionStore, SessionRegistry } from './session-registry.js';
import { TOOL_SCOPES, toolScopesOf } from './scopes.js';
import { MCP_TOKENS } from './tokens.js';

const TOOL_NAMES = [
  'echo',
  'read_file',
  'write_file',
  'list_directory',
  'search_files',
  'execute_command',
  'system_info',
  'list_context_types',
  'build_system_prompt',
];

type CallResult = Awaited<ReturnType<Client['callTool']>>;

function textOf(result: CallResult): string {
  const first = (result.content as { type: string; text?: string }[])[0];
  return first?.type === 'text' ? (first.text ?? '') : '';
}

/** Waits (a bounded number of event-loop turns) until `condition` holds. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

describe('buildServer over an in-memory connection', () => {
  let base: string;
  let root: string;
  let outside: string;
  const levels: McpLogLevel[] = [];
  const open: { client: Client; server: McpServer }[] = [];

  const config = (): McpToolsConfig => ({
    identity: { name: 'tfo-spec', version: '9.9.9', startedAt: new Date(), transport: 'memory' },
    files: {
      roots: [root],
      maxReadBytes: 4096,
      maxWriteBytes: 4096,
      writeEnabled: true,
      maxSearchResults: 100,
      maxListEntries: 100,
    },
    commands: { allow: [], timeoutMs: 1000, maxOutputBytes: 1024, childEnv: {} },
    redactedConfig: () => ({ redacted: true }),
    setLogLevel: (level) => void levels.push(level),
  });

  const newContainer = (): DependencyContainer => {
    const c = rootContainer.createChildContainer();
    registerMcpTools(c, config());
    return c;
  };

  async function connect(
    server: McpServer,
    options: { roots?: string[]; name?: string } = {},
  ): Promise<Client> {
    const client = new Client(
      { name: options.name ?? 'tfo-spec-client', version: '1.0.0' },
      options.roots ? { capabilities: { roots: {} } } : {},
    );
    if (options.roots) {
      const roots = options.roots.map((r) => ({ uri: pathToFileURL(r).href, name: r }));
      client.setRequestHandler('roots/list', async () => ({ roots }));
    }
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    open.push({ client, server });
    return client;
  }

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'tfo-build-server-')));
    root = join(base, 'root');
    outside = join(base, 'outside');
    mkdirSync(join(root, 'sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(root, 'hello.txt'), 'hello from the root\n');
    writeFileSync(join(root, 'sub', 'notes.md'), '# notes\n');
    writeFileSync(join(outside, 'secret.txt'), 'outside secret');
  });

  afterAll(async () => {
    for (const { client, server } of open) {
      await client.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    }
    rmSync(base, { recursive: true, force: true });
  });

  describe('the tool registry', () => {
    let tools: Awaited<ReturnType<Client['listTools']>>['tools'];
    let deps: ServerDependencies;

    beforeAll(async () => {
      const c = newContainer();
      deps = c.resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies);
      const client = await connect(buildServer(c, { era: 'legacy', transport: 'memory' }));
      tools = (await client.listTools()).tools;
    });

    it('lists every defined tool exactly once', () => {
      expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
      expect(deps.tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    });

    it('gives every tool a snake_case name, a title and a description sized for a model', () => {
      for (const tool of tools) {
        expect(tool.name).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/);
        expect(typeof tool.title).toBe('string');
        expect(tool.title?.trim().length).toBeGreaterThan(0);
        expect(tool.description?.length).toBeGreaterThanOrEqual(40);
        expect(tool.description?.length).toBeLessThanOrEqual(1200);
      }
    });

    it('gives every tool all four annotations as booleans', () => {
      for (const tool of tools) {
        const a = tool.annotations ?? {};
        for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
          expect({ tool: tool.name, hint, type: typeof a[hint] }).toEqual({
            tool: tool.name,
            hint,
            type: 'boolean',
          });
        }
        expect(a.title).toBe(tool.title);
      }
    });

    it('publishes an object input schema for every tool', () => {
      for (const tool of tools) {
        expect(tool.inputSchema.type).toBe('object');
      }
      const readFile = tools.find((t) => t.name === 'read_file');
      expect(readFile?.inputSchema.required).toEqual(['path']);
    });

    it('keeps the annotations of the definitions', () => {
      for (const definition of deps.tools) {
        const listed = tools.find((t) => t.name === definition.name);
        expect(listed?.annotations).toMatchObject({ ...definition.annotations });
      }
    });
  });

  describe('tool calls', () => {
    let client: Client;
    let container: DependencyContainer;

    beforeAll(async () => {
      container = newContainer();
      const deps = container.resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies);
      const boom: ToolDefinition = defineTool({
        name: 'boom',
        title: 'Boom',
        category: 'utility',
        scope: null,
        description: 'Always throws an unexpected error; exists only in this test to exercise the boundary.',
        inputSchema: z.object({}),
        annotations: {
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
        async handler() {
          throw new Error('kaboom: internal secret detail');
        },
      }) as unknown as ToolDefinition;
      const server = buildServerFrom(
        { ...deps, tools: [...deps.tools, boom] },
        { era: 'legacy', transport: 'memory' },
      );
      client = await connect(server);
    });

    it('answers a successful call', async () => {
      const result = await client.callTool({ name: 'echo', arguments: { message: 'ping' } });
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toBe('ping');
    });

    it('turns an unexpected throw into an isError INTERNAL result without the internal message', async () => {
      const result = await client.callTool({ name: 'boom', arguments: {} });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^Error \[INTERNAL\]: /);
      expect(textOf(result)).not.toContain('kaboom');
      const error = (result.structuredContent as { error: { code: string; reference: string } }).error;
      expect(error.code).toBe('INTERNAL');
      expect(textOf(result)).toContain(error.reference);
    });

    it('turns a domain error into an isError result with its code', async () => {
      const missing = await client.callTool({ name: 'read_file', arguments: { path: 'missing.txt' } });
      expect(missing.isError).toBe(true);
      expect(textOf(missing)).toMatch(/^Error \[NOT_FOUND\]: /);

      const denied = await client.callTool({
        name: 'read_file',
        arguments: { path: join(outside, 'secret.txt') },
      });
      expect(denied.isError).toBe(true);
      expect(textOf(denied)).toMatch(/^Error \[PERMISSION\.DENIED\]: Access denied: /);
      expect(textOf(denied)).toContain(`Allowed roots: ${root}`);
      expect(textOf(denied)).not.toContain('outside secret');

      const disabled = await client.callTool({ name: 'execute_command', arguments: { command: 'echo' } });
      expect(disabled.isError).toBe(true);
      expect(textOf(disabled)).toMatch(/^Error \[PERMISSION\.DENIED\]: execute_command is disabled/);
    });

    it('answers invalid arguments with an isError result rather than a protocol error', async () => {
      const result = await client.callTool({ name: 'read_file', arguments: { path: 42 } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('path');
    });

    it('reads a file inside the root', async () => {
      const result = await client.callTool({ name: 'read_file', arguments: { path: 'hello.txt' } });
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toBe('hello from the root\n');
      expect(result.structuredContent).toMatchObject({ path: join(root, 'hello.txt'), size: 20 });
    });

    it('records every call on the session, errors included', async () => {
      const registry = container.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry);
      const store = container.resolve<InMemorySessionStore>(TOKENS.SessionStore);
      registry.flushPendingSaves();
      await until(async () => true);
      const before = (await store.list())[0]!;
      await client.callTool({ name: 'echo', arguments: { message: 'one' } });
      await client.callTool({ name: 'boom', arguments: {} });
      registry.flushPendingSaves();
      await until(async () => (await store.list())[0]!.toolCalls === before.toolCalls + 2);
      const after = (await store.list())[0]!;
      expect(after.toolErrors).toBe(before.toolErrors + 1);
      expect(registry.activeCount).toBe(1);
    });
  });

  describe('sessions', () => {
    it('opens a session at the handshake, counts calls and closes it with the connection', async () => {
      const container = newContainer();
      const registry = container.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry);
      const store = container.resolve<InMemorySessionStore>(TOKENS.SessionStore);
      expect(registry.activeCount).toBe(0);

      const client = await connect(buildServer(container, { era: 'legacy', transport: 'memory' }), {
        name: 'session-client',
      });
      await until(() => registry.activeCount === 1);
      await until(async () => (await store.list()).length === 1);
      const [opened] = await store.list();
      expect(opened).toMatchObject({
        transport: 'memory',
        state: 'ready',
        client: { name: 'session-client', version: '1.0.0', protocolVersion: 'legacy' },
        toolCalls: 0,
      });

      await client.callTool({ name: 'echo', arguments: { message: 'a' } });
      await client.callTool({ name: 'read_file', arguments: { path: 'missing.txt' } });
      registry.flushPendingSaves();
      await until(async () => (await store.get(opened!.id))?.toolCalls === 2);
      expect((await store.get(opened!.id))?.toolErrors).toBe(1);
      expect(registry.activeCount).toBe(1);

      await client.close();
      await until(() => registry.activeCount === 0);
      await until(async () => (await store.get(opened!.id))?.state === 'closed');
    });

    it('opens one session per connection', async () => {
      const container = newContainer();
      const registry = container.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry);
      await connect(buildServer(container, { era: 'legacy', transport: 'memory' }));
      await connect(buildServer(container, { era: 'legacy', transport: 'memory' }));
      await until(() => registry.activeCount === 2);
    });

    it('keeps an ephemeral session out of the registry and the store', async () => {
      const container = newContainer();
      const registry = container.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry);
      const store = container.resolve<InMemorySessionStore>(TOKENS.SessionStore);
      const client = await connect(
        buildServer(container, { era: 'legacy', transport: 'memory', ephemeral: true }),
      );
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'x' } }))).toBe('x');
      await client.close();
      expect(registry.activeCount).toBe(0);
      expect(await store.list()).toEqual([]);
    });
  });

  describe('a principal', () => {
    it('sees and calls only the tools its scopes cover, acting for its organization', async () => {
      const container = newContainer();
      const server = buildServer(container, {
        era: 'legacy',
        transport: 'memory',
        principal: {
          organizationId: '00000000-0000-4000-8000-00000000000a',
          subject: 'key-1',
          kind: 'api_key',
          scopes: toolScopesOf(['mcp:files:read', 'logs:write']),
        },
      });
      const client = await connect(server);
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(names).toEqual(
        [
          'build_system_prompt',
          'echo',
          'list_context_types',
          'list_directory',
          'read_file',
          'search_files',
          'system_info',
        ].sort(),
      );
      // Out of scope is out of reach: the tool does not exist for this instance (the HTTP layer
      // answers 403 insufficient_scope before the call gets here).
      await expect(
        client.callTool({ name: 'write_file', arguments: { path: 'a.txt', content: 'x' } }),
      ).rejects.toThrow(/write_file not found/);
      const registry = container.resolve<SessionRegistry>(MCP_TOKENS.SessionRegistry);
      const store = container.resolve<InMemorySessionStore>(TOKENS.SessionStore);
      await until(() => registry.activeCount === 1);
      expect((await store.list())[0]?.organizationId).toBe('00000000-0000-4000-8000-00000000000a');
    });

    it('maps scope names: mcp:* grants all, platform read scopes imply telemetry, unknown ones count for nothing', () => {
      expect([...toolScopesOf(['mcp:*'])]).toEqual([...TOOL_SCOPES]);
      expect([...toolScopesOf(['metrics:read', 'metrics:write', 'admin'])]).toEqual(['mcp:telemetry:read']);
      expect(toolScopesOf([]).size).toBe(0);
    });
  });

  describe('client roots', () => {
    it('restricts the file tools to the roots the client offers', async () => {
      const c = newContainer();
      const sub = join(root, 'sub');
      const client = await connect(buildServer(c, { era: 'legacy', transport: 'memory' }), { roots: [sub] });

      const inside = await client.callTool({ name: 'read_file', arguments: { path: 'sub/notes.md' } });
      expect(inside.isError).toBeFalsy();
      expect(textOf(inside)).toBe('# notes\n');

      const outsideClient = await client.callTool({ name: 'read_file', arguments: { path: 'hello.txt' } });
      expect(outsideClient.isError).toBe(true);
      expect(textOf(outsideClient)).toMatch(/^Error \[PERMISSION\.DENIED\]: /);
      expect(textOf(outsideClient)).toContain(root);
      expect(textOf(outsideClient)).toContain(`the client's roots: ${sub}`);

      const listing = await client.callTool({ name: 'list_directory', arguments: { path: '.' } });
      expect(listing.isError).toBe(true);
      const subListing = await client.callTool({ name: 'list_directory', arguments: { path: 'sub' } });
      expect(subListing.isError).toBeFalsy();
    });

    it('uses the configured roots alone when the client offers none', async () => {
      const client = await connect(buildServer(newContainer(), { era: 'legacy', transport: 'memory' }));
      const result = await client.callTool({ name: 'read_file', arguments: { path: 'hello.txt' } });
      expect(result.isError).toBeFalsy();
    });
  });

  describe('logging/setLevel', () => {
    it('changes the log level through deps.setLogLevel', async () => {
      const client = await connect(buildServer(newContainer(), { era: 'legacy', transport: 'memory' }));
      levels.length = 0;
      await client.setLoggingLevel('debug');
      await client.setLoggingLevel('error');
      expect(levels).toEqual(['debug', 'error']);
    });
  });
});
