/**
 * OAuth access tokens against real authorization-server metadata and a real JWKS, served on
 * loopback by a node:http server inside the test, with keys from jose: a valid token, wrong
 * audience, expiry, a bad signature, an untrusted issuer, the organization claim, scope
 * mapping, the rate class, algorithm restrictions, OpenID Connect discovery, and an issuer
 * that is down.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { noopLogger, type TfoError } from '@tfo/domain';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { Challenges } from './challenge.js';
import { OAuthVerifier, discoveryUrls } from './oauth.js';
import type { AuthOutcome, Refused } from './types.js';

const ORG = '22222222-2222-4222-8222-222222222222';
const PUBLIC_URL = 'https://mcp.example.com';
const RESOURCE = `${PUBLIC_URL}/mcp`;
const NOW = new Date(Date.UTC(2030, 0, 1, 12));
const nowSeconds = Math.floor(NOW.getTime() / 1000);

interface Issuer {
  url: string;
  keys: { privateKey: CryptoKey; kid: string };
}

let server: Server;
let base: string;
/** RFC 8414 issuer (no path). */
let primary: Issuer;
/** An issuer with a path that publishes only OpenID Connect metadata. */
let oidc: Issuer;
let stranger: { privateKey: CryptoKey };
const jwks = new Map<string, JWK[]>();
const requests: string[] = [];

function refused(outcome: AuthOutcome): Refused {
  if (outcome.ok) throw new Error('expected a refusal');
  return outcome;
}

async function sign(
  issuer: Issuer,
  claims: JWTPayload,
  options: { alg?: string; key?: CryptoKey | Uint8Array; kid?: string; exp?: number | null } = {},
): Promise<string> {
  const jwt = new SignJWT({ [`org_id`]: ORG, scope: 'mcp:telemetry:read', ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? issuer.keys.kid })
    .setIssuer(issuer.url)
    .setAudience(RESOURCE)
    .setSubject(typeof claims.sub === 'string' ? claims.sub : 'user-42')
    .setIssuedAt(nowSeconds - 60);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? nowSeconds + 600);
  return jwt.sign(options.key ?? issuer.keys.privateKey);
}

function verifier(overrides: Partial<ConstructorParameters<typeof OAuthVerifier>[0]> = {}): OAuthVerifier {
  const issuers = overrides.issuers ?? [primary.url, oidc.url];
  return new OAuthVerifier({
    issuers,
    audiences: [PUBLIC_URL, RESOURCE],
    organizationClaim: 'org_id',
    challenges: new Challenges(PUBLIC_URL, issuers),
    logger: noopLogger,
    now: () => NOW,
    fetchTimeoutMs: 2_000,
    ...overrides,
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/oauth-authorization-server') {
      return send(200, { issuer: primary.url, jwks_uri: `${base}/jwks/primary` });
    }
    if (path === '/tenant/.well-known/openid-configuration') {
      return send(200, { issuer: oidc.url, jwks_uri: `${base}/jwks/oidc` });
    }
    const set = path.startsWith('/jwks/') ? jwks.get(path.slice('/jwks/'.length)) : undefined;
    if (set) return send(200, { keys: set });
    return send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const primaryPair = await generateKeyPair('ES256');
  const oidcPair = await generateKeyPair('RS256');
  stranger = await generateKeyPair('ES256');
  primary = { url: base, keys: { privateKey: primaryPair.privateKey, kid: 'p1' } };
  oidc = { url: `${base}/tenant`, keys: { privateKey: oidcPair.privateKey, kid: 'o1' } };
  jwks.set('primary', [{ ...(await exportJWK(primaryPair.publicKey)), kid: 'p1', alg: 'ES256', use: 'sig' }]);
  jwks.set('oidc', [{ ...(await exportJWK(oidcPair.publicKey)), kid: 'o1', alg: 'RS256', use: 'sig' }]);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('OAuthVerifier', () => {
  it('accepts a valid token: organization, subject, scopes, user rate class', async () => {
    const outcome = await verifier().verify(await sign(primary, { scope: 'mcp:sql:query logs:read openid' }));
    expect(outcome).toEqual({
      ok: true,
      principal: {
        organizationId: ORG,
        subject: 'user-42',
        kind: 'oauth',
        scopes: new Set(['mcp:sql:query', 'mcp:telemetry:read']),
      },
      rateClass: 'user',
      credentialId: expect.stringMatching(/^oauth:[0-9a-f]{32}$/),
    });
  });

  it('gives one user one credential id across tokens, and another user another', async () => {
    const v = verifier();
    const a1 = await v.verify(await sign(primary, { jti: '1' }));
    const a2 = await v.verify(await sign(primary, { jti: '2' }));
    const b = await v.verify(await sign(primary, { sub: 'user-43' }));
    if (!a1.ok || !a2.ok || !b.ok) throw new Error('expected three accepted tokens');
    expect(a1.credentialId).toBe(a2.credentialId);
    expect(b.credentialId).not.toBe(a1.credentialId);
  });

  it('maps scp (array) as well as scope, and `mcp:*` to every scope', async () => {
    const v = verifier();
    const scp = await v.verify(
      await sign(primary, { scope: undefined, scp: ['mcp:files:read', 'other:thing'] }),
    );
    expect(scp.ok && [...scp.principal.scopes]).toEqual(['mcp:files:read']);
    const all = await v.verify(await sign(primary, { scope: 'mcp:*' }));
    expect(all.ok && all.principal.scopes.size).toBe(6);
    const none = await v.verify(await sign(primary, { scope: undefined }));
    expect(none.ok && none.principal.scopes.size).toBe(0);
  });

  it('gives a client-credentials token (sub = client_id) the service rate class', async () => {
    const outcome = await verifier().verify(
      await sign(primary, { sub: 'svc-ingest', client_id: 'svc-ingest' }),
    );
    expect(outcome.ok && outcome.rateClass).toBe('service');
    const azp = await verifier().verify(await sign(primary, { sub: 'svc-x', azp: 'svc-x' }));
    expect(azp.ok && azp.rateClass).toBe('service');
    const grant = await verifier().verify(
      await sign(primary, { sub: 'svc-y@clients', azp: 'svc-y', gty: 'client-credentials' }),
    );
    expect(grant.ok && grant.rateClass).toBe('service');
    const person = await verifier().verify(await sign(primary, { sub: 'user-7', azp: 'web-app' }));
    expect(person.ok && person.rateClass).toBe('user');
  });

  it('refuses a token for another audience, naming the accepted ones', async () => {
    const token = await new SignJWT({ org_id: ORG })
      .setProtectedHeader({ alg: 'ES256', kid: 'p1' })
      .setIssuer(primary.url)
      .setAudience('https://other.example.com')
      .setSubject('user-42')
      .setExpirationTime(nowSeconds + 600)
      .sign(primary.keys.privateKey);
    const answer = refused(await verifier().verify(token));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(answer.description).toContain(`"${RESOURCE}"`);
    expect(answer.wwwAuthenticate).toContain('error="invalid_token"');
  });

  it('accepts the public URL itself as the audience', async () => {
    const token = await new SignJWT({ org_id: ORG })
      .setProtectedHeader({ alg: 'ES256', kid: 'p1' })
      .setIssuer(primary.url)
      .setAudience([PUBLIC_URL, 'https://other.example.com'])
      .setSubject('user-42')
      .setExpirationTime(nowSeconds + 600)
      .sign(primary.keys.privateKey);
    expect((await verifier().verify(token)).ok).toBe(true);
  });

  it('refuses an expired token, and one without exp', async () => {
    const expired = refused(await verifier().verify(await sign(primary, {}, { exp: nowSeconds - 120 })));
    expect(expired.description).toMatch(/expired/);
    const endless = refused(await verifier().verify(await sign(primary, {}, { exp: null })));
    expect(endless.description).toMatch(/no expiry/);
  });

  it('refuses a token signed by another key under a published kid', async () => {
    const forged = await sign(primary, {}, { key: stranger.privateKey });
    const answer = refused(await verifier().verify(forged));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(answer.description).toMatch(/signature/);
  });

  it('refuses a token with a kid the issuer does not publish', async () => {
    const answer = refused(
      await verifier().verify(await sign(primary, {}, { key: stranger.privateKey, kid: 'unknown' })),
    );
    expect(answer.description).toMatch(/not signed by a key the issuer/);
  });

  it('refuses an HMAC-signed token even with the right claims', async () => {
    const secret = new TextEncoder().encode('s'.repeat(32));
    const answer = refused(await verifier().verify(await sign(primary, {}, { alg: 'HS256', key: secret })));
    expect(answer.description).toMatch(/algorithm is not accepted/);
  });

  it('refuses an untrusted issuer without fetching anything', async () => {
    const before = requests.length;
    const token = await sign({ ...primary, url: 'https://evil.example.com' }, {});
    const answer = refused(await verifier().verify(token));
    expect(answer.description).toMatch(/issuer "https:\/\/evil\.example\.com" is not trusted/);
    expect(requests.length).toBe(before);
  });

  it('refuses a token that is not a JWT', async () => {
    const answer = refused(await verifier().verify('abc.def'));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_token' });
  });

  it('answers 403 for a token without the organization claim, or with one that is not a UUID', async () => {
    const missing = refused(await verifier().verify(await sign(primary, { org_id: undefined })));
    expect(missing).toMatchObject({ status: 403, error: 'insufficient_scope' });
    expect(missing.description).toMatch(/no "org_id" claim/);
    const bad = refused(await verifier().verify(await sign(primary, { org_id: 'acme' })));
    expect(bad.status).toBe(403);
    expect(bad.description).toMatch(/must be an organization id/);
  });

  it('reads the organization from the configured claim', async () => {
    const v = verifier({ organizationClaim: 'https://telemetryflow.id/org' });
    const outcome = await v.verify(
      await sign(primary, { 'https://telemetryflow.id/org': ORG, org_id: undefined }),
    );
    expect(outcome.ok && outcome.principal.organizationId).toBe(ORG);
  });

  it('discovers an issuer with a path through OpenID Connect metadata', async () => {
    const outcome = await verifier().verify(await sign(oidc, {}, { alg: 'RS256' }));
    expect(outcome.ok).toBe(true);
    expect(requests).toContain('/.well-known/oauth-authorization-server/tenant');
    expect(requests).toContain('/tenant/.well-known/openid-configuration');
  });

  it('rejects with AUTH.ISSUER_UNAVAILABLE when the issuer publishes no metadata, and remembers it briefly', async () => {
    const down = `${base}/down`;
    const v = verifier({ issuers: [down] });
    const token = await sign({ ...primary, url: down }, {});
    const failure = (await v.verify(token).then(
      () => undefined,
      (error: unknown) => error,
    )) as TfoError | undefined;
    expect(failure?.code).toBe('AUTH.ISSUER_UNAVAILABLE');
    expect(failure?.message).not.toContain(token);
    const before = requests.length;
    await expect(v.verify(token)).rejects.toMatchObject({ code: 'AUTH.ISSUER_UNAVAILABLE' });
    expect(requests.length).toBe(before);
  });
});

describe('discoveryUrls', () => {
  it('inserts the well-known path before the issuer path, then appends for OpenID Connect', () => {
    expect(discoveryUrls('https://as.example.com/')).toEqual([
      'https://as.example.com/.well-known/oauth-authorization-server',
      'https://as.example.com/.well-known/openid-configuration',
    ]);
    expect(discoveryUrls('https://as.example.com/t/1')).toEqual([
      'https://as.example.com/.well-known/oauth-authorization-server/t/1',
      'https://as.example.com/.well-known/openid-configuration/t/1',
      'https://as.example.com/t/1/.well-known/openid-configuration',
    ]);
  });
});
