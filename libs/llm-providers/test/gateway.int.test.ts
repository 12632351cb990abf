/**
 * Integration tests of the LLM gateway: one call per wire protocol goes through the
 * gateway and the real SDK clients to loopback servers (base URLs overridden in the
 * gateway's settings), and the usage the gateway records is checked against what the
 * servers answered.
 */
import { describe, expect, it } from '@jest/globals';
import {
  PermissionDeniedError,
  noopActivityRecorder,
  type ActivityRecorder,
  type LlmUsageRecord,
} from '@tfo/domain';
import type { ServerResponse } from 'node:http';
import { LlmGateway, type LlmGatewaySettings, type ProviderSettings } from '../src/index.js';
import { completion, failure, fake, json } from './support/fake-provider.js';

const KEY = 'sk-gw-int-93ac51f07e2b8d46-secret';
const AT = new Date('2026-03-01T12:00:00Z');
const MESSAGES = [{ role: 'user' as const, content: 'Ping?' }];
const CALL = { organizationId: 'org-7', sessionId: 'session-7', caller: 'test' } as const;

class RecordingActivity implements ActivityRecorder {
  readonly usage: LlmUsageRecord[] = [];
  toolCall = noopActivityRecorder.toolCall;
  resourceRead = noopActivityRecorder.resourceRead;
  error = noopActivityRecorder.error;
  session = noopActivityRecorder.session;
  llmUsage(record: LlmUsageRecord): void {
    this.usage.push(record);
  }
}

function gateway(
  providers: Record<string, ProviderSettings>,
  extra: Partial<LlmGatewaySettings> = {},
): { gateway: LlmGateway; activity: RecordingActivity } {
  const activity = new RecordingActivity();
  const settings: LlmGatewaySettings = {
    defaultModel: 'claude-sonnet-4-20250514',
    maxTokens: 256,
    temperature: 0.2,
    timeoutMs: 30_000,
    maxRetries: 0,
    providers,
    ...extra,
  };
  return { gateway: new LlmGateway(settings, { activity, now: () => AT }), activity };
}

function usage(
  provider: string,
  model: string,
  operation: string,
  tokens: [number, number],
  success = true,
): Record<string, unknown> {
  return {
    at: AT,
    organizationId: 'org-7',
    sessionId: 'session-7',
    provider,
    model,
    operation,
    inputTokens: tokens[0],
    outputTokens: tokens[1],
    success,
  };
}

function sse(response: ServerResponse, chunks: readonly string[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const data of chunks) response.write(`data: ${data}\n\n`);
  response.end();
}

describe('LlmGateway over the wire protocols', () => {
  it('anthropic: the default model, maxTokens capped at its output limit', async () => {
    const server = await fake((_, response) =>
      json(response, 200, {
        id: 'msg_01',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        content: [{ type: 'text', text: 'Pong' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 21, output_tokens: 3 },
      }),
    );
    const { gateway: llm, activity } = gateway({ anthropic: { apiKey: KEY, baseUrl: server.url } });
    const result = await llm.complete({ messages: MESSAGES, maxTokens: 100_000 }, CALL);
    expect(result).toMatchObject({
      text: 'Pong',
      provider: 'anthropic',
      usage: { inputTokens: 21, outputTokens: 3 },
    });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.path).toBe('/v1/messages');
    expect(server.received[0]?.body).toMatchObject({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 64_000,
      temperature: 0.2,
    });
    expect(activity.usage).toEqual([
      expect.objectContaining(usage('anthropic', 'claude-sonnet-4-20250514', 'complete', [21, 3])),
    ]);
  });

  it('anthropic: a rejected key is recorded as a failure with no tokens, and never shown', async () => {
    const server = await fake((_, response) =>
      json(response, 401, {
        type: 'error',
        error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` },
      }),
    );
    const { gateway: llm, activity } = gateway({ anthropic: { apiKey: KEY, baseUrl: server.url } });
    const error = await failure(llm.complete({ model: 'claude-haiku-4-5', messages: MESSAGES }, CALL));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(error.message).not.toContain(KEY);
    expect(server.received).toHaveLength(1);
    expect(activity.usage).toEqual([
      expect.objectContaining(usage('anthropic', 'claude-haiku-4-5', 'complete', [0, 0], false)),
    ]);
  });

  it('openai: max_completion_tokens, and no streaming for a model the catalog says cannot stream', async () => {
    const server = await fake((_, response) => json(response, 200, completion('gpt-5.5-pro')));
    const { gateway: llm, activity } = gateway({ openai: { apiKey: KEY, baseUrl: `${server.url}/v1` } });
    const deltas: string[] = [];
    const result = await llm.complete(
      { model: 'gpt-5.5-pro', messages: MESSAGES },
      { ...CALL, onText: (delta) => deltas.push(delta) },
    );
    expect(result).toMatchObject({ text: 'Pong', provider: 'openai' });
    expect(deltas).toEqual([]);
    expect(server.received[0]?.path).toBe('/v1/chat/completions');
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.received[0]?.body).toMatchObject({ model: 'gpt-5.5-pro', max_completion_tokens: 256 });
    expect(server.received[0]?.body.stream).toBeUndefined();
    expect(activity.usage).toEqual([
      expect.objectContaining(usage('openai', 'gpt-5.5-pro', 'complete', [17, 2])),
    ]);
  });

  it('openai-compatible: streams to onText, capped at the model limit, recorded as a stream', async () => {
    const chunk = (content: string | undefined, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        id: 'chatcmpl-2',
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: 'deepseek-chat',
        choices: content === undefined ? [] : [{ index: 0, delta: { content }, finish_reason: null }],
        ...extra,
      });
    const server = await fake((_, response) =>
      sse(response, [
        chunk('Po'),
        chunk('ng'),
        chunk(undefined, { usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 } }),
        '[DONE]',
      ]),
    );
    const { gateway: llm, activity } = gateway({ deepseek: { apiKey: KEY, baseUrl: server.url } });
    const deltas: string[] = [];
    const result = await llm.complete(
      { model: 'deepseek-chat', messages: MESSAGES, maxTokens: 10_000 },
      { ...CALL, onText: (delta) => deltas.push(delta) },
    );
    expect(deltas).toEqual(['Po', 'ng']);
    expect(result).toMatchObject({ text: 'Pong', provider: 'deepseek' });
    expect(server.received[0]?.body).toMatchObject({ stream: true, max_tokens: 8_192 });
    expect(activity.usage).toEqual([
      expect.objectContaining(usage('deepseek', 'deepseek-chat', 'stream', [11, 2])),
    ]);
  });

  it('openai-compatible: custom and added providers without a key send no credentials', async () => {
    const server = await fake((n, response) =>
      json(response, 200, completion(n === 1 ? 'custom-model-v1' : 'lab-small')),
    );
    const { gateway: llm, activity } = gateway(
      { custom: { baseUrl: `${server.url}/v1` } },
      {
        customProviders: [{ id: 'lab', baseUrl: `${server.url}/lab/v1` }],
        models: [{ id: 'lab-small', provider: 'lab' }],
      },
    );
    expect((await llm.complete({ model: 'custom-model-v1', messages: MESSAGES }, CALL)).provider).toBe(
      'custom',
    );
    expect((await llm.complete({ model: 'lab-small', messages: MESSAGES }, CALL)).provider).toBe('lab');
    expect(server.received.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/v1/chat/completions', undefined],
      ['/lab/v1/chat/completions', undefined],
    ]);
    expect(activity.usage).toEqual([
      expect.objectContaining(usage('custom', 'custom-model-v1', 'complete', [17, 2])),
      expect.objectContaining(usage('lab', 'lab-small', 'complete', [17, 2])),
    ]);
  });

  it('mistral: Chat Completions with the key as a bearer token', async () => {
    const server = await fake((_, response) =>
      json(response, 200, {
        ...completion('mistral-large-2411'),
        usage: { prompt_tokens: 13, completion_tokens: 2, total_tokens: 15 },
      }),
    );
    const { gateway: llm, activity } = gateway({ mistral: { apiKey: KEY, baseUrl: server.url } });
    const result = await llm.complete(
      { model: 'mistral-large-2411', messages: MESSAGES, temperature: 0 },
      CALL,
    );
    expect(result).toMatchObject({ text: 'Pong', provider: 'mistral' });
    expect(server.received[0]?.path).toBe('/v1/chat/completions');
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.received[0]?.body).toMatchObject({
      model: 'mistral-large-2411',
      max_tokens: 256,
      temperature: 0,
    });
    expect(activity.usage).toEqual([
      expect.objectContaining(usage('mistral', 'mistral-large-2411', 'complete', [13, 2])),
    ]);
  });

  it('ollama: keyless, with the default token cap and temperature of the settings', async () => {
    const server = await fake((_, response) =>
      json(response, 200, {
        model: 'qwen3:32b',
        created_at: '2026-01-01T00:00:00Z',
        message: { role: 'assistant', content: 'Pong' },
        done: true,
        done_reason: 'stop',
        prompt_eval_count: 19,
        eval_count: 3,
      }),
    );
    const { gateway: llm, activity } = gateway({ ollama: { baseUrl: server.url } });
    const result = await llm.complete({ model: 'qwen3:32b', messages: MESSAGES }, CALL);
    expect(result).toMatchObject({
      text: 'Pong',
      provider: 'ollama',
      usage: { inputTokens: 19, outputTokens: 3 },
    });
    expect(server.received[0]?.path).toBe('/api/chat');
    expect(server.received[0]?.headers.authorization).toBeUndefined();
    expect(server.received[0]?.body).toMatchObject({
      model: 'qwen3:32b',
      stream: false,
      options: { num_predict: 256, temperature: 0.2 },
    });
    expect(activity.usage).toEqual([
      expect.objectContaining(usage('ollama', 'qwen3:32b', 'complete', [19, 3])),
    ]);
  });
});
