import { afterEach, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';
import { noopActivityRecorder, noopLogger } from '@tfo/domain';
import {
  InMemorySessionStore,
  SessionRegistry,
  defineTool,
  noopEventPublisher,
  toolScopesOf,
  type ServerDependencies,
  type ToolDefinition,
} from '@tfo/mcp-tools';
import { z } from 'zod';
import type { ConcurrencyLimiter } from './auth/types.js';
import { InstanceFactory, authInfoFor, callerOf, type Caller } from './instances.js';
import { Metrics } from './metrics.js';

const clock = { now: () => new Date() };
let next = 0;
const ids = { newId: () => `id-${++next}` };

const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

const openTool = defineTool({
  name: 'ping_tool',
  title: 'Ping',
  description: 'Answers pong.',
  category: 'utility',
  scope: null,
  inputSchema: z.object({}),
  annotations,
  handler: async () => ({ content: [{ type: 'text', text: 'pong' }] }),
});

const sqlTool = defineTool({
  name: 'query_tool',
  title: 'Query',
  description: 'Pretends to query.',
  category: 'datasource',
  scope: 'mcp:sql:query',
  inputSchema: z.object({}),
  annotations,
  handler: async () => ({ content: [{ type: 'text', text: 'rows' }] }),
});

function deps(): ServerDependencies {
  return {
    identity: { name: 'tfo-spec', version: '0.0.0', startedAt: new Date(), transport: 'http' },
    logger: noopLogger,
    clock,
    ids,
    tools: [openTool, sqlTool] as unknown as ToolDefinition[],
    resources: [],
    prompts: [],
    sessions: new SessionRegistry(
      new InMemorySessionStore(),
      clock,
      ids,
      noopLogger,
      noopEventPublisher,
      noopActivityRecorder,
    ),
  };
}

function caller(scopes: string[], credentialId = 'api_key:k1'): Caller {
  return {
    principal: { organizationId: 'org-a', subject: 'k1', kind: 'api_key', scopes: toolScopesOf(scopes) },
    credentialId,
    rateClass: 'service',
  };
}

const open: Client[] = [];
async function connect(server: McpServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'spec', version: '1' });
  await client.connect(clientSide);
  open.push(client);
  return client;
}

function textOf(result: unknown): string {
  const first = (result as { content: { type: string; text?: string }[] }).content[0];
  return first?.text ?? '';
}

afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
});

describe('InstanceFactory', () => {
  const passAll: ConcurrencyLimiter = { acquire: () => () => undefined };

  it('knows each tool scope, and undefined for unknown tools', () => {
    const factory = new InstanceFactory({
      deps: deps(),
      concurrency: passAll,
      concurrencyLimit: 4,
      metrics: new Metrics(),
    });
    expect(factory.scopeOf('ping_tool')).toBeNull();
    expect(factory.scopeOf('query_tool')).toBe('mcp:sql:query');
    expect(factory.scopeOf('drop_everything')).toBeUndefined();
  });

  it("lists only the tools the caller's scopes cover", async () => {
    const factory = new InstanceFactory({
      deps: deps(),
      concurrency: passAll,
      concurrencyLimit: 4,
      metrics: new Metrics(),
    });
    const narrow = await connect(factory.build('legacy', caller(['metrics:read']), true));
    expect((await narrow.listTools()).tools.map((t) => t.name)).toEqual(['ping_tool']);
    const wide = await connect(factory.build('legacy', caller(['mcp:*']), true));
    expect((await wide.listTools()).tools.map((t) => t.name).sort()).toEqual(['ping_tool', 'query_tool']);
  });

  it('holds a slot of the caller credential around each call and releases it once', async () => {
    const taken: string[] = [];
    let released = 0;
    const limiter: ConcurrencyLimiter = {
      acquire: (credentialId, tool) => {
        taken.push(`${credentialId}/${tool}`);
        return () => void (released += 1);
      },
    };
    const factory = new InstanceFactory({
      deps: deps(),
      concurrency: limiter,
      concurrencyLimit: 4,
      metrics: new Metrics(),
    });
    const client = await connect(factory.build('legacy', caller(['mcp:*'], 'api_key:k9'), true));
    expect(textOf(await client.callTool({ name: 'query_tool', arguments: {} }))).toBe('rows');
    expect(taken).toEqual(['api_key:k9/query_tool']);
    expect(released).toBe(1);
  });

  it('answers a call over the allowance with a retryable LIMIT.CONCURRENCY tool error, and counts it', async () => {
    const metrics = new Metrics();
    const full: ConcurrencyLimiter = {
      acquire: (_c, tool) => (tool === 'query_tool' ? undefined : () => undefined),
    };
    const factory = new InstanceFactory({ deps: deps(), concurrency: full, concurrencyLimit: 2, metrics });
    const client = await connect(factory.build('legacy', caller(['mcp:*']), true));
    const refused = await client.callTool({ name: 'query_tool', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(
      /LIMIT\.CONCURRENCY.*already running 2 time\(s\).*retry in a few seconds/,
    );
    expect(textOf(await client.callTool({ name: 'ping_tool', arguments: {} }))).toBe('pong');
    expect(metrics.render()).toContain('tfo_tool_concurrency_limited_total{tool="query_tool"} 1');
  });

  it('carries the caller through authInfo, and refuses to build without one', () => {
    const factory = new InstanceFactory({
      deps: deps(),
      concurrency: passAll,
      concurrencyLimit: 4,
      metrics: new Metrics(),
    });
    const who = caller(['mcp:sql:query']);
    const info = authInfoFor(who);
    expect(info.token).toBe('');
    expect(info.scopes).toEqual(['mcp:sql:query']);
    expect(callerOf(info)).toBe(who);
    expect(callerOf(undefined)).toBeUndefined();
    expect(() => factory.perRequest({ era: 'modern' })).toThrow(/without an authenticated caller/);
  });
});
