/**
 * Loopback HTTP servers that stand in for a model provider in the adapter tests: each records
 * what it received and answers from a script (the n-th request decides its own answer), so
 * retries are counted in requests, never measured in time. Servers close after each test.
 */
import { afterEach } from '@jest/globals';
import type { TfoError } from '@tfo/domain';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** What the fake does with the n-th request (1-based). */
export type Script = (n: number, response: ServerResponse) => void;

/** A running fake. */
export interface Fake {
  readonly url: string;
  readonly received: Received[];
  /** Resolves once `count` requests have arrived. */
  arrived(count: number): Promise<void>;
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** Starts a fake on 127.0.0.1 (a free port) answering by `script`. */
export async function fake(script: Script): Promise<Fake> {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {},
      });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
      script(received.length, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    arrived: (count) =>
      new Promise<void>((resolve) => {
        if (received.length >= count) resolve();
        else waiters.push({ count, resolve });
      }),
  };
}

/** Answers with a JSON body. */
export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Never answers; the socket stays open until the test's server closes. */
export function hang(): void {
  // Deliberately left unanswered.
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<TfoError> {
  try {
    await promise;
  } catch (error) {
    return error as TfoError;
  }
  throw new Error('expected the call to fail');
}

/** A Chat Completions answer (OpenAI's wire shape) saying `text`, with 17 + 2 tokens. */
export function completion(model: string, text = 'Pong'): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 17, completion_tokens: 2, total_tokens: 19 },
  };
}

/**
 * A call cancelled by its caller while the server keeps it waiting: `call` gets the fake's
 * URL and a signal, which is aborted once the request has arrived. The error and the fake.
 */
export async function cancelledWhileWaiting(
  call: (url: string, signal: AbortSignal) => Promise<unknown>,
): Promise<{ error: TfoError; server: Fake }> {
  const server = await fake(hang);
  const controller = new AbortController();
  const pending = failure(call(server.url, controller.signal));
  await server.arrived(1);
  controller.abort();
  return { error: await pending, server };
}

/**
 * Calls answered 200 with each of `bodies` in turn (raw JSON text, one call per body): the
 * errors they fail with, and the fake, whose request count shows whether anything was retried.
 */
export async function failuresOnBodies(
  bodies: readonly string[],
  call: (url: string) => Promise<unknown>,
): Promise<{ errors: TfoError[]; server: Fake }> {
  const server = await fake((n, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(bodies[Math.min(n, bodies.length) - 1]);
  });
  const errors: TfoError[] = [];
  for (const _ of bodies) errors.push(await failure(call(server.url)));
  return { errors, server };
}
