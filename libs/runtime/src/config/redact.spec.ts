import { describe, expect, it } from '@jest/globals';
import type { ConfigurationError } from '@tfo/domain';
import { z } from 'zod';
import { configKeys, type ConfigSpec } from './config-keys.js';
import { loadConfigWithSpec } from './loader.js';
import { redactConfig, redactText, redactUrlCredentials, secretValues } from './redact.js';

/** A schema with secrets, standing in for the provider and database sections to come. */
const SyntheticSchema = z.object({
  llm: z
    .object({
      apiKey: z.string().min(20).optional().describe('Provider API key.'),
      maxTokens: z.number().int().default(1024).describe('Token budget per answer.'),
      model: z.string().default('claude').describe('Model id.'),
    })
    .prefault({}),
  postgres: z
    .object({
      url: z.string().default('').describe('Connection string.'),
      pepper: z.string().default('').describe('Pepper mixed into key hashes.'),
      schemas: z
        .array(z.string())
        .default(() => ['public'])
        .describe('Schemas to expose.'),
    })
    .prefault({}),
});

const SPEC: ConfigSpec<typeof SyntheticSchema> = {
  schema: SyntheticSchema,
  envPrefix: 'TEST_',
  secretPaths: new Set(['postgres.pepper']),
  envAliases: { TEST_API_KEY: 'llm.apiKey' },
  pathKeys: new Set(),
};

const CONFIG = {
  llm: { apiKey: 'sk-live-0123456789abcdef', maxTokens: 2048, model: 'claude' },
  postgres: {
    url: 'postgres://app:s3cr%40t@db.internal:5432/tfo?sslmode=require',
    pepper: 'salty',
    schemas: ['public'],
  },
};

describe('redactConfig', () => {
  it('hides secret values by name and by path, and only the credentials of URLs', () => {
    expect(redactConfig(CONFIG, SPEC.secretPaths)).toEqual({
      llm: { apiKey: '[REDACTED]', maxTokens: 2048, model: 'claude' },
      postgres: {
        url: 'postgres://app:[REDACTED]@db.internal:5432/tfo?sslmode=require',
        pepper: '[REDACTED]',
        schemas: ['public'],
      },
    });
  });

  it('returns a deep copy and leaves the input alone', () => {
    const copy = redactConfig(CONFIG, SPEC.secretPaths);
    expect(copy).not.toBe(CONFIG);
    expect(copy.postgres.schemas).not.toBe(CONFIG.postgres.schemas);
    expect(CONFIG.llm.apiKey).toBe('sk-live-0123456789abcdef');
  });

  it('shows unset secrets as unset', () => {
    expect(redactConfig({ llm: { apiKey: undefined, token: '' } })).toEqual({
      llm: { apiKey: undefined, token: '' },
    });
  });

  it('agrees with the key metadata about which keys are secret', () => {
    const secret = configKeys(SPEC)
      .filter((key) => key.secret)
      .map((key) => key.path);
    expect(secret).toEqual(['llm.apiKey', 'postgres.url', 'postgres.pepper']);
  });

  it('leaves the server configuration, which has no secrets yet, unchanged', () => {
    const config = { server: { name: 'x', port: 1 }, files: { roots: ['/a'] } };
    expect(redactConfig(config)).toEqual(config);
  });
});

describe('redactUrlCredentials', () => {
  it.each([
    ['postgres://app:pw@db:5432/tfo', 'postgres://app:[REDACTED]@db:5432/tfo'],
    ['https://ghp_TOKEN@github.com/org/repo', 'https://[REDACTED]@github.com/org/repo'],
    ['clickhouse://u:p@ss@ch:8123', 'clickhouse://u:[REDACTED]@ch:8123'],
    [
      'connect failed: http://u:p@h1/x and http://h2/y',
      'connect failed: http://u:[REDACTED]@h1/x and http://h2/y',
    ],
    [
      'https://api.example.com/v1?api_key=abc&limit=5',
      'https://api.example.com/v1?api_key=[REDACTED]&limit=5',
    ],
    ['no urls here', 'no urls here'],
  ])('%s', (input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });
});

describe('redactText and secretValues', () => {
  it('removes every known secret from a message', () => {
    const secrets = secretValues(CONFIG, SPEC.secretPaths);
    expect(secrets).toEqual(
      expect.arrayContaining(['sk-live-0123456789abcdef', 'salty', 's3cr%40t', 's3cr@t']),
    );
    expect(secrets).not.toContain('claude');
    expect(
      redactText('auth failed for sk-live-0123456789abcdef (pepper salty, password s3cr@t)', secrets),
    ).toBe('auth failed for [REDACTED] (pepper [REDACTED], password [REDACTED])');
  });

  it('also hides URL credentials and ignores empty secrets', () => {
    expect(redactText('dial postgres://a:b@h failed', [''])).toBe('dial postgres://a:[REDACTED]@h failed');
  });
});

describe('secrets in configuration errors', () => {
  function loadError(env: Record<string, string>, file?: string): ConfigurationError {
    try {
      loadConfigWithSpec(SPEC, {
        env,
        cwd: '/w',
        homeDir: '/h',
        readFile: (path) => (path === '/w/tfo-mcp.yaml' ? file : undefined),
      });
    } catch (error) {
      return error as ConfigurationError;
    }
    throw new Error('expected an error');
  }

  it('never prints a bad secret value from the environment', () => {
    const error = loadError({ TEST_LLM_API_KEY: 'sk-short' });
    expect(error.message).toBe(
      'TEST_LLM_API_KEY=[REDACTED] is invalid: expected a string of at least 20 characters',
    );
    expect(JSON.stringify(error.details)).not.toContain('sk-short');
  });

  it('never prints a bad secret value from the file, nor in alias conflicts', () => {
    expect(loadError({}, 'llm:\n  api_key: tiny\n').message).toBe(
      'llm.api_key=[REDACTED] in /w/tfo-mcp.yaml is invalid: expected a string of at least 20 characters',
    );
    const conflict = loadError({
      TEST_LLM_API_KEY: 'sk-aaaaaaaaaaaaaaaaaaaaaa',
      TEST_API_KEY: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb',
    });
    expect(conflict.message).toBe(
      'TEST_API_KEY=[REDACTED] and TEST_LLM_API_KEY=[REDACTED] both set llm.api_key; set only one',
    );
  });

  it('loads secrets and other keys of a synthetic schema normally', () => {
    const { config } = loadConfigWithSpec(SPEC, {
      env: { TEST_API_KEY: 'sk-live-0123456789abcdef', TEST_POSTGRES_SCHEMAS: 'public,audit' },
      cwd: '/w',
      homeDir: '/h',
      readFile: () => undefined,
    });
    expect(config).toEqual({
      llm: { apiKey: 'sk-live-0123456789abcdef', maxTokens: 1024, model: 'claude' },
      postgres: { url: '', pepper: '', schemas: ['public', 'audit'] },
    });
  });
});
