/**
 * The libraries TFO-Platform consumes, installed the way it installs them: `npm pack`
 * turns @tfo/domain, @tfo/context-collector and @tfo/prompt-builder into tarballs, npm
 * installs them by name into a throw-away package outside the repository, and a plain
 * Node process there (no custom conditions, no TypeScript) collects contexts through its
 * own SqlDatasource objects and builds prompts from them, as a platform service does.
 *
 * Invariants:
 * - Nothing resolves into the repository: the packages are real directories in the
 *   throw-away package's node_modules, every lock entry points at the packed tarballs, and
 *   `import.meta.resolve` lands on their `dist`.
 * - The install is `--offline`: the packed libraries depend on nothing but each other, so
 *   the registry is never asked, and a missing tarball fails instead of quietly taking a
 *   package of the same name from the registry. A third-party dependency added to one of
 *   them needs `--prefer-offline` here instead.
 * - One pack and one install per run (beforeAll); the temp directory is removed afterwards.
 *
 * Decisions: the child processes get the environment without npm's lifecycle variables
 * (set when this runs under `npm test`) and without NODE_OPTIONS, so neither npm nor Node
 * inherits anything that ties it to the repository or adds resolution conditions. The
 * datasources answer fixed rows for the metric rollups and no rows otherwise: this test
 * is about packaging; the collector's queries meet real engines in its integration tests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** The packed libraries; @tfo/domain is the only dependency of the other two. */
const LIBS = [
  { name: '@tfo/domain', dir: 'libs/domain' },
  { name: '@tfo/context-collector', dir: 'libs/context-collector' },
  { name: '@tfo/prompt-builder', dir: 'libs/prompt-builder' },
] as const;

const ORG = '6f1e2d3c-0000-4000-8000-000000000001';

/** What a platform service does with the installed packages; prints one JSON line. */
const CONSUMER = `
import { fileURLToPath } from 'node:url';
import { ContextCollector } from '@tfo/context-collector';
import { PromptBuilder } from '@tfo/prompt-builder';
import { ValidationError } from '@tfo/domain';

const ORG = '${ORG}';
const RANGE = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z' };
const METRIC_ROWS = [
  { service_name: 'checkout', metric_name: 'http.server.duration', current: 1, avg: 120, min: 80, max: 900, peak_at: '2026-01-01 00:42:00', samples: 60 },
  { service_name: 'checkout', metric_name: 'http.server.duration', current: 0, avg: 100, min: 70, max: 200, peak_at: '2025-12-31 23:30:00', samples: 60 },
];

const queries = [];
// The platform's own datasources behind the SqlDatasource port.
function datasource(engine) {
  return {
    engine,
    async query(sql, options = {}) {
      const params = options.params ?? {};
      const org = Array.isArray(params) ? params[0] : params.org;
      const table = /\\bFROM (metrics_\\w+)/.exec(sql)?.[1] ?? null;
      queries.push({ engine, org, table });
      const rows = engine === 'clickhouse' && table !== null ? METRIC_ROWS : [];
      return { columns: [], rows, rowCount: rows.length, durationMs: 1 };
    },
    async ping() { return true; },
    async close() {},
  };
}

const collector = new ContextCollector({ postgres: datasource('postgresql'), clickhouse: datasource('clickhouse'), deadlineMs: 5000 });
const metrics = await collector.collectContext({ organizationId: ORG, contextType: 'metrics', timeRange: RANGE });
const unknown = await collector.collectContext({ organizationId: ORG, contextType: 'no-such-type', timeRange: RANGE });

const prompts = new PromptBuilder();
const system = prompts.buildSystemPrompt(metrics.type);
const insight = prompts.buildInsightPrompt('root-cause', metrics);
const unknownPrompt = prompts.buildContextPrompt(unknown);
let insightError = null;
try {
  prompts.buildInsightPrompt('no-such-insight', metrics);
} catch (error) {
  insightError = { sharedDomain: error instanceof ValidationError, message: String(error.message) };
}

const resolved = {};
for (const name of ['@tfo/domain', '@tfo/context-collector', '@tfo/prompt-builder']) {
  resolved[name] = fileURLToPath(import.meta.resolve(name));
}
console.log(JSON.stringify({ execArgv: process.execArgv, resolved, queries, metrics, unknown, system, insight, unknownPrompt, insightError }));
`;

interface ConsumerResult {
  execArgv: string[];
  resolved: Record<string, string>;
  queries: { engine: string; org: unknown; table: string | null }[];
  metrics: { type: string; summary: string; data: Record<string, unknown> };
  unknown: { type: string; summary: string; data: Record<string, unknown> };
  system: string;
  insight: string;
  unknownPrompt: string;
  insightError: { sharedDomain: boolean; message: string } | null;
}

/** The parent environment minus npm's lifecycle variables and NODE_OPTIONS. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(config_local_prefix|package_|lifecycle_)/i.test(key) || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return env;
}

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, {
    cwd,
    env: childEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('the platform libraries installed from their tarballs', () => {
  let work = '';
  let app = '';
  const tarballs = new Map<string, string>();
  let result: ConsumerResult;

  beforeAll(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'tfo-consumer-')));
    const packs = join(work, 'tarballs');
    app = join(work, 'app');
    mkdirSync(packs);
    mkdirSync(app);

    for (const lib of LIBS) {
      const out = run(
        'npm',
        ['pack', '--json', '--ignore-scripts', '--pack-destination', packs],
        resolve(ROOT, lib.dir),
      );
      const [packed] = JSON.parse(out) as { name: string; filename: string }[];
      expect(packed?.name).toBe(lib.name);
      tarballs.set(lib.name, packed!.filename);
    }

    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'tfo-platform-consumer', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
    copyFileSync(resolve(ROOT, '.npmrc'), join(app, '.npmrc'));
    writeFileSync(join(app, 'consumer.js'), CONSUMER);
    run(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        ...LIBS.map((lib) => `../tarballs/${tarballs.get(lib.name)!}`),
      ],
      app,
    );

    const out = run(process.execPath, ['consumer.js'], app);
    result = JSON.parse(out.trim().split('\n').pop()!) as ConsumerResult;
  }, 180_000);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('works in a package outside the repository', () => {
    expect(work.startsWith(ROOT + sep)).toBe(false);
    expect(existsSync(join(app, 'node_modules'))).toBe(true);
  });

  it.each(LIBS.map((lib) => lib.name))('installs %s from its tarball as a real directory', (name) => {
    const dir = join(app, 'node_modules', ...name.split('/'));
    const stat = lstatSync(dir);
    expect(stat.isSymbolicLink()).toBe(false);
    expect(stat.isDirectory()).toBe(true);
    expect(realpathSync(dir)).toBe(dir);
    expect(existsSync(join(dir, 'dist', 'index.js'))).toBe(true);

    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; link?: boolean }>;
    };
    const entry = lock.packages[`node_modules/${name}`];
    expect(entry?.link).toBeUndefined();
    expect(entry?.resolved).toBe(`file:../tarballs/${tarballs.get(name)!}`);
    // One @tfo/domain for all: no package carries a copy of its own.
    expect(Object.keys(lock.packages).filter((key) => key.endsWith('/node_modules/@tfo/domain'))).toEqual([]);
  });

  it('resolves every package by name to its installed dist, with no custom conditions', () => {
    expect(result.execArgv).toEqual([]);
    for (const lib of LIBS) {
      const path = result.resolved[lib.name]!;
      expect(path).toBe(join(app, 'node_modules', ...lib.name.split('/'), 'dist', 'index.js'));
      expect(path.startsWith(ROOT + sep)).toBe(false);
    }
  });

  it('collects a metrics context from the consumer’s own datasources, scoped to its organization', () => {
    expect(result.metrics.type).toBe('metrics');
    expect(result.metrics.summary.startsWith('[SYSTEM]')).toBe(false);
    expect(result.metrics.summary).toContain('checkout');
    expect(result.metrics.summary).toContain('900');
    expect(result.metrics.data['series']).toEqual([
      expect.objectContaining({ service_name: 'checkout', metric_name: 'http.server.duration', max: 900 }),
    ]);
    expect(result.metrics.data['spikes']).toHaveLength(1);
    expect(result.queries.length).toBeGreaterThan(0);
    expect(result.queries.filter((q) => q.table !== null).map((q) => q.engine)).toContain('clickhouse');
    expect(result.queries.filter((q) => q.org !== ORG)).toEqual([]);
  });

  it('answers an unknown context type with a [SYSTEM] context instead of throwing', () => {
    expect(result.unknown.type).toBe('no-such-type');
    expect(result.unknown.summary).toMatch(
      /^\[SYSTEM\] no-such-type data is unavailable: unknown context type/,
    );
    expect(result.unknownPrompt).toContain('[SYSTEM]');
  });

  it('builds the system and insight prompts for the collected context', () => {
    expect(result.system).toContain('IMPORTANT INSTRUCTIONS');
    expect(result.insight).toContain('root cause');
    expect(result.insight).toMatch(/Summary[\s\S]*Evidence[\s\S]*Analysis[\s\S]*Next steps/);
    expect(result.insight).toContain('<<<TELEMETRY_DATA');
    expect(result.insight).toContain('http.server.duration');
  });

  it('shares one @tfo/domain between the packages: their errors are the consumer’s ValidationError', () => {
    expect(result.insightError).toEqual({
      sharedDomain: true,
      message: expect.stringContaining('root-cause'),
    });
  });
});
