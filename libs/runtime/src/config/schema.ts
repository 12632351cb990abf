/**
 * The server configuration: one zod schema per concern, composed into
 * {@link ServerConfigSchema}. Each field carries its default and its one-line comment
 * (`.describe()`); the loader, the generated YAML (`init-config`) and
 * docs/configuration.md are all derived from these, so this file is the one place a
 * setting is defined.
 *
 * To add a section: write `FooConfigSchema` below, add it to `ServerConfigSchema`, and
 * (only if needed) list its secret, path or alias keys in the tables at the bottom.
 * Sections use `.prefault({})` so a missing section still gets every inner default.
 */
import { DEMO_ORGANIZATION_ID } from '@tfo/domain';
import { BUILT_IN_PROVIDERS } from '@tfo/llm-providers/providers';
import { z } from 'zod';
import { ENV_PREFIX, isAbsolutePath, type ConfigSpec } from './config-keys.js';

const MIB = 1024 * 1024;

/** Log levels, most verbose first (`silent` turns logging off). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Log output formats: one JSON object per line, or human-readable lines. */
export const LOG_FORMATS = ['json', 'pretty'] as const;

/** When the demo estate is loaded. */
export const DEMO_LOAD_MODES = ['embedded', 'always', 'never'] as const;

/** Sizes of the demo estate. */
export const DEMO_SIZES = ['small', 'standard', 'large'] as const;

/** MCP transports a server can speak. */
export const TRANSPORTS = ['stdio', 'http'] as const;

/** Identity and network settings of the server process. */
export const ServerSectionSchema = z
  .object({
    name: z.string().min(1).default('telemetryflow-mcp').describe('Server name reported to MCP clients.'),
    transport: z.enum(TRANSPORTS).default('stdio').describe('MCP transport the server speaks.'),
    host: z.string().min(1).default('127.0.0.1').describe('Address the HTTP transport binds to.'),
    port: z.number().int().min(1).max(65535).default(8080).describe('Port the HTTP transport listens on.'),
  })
  .describe('Server identity and transport.');

/** Where and how the server logs (always stderr; stdout belongs to the stdio transport). */
export const LoggingSectionSchema = z
  .object({
    level: z.enum(LOG_LEVELS).default('info').describe('Lowest level written to the log.'),
    format: z
      .enum(LOG_FORMATS)
      .default('json')
      .describe('json: one object per line, for collectors; pretty: readable lines, for people.'),
  })
  .describe('Logging (to stderr).');

/** Limits of the file tools. */
export const FilesSectionSchema = z
  .object({
    roots: z
      .array(z.string().min(1))
      .default(() => ['.'])
      .describe(
        'Directories the file tools may use; relative entries resolve against the working directory.',
      ),
    maxReadBytes: z.number().int().min(1).default(MIB).describe('Largest file, in bytes, a tool may read.'),
    maxWriteBytes: z
      .number()
      .int()
      .min(1)
      .default(MIB)
      .describe('Largest content, in bytes, a tool may write.'),
    writeEnabled: z.boolean().default(true).describe('Whether the file tools may write at all.'),
    maxSearchResults: z.number().int().min(1).default(200).describe('Most matches a file search returns.'),
    maxListEntries: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .describe('Most entries a directory listing returns.'),
  })
  .describe('File tools: roots and size limits.');

/** A program the command tool may run: a bare name looked up on PATH, or an absolute path. */
const ProgramSchema = z
  .string()
  .min(1)
  .refine((value) => isAbsolutePath(value) || !/[\\/]/.test(value), {
    message: 'a program name without a directory (e.g. "git") or an absolute path',
  });

/** The `execute_command` tool: off unless programs are allowed. */
export const CommandsSectionSchema = z
  .object({
    allow: z
      .array(ProgramSchema)
      .default(() => [])
      .describe('Programs execute_command may run (names or absolute paths); empty disables the tool.'),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(30_000)
      .describe('Time, in milliseconds, before a command is killed.'),
    maxOutputBytes: z
      .number()
      .int()
      .min(1)
      .default(65_536)
      .describe('Most bytes of stdout and stderr kept from a command.'),
  })
  .describe('Command execution.');

/** Which tenant a single-tenant (stdio) server acts for. */
export const TenancySectionSchema = z
  .object({
    organizationId: z
      .uuid({ message: `an organization id (a UUID such as ${DEMO_ORGANIZATION_ID})` })
      .default(DEMO_ORGANIZATION_ID)
      .describe(
        "Organization (UUID) the stdio server acts for; the default is the demo estate's primary organization.",
      ),
  })
  .describe('Tenancy.');

/** Where the embedded engines keep their data. */
export const DataSectionSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Start PostgreSQL and ClickHouse (a configured server, else the embedded engine). Off: the SQL and telemetry tools are not offered.',
      ),
    dir: z
      .string()
      .default('')
      .describe(
        'Directory of the embedded PostgreSQL and ClickHouse data (used when no server URL is set). Empty: ' +
          '$XDG_DATA_HOME/tfo-mcp or ~/.local/share/tfo-mcp, and /var/lib/tfo-mcp when run as root.',
      ),
    createSystemUser: z
      .boolean()
      .default(true)
      .describe(
        'When run as root without a `postgres` system user, create it to run embedded PostgreSQL (which refuses to run as root).',
      ),
  })
  .describe('Embedded engine data.');

/** PostgreSQL: inventory, tenancy, IAM, alerting and the server's own sessions. */
export const PostgresSectionSchema = z
  .object({
    url: z
      .string()
      .default('')
      .describe('postgres:// URL of a PostgreSQL server; empty starts the embedded engine.'),
    readonlyUrl: z
      .string()
      .default('')
      .describe(
        'postgres:// URL of a read-only login (e.g. tfo_readonly) used for queries against the server; empty uses `url` inside READ ONLY transactions.',
      ),
    poolMax: z.number().int().min(1).max(200).default(10).describe('Most pooled connections.'),
    connectionTimeoutMs: z
      .number()
      .int()
      .min(100)
      .default(5_000)
      .describe('Time, in milliseconds, to wait for a connection.'),
    idleTimeoutMs: z
      .number()
      .int()
      .min(1_000)
      .default(30_000)
      .describe('Time, in milliseconds, an idle pooled connection is kept.'),
  })
  .describe('PostgreSQL.');

/** ClickHouse: the telemetry (raw tables and rollups) and the server's own analytics. */
export const ClickHouseSectionSchema = z
  .object({
    url: z
      .string()
      .default('')
      .describe('http(s):// URL of a ClickHouse server; empty starts the embedded engine.'),
    username: z.string().default('default').describe('ClickHouse user (a read-only profile is respected).'),
    password: z.string().default('').describe('ClickHouse password.'),
    database: z.string().min(1).default('default').describe('ClickHouse database.'),
  })
  .describe('ClickHouse.');

/** Budgets of the SQL tools, enforced by the engines. */
export const SqlSectionSchema = z
  .object({
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(10_000)
      .describe('Time, in milliseconds, a query may run before the engine stops it.'),
    maxRows: z.number().int().min(1).max(1_000_000).default(1_000).describe('Most rows a query returns.'),
    maxBytes: z
      .number()
      .int()
      .min(1_024)
      .default(1_048_576)
      .describe('Most bytes of result a query returns.'),
    allowWrites: z
      .boolean()
      .default(false)
      .describe(
        'Let pg_query / ch_query run writes when called with read_only: false. Off: every query is read-only.',
      ),
  })
  .describe('SQL tools: budgets and writes.');

/** Telemetry context collection and prompt building. */
export const ContextSectionSchema = z
  .object({
    deadlineMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(5_000)
      .describe(
        'Time, in milliseconds, one context collection may take; after it the [SYSTEM] unavailable context is returned.',
      ),
    maxContextTokens: z
      .number()
      .int()
      .min(500)
      .max(200_000)
      .default(6_000)
      .describe(
        'Token budget of a context prompt: larger contexts are cut to valid JSON with a note of what was omitted.',
      ),
  })
  .describe('Telemetry context and prompts.');

/** The demo estate loaded into the embedded engines. */
export const DemoSectionSchema = z
  .object({
    load: z
      .enum(DEMO_LOAD_MODES)
      .default('embedded')
      .describe(
        'When to load the demo estate: `embedded` (only into embedded engines), `always` (also into configured servers), `never`.',
      ),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2_147_483_647)
      .default(1)
      .describe('Seed of the demo estate generator.'),
    size: z
      .enum(DEMO_SIZES)
      .default('standard')
      .describe(
        "Size of the demo estate: `small` (6 hours of history), `standard` (3 days), `large` (13 days, inside the raw tables' 14-day TTL).",
      ),
  })
  .describe('Demo estate.');

/** Defaults of every model call (analyze_telemetry, claude_conversation). */
export const LlmSectionSchema = z
  .object({
    defaultModel: z
      .string()
      .min(1)
      .default('claude-sonnet-4-20250514')
      .describe(
        'Model used when a call names none (any catalog id). With no key for its provider, a client that supports sampling answers instead.',
      ),
    maxTokens: z
      .number()
      .int()
      .min(1)
      .max(200_000)
      .default(4_096)
      .describe("Most output tokens of one call (capped at the model's own limit)."),
    temperature: z.number().min(0).max(2).default(0.3).describe('Sampling temperature, from 0 to 2.'),
    timeoutMs: z
      .number()
      .int()
      .min(1_000)
      .max(600_000)
      .default(60_000)
      .describe('Time, in milliseconds, one attempt of a model call may take.'),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe('Retries of a call answered 429 or 5xx (Retry-After honoured); 4xx is never retried.'),
  })
  .describe('Language models: call defaults.');

/**
 * The built-in providers with the variables their vendors document for the key (and, where
 * one exists, the server address), as `@tfo/llm-providers` defines them. Each becomes
 * `providers.<id>ApiKey` and `providers.<id>BaseUrl`.
 */
export const PROVIDER_VARIABLES: readonly {
  id: string;
  apiKeyVariable: string | undefined;
  baseUrlVariable: string | undefined;
}[] = BUILT_IN_PROVIDERS.map(({ id, apiKeyVariable, baseUrlVariable }) => ({
  id,
  apiKeyVariable,
  baseUrlVariable,
}));

/** An http(s) URL; Ollama's own `host:port` form is accepted for it (as `OLLAMA_HOST` allows). */
const BASE_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/;
const HOST_PORT = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

function providerKeys(): Record<string, z.ZodType<string>> {
  const shape: Record<string, z.ZodType<string>> = {};
  for (const { id, apiKeyVariable, baseUrlVariable } of PROVIDER_VARIABLES) {
    if (apiKeyVariable) {
      shape[`${id}ApiKey`] = z
        .string()
        .default('')
        .describe(
          `API key of ${id} (also read from ${apiKeyVariable}). Empty: ${id === 'custom' ? 'requests go without a key' : 'its models are not callable'}.`,
        );
    }
    const hostPortToo = id === 'ollama';
    shape[`${id}BaseUrl`] = z
      .string()
      .trim()
      .refine((v) => v === '' || BASE_URL.test(v) || (hostPortToo && HOST_PORT.test(v)), {
        message: hostPortToo
          ? 'an http(s) URL such as http://gpu-box:11434, or host:port'
          : 'an http(s) URL such as https://llm-gateway.example.com/v1',
      })
      .default('')
      .describe(
        `Base URL of ${id}${baseUrlVariable ? ` (also read from ${baseUrlVariable})` : ''}: the http(s) URL of a gateway, proxy or self-hosted endpoint${hostPortToo ? ' (or host:port)' : ''}. Empty: the public default.`,
      );
  }
  return shape;
}

/** Credentials and endpoints of the LLM providers. */
export const ProvidersSectionSchema = z.object(providerKeys()).describe('Language model providers.');

/** Session modes of the HTTP transport. */
export const HTTP_SESSION_MODES = ['stateless', 'stateful'] as const;

/** The Streamable HTTP transport. */
export const HttpSectionSchema = z
  .object({
    publicUrl: z
      .string()
      .default('')
      .describe(
        'URL clients reach the server at (behind a proxy or load balancer), e.g. https://mcp.example.com. Empty: http://<host>:<port>. The OAuth resource id and audience derive from it.',
      ),
    allowedHosts: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Host header values accepted besides the public URL and, on loopback binds, localhost/127.0.0.1/[::1]. Others get 421/403.',
      ),
    allowedOrigins: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Origins (scheme://host[:port]) accepted from browsers besides the public URL and loopback. A request with any other Origin gets 403.',
      ),
    maxBodyBytes: z
      .number()
      .int()
      .min(1_024)
      .max(64 * MIB)
      .default(4 * MIB)
      .describe('Largest request body accepted; larger gets 413.'),
    requestTimeoutMs: z
      .number()
      .int()
      .min(1_000)
      .max(3_600_000)
      .default(300_000)
      .describe('Time, in milliseconds, one HTTP request may take before the server ends it.'),
    sessions: z
      .enum(HTTP_SESSION_MODES)
      .default('stateless')
      .describe(
        '`stateless`: any replica answers any request; `stateful`: Mcp-Session-Id sessions kept by the replica that created them.',
      ),
    sessionTtlMs: z
      .number()
      .int()
      .min(10_000)
      .default(1_800_000)
      .describe('Idle time, in milliseconds, after which a stateful session expires (its id then gets 404).'),
    shutdownGraceMs: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(15_000)
      .describe('Time, in milliseconds, in-flight requests get to finish at shutdown.'),
  })
  .describe('HTTP transport.');

/** Who may call the HTTP server. */
export const AuthSectionSchema = z
  .object({
    apiKeys: z
      .boolean()
      .default(true)
      .describe(
        'Accept API keys of the api_keys table (Authorization: Bearer or X-API-Key), each scoped to its organization and scopes.',
      ),
    oauthIssuers: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Issuer URLs whose bearer JWTs are accepted (their JWKS found through the issuer's metadata). Empty: OAuth off.",
      ),
    oauthAudience: z
      .string()
      .default('')
      .describe("Audience a token must carry. Empty: the server's public URL (the protected resource id)."),
    oauthOrganizationClaim: z
      .string()
      .min(1)
      .default('org_id')
      .describe('JWT claim naming the organization (UUID) a token acts for.'),
    localKey: z
      .boolean()
      .default(true)
      .describe(
        'On a loopback bind with the embedded engines, create an API key for the demo organization at start and print it.',
      ),
    anonymousLoopback: z
      .boolean()
      .default(false)
      .describe(
        'Let requests without a credential act for tenancy.organizationId with every scope. Refused on a non-loopback bind.',
      ),
  })
  .describe('HTTP authentication.');

/** Rate and concurrency limits of the HTTP server. */
export const LimitsSectionSchema = z
  .object({
    userRequestsPerMinute: z
      .number()
      .int()
      .min(1)
      .default(100)
      .describe('Requests per minute of a user credential (OAuth token or personal key).'),
    serviceRequestsPerMinute: z
      .number()
      .int()
      .min(1)
      .default(1_000)
      .describe('Requests per minute of a service account key.'),
    burst: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Requests a credential may send at once above its steady rate.'),
    expensiveToolConcurrency: z
      .number()
      .int()
      .min(1)
      .default(4)
      .describe(
        'Calls of one expensive tool (SQL, context collection, model calls) running at once per credential; more get a retryable error.',
      ),
  })
  .describe('HTTP rate limits.');

/** The whole configuration: one entry per section, in the order they are documented. */
export const ServerConfigSchema = z.object({
  server: ServerSectionSchema.prefault({}),
  logging: LoggingSectionSchema.prefault({}),
  files: FilesSectionSchema.prefault({}),
  commands: CommandsSectionSchema.prefault({}),
  tenancy: TenancySectionSchema.prefault({}),
  data: DataSectionSchema.prefault({}),
  postgres: PostgresSectionSchema.prefault({}),
  clickhouse: ClickHouseSectionSchema.prefault({}),
  sql: SqlSectionSchema.prefault({}),
  context: ContextSectionSchema.prefault({}),
  demo: DemoSectionSchema.prefault({}),
  llm: LlmSectionSchema.prefault({}),
  providers: ProvidersSectionSchema.prefault({}),
  http: HttpSectionSchema.prefault({}),
  auth: AuthSectionSchema.prefault({}),
  limits: LimitsSectionSchema.prefault({}),
});

/** The validated configuration the apps hand down (camelCase keys). */
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

/** A log level name accepted by the logger and the configuration. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A log format accepted by the logger and the configuration. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Keys that are secret although their names do not match the secret-name pattern
 * (`key`, `token`, `secret`, `password`, `…url`). Dotted camelCase paths.
 */
export const SECRET_CONFIG_PATHS: ReadonlySet<string> = new Set<string>([]);

/** Keys holding file-system paths: resolved against the working directory. */
export const PATH_CONFIG_KEYS: ReadonlySet<string> = new Set(['files.roots', 'data.dir']);

/** Environment variable names kept from the original server, mapped to the key they set. */
export const CONFIG_ENV_ALIASES: Readonly<Record<string, string>> = {
  [`${ENV_PREFIX}LOG_LEVEL`]: 'logging.level',
  [`${ENV_PREFIX}LOG_FORMAT`]: 'logging.format',
  ...Object.fromEntries(
    PROVIDER_VARIABLES.flatMap(({ id, apiKeyVariable, baseUrlVariable }) => [
      ...(apiKeyVariable ? [[apiKeyVariable, `providers.${id}ApiKey`]] : []),
      ...(baseUrlVariable ? [[baseUrlVariable, `providers.${id}BaseUrl`]] : []),
    ]),
  ),
};

/** The server configuration with its secret, path and alias tables. */
export const SERVER_CONFIG_SPEC: ConfigSpec<typeof ServerConfigSchema> = {
  schema: ServerConfigSchema,
  envPrefix: ENV_PREFIX,
  secretPaths: SECRET_CONFIG_PATHS,
  envAliases: CONFIG_ENV_ALIASES,
  pathKeys: PATH_CONFIG_KEYS,
};

/** Key and base URL of one provider, as the model gateway takes them (empty values left out). */
export interface ProviderCredentials {
  apiKey?: string;
  baseUrl?: string;
}

/** The `providers` section by provider id: `{ anthropic: { apiKey }, ollama: { baseUrl }, ... }`. */
export function providerCredentialsOf(config: ServerConfig): Record<string, ProviderCredentials> {
  const section = config.providers as Record<string, string | undefined>;
  const out: Record<string, ProviderCredentials> = {};
  for (const { id } of PROVIDER_VARIABLES) {
    const apiKey = section[`${id}ApiKey`]?.trim();
    const raw = section[`${id}BaseUrl`]?.trim();
    const baseUrl = raw && !/^https?:\/\//.test(raw) ? `http://${raw}` : raw;
    if (!apiKey && !baseUrl) continue;
    out[id] = { ...(apiKey ? { apiKey } : {}), ...(baseUrl ? { baseUrl } : {}) };
  }
  return out;
}
