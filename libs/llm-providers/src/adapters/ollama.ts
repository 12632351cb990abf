/**
 * OllamaProvider: the domain's LLM port over Ollama's chat endpoint
 * (`POST {host}/api/chat`), through the `ollama` package, as one JSON answer or a
 * stream of newline-delimited JSON objects.
 *
 * Invariants:
 * - Ollama takes no API key. The host comes from the constructor (the application
 *   reads `OLLAMA_HOST`), default the provider table's `http://localhost:11434`.
 * - The package retries nothing; {@link runWithPolicy} owns retries, the time budget
 *   and cancellation, and maps failures to the domain's errors.
 * - The system prompt travels as the first message, role `system`; the token cap,
 *   temperature and stop sequences travel as `options.num_predict`, `temperature`
 *   and `stop`.
 * - Usage comes from `prompt_eval_count` and `eval_count`; stop reasons: `stop` is
 *   `end_turn`, `length` is `max_tokens`, anything else is `other`.
 * - A body without a message or without the counts, or a stream that ends before
 *   its `done` object, is `LLM.MALFORMED_RESPONSE`.
 *
 * Decisions:
 * - The package's chat call accepts no abort signal, so each attempt builds a client
 *   whose `fetch` carries the attempt's signal: the time budget and the caller's
 *   signal abort the request in flight, streaming or not.
 * - An error the server reports inside a stream, and any failure the package raises
 *   that is neither HTTP nor a connection failure, is reported as malformed.
 */
import type { LlmProvider, LlmRequest, LlmResponse } from '@tfo/domain';
import { Ollama, type ChatRequest, type Message } from 'ollama';
import { getBuiltInProvider } from '../providers.js';
import {
  MalformedResponse,
  resolvePolicy,
  runWithPolicy,
  type AdapterOptions,
  type CallPolicy,
  type CallTarget,
  type ProviderFailure,
} from './call-policy.js';
import { chatMessages, tokenCount, toLlmResponse, type Answer, type StopReason } from './answer.js';
import { checkRequest } from './request.js';

/** Options of an {@link OllamaProvider}. */
export interface OllamaProviderOptions extends AdapterOptions {
  /** Server address (the application reads it from `OLLAMA_HOST`); default `http://localhost:11434`. */
  readonly baseUrl?: string;
}

function stopReason(value: unknown): StopReason {
  switch (value) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    default:
      return 'other';
  }
}

/** Classifies an error thrown by the `ollama` package or by `fetch` beneath it. */
function classifyOllamaError(error: unknown): ProviderFailure {
  // Structural: errors raised by `fetch` may come from another realm than ours.
  if (typeof error !== 'object' || error === null || typeof (error as Error).name !== 'string') {
    return { kind: 'network', message: String(error) };
  }
  const failed = error as Error;
  if (failed.name === 'AbortError') return { kind: 'aborted' };
  if (failed.name === 'TimeoutError') return { kind: 'timeout' };
  if (failed.name === 'SyntaxError') return { kind: 'malformed', message: 'the body is not valid JSON' };
  const shaped = failed as Error & { status_code?: unknown; error?: unknown };
  if (failed.name === 'ResponseError' && typeof shaped.status_code === 'number') {
    return {
      kind: 'http',
      status: shaped.status_code,
      message: typeof shaped.error === 'string' ? shaped.error : failed.message,
      retryAfter: undefined,
    };
  }
  // `fetch` reports refused connections and broken sockets as a TypeError.
  if (failed.name === 'TypeError') {
    const reason = failed.cause instanceof Error ? failed.cause.message : failed.message;
    return { kind: 'network', message: reason };
  }
  return { kind: 'malformed', message: failed.message };
}

function readChat(value: unknown): Answer {
  if (typeof value !== 'object' || value === null)
    throw new MalformedResponse('the body is not a chat answer');
  const chat = value as {
    message?: { content?: unknown };
    model?: unknown;
    done_reason?: unknown;
    prompt_eval_count?: unknown;
    eval_count?: unknown;
  };
  if (typeof chat.message !== 'object' || chat.message === null) {
    throw new MalformedResponse('the chat answer has no message');
  }
  const content = chat.message.content;
  if (content !== undefined && typeof content !== 'string') {
    throw new MalformedResponse('the message content is not text');
  }
  return {
    text: content ?? '',
    stopReason: stopReason(chat.done_reason),
    usage: {
      inputTokens: tokenCount(chat.prompt_eval_count, 'prompt_eval_count'),
      outputTokens: tokenCount(chat.eval_count, 'eval_count'),
    },
    model: typeof chat.model === 'string' && chat.model.length > 0 ? chat.model : undefined,
  };
}

/** The Ollama chat adapter. */
export class OllamaProvider implements LlmProvider {
  /** Always `ollama`. */
  readonly id = 'ollama';
  private readonly host: string;
  private readonly fetch: typeof fetch;
  private readonly policy: CallPolicy;
  private readonly target: CallTarget;

  /** Checks the settings; throws a ValidationError for bad ones. */
  constructor(options: OllamaProviderOptions = {}) {
    const definition = getBuiltInProvider('ollama');
    this.policy = resolvePolicy(options);
    this.host = options.baseUrl ?? definition?.defaultBaseUrl ?? 'http://localhost:11434';
    this.fetch = options.fetch ?? fetch;
    this.target = {
      provider: 'ollama',
      displayName: definition?.displayName ?? 'Ollama',
      apiKeyVariable: undefined,
      apiKey: undefined,
    };
  }

  /** A client whose requests abort with `signal` as well as with the package's own signal. */
  private client(signal: AbortSignal): Ollama {
    const base = this.fetch;
    return new Ollama({
      host: this.host,
      fetch: (input, init) =>
        base(input, {
          ...init,
          signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
        }),
    });
  }

  private body(request: LlmRequest): ChatRequest {
    checkRequest(request);
    const messages: Message[] = chatMessages(request);
    return {
      model: request.model,
      messages,
      options: {
        num_predict: request.maxTokens,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.stopSequences === undefined ? {} : { stop: [...request.stopSequences] }),
      },
    };
  }

  /** Sends the request and waits for the whole answer. */
  async complete(request: LlmRequest): Promise<LlmResponse> {
    const body = this.body(request);
    const started = performance.now();
    const answer = await runWithPolicy(
      this.policy,
      this.target,
      request.signal,
      classifyOllamaError,
      async (attempt) => readChat(await this.client(attempt.signal).chat({ ...body, stream: false })),
    );
    return toLlmResponse(answer, request, this.id, started);
  }

  /** Streams text deltas to `onText`; resolves to the full response when the stream ends. */
  async stream(request: LlmRequest, onText: (delta: string) => void): Promise<LlmResponse> {
    const body = this.body(request);
    const started = performance.now();
    const answer = await runWithPolicy(
      this.policy,
      this.target,
      request.signal,
      classifyOllamaError,
      async (attempt) => {
        const parts = await this.client(attempt.signal).chat({ ...body, stream: true });
        const texts: string[] = [];
        let last: unknown;
        for await (const part of parts) {
          const delta: unknown = part?.message?.content;
          if (typeof delta === 'string' && delta.length > 0) {
            texts.push(delta);
            attempt.markDelivered();
            onText(delta);
          }
          if (part?.done === true) last = part;
        }
        if (last === undefined) throw new MalformedResponse('the stream ended before its done object');
        return readChat({ ...last, message: { content: texts.join('') } });
      },
    );
    return toLlmResponse(answer, request, this.id, started);
  }
}
