import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { connect, firstText, makeSandbox, type Sandbox } from './harness.js';

const TOOLS = [
  'build_system_prompt',
  'claude_conversation',
  'echo',
  'execute_command',
  'list_context_types',
  'list_directory',
  'list_models',
  'read_file',
  'search_files',
  'system_info',
  'write_file',
];

describe.each(['legacy', 'modern'] as const)('stdio server, %s protocol era', (era) => {
  let sandbox: Sandbox;
  let client: Client;

  beforeAll(async () => {
    sandbox = makeSandbox();
    client = await connect(sandbox, era);
  }, 30_000);

  afterAll(async () => {
    await client?.close();
    rmSync(sandbox.base, { recursive: true, force: true });
  });

  it('negotiates the requested era', () => {
    expect(client.getProtocolEra()).toBe(era);
  });

  it('lists every tool with a description and all four annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.description?.length ?? 0).toBeGreaterThan(40);
      expect(tool.annotations).toEqual(
        expect.objectContaining({
          readOnlyHint: expect.any(Boolean),
          destructiveHint: expect.any(Boolean),
          idempotentHint: expect.any(Boolean),
          openWorldHint: expect.any(Boolean),
        }),
      );
      expect(tool.inputSchema.type).toBe('object');
    }
  });

  it('echo returns the message', async () => {
    const r = await client.callTool({ name: 'echo', arguments: { message: 'ping ✓' } });
    expect(r.isError).toBeFalsy();
    expect(firstText(r)).toBe('ping ✓');
  });

  it('read_file reads inside the root, relative and absolute', async () => {
    const rel = await client.callTool({ name: 'read_file', arguments: { path: 'hello.txt' } });
    expect(firstText(rel)).toBe('hello from the root\n');
    const abs = await client.callTool({
      name: 'read_file',
      arguments: { path: join(sandbox.root, 'sub/notes.md') },
    });
    expect(firstText(abs)).toBe('# notes\n');
    const b64 = await client.callTool({
      name: 'read_file',
      arguments: { path: 'pixel.png', encoding: 'base64' },
    });
    expect(Buffer.from(firstText(b64), 'base64').subarray(0, 4).toString('hex')).toBe('89504e47');
  });

  it('write_file writes atomically inside the root and creates directories on request', async () => {
    const r = await client.callTool({
      name: 'write_file',
      arguments: { path: `out-${era}/report.txt`, content: 'written', create_dirs: true },
    });
    expect(r.isError).toBeFalsy();
    expect(readFileSync(join(sandbox.root, `out-${era}/report.txt`), 'utf8')).toBe('written');
    const noDirs = await client.callTool({
      name: 'write_file',
      arguments: { path: 'missing/x.txt', content: 'x' },
    });
    expect(noDirs.isError).toBe(true);
    expect(firstText(noDirs)).toMatch(/create_dirs/);
  });

  it('list_directory and search_files see the tree but do not follow escaping symlinks', async () => {
    const list = await client.callTool({ name: 'list_directory', arguments: { path: '.', recursive: true } });
    const entries = (list.structuredContent as { entries: { path: string; type: string }[] }).entries;
    expect(entries.map((e) => e.path)).toEqual(expect.arrayContaining(['hello.txt', 'sub', 'sub/notes.md']));
    expect(entries.find((e) => e.path === 'escape-dir')?.type).toBe('symlink');
    expect(entries.some((e) => e.path.startsWith('escape-dir/'))).toBe(false);
    const found = await client.callTool({
      name: 'search_files',
      arguments: { path: '.', pattern: '*.{md,json}' },
    });
    const matches = (found.structuredContent as { matches: { path: string }[] }).matches
      .map((m) => m.path)
      .sort();
    expect(matches).toEqual(['sub/data.json', 'sub/notes.md']);
  });

  it('execute_command runs an allowed program with literal arguments, no shell', async () => {
    const r = await client.callTool({
      name: 'execute_command',
      arguments: { command: 'echo', args: ['a; rm -rf / && $(whoami) `id` | cat > /tmp/pwned'] },
    });
    expect(r.isError).toBeFalsy();
    const outcome = r.structuredContent as { exitCode: number; stdout: string };
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toBe('a; rm -rf / && $(whoami) `id` | cat > /tmp/pwned\n');
  });

  it('system_info describes the host', async () => {
    const r = await client.callTool({ name: 'system_info', arguments: {} });
    const info = r.structuredContent as {
      server: { name: string; node: string };
      host: { cpuCount: number };
    };
    expect(info.server.node).toBe(process.version);
    expect(info.host.cpuCount).toBeGreaterThan(0);
  });

  it('reads every resource', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual([
      'config://server',
      'schema://clickhouse',
      'status://health',
    ]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
      'file:///{+path}',
      'schema://clickhouse/{table}',
    ]);
    const config = JSON.parse(
      ((await client.readResource({ uri: 'config://server' })).contents[0] as { text: string }).text,
    );
    expect(config.files.roots).toEqual([sandbox.root]);
    const health = JSON.parse(
      ((await client.readResource({ uri: 'status://health' })).contents[0] as { text: string }).text,
    );
    expect(health.status).toBe('healthy');
    expect(health.activeSessions).toBeGreaterThanOrEqual(1);
    const file = await client.readResource({ uri: `file://${join(sandbox.root, 'sub/data.json')}` });
    expect(file.contents[0]).toEqual(
      expect.objectContaining({ mimeType: 'application/json', text: '{"ok":true}\n' }),
    );
    const png = await client.readResource({ uri: `file://${join(sandbox.root, 'pixel.png')}` });
    expect(png.contents[0]).toEqual(
      expect.objectContaining({ mimeType: 'image/png', blob: expect.any(String) }),
    );
  });

  it('refuses file resources outside the roots with a protocol error', async () => {
    await expect(
      client.readResource({ uri: `file://${join(sandbox.outside, 'secret.txt')}` }),
    ).rejects.toThrow(/outside the allowed roots/);
    await expect(
      client.readResource({ uri: `file://${join(sandbox.root, 'nope.txt')}` }),
    ).rejects.toMatchObject({
      code: -32602,
      data: { uri: `file://${join(sandbox.root, 'nope.txt')}` },
    });
  });

  it('gets every prompt', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['code_review', 'debug_help', 'explain_code']);
    const review = await client.getPrompt({
      name: 'code_review',
      arguments: { code: 'let x = 1', language: 'ts' },
    });
    expect(review.messages[0]?.content).toEqual(
      expect.objectContaining({ type: 'text', text: expect.stringContaining('let x = 1') }),
    );
    const explain = await client.getPrompt({
      name: 'explain_code',
      arguments: { code: 'f()', detail_level: 'brief' },
    });
    expect(JSON.stringify(explain.messages)).toMatch(/three or four sentences/);
    const debug = await client.getPrompt({
      name: 'debug_help',
      arguments: { code: 'f()', error: 'TypeError: f is not a function' },
    });
    expect(JSON.stringify(debug.messages)).toMatch(/TypeError/);
  });

  describe('refuses what it must', () => {
    const denied = /outside the allowed roots\. Allowed roots: /;

    it.each([
      ['a .. path', '../outside/secret.txt'],
      ['an absolute path outside the roots', '/etc/passwd'],
      ['a symlink inside a root pointing outside', 'escape.txt'],
      ['a path through a symlinked directory', 'escape-dir/secret.txt'],
    ])('%s', async (_label, path) => {
      const r = await client.callTool({ name: 'read_file', arguments: { path } });
      expect(r.isError).toBe(true);
      expect(firstText(r)).toMatch(denied);
      expect(firstText(r)).toContain(sandbox.root);
      expect(firstText(r)).not.toMatch(/outside secret|sibling secret/);
    });

    it('a sibling directory whose name starts with the root name', async () => {
      const r = await client.callTool({
        name: 'read_file',
        arguments: { path: join(sandbox.sibling, 'secret.txt') },
      });
      expect(r.isError).toBe(true);
      expect(firstText(r)).toMatch(denied);
      const w = await client.callTool({
        name: 'write_file',
        arguments: { path: join(sandbox.sibling, 'x.txt'), content: 'x' },
      });
      expect(w.isError).toBe(true);
    });

    it('writing through a symlink that points outside', async () => {
      const r = await client.callTool({
        name: 'write_file',
        arguments: { path: 'escape.txt', content: 'overwritten' },
      });
      expect(r.isError).toBe(true);
      expect(readFileSync(join(sandbox.outside, 'secret.txt'), 'utf8')).toBe('outside secret');
    });

    it('NUL bytes in a path', async () => {
      const r = await client.callTool({ name: 'read_file', arguments: { path: 'hello.txt\u0000.png' } });
      expect(r.isError).toBe(true);
      expect(firstText(r)).toMatch(/NUL byte/);
    });

    it('oversized reads and writes, naming the limit', async () => {
      const r = await client.callTool({ name: 'read_file', arguments: { path: 'big.txt' } });
      expect(r.isError).toBe(true);
      expect(firstText(r)).toMatch(/4096 bytes, over the read limit of 1024 bytes/);
      const w = await client.callTool({
        name: 'write_file',
        arguments: { path: 'huge.txt', content: 'y'.repeat(5000) },
      });
      expect(w.isError).toBe(true);
      expect(firstText(w)).toMatch(/over the write limit of 2048 bytes/);
    });

    it('a command not on the allow list', async () => {
      const r = await client.callTool({
        name: 'execute_command',
        arguments: { command: 'rm', args: ['-rf', sandbox.root] },
      });
      expect(r.isError).toBe(true);
      expect(firstText(r)).toMatch(/"rm" is not on the allow list\. Allowed programs: echo, sleep/);
    });

    it('a shell command line in place of a program', async () => {
      const r = await client.callTool({
        name: 'execute_command',
        arguments: { command: 'echo hi; cat /etc/passwd' },
      });
      expect(r.isError).toBe(true);
      expect(firstText(r)).toMatch(/each argument as an element of "args"/);
    });

    it('a command that outlives its timeout', async () => {
      const r = await client.callTool({
        name: 'execute_command',
        arguments: { command: 'sleep', args: ['10'], timeout: 1 },
      });
      expect(r.isError).toBe(true);
      expect(firstText(r)).toMatch(/timed out/);
    });

    it('invalid tool arguments', async () => {
      const r = await client.callTool({ name: 'read_file', arguments: { encoding: 'utf-16' } });
      expect(r.isError).toBe(true);
      expect(firstText(r)).toMatch(/path/);
    });

    it('an unknown tool', async () => {
      const outcome = await client.callTool({ name: 'drop_database', arguments: {} }).then(
        (r) => ({ isError: r.isError, text: firstText(r) }),
        (e: Error) => ({ isError: true, text: e.message }),
      );
      expect(outcome.isError).toBe(true);
      expect(outcome.text).toMatch(/drop_database/);
    });

    it('an unknown prompt', async () => {
      await expect(client.getPrompt({ name: 'nope', arguments: {} })).rejects.toThrow(/nope/);
    });
  });
});
