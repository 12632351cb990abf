import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@tfo/domain';
import { renderConfigYaml, renderHelp } from '@tfo/runtime';
import { runCli, type CliHost, type CliProgram, type ServeInputs } from './cli.js';

/** A program whose output is recorded and whose serve records what it was given. */
function program(overrides: Partial<CliProgram> = {}) {
  const lines: string[] = [];
  const errors: string[] = [];
  const served: ServeInputs[] = [];
  const definition: CliProgram = {
    name: 'tfo-test',
    version: '9.8.7',
    serve: async (inputs) => {
      served.push(inputs);
    },
    output: { line: (text) => lines.push(text), error: (text) => errors.push(text) },
    ...overrides,
  };
  return { definition, lines, errors, served };
}

describe('runCli', () => {
  let dir: string;
  let host: CliHost;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfo-app-shell-'));
    host = {
      env: { TELEMETRYFLOW_MCP_LOG_LEVEL: 'fatal' },
      cwd: dir,
      homeDir: dir,
      runningAsRoot: false,
      nodeVersion: 'v0.0.0-test',
    };
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the version and the help of the program', async () => {
    const p = program();
    expect(await runCli(p.definition, ['--version'], host)).toBe(0);
    expect(await runCli(p.definition, ['--help'], host)).toBe(0);
    expect(p.lines).toEqual(['9.8.7', renderHelp('tfo-test')]);
    const own = program({ help: 'Usage: own help' });
    await runCli(own.definition, ['-h'], host);
    expect(own.lines).toEqual(['Usage: own help']);
  });

  it('writes the commented configuration to the output, or to a file relative to the working directory', async () => {
    const p = program();
    expect(await runCli(p.definition, ['init-config'], host)).toBe(0);
    expect(p.lines).toEqual([renderConfigYaml()]);
    expect(await runCli(p.definition, ['init-config', '-o', 'tfo-mcp.yaml'], host)).toBe(0);
    const target = join(dir, 'tfo-mcp.yaml');
    expect(readFileSync(target, 'utf8')).toBe(renderConfigYaml());
    expect(p.lines[1]).toBe(`Wrote ${target}`);
  });

  it('keeps an existing file unless --force is given', async () => {
    const target = join(dir, 'existing.yaml');
    writeFileSync(target, 'mine\n');
    const p = program();
    expect(await runCli(p.definition, ['init-config', '-o', target], host)).toBe(1);
    expect(p.errors).toEqual([`${target} already exists; pass --force to overwrite it`]);
    expect(readFileSync(target, 'utf8')).toBe('mine\n');
    expect(await runCli(p.definition, ['init-config', '-o', target, '--force'], host)).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(renderConfigYaml());
  });

  it('validates the configuration, naming the file it came from', async () => {
    const p = program();
    expect(await runCli(p.definition, ['validate'], host)).toBe(0);
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'server:\n  name: from-file\n');
    expect(await runCli(p.definition, ['validate', '--config', file], host)).toBe(0);
    expect(p.lines).toEqual([
      'Configuration is valid (no file; environment and defaults)',
      `Configuration is valid (file: ${file})`,
    ]);
  });

  it('reports the adjusted configuration with secrets redacted in info', async () => {
    const p = program({
      adjustConfig: (config) => ({ ...config, server: { ...config.server, transport: 'http' } }),
    });
    host = {
      ...host,
      env: { ...host.env, TELEMETRYFLOW_MCP_POSTGRES_URL: 'postgres://u:hunter2@db:5432/x' },
    };
    expect(await runCli(p.definition, ['info'], host)).toBe(0);
    const info = JSON.parse(p.lines[0] ?? '') as {
      name: string;
      version: string;
      node: string;
      configFile: string | null;
      config: { server: { transport: string }; postgres: { url: string } };
    };
    expect(info).toMatchObject({ version: '9.8.7', node: 'v0.0.0-test', configFile: null });
    expect(info.config.server.transport).toBe('http');
    expect(p.lines[0]).not.toContain('hunter2');
  });

  it('serves with the adjusted configuration, the child environment and the data directory', async () => {
    const p = program({
      adjustConfig: (config) => ({ ...config, server: { ...config.server, transport: 'http' } }),
    });
    host = {
      ...host,
      env: { ...host.env, PATH: '/bin', OPENAI_API_KEY: 'sk-secret', XDG_DATA_HOME: join(dir, 'xdg') },
    };
    expect(await runCli(p.definition, [], host)).toBeUndefined();
    expect(p.served).toHaveLength(1);
    const [inputs] = p.served;
    expect(inputs?.config.server.transport).toBe('http');
    expect(inputs?.version).toBe('9.8.7');
    expect(inputs?.childEnv).toEqual({ PATH: '/bin' });
    expect(inputs?.dataDir).toBe(join(dir, 'xdg', 'tfo-mcp'));
    expect(inputs?.configFile).toBeUndefined();
    expect(JSON.stringify(inputs?.redactedConfig())).not.toContain('sk-secret');
  });

  it.each([['validate'], ['info'], ['serve']])(
    'stops %s with exit code 2 on a bad model setting, before serving',
    async (command) => {
      const p = program();
      host = { ...host, env: { ...host.env, TELEMETRYFLOW_MCP_LLM_DEFAULT_MODEL: 'no-such-model' } };
      expect(await runCli(p.definition, [command], host)).toBe(2);
      expect(p.served).toHaveLength(0);
      expect(p.lines).toEqual([]);
      expect(p.errors).toHaveLength(1);
      expect(p.errors[0]).toMatch(
        /^tfo-test: configuration error\nLLM setting defaultModel: .*no-such-model/,
      );
    },
  );

  it('answers a bad value or command line with exit code 2', async () => {
    const p = program();
    expect(await runCli(p.definition, ['nonsense'], host)).toBe(2);
    host = { ...host, env: { ...host.env, TELEMETRYFLOW_MCP_SQL_MAX_ROWS: 'many' } };
    expect(await runCli(p.definition, ['validate'], host)).toBe(2);
    expect(p.errors[0]).toMatch(/^tfo-test: configuration error\n.*Unknown command "nonsense"/);
    expect(p.errors[1]).toMatch(/TELEMETRYFLOW_MCP_SQL_MAX_ROWS/);
  });

  it('answers a configuration error of serve with exit code 2 and rethrows any other error', async () => {
    const refused = program({
      serve: async () => {
        throw new ConfigurationError('Cannot listen on 127.0.0.1:1: the port is already in use');
      },
    });
    expect(await runCli(refused.definition, [], host)).toBe(2);
    expect(refused.errors).toEqual([
      'tfo-test: configuration error\nCannot listen on 127.0.0.1:1: the port is already in use',
    ]);
    const broken = program({
      serve: async () => {
        throw new Error('boom');
      },
    });
    await expect(runCli(broken.definition, [], host)).rejects.toThrow('boom');
  });
});
