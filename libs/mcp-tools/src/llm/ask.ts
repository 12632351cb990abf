/**
 * One way for a tool to ask a model: the gateway call with the caller's organization,
 * session, cancellation and the client's model (MCP sampling) as the key-free fallback.
 */
import type { LlmResponse } from '@tfo/domain';
import type { LlmGateway, LlmGatewayRequest } from '@tfo/llm-providers/gateway';
import { z } from 'zod';
import type { ToolCallContext } from '../definitions.js';

/** `model`: any catalog id, or `sampling` for the client's own model; omitted, the default. */
export const modelArgument = z
  .string({ error: 'model must be a model id such as "claude-sonnet-4-20250514" (list_models lists them)' })
  .trim()
  .min(1, { error: 'model must not be empty: omit it for the configured default model' })
  .max(200, { error: 'model must be at most 200 characters' })
  .optional()
  .describe(
    'Model id (list_models), or "sampling" for the client\'s own model. Default: the configured default model',
  );

/** Sends `request` through `gateway` on behalf of the tool call `ctx`. */
export function askModel(
  gateway: LlmGateway,
  request: Omit<LlmGatewayRequest, 'signal'>,
  ctx: ToolCallContext,
): Promise<LlmResponse> {
  return gateway.complete(
    { ...request, signal: ctx.signal },
    {
      organizationId: ctx.organizationId ?? '',
      sessionId: ctx.sessionId,
      caller: ctx.caller,
      signal: ctx.signal,
      ...(ctx.sampling ? { fallback: ctx.sampling } : {}),
    },
  );
}

/** Token usage and timing of an answer, as the tools report them. */
export function usageOf(response: LlmResponse): Record<string, unknown> {
  return {
    model: response.model,
    provider: response.provider,
    stop_reason: response.stopReason,
    usage: {
      input_tokens: response.usage.inputTokens,
      output_tokens: response.usage.outputTokens,
      ...(response.provider === 'sampling' ? { estimated: true } : {}),
    },
    latency_ms: response.latencyMs,
  };
}
