import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { noopLogger } from '@tfo/domain';
import { loadConfig, type ServerConfig } from '@tfo/runtime';
import { openDataPlane } from './data-plane.js';
import { createDataPlane, createWriteGate, loadsDemoEstate } from './plane.js';

function configFrom(env: Record<string, string> = {}): ServerConfig {
  return loadConfig({ env, cwd: '/srv', homeDir: '/home/ops', readFile: () => undefined }).config;
}

describe('loadsDemoEstate', () => {
  it.each([
    ['embedded', {}, true],
    ['embedded', { TELEMETRYFLOW_MCP_POSTGRES_URL: 'postgres://db/x' }, false],
    ['embedded', { TELEMETRYFLOW_MCP_CLICKHOUSE_URL: 'http://ch:8123' }, false],
    ['always', { TELEMETRYFLOW_MCP_POSTGRES_URL: 'postgres://db/x' }, true],
    ['never', {}, false],
  ])('demo.load=%s with %j: %s', (load, env, expected) => {
    expect(loadsDemoEstate(configFrom({ TELEMETRYFLOW_MCP_DEMO_LOAD: load, ...env }))).toBe(expected);
  });
});

describe('createDataPlane', () => {
  it('builds an unstarted plane that waits to load the demo estate only when asked to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfo-plane-'));
    try {
      const seeded = createDataPlane(configFrom(), noopLogger, dir);
      const plain = createDataPlane(configFrom({ TELEMETRYFLOW_MCP_DEMO_LOAD: 'never' }), noopLogger, dir);
      expect(seeded.status().demo.state).toBe('waiting');
      expect(plain.status().demo.state).toBe('disabled');
      expect(seeded.status().postgres.state).toBe('starting');
      await Promise.all([seeded.close(), plain.close()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createWriteGate', () => {
  it('gives the write path on both engines only when writes are enabled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfo-plane-'));
    try {
      const plane = createDataPlane(configFrom(), noopLogger, dir);
      expect(createWriteGate(configFrom(), plane)).toBeUndefined();
      const gate = createWriteGate(configFrom({ TELEMETRYFLOW_MCP_SQL_ALLOW_WRITES: 'true' }), plane);
      expect(gate?.engines).toEqual(['postgresql', 'clickhouse']);
      await plane.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openDataPlane', () => {
  it('opens nothing when data.enabled is off', async () => {
    expect(
      await openDataPlane(configFrom({ TELEMETRYFLOW_MCP_DATA_ENABLED: 'false' }), noopLogger, '/nowhere'),
    ).toBeUndefined();
  });
});
