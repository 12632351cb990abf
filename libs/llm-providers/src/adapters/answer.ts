/**
 * What every adapter reads out of its provider's answer, and how it becomes the domain's
 * LlmResponse. Shared so the four wire protocols differ only in how they read the wire.
 */
import type { LlmMessage, LlmRequest, LlmResponse } from '@tfo/domain';
import { MalformedResponse, type Attempt } from './call-policy.js';

/** The domain's stop reasons. */
export type StopReason = LlmResponse['stopReason'];

/** One provider answer, read from the wire. */
export interface Answer {
  readonly text: string;
  readonly stopReason: StopReason;
  readonly usage: LlmResponse['usage'];
  /** The model the provider says answered, when it says. */
  readonly model: string | undefined;
}

/** A token count from the wire; anything else means the body is malformed. */
export function tokenCount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new MalformedResponse(`${what} is missing or not a token count`);
  }
  return value;
}

/** The domain response for `answer` from `provider`, timed from `started` (performance.now()). */
export function toLlmResponse(
  answer: Answer,
  request: LlmRequest,
  provider: string,
  started: number,
): LlmResponse {
  return {
    text: answer.text,
    stopReason: answer.stopReason,
    usage: answer.usage,
    model: answer.model ?? request.model,
    provider,
    latencyMs: Math.round(performance.now() - started),
  };
}

/** The request's messages for a chat API that takes the system prompt as a first message. */
export function chatMessages(request: LlmRequest): ({ role: 'system'; content: string } | LlmMessage)[] {
  return [
    ...(request.system === undefined ? [] : [{ role: 'system' as const, content: request.system }]),
    ...request.messages.map((message) => ({ role: message.role, content: message.content })),
  ];
}

/** What one chunk of a Chat Completions stream says, read out of its protocol's spelling. */
export interface ChatChunk {
  model?: unknown;
  usage?: unknown;
  finishReason?: unknown;
  /** The text this chunk adds ('' for none). */
  delta: string;
}

/** A Chat Completions stream read to its end: the whole text and the last model, usage and reason. */
export interface CollectedChatStream {
  text: string;
  model: unknown;
  usage: unknown;
  finishReason: unknown;
}

/**
 * Reads a Chat Completions stream (OpenAI's and Mistral's share the shape, not the
 * spelling): each delta goes to `onText` once the attempt is marked delivered, and the last
 * model, usage and finish reason seen are kept. A stream without a single chunk is malformed.
 */
export async function collectChatStream<C>(
  chunks: AsyncIterable<C>,
  read: (chunk: C) => ChatChunk | undefined,
  attempt: Attempt,
  onText: (delta: string) => void,
): Promise<CollectedChatStream> {
  const parts: string[] = [];
  const collected: CollectedChatStream = {
    text: '',
    model: undefined,
    usage: undefined,
    finishReason: undefined,
  };
  let seen = false;
  for await (const raw of chunks) {
    const chunk = read(raw);
    if (chunk === undefined) continue;
    seen = true;
    if (typeof chunk.model === 'string' && chunk.model.length > 0) collected.model = chunk.model;
    if (typeof chunk.usage === 'object' && chunk.usage !== null) collected.usage = chunk.usage;
    if (chunk.finishReason !== null && chunk.finishReason !== undefined)
      collected.finishReason = chunk.finishReason;
    if (chunk.delta.length > 0) {
      parts.push(chunk.delta);
      attempt.markDelivered();
      onText(chunk.delta);
    }
  }
  if (!seen) throw new MalformedResponse('the stream carried no chunks');
  collected.text = parts.join('');
  return collected;
}
