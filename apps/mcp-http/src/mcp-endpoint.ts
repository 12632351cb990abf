/**
 * The `/mcp` endpoint once the Host and Origin checks have passed: the guards that need the
 * caller, then the MCP SDK.
 *
 * Order, each refusal a JSON answer naming what was wrong and what is allowed:
 * 1. method (POST, GET, DELETE)                                   → 405
 * 2. declared body size over `http.maxBodyBytes`                  → 413
 * 3. authentication (the Authenticator)                           → 401 / 403 + WWW-Authenticate
 *    (a credential store that cannot answer                     → 503 + Retry-After)
 * 4. the credential's rate budget (the RateLimiter)               → 429 + Retry-After
 * 5. streamed body size over `http.maxBodyBytes`                  → 413
 * 6. a body that is not JSON                                      → 400, JSON-RPC -32700
 * 7. `tools/call` of a tool whose scope the credential lacks      → 403 insufficient_scope
 * then the SDK: 2026-07-28 requests and (by default) 2025-11-25 requests are served per request by
 * `createMcpHandler`; with `http.sessions: stateful`, 2025-11-25 requests go to the sessions. The
 * expensive-tool concurrency limit is applied inside the instance (see instances.ts).
 *
 * The caller is handed to the SDK as `authInfo` and reaches the per-request factory from there;
 * the credential headers themselves are removed from the request the SDK sees.
 */
import type { IncomingMessage } from 'node:http';
import { createMcpHandler, isLegacyRequest, type McpHttpHandler } from '@modelcontextprotocol/server';
import { McpErrorCode, type Logger } from '@tfo/domain';
import { mayUse } from '@tfo/mcp-tools';
import type { ServerConfig } from '@tfo/runtime';
import { jsonRpcError, problem } from './answers.js';
import type { Authenticator, RateLimiter } from './auth/types.js';
import { authInfoFor, type Caller, type InstanceFactory } from './instances.js';
import type { Metrics } from './metrics.js';
import type { SessionManager } from './sessions.js';

/** What {@link McpEndpoint} needs. */
export interface McpEndpointOptions {
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  instances: InstanceFactory;
  /** Present with `http.sessions: stateful`. */
  sessions: SessionManager | undefined;
  config: ServerConfig;
  metrics: Metrics;
  logger: Logger;
}

const METHODS = ['POST', 'GET', 'DELETE'];

/** Request headers that carry credentials; they are not handed to the SDK. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'cookie', 'proxy-authorization'];

/** Reads a request body up to `max` bytes; undefined when it is larger. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > max) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The ids of the requests in a JSON-RPC message or batch. */
function requestIds(body: unknown): (string | number)[] {
  const messages = Array.isArray(body) ? body : [body];
  const ids: (string | number)[] = [];
  for (const m of messages) {
    const id = (m as { id?: unknown; method?: unknown } | null)?.id;
    if (
      (typeof id === 'string' || typeof id === 'number') &&
      typeof (m as { method?: unknown }).method === 'string'
    )
      ids.push(id);
  }
  return ids;
}

/** What the endpoint learned about an exchange, for the server's own answers (the timeout). */
export interface Exchange {
  /** Ids of the JSON-RPC requests the POST carried. */
  requestIds: (string | number)[];
}

/** The `tools/call` tool names of a JSON-RPC message or batch. */
function calledTools(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const names: string[] = [];
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const message = m as { method?: unknown; params?: { name?: unknown } };
    if (message.method === 'tools/call' && typeof message.params?.name === 'string')
      names.push(message.params.name);
  }
  return names;
}

/** The `/mcp` endpoint; see the module header. */
export class McpEndpoint {
  private readonly handler: McpHttpHandler;
  private readonly maxBodyBytes: number;
  private readonly log: Logger;

  constructor(private readonly options: McpEndpointOptions) {
    this.maxBodyBytes = options.config.http.maxBodyBytes;
    this.log = options.logger.child({ component: 'mcp-http' });
    this.handler = createMcpHandler(options.instances.perRequest, {
      legacy: options.sessions ? 'reject' : 'stateless',
      maxRequestBodySize: this.maxBodyBytes,
      onerror: (error) => this.log.debug({ err: error.message }, 'MCP request refused or failed'),
    });
  }

  /**
   * Answers one request to `/mcp`; `signal` aborts when the client leaves or the request times
   * out. `exchange` receives the ids of the JSON-RPC requests once the body is read.
   */
  async handle(
    req: IncomingMessage,
    url: string,
    signal: AbortSignal,
    exchange: Exchange,
  ): Promise<Response> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (!METHODS.includes(method)) {
      return problem(
        405,
        'method_not_allowed',
        `${method} is not served on /mcp. Use POST (JSON-RPC messages), GET (a session's event stream) or DELETE (end a session).`,
        {},
        { allow: METHODS.join(', ') },
      );
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) return this.tooLarge(declared);

    let outcome: Awaited<ReturnType<Authenticator['authenticate']>>;
    try {
      outcome = await this.options.authenticator.authenticate(req.headers);
    } catch (error) {
      // The credential store could not answer: not the caller's fault, so not a 401.
      this.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'authentication unavailable',
      );
      return problem(
        503,
        'authentication_unavailable',
        'Credentials cannot be checked right now (the credential store does not answer). Retry in a few seconds.',
        {},
        { 'retry-after': '5' },
      );
    }
    if (!outcome.ok) {
      return Response.json(
        { error: outcome.error, error_description: outcome.description },
        { status: outcome.status, headers: { 'www-authenticate': outcome.wwwAuthenticate } },
      );
    }
    const caller: Caller = outcome;
    const budget = this.options.rateLimiter.take(outcome.credentialId, outcome.rateClass);
    if (!budget.ok) {
      this.options.metrics.rateLimitedRequest();
      const { limits } = this.options.config;
      const perMinute =
        outcome.rateClass === 'service' ? limits.serviceRequestsPerMinute : limits.userRequestsPerMinute;
      const wait = Math.max(1, Math.ceil(budget.retryAfterSeconds));
      return problem(
        429,
        'rate_limited',
        `This credential sent more than its ${outcome.rateClass} budget of ${perMinute} requests per minute ` +
          `(bursts of up to ${limits.burst}). Retry after ${wait} second(s).`,
        { retryAfterSeconds: wait },
        { 'retry-after': String(wait) },
      );
    }

    let body: Buffer | undefined;
    let parsed: unknown;
    if (method === 'POST') {
      body = await readBody(req, this.maxBodyBytes);
      if (body === undefined) return this.tooLarge(undefined);
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (error) {
        return jsonRpcError(
          400,
          McpErrorCode.ParseError,
          `Parse error: the body is not JSON (${(error as Error).message}). Send one JSON-RPC message per POST.`,
        );
      }
      exchange.requestIds = requestIds(parsed);
      for (const tool of calledTools(parsed)) {
        const scope = this.options.instances.scopeOf(tool);
        if (scope !== undefined && scope !== null && !mayUse(caller.principal, scope)) {
          const refused = this.options.authenticator.insufficientScope(scope);
          return Response.json(
            { error: refused.error, error_description: refused.description },
            { status: refused.status, headers: { 'www-authenticate': refused.wwwAuthenticate } },
          );
        }
      }
    }

    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name.startsWith(':')) continue;
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else headers.set(name, value);
    }
    headers.delete('content-length');
    headers.delete('transfer-encoding');
    // The caller reaches the SDK as authInfo; the credential itself goes no further.
    for (const secret of CREDENTIAL_HEADERS) headers.delete(secret);
    const request = new Request(url, {
      method,
      headers,
      signal,
      ...(body === undefined ? {} : { body: new Uint8Array(body) }),
    });
    const { sessions } = this.options;
    if (sessions && (await isLegacyRequest(request, parsed, { maxRequestBodySize: this.maxBodyBytes }))) {
      return sessions.handle(request, caller, parsed);
    }
    return this.handler.fetch(request, {
      authInfo: authInfoFor(caller),
      ...(parsed === undefined ? {} : { parsedBody: parsed }),
    });
  }

  /** Tears down the SDK's in-flight per-request exchanges. */
  async close(): Promise<void> {
    await this.handler.close();
  }

  private tooLarge(declared: number | undefined): Response {
    return problem(
      413,
      'payload_too_large',
      `The request body${declared === undefined ? '' : ` (${declared} bytes)`} is larger than http.maxBodyBytes, ${this.maxBodyBytes} bytes.`,
      { maxBodyBytes: this.maxBodyBytes },
      { connection: 'close' },
    );
  }
}
