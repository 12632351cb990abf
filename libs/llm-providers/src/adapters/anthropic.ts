/**
 * AnthropicProvider: the domain's LLM port over the Anthropic Messages API
 * (`POST /v1/messages`), through `@anthropic-ai/sdk`.
 *
 * Invariants:
 * - The key, base URL and every setting come from the constructor; the SDK's own
 *   environment defaults never apply because each one is passed explicitly.
 * - The SDK retries nothing (`maxRetries: 0`); {@link runWithPolicy} owns retries,
 *   the time budget and cancellation, and maps failures to the domain's errors.
 * - Text is the concatenation of the answer's text blocks; stop reasons outside the
 *   domain's set (`pause_turn`, `refusal`, ...) become `other`.
 * - A body without content blocks or usage counts is `LLM.MALFORMED_RESPONSE`.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { LlmProvider, LlmRequest, LlmResponse } from '@tfo/domain';
import { getBuiltInProvider } from '../providers.js';
import {
  MalformedResponse,
  classifySdkError,
  resolvePolicy,
  runWithPolicy,
  type AdapterOptions,
  type CallPolicy,
  type CallTarget,
} from './call-policy.js';
import { tokenCount, toLlmResponse, type Answer, type StopReason } from './answer.js';
import { checkRequest, requireText } from './request.js';

/** Options of an {@link AnthropicProvider}. */
export interface AnthropicProviderOptions extends AdapterOptions {
  /** The API key (the application reads it from `ANTHROPIC_API_KEY`). */
  readonly apiKey: string;
  /** Endpoint; default the provider table's `https://api.anthropic.com`. */
  readonly baseUrl?: string;
}

function stopReason(value: unknown): StopReason {
  switch (value) {
    case 'end_turn':
    case 'max_tokens':
    case 'stop_sequence':
    case 'tool_use':
      return value;
    default:
      return 'other';
  }
}

/** The Anthropic Messages adapter. */
export class AnthropicProvider implements LlmProvider {
  /** Always `anthropic`. */
  readonly id = 'anthropic';
  private readonly client: Anthropic;
  private readonly policy: CallPolicy;
  private readonly target: CallTarget;

  /** Builds the client; throws a ValidationError for a missing key or bad settings. */
  constructor(options: AnthropicProviderOptions) {
    const definition = getBuiltInProvider('anthropic');
    requireText('apiKey', options.apiKey, 'the Anthropic API key (ANTHROPIC_API_KEY)');
    this.policy = resolvePolicy(options);
    this.target = {
      provider: 'anthropic',
      displayName: definition?.displayName ?? 'Anthropic',
      apiKeyVariable: definition?.apiKeyVariable,
      apiKey: options.apiKey,
    };
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? definition?.defaultBaseUrl ?? null,
      maxRetries: 0,
      timeout: this.policy.timeoutMs,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  }

  private body(request: LlmRequest): Anthropic.MessageCreateParamsNonStreaming {
    checkRequest(request);
    return {
      model: request.model,
      max_tokens: request.maxTokens,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      ...(request.system === undefined ? {} : { system: request.system }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.stopSequences === undefined ? {} : { stop_sequences: request.stopSequences }),
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
      async (attempt) => readMessage(await this.client.messages.create(body, { signal: attempt.signal })),
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
        const events = await this.client.messages.create(
          { ...body, stream: true },
          { signal: attempt.signal },
        );
        const parts: string[] = [];
        let opened = false;
        let finished = false;
        let model: unknown;
        let reason: unknown;
        let inputTokens: unknown;
        let outputTokens: unknown;
        for await (const event of events) {
          switch (event.type) {
            case 'message_start':
              opened = true;
              model = event.message.model;
              inputTokens = event.message.usage?.input_tokens;
              outputTokens = event.message.usage?.output_tokens;
              break;
            case 'content_block_delta':
              if (event.delta.type === 'text_delta') {
                parts.push(event.delta.text);
                attempt.markDelivered();
                onText(event.delta.text);
              }
              break;
            case 'message_delta':
              reason = event.delta.stop_reason;
              if (typeof event.usage?.output_tokens === 'number') outputTokens = event.usage.output_tokens;
              if (typeof event.usage?.input_tokens === 'number') inputTokens = event.usage.input_tokens;
              break;
            case 'message_stop':
              finished = true;
              break;
            default:
              break;
          }
        }
        if (!opened) throw new MalformedResponse('the stream has no message_start event');
        if (!finished) throw new MalformedResponse('the stream ended before message_stop');
        return readMessage({
          content: [{ type: 'text', text: parts.join('') }],
          model,
          stop_reason: reason,
          usage: { input_tokens: inputTokens, output_tokens: outputTokens ?? 0 },
        });
      },
    );
    return toLlmResponse(answer, request, this.id, started);
  }
}

function readMessage(value: unknown): Answer {
  if (typeof value !== 'object' || value === null) throw new MalformedResponse('the body is not a message');
  const message = value as { content?: unknown; usage?: unknown; model?: unknown; stop_reason?: unknown };
  if (!Array.isArray(message.content)) throw new MalformedResponse('the message has no content blocks');
  const usage = (message.usage ?? {}) as { input_tokens?: unknown; output_tokens?: unknown };
  const text = message.content
    .filter((block: unknown): block is { type: 'text'; text: string } => {
      const candidate = block as { type?: unknown; text?: unknown } | null;
      return candidate?.type === 'text' && typeof candidate.text === 'string';
    })
    .map((block) => block.text)
    .join('');
  return {
    text,
    stopReason: stopReason(message.stop_reason),
    usage: {
      inputTokens: tokenCount(usage.input_tokens, 'usage.input_tokens'),
      outputTokens: tokenCount(usage.output_tokens, 'usage.output_tokens'),
    },
    model: typeof message.model === 'string' && message.model.length > 0 ? message.model : undefined,
  };
}
