/**
 * ClickHouse integration tests on embedded chdb (one data directory per process, shared by
 * every test file of a jest worker), and against a server when TELEMETRYFLOW_MCP_CLICKHOUSE_URL is set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { TfoError } from '@tfo/domain';
import {
  connectClickHouseServer,
  startEmbeddedClickHouse,
  type ClickHouseEngine,
} from '../src/clickhouse/embedded.js';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { ClickHouseDatasource } from '../src/clickhouse/clickhouse-datasource.js';
import type { ClickHouseWriter } from '../src/clickhouse/clickhouse-writer.js';
import { runClickHouseMigrations, CLICKHOUSE_MIGRATIONS } from '../src/clickhouse/migrations.js';
import { processDataDir } from '../../../tools/jest/engines.js';

const SLOW = 60_000;
const limits = { timeoutMs: 10_000, maxRows: 1_000, maxBytes: 1_000_000 };

async function failure(p: Promise<unknown>): Promise<TfoError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(TfoError);
    return error as TfoError;
  }
  throw new Error('expected the call to fail');
}

const targets: { name: string; start: (dir: string) => Promise<ClickHouseEngine> }[] = [
  { name: 'embedded chdb', start: (dataDir) => startEmbeddedClickHouse({ dataDir }) },
];
const serverUrl = process.env['TELEMETRYFLOW_MCP_CLICKHOUSE_URL'];
if (serverUrl) {
  targets.push({ name: 'server', start: () => Promise.resolve(connectClickHouseServer({ url: serverUrl })) });
}

describe.each(targets)('ClickHouse on $name', ({ name, start }) => {
  let engine: ClickHouseEngine;
  let ds: ClickHouseDatasource;
  let writer: ClickHouseWriter;
  const org = `org_${Date.now()}`;

  beforeAll(async () => {
    // chdb binds one directory per process: the one every test file of this worker shares.
    engine = await start(join(processDataDir(), 'clickhouse'));
    writer = engine.createWriter();
    ds = engine.createDatasource({ limits });
  }, SLOW);

  afterAll(async () => {
    await ds?.close();
    await engine?.close();
  }, SLOW);

  const count = async (table: string): Promise<number> =>
    Number((await writer.select<{ c: string }>(`SELECT count() AS c FROM ${table}`))[0]?.c);

  it(
    'runs migrations, and a second run changes nothing',
    async () => {
      const first = await runClickHouseMigrations(writer);
      const tables = async (): Promise<string[]> =>
        (
          await writer.select<{ name: string }>(
            'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name',
          )
        ).map((r) => r.name);
      const before = await tables();
      const second = await runClickHouseMigrations(writer);
      expect(first.applied.length + first.skipped.length).toBe(CLICKHOUSE_MIGRATIONS.length);
      expect(second.applied).toEqual([]);
      expect(second.skipped).toEqual(CLICKHOUSE_MIGRATIONS.map((m) => m.version));
      expect(await tables()).toEqual(before);
      for (const t of [
        'metrics',
        'metrics_1m',
        'metrics_5m',
        'metrics_1d',
        'logs_1h',
        'service_latency_percentiles_1h',
        'service_error_rates_1h',
        'exemplars_1h',
        'uptime_checks',
        'audit_logs_1h',
        'tool_calls_1h',
        'api_usage_1h',
        'session_analytics_1h',
        'error_analytics_1h',
        'vm_metrics_1h',
        'kubernetes_metrics_1h',
        'signal_correlations_1h',
        'service_map_metrics_1h',
        'network_map_traffic_1h',
        'network_map_connection_metrics_1h',
        'anomaly_events',
        'predictions',
        'cost_data_daily_mv',
        'db_metrics_1h',
        'db_queries_1d',
        'security_events_1h',
        'resource_reads_1h',
        'uptime_checks_1m',
        'exemplars_1d',
      ]) {
        expect(before).toContain(t);
      }
      expect(await count('schema_migrations')).toBe(CLICKHOUSE_MIGRATIONS.length);
    },
    SLOW,
  );

  it('rolls raw metrics up into metrics_5m with the right avg and max', async () => {
    // Recent rows: TTLs drop rows that are already expired when they are written.
    const bucket = Math.floor(Date.now() / 300_000) * 300_000 - 3_600_000;
    const fmt = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    await writer.insert(
      'metrics',
      [10, 20, 60].map((value, i) => ({
        organization_id: org,
        workspace_id: 'ws',
        tenant_id: 't',
        timestamp: fmt(bucket + (i + 1) * 60_000),
        service_name: 'payment-processor',
        metric_name: 'cpu.usage',
        metric_type: 'gauge',
        value,
        labels: {},
      })),
    );
    const r = await ds.query<{ five_minutes: string; avg: number; max: number; n: string }>(
      `SELECT five_minutes, avgMerge(avg_value) AS avg, maxMerge(max_value) AS max, countMerge(count) AS n
       FROM metrics_5m WHERE organization_id = {org:String} GROUP BY five_minutes`,
      { params: { org } },
    );
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ five_minutes: fmt(bucket).slice(0, 19), avg: 30, max: 60 });
    expect(Number(r.rows[0]?.n)).toBe(3);
    expect(r.columns.map((c) => c.type)).toEqual(["DateTime('UTC')", 'Float64', 'Float64', 'UInt64']);
    const h = await ds.query(
      `SELECT countMerge(count) AS n FROM metrics_1h WHERE organization_id = {org:String}`,
      { params: { org } },
    );
    expect(Number(h.rows[0]?.['n'])).toBe(3);
  });

  // Rows a minute apart inside one recent 5-minute bucket (TTLs drop rows that are already expired).
  const recentBucket = Math.floor(Date.now() / 300_000) * 300_000 - 3_600_000;
  const at = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const tenant = (organization_id: string) => ({ organization_id, workspace_id: 'ws', tenant_id: 't' });
  // 64-bit integers arrive as numbers or as strings depending on the engine's JSON settings.
  const numeric = (rows: readonly Record<string, unknown>[]): Record<string, unknown>[] =>
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
      ),
    );

  it(
    'fills every rollup from one raw row, and every view writes exactly its target columns',
    async () => {
      const probe = `${org}_probe`;
      const views = await writer.select<{ name: string; target: string; source: string }>(
        `SELECT name, extract(create_table_query, 'TO (?:\\w+\\.)?(\\w+)') AS target,
           extract(create_table_query, 'FROM (?:\\w+\\.)?(\\w+)') AS source
         FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView' ORDER BY name`,
      );
      const columns = await writer.select<{ table: string; name: string; type: string }>(
        'SELECT table, name, type FROM system.columns WHERE database = currentDatabase() ORDER BY table, position',
      );
      const names = (table: string): string[] =>
        columns
          .filter((c) => c.table === table)
          .map((c) => c.name)
          .sort();
      expect(views.length).toBeGreaterThan(100);
      for (const view of views)
        expect([view.name, names(view.name)]).toEqual([view.name, names(view.target)]);
      const sampleValue = (type: string): unknown => {
        if (/^(LowCardinality\()?String/.test(type)) return 'x';
        if (/^DateTime/.test(type)) return at(recentBucket + 60_000);
        if (type === 'Bool') return true;
        if (/^Map\(/.test(type)) return {};
        return 1;
      };
      for (const source of [...new Set(views.map((v) => v.source))]) {
        const row: Record<string, unknown> = { ...tenant(probe) };
        for (const c of columns.filter((x) => x.table === source && !(x.name in row))) {
          row[c.name] = sampleValue(c.type);
        }
        await writer.insert(source, [row]);
      }
      const empty: string[] = [];
      for (const target of new Set(views.map((v) => v.target))) {
        const rows = await writer.select<{ c: string }>(
          `SELECT count() AS c FROM ${target} WHERE organization_id = {o:String}`,
          { o: probe },
        );
        if (Number(rows[0]?.c) !== 1) empty.push(target);
      }
      expect(empty).toEqual([]);
    },
    SLOW,
  );

  it('rolls vm_metrics up into vm_metrics_1h and vm_metrics_1d (avgMerge / maxMerge)', async () => {
    await writer.insert(
      'vm_metrics',
      [10, 20, 60].map((value, i) => ({
        ...tenant(org),
        timestamp: at(recentBucket + (i + 1) * 60_000),
        vm_id: 'vm-1',
        host_name: 'web-01',
        metric_name: 'cpu.usage',
        value,
        unit: 'percent',
      })),
    );
    for (const table of ['vm_metrics_1h', 'vm_metrics_1d']) {
      const r = await ds.query<{ avg: number; max: number; min: number; n: string }>(
        `SELECT avgMerge(avg_value) AS avg, maxMerge(max_value) AS max, minMerge(min_value) AS min,
           countMerge(count) AS n
         FROM ${table} WHERE organization_id = {org:String} AND vm_id = 'vm-1' AND metric_name LIKE 'cpu%'`,
        { params: { org } },
      );
      expect([table, numeric(r.rows)]).toEqual([table, [{ avg: 30, max: 60, min: 10, n: 3 }]]);
    }
  });

  it('reads cost_data_daily_mv through the read-only datasource, summed per day', async () => {
    await writer.insert(
      'cost_data',
      [1.25, 2.5, 4].map((cost_usd, i) => ({
        ...tenant(org),
        timestamp: at(recentBucket + i * 60_000),
        service_name: 'checkout',
        provider: 'aws',
        resource_type: 'compute',
        cost_usd,
        usage_quantity: 1,
        usage_unit: 'hours',
      })),
    );
    const r = await ds.query<{ day: string; service_name: string; provider: string; total: number }>(
      `SELECT day, service_name, provider, sum(total_cost_usd) AS total
       FROM cost_data_daily_mv WHERE organization_id = {org:String}
       GROUP BY day, service_name, provider`,
      { params: { org } },
    );
    const day = new Date(recentBucket).toISOString().slice(0, 10);
    expect(r.rows).toEqual([
      { day: `${day} 00:00:00`, service_name: 'checkout', provider: 'aws', total: 7.75 },
    ]);
  });

  it('summarises query fingerprints in db_queries_5m (calls, errors, avg, p95, max)', async () => {
    const durations = [5, 10, 15, 20, 100];
    await writer.insert(
      'db_queries',
      durations.map((duration_ms, i) => ({
        ...tenant(org),
        timestamp: at(recentBucket + 60_000 + i * 1_000),
        database_instance_id: 'db-1',
        engine: 'postgresql',
        fingerprint: 'SELECT * FROM orders WHERE id = ?',
        query_sample: `SELECT * FROM orders WHERE id = ${i}`,
        duration_ms,
        rows_examined: 10,
        rows_returned: 1,
        error: i === 4 ? 'canceling statement due to statement timeout' : '',
      })),
    );
    const r = await ds.query<Record<string, unknown>>(
      `SELECT engine, sum(calls) AS calls, sum(errors) AS errors, sum(rows_examined) AS examined,
         avgMerge(avg_duration_ms) AS avg, maxMerge(max_duration_ms) AS max,
         quantileMerge(0.95)(p95_duration_ms) > 20 AS p95_above_20
       FROM db_queries_5m WHERE organization_id = {org:String} GROUP BY engine, fingerprint`,
      { params: { org } },
    );
    expect(numeric(r.rows)).toEqual([
      { engine: 'postgresql', calls: 5, errors: 1, examined: 50, avg: 30, max: 100, p95_above_20: 1 },
    ]);
  });

  it('rolls uptime checks and resource reads up (availability, response time, read counts)', async () => {
    await writer.insert(
      'uptime_checks',
      [true, true, true, false].map((success, i) => ({
        ...tenant(org),
        checked_at: at(recentBucket + i * 30_000),
        monitor_id: 'm-1',
        monitor_name: 'checkout',
        region: 'eu-west',
        success,
        response_time: (i + 1) * 100,
      })),
    );
    const up = await ds.query<Record<string, unknown>>(
      `SELECT sum(checks) AS checks, sum(failures) AS failures, avgMerge(avg_response_time) AS avg,
         maxMerge(max_response_time) AS max
       FROM uptime_checks_15m WHERE organization_id = {org:String} AND monitor_id = 'm-1'`,
      { params: { org } },
    );
    expect(numeric(up.rows)).toEqual([{ checks: 4, failures: 1, avg: 250, max: 400 }]);
    await writer.insert(
      'resource_reads',
      ['success', 'error'].map((outcome, i) => ({
        ...tenant(org),
        timestamp: at(recentBucket + i * 1_000),
        session_id: 's-1',
        uri_scheme: 'config',
        uri: 'config://server',
        duration_ms: 4,
        outcome,
        error_code: outcome === 'error' ? 'NOT_FOUND' : '',
      })),
    );
    const reads = await ds.query<Record<string, unknown>>(
      `SELECT sum(read_count) AS reads, sum(error_count) AS errors, sum(total_duration_ms) AS ms
       FROM resource_reads_1h WHERE organization_id = {org:String} AND uri_scheme = 'config'`,
      { params: { org } },
    );
    expect(numeric(reads.rows)).toEqual([{ reads: 2, errors: 1, ms: 8 }]);
  });

  it('binds parameters: an injection attempt returns no rows', async () => {
    const r = await ds.query('SELECT count() AS n FROM metrics WHERE organization_id = {org:String}', {
      params: { org: "' OR 1=1 --" },
    });
    expect(Number(r.rows[0]?.['n'])).toBe(0);
    const ok = await ds.query('SELECT count() AS n FROM metrics WHERE organization_id = {org:String}', {
      params: { org },
    });
    expect(Number(ok.rows[0]?.['n'])).toBe(3);
  });

  it(
    'enforces read-only in the engine: writes, DDL, SETTINGS readonly=0, OUTFILE, file(), url() all fail',
    async () => {
      const before = await count('metrics');
      const outfile = join(processDataDir(), `out-${Date.now()}.txt`);
      const attempts = [
        `INSERT INTO metrics (organization_id, value) VALUES ('${org}', 1)`,
        'ALTER TABLE metrics DELETE WHERE 1',
        'ALTER TABLE metrics ADD COLUMN evil UInt8',
        'DROP TABLE metrics',
        'CREATE TABLE evil (a UInt8) ENGINE = Memory',
        'SELECT 1 SETTINGS readonly = 0',
        `SELECT 1 INTO OUTFILE '${outfile}'`,
        `SELECT * FROM file('/etc/passwd', 'LineAsString')`,
        `SELECT * FROM url('http://127.0.0.1:9/x', 'LineAsString')`,
        `INSERT INTO FUNCTION file('${outfile}', 'CSV', 'a UInt8') VALUES (1)`,
      ];
      for (const sql of attempts) {
        const error = await failure(ds.query(sql));
        expect([sql, error.code]).toEqual([sql, 'DATASOURCE.READ_ONLY']);
      }
      expect(await count('metrics')).toBe(before);
      expect(existsSync(outfile)).toBe(false);
      const tables = await writer.select<{ name: string }>(
        "SELECT name FROM system.tables WHERE name = 'evil'",
      );
      expect(tables).toEqual([]);
      const cols = await writer.select<{ name: string }>(
        "SELECT name FROM system.columns WHERE table = 'metrics' AND name = 'evil'",
      );
      expect(cols).toEqual([]);
      // The datasource keeps working after refusals (chdb: settings do not stick across queries).
      expect((await ds.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    },
    SLOW,
  );

  it(
    'caps a 10M-row answer in rows and bytes with a truncation notice',
    async () => {
      const r = await ds.query('SELECT number FROM system.numbers LIMIT 10000000', { maxRows: 500 });
      expect(r.rowCount).toBe(500);
      expect(r.truncated).toMatchObject({ reason: 'rows', limit: 500, returnedRows: 500 });
      expect(r.truncated?.hint).toMatch(/WHERE/);
      expect(r.columns).toEqual([{ name: 'number', type: 'UInt64' }]);
      const b = await ds.query("SELECT number, repeat('x', 100) AS pad FROM numbers(100000)", {
        maxBytes: 10_000,
      });
      expect(b.truncated?.reason).toBe('bytes');
      expect(b.rowCount).toBeGreaterThan(0);
      expect(b.rowCount).toBeLessThan(100);
    },
    SLOW,
  );

  it(
    'stops a query past its time budget with DATASOURCE.QUERY_TIMEOUT',
    async () => {
      const error = await failure(ds.query('SELECT count() FROM numbers(1e11)', { timeoutMs: 500 }));
      expect(error.code).toBe('DATASOURCE.QUERY_TIMEOUT');
      expect(error.message).toContain('500 ms');
      if (name === 'server') {
        const left = await writer.select(
          "SELECT query_id FROM system.processes WHERE query LIKE '%numbers(1e11)%' AND query NOT LIKE '%system.processes%'",
        );
        expect(left).toEqual([]);
      }
    },
    SLOW,
  );

  it('names an unknown table and suggests near matches', async () => {
    const error = await failure(ds.query('SELECT * FROM metrcs_5m'));
    expect(error.code).toBe('DATASOURCE.UNKNOWN_TABLE');
    expect(error.details?.['nearMatches']).toContain('metrics_5m');
    expect(error.message).toContain('metrics_5m');
  });

  it('reports a syntax error with its position', async () => {
    const error = await failure(ds.query('SELECT count( FROM metrics'));
    expect(error.code).toBe('DATASOURCE.SYNTAX_ERROR');
    expect(typeof error.details?.['position']).toBe('number');
  });

  it('pings', async () => {
    expect(await ds.ping()).toBe(true);
  });

  if (name === 'embedded chdb') {
    it('respects a connection that is already read-only (no settings sent, so no code 164)', async () => {
      const connection = createChdbConnection({ path: join(processDataDir(), 'clickhouse') });
      // chdb ships its own copy of @clickhouse/client-common's types (a patch version apart).
      const client = createClient({ connection: connection as never });
      await client.command({ query: 'SET readonly = 1' });
      const roDs = new ClickHouseDatasource({ client, limits, readOnly: true, engineKind: 'embedded' });
      try {
        expect(await roDs.userReadonlyLevel()).toBe(1);
        expect((await roDs.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
        expect((await roDs.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
        const capped = await roDs.query('SELECT number FROM numbers(5000)', { maxRows: 10 });
        expect(capped.truncated?.reason).toBe('rows');
        expect((await failure(roDs.query('DROP TABLE metrics'))).code).toBe('DATASOURCE.READ_ONLY');
      } finally {
        await roDs.close();
      }
    });

    it(
      'keeps data across a restart on the same data directory',
      async () => {
        const before = await count('metrics');
        await ds.close();
        await engine.close();
        engine = await start(join(processDataDir(), 'clickhouse'));
        writer = engine.createWriter();
        ds = engine.createDatasource({ limits });
        expect(await count('metrics')).toBe(before);
        expect((await runClickHouseMigrations(writer)).applied).toEqual([]);
      },
      SLOW,
    );
  }
});

describe('ClickHouse server that is not there', () => {
  it('answers DATASOURCE.UNREACHABLE and ping false', async () => {
    const engine = connectClickHouseServer({ url: 'http://127.0.0.1:1', requestTimeoutMs: 2_000 });
    const ds = engine.createDatasource({ limits });
    try {
      expect((await failure(ds.query('SELECT 1'))).code).toBe('DATASOURCE.UNREACHABLE');
      expect(await ds.ping(1_000)).toBe(false);
    } finally {
      await ds.close();
      await engine.close();
    }
  });
});
