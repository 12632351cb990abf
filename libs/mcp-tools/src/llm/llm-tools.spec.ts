import { afterAll, describe, expect, it } from '@jest/globals';
import { tmpdir } from 'node:os';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';
import { TOKENS, type ActivityRecorder, type LlmUsageRecord } from '@tfo/domain';
import { container as rootContainer } from 'tsyringe';
import { registerMcpTools, type McpToolsConfig } from '../register.js';
import { buildServer } from '../server/build-server.js';
import { historyWithin } from '../tools/claude-conversation.tool.js';

const ORG = '00000000-0000-4000-8000-0000000000b1';

type CallResult = Awaited<ReturnType<Client['callTool']>>;
const structured = (r: CallResult) => r.structuredContent as Record<string, unknown>;
const textOf = (r: CallResult) => (r.content as { text?: string }[])[0]?.text ?? '';

describe('the model tools over an in-memory connection', () => {
  const open: { client: Client; server: McpServer }[] = [];
  const usage: LlmUsageRecord[] = [];
  const sampled: unknown[] = [];

  const config = (): McpToolsConfig => ({
    identity: { name: 'tfo-spec', version: '1.0.0', startedAt: new Date(), transport: 'memory' },
    files: {
      roots: [tmpdir()],
      maxReadBytes: 1,
      maxWriteBytes: 1,
      writeEnabled: false,
      maxSearchResults: 1,
      maxListEntries: 1,
    },
    commands: { allow: [], timeoutMs: 1000, maxOutputBytes: 1024, childEnv: {} },
    organizationId: ORG,
    redactedConfig: () => ({}),
    llm: {
      defaultModel: 'claude-sonnet-4-20250514',
      maxTokens: 512,
      temperature: 0.2,
      timeoutMs: 5_000,
      maxRetries: 0,
      providers: {},
    },
  });

  async function connect(options: { sampling: boolean }): Promise<Client> {
    const c = rootContainer.createChildContainer();
    const recorder: ActivityRecorder = {
      toolCall: () => undefined,
      resourceRead: () => undefined,
      error: () => undefined,
      llmUsage: (r) => void usage.push(r),
      session: () => undefined,
    };
    c.register(TOKENS.ActivityRecorder, { useValue: recorder });
    registerMcpTools(c, config());
    const server = buildServer(c, { era: 'legacy', transport: 'memory' });
    const client = new Client(
      { name: 'sampling-client', version: '1.0.0' },
      options.sampling ? { capabilities: { sampling: {} } } : {},
    );
    if (options.sampling) {
      client.setRequestHandler('sampling/createMessage', async (request) => {
        sampled.push(request.params);
        const last = request.params.messages.at(-1)?.content as { text?: string } | undefined;
        return {
          model: 'client-model-1',
          role: 'assistant',
          content: { type: 'text', text: `echo(${request.params.messages.length}): ${last?.text ?? ''}` },
          stopReason: 'endTurn',
        };
      });
    }
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    open.push({ client, server });
    return client;
  }

  afterAll(async () => {
    for (const { client, server } of open) {
      await client.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    }
  });

  it('answers through the client model when no key is configured, and continues the conversation', async () => {
    const client = await connect({ sampling: true });
    const first = await client.callTool({
      name: 'claude_conversation',
      arguments: { message: 'What is p99 latency?', system_prompt: 'Be brief.' },
    });
    expect(first.isError).toBeFalsy();
    expect(textOf(first)).toBe('echo(1): What is p99 latency?');
    const firstData = structured(first);
    expect(firstData).toMatchObject({ provider: 'sampling', model: 'client-model-1', messages: 2 });
    expect((sampled.at(-1) as { systemPrompt?: string }).systemPrompt).toBe('Be brief.');

    const second = await client.callTool({
      name: 'claude_conversation',
      arguments: { message: 'And p50?', conversation_id: firstData['conversation_id'] },
    });
    expect(textOf(second)).toBe('echo(3): And p50?');
    const secondData = structured(second);
    expect(secondData['conversation_id']).toBe(firstData['conversation_id']);
    expect(secondData['messages']).toBe(4);
    const totals = secondData['totals'] as { input_tokens: number; output_tokens: number };
    expect(totals.output_tokens).toBeGreaterThan((firstData['totals'] as typeof totals).output_tokens);
    expect(
      usage.filter((u) => u.provider === 'sampling' && u.organizationId === ORG).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('names the variable to set when a named model has no key, and refuses unknown ids and conversations', async () => {
    const client = await connect({ sampling: true });
    const noKey = await client.callTool({
      name: 'claude_conversation',
      arguments: { message: 'hi', model: 'gpt-4o' },
    });
    expect(noKey.isError).toBe(true);
    expect(textOf(noKey)).toContain('OPENAI_API_KEY');

    const unknown = await client.callTool({
      name: 'claude_conversation',
      arguments: { message: 'hi', model: 'nope-1' },
    });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/anthropic/);

    const missing = await client.callTool({
      name: 'claude_conversation',
      arguments: { message: 'hi', conversation_id: '00000000-0000-4000-8000-00000000dead' },
    });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('No conversation');
  });

  it('without sampling and without keys, says what to configure', async () => {
    const client = await connect({ sampling: false });
    const result = await client.callTool({ name: 'claude_conversation', arguments: { message: 'hi' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('ANTHROPIC_API_KEY');
  });

  it('lists models by provider with their configuration state, never a key', async () => {
    const client = await connect({ sampling: true });
    const result = await client.callTool({ name: 'list_models', arguments: { provider: 'ollama' } });
    const data = structured(result);
    const models = data['models'] as { provider: string }[];
    expect(models.length).toBeGreaterThan(0);
    expect(models.every((m) => m.provider === 'ollama')).toBe(true);
    expect(data['sampling_available']).toBe(true);
    expect(data['providers']).toEqual([expect.objectContaining({ id: 'ollama', configured: true })]);
    const all = await client.callTool({ name: 'list_models', arguments: {} });
    expect(structured(all)['count']).toBe(112);
    const bad = await client.callTool({ name: 'list_models', arguments: { provider: 'acme' } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toContain('known providers: anthropic');
  });

  it('keeps the newest history that fits, starting with a user turn', () => {
    const at = new Date(0);
    const message = (role: 'user' | 'assistant', text: string) => ({
      id: text,
      role,
      content: [{ type: 'text' as const, text }],
      createdAt: at,
      inputTokens: 0,
      outputTokens: 0,
    });
    const history = [
      message('user', 'a'.repeat(400)),
      message('assistant', 'b'.repeat(400)),
      message('user', 'c'.repeat(40)),
      message('assistant', 'd'.repeat(40)),
    ];
    expect(historyWithin(history, 10_000).map((m) => m.content[0])).toEqual(['a', 'b', 'c', 'd']);
    // 120 tokens keep the last two turns only, and a leading assistant turn is dropped.
    expect(historyWithin(history, 120).map((m) => m.content[0])).toEqual(['c', 'd']);
    expect(historyWithin(history, 15).map((m) => m.content[0])).toEqual([]);
  });
});
