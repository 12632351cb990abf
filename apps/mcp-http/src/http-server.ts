/**
 * The Node HTTP server: routing, the checks every request passes first, the request timeout,
 * writing web `Response`s back to Node (streams included, with back-pressure), metrics per
 * answer, and an orderly drain at shutdown.
 *
 * Routes:
 * - `POST|GET|DELETE /mcp`: the MCP endpoint (mcp-endpoint.ts); `OPTIONS /mcp`: CORS preflight for
 *   allowed origins.
 * - `GET /healthz`: the process is up (200). Exempt from the Host check: it reveals nothing, and
 *   orchestrators probe it with whatever Host they like.
 * - `GET /readyz`: 200 when the datasources answer, else 503 with the reasons (also 503 while
 *   shutting down, so load balancers stop sending).
 * - `GET /metrics`: Prometheus text.
 * - `GET /.well-known/oauth-protected-resource[/mcp]`: RFC 9728 metadata (public, CORS `*`, no
 *   Origin check).
 *
 * Decisions:
 * - Host, then Origin, are checked before anything else; see network.ts for what is allowed.
 * - Every request gets `http.requestTimeoutMs`: past it the exchange is aborted (the SDK cancels
 *   the tool call) and, if nothing was sent yet, 504 is answered; a stream is ended.
 * - At shutdown the listener closes, idle connections close, event streams (GET /mcp) end at
 *   once, and other requests get up to the grace period to finish before they are aborted.
 *   Requests arriving on kept-alive connections meanwhile get 503 with `Connection: close`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { ConfigurationError, McpErrorCode, type Logger } from '@tfo/domain';
import type { ServerConfig } from '@tfo/runtime';
import { json, problem } from './answers.js';
import type { Authenticator } from './auth/types.js';
import type { Exchange, McpEndpoint } from './mcp-endpoint.js';
import type { Metrics } from './metrics.js';
import type { AddressPolicy } from './network.js';
import type { Readiness } from './readiness.js';

/** Route labels of the metrics (a fixed set, so unknown paths cannot grow the series). */
const ROUTES = {
  mcp: '/mcp',
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
  wellKnown: '/.well-known/oauth-protected-resource',
  other: 'other',
} as const;

type Route = (typeof ROUTES)[keyof typeof ROUTES];

function routeOf(path: string): Route {
  switch (path) {
    case '/mcp':
    case '/mcp/':
      return ROUTES.mcp;
    case '/healthz':
      return ROUTES.healthz;
    case '/readyz':
      return ROUTES.readyz;
    case '/metrics':
      return ROUTES.metrics;
    case '/.well-known/oauth-protected-resource':
    case '/.well-known/oauth-protected-resource/mcp':
      return ROUTES.wellKnown;
    default:
      return ROUTES.other;
  }
}

/** Request headers a browser client of `/mcp` may send. */
const CORS_ALLOW_HEADERS =
  'authorization, content-type, accept, x-api-key, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id';
/** Response headers a browser client of `/mcp` may read. */
const CORS_EXPOSE_HEADERS = 'mcp-session-id, mcp-protocol-version, www-authenticate, retry-after';

/** One request being answered. */
interface InFlight {
  controller: AbortController;
  /** An event stream (GET /mcp): ended at once at shutdown. */
  stream: boolean;
  done: Promise<void>;
}

/** What {@link HttpServer} needs. */
export interface HttpServerOptions {
  config: ServerConfig;
  policy: AddressPolicy;
  /** The URL clients reach the server at (for the URLs handed to the SDK). */
  publicUrl: string;
  endpoint: McpEndpoint;
  authenticator: Authenticator;
  readiness: () => Promise<Readiness>;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Writes a web `Response` to a Node response, streaming its body with back-pressure. An event
 * stream answering a POST is held back until its first event, so a request that times out
 * before anything happened still gets a plain 504; other event streams start at once.
 */
async function writeResponse(
  response: Response,
  res: ServerResponse,
  signal: AbortSignal,
  holdEventStream = false,
): Promise<void> {
  if (res.headersSent || res.writableEnded) {
    // Answered already (the timeout): release the exchange's stream.
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (response.body === null) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const eventStream = (headers['content-type'] ?? '').startsWith('text/event-stream');
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  res.once('close', stop);
  const head = () => {
    if (res.headersSent || res.writableEnded) return false;
    res.writeHead(response.status, headers);
    if (eventStream) res.flushHeaders();
    return true;
  };
  let started = eventStream && holdEventStream ? false : head();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed || signal.aborted) break;
      if (!started) {
        if (!head()) break;
        started = true;
      }
      if (!res.write(value)) {
        await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
    }
  } catch {
    // The client left or the exchange was aborted; nothing more to send.
  } finally {
    signal.removeEventListener('abort', stop);
    res.off('close', stop);
    if (!started && !signal.aborted) head();
    if (!res.writableEnded && (started || !signal.aborted)) res.end();
  }
}

/** The HTTP server; see the module header. */
export class HttpServer {
  private readonly server: Server;
  private readonly inFlight = new Set<InFlight>();
  private draining = false;

  constructor(private readonly options: HttpServerOptions) {
    const { http } = options.config;
    this.server = createServer(
      {
        requestTimeout: http.requestTimeoutMs,
        headersTimeout: Math.min(60_000, http.requestTimeoutMs),
        // Longer than the usual load-balancer idle timeout (60 s), so the balancer closes first.
        keepAliveTimeout: 65_000,
      },
      (req, res) => void this.onRequest(req, res),
    );
  }

  /** Requests being answered now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Starts listening on `server.host:server.port`.
   *
   * @throws ConfigurationError when the address is taken or cannot be bound.
   */
  async listen(): Promise<void> {
    const { host, port } = this.options.config.server;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        const why =
          error.code === 'EADDRINUSE'
            ? 'the port is already in use'
            : error.code === 'EADDRNOTAVAIL'
              ? 'the address is not one of this machine'
              : error.code === 'EACCES'
                ? 'the process may not bind this port'
                : error.message;
        reject(
          new ConfigurationError(
            `Cannot listen on ${host}:${port}: ${why}. Choose another server.port (TELEMETRYFLOW_MCP_SERVER_PORT) or server.host (TELEMETRYFLOW_MCP_SERVER_HOST).`,
            { code: 'CONFIG.LISTEN_FAILED', details: { host, port, errno: error.code } },
          ),
        );
      };
      this.server.once('error', onError);
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }

  /**
   * Stops accepting requests, ends event streams, lets other requests finish for up to
   * `graceMs`, then aborts what is left and closes every connection.
   */
  async shutdown(graceMs: number): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    for (const entry of this.inFlight) if (entry.stream) entry.controller.abort();
    const pending = () => [...this.inFlight].filter((e) => !e.stream).map((e) => e.done);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<'grace'>((resolve) => {
      timer = setTimeout(() => resolve('grace'), graceMs);
      timer.unref();
    });
    if ((await Promise.race([Promise.all(pending()).then(() => 'done' as const), grace])) === 'grace') {
      this.options.logger.warn(
        { requests: pending().length, graceMs },
        'requests still running after the shutdown grace period; stopping them',
      );
    }
    clearTimeout(timer);
    for (const entry of this.inFlight) entry.controller.abort();
    this.server.closeAllConnections();
    await closed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeOf(path);
    const method = (req.method ?? 'GET').toUpperCase();
    const controller = new AbortController();
    let finish = () => {};
    const entry: InFlight = {
      controller,
      stream: route === ROUTES.mcp && method === 'GET',
      done: new Promise<void>((resolve) => (finish = resolve)),
    };
    this.inFlight.add(entry);
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
      this.inFlight.delete(entry);
      finish();
      // 499: the client left (or the request was stopped) before an answer was sent.
      const status = res.headersSent ? res.statusCode : 499;
      this.options.metrics.httpRequest(route, status);
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const level = status >= 500 && status !== 499 ? 'warn' : 'debug';
      this.options.logger[level]({ method, route, status, ms }, 'http request');
    });
    const timeoutMs = this.options.config.http.requestTimeoutMs;
    const exchange: Exchange = { requestIds: [] };
    const timeoutMessage = `The request took longer than http.requestTimeoutMs (${timeoutMs} ms) and was stopped. Narrow the request or retry later.`;
    const timer = setTimeout(() => {
      const streaming = String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
      if (res.headersSent && streaming && !res.writableEnded) {
        // The answer is an event stream already under way: end each pending request with an error event.
        for (const id of exchange.requestIds) {
          const error = {
            jsonrpc: '2.0',
            id,
            error: { code: McpErrorCode.RequestTimeout, message: timeoutMessage },
          };
          res.write(`event: message\ndata: ${JSON.stringify(error)}\n\n`);
        }
      }
      if (!res.headersSent) {
        res.writeHead(504, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            error: 'request_timeout',
            message: timeoutMessage,
            requestTimeoutMs: timeoutMs,
          }),
        );
      }
      controller.abort();
      if (!res.writableEnded) res.end();
    }, timeoutMs);
    timer.unref();
    try {
      const response = await this.answer(req, route, path, method, controller.signal, exchange);
      await writeResponse(response, res, controller.signal, method === 'POST');
    } catch (error) {
      if (!controller.signal.aborted) {
        this.options.logger.error({ err: error, route }, 'request failed');
        await writeResponse(
          problem(
            500,
            'internal_error',
            'The server failed to answer this request; the log has the details.',
          ),
          res,
          controller.signal,
        );
      }
      if (!res.writableEnded) res.end();
    } finally {
      clearTimeout(timer);
    }
  }

  private async answer(
    req: IncomingMessage,
    route: Route,
    path: string,
    method: string,
    signal: AbortSignal,
    exchange: Exchange,
  ): Promise<Response> {
    const { policy } = this.options;
    if (this.draining) {
      return problem(
        503,
        'shutting_down',
        'The server is shutting down; retry on another replica or in a moment.',
        {},
        {
          connection: 'close',
          'retry-after': '1',
        },
      );
    }
    const operational = route === ROUTES.readyz || route === ROUTES.metrics;
    if (route !== ROUTES.healthz) {
      const host = policy.checkHost(req.headers.host, operational);
      if (!host.ok)
        return problem(host.status, host.error, host.message, { allowedHosts: policy.describeHosts() });
    }
    const origin = req.headers.origin;
    if (route !== ROUTES.wellKnown) {
      const checked = policy.checkOrigin(origin);
      if (!checked.ok) {
        return problem(checked.status, checked.error, checked.message, {
          allowedOrigins: policy.describeOrigins(),
        });
      }
    }
    switch (route) {
      case ROUTES.mcp:
        return this.mcp(req, path, method, origin, signal, exchange);
      case ROUTES.healthz:
        return this.only(method, ['GET', 'HEAD']) ?? json(200, { status: 'ok' });
      case ROUTES.readyz:
        return this.only(method, ['GET', 'HEAD']) ?? this.readyz();
      case ROUTES.metrics:
        return (
          this.only(method, ['GET']) ??
          new Response(this.options.metrics.render(), {
            status: 200,
            headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
          })
        );
      case ROUTES.wellKnown: {
        const cors = { 'access-control-allow-origin': '*' };
        if (method === 'OPTIONS') {
          return new Response(null, {
            status: 204,
            headers: {
              ...cors,
              'access-control-allow-methods': 'GET, OPTIONS',
              'access-control-max-age': '600',
            },
          });
        }
        return (
          this.only(method, ['GET']) ??
          json(200, this.options.authenticator.protectedResourceMetadata(), {
            ...cors,
            'cache-control': 'public, max-age=300',
          })
        );
      }
      default:
        return problem(
          404,
          'not_found',
          `Nothing is served at ${path.slice(0, 200)}. Routes: POST, GET and DELETE /mcp; GET /healthz, /readyz, /metrics and /.well-known/oauth-protected-resource.`,
        );
    }
  }

  private async mcp(
    req: IncomingMessage,
    path: string,
    method: string,
    origin: string | undefined,
    signal: AbortSignal,
    exchange: Exchange,
  ): Promise<Response> {
    const cors: Record<string, string> =
      origin === undefined
        ? {}
        : {
            'access-control-allow-origin': origin,
            'access-control-expose-headers': CORS_EXPOSE_HEADERS,
            vary: 'Origin',
          };
    if (method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          'access-control-allow-methods': 'POST, GET, DELETE, OPTIONS',
          'access-control-allow-headers': CORS_ALLOW_HEADERS,
          'access-control-max-age': '600',
        },
      });
    }
    const url = `${this.options.publicUrl}${path}`;
    const response = await this.options.endpoint.handle(req, url, signal, exchange);
    if (origin === undefined) return response;
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(cors)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  private async readyz(): Promise<Response> {
    const readiness = await this.options.readiness();
    if (readiness.ready) return json(200, { status: 'ready', components: readiness.components });
    return json(503, { status: 'not_ready', reasons: readiness.reasons, components: readiness.components });
  }

  private only(method: string, allowed: string[]): Response | undefined {
    if (allowed.includes(method)) return undefined;
    return problem(
      405,
      'method_not_allowed',
      `${method} is not served here; use ${allowed.join(' or ')}.`,
      {},
      {
        allow: allowed.join(', '),
      },
    );
  }
}
