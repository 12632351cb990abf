import { afterEach, describe, expect, it } from '@jest/globals';
import { McpServer } from '@modelcontextprotocol/server';
import { noopLogger } from '@tfo/domain';
import { toolScopesOf } from '@tfo/mcp-tools';
import type { Caller } from './instances.js';
import { SessionManager } from './sessions.js';

const URL_ = 'http://127.0.0.1:8080/mcp';

function caller(credentialId: string): Caller {
  return {
    principal: {
      organizationId: 'org',
      subject: credentialId,
      kind: 'api_key',
      scopes: toolScopesOf(['mcp:*']),
    },
    credentialId,
    rateClass: 'service',
  };
}

function post(body: unknown, sessionId?: string): Request {
  return new Request(URL_, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } : {}),
    },
    body: JSON.stringify(body),
  });
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'spec', version: '1' } },
};
const PING = { jsonrpc: '2.0', id: 2, method: 'ping' };

let now = 1_000_000;
const managers: SessionManager[] = [];
let built = 0;

function manager(ttlMs = 60_000): SessionManager {
  const m = new SessionManager({
    ttlMs,
    maxBodyBytes: 1024 * 1024,
    logger: noopLogger,
    now: () => now,
    build: () => {
      built += 1;
      return new McpServer({ name: 'spec', version: '1' });
    },
  });
  managers.push(m);
  return m;
}

async function open(m: SessionManager, who: Caller): Promise<string> {
  const response = await m.handle(post(INITIALIZE), who, INITIALIZE);
  expect(response.status).toBe(200);
  await response.text();
  const id = response.headers.get('mcp-session-id');
  if (!id) throw new Error('no session id');
  return id;
}

afterEach(async () => {
  for (const m of managers.splice(0)) await m.closeAll();
});

describe('SessionManager', () => {
  it('opens a session on initialize with an unguessable id of visible ASCII', async () => {
    const m = manager();
    const id = await open(m, caller('api_key:a'));
    expect(id).toMatch(/^[\x21-\x7e]{43}$/);
    expect(m.size).toBe(1);
    const other = await open(m, caller('api_key:a'));
    expect(other).not.toBe(id);
  });

  it('serves the credential that opened the session', async () => {
    const m = manager();
    const owner = caller('api_key:a');
    const id = await open(m, owner);
    const response = await m.handle(post(PING, id), owner, PING);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"result":{}');
  });

  it('answers 404 to another credential presenting the id, exactly as to an unknown id', async () => {
    const m = manager();
    const id = await open(m, caller('api_key:a'));
    const stolen = await m.handle(post(PING, id), caller('api_key:b'), PING);
    const unknown = await m.handle(post(PING, 'no-such-session'), caller('api_key:b'), PING);
    expect(stolen.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await stolen.json()).toEqual(await unknown.json());
    expect(m.size).toBe(1);
  });

  it('asks for initialize when a request carries no session id', async () => {
    const response = await manager().handle(post(PING), caller('api_key:a'), PING);
    expect(response.status).toBe(400);
    expect((await response.json()) as { error: string }).toMatchObject({ error: 'session_required' });
  });

  it('expires a session idle longer than the TTL', async () => {
    const m = manager(10_000);
    const owner = caller('api_key:a');
    const id = await open(m, owner);
    now += 9_000;
    const kept = await m.handle(post(PING, id), owner, PING);
    expect(kept.status).toBe(200);
    await kept.text();
    now += 10_001;
    expect((await m.handle(post(PING, id), owner, PING)).status).toBe(404);
    expect(m.size).toBe(0);
  });

  it('keeps a session whose answer is still streaming, however long it runs', async () => {
    const m = manager(10_000);
    const owner = caller('api_key:a');
    const id = await open(m, owner);
    const streaming = await m.handle(post(PING, id), owner, PING);
    now += 60_000;
    const next = await m.handle(post({ ...PING, id: 3 }, id), owner, { ...PING, id: 3 });
    expect(next.status).toBe(200);
    await Promise.all([streaming.text(), next.text()]);
  });

  it('ends a session on DELETE; its id then answers 404', async () => {
    const m = manager();
    const owner = caller('api_key:a');
    const id = await open(m, owner);
    const del = new Request(URL_, {
      method: 'DELETE',
      headers: { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
    });
    expect((await m.handle(del, owner, undefined)).status).toBe(200);
    expect(m.size).toBe(0);
    expect((await m.handle(post(PING, id), owner, PING)).status).toBe(404);
  });

  it('closes every session at shutdown', async () => {
    const m = manager();
    await open(m, caller('api_key:a'));
    await open(m, caller('api_key:b'));
    const before = built;
    await m.closeAll();
    expect(m.size).toBe(0);
    expect(built).toBe(before);
  });
});
