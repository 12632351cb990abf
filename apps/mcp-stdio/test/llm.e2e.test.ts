/**
 * The model tools end to end: the built stdio server on the embedded engines with the demo
 * estate, a 2026-07-28 client that supports sampling, and an OpenAI-compatible provider fake
 * on loopback. analyze_telemetry is answered by the client's own model when no key is
 * configured for the default model (through an input_required round), and by the provider
 * when a configured model is named; the provider call's usage is visible to ch_api_usage.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/client';
import { connect, firstText, makeSandbox, serverLog, type Sandbox } from './harness.js';
import { reachableDir } from '../../../tools/jest/engines.js';

const SLOW = 180_000;

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  authorization: string | undefined;
}

/** A Chat Completions endpoint on loopback that answers every request with a fixed analysis. */
async function startOpenAiFake(): Promise<{ url: string; received: ChatRequest[]; server: Server }> {
  const received: ChatRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const parsed = JSON.parse(body) as { model: string; messages: ChatRequest['messages'] };
      received.push({ ...parsed, authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-e2e',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: parsed.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: 'Summary: payment-processor CPU spiked (provider).' },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, received, server };
}

describe('model tools through sampling and through a provider', () => {
  let sandbox: Sandbox;
  let client: Client;
  let provider: Awaited<ReturnType<typeof startOpenAiFake>>;
  const sampled: { systemPrompt?: string; messages: { content: { text?: string } }[] }[] = [];

  beforeAll(async () => {
    provider = await startOpenAiFake();
    sandbox = makeSandbox();
    client = await connect(sandbox, 'modern', {
      capabilities: { sampling: {} },
      env: {
        TELEMETRYFLOW_MCP_DATA_ENABLED: 'true',
        TELEMETRYFLOW_MCP_DATA_DIR: reachableDir(sandbox.base, 'data'),
        TELEMETRYFLOW_MCP_DEMO_SIZE: 'small',
        OPENAI_API_KEY: 'sk-e2e-secret-key',
        OPENAI_BASE_URL: provider.url,
      },
    });
    client.setRequestHandler('sampling/createMessage', async (request) => {
      sampled.push(request.params as never);
      return {
        model: 'client-model-e2e',
        role: 'assistant',
        content: { type: 'text', text: 'Summary: payment-processor CPU spiked (client model).' },
        stopReason: 'endTurn',
      };
    });
    // The engines open in the background; wait until the telemetry tools answer from data.
    for (let i = 0; i < 120; i++) {
      const services = await client.callTool({ name: 'list_services', arguments: {} });
      if (!services.isError && firstText(services).includes('payment-processor')) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    throw new Error(`the demo estate never became visible:\n${serverLog(client)}`);
  }, SLOW);

  afterAll(async () => {
    await client?.close();
    await new Promise((resolve) => provider?.server.close(resolve));
    if (sandbox) rmSync(sandbox.base, { recursive: true, force: true });
  });

  it(
    "answers analyze_telemetry with the client's model when the default model has no key, reporting progress",
    async () => {
      const progress: string[] = [];
      const result = await client.callTool(
        {
          name: 'analyze_telemetry',
          arguments: { context_type: 'metrics', insight_type: 'root-cause', service: 'payment-processor' },
        },
        { onprogress: (p) => void progress.push(p.message ?? String(p.progress)) },
      );
      expect(result.isError).toBeFalsy();
      const answer = JSON.parse(firstText(result)) as Record<string, unknown>;
      expect(answer).toMatchObject({
        answer: 'Summary: payment-processor CPU spiked (client model).',
        provider: 'sampling',
        model: 'client-model-e2e',
        context_type: 'metrics',
        insight_type: 'root-cause',
        no_data: false,
      });
      const period = answer['time_range'] as { start: string; end: string };
      expect(Date.parse(period.end) - Date.parse(period.start)).toBe(3_600_000);
      expect(progress).toContain('collecting the metrics context');
      // The client's model saw the persona and the fenced context of the right service.
      const request = sampled.at(-1)!;
      expect(request.systemPrompt).toContain('IMPORTANT INSTRUCTIONS');
      const prompt = request.messages[0]?.content.text ?? '';
      expect(prompt).toContain('<<<TELEMETRY_DATA');
      expect(prompt).toContain('payment-processor');
      expect(provider.received).toHaveLength(0);
    },
    SLOW,
  );

  it(
    'answers with a configured provider when its model is named, and records the usage',
    async () => {
      // The demo estate records LLM usage of its own: compare against what is there now.
      const usageOf = async () => {
        const usage = await client.callTool({
          name: 'ch_api_usage',
          arguments: { hours: 1, model: 'gpt-4o' },
        });
        const text = firstText(usage);
        expect(text).not.toContain('sk-e2e-secret-key');
        const rows = (JSON.parse(text) as { rows?: Record<string, unknown>[] }).rows ?? [];
        const row = rows.find((r) => r['provider'] === 'openai');
        return { calls: Number(row?.['calls'] ?? 0), input: Number(row?.['total_input_tokens'] ?? 0) };
      };
      const before = await usageOf();
      const result = await client.callTool({
        name: 'analyze_telemetry',
        arguments: { context_type: 'metrics', insight_type: 'chronology', model: 'gpt-4o' },
      });
      expect(result.isError).toBeFalsy();
      const answer = JSON.parse(firstText(result)) as Record<string, unknown>;
      expect(answer).toMatchObject({
        answer: 'Summary: payment-processor CPU spiked (provider).',
        provider: 'openai',
        usage: { input_tokens: 1234, output_tokens: 56 },
      });
      expect(provider.received).toHaveLength(1);
      expect(provider.received[0]).toMatchObject({
        model: 'gpt-4o',
        authorization: 'Bearer sk-e2e-secret-key',
      });
      expect(provider.received[0]?.messages[0]?.role).toBe('system');

      let after = before;
      for (let i = 0; i < 30 && after.calls === before.calls; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        after = await usageOf();
      }
      expect(after).toEqual({ calls: before.calls + 1, input: before.input + 1234 });
      // The usage row names who asked: the client, as tool call records do.
      const callers = await client.callTool({
        name: 'ch_query',
        arguments: {
          query:
            "SELECT caller FROM api_usage WHERE provider = 'openai' AND input_tokens = 1234 ORDER BY timestamp DESC LIMIT 1",
        },
      });
      expect(firstText(callers)).toContain('tfo-e2e/1.0.0');
    },
    SLOW,
  );

  it('continues a conversation and refuses a model whose provider has no key, naming the variable', async () => {
    const first = await client.callTool({
      name: 'claude_conversation',
      arguments: { message: 'hello', model: 'gpt-4o' },
    });
    expect(first.isError).toBeFalsy();
    const id = (first.structuredContent as { conversation_id: string }).conversation_id;
    const second = await client.callTool({
      name: 'claude_conversation',
      arguments: { message: 'and then?', conversation_id: id },
    });
    expect((second.structuredContent as { messages: number }).messages).toBe(4);
    expect(provider.received.at(-1)?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);

    const refused = await client.callTool({
      name: 'claude_conversation',
      arguments: { message: 'hi', model: 'mistral-large-latest' },
    });
    expect(refused.isError).toBe(true);
    expect(firstText(refused)).toContain('MISTRAL_API_KEY');
  });
});
