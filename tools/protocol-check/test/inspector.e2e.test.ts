/**
 * The MCP Inspector's command-line client (`@modelcontextprotocol/inspector --cli`) against the
 * built stdio and HTTP servers: it lists the tools with `--strict` (no tool-schema portability
 * problem, error or warning) in both protocol eras, calls `echo`, lists resources and prompts,
 * and exits 0 with one JSON object on stdout (`--format json`). A tool failure exits 5 with the
 * failure as the result, which shows the checks can tell the two apart.
 *
 * - Each CLI run is one client process; over stdio it also starts the server it talks to
 *   (its environment passed with `-e`). Over HTTP one server serves every run of the file.
 * - The runs of a transport start in beforeAll, two at a time (CI machines have two cores),
 *   and each test awaits its own run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import {
  INSPECTOR_CLI,
  limiter,
  runTool,
  serverEnv,
  startHttpServer,
  STDIO_MAIN,
  tail,
  tempDir,
  TOOL_NODE,
  type ToolRun,
} from './support.js';

/** Tools both servers offer with the engines off. */
const CORE_TOOLS = [
  'echo',
  'read_file',
  'write_file',
  'list_directory',
  'search_files',
  'execute_command',
  'system_info',
  'list_context_types',
  'build_system_prompt',
];

/** The model tools: offered by a server given the `llm` settings, which the stdio server always is. */
const MODEL_TOOLS = ['list_models', 'claude_conversation'];

/** A message with characters that quoting and encoding get wrong. */
const MESSAGE = 'inspected ✓ "quoted" <tag> $HOME';

/** The CLI runs of each transport, by name: the method and its options. */
const CALLS = {
  toolsList: ['--strict', '--method', 'tools/list'],
  toolsListModern: ['--strict', '--protocol-era', 'modern', '--method', 'tools/list'],
  echo: [
    '--method',
    'tools/call',
    '--tool-name',
    'echo',
    '--tool-args-json',
    JSON.stringify({ message: MESSAGE }),
  ],
  outsideRoots: [
    '--method',
    'tools/call',
    '--tool-name',
    'read_file',
    '--tool-args-json',
    JSON.stringify({ path: '/etc/passwd' }),
  ],
  resourcesList: ['--method', 'resources/list'],
  promptsList: ['--method', 'prompts/list'],
} satisfies Record<string, string[]>;

type CallName = keyof typeof CALLS;

/** How the CLI reaches a server, and what that server offers. */
interface Target {
  /** The CLI's transport options and target, after the method options. */
  args: string[];
  tools: string[];
  /** The server's log, for failure messages (stdio servers log to the CLI's stderr). */
  log(): string;
  close(): Promise<void>;
}

const TRANSPORTS: Record<'stdio' | 'http', () => Promise<Target>> = {
  async stdio() {
    const base = tempDir('tfo-protocol-stdio-');
    const env = Object.entries(serverEnv(base)).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    return {
      args: [...env, '--cwd', base, '--transport', 'stdio', process.execPath, STDIO_MAIN],
      tools: [...CORE_TOOLS, ...MODEL_TOOLS],
      log: () => '',
      close: async () => rmSync(base, { recursive: true, force: true }),
    };
  },
  async http() {
    const server = await startHttpServer();
    return {
      args: ['--transport', 'http', '--server-url', server.url],
      tools: CORE_TOOLS,
      log: () => server.stderr(),
      async close() {
        await server.stop();
        rmSync(server.base, { recursive: true, force: true });
      },
    };
  },
};

/** The `result` of the JSON object the CLI printed. */
function resultOf<T>(run: ToolRun): T {
  return (JSON.parse(run.stdout) as { result: T }).result;
}

interface Tool {
  name: string;
  description?: string;
  inputSchema?: { type?: string };
}

const describeWithTools = TOOL_NODE ? describe : describe.skip;

describeWithTools.each(['stdio', 'http'] as const)(
  'the MCP Inspector CLI against the %s server',
  (transport) => {
    let target: Target | undefined;
    let home: string;
    const runs = new Map<CallName, Promise<ToolRun>>();

    /** The run named `name`, which must have exited with `code` (the log is shown otherwise). */
    async function ran(name: CallName, code = 0): Promise<ToolRun> {
      const run = await runs.get(name)!;
      const log = run.code === code ? '' : tail(run.stderr) + tail(target?.log() ?? '');
      expect({ code: run.code, timedOut: run.timedOut, log }).toEqual({ code, timedOut: false, log: '' });
      return run;
    }

    beforeAll(async () => {
      target = await TRANSPORTS[transport]();
      // The CLI keeps a catalog and settings under its home: a temporary one.
      home = tempDir('tfo-inspector-');
      const twoAtATime = limiter(2);
      for (const [name, options] of Object.entries(CALLS) as [CallName, string[]][]) {
        const args = ['--cli', '--format', 'json', ...options, ...target.args];
        runs.set(
          name,
          twoAtATime(() => runTool(INSPECTOR_CLI, args, { home, timeoutMs: 120_000 })),
        );
      }
    }, 120_000);

    afterAll(async () => {
      await Promise.allSettled(runs.values());
      await target?.close();
      if (home) rmSync(home, { recursive: true, force: true });
    }, 60_000);

    it('lists the tools, and --strict finds no schema portability problem', async () => {
      const run = await ran('toolsList');
      const envelope = JSON.parse(run.stdout) as { result: { tools: Tool[] }; schemaFindings?: unknown };
      expect(envelope.schemaFindings).toBeUndefined();
      const { tools } = envelope.result;
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(target!.tools));
      for (const tool of tools) {
        expect([tool.name, tool.inputSchema?.type, (tool.description?.length ?? 0) > 0]).toEqual([
          tool.name,
          'object',
          true,
        ]);
      }
    }, 180_000);

    it('lists the same tools on the 2026-07-28 protocol revision, also without a --strict finding', async () => {
      const legacy = resultOf<{ tools: Tool[] }>(await ran('toolsList'));
      const run = await ran('toolsListModern');
      expect((JSON.parse(run.stdout) as { schemaFindings?: unknown }).schemaFindings).toBeUndefined();
      const modern = resultOf<{ tools: Tool[] }>(run);
      expect(modern.tools.map((tool) => tool.name).sort()).toEqual(
        legacy.tools.map((tool) => tool.name).sort(),
      );
    }, 180_000);

    it('calls echo with an argument and gets it back unchanged', async () => {
      const result = resultOf<{ content: { type: string; text?: string }[]; isError?: boolean }>(
        await ran('echo'),
      );
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: 'text', text: MESSAGE }]);
    }, 180_000);

    it('reports a tool failure as a result, with the exit code for a tool error', async () => {
      const run = await ran('outsideRoots', 5);
      const result = resultOf<{ isError?: boolean; structuredContent?: { error?: { code?: string } } }>(run);
      expect(result.isError).toBe(true);
      expect(result.structuredContent?.error?.code).toBe('PERMISSION.DENIED');
    }, 180_000);

    it('lists the resources', async () => {
      const { resources } = resultOf<{ resources: { uri: string; name: string }[] }>(
        await ran('resourcesList'),
      );
      expect(resources.map((resource) => resource.uri)).toEqual(
        expect.arrayContaining(['config://server', 'status://health']),
      );
    }, 180_000);

    it('lists the prompts', async () => {
      const { prompts } = resultOf<{ prompts: { name: string; description?: string }[] }>(
        await ran('promptsList'),
      );
      expect(prompts.map((prompt) => prompt.name)).toEqual(
        expect.arrayContaining(['code_review', 'explain_code']),
      );
      for (const prompt of prompts)
        expect([prompt.name, (prompt.description?.length ?? 0) > 0]).toEqual([prompt.name, true]);
    }, 180_000);
  },
);
