/**
 * OpenAICompatibleProvider: the domain's LLM port over Chat Completions
 * (`POST {baseUrl}/chat/completions`), through the `openai` SDK. One class serves
 * OpenAI itself and every provider speaking its protocol: google, deepseek, qwen,
 * grok, kimi, zhipu, mimo, custom, and providers added to the model catalog.
 *
 * Invariants:
 * - The provider id selects the definition (display name, key variable, default base
 *   URL); the base URL and the key come from the constructor, never from the SDK's
 *   environment defaults (organization and project are pinned to none).
 * - The SDK retries nothing (`maxRetries: 0`); {@link runWithPolicy} owns retries,
 *   the time budget and cancellation, and maps failures to the domain's errors.
 * - The system prompt travels as the first message, role `system`.
 * - Stop reasons: `stop` is `end_turn`, `length` is `max_tokens`, `tool_calls` and
 *   `function_call` are `tool_use`, anything else is `other`.
 * - A body without choices, or without usage on a whole answer, is
 *   `LLM.MALFORMED_RESPONSE`; a stream without usage reports zero tokens.
 *
 * Decisions:
 * - The `openai` protocol sends `max_completion_tokens` (its reasoning models refuse
 *   `max_tokens`); `openai-compatible` providers get the widely supported `max_tokens`.
 * - Streams ask for usage (`stream_options.include_usage`).
 * - A provider without a key variable (a local server) sends no Authorization header.
 */
import { ConfigurationError, type LlmProvider, type LlmRequest, type LlmResponse } from '@tfo/domain';
import OpenAI from 'openai';
import { LLM_ERROR_CODES } from '../error-codes.js';
import { getBuiltInProvider, type ProviderDefinition } from '../providers.js';
import {
  MalformedResponse,
  classifySdkError,
  resolvePolicy,
  runWithPolicy,
  type AdapterOptions,
  type CallPolicy,
  type CallTarget,
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

/** Options of an {@link OpenAICompatibleProvider}. */
export interface OpenAICompatibleProviderOptions extends AdapterOptions {
  /** Provider id: a built-in one (`openai`, `google`, `deepseek`, ...) or `definition.id`. */
  readonly provider: string;
  /** The provider's definition, for providers added through the model catalog. */
  readonly definition?: ProviderDefinition;
  /** The API key; optional only for a provider without a key variable. */
  readonly apiKey?: string;
  /** Endpoint; default the definition's default base URL. */
  readonly baseUrl?: string;
}

function stopReason(value: unknown): StopReason {
  switch (value) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      return 'other';
  }
}

function configuration(message: string, details: Record<string, unknown>): ConfigurationError {
  return new ConfigurationError(message, { code: LLM_ERROR_CODES.InvalidProvider, details });
}

function readCompletion(value: unknown): Answer {
  if (typeof value !== 'object' || value === null)
    throw new MalformedResponse('the body is not a completion');
  const completion = value as { choices?: unknown; usage?: unknown; model?: unknown };
  const first: unknown = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (typeof first !== 'object' || first === null)
    throw new MalformedResponse('the completion has no choices');
  const choice = first as { message?: { content?: unknown }; finish_reason?: unknown };
  const content = choice.message?.content;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    throw new MalformedResponse('the message content is not text');
  }
  if (typeof completion.usage !== 'object' || completion.usage === null) {
    throw new MalformedResponse('the completion has no usage');
  }
  const usage = completion.usage as { prompt_tokens?: unknown; completion_tokens?: unknown };
  return {
    text: content ?? '',
    stopReason: stopReason(choice.finish_reason),
    usage: {
      inputTokens: tokenCount(usage.prompt_tokens, 'usage.prompt_tokens'),
      outputTokens: tokenCount(usage.completion_tokens, 'usage.completion_tokens'),
    },
    model: typeof completion.model === 'string' && completion.model.length > 0 ? completion.model : undefined,
  };
}

/** The Chat Completions adapter for OpenAI and OpenAI-compatible providers. */
export class OpenAICompatibleProvider implements LlmProvider {
  /** The provider id given to the constructor. */
  readonly id: string;
  private readonly client: OpenAI;
  private readonly policy: CallPolicy;
  private readonly target: CallTarget;
  private readonly tokenField: 'max_tokens' | 'max_completion_tokens';

  /**
   * Builds the client. Throws a ConfigurationError (`LLM.UNKNOWN_PROVIDER`,
   * `LLM.INVALID_PROVIDER`) for an unknown provider, one speaking another protocol or
   * one without a base URL, and a ValidationError for a missing key or bad settings.
   */
  constructor(options: OpenAICompatibleProviderOptions) {
    const id = options.provider;
    const definition = options.definition ?? getBuiltInProvider(id);
    if (definition === undefined || definition.id !== id) {
      throw new ConfigurationError(
        `Unknown provider "${String(id)}" for the OpenAI-compatible adapter; pass a built-in provider id or ` +
          `the definition of an added provider.`,
        { code: LLM_ERROR_CODES.UnknownProvider, details: { provider: id } },
      );
    }
    if (definition.protocol !== 'openai' && definition.protocol !== 'openai-compatible') {
      throw configuration(
        `Provider "${id}" speaks the ${definition.protocol} protocol, not Chat Completions; use its own adapter.`,
        { provider: id, protocol: definition.protocol },
      );
    }
    const baseUrl = options.baseUrl ?? definition.defaultBaseUrl;
    if (baseUrl === undefined) {
      throw configuration(`Provider "${id}" has no default base URL; configure one.`, { provider: id });
    }
    if (definition.apiKeyVariable !== undefined) {
      requireText(
        'apiKey',
        options.apiKey,
        `the ${definition.displayName} API key (${definition.apiKeyVariable})`,
      );
    }
    this.id = id;
    this.policy = resolvePolicy(options);
    this.tokenField = definition.protocol === 'openai' ? 'max_completion_tokens' : 'max_tokens';
    this.target = {
      provider: id,
      displayName: definition.displayName,
      apiKeyVariable: definition.apiKeyVariable,
      apiKey: options.apiKey,
    };
    const keyless = options.apiKey === undefined || options.apiKey.length === 0;
    this.client = new OpenAI({
      apiKey: keyless ? 'unused' : options.apiKey,
      organization: null,
      project: null,
      baseURL: baseUrl,
      maxRetries: 0,
      timeout: this.policy.timeoutMs,
      ...(keyless ? { defaultHeaders: { Authorization: null } } : {}),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  }

  private body(request: LlmRequest): OpenAI.ChatCompletionCreateParamsNonStreaming {
    checkRequest(request);
    const messages: OpenAI.ChatCompletionMessageParam[] = chatMessages(request);
    return {
      model: request.model,
      messages,
      [this.tokenField]: request.maxTokens,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.stopSequences === undefined ? {} : { stop: request.stopSequences }),
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
      classifySdkError,
      async (attempt) =>
        readCompletion(await this.client.chat.completions.create(body, { signal: attempt.signal })),
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
      classifySdkError,
      async (attempt) => {
        const chunks = await this.client.chat.completions.create(
          { ...body, stream: true, stream_options: { include_usage: true } },
          { signal: attempt.signal },
        );
        const stream = await collectChatStream(
          chunks,
          (chunk) => {
            const choice = Array.isArray(chunk?.choices) ? chunk.choices[0] : undefined;
            const delta = choice?.delta?.content;
            return {
              model: chunk?.model,
              usage: chunk?.usage,
              finishReason: choice?.finish_reason,
              delta: typeof delta === 'string' ? delta : '',
            };
          },
          attempt,
          onText,
        );
        return readCompletion({
          choices: [{ message: { content: stream.text }, finish_reason: stream.finishReason }],
          usage: stream.usage ?? { prompt_tokens: 0, completion_tokens: 0 },
          model: stream.model,
        });
      },
    );
    return toLlmResponse(answer, request, this.id, started);
  }
}
