/**
 * The built HTTP server as an OAuth 2.1 resource server, against an authorization server's
 * metadata and JWKS served on loopback by the test (keys made with jose): a valid token acts
 * for its organization with its scopes on both protocol revisions; a token for another
 * audience, an expired one, one signed by another key and one from an issuer not configured
 * get 401 `invalid_token` with the resource-metadata pointer; a missing scope gets 403
 * `insufficient_scope` and the tool is absent from tools/list. The token never appears in an
 * answer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { POST_HEADERS, connect, raw, startServer, type RunningServer } from './harness.js';

const SLOW = 60_000;
const ORG = '6f1e2d3c-0000-4000-8000-000000000001';

interface Issuer {
  url: string;
  server: Server;
  sign(
    claims: Record<string, unknown>,
    options?: { key?: CryptoKey; expiresIn?: string | number },
  ): Promise<string>;
}

/** An authorization server's metadata and JWKS on loopback, signing with one RS256 key. */
async function startIssuer(): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let url = '';
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/oauth-authorization-server') {
      response.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks`, token_endpoint: `${url}/token` }));
    } else if (request.url === '/jwks') {
      response.end(JSON.stringify({ keys: [jwk] }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    async sign(claims, options = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer((claims['iss'] as string | undefined) ?? url)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.key ?? privateKey);
    },
  };
}

describe('HTTP server as an OAuth 2.1 resource server', () => {
  let issuer: Issuer;
  let server: RunningServer;
  let resource: string;

  const token = (overrides: Record<string, unknown> = {}, options?: Parameters<Issuer['sign']>[1]) =>
    issuer.sign(
      { sub: 'user-1', aud: resource, org_id: ORG, scope: 'mcp:telemetry:read mcp:files:read', ...overrides },
      options,
    );

  const post = (bearer: string | undefined, body: string) =>
    raw(server.url, {
      method: 'POST',
      headers: {
        ...POST_HEADERS,
        host: `127.0.0.1:${server.port}`,
        ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      },
      body,
    });
  const listTools = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/list',
    params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
  });

  beforeAll(async () => {
    issuer = await startIssuer();
    server = await startServer({
      env: {
        TELEMETRYFLOW_MCP_AUTH_ANONYMOUS_LOOPBACK: 'false',
        TELEMETRYFLOW_MCP_AUTH_API_KEYS: 'false',
        TELEMETRYFLOW_MCP_AUTH_OAUTH_ISSUERS: issuer.url,
      },
    });
    resource = server.url;
  }, SLOW);

  afterAll(async () => {
    await server?.stop();
    if (server) rmSync(server.base, { recursive: true, force: true });
    await new Promise((resolve) => issuer?.server.close(resolve));
  });

  it('publishes the protected-resource metadata naming the issuer', async () => {
    const answer = await raw(`${server.origin}/.well-known/oauth-protected-resource/mcp`, {
      headers: { host: `127.0.0.1:${server.port}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ resource, authorization_servers: [issuer.url] });
  });

  it.each(['legacy', 'modern'] as const)(
    'serves a valid token with its scopes (%s revision)',
    async (era) => {
      const { client } = await connect(server.url, era, { authorization: `Bearer ${await token()}` });
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['echo', 'read_file', 'list_context_types']));
      expect(names).not.toContain('write_file');
      expect(names).not.toContain('execute_command');
      const echo = await client.callTool({ name: 'echo', arguments: { message: 'via oauth' } });
      expect(echo.isError).toBeFalsy();
      await client.close();
    },
  );

  it('answers 401 with the metadata pointer for no token, and invalid_token for bad ones', async () => {
    const none = await post(undefined, listTools);
    expect(none.status).toBe(401);
    expect(String(none.headers['www-authenticate'])).toContain(
      `resource_metadata="${server.origin}/.well-known/oauth-protected-resource/mcp"`,
    );

    const other = await generateKeyPair('RS256');
    const bad: Record<string, string> = {
      'another audience': await token({ aud: 'https://other.example.com/mcp' }),
      expired: await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      'a signature by another key': await token({}, { key: other.privateKey }),
      'an issuer not configured': await token({ iss: 'https://evil.example.com' }),
    };
    for (const [what, jwt] of Object.entries(bad)) {
      const answer = await post(jwt, listTools);
      expect([what, answer.status]).toEqual([what, 401]);
      expect([what, String(answer.headers['www-authenticate'])]).toEqual([
        what,
        expect.stringContaining('error="invalid_token"'),
      ]);
      expect(answer.body).not.toContain(jwt);
    }
  });

  it('answers 403 insufficient_scope for a tool outside the token scopes', async () => {
    const answer = await post(
      await token(),
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'write_file',
          arguments: { path: 'x.txt', content: 'x' },
          _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' },
        },
      }),
    );
    expect(answer.status).toBe(403);
    expect(String(answer.headers['www-authenticate'])).toContain('error="insufficient_scope"');
    expect(String(answer.headers['www-authenticate'])).toContain('mcp:files:write');
  });
});
