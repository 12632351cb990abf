/**
 * The data plane from the configuration: which engines (configured servers or the embedded
 * ones), where the embedded ones keep their data, the query budgets, whether the demo estate is
 * loaded, and the write path of pg_query / ch_query.
 *
 * Loaded only when `data.enabled` is on (through `openDataPlane`'s dynamic import), so a server
 * without engines never loads the drivers.
 *
 * Decision: the demo estate is loaded when `demo.load` is `always`, or when it is `embedded`
 * and neither engine has a configured URL (a production server is never seeded by default).
 */
import { DataPlane, SqlWriteGateway, seedDemoEstate, type DemoLoader } from '@tfo/datasources';
import type { Logger } from '@tfo/domain';
import type { ServerConfig } from '@tfo/runtime';

/** Progress lines are logged at most this often while the demo estate loads. */
const PROGRESS_LOG_MS = 5_000;

function rows(count: number): string {
  return count.toLocaleString('en-US');
}

/** Loads (first start) or tops up (later starts) the demo estate, logging its progress. */
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
      logger, // the seeder names its own component
      onProgress: (p) => {
        progress(`${p.phase}: ${p.table} ${rows(p.rowsWritten)}/${rows(p.rowsPlanned)} rows`);
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
        : `${report.action}, ${rows(report.totalRows)} rows in ${(report.durationMs / 1000).toFixed(1)} s, generated until ${report.generatedUntil?.toISOString() ?? 'n/a'}`;
    log.info(
      { action: report.action, rows: report.totalRows, durationMs: Math.round(report.durationMs) },
      `demo estate ${summary}`,
    );
    return summary;
  };
}

/** True when `config` asks for the demo estate; see the module header. */
export function loadsDemoEstate(config: ServerConfig): boolean {
  const embedded = config.postgres.url === '' && config.clickhouse.url === '';
  return config.demo.load === 'always' || (config.demo.load === 'embedded' && embedded);
}

/** The data plane for `config`, keeping the embedded engines' data in `dataDir`; not yet started. */
export function createDataPlane(config: ServerConfig, logger: Logger, dataDir: string): DataPlane {
  return new DataPlane({
    dataDir,
    logger,
    ...(loadsDemoEstate(config) ? { demo: demoLoader(config, logger) } : {}),
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

/** The write path of pg_query / ch_query when the operator enabled writes (`sql.allowWrites`), else undefined. */
export function createWriteGate(config: ServerConfig, plane: DataPlane): SqlWriteGateway | undefined {
  return config.sql.allowWrites
    ? new SqlWriteGateway(plane, ['postgresql', 'clickhouse'], config.sql.timeoutMs)
    : undefined;
}
