/**
 * ClickHouse integration tests on embedded chdb (one engine per process: all ClickHouse
 * tests share this file), and against a server when TELEMETRYFLOW_MCP_CLICKHOUSE_URL is set.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  let dir: string;
  let engine: ClickHouseEngine;
  let ds: ClickHouseDatasource;
  let writer: ClickHouseWriter;
  const org = `org_${Date.now()}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfo-ch-'));
    engine = await start(join(dir, 'data'));
    writer = engine.createWriter();
    ds = engine.createDatasource({ limits });
  }, SLOW);

  afterAll(async () => {
    await ds?.close();
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
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
      const outfile = join(dir, 'out.txt');
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
      const connection = createChdbConnection({ path: join(dir, 'data') });
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
        engine = await start(join(dir, 'data'));
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
