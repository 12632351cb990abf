/**
 * Loaded only when `data.enabled` is on, so a server without engines does not load the drivers.
 *
 * Builds the data plane from the configuration: which engines, where their data lives, the
 * query budgets, and whether the demo estate is loaded.
 */
import { homedir } from 'node:os';
import { DataPlane, SqlWriteGateway, seedDemoEstate, type DemoLoader } from '@tfo/datasources';
import type { Logger } from '@tfo/domain';
import { resolveDataDir, type ServerConfig } from '@tfo/runtime';

/** Progress lines are logged at most this often while the demo estate loads. */
const PROGRESS_LOG_MS = 5_000;

/** Loads (first start) or tops up (later starts) the demo estate, logging progress on stderr. */
function demoLoader(config: ServerConfig, logger: Logger): DemoLoader {
  const log = logger.child({ component: 'demo-estate' });
  return async ({ postgres, clickhouse, signal, progress }) => {
    let lastLog = 0;
    log.info({ seed: config.demo.seed, size: config.demo.size }, 'loading the demo estate');
    const report = await seedDemoEstate({
      postgres: postgres.writer,
      clickhouse: clickhouse.writer,
      seed: config.demo.seed,
      size: config.demo.size,
      signal,
      logger: log,
      onProgress: (p) => {
        const detail = `${p.phase}: ${p.table} ${p.rowsWritten.toLocaleString('en-US')}/${p.rowsPlanned.toLocaleString('en-US')} rows`;
        progress(detail);
        const now = Date.now();
        if (now - lastLog >= PROGRESS_LOG_MS) {
          lastLog = now;
          log.info(
            { phase: p.phase, table: p.table, rowsWritten: p.rowsWritten, rowsPlanned: p.rowsPlanned },
            'demo estate progress',
          );
        }
      },
    });
    const summary =
      report.action === 'skipped'
        ? `skipped: ${report.reason ?? ''}`
        : `${report.action}, ${report.totalRows.toLocaleString('en-US')} rows in ${(report.durationMs / 1000).toFixed(1)} s, generated until ${report.generatedUntil?.toISOString() ?? 'n/a'}`;
    log.info(
      { action: report.action, rows: report.totalRows, durationMs: Math.round(report.durationMs) },
      `demo estate ${summary}`,
    );
    return summary;
  };
}

/** The data plane for `config`, not yet started. */
export function createDataPlane(config: ServerConfig, logger: Logger): DataPlane {
  const embedded = config.postgres.url === '' && config.clickhouse.url === '';
  const loadDemo = config.demo.load === 'always' || (config.demo.load === 'embedded' && embedded);
  const dataDir = resolveDataDir(config.data.dir, {
    homeDir: homedir(),
    runningAsRoot: process.getuid?.() === 0,
    xdgDataHome: process.env['XDG_DATA_HOME'],
  });
  return new DataPlane({
    dataDir,
    logger,
    ...(loadDemo ? { demo: demoLoader(config, logger) } : {}),
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

/** The write path of pg_query / ch_query when the operator enabled writes, else undefined. */
export function createWriteGate(config: ServerConfig, plane: DataPlane): SqlWriteGateway | undefined {
  return config.sql.allowWrites
    ? new SqlWriteGateway(plane, ['postgresql', 'clickhouse'], config.sql.timeoutMs)
    : undefined;
}
