import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { configKeys, describeConfig, toScreamingSnake, toSnakeCase, type ConfigSpec } from './config-keys.js';
import { SERVER_CONFIG_SPEC, ServerConfigSchema } from './schema.js';

function spec(schema: z.ZodObject, extra: Partial<ConfigSpec> = {}): ConfigSpec {
  return {
    schema,
    envPrefix: 'TEST_',
    secretPaths: new Set(),
    envAliases: {},
    pathKeys: new Set(),
    ...extra,
  };
}

describe('name derivation', () => {
  it('turns camelCase into SCREAMING_SNAKE and snake_case', () => {
    expect(toScreamingSnake('maxReadBytes')).toBe('MAX_READ_BYTES');
    expect(toScreamingSnake('timeoutMs')).toBe('TIMEOUT_MS');
    expect(toScreamingSnake('baseURL')).toBe('BASE_URL');
    expect(toScreamingSnake('otlpHTTPEndpoint')).toBe('OTLP_HTTP_ENDPOINT');
    expect(toScreamingSnake('port')).toBe('PORT');
    expect(toSnakeCase('organizationId')).toBe('organization_id');
  });
});

describe('the server configuration keys', () => {
  it('has these environment variables, YAML paths and aliases', () => {
    expect(
      configKeys(SERVER_CONFIG_SPEC).map((key) => [key.path, key.envVar, key.yamlPath, key.envAliases]),
    ).toEqual([
      ['server.name', 'TELEMETRYFLOW_MCP_SERVER_NAME', 'server.name', []],
      ['server.transport', 'TELEMETRYFLOW_MCP_SERVER_TRANSPORT', 'server.transport', []],
      ['server.host', 'TELEMETRYFLOW_MCP_SERVER_HOST', 'server.host', []],
      ['server.port', 'TELEMETRYFLOW_MCP_SERVER_PORT', 'server.port', []],
      ['logging.level', 'TELEMETRYFLOW_MCP_LOGGING_LEVEL', 'logging.level', ['TELEMETRYFLOW_MCP_LOG_LEVEL']],
      [
        'logging.format',
        'TELEMETRYFLOW_MCP_LOGGING_FORMAT',
        'logging.format',
        ['TELEMETRYFLOW_MCP_LOG_FORMAT'],
      ],
      ['files.roots', 'TELEMETRYFLOW_MCP_FILES_ROOTS', 'files.roots', []],
      ['files.maxReadBytes', 'TELEMETRYFLOW_MCP_FILES_MAX_READ_BYTES', 'files.max_read_bytes', []],
      ['files.maxWriteBytes', 'TELEMETRYFLOW_MCP_FILES_MAX_WRITE_BYTES', 'files.max_write_bytes', []],
      ['files.writeEnabled', 'TELEMETRYFLOW_MCP_FILES_WRITE_ENABLED', 'files.write_enabled', []],
      [
        'files.maxSearchResults',
        'TELEMETRYFLOW_MCP_FILES_MAX_SEARCH_RESULTS',
        'files.max_search_results',
        [],
      ],
      ['files.maxListEntries', 'TELEMETRYFLOW_MCP_FILES_MAX_LIST_ENTRIES', 'files.max_list_entries', []],
      ['commands.allow', 'TELEMETRYFLOW_MCP_COMMANDS_ALLOW', 'commands.allow', []],
      ['commands.timeoutMs', 'TELEMETRYFLOW_MCP_COMMANDS_TIMEOUT_MS', 'commands.timeout_ms', []],
      [
        'commands.maxOutputBytes',
        'TELEMETRYFLOW_MCP_COMMANDS_MAX_OUTPUT_BYTES',
        'commands.max_output_bytes',
        [],
      ],
      ['tenancy.organizationId', 'TELEMETRYFLOW_MCP_TENANCY_ORGANIZATION_ID', 'tenancy.organization_id', []],
      ['data.enabled', 'TELEMETRYFLOW_MCP_DATA_ENABLED', 'data.enabled', []],
      ['data.dir', 'TELEMETRYFLOW_MCP_DATA_DIR', 'data.dir', []],
      ['data.createSystemUser', 'TELEMETRYFLOW_MCP_DATA_CREATE_SYSTEM_USER', 'data.create_system_user', []],
      ['postgres.url', 'TELEMETRYFLOW_MCP_POSTGRES_URL', 'postgres.url', []],
      ['postgres.readonlyUrl', 'TELEMETRYFLOW_MCP_POSTGRES_READONLY_URL', 'postgres.readonly_url', []],
      ['postgres.poolMax', 'TELEMETRYFLOW_MCP_POSTGRES_POOL_MAX', 'postgres.pool_max', []],
      [
        'postgres.connectionTimeoutMs',
        'TELEMETRYFLOW_MCP_POSTGRES_CONNECTION_TIMEOUT_MS',
        'postgres.connection_timeout_ms',
        [],
      ],
      [
        'postgres.idleTimeoutMs',
        'TELEMETRYFLOW_MCP_POSTGRES_IDLE_TIMEOUT_MS',
        'postgres.idle_timeout_ms',
        [],
      ],
      ['clickhouse.url', 'TELEMETRYFLOW_MCP_CLICKHOUSE_URL', 'clickhouse.url', []],
      ['clickhouse.username', 'TELEMETRYFLOW_MCP_CLICKHOUSE_USERNAME', 'clickhouse.username', []],
      ['clickhouse.password', 'TELEMETRYFLOW_MCP_CLICKHOUSE_PASSWORD', 'clickhouse.password', []],
      ['clickhouse.database', 'TELEMETRYFLOW_MCP_CLICKHOUSE_DATABASE', 'clickhouse.database', []],
      ['sql.timeoutMs', 'TELEMETRYFLOW_MCP_SQL_TIMEOUT_MS', 'sql.timeout_ms', []],
      ['sql.maxRows', 'TELEMETRYFLOW_MCP_SQL_MAX_ROWS', 'sql.max_rows', []],
      ['sql.maxBytes', 'TELEMETRYFLOW_MCP_SQL_MAX_BYTES', 'sql.max_bytes', []],
      ['sql.allowWrites', 'TELEMETRYFLOW_MCP_SQL_ALLOW_WRITES', 'sql.allow_writes', []],
      ['context.deadlineMs', 'TELEMETRYFLOW_MCP_CONTEXT_DEADLINE_MS', 'context.deadline_ms', []],
      [
        'context.maxContextTokens',
        'TELEMETRYFLOW_MCP_CONTEXT_MAX_CONTEXT_TOKENS',
        'context.max_context_tokens',
        [],
      ],
      ['demo.load', 'TELEMETRYFLOW_MCP_DEMO_LOAD', 'demo.load', []],
      ['demo.seed', 'TELEMETRYFLOW_MCP_DEMO_SEED', 'demo.seed', []],
      ['demo.size', 'TELEMETRYFLOW_MCP_DEMO_SIZE', 'demo.size', []],
      ['llm.defaultModel', 'TELEMETRYFLOW_MCP_LLM_DEFAULT_MODEL', 'llm.default_model', []],
      ['llm.maxTokens', 'TELEMETRYFLOW_MCP_LLM_MAX_TOKENS', 'llm.max_tokens', []],
      ['llm.temperature', 'TELEMETRYFLOW_MCP_LLM_TEMPERATURE', 'llm.temperature', []],
      ['llm.timeoutMs', 'TELEMETRYFLOW_MCP_LLM_TIMEOUT_MS', 'llm.timeout_ms', []],
      ['llm.maxRetries', 'TELEMETRYFLOW_MCP_LLM_MAX_RETRIES', 'llm.max_retries', []],
      [
        'providers.anthropicApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_ANTHROPIC_API_KEY',
        'providers.anthropic_api_key',
        ['ANTHROPIC_API_KEY'],
      ],
      [
        'providers.anthropicBaseUrl',
        'TELEMETRYFLOW_MCP_PROVIDERS_ANTHROPIC_BASE_URL',
        'providers.anthropic_base_url',
        ['ANTHROPIC_BASE_URL'],
      ],
      [
        'providers.googleApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_GOOGLE_API_KEY',
        'providers.google_api_key',
        ['GOOGLE_API_KEY'],
      ],
      [
        'providers.googleBaseUrl',
        'TELEMETRYFLOW_MCP_PROVIDERS_GOOGLE_BASE_URL',
        'providers.google_base_url',
        [],
      ],
      [
        'providers.openaiApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_OPENAI_API_KEY',
        'providers.openai_api_key',
        ['OPENAI_API_KEY'],
      ],
      [
        'providers.openaiBaseUrl',
        'TELEMETRYFLOW_MCP_PROVIDERS_OPENAI_BASE_URL',
        'providers.openai_base_url',
        ['OPENAI_BASE_URL'],
      ],
      [
        'providers.deepseekApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_DEEPSEEK_API_KEY',
        'providers.deepseek_api_key',
        ['DEEPSEEK_API_KEY'],
      ],
      [
        'providers.deepseekBaseUrl',
        'TELEMETRYFLOW_MCP_PROVIDERS_DEEPSEEK_BASE_URL',
        'providers.deepseek_base_url',
        [],
      ],
      [
        'providers.qwenApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_QWEN_API_KEY',
        'providers.qwen_api_key',
        ['QWEN_API_KEY'],
      ],
      ['providers.qwenBaseUrl', 'TELEMETRYFLOW_MCP_PROVIDERS_QWEN_BASE_URL', 'providers.qwen_base_url', []],
      [
        'providers.ollamaBaseUrl',
        'TELEMETRYFLOW_MCP_PROVIDERS_OLLAMA_BASE_URL',
        'providers.ollama_base_url',
        ['OLLAMA_HOST'],
      ],
      [
        'providers.mistralApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_MISTRAL_API_KEY',
        'providers.mistral_api_key',
        ['MISTRAL_API_KEY'],
      ],
      [
        'providers.mistralBaseUrl',
        'TELEMETRYFLOW_MCP_PROVIDERS_MISTRAL_BASE_URL',
        'providers.mistral_base_url',
        [],
      ],
      [
        'providers.grokApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_GROK_API_KEY',
        'providers.grok_api_key',
        ['XAI_API_KEY'],
      ],
      ['providers.grokBaseUrl', 'TELEMETRYFLOW_MCP_PROVIDERS_GROK_BASE_URL', 'providers.grok_base_url', []],
      [
        'providers.kimiApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_KIMI_API_KEY',
        'providers.kimi_api_key',
        ['MOONSHOT_API_KEY'],
      ],
      ['providers.kimiBaseUrl', 'TELEMETRYFLOW_MCP_PROVIDERS_KIMI_BASE_URL', 'providers.kimi_base_url', []],
      [
        'providers.zhipuApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_ZHIPU_API_KEY',
        'providers.zhipu_api_key',
        ['ZHIPU_API_KEY'],
      ],
      [
        'providers.zhipuBaseUrl',
        'TELEMETRYFLOW_MCP_PROVIDERS_ZHIPU_BASE_URL',
        'providers.zhipu_base_url',
        [],
      ],
      [
        'providers.mimoApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_MIMO_API_KEY',
        'providers.mimo_api_key',
        ['MIMO_API_KEY'],
      ],
      ['providers.mimoBaseUrl', 'TELEMETRYFLOW_MCP_PROVIDERS_MIMO_BASE_URL', 'providers.mimo_base_url', []],
      [
        'providers.customApiKey',
        'TELEMETRYFLOW_MCP_PROVIDERS_CUSTOM_API_KEY',
        'providers.custom_api_key',
        ['CUSTOM_LLM_API_KEY'],
      ],
      [
        'providers.customBaseUrl',
        'TELEMETRYFLOW_MCP_PROVIDERS_CUSTOM_BASE_URL',
        'providers.custom_base_url',
        ['CUSTOM_LLM_BASE_URL'],
      ],
      ['http.publicUrl', 'TELEMETRYFLOW_MCP_HTTP_PUBLIC_URL', 'http.public_url', []],
      ['http.allowedHosts', 'TELEMETRYFLOW_MCP_HTTP_ALLOWED_HOSTS', 'http.allowed_hosts', []],
      ['http.allowedOrigins', 'TELEMETRYFLOW_MCP_HTTP_ALLOWED_ORIGINS', 'http.allowed_origins', []],
      ['http.maxBodyBytes', 'TELEMETRYFLOW_MCP_HTTP_MAX_BODY_BYTES', 'http.max_body_bytes', []],
      ['http.requestTimeoutMs', 'TELEMETRYFLOW_MCP_HTTP_REQUEST_TIMEOUT_MS', 'http.request_timeout_ms', []],
      ['http.sessions', 'TELEMETRYFLOW_MCP_HTTP_SESSIONS', 'http.sessions', []],
      ['http.sessionTtlMs', 'TELEMETRYFLOW_MCP_HTTP_SESSION_TTL_MS', 'http.session_ttl_ms', []],
      ['http.shutdownGraceMs', 'TELEMETRYFLOW_MCP_HTTP_SHUTDOWN_GRACE_MS', 'http.shutdown_grace_ms', []],
      ['auth.apiKeys', 'TELEMETRYFLOW_MCP_AUTH_API_KEYS', 'auth.api_keys', []],
      ['auth.oauthIssuers', 'TELEMETRYFLOW_MCP_AUTH_OAUTH_ISSUERS', 'auth.oauth_issuers', []],
      ['auth.oauthAudience', 'TELEMETRYFLOW_MCP_AUTH_OAUTH_AUDIENCE', 'auth.oauth_audience', []],
      [
        'auth.oauthOrganizationClaim',
        'TELEMETRYFLOW_MCP_AUTH_OAUTH_ORGANIZATION_CLAIM',
        'auth.oauth_organization_claim',
        [],
      ],
      ['auth.localKey', 'TELEMETRYFLOW_MCP_AUTH_LOCAL_KEY', 'auth.local_key', []],
      ['auth.anonymousLoopback', 'TELEMETRYFLOW_MCP_AUTH_ANONYMOUS_LOOPBACK', 'auth.anonymous_loopback', []],
      [
        'limits.userRequestsPerMinute',
        'TELEMETRYFLOW_MCP_LIMITS_USER_REQUESTS_PER_MINUTE',
        'limits.user_requests_per_minute',
        [],
      ],
      [
        'limits.serviceRequestsPerMinute',
        'TELEMETRYFLOW_MCP_LIMITS_SERVICE_REQUESTS_PER_MINUTE',
        'limits.service_requests_per_minute',
        [],
      ],
      ['limits.burst', 'TELEMETRYFLOW_MCP_LIMITS_BURST', 'limits.burst', []],
      [
        'limits.expensiveToolConcurrency',
        'TELEMETRYFLOW_MCP_LIMITS_EXPENSIVE_TOOL_CONCURRENCY',
        'limits.expensive_tool_concurrency',
        [],
      ],
    ]);
  });

  it('derives kinds, allowed values, defaults and descriptions from the schema', () => {
    const byPath = new Map(configKeys(SERVER_CONFIG_SPEC).map((key) => [key.path, key]));
    expect(byPath.get('server.port')).toMatchObject({
      kind: 'integer',
      allowed: 'an integer from 1 to 65535',
      defaultValue: 8080,
    });
    expect(byPath.get('logging.level')).toMatchObject({
      kind: 'enum',
      allowed: 'one of trace, debug, info, warn, error, fatal, silent',
      defaultValue: 'info',
    });
    expect(byPath.get('files.roots')).toMatchObject({
      kind: 'string-list',
      isPath: true,
      envListSeparator: 'path-delimiter',
    });
    expect(byPath.get('commands.allow')).toMatchObject({
      kind: 'string-list',
      isPath: false,
      envListSeparator: 'comma',
      defaultValue: [],
    });
    expect(byPath.get('files.writeEnabled')).toMatchObject({
      kind: 'boolean',
      allowedInEnv: 'true, false, 1, 0, yes or no',
    });
    expect(byPath.get('commands.timeoutMs')?.allowed).toBe('an integer from 100 to 600000');
    expect(byPath.get('files.maxReadBytes')).toMatchObject({
      allowed: 'an integer of at least 1',
      defaultValue: 1048576,
    });
    for (const key of byPath.values()) {
      expect(key.description.length).toBeGreaterThan(10);
      // Keys, passwords and URLs (which may carry credentials) are secret; nothing else is.
      expect(key.secret).toBe(
        [
          'postgres.url',
          'postgres.readonlyUrl',
          'clickhouse.url',
          'clickhouse.password',
          'http.publicUrl',
        ].includes(key.path) || /^providers\.\w+(ApiKey|BaseUrl)$/.test(key.path),
      );
    }
  });

  it('matches the defaults the schema itself produces', () => {
    const defaults = ServerConfigSchema.parse({});
    for (const section of describeConfig(SERVER_CONFIG_SPEC)) {
      for (const key of section.keys) {
        expect(key.defaultValue).toEqual(
          (defaults as Record<string, Record<string, unknown>>)[section.name]?.[key.name],
        );
      }
    }
  });
});

describe('schema checks', () => {
  it('rejects a key without a description', () => {
    const schema = z.object({ a: z.object({ b: z.string().default('x') }).prefault({}) });
    expect(() => describeConfig(spec(schema))).toThrow(/"a.b" has no .describe\(\)/);
  });

  it('rejects two keys that map to the same environment variable', () => {
    const schema = z.object({
      a: z
        .object({ bC: z.string().default('x').describe('one'), b_c: z.string().default('y').describe('two') })
        .prefault({}),
    });
    expect(() => describeConfig(spec(schema))).toThrow(/TEST_A_B_C would set both/);
  });

  it('rejects an alias for an unknown key and an unsupported type', () => {
    const ok = z.object({ a: z.object({ b: z.string().default('x').describe('b') }).prefault({}) });
    expect(() => describeConfig(spec(ok, { envAliases: { TEST_B: 'a.c' } }))).toThrow(/unknown key "a.c"/);
    const bad = z.object({
      a: z.object({ b: z.record(z.string(), z.string()).default({}).describe('b') }).prefault({}),
    });
    expect(() => describeConfig(spec(bad))).toThrow(/unsupported type \(record\)/);
  });

  it('marks secrets by path and by name, but never numbers', () => {
    const schema = z.object({
      llm: z
        .object({
          apiKey: z.string().optional().describe('Provider key.'),
          maxTokens: z.number().int().default(1024).describe('Token budget.'),
          databaseUrl: z.string().default('').describe('Connection string.'),
          pepper: z.string().default('').describe('Hash pepper.'),
          model: z.string().default('m').describe('Model id.'),
        })
        .prefault({}),
    });
    const keys = configKeys(spec(schema, { secretPaths: new Set(['llm.pepper']) }));
    expect(Object.fromEntries(keys.map((key) => [key.name, key.secret]))).toEqual({
      apiKey: true,
      maxTokens: false,
      databaseUrl: true,
      pepper: true,
      model: false,
    });
    expect(keys[0]?.defaultValue).toBeUndefined();
  });
});
