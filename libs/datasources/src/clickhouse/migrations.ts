/**
 * Versioned, idempotent ClickHouse migrations.
 *
 * Invariants:
 * - `schema_migrations` (version, name, checksum, applied_at) records each applied version.
 *   Only missing versions run, in ascending order; re-running is a no-op.
 * - Every statement is `CREATE ... IF NOT EXISTS`: nothing is ever dropped or rewritten, and
 *   a migration interrupted half-way is safe to run again.
 * - The checksum (SHA-256 of the statements) of an applied version must match the code's; a
 *   mismatch means a shipped migration was edited, and start-up fails rather than guess.
 * - Single-node DDL; `ON CLUSTER` is not emitted (a cluster runs the same DDL per node or
 *   through a Replicated database).
 */
import { createHash } from 'node:crypto';
import { ConfigurationError, noopLogger, type Logger } from '@tfo/domain';
import type { ClickHouseWriter } from './clickhouse-writer.js';
import { DATABASE_SCHEMA } from './schema/database.js';
import { INFRASTRUCTURE_SCHEMA } from './schema/infrastructure.js';
import { INSIGHTS_SCHEMA } from './schema/insights.js';
import { MAPS_SCHEMA } from './schema/maps.js';
import {
  PLATFORM_GRAINS_SCHEMA,
  PLATFORM_SCHEMA,
  RESOURCE_READS_SCHEMA,
  SERVER_ANALYTICS_SCHEMA,
} from './schema/platform.js';
import { SECURITY_SCHEMA } from './schema/security.js';
import { LOGS_SCHEMA, METRICS_SCHEMA, TRACES_GRAINS_SCHEMA, TRACES_SCHEMA } from './schema/telemetry.js';

/** One versioned migration. */
export interface ClickHouseMigration {
  /** Strictly increasing version number. */
  version: number;
  /** Short name, e.g. `metrics`. */
  name: string;
  /** Idempotent statements, run in order. */
  statements: readonly string[];
}

/**
 * The ClickHouse migrations shipped with this library, in order. Append new versions; a
 * shipped version's statements never change (its checksum is recorded where it ran).
 */
export const CLICKHOUSE_MIGRATIONS: readonly ClickHouseMigration[] = [
  { version: 1, name: 'metrics', statements: METRICS_SCHEMA },
  { version: 2, name: 'logs', statements: LOGS_SCHEMA },
  { version: 3, name: 'traces_exemplars', statements: TRACES_SCHEMA },
  { version: 4, name: 'uptime_audit', statements: PLATFORM_SCHEMA },
  { version: 5, name: 'server_analytics', statements: SERVER_ANALYTICS_SCHEMA },
  { version: 6, name: 'infrastructure', statements: INFRASTRUCTURE_SCHEMA },
  { version: 7, name: 'service_network_maps', statements: MAPS_SCHEMA },
  { version: 8, name: 'intelligence_cost', statements: INSIGHTS_SCHEMA },
  { version: 9, name: 'database_security', statements: [...DATABASE_SCHEMA, ...SECURITY_SCHEMA] },
  { version: 10, name: 'resource_reads', statements: RESOURCE_READS_SCHEMA },
  { version: 11, name: 'rollup_grains', statements: [...TRACES_GRAINS_SCHEMA, ...PLATFORM_GRAINS_SCHEMA] },
  // Who made each model call (credential and client), beside the session it belongs to.
  {
    version: 12,
    name: 'api_usage_caller',
    statements: [`ALTER TABLE api_usage ADD COLUMN IF NOT EXISTS caller String DEFAULT ''`],
  },
];

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`;

/** SHA-256 over a migration's statements. */
export function migrationChecksum(migration: ClickHouseMigration): string {
  return createHash('sha256').update(migration.statements.join('\n;\n')).digest('hex');
}

/** What {@link runClickHouseMigrations} did. */
export interface MigrationReport {
  /** Versions applied by this run. */
  applied: number[];
  /** Versions that were already applied. */
  skipped: number[];
}

/** Applies the missing migrations in version order through `writer`. */
export async function runClickHouseMigrations(
  writer: ClickHouseWriter,
  options: { logger?: Logger; migrations?: readonly ClickHouseMigration[] } = {},
): Promise<MigrationReport> {
  const logger = (options.logger ?? noopLogger).child({ component: 'clickhouse-migrations' });
  const migrations = [...(options.migrations ?? CLICKHOUSE_MIGRATIONS)].sort((a, b) => a.version - b.version);
  await writer.execute(MIGRATIONS_TABLE);
  const rows = await writer.select<{ version: number | string; checksum: string }>(
    'SELECT version, argMax(checksum, applied_at) AS checksum FROM schema_migrations GROUP BY version',
  );
  const applied = new Map(rows.map((r) => [Number(r.version), r.checksum]));
  const report: MigrationReport = { applied: [], skipped: [] };
  for (const migration of migrations) {
    const checksum = migrationChecksum(migration);
    const existing = applied.get(migration.version);
    if (existing !== undefined) {
      if (existing !== checksum) {
        throw new ConfigurationError(
          `ClickHouse migration ${migration.version} (${migration.name}) was changed after it was applied.`,
          { code: 'DATASOURCE.MIGRATION_CHECKSUM_MISMATCH', details: { version: migration.version } },
        );
      }
      report.skipped.push(migration.version);
      continue;
    }
    logger.info({ version: migration.version, name: migration.name }, 'applying ClickHouse migration');
    for (const statement of migration.statements) await writer.execute(statement);
    await writer.insert('schema_migrations', [
      { version: migration.version, name: migration.name, checksum },
    ]);
    report.applied.push(migration.version);
  }
  return report;
}
