/**
 * @tfo/runtime: what the stdio and HTTP apps share: configuration (schema, loader,
 * redaction, generated YAML and docs), the stderr logger, and CLI parsing.
 *
 * A library: it never reads the process environment or arguments, the home or working
 * directory, and never writes to stdout. The app passes those in.
 */

/** The configuration schema, its sections and the tables of secret, path and alias keys. */
export {
  ServerConfigSchema,
  ServerSectionSchema,
  LoggingSectionSchema,
  FilesSectionSchema,
  CommandsSectionSchema,
  TenancySectionSchema,
  DataSectionSchema,
  PostgresSectionSchema,
  ClickHouseSectionSchema,
  SqlSectionSchema,
  ContextSectionSchema,
  DemoSectionSchema,
  LlmSectionSchema,
  ProvidersSectionSchema,
  HttpSectionSchema,
  AuthSectionSchema,
  LimitsSectionSchema,
  HTTP_SESSION_MODES,
  PROVIDER_VARIABLES,
  providerCredentialsOf,
  type ProviderCredentials,
  DEMO_LOAD_MODES,
  DEMO_SIZES,
  SERVER_CONFIG_SPEC,
  SECRET_CONFIG_PATHS,
  PATH_CONFIG_KEYS,
  CONFIG_ENV_ALIASES,
  LOG_LEVELS,
  LOG_FORMATS,
  TRANSPORTS,
  type ServerConfig,
  type LogLevel,
  type LogFormat,
} from './config/schema.js';

/** Key metadata derived from a schema: env names, YAML paths, defaults, descriptions. */
export {
  ENV_PREFIX,
  REDACTED,
  SECRET_KEY_PATTERN,
  describeConfig,
  configKeys,
  type ConfigSpec,
  type ConfigKey,
  type ConfigSection,
  type ConfigValueKind,
} from './config/config-keys.js';

/** Loading: environment over YAML over defaults, one readable error for every problem. */
export {
  loadConfig,
  loadConfigWithSpec,
  configFileCandidates,
  type ConfigSources,
  type LoadedConfig,
  type ConfigProblem,
} from './config/loader.js';

/** The embedded engines' data directory when none is configured. */
export { resolveDataDir, type DataDirContext } from './config/data-dir.js';

/** Hiding secrets in configuration and text. */
export { redactConfig, redactText, redactUrlCredentials, secretValues } from './config/redact.js';

/** The commented YAML written by `init-config`. */
export { renderConfigYaml, DEFAULT_CONFIG_FILE_NAME } from './config/init-config.js';

/** The generated configuration reference in docs/configuration.md. */
export { renderConfigurationReference, REFERENCE_BEGIN_MARKER, REFERENCE_END_MARKER } from './config/docs.js';

/** The stderr logger and the structural logger type libraries accept. */
export {
  createLogger,
  setLogLevel,
  mcpLevelToPino,
  noopLogger,
  LOG_REDACT_PATHS,
  MCP_LOG_LEVELS,
  type Logger,
  type LogFn,
  type AppLogger,
  type CreateLoggerOptions,
  type McpLogLevel,
} from './logging/logger.js';

/** Command-line parsing and help text. */
export {
  parseCli,
  renderHelp,
  CLI_COMMANDS,
  type CliCommand,
  type CliCommandName,
} from './cli/parse-args.js';
