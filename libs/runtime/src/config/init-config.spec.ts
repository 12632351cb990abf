import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { z } from 'zod';
import { configKeys, type ConfigSpec } from './config-keys.js';
import { renderConfigYaml } from './init-config.js';
import { loadConfig } from './loader.js';
import { SERVER_CONFIG_SPEC, ServerConfigSchema } from './schema.js';

describe('renderConfigYaml', () => {
  const text = renderConfigYaml();

  it('parses back to the defaults, key for key', () => {
    const parsed = parse(text) as Record<string, Record<string, unknown>>;
    const defaults = ServerConfigSchema.parse({}) as Record<string, Record<string, unknown>>;
    for (const key of configKeys(SERVER_CONFIG_SPEC)) {
      expect(parsed[key.yamlSection]?.[key.yamlName]).toEqual(defaults[key.section]?.[key.name]);
    }
  });

  it('is accepted by the loader and yields the same configuration as no file at all', () => {
    const withFile = loadConfig({
      env: {},
      cwd: '/w',
      homeDir: '/h',
      readFile: (path) => (path === '/w/tfo-mcp.yaml' ? text : undefined),
    });
    const without = loadConfig({ env: {}, cwd: '/w', homeDir: '/h', readFile: () => undefined });
    expect(withFile.configFile).toBe('/w/tfo-mcp.yaml');
    expect(withFile.config).toEqual(without.config);
  });

  it('documents every key with its description, allowed values and environment variable', () => {
    for (const key of configKeys(SERVER_CONFIG_SPEC)) {
      expect(text).toContain(`  # ${key.description}\n  # Allowed: ${key.allowed}.\n`);
      expect(text).toContain(key.envVar);
    }
    expect(text).toContain(
      '  # Environment: TELEMETRYFLOW_MCP_LOGGING_LEVEL (or TELEMETRYFLOW_MCP_LOG_LEVEL)\n  level: info\n',
    );
    expect(text).toContain('  roots: ["."]\n');
    expect(text).toContain('  allow: []\n');
  });

  it('leaves optional keys without a default commented out', () => {
    const schema = z.object({
      llm: z
        .object({
          apiKey: z.string().optional().describe('Provider key.'),
          model: z.string().default('m').describe('Model.'),
        })
        .prefault({}),
    });
    const spec: ConfigSpec = {
      schema,
      envPrefix: 'T_',
      secretPaths: new Set(),
      envAliases: {},
      pathKeys: new Set(),
    };
    const rendered = renderConfigYaml(spec);
    expect(rendered).toContain('  # api_key:\n');
    expect(parse(rendered)).toEqual({ llm: { model: 'm' } });
  });
});
