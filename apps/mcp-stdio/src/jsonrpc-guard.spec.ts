import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { createJsonRpcGuard, jsonRpcProblem } from './jsonrpc-guard.js';

interface Reply {
  jsonrpc: string;
  id: string | number | null;
  error: { code: number; message: string };
}

/** Feeds `chunks` through a guard and returns what passed through and what was answered on `out`. */
async function feed(
  chunks: (string | Buffer)[],
  maxLineBytes = 1024,
): Promise<{ passed: string; replies: Reply[] }> {
  const out = new PassThrough();
  const written: Buffer[] = [];
  out.on('data', (chunk: Buffer) => written.push(chunk));
  const guard = createJsonRpcGuard(out, maxLineBytes);
  const passed: Buffer[] = [];
  guard.on('data', (chunk: Buffer) => passed.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    guard.on('end', resolve);
    guard.on('error', reject);
  });
  for (const chunk of chunks) guard.write(chunk);
  guard.end();
  await ended;
  const raw = Buffer.concat(written).toString('utf8');
  // Every reply is one whole line.
  expect(raw === '' || raw.endsWith('\n')).toBe(true);
  const replies = raw
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Reply);
  return { passed: Buffer.concat(passed).toString('utf8'), replies };
}

const PING = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
const LIST = '{"jsonrpc":"2.0","id":"two","method":"tools/list","params":{}}';
const NOTE = '{"jsonrpc":"2.0","method":"notifications/initialized"}';

describe('jsonRpcProblem', () => {
  it('accepts requests, notifications and responses', () => {
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: 'ping' })).toBeUndefined();
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 'a', method: 'x', params: {} })).toBeUndefined();
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: 'x', params: [1, 2] })).toBeUndefined();
    expect(jsonRpcProblem({ jsonrpc: '2.0', method: 'notifications/x' })).toBeUndefined();
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, result: {} })).toBeUndefined();
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, error: { code: 1, message: 'm' } })).toBeUndefined();
  });

  it('names what is wrong with anything else', () => {
    expect(jsonRpcProblem([])).toContain('batches are not supported');
    expect(jsonRpcProblem(null)).toContain('must be a JSON object');
    expect(jsonRpcProblem(7)).toContain('must be a JSON object');
    expect(jsonRpcProblem({ id: 1, method: 'x' })).toContain('"jsonrpc" member must be exactly "2.0"');
    expect(jsonRpcProblem({ jsonrpc: 2, id: 1, method: 'x' })).toContain('"jsonrpc"');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: '' })).toContain('"method" member');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: 5 })).toContain('"method" member');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: true, method: 'x' })).toContain('"id" member');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: null, method: 'x' })).toContain('"id" member');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: 'x', params: 'p' })).toContain('"params" member');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: 'x', params: null })).toContain('"params" member');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1 })).toContain('needs a "method"');
  });
});

describe('createJsonRpcGuard', () => {
  it('passes valid messages through unchanged, one per line', async () => {
    const { passed, replies } = await feed([`${PING}\n${LIST}\n${NOTE}\n`]);
    expect(passed).toBe(`${PING}\n${LIST}\n${NOTE}\n`);
    expect(replies).toEqual([]);
  });

  it('passes responses from the client through', async () => {
    const result = '{"jsonrpc":"2.0","id":0,"result":{"roots":[]}}';
    const error = '{"jsonrpc":"2.0","id":0,"error":{"code":-1,"message":"no"}}';
    const { passed, replies } = await feed([`${result}\n${error}\n`]);
    expect(passed).toBe(`${result}\n${error}\n`);
    expect(replies).toEqual([]);
  });

  it('reassembles a message split across chunks', async () => {
    const { passed, replies } = await feed([
      PING.slice(0, 5),
      PING.slice(5, 20),
      `${PING.slice(20)}\n${LIST.slice(0, 9)}`,
      `${LIST.slice(9)}\n`,
    ]);
    expect(passed).toBe(`${PING}\n${LIST}\n`);
    expect(replies).toEqual([]);
  });

  it('reassembles a message whose newline arrives alone', async () => {
    const { passed } = await feed([PING, '\n']);
    expect(passed).toBe(`${PING}\n`);
  });

  it('accepts CRLF line ends and passes the line with LF', async () => {
    const { passed, replies } = await feed([`${PING}\r\n${LIST}\r`, '\n']);
    expect(passed).toBe(`${PING}\n${LIST}\n`);
    expect(replies).toEqual([]);
  });

  it('ignores blank and whitespace-only lines without answering', async () => {
    const { passed, replies } = await feed([`\n\n   \n\t\r\n${PING}\n\n`]);
    expect(passed).toBe(`${PING}\n`);
    expect(replies).toEqual([]);
  });

  it('checks a last line that has no newline when the input ends', async () => {
    const good = await feed([`${PING}\n`, LIST]);
    expect(good.passed).toBe(`${PING}\n${LIST}\n`);
    const bad = await feed([`${PING}\n`, '{"jsonrpc":"2.0"']);
    expect(bad.passed).toBe(`${PING}\n`);
    expect(bad.replies).toHaveLength(1);
    expect(bad.replies[0]?.error.code).toBe(-32700);
  });

  it('answers malformed JSON with -32700 and id null', async () => {
    const { passed, replies } = await feed(['{not json}\n', `${PING}\n`]);
    expect(passed).toBe(`${PING}\n`);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(replies[0]?.error.message).toMatch(/^Parse error: /);
  });

  it('answers a batch with -32600 and id null', async () => {
    const { passed, replies } = await feed([`[${PING},${LIST}]\n`]);
    expect(passed).toBe('');
    expect(replies).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32600,
          message: 'Invalid Request: JSON-RPC batches are not supported; send one message per line',
        },
      },
    ]);
  });

  it('answers a message without jsonrpc, or with another version, with -32600 and its id', async () => {
    const { passed, replies } = await feed([
      '{"id":7,"method":"ping"}\n',
      '{"jsonrpc":"1.0","id":"eight","method":"ping"}\n',
    ]);
    expect(passed).toBe('');
    expect(replies.map((r) => [r.error.code, r.id])).toEqual([
      [-32600, 7],
      [-32600, 'eight'],
    ]);
    expect(replies[0]?.error.message).toContain('"jsonrpc" member must be exactly "2.0"');
  });

  it('answers an id of the wrong type with -32600 and id null', async () => {
    const { passed, replies } = await feed([
      '{"jsonrpc":"2.0","id":{"n":1},"method":"ping"}\n',
      '{"jsonrpc":"2.0","id":true,"method":"ping"}\n',
      '{"jsonrpc":"2.0","id":[1],"method":"ping"}\n',
      '{"jsonrpc":"2.0","id":null,"method":"ping"}\n',
    ]);
    expect(passed).toBe('');
    expect(replies).toHaveLength(4);
    for (const reply of replies) {
      expect(reply.id).toBeNull();
      expect(reply.error.code).toBe(-32600);
      expect(reply.error.message).toContain('"id" member must be a string or a number');
    }
  });

  it('answers a bad method or params with -32600 and the message id', async () => {
    const { passed, replies } = await feed([
      '{"jsonrpc":"2.0","id":1,"method":""}\n',
      '{"jsonrpc":"2.0","id":2,"method":42}\n',
      '{"jsonrpc":"2.0","id":3,"method":"x","params":"p"}\n',
      '{"jsonrpc":"2.0","id":4}\n',
    ]);
    expect(passed).toBe('');
    expect(replies.map((r) => [r.error.code, r.id])).toEqual([
      [-32600, 1],
      [-32600, 2],
      [-32600, 3],
      [-32600, 4],
    ]);
  });

  it('answers JSON that is not an object with -32600 and id null', async () => {
    const { passed, replies } = await feed(['42\n"ping"\nnull\ntrue\n']);
    expect(passed).toBe('');
    expect(replies.map((r) => [r.error.code, r.id])).toEqual([
      [-32600, null],
      [-32600, null],
      [-32600, null],
      [-32600, null],
    ]);
  });

  it('keeps serving after bad lines mixed with good ones in one chunk', async () => {
    const { passed, replies } = await feed([`${PING}\n{bad\n[1]\n${LIST}\n{"id":9}\n${NOTE}\n`]);
    expect(passed).toBe(`${PING}\n${LIST}\n${NOTE}\n`);
    expect(replies.map((r) => [r.error.code, r.id])).toEqual([
      [-32700, null],
      [-32600, null],
      [-32600, 9],
    ]);
  });

  it('accepts a line of exactly the limit', async () => {
    const message = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(40)}"}}`;
    const max = Buffer.byteLength(message);
    const { passed, replies } = await feed([message, '\n'], max);
    expect(passed).toBe(`${message}\n`);
    expect(replies).toEqual([]);
  });

  it('drops a line over the limit with one -32600 reply and serves the next line', async () => {
    const long = `{"jsonrpc":"2.0","id":5,"method":"ping","params":{"pad":"${'x'.repeat(200)}"}}`;
    const { passed, replies } = await feed(
      [long.slice(0, 60), long.slice(60, 120), long.slice(120, 180), `${long.slice(180)}\n${PING}\n`],
      50,
    );
    expect(passed).toBe(`${PING}\n`);
    expect(replies).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: 'Invalid Request: a message is larger than 50 bytes' },
      },
    ]);
  });

  it('drops an over-limit line that never ends without passing any of it', async () => {
    const { passed, replies } = await feed([`${PING}\n`, 'y'.repeat(80), 'y'.repeat(80)], 50);
    expect(passed).toBe(`${PING}\n`);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.error.code).toBe(-32600);
  });

  it('answers each over-limit line once', async () => {
    const { passed, replies } = await feed(['z'.repeat(80), `\n${PING}\n`, 'z'.repeat(80), '\n'], 50);
    expect(passed).toBe(`${PING}\n`);
    expect(replies.map((r) => [r.error.code, r.id])).toEqual([
      [-32600, null],
      [-32600, null],
    ]);
  });
});
