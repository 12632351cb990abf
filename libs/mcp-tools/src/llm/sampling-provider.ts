/**
 * MCP sampling as an LLM provider: the client's own model answers through
 * `sampling/createMessage`, so analysis works with no API key at all.
 *
 * The mapping between the domain's request/response and the protocol's sampling shapes
 * lives here, SDK-free; how the request travels is the transport's business and comes in
 * as a {@link SamplingChannel} built by `buildServer`:
 * - 2025-11-25: a server-to-client request on the open connection;
 * - 2026-07-28: an `input_required` result carrying the request; the client answers and
 *   retries the tool call, whose handler then finds the answer among the input responses.
 *   The channel signals that first round by throwing {@link SamplingRequired}, which
 *   `buildServer` turns into the `input_required` result.
 *
 * Decisions:
 * - Sampling results carry no token counts; usage is estimated at four characters per
 *   token and marked as an estimate by the provider id `sampling`.
 * - The requested model id travels as a hint only: the client picks its model.
 */
import type { LlmProvider, LlmRequest, LlmResponse } from '@tfo/domain';

/** A `sampling/createMessage` request's parameters, as the protocol spells them. */
export interface SamplingParams {
  messages: { role: 'user' | 'assistant'; content: { type: 'text'; text: string } }[];
  systemPrompt?: string;
  maxTokens: number;
  temperature?: number;
  stopSequences?: string[];
  modelPreferences?: { hints: { name: string }[] };
  includeContext: 'none';
}

/** The parts of a `sampling/createMessage` result this provider reads. */
export interface SamplingAnswer {
  model: string;
  role: string;
  stopReason?: string;
  content: unknown;
}

/** How a sampling request reaches the client. */
export type SamplingChannel = (params: SamplingParams, signal?: AbortSignal) => Promise<SamplingAnswer>;

/**
 * Thrown by a 2026-07-28 channel on the first round: the tool must end the round with an
 * `input_required` result carrying `params` under `key`.
 */
export class SamplingRequired extends Error {
  /** Not a failure: the LLM gateway records nothing for it (the retried call is recorded). */
  readonly deferred = true;

  constructor(
    readonly key: string,
    readonly params: SamplingParams,
  ) {
    super('The client must answer a sampling request before the call can finish');
    this.name = 'SamplingRequired';
  }
}

const STOP_REASONS: Readonly<Record<string, LlmResponse['stopReason']>> = {
  endTurn: 'end_turn',
  maxTokens: 'max_tokens',
  stopSequence: 'stop_sequence',
  toolUse: 'tool_use',
};

/** Rough token count of a text (four characters per token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The protocol's sampling parameters for a domain request. */
export function samplingParamsOf(request: LlmRequest): SamplingParams {
  return {
    messages: request.messages.map((m) => ({ role: m.role, content: { type: 'text', text: m.content } })),
    ...(request.system ? { systemPrompt: request.system } : {}),
    maxTokens: request.maxTokens,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.stopSequences?.length ? { stopSequences: request.stopSequences } : {}),
    ...(request.model && request.model !== 'sampling'
      ? { modelPreferences: { hints: [{ name: request.model }] } }
      : {}),
    includeContext: 'none',
  };
}

function textOf(content: unknown): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks
    .filter((b): b is { type: 'text'; text: string } => {
      const block = b as { type?: unknown; text?: unknown } | null;
      return block?.type === 'text' && typeof block.text === 'string';
    })
    .map((b) => b.text)
    .join('');
}

/** The client's model behind the domain's LLM port. */
export class SamplingProvider implements LlmProvider {
  readonly id = 'sampling';

  constructor(
    private readonly channel: SamplingChannel,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Sends the request to the client's model and maps its answer. */
  async complete(request: LlmRequest): Promise<LlmResponse> {
    const started = this.now();
    const params = samplingParamsOf(request);
    const answer = await this.channel(params, request.signal);
    const text = textOf(answer.content);
    const promptText = [request.system ?? '', ...request.messages.map((m) => m.content)].join('\n');
    return {
      text,
      stopReason: STOP_REASONS[answer.stopReason ?? ''] ?? (answer.stopReason ? 'other' : 'end_turn'),
      usage: { inputTokens: estimateTokens(promptText), outputTokens: estimateTokens(text) },
      model: answer.model,
      provider: this.id,
      latencyMs: Math.round(this.now() - started),
    };
  }
}
