/**
 * Shared helpers for the HTTP end-to-end tests: spawn the BUILT server on a free loopback port
 * with configuration from the environment, wait for its banner, drain its log, and talk to it
 * with the SDK client or with raw HTTP (for what a client never sends).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { freeLoopbackPort } from '@tfo/datasources';

/** Path of the built HTTP server. */
export const MAIN = resolve(__dirname, '../dist/main.js');

/** A running server process. */
export interface RunningServer {
  /** The MCP endpoint, from the banner. */
  url: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  /** Working directory and home of the process (files root: `<base>/root`). */
  base: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  /** The last lines the process wrote to stderr. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM (unless already ended) and waits for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment of the server under test: fast (no engines), anonymous on loopback, quiet, generous budgets. */
export function serverEnv(
  base: string,
  port: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: base,
    TELEMETRYFLOW_MCP_SERVER_HOST: '127.0.0.1',
    TELEMETRYFLOW_MCP_SERVER_PORT: String(port),
    TELEMETRYFLOW_MCP_DATA_ENABLED: 'false',
    TELEMETRYFLOW_MCP_AUTH_ANONYMOUS_LOOPBACK: 'true',
    TELEMETRYFLOW_MCP_FILES_ROOTS: join(base, 'root'),
    TELEMETRYFLOW_MCP_COMMANDS_ALLOW: 'echo,sleep',
    TELEMETRYFLOW_MCP_COMMANDS_TIMEOUT_MS: '20000',
    TELEMETRYFLOW_MCP_LOG_LEVEL: 'warn',
    // Generous budgets: only the rate-limit tests run into them, with their own settings.
    TELEMETRYFLOW_MCP_LIMITS_USER_REQUESTS_PER_MINUTE: '100000',
    TELEMETRYFLOW_MCP_LIMITS_SERVICE_REQUESTS_PER_MINUTE: '100000',
    TELEMETRYFLOW_MCP_LIMITS_BURST: '10000',
    ...extra,
  };
}

/** A fresh directory with a files root holding one file. */
export function makeBase(): string {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tfo-http-')));
  mkdirSync(join(base, 'root'));
  writeFileSync(join(base, 'root', 'hello.txt'), 'hello over http\n');
  return base;
}

/** Runs the built server with `args`, collecting its output, without waiting for anything. */
export function spawnServer(
  env: Record<string, string>,
  cwd: string,
  args: string[] = [],
): { child: ChildProcessWithoutNullStreams; out: string[]; err: string[] } {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, env });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  // Drain the log: a pipe nobody reads fills up and blocks the server's writes.
  child.stderr.on('data', (chunk: Buffer) => {
    if (process.env['TFO_E2E_SERVER_LOG']) appendFileSync(process.env['TFO_E2E_SERVER_LOG'], chunk);
    err.push(chunk.toString());
    if (err.length > 400) err.shift();
  });
  return { child, out, err };
}

/** Runs the CLI to completion (no server expected): exit code and output. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child, out, err } = spawnServer(env, cwd, args);
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Starts the built server and resolves once its banner names the MCP endpoint. */
export async function startServer(
  options: { env?: Record<string, string>; base?: string; readyTimeoutMs?: number } = {},
): Promise<RunningServer> {
  const base = options.base ?? makeBase();
  const port = await freeLoopbackPort();
  const { child, out, err } = spawnServer(serverEnv(base, port, options.env), base);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const url = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the server printed no banner in time\n${err.join('')}`)),
      options.readyTimeoutMs ?? 30_000,
    );
    const look = () => {
      const match = /MCP endpoint: (\S+)/.exec(out.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        ready(match[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      fail(new Error(`the server exited (code ${code}) before it was ready\n${err.join('')}`));
    });
    look();
  });
  return {
    url,
    origin: `http://127.0.0.1:${port}`,
    port,
    base,
    child,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** An SDK client connected over Streamable HTTP, on the given protocol era. */
export async function connect(
  url: string,
  era: 'legacy' | 'modern',
  headers: Record<string, string> = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client(
    { name: 'tfo-e2e', version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
}

/** An answer to {@link raw}. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

/** One HTTP request with exactly the headers given (Host and Origin included). */
export function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          done({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Headers of a JSON-RPC POST as a Streamable HTTP client sends them. */
export const POST_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** The text of the first content block of a tool result. */
export function firstText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}
