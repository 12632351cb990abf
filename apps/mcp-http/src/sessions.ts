/**
 * Stateful serving (`http.sessions: stateful`) of the 2025-11-25 protocol: one MCP server
 * instance and one SDK Streamable HTTP transport per `Mcp-Session-Id` session, kept by this
 * process. (The 2026-07-28 revision has no sessions; its requests are served per request
 * whatever this setting says.)
 *
 * Invariants:
 * - Session ids are 32 random bytes in base64url: visible ASCII only, unguessable.
 * - A session belongs to the credential that opened it. Another credential presenting its id
 *   gets the same 404 as for an id that never existed, so ids cannot be probed.
 * - A session idle (no request in flight) for `ttlMs` expires: its instance is closed and its
 *   id answers 404 from then on. A DELETE ends it at once.
 */
import { randomBytes } from 'node:crypto';
import {
  WebStandardStreamableHTTPServerTransport,
  isInitializeRequest,
  type McpServer,
} from '@modelcontextprotocol/server';
import type { Logger } from '@tfo/domain';
import { problem } from './answers.js';
import { authInfoFor, type Caller } from './instances.js';

/** One open session. */
interface Session {
  readonly id: string;
  readonly credentialId: string;
  readonly server: McpServer;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  lastSeen: number;
  /** Requests (and response streams) of the session still in flight. */
  active: number;
}

/** What {@link SessionManager} needs. */
export interface SessionManagerOptions {
  /** Idle time after which a session expires. */
  ttlMs: number;
  /** Largest request body the transport reads (the HTTP layer enforces it first). */
  maxBodyBytes: number;
  /** A 2025-era instance for the caller, recorded as a session. */
  build: (caller: Caller) => McpServer;
  logger: Logger;
  /** Milliseconds now; tests may pass their own clock. */
  now?: () => number;
}

/** Calls `done` once when `response`'s body has been read to the end, failed or was cancelled. */
function whenFinished(response: Response, done: () => void): Response {
  if (response.body === null) {
    done();
    return response;
  }
  let called = false;
  const finish = () => {
    if (!called) {
      called = true;
      done();
    }
  };
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason).catch(() => undefined);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** The sessions of this process; see the module header. */
export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private readonly now: () => number;

  constructor(private readonly options: SessionManagerOptions) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, Math.max(1_000, options.ttlMs / 4)));
    this.sweeper.unref();
  }

  /** Sessions open now. */
  get size(): number {
    return this.sessions.size;
  }

  /** Serves one request of the 2025-era protocol for `caller`. */
  async handle(request: Request, caller: Caller, parsedBody: unknown): Promise<Response> {
    const id = request.headers.get('mcp-session-id');
    if (id !== null) {
      const session = this.sessions.get(id);
      if (!session || session.credentialId !== caller.credentialId || this.expired(session)) {
        if (session && this.expired(session)) void this.end(session, 'expired');
        return problem(
          404,
          'session_not_found',
          'This Mcp-Session-Id is unknown, expired or was ended. Start a new session: send initialize without an Mcp-Session-Id header.',
        );
      }
      return this.serve(session, request, caller, parsedBody);
    }
    if (request.method === 'POST' && isInitializeRequest(parsedBody))
      return this.open(request, caller, parsedBody);
    return problem(
      400,
      'session_required',
      'This server keeps sessions (http.sessions=stateful): send initialize first, then the Mcp-Session-Id header it answers with on every request.',
    );
  }

  /** Ends every session (shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => this.end(s, 'server shutting down')));
  }

  private async open(request: Request, caller: Caller, parsedBody: unknown): Promise<Response> {
    const server = this.options.build(caller);
    let opened: Session | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomBytes(32).toString('base64url'),
      maxRequestBodySize: this.options.maxBodyBytes,
      onsessioninitialized: (id) => {
        opened = {
          id,
          credentialId: caller.credentialId,
          server,
          transport,
          lastSeen: this.now(),
          active: 0,
        };
        this.sessions.set(id, opened);
        this.options.logger.info({ credentialId: caller.credentialId }, 'MCP session opened');
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
      },
    });
    await server.connect(transport);
    const response = await transport.handleRequest(request, { authInfo: authInfoFor(caller), parsedBody });
    const session = opened as Session | undefined;
    if (!session) {
      // The handshake failed: nothing to keep.
      await server.close().catch(() => undefined);
      return response;
    }
    session.active += 1;
    return whenFinished(response, () => this.release(session));
  }

  private async serve(
    session: Session,
    request: Request,
    caller: Caller,
    parsedBody: unknown,
  ): Promise<Response> {
    session.active += 1;
    session.lastSeen = this.now();
    let response: Response;
    try {
      response = await session.transport.handleRequest(request, {
        authInfo: authInfoFor(caller),
        ...(parsedBody === undefined ? {} : { parsedBody }),
      });
    } catch (error) {
      this.release(session);
      throw error;
    }
    if (request.method === 'DELETE' && response.ok) {
      this.sessions.delete(session.id);
      this.options.logger.info({ credentialId: session.credentialId }, 'MCP session ended by the client');
    }
    return whenFinished(response, () => this.release(session));
  }

  private release(session: Session): void {
    session.active = Math.max(0, session.active - 1);
    session.lastSeen = this.now();
  }

  private expired(session: Session): boolean {
    return session.active === 0 && this.now() - session.lastSeen > this.options.ttlMs;
  }

  private sweep(): void {
    for (const session of [...this.sessions.values()]) {
      if (this.expired(session)) void this.end(session, 'expired');
    }
  }

  private async end(session: Session, reason: string): Promise<void> {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    this.options.logger.info({ credentialId: session.credentialId, reason }, 'MCP session closed');
    await session.server.close().catch(() => undefined);
  }
}
