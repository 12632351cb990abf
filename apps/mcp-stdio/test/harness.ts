/**
 * Shared helpers for the stdio end-to-end tests: a sandbox of directories that
 * exercises path confinement, and a client connected to the built server.
 */
import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** Path of the built stdio server. */
export const MAIN = resolve(__dirname, '../dist/main.js');

/** Directories of one test run. */
export interface Sandbox {
  base: string;
  root: string;
  sibling: string;
  outside: string;
}

/** A root with files, a sibling whose name starts with the root's, an outside dir, and escaping symlinks. */
export function makeSandbox(): Sandbox {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tfo-stdio-')));
  const root = join(base, 'root');
  const sibling = join(base, 'root-sibling');
  const outside = join(base, 'outside');
  for (const d of [root, sibling, outside, join(root, 'sub')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(root, 'hello.txt'), 'hello from the root\n');
  writeFileSync(join(root, 'sub', 'notes.md'), '# notes\n');
  writeFileSync(join(root, 'sub', 'data.json'), '{"ok":true}\n');
  writeFileSync(join(root, 'pixel.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  writeFileSync(join(root, 'big.txt'), 'x'.repeat(4096));
  writeFileSync(join(sibling, 'secret.txt'), 'sibling secret');
  writeFileSync(join(outside, 'secret.txt'), 'outside secret');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
  symlinkSync(outside, join(root, 'escape-dir'));
  return { base, root, sibling, outside };
}

/** Environment for the server under test. */
export function serverEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: sandbox.base,
    TELEMETRYFLOW_MCP_FILES_ROOTS: sandbox.root,
    TELEMETRYFLOW_MCP_FILES_MAX_READ_BYTES: '1024',
    TELEMETRYFLOW_MCP_FILES_MAX_WRITE_BYTES: '2048',
    TELEMETRYFLOW_MCP_COMMANDS_ALLOW: 'echo,sleep',
    TELEMETRYFLOW_MCP_COMMANDS_TIMEOUT_MS: '1500',
    TELEMETRYFLOW_MCP_LOG_LEVEL: 'warn',
    // These tests exercise the protocol and the file tools; the data tests turn the engines on.
    TELEMETRYFLOW_MCP_DATA_ENABLED: 'false',
    ...extra,
  };
}

const serverLogs = new WeakMap<Client, string[]>();

/** The last lines the server behind `client` wrote to stderr (for failure messages). */
export function serverLog(client: Client): string {
  return (serverLogs.get(client) ?? []).join('');
}

/** Connects an SDK client to a freshly spawned server, on the given protocol era. */
export async function connect(
  sandbox: Sandbox,
  era: 'legacy' | 'modern',
  options: { env?: Record<string, string>; capabilities?: Record<string, unknown> } = {},
): Promise<Client> {
  const client = new Client(
    { name: 'tfo-e2e', version: '1.0.0' },
    {
      ...(options.capabilities ? { capabilities: options.capabilities } : {}),
      ...(era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MAIN],
    cwd: sandbox.base,
    env: serverEnv(sandbox, options.env),
    stderr: 'pipe',
  });
  // Drain the server's log: a pipe nobody reads fills up and blocks the server's writes.
  const tail: string[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => {
    if (process.env['TFO_E2E_SERVER_LOG']) appendFileSync(process.env['TFO_E2E_SERVER_LOG'], chunk);
    tail.push(chunk.toString());
    if (tail.length > 200) tail.shift();
  });
  serverLogs.set(client, tail);
  await client.connect(transport);
  return client;
}

/** The text of the first content block of a tool result. */
export function firstText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}
