/**
 * Where the HTTP server listens and who may address it: the loopback test, the public URL,
 * the start-up refusal of an unauthenticated public bind, and the Host and Origin checks that
 * keep a browser page from reaching the server through DNS rebinding.
 *
 * Decisions:
 * - Host values are compared as `host[:port]` strings, lower-cased, the way clients send them
 *   (no port when it is the scheme's default). An `http.allowedHosts` entry without a port
 *   matches that host name on any port; with a port, exactly.
 * - On loopback binds `localhost`, `127.0.0.1` and `[::1]` with the listening port are accepted.
 *   A rebinding page cannot forge them: the browser sends the attacker's own host name.
 * - The operational routes (`/healthz`, `/readyz`, `/metrics`) also accept the loopback names on
 *   any bind, so a container health check on 127.0.0.1 works behind a public URL.
 * - Origins are compared as `scheme://host[:port]`. A request without Origin passes (programs
 *   send none); any Origin present, including the opaque `null`, must be allowed. On loopback
 *   binds, every http(s) origin on a loopback host name is allowed (local tools such as the
 *   MCP Inspector run on their own port).
 */
import { ConfigurationError } from '@tfo/domain';
import type { ServerConfig } from '@tfo/runtime';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** True when `host` (a bind address or host name) only reaches this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `host` as it appears in a URL authority (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The URL clients reach the server at, without a trailing slash: `http.publicUrl` when set,
 * else `http://<host>:<port>` (an unspecified bind address such as 0.0.0.0 becomes `localhost`).
 *
 * @throws ConfigurationError when `http.publicUrl` is not an absolute http(s) URL.
 */
export function resolvePublicUrl(config: ServerConfig): string {
  const configured = config.http.publicUrl.trim();
  if (configured === '') {
    const bind = config.server.host;
    const unspecified = bind === '0.0.0.0' || bind === '::' || bind === '[::]';
    return `http://${unspecified ? 'localhost' : urlHost(bind)}:${config.server.port}`;
  }
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new ConfigurationError(
      `http.publicUrl="${configured}" is not a URL; expected an absolute http(s) URL such as https://mcp.example.com`,
      { code: 'CONFIG.INVALID', details: { key: 'http.publicUrl' } },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(
      `http.publicUrl="${configured}" must use http or https (got ${url.protocol.replace(':', '')})`,
      { code: 'CONFIG.INVALID', details: { key: 'http.publicUrl' } },
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(
      `http.publicUrl="${configured}" must not carry a query or a fragment; give the origin and, behind a proxy, its path prefix`,
      { code: 'CONFIG.INVALID', details: { key: 'http.publicUrl' } },
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The MCP endpoint under `publicUrl`. */
export function mcpUrl(publicUrl: string): string {
  return `${publicUrl}/mcp`;
}

/**
 * Refuses a configuration that would serve unauthenticated requests beyond this machine.
 *
 * @throws ConfigurationError naming the bind address and the settings that fix it.
 */
export function assertSafeBind(config: ServerConfig): void {
  const { host } = config.server;
  if (isLoopbackHost(host)) return;
  if (config.auth.anonymousLoopback) {
    throw new ConfigurationError(
      `auth.anonymousLoopback is on but server.host="${host}" is not a loopback address. ` +
        'Requests without a credential are allowed on 127.0.0.1, ::1 or localhost only: bind to one of them ' +
        '(TELEMETRYFLOW_MCP_SERVER_HOST=127.0.0.1) or turn auth.anonymousLoopback off.',
      { code: 'CONFIG.UNSAFE_BIND', details: { host } },
    );
  }
  if (!config.auth.apiKeys && config.auth.oauthIssuers.length === 0) {
    throw new ConfigurationError(
      `server.host="${host}" is reachable from other machines but no authentication is configured. ` +
        'Turn on auth.apiKeys (TELEMETRYFLOW_MCP_AUTH_API_KEYS=true), list trusted issuers in auth.oauthIssuers ' +
        '(TELEMETRYFLOW_MCP_AUTH_OAUTH_ISSUERS), or bind to a loopback address.',
      { code: 'CONFIG.UNSAFE_BIND', details: { host } },
    );
  }
}

/** A host header split into its lower-cased name and optional port (IPv6 in brackets). */
function splitHost(value: string): { name: string; port: string | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.trim().toLowerCase());
  return match ? { name: match[1] ?? '', port: match[2] } : undefined;
}

/** Outcome of a Host or Origin check. */
export type AddressCheck = { ok: true } | { ok: false; status: number; error: string; message: string };

/** Which Host and Origin values the server answers; see the module header. */
export class AddressPolicy {
  /** Exact `host[:port]` values accepted on every route. */
  readonly hosts: ReadonlySet<string>;
  /** Host names accepted on any port. */
  private readonly anyPortNames: ReadonlySet<string>;
  /** Loopback `host:port` values accepted on the operational routes on every bind. */
  private readonly loopbackHosts: ReadonlySet<string>;
  /** Exact origins accepted. */
  readonly origins: ReadonlySet<string>;

  constructor(
    config: ServerConfig,
    publicUrl: string,
    /** True when the server is bound to a loopback address. */
    private readonly loopback: boolean,
  ) {
    const port = config.server.port;
    const loopbackHosts = new Set<string>();
    for (const name of LOOPBACK_NAMES) {
      loopbackHosts.add(`${name}:${port}`);
      if (port === 80) loopbackHosts.add(name);
    }
    this.loopbackHosts = loopbackHosts;
    const hosts = new Set<string>([new URL(publicUrl).host.toLowerCase()]);
    const anyPort = new Set<string>();
    for (const entry of config.http.allowedHosts) {
      const parsed = splitHost(entry);
      if (!parsed) continue;
      if (parsed.port === undefined) anyPort.add(parsed.name);
      else hosts.add(`${parsed.name}:${parsed.port}`);
    }
    if (loopback) for (const h of loopbackHosts) hosts.add(h);
    this.hosts = hosts;
    this.anyPortNames = anyPort;
    const origins = new Set<string>([new URL(publicUrl).origin]);
    for (const entry of config.http.allowedOrigins) {
      try {
        origins.add(new URL(entry).origin);
      } catch {
        origins.add(entry.trim().toLowerCase());
      }
    }
    this.origins = origins;
  }

  /** What the Host check accepts, for error messages. */
  describeHosts(): string[] {
    return [...this.hosts, ...[...this.anyPortNames].map((n) => `${n}:<any port>`)];
  }

  /** What the Origin check accepts, for error messages. */
  describeOrigins(): string[] {
    return [...this.origins, ...(this.loopback ? ['http(s)://localhost|127.0.0.1|[::1] on any port'] : [])];
  }

  /** Checks the Host header; `operational` relaxes it for the probe and metrics routes. */
  checkHost(value: string | undefined, operational = false): AddressCheck {
    const allowed = this.describeHosts().join(', ');
    if (value === undefined || value.trim() === '') {
      return {
        ok: false,
        status: 403,
        error: 'missing_host',
        message: `The request has no Host header. Send one of: ${allowed}.`,
      };
    }
    const parsed = splitHost(value);
    const normalized = parsed
      ? parsed.port === undefined
        ? parsed.name
        : `${parsed.name}:${parsed.port}`
      : '';
    if (
      parsed &&
      (this.hosts.has(normalized) ||
        this.anyPortNames.has(parsed.name) ||
        (operational && this.loopbackHosts.has(normalized)))
    ) {
      return { ok: true };
    }
    return {
      ok: false,
      status: 421,
      error: 'misdirected_host',
      message:
        `Host "${value.slice(0, 200)}" is not served here. Allowed: ${allowed}. ` +
        'Set http.publicUrl to the URL clients use, or add the host to http.allowedHosts.',
    };
  }

  /** Checks the Origin header (absent is fine). */
  checkOrigin(value: string | undefined): AddressCheck {
    if (value === undefined || value === '') return { ok: true };
    let origin: URL | undefined;
    try {
      origin = new URL(value);
    } catch {
      origin = undefined;
    }
    if (origin && origin.origin !== 'null') {
      if (this.origins.has(origin.origin)) return { ok: true };
      const loopbackOrigin =
        (origin.protocol === 'http:' || origin.protocol === 'https:') && isLoopbackHost(origin.hostname);
      if (this.loopback && loopbackOrigin) return { ok: true };
    }
    return {
      ok: false,
      status: 403,
      error: 'forbidden_origin',
      message:
        `Origin "${value.slice(0, 200)}" may not call this server. Allowed: ${this.describeOrigins().join(', ')}. ` +
        'Add the origin to http.allowedOrigins to allow a browser application.',
    };
  }
}
