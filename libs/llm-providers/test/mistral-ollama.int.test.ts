/**
 * Integration tests of the Mistral and Ollama adapters: the real `@mistralai/mistralai`
 * and `ollama` clients talk to loopback servers speaking Mistral's Chat Completions
 * (JSON and SSE) and Ollama's `/api/chat` (JSON and NDJSON). The servers record what
 * they received and answer from a script, so retries are counted in requests.
 */
import { describe, expect, it } from '@jest/globals';
import { DependencyError, PermissionDeniedError, type LlmRequest } from '@tfo/domain';
import type { ServerResponse } from 'node:http';
import { MistralProvider, OllamaProvider } from '../src/index.js';
import { cancelledWhileWaiting, failure, failuresOnBodies, fake, json } from './support/fake-provider.js';

const KEY = 'mk-test-51c0e9a27d84b3f6-secret';

const REQUEST: LlmRequest = {
  model: 'mistral-large-latest',
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

const WIRE_MESSAGES = [
  { role: 'system', content: 'You answer in one word.' },
  { role: 'user', content: 'Ping?' },
  { role: 'assistant', content: 'Pong.' },
  { role: 'user', content: 'Again?' },
];

const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 5 } } as const;

function mistralCompletion(text = 'Pong'): Record<string, unknown> {
  return {
    id: 'cmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'mistral-large-2411',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 13, completion_tokens: 2, total_tokens: 15 },
  };
}

function mistralChunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'cmpl-2',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'mistral-large-2411',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  });
}

describe('MistralProvider against a Chat Completions server', () => {
  const mistral = (url: string, extra: Partial<ConstructorParameters<typeof MistralProvider>[0]> = {}) =>
    new MistralProvider({ apiKey: KEY, baseUrl: url, ...FAST, ...extra });

  it('completes, mapping the request onto the wire and the answer back', async () => {
    const server = await fake((_, response) => json(response, 200, mistralCompletion()));
    const result = await mistral(server.url).complete(REQUEST);
    expect(result).toMatchObject({
      text: 'Pong',
      stopReason: 'end_turn',
      usage: { inputTokens: 13, outputTokens: 2 },
      model: 'mistral-large-2411',
      provider: 'mistral',
    });
    expect(server.received).toHaveLength(1);
    const [sent] = server.received;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.body).toMatchObject({
      model: 'mistral-large-latest',
      messages: WIRE_MESSAGES,
      max_tokens: 64,
      temperature: 0.2,
      stop: ['END'],
    });
    expect(sent?.body.stream).not.toBe(true);
  });

  it('streams SSE chunks up to [DONE] with usage and the stop reason', async () => {
    const server = await fake((_, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${mistralChunk({ role: 'assistant', content: 'Po' })}\n\n`);
      response.write(`data: ${mistralChunk({ content: 'ng' })}\n\n`);
      response.write(
        `data: ${JSON.stringify({
          id: 'cmpl-2',
          model: 'mistral-large-2411',
          choices: [{ index: 0, delta: { content: '' }, finish_reason: 'length' }],
          usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 },
        })}\n\n`,
      );
      response.end('data: [DONE]\n\n');
    });
    const deltas: string[] = [];
    const result = await mistral(server.url).stream(REQUEST, (delta) => deltas.push(delta));
    expect(deltas).toEqual(['Po', 'ng']);
    expect(result).toMatchObject({
      text: 'Pong',
      stopReason: 'max_tokens',
      usage: { inputTokens: 11, outputTokens: 4 },
      model: 'mistral-large-2411',
      provider: 'mistral',
    });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.path).toBe('/v1/chat/completions');
    expect(server.received[0]?.body).toMatchObject({ stream: true, messages: WIRE_MESSAGES, max_tokens: 64 });
  });

  it('retries 500 twice, then succeeds', async () => {
    const server = await fake((n, response) =>
      n <= 2 ? json(response, 500, { message: 'boom' }) : json(response, 200, mistralCompletion()),
    );
    expect((await mistral(server.url).complete(REQUEST)).text).toBe('Pong');
    expect(server.received).toHaveLength(3);
  });

  it('rejects bad credentials at once, naming the variable and never the key', async () => {
    const server = await fake((_, response) =>
      json(response, 401, { message: `Unauthorized: no such key ${KEY}`, request_id: 'r1' }),
    );
    const error = await failure(mistral(server.url).complete(REQUEST));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.code).toBe('LLM.AUTHENTICATION');
    expect(error.message).toContain('MISTRAL_API_KEY');
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.details)).not.toContain(KEY);
    expect(server.received).toHaveLength(1);
  });

  it('reports a malformed body without retrying', async () => {
    const { errors, server } = await failuresOnBodies(
      ['{"choices": [', '{"id": "cmpl-1", "choices": []}'],
      (url) => mistral(url).complete(REQUEST),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(DependencyError);
      expect(error.code).toBe('LLM.MALFORMED_RESPONSE');
    }
    expect(server.received).toHaveLength(2);
  });

  it('cancels through the request signal while the server delays', async () => {
    const { error, server } = await cancelledWhileWaiting((url, signal) =>
      mistral(url, { timeoutMs: 60_000 }).complete({ ...REQUEST, signal }),
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.code).toBe('LLM.CANCELLED');
    expect(server.received).toHaveLength(1);
  });

  it('refuses a missing key before any request', () => {
    expect(() => new MistralProvider({ apiKey: '' })).toThrow(/MISTRAL_API_KEY/);
  });
});

function ollamaChat(text = 'Pong'): Record<string, unknown> {
  return {
    model: 'qwen3:8b',
    created_at: '2026-01-01T00:00:00Z',
    message: { role: 'assistant', content: text },
    done: true,
    done_reason: 'stop',
    prompt_eval_count: 19,
    eval_count: 3,
  };
}

function ndjson(response: ServerResponse, lines: readonly Record<string, unknown>[]): void {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const line of lines) response.write(`${JSON.stringify(line)}\n`);
  response.end();
}

describe('OllamaProvider against an /api/chat server', () => {
  const OLLAMA_REQUEST: LlmRequest = { ...REQUEST, model: 'qwen3:8b' };
  const ollama = (url: string, extra: Partial<ConstructorParameters<typeof OllamaProvider>[0]> = {}) =>
    new OllamaProvider({ baseUrl: url, ...FAST, ...extra });

  it('completes, mapping the request onto the wire and the answer back', async () => {
    const server = await fake((_, response) => json(response, 200, ollamaChat()));
    const result = await ollama(server.url).complete(OLLAMA_REQUEST);
    expect(result).toMatchObject({
      text: 'Pong',
      stopReason: 'end_turn',
      usage: { inputTokens: 19, outputTokens: 3 },
      model: 'qwen3:8b',
      provider: 'ollama',
    });
    expect(server.received).toHaveLength(1);
    const [sent] = server.received;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/api/chat');
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.body).toEqual({
      model: 'qwen3:8b',
      messages: WIRE_MESSAGES,
      stream: false,
      options: { num_predict: 64, temperature: 0.2, stop: ['END'] },
    });
  });

  it('streams NDJSON objects up to done, with counts and the stop reason', async () => {
    const partial = (content: string): Record<string, unknown> => ({
      model: 'qwen3:8b',
      created_at: '2026-01-01T00:00:00Z',
      message: { role: 'assistant', content },
      done: false,
    });
    const server = await fake((_, response) =>
      ndjson(response, [
        partial('Po'),
        partial('ng'),
        { ...ollamaChat(''), done_reason: 'length', prompt_eval_count: 7, eval_count: 5 },
      ]),
    );
    const deltas: string[] = [];
    const result = await ollama(server.url).stream(OLLAMA_REQUEST, (delta) => deltas.push(delta));
    expect(deltas).toEqual(['Po', 'ng']);
    expect(result).toMatchObject({
      text: 'Pong',
      stopReason: 'max_tokens',
      usage: { inputTokens: 7, outputTokens: 5 },
      model: 'qwen3:8b',
      provider: 'ollama',
    });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.path).toBe('/api/chat');
    expect(server.received[0]?.body).toMatchObject({ stream: true, messages: WIRE_MESSAGES });
  });

  it('retries 500 twice, then succeeds', async () => {
    const server = await fake((n, response) =>
      n <= 2 ? json(response, 500, { error: 'model runner crashed' }) : json(response, 200, ollamaChat()),
    );
    expect((await ollama(server.url).complete(OLLAMA_REQUEST)).text).toBe('Pong');
    expect(server.received).toHaveLength(3);
  });

  it('gives up on 5xx after the retries with the server message', async () => {
    const server = await fake((_, response) => json(response, 503, { error: 'model runner crashed' }));
    const error = await failure(
      ollama(server.url, { retry: { maxRetries: 1, baseDelayMs: 1 } }).complete(OLLAMA_REQUEST),
    );
    expect(error.code).toBe('LLM.PROVIDER_UNAVAILABLE');
    expect(error.message).toContain('model runner crashed');
    expect(server.received).toHaveLength(2);
  });

  it('reports a malformed body without retrying', async () => {
    const { errors, server } = await failuresOnBodies(
      ['{"message": {', '{"model": "qwen3:8b", "done": true}'],
      (url) => ollama(url).complete(OLLAMA_REQUEST),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(DependencyError);
      expect(error.code).toBe('LLM.MALFORMED_RESPONSE');
    }
    expect(server.received).toHaveLength(2);
  });

  it('reports a stream that ends before its done object', async () => {
    const server = await fake((_, response) =>
      ndjson(response, [{ model: 'qwen3:8b', message: { role: 'assistant', content: 'Po' }, done: false }]),
    );
    const deltas: string[] = [];
    const error = await failure(ollama(server.url).stream(OLLAMA_REQUEST, (delta) => deltas.push(delta)));
    expect(error.code).toBe('LLM.MALFORMED_RESPONSE');
    expect(deltas).toEqual(['Po']);
    expect(server.received).toHaveLength(1);
  });

  it('cancels through the request signal while the server delays', async () => {
    const { error, server } = await cancelledWhileWaiting((url, signal) =>
      ollama(url, { timeoutMs: 60_000 }).complete({ ...OLLAMA_REQUEST, signal }),
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.code).toBe('LLM.CANCELLED');
    expect(server.received).toHaveLength(1);
  });

  it('cancels a stream in flight', async () => {
    const server = await fake((_, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write(
        `${JSON.stringify({ model: 'qwen3:8b', message: { role: 'assistant', content: 'Po' }, done: false })}\n`,
      );
    });
    const controller = new AbortController();
    const pending = failure(
      ollama(server.url, { timeoutMs: 60_000 }).stream({ ...OLLAMA_REQUEST, signal: controller.signal }, () =>
        controller.abort(),
      ),
    );
    const error = await pending;
    expect(error.code).toBe('LLM.CANCELLED');
    expect(server.received).toHaveLength(1);
  });
});
