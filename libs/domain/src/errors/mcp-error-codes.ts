/**
 * JSON-RPC error codes the protocol layer answers with. The standard JSON-RPC codes,
 * plus the MCP-specific codes of the original server (-32001 … -32010). They are used
 * only where a protocol error is the right answer (the request itself is wrong);
 * a tool that fails returns an `isError` result instead.
 */
export const McpErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ToolNotFound: -32001,
  ResourceNotFound: -32002,
  PromptNotFound: -32003,
  ToolExecutionFailed: -32004,
  SessionNotInitialized: -32005,
  SessionAlreadyInitialized: -32006,
  RateLimited: -32007,
  Unauthorized: -32008,
  RequestTimeout: -32009,
  UnsupportedProtocolVersion: -32010,
} as const;

/** One of the codes in {@link McpErrorCode}. */
export type McpErrorCode = (typeof McpErrorCode)[keyof typeof McpErrorCode];
