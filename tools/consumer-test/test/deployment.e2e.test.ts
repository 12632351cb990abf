/**
 * The container artifacts a deployer receives: the compose file and the Dockerfiles name only
 * configuration the server knows (a misspelt variable would be refused at start), wire the
 * HTTP server to healthy PostgreSQL and ClickHouse servers, keep secrets out of the file, and
 * start the entry points the build produces. Where a Docker CLI with compose is present,
 * `docker compose config` validates the file too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { configKeys, SERVER_CONFIG_SPEC } from '@tfo/runtime';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../../..');
const DOCKER = join(ROOT, 'docker');
const KNOWN = new Set(configKeys(SERVER_CONFIG_SPEC).flatMap((key) => [key.envVar, ...key.envAliases]));

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
  ports?: string[];
}

const compose = parse(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};

function dockerfileEnv(file: string): string[] {
  const text = readFileSync(join(DOCKER, file), 'utf8').replace(/\\\n/g, ' ');
  return [...text.matchAll(/\b(TELEMETRYFLOW_MCP_[A-Z0-9_]+)=/g)].map((m) => m[1]!);
}

describe('docker/compose.yaml', () => {
  it('runs the HTTP server with PostgreSQL and ClickHouse servers, started once they are healthy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['clickhouse', 'mcp-http', 'postgres']);
    const app = compose.services['mcp-http']!;
    expect(app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      clickhouse: { condition: 'service_healthy' },
    });
    for (const service of Object.values(compose.services)) expect(service.healthcheck).toBeDefined();
    expect(app.environment?.['TELEMETRYFLOW_MCP_POSTGRES_URL']).toMatch(/@postgres:5432\//);
    expect(app.environment?.['TELEMETRYFLOW_MCP_CLICKHOUSE_URL']).toBe('http://clickhouse:8123');
    expect(existsSync(join(DOCKER, app.build!.context, app.build!.dockerfile))).toBe(true);
  });

  it('names only configuration the server knows, and no secret value', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (name === 'mcp-http') expect([variable, KNOWN.has(variable)]).toEqual([variable, true]);
        // Secrets are interpolated from the deployer's environment, never written here.
        if (/(PASSWORD|_API_KEY)$/.test(variable)) expect(String(value)).toMatch(/\$\{[A-Z_]+/);
      }
    }
  });

  it('is valid for docker compose where the CLI has compose', () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status !== 0) return; // No compose CLI on this machine: the structural checks above stand.
    const result = spawnSync('docker', ['compose', '-f', join(DOCKER, 'compose.yaml'), 'config', '--quiet'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        TFO_POSTGRES_PASSWORD: 'x',
        TFO_POSTGRES_READONLY_PASSWORD: 'x',
        TFO_CLICKHOUSE_PASSWORD: 'x',
      },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the Dockerfiles', () => {
  it.each(['mcp-stdio', 'mcp-http'])(
    '%s sets only known variables and starts the built entry point',
    (app) => {
      const file = `${app}.Dockerfile`;
      for (const variable of dockerfileEnv(file))
        expect([variable, KNOWN.has(variable)]).toEqual([variable, true]);
      const entry = readFileSync(join(DOCKER, file), 'utf8').match(
        /ENTRYPOINT \["node", "\/app\/(.+?)"\]/,
      )?.[1];
      expect(entry).toBe(`apps/${app}/dist/main.js`);
      expect(existsSync(join(ROOT, entry!))).toBe(true);
    },
  );
});
