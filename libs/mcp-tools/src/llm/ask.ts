/**
 * One way for a tool to ask a model: the gateway call with the caller's organization,
 * session, cancellation and the client's model (MCP sampling) as the key-free fallback.
 */
import type { LlmResponse } from '@tfo/domain';
import type { LlmGateway, LlmGatewayRequest } from '@tfo/llm-providers/gateway';
import type { ToolCallContext } from '../definitions.js';

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
