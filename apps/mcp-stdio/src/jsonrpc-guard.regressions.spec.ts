import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { createJsonRpcGuard } from './jsonrpc-guard.js';

async function feed(chunks: (string | Buffer)[], max = 1024) {
  const out = new PassThrough();
  const written: Buffer[] = [];
  out.on('data', (c: Buffer) => written.push(c));
  const guard = createJsonRpcGuard(out, max);
  const passed: Buffer[] = [];
  guard.on('data', (c: Buffer) => passed.push(c));
  const ended = new Promise<void>((r) => guard.on('end', r));
  for (const c of chunks) guard.write(c);
  guard.end();
  await ended;
  return {
    passed: Buffer.concat(passed).toString('utf8'),
    replies: Buffer.concat(written)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}
const PING = '{"jsonrpc":"2.0","id":1,"method":"ping"}';

/** Regressions of the stdin guard: chunk boundaries and the size limit. */
describe('jsonrpc guard regressions', () => {
  it('B1 guard: passes a multi-byte character split across chunks unchanged', async () => {
    const message =
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"é"}}}';
    const bytes = Buffer.from(`${message}\n`);
    const at = bytes.indexOf(0xc3) + 1;
    const { passed } = await feed([bytes.subarray(0, at), bytes.subarray(at)]);
    expect(passed).toBe(`${message}\n`);
  });

  it('B2 guard: drops an over-limit line whose newline arrives in the same chunk', async () => {
    const long = `{"jsonrpc":"2.0","id":5,"method":"ping","params":{"pad":"${'x'.repeat(200)}"}}`;
    const { passed, replies } = await feed([`${long}\n${PING}\n`], 50);
    expect(passed).toBe(`${PING}\n`);
    expect(replies.map((r: { error: { code: number } }) => r.error.code)).toEqual([-32600]);
  });
});
