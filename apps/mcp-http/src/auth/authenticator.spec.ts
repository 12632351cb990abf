/**
 * The HttpAuthenticator's handling of what a request presents (no credential, one, two, a
 * malformed one), anonymous loopback access, methods that are off, the challenges and the
 * protected-resource metadata; and the start-up refusals of createAuthLayer.
 */
import { describe, it, expect } from '@jest/globals';
import { DEMO_ORGANIZATION_ID, noopLogger } from '@tfo/domain';
import { ServerConfigSchema, type ServerConfig } from '@tfo/runtime';
import { HttpAuthenticator } from './authenticator.js';
import { Challenges } from './challenge.js';
import { presentedCredential } from './credentials.js';
import { createAuthLayer } from './index.js';
import type { AuthOutcome, Refused } from './types.js';

const PUBLIC_URL = 'http://127.0.0.1:3000';
const METADATA = 'resource_metadata="http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp"';
const KEY = 'tfo_' + 'k'.repeat(43);

function refused(outcome: AuthOutcome): Refused {
  if (outcome.ok) throw new Error('expected a refusal');
  return outcome;
}

function config(auth: Record<string, unknown> = {}): ServerConfig {
  return ServerConfigSchema.parse({ auth });
}

describe('presentedCredential', () => {
  it('tells API keys, bearer tokens and their absence apart', () => {
    expect(presentedCredential({})).toEqual({ kind: 'none' });
    expect(presentedCredential({ authorization: '  ' })).toEqual({ kind: 'none' });
    expect(presentedCredential({ authorization: `Bearer ${KEY}` })).toEqual({
      kind: 'api_key',
      key: KEY,
      via: 'authorization',
    });
    expect(presentedCredential({ authorization: `bearer   ${KEY} ` })).toMatchObject({ kind: 'api_key' });
    expect(presentedCredential({ 'x-api-key': ` ${KEY} ` })).toEqual({
      kind: 'api_key',
      key: KEY,
      via: 'x-api-key',
    });
    expect(presentedCredential({ authorization: 'Bearer eyJhbGciOi.eyJzdWIi.c2ln' })).toEqual({
      kind: 'bearer',
      token: 'eyJhbGciOi.eyJzdWIi.c2ln',
    });
  });

  it('refuses two credentials, other schemes, bad characters and oversized values', () => {
    expect(presentedCredential({ authorization: `Bearer ${KEY}`, 'x-api-key': KEY })).toMatchObject({
      kind: 'malformed',
      reason: expect.stringMatching(/not both/),
    });
    expect(presentedCredential({ 'x-api-key': [KEY, KEY] })).toMatchObject({ kind: 'malformed' });
    expect(presentedCredential({ authorization: 'Basic dXNlcjpwYXNz' })).toMatchObject({
      kind: 'malformed',
      reason: expect.stringMatching(/Bearer scheme/),
    });
    expect(presentedCredential({ authorization: 'Bearer a b' })).toMatchObject({ kind: 'malformed' });
    expect(presentedCredential({ authorization: 'Bearer tfo_"quoted"' })).toMatchObject({
      kind: 'malformed',
    });
    expect(presentedCredential({ authorization: `Bearer ${'a'.repeat(9_000)}` })).toMatchObject({
      kind: 'malformed',
      reason: expect.stringMatching(/too long/),
    });
  });
});

describe('HttpAuthenticator', () => {
  const challenges = new Challenges(PUBLIC_URL, []);

  it('answers a request without a credential with a bare challenge', async () => {
    const answer = refused(await new HttpAuthenticator({ challenges }).authenticate({}));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_request' });
    expect(answer.wwwAuthenticate).toBe(`Bearer ${METADATA}`);
  });

  it('answers a malformed credential with invalid_request, without quoting it', async () => {
    const answer = refused(
      await new HttpAuthenticator({ challenges }).authenticate({ authorization: 'Basic c2VjcmV0LXZhbHVl' }),
    );
    expect(answer).toMatchObject({ status: 401, error: 'invalid_request' });
    expect(answer.wwwAuthenticate).toContain('error="invalid_request"');
    expect(JSON.stringify(answer)).not.toContain('c2VjcmV0LXZhbHVl');
  });

  it('lets an anonymous caller act for the configured organization with every scope, user rate', async () => {
    const auth = new HttpAuthenticator({ challenges, anonymousOrganizationId: DEMO_ORGANIZATION_ID });
    const outcome = await auth.authenticate({});
    expect(outcome).toEqual({
      ok: true,
      principal: {
        organizationId: DEMO_ORGANIZATION_ID,
        subject: 'anonymous',
        kind: 'anonymous',
        scopes: new Set([
          'mcp:telemetry:read',
          'mcp:sql:query',
          'mcp:llm:use',
          'mcp:files:read',
          'mcp:files:write',
          'mcp:commands:run',
        ]),
      },
      rateClass: 'user',
      credentialId: 'anonymous',
    });
  });

  it('still verifies a credential when anonymous access is allowed', async () => {
    const auth = new HttpAuthenticator({ challenges, anonymousOrganizationId: DEMO_ORGANIZATION_ID });
    const answer = refused(await auth.authenticate({ 'x-api-key': KEY }));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(answer.description).toMatch(/API keys are not accepted here/);
  });

  it('refuses a JWT when no issuer is trusted, saying what is accepted', async () => {
    const auth = new HttpAuthenticator({ challenges });
    const answer = refused(await auth.authenticate({ authorization: 'Bearer eyJh.eyJz.c2ln' }));
    expect(answer.description).toMatch(/trusts no OAuth issuer/);
  });

  it('builds the insufficient_scope answer with the missing scope', () => {
    const answer = new HttpAuthenticator({ challenges }).insufficientScope('mcp:sql:query');
    expect(answer).toMatchObject({ ok: false, status: 403, error: 'insufficient_scope' });
    expect(answer.wwwAuthenticate).toMatch(
      new RegExp(
        `^Bearer ${METADATA.replace(/[.]/g, '\\.')}, error="insufficient_scope", scope="mcp:sql:query", `,
      ),
    );
    expect(answer.description).toContain('"mcp:sql:query"');
  });

  it('keeps header parameters free of quotes, backslashes and control characters', () => {
    const answer = challenges.invalid('invalid_token', 'bad "value" \\ with\r\nnewline');
    expect(answer.wwwAuthenticate).toContain('error_description="bad  value    with  newline"');
  });

  it('serves RFC 9728 metadata for the /mcp resource', () => {
    const withIssuers = new Challenges('https://mcp.example.com/', ['https://id.example.com']);
    expect(new HttpAuthenticator({ challenges: withIssuers }).protectedResourceMetadata()).toEqual({
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: ['https://id.example.com'],
      scopes_supported: [
        'mcp:telemetry:read',
        'mcp:sql:query',
        'mcp:llm:use',
        'mcp:files:read',
        'mcp:files:write',
        'mcp:commands:run',
        'mcp:*',
      ],
      bearer_methods_supported: ['header'],
      resource_name: 'TelemetryFlow MCP',
    });
    expect(new HttpAuthenticator({ challenges }).protectedResourceMetadata()).not.toHaveProperty(
      'authorization_servers',
    );
  });
});

describe('createAuthLayer', () => {
  const inputs = { logger: noopLogger, publicUrl: PUBLIC_URL };

  it('refuses anonymous access on a non-loopback bind', async () => {
    await expect(
      createAuthLayer({ ...inputs, config: config({ anonymousLoopback: true }), loopback: false }),
    ).rejects.toMatchObject({ code: 'CONFIG.ANONYMOUS_NOT_LOOPBACK' });
  });

  it('refuses to run with no way to authenticate (API keys without a datasource count as none)', async () => {
    await expect(createAuthLayer({ ...inputs, config: config(), loopback: true })).rejects.toMatchObject({
      code: 'CONFIG.NO_AUTHENTICATION',
    });
  });

  it('refuses an issuer that is not a URL', async () => {
    await expect(
      createAuthLayer({ ...inputs, config: config({ oauthIssuers: ['id.example.com'] }), loopback: true }),
    ).rejects.toMatchObject({ code: 'CONFIG.INVALID_ISSUER' });
  });

  it('builds an anonymous loopback layer with the configured limits and no local key', async () => {
    const layer = await createAuthLayer({
      ...inputs,
      config: config({ anonymousLoopback: true }),
      loopback: true,
      expensiveTools: ['pg_query'],
    });
    expect(layer.localKey).toBeUndefined();
    const outcome = await layer.authenticator.authenticate({});
    expect(outcome.ok && outcome.principal.organizationId).toBe(DEMO_ORGANIZATION_ID);
    const takes = Array.from({ length: 21 }, () => layer.rateLimiter.take('anonymous', 'user').ok);
    expect(takes.filter(Boolean)).toHaveLength(20); // limits.burst
    const slots = [1, 2, 3, 4, 5].map(() => layer.concurrency.acquire('anonymous', 'pg_query'));
    expect(slots.filter((s) => s !== undefined)).toHaveLength(4); // limits.expensiveToolConcurrency
    expect(layer.concurrency.acquire('anonymous', 'echo')).toBeDefined();
    await layer.close();
  });
});
