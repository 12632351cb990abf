/**
 * LLM provider port: one request/response shape for every provider and wire protocol.
 * Implemented by @tfo/llm-providers (and by MCP sampling in @tfo/mcp-tools).
 */

/** One message sent to a model. */
export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A completion request. */
export interface LlmRequest {
  model: string;
  system?: string;
  messages: LlmMessage[];
  maxTokens: number;
  temperature?: number;
  stopSequences?: string[];
  signal?: AbortSignal;
}

/** Token usage of one call. */
export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A completion response. */
export interface LlmResponse {
  text: string;
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'other';
  usage: LlmUsage;
  model: string;
  provider: string;
  latencyMs: number;
}

/** A model provider. */
export interface LlmProvider {
  /** Provider id, e.g. `anthropic`. */
  readonly id: string;
  /** Sends a request and waits for the whole answer. */
  complete(request: LlmRequest): Promise<LlmResponse>;
  /** Streams text deltas; resolves to the full response at the end. */
  stream?(request: LlmRequest, onText: (delta: string) => void): Promise<LlmResponse>;
}
