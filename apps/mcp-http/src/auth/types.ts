/**
 * The contract between the HTTP transport and the identity layer of the HTTP server.
 *
 * The transport (serve/route code) asks an {@link Authenticator} who is calling before any
 * MCP processing, asks the {@link RateLimiter} whether that caller may send another request,
 * and holds a {@link ConcurrencyLimiter} slot around expensive tool calls. The identity layer
 * never touches the transport; the transport never parses a credential.
 */
import type { Principal } from '@tfo/mcp-tools';

/** Rate class of a caller: people get the user budget, machines the service budget. */
export type RateClass = 'user' | 'service';

/** A caller the server accepted. */
export interface Authenticated {
  ok: true;
  /** Organization, subject and scopes the MCP server instance runs with. */
  principal: Principal;
  /** Which per-minute budget applies. */
  rateClass: RateClass;
  /** Stable key of the credential for rate limits and metrics (never the secret itself). */
  credentialId: string;
}

/** A refusal, ready to be sent as the HTTP answer. */
export interface Refused {
  ok: false;
  /** 401 (no or bad credential) or 403 (credential lacks a scope). */
  status: 401 | 403;
  /** Value of the `WWW-Authenticate` header (RFC 6750 / RFC 9728 `resource_metadata`). */
  wwwAuthenticate: string;
  /** OAuth error code: `invalid_request`, `invalid_token` or `insufficient_scope`. */
  error: string;
  /** Human explanation: what was wrong and what is accepted. Never contains the credential. */
  description: string;
}

/** Outcome of authenticating one request. */
export type AuthOutcome = Authenticated | Refused;

/** Decides who is calling from the request headers. */
export interface Authenticator {
  /** Authenticates one request from its headers (lower-case names, as Node gives them). */
  authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<AuthOutcome>;
  /** The 403 answer for a caller that lacks `scope` (for a tool it tried to call). */
  insufficientScope(scope: string): Refused;
  /**
   * RFC 9728 protected-resource metadata, served at
   * `/.well-known/oauth-protected-resource` (and the `/mcp` path-suffixed variant).
   */
  protectedResourceMetadata(): Record<string, unknown>;
  /** Releases timers and caches. */
  close(): Promise<void>;
}

/** Per-credential request budget (token bucket). */
export interface RateLimiter {
  /** Takes one request from the caller's budget; when empty says how long to wait. */
  take(credentialId: string, rateClass: RateClass): { ok: true } | { ok: false; retryAfterSeconds: number };
}

/** Per-credential, per-tool concurrency of expensive tools. */
export interface ConcurrencyLimiter {
  /**
   * Reserves a slot for `tool`; returns the release function, or undefined when the
   * caller already runs as many calls of that tool as allowed. Cheap tools always pass.
   */
  acquire(credentialId: string, tool: string): (() => void) | undefined;
}
