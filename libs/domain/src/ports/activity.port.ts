/**
 * Activity port: the server's record of its own work (tool calls, resource reads, errors, LLM
 * usage, session lifecycle), kept for analytics and audit. Implemented over ClickHouse by
 * @tfo/datasources; a no-op by default.
 *
 * Invariants: every method returns at once and never throws; an implementation buffers and
 * writes in the background, and a failing sink loses records (counted, logged) rather than
 * slowing or breaking the protocol. Arguments are recorded only as a digest.
 */

/** Tenant columns every record carries. */
export interface ActivityTenant {
  /** Organization the caller acts for; empty when unknown. */
  organizationId: string;
  workspaceId?: string;
  tenantId?: string;
}

/** One finished tool call. */
export interface ToolCallRecord extends ActivityTenant {
  at: Date;
  callId: string;
  sessionId: string;
  tool: string;
  /** SHA-256 (hex) of the canonical JSON of the arguments. */
  argumentsDigest: string;
  durationMs: number;
  outcome: 'success' | 'error';
  /** Stable error code when the outcome is `error`. */
  errorCode?: string;
  /** Who called: the client's name and version, or an API key's id. */
  caller: string;
}

/** One resource read. */
export interface ResourceReadRecord extends ActivityTenant {
  at: Date;
  sessionId: string;
  uri: string;
  durationMs: number;
  outcome: 'success' | 'error';
  errorCode?: string;
  caller: string;
}

/** One error answered to a client. */
export interface ErrorRecord extends ActivityTenant {
  at: Date;
  sessionId?: string;
  /** Where it happened: `tool`, `resource`, `prompt`, `protocol`, `llm`, ... */
  source: string;
  errorCode: string;
  /** Error class, e.g. `ValidationError`. */
  errorClass: string;
  message: string;
  tool?: string;
}

/** One call to a language model. */
export interface LlmUsageRecord extends ActivityTenant {
  at: Date;
  sessionId?: string;
  provider: string;
  model: string;
  /** `complete`, `stream`, `sampling`, ... */
  operation: string;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  durationMs: number;
  success: boolean;
  /** Who asked: the credential and client (as tool call records name them). */
  caller?: string;
}

/** A session lifecycle event. */
export interface SessionActivityRecord extends ActivityTenant {
  at: Date;
  sessionId: string;
  event: 'opened' | 'closed';
  transport: string;
  clientName: string;
  /** Session duration so far (closing events). */
  durationMs?: number;
  toolCallCount?: number;
}

/** Where the server records its own activity. */
export interface ActivityRecorder {
  toolCall(record: ToolCallRecord): void;
  resourceRead(record: ResourceReadRecord): void;
  error(record: ErrorRecord): void;
  llmUsage(record: LlmUsageRecord): void;
  session(record: SessionActivityRecord): void;
}

/** Records nothing. */
export const noopActivityRecorder: ActivityRecorder = {
  toolCall: () => undefined,
  resourceRead: () => undefined,
  error: () => undefined,
  llmUsage: () => undefined,
  session: () => undefined,
};
