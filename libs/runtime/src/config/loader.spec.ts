import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, DEMO_ORGANIZATION_ID } from '@tfo/domain';
import { configKeys, type ConfigKey } from './config-keys.js';
import { configFileCandidates, loadConfig, type ConfigSources } from './loader.js';
import { SERVER_CONFIG_SPEC, ServerConfigSchema, providerCredentialsOf } from './schema.js';

const CWD = '/srv/app';
const HOME = '/home/ada';
const SAMPLE_ORG = '0b7c9a52-3f1d-4e6a-9b2c-5d8e7f6a1b2c';

/** Sources with an in-memory file system: `files` maps absolute paths to contents. */
function sources(
  env: Record<string, string | undefined> = {},
  files: Record<string, string> = {},
  extra: Partial<ConfigSources> = {},
): ConfigSources {
  return { env, cwd: CWD, homeDir: HOME, readFile: (path) => files[path], ...extra };
}

function loadError(input: ConfigSources): ConfigurationError {
  try {
    loadConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected loadConfig to throw');
}

const DEFAULTS = {
  ...ServerConfigSchema.parse({}),
  files: { ...ServerConfigSchema.parse({}).files, roots: [CWD] },
};

describe('loadConfig defaults and precedence', () => {
  it('returns the defaults, roots at the working directory, when nothing is set', () => {
    expect(loadConfig(sources())).toEqual({ config: DEFAULTS });
    expect(DEFAULTS.server).toEqual({
      name: 'telemetryflow-mcp',
      transport: 'stdio',
      host: '127.0.0.1',
      port: 8080,
    });
    expect(DEFAULTS.commands).toEqual({ allow: [], timeoutMs: 30000, maxOutputBytes: 65536 });
    expect(DEFAULTS.tenancy.organizationId).toBe(DEMO_ORGANIZATION_ID);
  });

  it('takes the environment over the file over the defaults', () => {
    const file = 'logging:\n  level: debug\nserver:\n  port: 9000\n  name: from-file\n';
    const { config, configFile } = loadConfig(
      sources(
        { TELEMETRYFLOW_MCP_LOGGING_LEVEL: 'warn', TELEMETRYFLOW_MCP_SERVER_NAME: 'from-env' },
        { [`${CWD}/tfo-mcp.yaml`]: file },
      ),
    );
    expect(configFile).toBe(`${CWD}/tfo-mcp.yaml`);
    expect(config.logging.level).toBe('warn');
    expect(config.server).toEqual({ name: 'from-env', transport: 'stdio', host: '127.0.0.1', port: 9000 });
    expect(config.logging.format).toBe('json');
  });

  it('ignores variables without the prefix and empty ones', () => {
    const file = 'server:\n  port: 9000\n';
    const { config } = loadConfig(
      sources(
        {
          PATH: '/usr/bin',
          HOME,
          TELEMETRYFLOW_MCP_SERVER_PORT: '',
          TELEMETRYFLOW_MCP_SERVER_HOST: undefined,
        },
        { [`${CWD}/tfo-mcp.yaml`]: file },
      ),
    );
    expect(config.server.port).toBe(9000);
    expect(config.server.host).toBe('127.0.0.1');
  });

  it('treats a key with no value or an empty section in the file as "use the default"', () => {
    const file = 'server:\n  port:\nlogging:\n';
    expect(loadConfig(sources({}, { [`${CWD}/tfo-mcp.yaml`]: file })).config).toEqual(DEFAULTS);
    expect(loadConfig(sources({}, { [`${CWD}/tfo-mcp.yaml`]: '' })).config).toEqual(DEFAULTS);
  });
});

/** A valid value different from the default, as an environment string, and what it parses to. */
function sample(key: ConfigKey): [string, unknown] {
  switch (key.kind) {
    case 'enum': {
      const option = key.options?.find((candidate) => candidate !== key.defaultValue) ?? '';
      return [option, option];
    }
    case 'integer':
    case 'number':
      return [String((key.defaultValue as number) + 1), (key.defaultValue as number) + 1];
    case 'boolean':
      return [key.defaultValue ? 'no' : 'yes', !key.defaultValue];
    case 'string':
      if (key.path === 'tenancy.organizationId') return [SAMPLE_ORG, SAMPLE_ORG];
      if (key.path.endsWith('BaseUrl') || key.path.endsWith('Url')) {
        return ['https://sample.example.com/v1', 'https://sample.example.com/v1'];
      }
      return key.isPath ? ['sample-value', `${CWD}/sample-value`] : ['sample-value', 'sample-value'];
    case 'string-list':
      return key.isPath
        ? ['data:/var/tfo', [`${CWD}/data`, '/var/tfo']]
        : ['git, /usr/bin/ls', ['git', '/usr/bin/ls']];
  }
}

describe('environment variables', () => {
  it.each(configKeys(SERVER_CONFIG_SPEC).map((key) => [key.envVar, key] as const))(
    '%s sets its key',
    (envVar, key) => {
      const [raw, expected] = sample(key);
      const { config } = loadConfig(sources({ [envVar]: raw }));
      expect((config as unknown as Record<string, Record<string, unknown>>)[key.section]?.[key.name]).toEqual(
        expected,
      );
    },
  );

  it('accepts the original names TELEMETRYFLOW_MCP_LOG_LEVEL and TELEMETRYFLOW_MCP_LOG_FORMAT', () => {
    const { config } = loadConfig(
      sources({ TELEMETRYFLOW_MCP_LOG_LEVEL: 'debug', TELEMETRYFLOW_MCP_LOG_FORMAT: 'pretty' }),
    );
    expect(config.logging).toEqual({ level: 'debug', format: 'pretty' });
  });

  it('rejects an alias and its canonical name set to different values', () => {
    const error = loadError(
      sources({ TELEMETRYFLOW_MCP_LOG_LEVEL: 'debug', TELEMETRYFLOW_MCP_LOGGING_LEVEL: 'warn' }),
    );
    expect(error.message).toBe(
      'TELEMETRYFLOW_MCP_LOGGING_LEVEL="warn" and TELEMETRYFLOW_MCP_LOG_LEVEL="debug" both set logging.level; set only one',
    );
    expect(
      loadConfig(sources({ TELEMETRYFLOW_MCP_LOG_LEVEL: 'warn', TELEMETRYFLOW_MCP_LOGGING_LEVEL: 'warn' }))
        .config.logging.level,
    ).toBe('warn');
  });

  it("reads the providers' own variables and keeps the values out of errors", () => {
    const { config } = loadConfig(
      sources({
        ANTHROPIC_API_KEY: 'sk-ant-one',
        OLLAMA_HOST: 'http://10.0.0.5:11434',
        XAI_API_KEY: 'xai-2',
      }),
    );
    expect(config.providers.anthropicApiKey).toBe('sk-ant-one');
    expect(config.providers.ollamaBaseUrl).toBe('http://10.0.0.5:11434');
    expect(config.providers.grokApiKey).toBe('xai-2');
    expect(config.providers.openaiApiKey).toBe('');
    expect(providerCredentialsOf(config)).toEqual({
      anthropic: { apiKey: 'sk-ant-one' },
      ollama: { baseUrl: 'http://10.0.0.5:11434' },
      grok: { apiKey: 'xai-2' },
    });
    // Unrelated variables of the process are not ours to judge.
    expect(loadConfig(sources({ HOME_DIR_X: '1', PATH_EXTRA: 'x' })).config.providers.openaiApiKey).toBe('');
    expect(providerCredentialsOf(loadConfig(sources({ OLLAMA_HOST: 'gpu-box:11434' })).config)).toEqual({
      ollama: { baseUrl: 'http://gpu-box:11434' },
    });
    expect(loadError(sources({ OPENAI_BASE_URL: 'api.example.com/v1' })).message).toBe(
      'OPENAI_BASE_URL=[REDACTED] is invalid: expected an http(s) URL such as https://llm-gateway.example.com/v1',
    );
    const error = loadError(
      sources({ OPENAI_API_KEY: 'sk-first', TELEMETRYFLOW_MCP_PROVIDERS_OPENAI_API_KEY: 'sk-second' }),
    );
    expect(error.message).toContain('both set providers.openai_api_key; set only one');
    expect(error.message).not.toContain('sk-first');
    expect(error.message).not.toContain('sk-second');
  });

  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['no', false],
    [' YES ', true],
  ])('reads the boolean %j as %j', (raw, expected) => {
    expect(
      loadConfig(sources({ TELEMETRYFLOW_MCP_FILES_WRITE_ENABLED: raw })).config.files.writeEnabled,
    ).toBe(expected);
  });

  it('reads enums case-insensitively', () => {
    expect(loadConfig(sources({ TELEMETRYFLOW_MCP_LOG_LEVEL: 'WARN' })).config.logging.level).toBe('warn');
  });

  it('splits roots on the path delimiter, which can be changed', () => {
    expect(loadConfig(sources({ TELEMETRYFLOW_MCP_FILES_ROOTS: '/a:b::/c' })).config.files.roots).toEqual([
      '/a',
      `${CWD}/b`,
      '/c',
    ]);
    expect(
      loadConfig(sources({ TELEMETRYFLOW_MCP_FILES_ROOTS: '/a;b' }, {}, { pathDelimiter: ';' })).config.files
        .roots,
    ).toEqual(['/a', `${CWD}/b`]);
  });

  it('splits the command allow-list on commas', () => {
    expect(
      loadConfig(sources({ TELEMETRYFLOW_MCP_COMMANDS_ALLOW: 'git,kubectl , /usr/bin/ls,' })).config.commands
        .allow,
    ).toEqual(['git', 'kubectl', '/usr/bin/ls']);
  });
});

describe('bad values', () => {
  it('names the variable, the value and the allowed values', () => {
    const error = loadError(sources({ TELEMETRYFLOW_MCP_LOGGING_LEVEL: 'loud' }));
    expect(error.message).toBe(
      'TELEMETRYFLOW_MCP_LOGGING_LEVEL="loud" is invalid: expected one of trace, debug, info, warn, error, fatal, silent',
    );
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.details).toEqual({
      problems: [{ key: 'logging.level', source: 'env', message: expect.stringContaining('"loud"') }],
    });
  });

  it('explains numbers, ranges and booleans', () => {
    expect(loadError(sources({ TELEMETRYFLOW_MCP_SERVER_PORT: 'eighty' })).message).toBe(
      'TELEMETRYFLOW_MCP_SERVER_PORT="eighty" is invalid: expected an integer from 1 to 65535',
    );
    expect(loadError(sources({ TELEMETRYFLOW_MCP_SERVER_PORT: '70000' })).message).toBe(
      'TELEMETRYFLOW_MCP_SERVER_PORT="70000" is invalid: expected an integer from 1 to 65535',
    );
    expect(loadError(sources({ TELEMETRYFLOW_MCP_COMMANDS_TIMEOUT_MS: '1.5' })).message).toBe(
      'TELEMETRYFLOW_MCP_COMMANDS_TIMEOUT_MS="1.5" is invalid: expected an integer from 100 to 600000',
    );
    expect(loadError(sources({ TELEMETRYFLOW_MCP_FILES_WRITE_ENABLED: 'maybe' })).message).toBe(
      'TELEMETRYFLOW_MCP_FILES_WRITE_ENABLED="maybe" is invalid: expected true, false, 1, 0, yes or no',
    );
  });

  it('names the YAML path and the file for a bad value in the file', () => {
    const file = `${CWD}/configs/tfo-mcp.yaml`;
    const error = loadError(sources({}, { [file]: 'files:\n  max_read_bytes: lots\n' }));
    expect(error.message).toBe(
      `files.max_read_bytes="lots" in ${file} is invalid: expected an integer of at least 1`,
    );
    expect(error.details).toMatchObject({ configFile: file });
  });

  it('names the entry of a list that is wrong', () => {
    expect(loadError(sources({ TELEMETRYFLOW_MCP_COMMANDS_ALLOW: 'git,./deploy.sh' })).message).toBe(
      'TELEMETRYFLOW_MCP_COMMANDS_ALLOW[1]="./deploy.sh" is invalid: expected a program name without a directory (e.g. "git") or an absolute path',
    );
    const file = `${CWD}/tfo-mcp.yaml`;
    expect(loadError(sources({}, { [file]: 'commands:\n  allow: [git, bin/x]\n' })).message).toBe(
      `commands.allow[1]="bin/x" in ${file} is invalid: expected a program name without a directory (e.g. "git") or an absolute path`,
    );
    expect(loadError(sources({}, { [file]: 'files:\n  roots: /data\n' })).message).toBe(
      `files.roots="/data" in ${file} is invalid: expected a list of strings`,
    );
  });

  it('lists every problem on its own line', () => {
    const file = `${CWD}/tfo-mcp.yaml`;
    const error = loadError(
      sources(
        { TELEMETRYFLOW_MCP_LOGGING_LEVEL: 'loud', TELEMETRYFLOW_MCP_SERVER_PORT: '0' },
        { [file]: 'server:\n  transport: carrier-pigeon\n' },
      ),
    );
    expect(error.message.split('\n')).toEqual([
      '3 configuration problems:',
      `- server.transport="carrier-pigeon" in ${file} is invalid: expected one of stdio, http`,
      '- TELEMETRYFLOW_MCP_SERVER_PORT="0" is invalid: expected an integer from 1 to 65535',
      '- TELEMETRYFLOW_MCP_LOGGING_LEVEL="loud" is invalid: expected one of trace, debug, info, warn, error, fatal, silent',
    ]);
    expect((error.details?.['problems'] as unknown[]).length).toBe(3);
  });
});

describe('unknown keys', () => {
  it('rejects an unknown TELEMETRYFLOW_MCP_ variable, suggesting the near one and listing the section', () => {
    const error = loadError(sources({ TELEMETRYFLOW_MCP_FILES_MAX_READ_BYTE: '10' }));
    expect(error.message).toBe(
      'Unknown environment variable TELEMETRYFLOW_MCP_FILES_MAX_READ_BYTE (did you mean "TELEMETRYFLOW_MCP_FILES_MAX_READ_BYTES"?)' +
        '; known variables: TELEMETRYFLOW_MCP_FILES_ROOTS, TELEMETRYFLOW_MCP_FILES_MAX_READ_BYTES, TELEMETRYFLOW_MCP_FILES_MAX_WRITE_BYTES, ' +
        'TELEMETRYFLOW_MCP_FILES_WRITE_ENABLED, TELEMETRYFLOW_MCP_FILES_MAX_SEARCH_RESULTS, TELEMETRYFLOW_MCP_FILES_MAX_LIST_ENTRIES',
    );
  });

  it('lists every variable when the section is unknown too', () => {
    const error = loadError(sources({ TELEMETRYFLOW_MCP_DEBUG: '1' }));
    expect(error.message).toMatch(
      /^Unknown environment variable TELEMETRYFLOW_MCP_DEBUG; known variables: TELEMETRYFLOW_MCP_SERVER_NAME, /,
    );
    expect(error.message).toMatch(
      /TELEMETRYFLOW_MCP_COMMANDS_ALLOW, .*, TELEMETRYFLOW_MCP_TENANCY_ORGANIZATION_ID, .*, TELEMETRYFLOW_MCP_LIMITS_EXPENSIVE_TOOL_CONCURRENCY$/,
    );
    expect(loadError(sources({ TELEMETRYFLOW_MCP_LOG_LEVL: 'debug' })).message).toMatch(
      /^Unknown environment variable TELEMETRYFLOW_MCP_LOG_LEVL \(did you mean "TELEMETRYFLOW_MCP_LOG_LEVEL"\?\); /,
    );
  });

  it('rejects unknown YAML keys and sections, naming them and the known ones', () => {
    const file = `${CWD}/tfo-mcp.yaml`;
    const error = loadError(
      sources({}, { [file]: 'loging:\n  level: info\nfiles:\n  maxReadBytes: 10\n  colour: blue\n' }),
    );
    expect(error.message.split('\n')).toEqual([
      '3 configuration problems:',
      `- Unknown section "loging" in ${file} (did you mean "logging"?); known sections: server, logging, files, commands, tenancy, data, postgres, clickhouse, sql, context, demo, llm, providers, http, auth, limits`,
      `- Unknown key "files.maxReadBytes" in ${file} (did you mean "files.max_read_bytes"?); known keys in files: roots, max_read_bytes, max_write_bytes, write_enabled, max_search_results, max_list_entries`,
      `- Unknown key "files.colour" in ${file}; known keys in files: roots, max_read_bytes, max_write_bytes, write_enabled, max_search_results, max_list_entries`,
    ]);
  });

  it('rejects a file that is not a mapping, a section that is not a mapping, and broken YAML', () => {
    const file = `${CWD}/tfo-mcp.yaml`;
    expect(loadError(sources({}, { [file]: '- a\n- b\n' })).message).toBe(
      `${file} must hold a mapping of sections (server, logging, files, commands, tenancy, data, postgres, clickhouse, sql, context, demo, llm, providers, http, auth, limits), not a list`,
    );
    expect(loadError(sources({}, { [file]: 'tenancy: acme\n' })).message).toBe(
      `tenancy="acme" in ${file} is invalid: expected a mapping with keys organization_id`,
    );
    expect(loadError(sources({}, { [file]: 'server:\n  port: 1\n  port: 2\n' })).message).toMatch(
      new RegExp(`^${file}:3:3 is not valid YAML: Map keys must be unique`),
    );
  });
});

describe('the configuration file', () => {
  it('is searched in this order', () => {
    expect(configFileCandidates(CWD, HOME)).toEqual([
      `${CWD}/tfo-mcp.yaml`,
      `${CWD}/configs/tfo-mcp.yaml`,
      `${HOME}/.config/tfo-mcp/config.yaml`,
      '/etc/tfo-mcp/config.yaml',
    ]);
    const files = {
      [`${HOME}/.config/tfo-mcp/config.yaml`]: 'server:\n  name: home\n',
      '/etc/tfo-mcp/config.yaml': 'server:\n  name: etc\n',
    };
    expect(loadConfig(sources({}, files))).toMatchObject({
      config: { server: { name: 'home' } },
      configFile: `${HOME}/.config/tfo-mcp/config.yaml`,
    });
    expect(
      loadConfig(sources({}, { '/etc/tfo-mcp/config.yaml': 'server:\n  name: etc\n' })).config.server.name,
    ).toBe('etc');
  });

  it('uses only the given path, resolved against cwd or home, and requires it to exist', () => {
    const files = {
      [`${CWD}/tfo-mcp.yaml`]: 'server:\n  name: searched\n',
      [`${CWD}/custom.yaml`]: 'server:\n  name: custom\n',
    };
    expect(loadConfig(sources({}, files, { configPath: 'custom.yaml' }))).toMatchObject({
      config: { server: { name: 'custom' } },
      configFile: `${CWD}/custom.yaml`,
    });
    expect(
      loadConfig(
        sources({}, { [`${HOME}/tfo.yaml`]: 'server:\n  name: tilde\n' }, { configPath: '~/tfo.yaml' }),
      ).config.server.name,
    ).toBe('tilde');
    const error = loadError(sources({}, files, { configPath: '/nowhere/tfo.yaml' }));
    expect(error.message).toBe('Configuration file /nowhere/tfo.yaml does not exist');
  });

  it('reports a file that cannot be read', () => {
    const error = loadError(
      sources(
        {},
        {},
        {
          readFile: () => {
            throw new Error('EACCES: permission denied');
          },
        },
      ),
    );
    expect(error.message).toBe(
      `Cannot read configuration file ${CWD}/tfo-mcp.yaml: EACCES: permission denied`,
    );
  });

  it('reads the real file system by default', () => {
    // No readFile given: the search uses node:fs and finds nothing under a directory that does not exist.
    const { config, configFile } = loadConfig({
      env: {},
      cwd: '/nonexistent/tfo-test',
      homeDir: '/nonexistent/home',
    });
    expect(config.files.roots).toEqual(['/nonexistent/tfo-test']);
    expect(configFile === undefined || configFile === '/etc/tfo-mcp/config.yaml').toBe(true);
  });
});

describe('paths', () => {
  it('resolves relative roots against cwd and ~ against home', () => {
    const file = `${CWD}/tfo-mcp.yaml`;
    const { config } = loadConfig(
      sources({}, { [file]: 'files:\n  roots: [., ../shared, ~/notes, /abs]\n' }),
    );
    expect(config.files.roots).toEqual([CWD, '/srv/shared', `${HOME}/notes`, '/abs']);
  });

  it('allows an explicit empty list of roots in the file', () => {
    const file = `${CWD}/tfo-mcp.yaml`;
    expect(loadConfig(sources({}, { [file]: 'files:\n  roots: []\n' })).config.files.roots).toEqual([]);
  });
});
