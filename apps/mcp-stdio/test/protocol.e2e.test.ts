/**
 * Raw JSON-RPC over the server's stdin/stdout: what an SDK client never sends.
 * Malformed JSON, unknown methods and invalid params must get the JSON-RPC codes,
 * and the process must keep serving afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MAIN, makeSandbox, serverEnv, type Sandbox } from './harness.js';

type Reply = {
  id?: number | string | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
};

describe('stdio server, raw JSON-RPC', () => {
  let sandbox: Sandbox;
  let child: ChildProcessWithoutNullStreams;
  const replies: Reply[] = [];
  const waiters: ((r: Reply) => void)[] = [];
  let stderr = '';

  const next = (): Promise<Reply> =>
    new Promise((resolveReply) => {
      const ready = replies.shift();
      if (ready) resolveReply(ready);
      else waiters.push(resolveReply);
    });
  const send = (line: string) => child.stdin.write(`${line}\n`);
  const request = (id: number, method: string, params?: unknown) =>
    send(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));

  beforeAll(async () => {
    sandbox = makeSandbox();
    child = spawn(process.execPath, [MAIN], { cwd: sandbox.base, env: serverEnv(sandbox) });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const reply = JSON.parse(line) as Reply;
      const waiter = waiters.shift();
      if (waiter) waiter(reply);
      else replies.push(reply);
    });
    request(1, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '0' },
    });
    const init = await next();
    expect(init.result?.['protocolVersion']).toBe('2025-11-25');
    send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  }, 30_000);

  afterAll(() => {
    child.kill();
    rmSync(sandbox.base, { recursive: true, force: true });
  });

  it('answers malformed JSON with -32700 and keeps serving', async () => {
    send('{"jsonrpc": "2.0", "id": 7, "method": ');
    const reply = await next();
    expect(reply.error?.code).toBe(-32700);
    request(2, 'ping');
    expect(await next()).toMatchObject({ id: 2, result: {} });
  });

  it('answers an unknown method with -32601', async () => {
    request(3, 'tools/explode');
    expect((await next()).error?.code).toBe(-32601);
  });

  it('answers invalid params with -32602', async () => {
    request(4, 'tools/call', { arguments: {} });
    const reply = await next();
    expect(reply.error?.code).toBe(-32602);
  });

  it('answers a request that is not JSON-RPC with -32600', async () => {
    send(JSON.stringify({ id: 5, method: 'ping' }));
    const reply = await next();
    expect([-32600, -32700]).toContain(reply.error?.code);
  });

  it('still serves tools after all of that, and never wrote logs to stdout', async () => {
    request(6, 'tools/call', { name: 'echo', arguments: { message: 'alive' } });
    const reply = await next();
    expect(reply).toMatchObject({ id: 6, result: { content: [{ type: 'text', text: 'alive' }] } });
    expect(child.exitCode).toBeNull();
  });

  it('changes the log level live through logging/setLevel', async () => {
    request(8, 'logging/setLevel', { level: 'debug' });
    expect(await next()).toMatchObject({ id: 8, result: {} });
    const before = stderr.length;
    request(9, 'tools/call', { name: 'echo', arguments: { message: 'debug me' } });
    await next();
    await new Promise((r) => setTimeout(r, 200));
    expect(stderr.slice(before)).toMatch(/"tool":"echo"/);
  });
});
