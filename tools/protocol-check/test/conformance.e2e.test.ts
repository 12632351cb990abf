/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`, `server` mode, its
 * active scenarios) against the built HTTP server, with stateless sessions (the default) and
 * with stateful ones. The suite speaks Streamable HTTP only; the stdio server is checked by
 * the Inspector (inspector.e2e.test.ts).
 *
 * - Verdicts come from the `checks.json` the suite writes for each scenario (`--output-dir`),
 *   not from its printed text. A scenario fails when one of its checks is a FAILURE or a
 *   WARNING, as the suite's own baseline logic counts it.
 * - Many scenarios call fixtures of the suite's reference server (tools such as
 *   `test_simple_text`, prompts such as `test_simple_prompt`, resources under `test://`) or
 *   features the product does not declare. They are listed in EXPECTED_FAILURES with the
 *   reason, and each must fail with evidence of that reason. The test fails when any other
 *   scenario fails, when an expected failure fails for another reason, and when an expected
 *   failure passes (the list would no longer be true).
 * - The same list is the suite's `--expected-failures` baseline; its exit code must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFORMANCE_CLI,
  runTool,
  startHttpServer,
  tail,
  tempDir,
  TOOL_NODE,
  type HttpServer,
  type ToolRun,
} from './support.js';

/** Why a scenario fails against a product server, and what in its checks shows that reason. */
interface ExpectedFailure {
  reason: string;
  evidence: RegExp;
}

function fixtureTool(name: string): ExpectedFailure {
  return {
    reason: `calls the suite's fixture tool \`${name}\`, which only its reference server has`,
    evidence: new RegExp(`Tool ${name} not found`),
  };
}

function fixturePrompt(name: string): ExpectedFailure {
  return {
    reason: `gets the suite's fixture prompt \`${name}\`, which only its reference server has`,
    evidence: new RegExp(`Prompt ${name} not found`),
  };
}

function fixtureResource(uri: string): ExpectedFailure {
  return {
    reason: `reads the suite's fixture resource \`${uri}\`, which only its reference server has`,
    evidence: new RegExp(`Resource not found: ${uri.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
  };
}

/** The server declares no `resources.subscribe` capability: the method is rightly not found. */
const NO_SUBSCRIBE: ExpectedFailure = {
  reason:
    'subscribes to the fixture resource `test://watched-resource`; the server declares no ' +
    '`resources.subscribe` capability, so the method is not found, as specified',
  evidence: /-32601: Method not found/,
};

/** Scenarios that fail against the product whatever the session mode, and why. */
const EXPECTED_FAILURES: Record<string, ExpectedFailure> = {
  // The server declares no `completions` capability.
  'completion-complete': {
    reason:
      'completes an argument of the fixture prompt `test_prompt_with_arguments`; the server ' +
      'declares no `completions` capability, so `completion/complete` is not found, as specified',
    evidence: /-32601: Method not found/,
  },
  // Tool scenarios: each calls a fixture tool whose exact output the scenario checks.
  'tools-call-simple-text': fixtureTool('test_simple_text'),
  'tools-call-image': fixtureTool('test_image_content'),
  'tools-call-audio': fixtureTool('test_audio_content'),
  'tools-call-embedded-resource': fixtureTool('test_embedded_resource'),
  'tools-call-mixed-content': fixtureTool('test_multiple_content_types'),
  'tools-call-with-logging': fixtureTool('test_tool_with_logging'),
  'tools-call-error': fixtureTool('test_error_handling'),
  'tools-call-with-progress': fixtureTool('test_tool_with_progress'),
  'tools-call-sampling': fixtureTool('test_sampling'),
  'tools-call-elicitation': fixtureTool('test_elicitation'),
  'elicitation-sep1034-defaults': fixtureTool('test_elicitation_sep1034_defaults'),
  'elicitation-sep1330-enums': fixtureTool('test_elicitation_sep1330_enums'),
  // Resource scenarios that read fixed fixture URIs.
  'resources-read-text': fixtureResource('test://static-text'),
  'resources-read-binary': fixtureResource('test://static-binary'),
  'resources-templates-read': fixtureResource('test://template/123/data'),
  'resources-subscribe': NO_SUBSCRIBE,
  'resources-unsubscribe': NO_SUBSCRIBE,
  // Prompt scenarios that get fixture prompts.
  'prompts-get-simple': fixturePrompt('test_simple_prompt'),
  'prompts-get-with-args': fixturePrompt('test_prompt_with_arguments'),
  'prompts-get-embedded-resource': fixturePrompt('test_prompt_with_embedded_resource'),
  'prompts-get-with-image': fixturePrompt('test_prompt_with_image'),
};

/** Scenarios that fail only in one session mode, and why. */
const EXPECTED_FAILURES_BY_MODE: Record<'stateless' | 'stateful', Record<string, ExpectedFailure>> = {
  stateless: {
    // The scenario opens several streams within one session; a stateless server gives no
    // Mcp-Session-Id by design, and the suite reports that as a warning (a failure for its baseline).
    'server-sse-multiple-streams': {
      reason:
        'needs an Mcp-Session-Id to open several streams of one session; stateless sessions give none by design',
      evidence: /did not provide session ID/,
    },
  },
  stateful: {},
};

/** Scenarios any product server must pass: a run in which they did not pass proves nothing. */
const CORE_SCENARIOS = [
  'server-initialize',
  'ping',
  'logging-set-level',
  'tools-list',
  'resources-list',
  'prompts-list',
  'dns-rebinding-protection',
];

/** One check of a scenario, as the suite writes it. */
interface Check {
  id: string;
  status: string;
  errorMessage?: string;
  details?: unknown;
}

/** The checks of every scenario the suite ran, by scenario name. */
function readResults(outputDir: string, stdout: string): Map<string, Check[]> {
  // The summary names the scenarios run: "✓ ping: 1 passed, 0 failed".
  const scenarios = [...stdout.matchAll(/^[✓✗] (\S+): \d+ passed, \d+ failed$/gmu)].map((m) => m[1]!);
  const dirs = existsSync(outputDir) ? readdirSync(outputDir) : [];
  const results = new Map<string, Check[]>();
  for (const scenario of scenarios) {
    // Each run writes `server-<scenario>-<ISO timestamp with - for : and .>/checks.json`.
    const name = new RegExp(`^server-${scenario}-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z$`);
    const dir = dirs.find((entry) => name.test(entry));
    const file = dir === undefined ? undefined : join(outputDir, dir, 'checks.json');
    results.set(
      scenario,
      file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Check[]) : [],
    );
  }
  return results;
}

/** The checks that make a scenario fail, as text (status, message and details). */
function failures(checks: Check[]): string[] {
  return checks
    .filter((check) => check.status === 'FAILURE' || check.status === 'WARNING')
    .map(
      (check) =>
        `${check.id} ${check.status}: ${check.errorMessage ?? ''} ${JSON.stringify(check.details ?? {})}`,
    );
}

const describeWithTools = TOOL_NODE ? describe : describe.skip;

describeWithTools.each(['stateless', 'stateful'] as const)(
  'the MCP conformance suite, HTTP server with %s sessions',
  (mode) => {
    const expected = { ...EXPECTED_FAILURES, ...EXPECTED_FAILURES_BY_MODE[mode] };
    let server: HttpServer | undefined;
    let work: string;
    let run: ToolRun;
    let results: Map<string, Check[]>;

    beforeAll(async () => {
      server = await startHttpServer({ TELEMETRYFLOW_MCP_HTTP_SESSIONS: mode });
      work = tempDir('tfo-conformance-');
      const baseline = join(work, 'expected-failures.yml');
      writeFileSync(
        baseline,
        `server:\n${Object.keys(expected)
          .map((scenario) => `  - ${scenario}\n`)
          .join('')}`,
      );
      const outputDir = join(work, 'results');
      run = await runTool(
        CONFORMANCE_CLI,
        ['server', '--url', server.url, '--output-dir', outputDir, '--expected-failures', baseline],
        { home: work, timeoutMs: 240_000 },
      );
      results = readResults(outputDir, run.stdout);
    }, 300_000);

    afterAll(async () => {
      await server?.stop();
      if (server) rmSync(server.base, { recursive: true, force: true });
      if (work) rmSync(work, { recursive: true, force: true });
    }, 60_000);

    it('runs the active scenarios and records the checks of each', () => {
      expect([run.timedOut, run.signal]).toEqual([false, null]);
      const empty = [...results].filter(([, checks]) => checks.length === 0).map(([scenario]) => scenario);
      expect({ empty, output: empty.length === 0 ? '' : tail(run.stdout + run.stderr) }).toEqual({
        empty: [],
        output: '',
      });
      expect([...results.keys()]).toEqual(expect.arrayContaining(CORE_SCENARIOS));
    });

    it('passes every scenario that applies to a product server', () => {
      const unexpected = [...results]
        .filter(([scenario, checks]) => !(scenario in expected) && failures(checks).length > 0)
        .map(([scenario, checks]) => ({ scenario, failures: failures(checks) }));
      expect(unexpected).toEqual([]);
      const passed = [...results]
        .filter(([, checks]) => failures(checks).length === 0)
        .map(([scenario]) => scenario);
      expect(passed).toEqual(expect.arrayContaining(CORE_SCENARIOS));
    });

    it('fails each expected failure, for the reason given', () => {
      const untrue = Object.entries(expected).flatMap(([scenario, { reason, evidence }]) => {
        const checks = results.get(scenario);
        if (!checks) return [{ scenario, reason, found: 'the suite no longer runs this scenario' }];
        const failed = failures(checks);
        if (failed.length === 0) return [{ scenario, reason, found: 'it passes: remove it from the list' }];
        return failed.some((text) => evidence.test(text))
          ? []
          : [{ scenario, reason, found: failed.join('\n') }];
      });
      expect(untrue).toEqual([]);
    });

    it("agrees with the suite's own verdict under the same baseline", () => {
      // On a disagreement, the suite's summary and its verdict on the baseline say which scenario.
      const verdict = run.stdout.slice(Math.max(0, run.stdout.lastIndexOf('=== SUMMARY ===')));
      expect({ code: run.code, output: run.code === 0 ? '' : verdict + tail(run.stderr) }).toEqual({
        code: 0,
        output: '',
      });
    });
  },
);
