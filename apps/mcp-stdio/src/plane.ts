/**
 * Builds the data plane from the configuration: which engines, where their data lives, the
 * query budgets, and whether the demo estate is loaded.
 */
import { homedir } from 'node:os';
import { DataPlane } from '@tfo/datasources';
import type { Logger } from '@tfo/domain';
import { resolveDataDir, type ServerConfig } from '@tfo/runtime';

/** The data plane for `config`, not yet started. */
export function createDataPlane(config: ServerConfig, logger: Logger): DataPlane {
  const dataDir = resolveDataDir(config.data.dir, {
    homeDir: homedir(),
    runningAsRoot: process.getuid?.() === 0,
    xdgDataHome: process.env['XDG_DATA_HOME'],
  });
  return new DataPlane({
    dataDir,
    logger,
    budgets: { timeoutMs: config.sql.timeoutMs, maxRows: config.sql.maxRows, maxBytes: config.sql.maxBytes },
    postgres: {
      url: config.postgres.url,
      readonlyUrl: config.postgres.readonlyUrl,
      pool: {
        max: config.postgres.poolMax,
        connectionTimeoutMillis: config.postgres.connectionTimeoutMs,
        idleTimeoutMillis: config.postgres.idleTimeoutMs,
      },
      createSystemUser: config.data.createSystemUser,
    },
    clickhouse: {
      url: config.clickhouse.url,
      username: config.clickhouse.username,
      password: config.clickhouse.password,
      database: config.clickhouse.database,
    },
  });
}
