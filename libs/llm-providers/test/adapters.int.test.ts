/**
 * Integration tests of the wire-protocol adapters: the real SDK clients talk to
 * loopback servers speaking the Anthropic Messages and Chat Completions protocols,
 * JSON and SSE. The servers record what they received and answer from a script, so
 * retries are counted in requests, never measured in time.
 */
import { describe, expect, it } from '@jest/globals';
import {
  DependencyError,
  LimitExceededError,
  PermissionDeniedError,
  ValidationError,
  noopLogger,
  type LlmRequest,
  type Logger,
} from '@tfo/domain';
import type { ServerResponse } from 'node:http';
import { AnthropicProvider, OpenAICompatibleProvider, getBuiltInProvider } from '../src/index.js';
import {
  cancelledWhileWaiting,
  completion,
  failure,
  failuresOnBodies,
  fake,
  hang,
  json,
} from './support/fake-provider.js';

const KEY = 'sk-test-7f3a9c1e5b2d4860-secret';

function sse(response: ServerResponse, events: readonly { event?: string; data: string }[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const { event, data } of events)
    response.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${data}\n\n`);
  response.end();
}

function recordingLogger(lines: Record<string, unknown>[]): Logger {
  const record = (fields: object | string): void => {
    if (typeof fields === 'object') lines.push({ ...fields });
  };
  const logger: Logger = {
    ...noopLogger,
    warn: record,
    child: () => logger,
  };
  return logger;
}

const REQUEST: LlmRequest = {
  model: 'claude-sonnet-4-20250514',
  system: 'You answer in one word.',
  messages: [
    { role: 'user', content: 'Ping?' },
    { role: 'assistant', content: 'Pong.' },
    { role: 'user', content: 'Again?' },
  ],
  maxTokens: 64,
  temperature: 0.2,
  stopSequences: ['END'],
};

const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 5 } } as const;

function anthropicMessage(text = 'Pong'): Record<string, unknown> {
  return {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-20250514',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 21, output_tokens: 3 },
  };
}

describe('AnthropicProvider against a Messages server', () => {
  const anthropic = (url: string, extra: Partial<ConstructorParameters<typeof AnthropicProvider>[0]> = {}) =>
    new AnthropicProvider({ apiKey: KEY, baseUrl: url, ...FAST, ...extra });

  it('completes, mapping the request onto the wire and the answer back', async () => {
    const server = await fake((_, response) => json(response, 200, anthropicMessage()));
    const result = await anthropic(server.url).complete(REQUEST);
    expect(result).toMatchObject({
      text: 'Pong',
      stopReason: 'end_turn',
      usage: { inputTokens: 21, outputTokens: 3 },
      model: 'claude-sonnet-4-20250514',
      provider: 'anthropic',
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.received).toHaveLength(1);
    const [sent] = server.received;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/messages');
    // The SDK sends the key as x-api-key or, in its 1.x line, as a bearer token.
    const credential = sent?.headers['x-api-key'] ?? sent?.headers.authorization;
    expect([KEY, `Bearer ${KEY}`]).toContain(credential);
    expect(sent?.headers['anthropic-version']).toBeDefined();
    expect(sent?.body).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 64,
      system: 'You answer in one word.',
      messages: REQUEST.messages,
      temperature: 0.2,
      stop_sequences: ['END'],
    });
  });

  it('streams text deltas and assembles the response', async () => {
    const server = await fake((_, response) =>
      sse(response, [
        {
          event: 'message_start',
          data: JSON.stringify({
            type: 'message_start',
            message: {
              ...anthropicMessage(),
              content: [],
              stop_reason: null,
              usage: { input_tokens: 9, output_tokens: 1 },
            },
          }),
        },
        {
          event: 'content_block_start',
          data: JSON.stringify({
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'text', text: '' },
          }),
        },
        {
          event: 'content_block_delta',
          data: JSON.stringify({
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: 'Po' },
          }),
        },
        {
          event: 'content_block_delta',
          data: JSON.stringify({
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: 'ng' },
          }),
        },
        { event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index: 0 }) },
        {
          event: 'message_delta',
          data: JSON.stringify({
            type: 'message_delta',
            delta: { stop_reason: 'max_tokens', stop_sequence: null },
            usage: { output_tokens: 5 },
          }),
        },
        { event: 'message_stop', data: JSON.stringify({ type: 'message_stop' }) },
      ]),
    );
    const deltas: string[] = [];
    const result = await anthropic(server.url).stream(REQUEST, (delta) => deltas.push(delta));
    expect(deltas).toEqual(['Po', 'ng']);
    expect(result).toMatchObject({
      text: 'Pong',
      stopReason: 'max_tokens',
      usage: { inputTokens: 9, outputTokens: 5 },
      provider: 'anthropic',
    });
    expect(server.received[0]?.body).toMatchObject({ stream: true, max_tokens: 64, system: REQUEST.system });
  });

  it('honours Retry-After in seconds on 429, then succeeds', async () => {
    const server = await fake((n, response) =>
      n === 1
        ? json(
            response,
            429,
            { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
            { 'retry-after': '1' },
          )
        : json(response, 200, anthropicMessage()),
    );
    const lines: Record<string, unknown>[] = [];
    const result = await anthropic(server.url, { logger: recordingLogger(lines) }).complete(REQUEST);
    expect(result.text).toBe('Pong');
    expect(server.received).toHaveLength(2);
    expect(lines).toEqual([
      expect.objectContaining({ provider: 'anthropic', status: 429, attempt: 1, delayMs: 1000 }),
    ]);
  });

  it('retries 500 twice, then succeeds', async () => {
    const server = await fake((n, response) =>
      n <= 2
        ? json(response, 500, { type: 'error', error: { type: 'api_error', message: 'boom' } })
        : json(response, 200, anthropicMessage()),
    );
    expect((await anthropic(server.url).complete(REQUEST)).text).toBe('Pong');
    expect(server.received).toHaveLength(3);
  });

  it('gives up on 5xx after the retries', async () => {
    const server = await fake((_, response) =>
      json(response, 503, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    const error = await failure(
      anthropic(server.url, { retry: { maxRetries: 1, baseDelayMs: 1 } }).complete(REQUEST),
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.code).toBe('LLM.PROVIDER_UNAVAILABLE');
    expect(error.message).toContain('Overloaded');
    expect(server.received).toHaveLength(2);
  });

  it('rejects bad credentials at once, naming the variable and never the key', async () => {
    const server = await fake((_, response) =>
      json(response, 401, {
        type: 'error',
        error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` },
      }),
    );
    const error = await failure(anthropic(server.url).complete(REQUEST));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.code).toBe('LLM.AUTHENTICATION');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.details)).not.toContain(KEY);
    expect(server.received).toHaveLength(1);
  });

  it('rejects a bad request with the provider message, without retrying', async () => {
    const server = await fake((_, response) =>
      json(response, 400, {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'max_tokens: too large' },
      }),
    );
    const error = await failure(anthropic(server.url).complete(REQUEST));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('LLM.BAD_REQUEST');
    expect(error.message).toContain('max_tokens: too large');
    expect(server.received).toHaveLength(1);
  });

  it('aborts an attempt that outlives the time budget', async () => {
    const server = await fake(hang);
    const error = await failure(anthropic(server.url, { timeoutMs: 150 }).complete(REQUEST));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.code).toBe('LLM.TIMEOUT');
    expect(error.details).toMatchObject({ timeoutMs: 150 });
    expect(error.message).toContain('150 ms');
    expect(server.received).toHaveLength(1);
  });

  it('reports a malformed body', async () => {
    const { errors, server } = await failuresOnBodies(['{"content": [', '{"id": "msg_01"}'], (url) =>
      anthropic(url).complete(REQUEST),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(DependencyError);
      expect(error.code).toBe('LLM.MALFORMED_RESPONSE');
    }
    expect(server.received).toHaveLength(2);
  });

  it('cancels through the request signal while the server delays', async () => {
    const { error, server } = await cancelledWhileWaiting((url, signal) =>
      anthropic(url, { timeoutMs: 60_000 }).complete({ ...REQUEST, signal }),
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.code).toBe('LLM.CANCELLED');
    expect(server.received).toHaveLength(1);
  });

  it('refuses a missing key before any request', () => {
    expect(() => new AnthropicProvider({ apiKey: '' })).toThrow(/ANTHROPIC_API_KEY/);
  });
});

const COMPATIBLE = [
  'openai',
  'google',
  'deepseek',
  'qwen',
  'grok',
  'kimi',
  'zhipu',
  'mimo',
  'custom',
] as const;

describe('OpenAICompatibleProvider against a Chat Completions server', () => {
  const compatible = (
    provider: string,
    url: string,
    extra: Partial<ConstructorParameters<typeof OpenAICompatibleProvider>[0]> = {},
  ) => new OpenAICompatibleProvider({ provider, apiKey: KEY, baseUrl: `${url}/v1`, ...FAST, ...extra });

  it.each(COMPATIBLE)('completes for %s through its base URL override', async (provider) => {
    const model = `${provider}-model`;
    const server = await fake((_, response) => json(response, 200, completion(model)));
    const result = await compatible(provider, server.url).complete({ ...REQUEST, model });
    expect(result).toMatchObject({
      text: 'Pong',
      stopReason: 'end_turn',
      usage: { inputTokens: 17, outputTokens: 2 },
      model,
      provider,
    });
    expect(server.received).toHaveLength(1);
    const [sent] = server.received;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.headers['openai-organization']).toBeUndefined();
    const tokenField =
      getBuiltInProvider(provider)?.protocol === 'openai' ? 'max_completion_tokens' : 'max_tokens';
    expect(sent?.body).toEqual({
      model,
      messages: [{ role: 'system', content: REQUEST.system }, ...REQUEST.messages],
      [tokenField]: 64,
      temperature: 0.2,
      stop: ['END'],
    });
  });

  it('streams data chunks up to [DONE] with usage', async () => {
    const chunk = (delta: Record<string, unknown>, finish: string | null, usage?: Record<string, number>) =>
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: 'deepseek-chat',
        choices: usage === undefined ? [{ index: 0, delta, finish_reason: finish }] : [],
        ...(usage === undefined ? {} : { usage }),
      });
    const server = await fake((_, response) =>
      sse(response, [
        { data: chunk({ role: 'assistant', content: '' }, null) },
        { data: chunk({ content: 'Po' }, null) },
        { data: chunk({ content: 'ng' }, null) },
        { data: chunk({}, 'length') },
        { data: chunk({}, null, { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 }) },
        { data: '[DONE]' },
      ]),
    );
    const deltas: string[] = [];
    const result = await compatible('deepseek', server.url).stream(
      { ...REQUEST, model: 'deepseek-chat' },
      (delta) => deltas.push(delta),
    );
    expect(deltas).toEqual(['Po', 'ng']);
    expect(result).toMatchObject({
      text: 'Pong',
      stopReason: 'max_tokens',
      usage: { inputTokens: 11, outputTokens: 2 },
      model: 'deepseek-chat',
      provider: 'deepseek',
    });
    expect(server.received[0]?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
    });
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('honours Retry-After as an HTTP date on 429, then succeeds', async () => {
    const server = await fake((n, response) =>
      n === 1
        ? json(
            response,
            429,
            { error: { message: 'Rate limit reached', type: 'requests' } },
            { 'retry-after': new Date(Date.now() + 1000).toUTCString() },
          )
        : json(response, 200, completion('grok-3')),
    );
    const lines: Record<string, unknown>[] = [];
    const result = await compatible('grok', server.url, { logger: recordingLogger(lines) }).complete({
      ...REQUEST,
      model: 'grok-3',
    });
    expect(result.text).toBe('Pong');
    expect(server.received).toHaveLength(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ provider: 'grok', status: 429 });
    expect(lines[0]?.['retryAfterMs']).toEqual(lines[0]?.['delayMs']);
    expect(typeof lines[0]?.['retryAfterMs']).toBe('number');
  });

  it('fails as rate limited when 429 persists', async () => {
    const server = await fake((_, response) =>
      json(response, 429, { error: { message: 'quota exhausted' } }, { 'retry-after': '0' }),
    );
    const error = await failure(compatible('qwen', server.url).complete(REQUEST));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error.code).toBe('LLM.RATE_LIMITED');
    expect(server.received).toHaveLength(3);
  });

  it('retries 500 twice, then succeeds', async () => {
    const server = await fake((n, response) =>
      n <= 2
        ? json(response, 500, { error: { message: 'internal' } })
        : json(response, 200, completion('kimi-k2')),
    );
    expect((await compatible('kimi', server.url).complete(REQUEST)).text).toBe('Pong');
    expect(server.received).toHaveLength(3);
  });

  it('rejects bad credentials at once, naming the variable and never the key', async () => {
    const server = await fake((_, response) =>
      json(response, 401, {
        error: { message: `Incorrect API key provided: ${KEY}`, code: 'invalid_api_key' },
      }),
    );
    const error = await failure(compatible('google', server.url).complete(REQUEST));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.code).toBe('LLM.AUTHENTICATION');
    expect(error.message).toContain('GOOGLE_API_KEY');
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.details)).not.toContain(KEY);
    expect(server.received).toHaveLength(1);
  });

  it('aborts an attempt that outlives the time budget', async () => {
    const server = await fake(hang);
    const error = await failure(
      compatible('zhipu', server.url, { timeoutMs: 150 }).stream(REQUEST, () => undefined),
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.code).toBe('LLM.TIMEOUT');
    expect(server.received).toHaveLength(1);
  });

  it('reports a malformed body', async () => {
    const server = await fake((_, response) => json(response, 200, { id: 'chatcmpl-1', choices: [] }));
    const error = await failure(compatible('mimo', server.url).complete(REQUEST));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.code).toBe('LLM.MALFORMED_RESPONSE');
    expect(server.received).toHaveLength(1);
  });

  it('cancels through the request signal while the server delays', async () => {
    const { error, server } = await cancelledWhileWaiting((url, signal) =>
      compatible('custom', url, { timeoutMs: 60_000 }).complete({ ...REQUEST, signal }),
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.code).toBe('LLM.CANCELLED');
    expect(server.received).toHaveLength(1);
  });

  it('refuses providers of another protocol and unknown ids', () => {
    expect(() => new OpenAICompatibleProvider({ provider: 'ollama', apiKey: KEY })).toThrow(
      /ollama protocol/,
    );
    expect(() => new OpenAICompatibleProvider({ provider: 'acme', apiKey: KEY })).toThrow(
      /Unknown provider "acme"/,
    );
    expect(() => new OpenAICompatibleProvider({ provider: 'openai' })).toThrow(/OPENAI_API_KEY/);
  });
});
