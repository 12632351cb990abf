import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@tfo/domain';
import { ServerConfigSchema, type ServerConfig } from '@tfo/runtime';
import { AddressPolicy, assertSafeBind, isLoopbackHost, mcpUrl, resolvePublicUrl } from './network.js';

function config(sections: Record<string, Record<string, unknown>> = {}): ServerConfig {
  return ServerConfigSchema.parse(sections);
}

describe('isLoopbackHost', () => {
  it.each([
    '127.0.0.1',
    '127.10.0.3',
    'localhost',
    'LOCALHOST',
    'api.localhost',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
  ])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));

  it.each(['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.com', 'localhost.example.com', '128.0.0.1'])(
    '%s is not',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});

describe('resolvePublicUrl', () => {
  it('derives the URL from the bind address when none is configured', () => {
    expect(resolvePublicUrl(config({ server: { host: '127.0.0.1', port: 9000 } }))).toBe(
      'http://127.0.0.1:9000',
    );
    expect(resolvePublicUrl(config({ server: { host: '::1', port: 9000 } }))).toBe('http://[::1]:9000');
    expect(resolvePublicUrl(config({ server: { host: '0.0.0.0', port: 80 } }))).toBe('http://localhost:80');
  });

  it('keeps a configured URL without its trailing slash, path prefix included', () => {
    expect(resolvePublicUrl(config({ http: { publicUrl: 'https://mcp.example.com/' } }))).toBe(
      'https://mcp.example.com',
    );
    expect(resolvePublicUrl(config({ http: { publicUrl: 'https://example.com/tfo/' } }))).toBe(
      'https://example.com/tfo',
    );
    expect(mcpUrl('https://example.com/tfo')).toBe('https://example.com/tfo/mcp');
  });

  it('refuses what is not an absolute http(s) URL, naming the key', () => {
    for (const bad of ['mcp.example.com', 'ftp://example.com', 'https://example.com/?a=1']) {
      expect(() => resolvePublicUrl(config({ http: { publicUrl: bad } }))).toThrow(ConfigurationError);
      expect(() => resolvePublicUrl(config({ http: { publicUrl: bad } }))).toThrow(/http\.publicUrl/);
    }
  });
});

describe('assertSafeBind', () => {
  it('accepts any authentication choice on loopback', () => {
    expect(() =>
      assertSafeBind(
        config({ server: { host: '127.0.0.1' }, auth: { apiKeys: false, anonymousLoopback: true } }),
      ),
    ).not.toThrow();
  });

  it('accepts a public bind with API keys or an OAuth issuer', () => {
    expect(() => assertSafeBind(config({ server: { host: '0.0.0.0' } }))).not.toThrow();
    expect(() =>
      assertSafeBind(
        config({
          server: { host: '0.0.0.0' },
          auth: { apiKeys: false, oauthIssuers: ['https://id.example.com'] },
        }),
      ),
    ).not.toThrow();
  });

  it('refuses a public bind without any authentication, saying how to fix it', () => {
    expect(() => assertSafeBind(config({ server: { host: '0.0.0.0' }, auth: { apiKeys: false } }))).toThrow(
      /no authentication is configured.*auth\.apiKeys.*auth\.oauthIssuers/s,
    );
  });

  it('refuses anonymous access on a public bind', () => {
    expect(() =>
      assertSafeBind(config({ server: { host: '10.1.2.3' }, auth: { anonymousLoopback: true } })),
    ).toThrow(/auth\.anonymousLoopback is on but server\.host="10\.1\.2\.3"/);
  });
});

describe('AddressPolicy on a loopback bind', () => {
  const c = config({ server: { host: '127.0.0.1', port: 8123 } });
  const policy = new AddressPolicy(c, resolvePublicUrl(c), true);

  it('accepts the loopback names with the port', () => {
    for (const host of ['localhost:8123', '127.0.0.1:8123', '[::1]:8123', 'LocalHost:8123']) {
      expect(policy.checkHost(host)).toEqual({ ok: true });
    }
  });

  it('answers 421 for another host or port, listing what is allowed', () => {
    for (const host of ['evil.example:8123', 'localhost:9999', 'localhost', '127.0.0.1.nip.io:8123']) {
      const check = policy.checkHost(host);
      expect(check).toMatchObject({ ok: false, status: 421, error: 'misdirected_host' });
      if (!check.ok) expect(check.message).toContain('localhost:8123');
    }
  });

  it('answers 403 when Host is missing', () => {
    expect(policy.checkHost(undefined)).toMatchObject({ ok: false, status: 403 });
  });

  it('accepts no Origin, and loopback origins on any port', () => {
    expect(policy.checkOrigin(undefined)).toEqual({ ok: true });
    expect(policy.checkOrigin('http://localhost:6274')).toEqual({ ok: true });
    expect(policy.checkOrigin('http://127.0.0.1:8123')).toEqual({ ok: true });
    expect(policy.checkOrigin('https://[::1]')).toEqual({ ok: true });
  });

  it('refuses other origins and the opaque null origin with 403', () => {
    for (const origin of ['http://evil.example', 'null', 'file://', 'not a url', 'chrome-extension://abc']) {
      expect(policy.checkOrigin(origin)).toMatchObject({ ok: false, status: 403, error: 'forbidden_origin' });
    }
  });
});

describe('AddressPolicy behind a public URL', () => {
  const c = config({
    server: { host: '0.0.0.0', port: 8080 },
    http: {
      publicUrl: 'https://mcp.example.com',
      allowedHosts: ['internal.example', 'lb.example:8443'],
      allowedOrigins: ['https://app.example.com/'],
    },
  });
  const policy = new AddressPolicy(c, resolvePublicUrl(c), false);

  it("accepts the public URL's host and the configured hosts", () => {
    expect(policy.checkHost('mcp.example.com')).toEqual({ ok: true });
    expect(policy.checkHost('internal.example:8080')).toEqual({ ok: true });
    expect(policy.checkHost('internal.example:1')).toEqual({ ok: true });
    expect(policy.checkHost('lb.example:8443')).toEqual({ ok: true });
    expect(policy.checkHost('lb.example:9000')).toMatchObject({ ok: false, status: 421 });
  });

  it('refuses the loopback names on /mcp but accepts them on the operational routes', () => {
    expect(policy.checkHost('127.0.0.1:8080')).toMatchObject({ ok: false, status: 421 });
    expect(policy.checkHost('127.0.0.1:8080', true)).toEqual({ ok: true });
    expect(policy.checkHost('evil.example', true)).toMatchObject({ ok: false, status: 421 });
  });

  it("accepts the public URL's origin and the configured ones, not loopback origins", () => {
    expect(policy.checkOrigin('https://mcp.example.com')).toEqual({ ok: true });
    expect(policy.checkOrigin('https://app.example.com')).toEqual({ ok: true });
    expect(policy.checkOrigin('http://localhost:3000')).toMatchObject({ ok: false, status: 403 });
    expect(policy.checkOrigin('http://mcp.example.com')).toMatchObject({ ok: false, status: 403 });
  });
});
