/**
 * MistralProvider: the domain's LLM port over Mistral's Chat Completions
 * (`POST {baseUrl}/v1/chat/completions`), through `@mistralai/mistralai`.
 *
 * Invariants:
 * - The key, base URL (`serverURL`) and every setting come from the constructor;
 *   the SDK's own defaults never choose the endpoint or the credential.
 * - The SDK retries nothing (`retryConfig: { strategy: 'none' }`); {@link runWithPolicy}
 *   owns retries, the time budget and cancellation, and maps failures to the
 *   domain's errors.
 * - The system prompt travels as the first message, role `system`.
 * - Stop reasons: `stop` is `end_turn`, `length` and `model_length` are `max_tokens`,
 *   `tool_calls` is `tool_use`, anything else is `other`.
 * - Usage comes from `usage.prompt_tokens` and `usage.completion_tokens`; a whole
 *   answer without them, or without choices, is `LLM.MALFORMED_RESPONSE`; a stream
 *   without usage reports zero tokens.
 *
 * Decisions:
 * - The SDK validates bodies against its schemas; a body it rejects is reported as
 *   malformed, the same as a body our own reader rejects.
 */
import { HTTPClient, Mistral } from '@mistralai/mistralai';
import type {
  ChatCompletionRequest,
  ChatCompletionRequestMessage,
} from '@mistralai/mistralai/models/components';
import type { LlmProvider, LlmRequest, LlmResponse } from '@tfo/domain';
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
import {
  chatMessages,
  collectChatStream,
  tokenCount,
  toLlmResponse,
  type Answer,
  type StopReason,
} from './answer.js';
import { checkRequest, requireText } from './request.js';

/** Options of a {@link MistralProvider}. */
export interface MistralProviderOptions extends AdapterOptions {
  /** The API key (the application reads it from `MISTRAL_API_KEY`). */
  readonly apiKey: string;
  /** Endpoint; default the provider table's `https://api.mistral.ai`. */
  readonly baseUrl?: string;
}

function stopReason(value: unknown): StopReason {
  switch (value) {
    case 'stop':
      return 'end_turn';
    case 'length':
    case 'model_length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    default:
      return 'other';
  }
}

/** The text of a message's content: a string, or the text parts of a chunk list. */
function textOf(content: unknown): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new MalformedResponse('the message content is not text');
  return content
    .map((part: unknown) => {
      const chunk = part as { type?: unknown; text?: unknown } | null;
      return chunk?.type === 'text' && typeof chunk.text === 'string' ? chunk.text : '';
    })
    .join('');
}

/** Reads the text of a Mistral error body (`message` or `detail`), if it has one. */
function errorText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; detail?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
    if (typeof parsed.detail === 'string') return parsed.detail;
    return undefined;
  } catch {
    return body.length > 0 ? body : undefined;
  }
}

/**
 * Classifies an error thrown by the Speakeasy-generated Mistral SDK: HTTP errors
 * carry `statusCode`, `headers` and the raw `body`; client errors are named.
 */
function classifyMistralError(error: unknown): ProviderFailure {
  // Structural: errors raised by `fetch` may come from another realm than ours.
  if (typeof error !== 'object' || error === null || typeof (error as Error).name !== 'string') {
    return { kind: 'network', message: String(error) };
  }
  const failed = error as Error;
  switch (failed.name) {
    case 'ResponseValidationError':
    case 'SDKValidationError':
    case 'SyntaxError':
      return { kind: 'malformed', message: 'the body does not match the Chat Completions schema' };
    case 'RequestAbortedError':
    case 'AbortError':
      return { kind: 'aborted' };
    case 'RequestTimeoutError':
    case 'TimeoutError':
      return { kind: 'timeout' };
    default:
      break;
  }
  const shaped = failed as Error & { statusCode?: unknown; headers?: unknown; body?: unknown };
  if (typeof shaped.statusCode === 'number') {
    const headers = shaped.headers as { get?: (name: string) => string | null } | undefined;
    return {
      kind: 'http',
      status: shaped.statusCode,
      message: (typeof shaped.body === 'string' ? errorText(shaped.body) : undefined) ?? failed.message,
      retryAfter: typeof headers?.get === 'function' ? (headers.get('retry-after') ?? undefined) : undefined,
    };
  }
  const reason = failed.cause instanceof Error ? failed.cause.message : failed.message;
  return { kind: 'network', message: reason };
}

function readCompletion(value: unknown): Answer {
  if (typeof value !== 'object' || value === null)
    throw new MalformedResponse('the body is not a completion');
  const completion = value as { choices?: unknown; usage?: unknown; model?: unknown };
  const first: unknown = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (typeof first !== 'object' || first === null)
    throw new MalformedResponse('the completion has no choices');
  const choice = first as { message?: { content?: unknown }; finishReason?: unknown };
  if (typeof completion.usage !== 'object' || completion.usage === null) {
    throw new MalformedResponse('the completion has no usage');
  }
  const usage = completion.usage as { promptTokens?: unknown; completionTokens?: unknown };
  return {
    text: textOf(choice.message?.content),
    stopReason: stopReason(choice.finishReason),
    usage: {
      inputTokens: tokenCount(usage.promptTokens, 'usage.prompt_tokens'),
      outputTokens: tokenCount(usage.completionTokens, 'usage.completion_tokens'),
    },
    model: typeof completion.model === 'string' && completion.model.length > 0 ? completion.model : undefined,
  };
}

/** The Mistral Chat Completions adapter. */
export class MistralProvider implements LlmProvider {
  /** Always `mistral`. */
  readonly id = 'mistral';
  private readonly client: Mistral;
  private readonly policy: CallPolicy;
  private readonly target: CallTarget;

  /** Builds the client; throws a ValidationError for a missing key or bad settings. */
  constructor(options: MistralProviderOptions) {
    const definition = getBuiltInProvider('mistral');
    requireText('apiKey', options.apiKey, 'the Mistral AI API key (MISTRAL_API_KEY)');
    this.policy = resolvePolicy(options);
    this.target = {
      provider: 'mistral',
      displayName: definition?.displayName ?? 'Mistral AI',
      apiKeyVariable: definition?.apiKeyVariable,
      apiKey: options.apiKey,
    };
    const serverURL = options.baseUrl ?? definition?.defaultBaseUrl;
    this.client = new Mistral({
      apiKey: options.apiKey,
      ...(serverURL === undefined ? {} : { serverURL }),
      retryConfig: { strategy: 'none' },
      timeoutMs: this.policy.timeoutMs,
      ...(options.fetch === undefined ? {} : { httpClient: new HTTPClient({ fetcher: options.fetch }) }),
    });
  }

  private body(request: LlmRequest): ChatCompletionRequest {
    checkRequest(request);
    const messages: ChatCompletionRequestMessage[] = chatMessages(request);
    return {
      model: request.model,
      messages,
      maxTokens: request.maxTokens,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.stopSequences === undefined ? {} : { stop: [...request.stopSequences] }),
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
      classifyMistralError,
      async (attempt) =>
        readCompletion(
          await this.client.chat.complete(body, { signal: attempt.signal, retries: { strategy: 'none' } }),
        ),
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
      classifyMistralError,
      async (attempt) => {
        const events = await this.client.chat.stream(
          { ...body, stream: true },
          { signal: attempt.signal, retries: { strategy: 'none' } },
        );
        const stream = await collectChatStream(
          events,
          (event) => {
            const chunk = event?.data;
            if (chunk === undefined) return undefined;
            const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
            return {
              model: chunk.model,
              usage: chunk.usage,
              finishReason: choice?.finishReason,
              delta: textOf(choice?.delta?.content),
            };
          },
          attempt,
          onText,
        );
        return readCompletion({
          choices: [{ message: { content: stream.text }, finishReason: stream.finishReason }],
          usage: stream.usage ?? { promptTokens: 0, completionTokens: 0 },
          model: stream.model,
        });
      },
    );
    return toLlmResponse(answer, request, this.id, started);
  }
}
