/**
 * What every adapter reads out of its provider's answer, and how it becomes the domain's
 * LlmResponse. Shared so the four wire protocols differ only in how they read the wire.
 */
import type { LlmRequest, LlmResponse } from '@tfo/domain';
import { MalformedResponse } from './call-policy.js';

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
