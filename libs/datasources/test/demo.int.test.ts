/**
 * The demo estate against the real engines: seeding a small estate, determinism, top-ups,
 * the three incidents read back through the read-only datasources, and tenant isolation.
 * Every estate here uses fresh organization ids (the chdb directory is shared by the test
 * files of a worker).
 */
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestEngines, type TestEngines } from '../../../tools/jest/engines.js';
import {
  collectDemoRows,
  seedDemoEstate,
  type DemoProgress,
  type DemoSeedReport,
} from '../src/demo/index.js';

const SLOW = 180_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SEED = 7;

let engines: TestEngines;
// The latest 14:00 UTC: recent (inside the raw tables' TTL), hour-aligned (hourly rollups split
// cleanly around the incidents) and at the primary organization's busy hours.
const now = new Date(Math.floor((Date.now() - 14 * HOUR) / (24 * HOUR)) * 24 * HOUR + 14 * HOUR);
const A = now.getTime();
const estateA = [randomUUID(), randomUUID()];
const estateB = [randomUUID(), randomUUID()];
let reportA: DemoSeedReport;
let reportB: DemoSeedReport;
const progress: DemoProgress[] = [];

/** ClickHouse DateTime64 text of epoch milliseconds. */
const ts = (ms: number): string => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

async function ch<Row = Record<string, unknown>>(
  sql: string,
  params: Record<string, unknown> = {},
): Promise<Row[]> {
  const result = await engines.ch.datasource.query<Row>(sql, { params, maxRows: 10_000 });
  return result.rows;
}

async function pg<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const result = await engines.pg.datasource.query<Row>(sql, { params, maxRows: 10_000 });
  return result.rows;
}

async function chCount(table: string, org: string, time = 'timestamp'): Promise<number> {
  const rows = await ch<{ c: string }>(
    `SELECT count() AS c FROM ${table} WHERE organization_id = {org:String} AND ${time} IS NOT NULL`,
    { org },
  );
  return Number(rows[0]?.c);
}

const seed = (
  ids: string[],
  at: Date,
  extra: Partial<Parameters<typeof seedDemoEstate>[0]> = {},
): Promise<DemoSeedReport> =>
  seedDemoEstate({
    postgres: engines.pg.writer,
    clickhouse: engines.ch.writer,
    size: 'small',
    seed: SEED,
    now: at,
    organizationIds: ids,
    ...extra,
  });

beforeAll(async () => {
  engines = await startTestEngines();
  reportA = await seed(estateA, now, { onProgress: (p) => progress.push(p) });
  reportB = await seed(estateB, now);
}, SLOW);

afterAll(async () => {
  await engines?.close();
}, SLOW);

const TIME_COLUMN: Record<string, string> = { uptime_checks: 'checked_at', predictions: 'created_at' };

describe('seeding a small estate', () => {
  it('creates the estate and reports what it wrote', () => {
    expect(reportA.action).toBe('created');
    expect(reportA.skippedTables).toEqual([]);
    expect(reportA.anchor?.toISOString()).toBe(now.toISOString());
    expect(reportA.window).toEqual({ from: new Date(A - 6 * HOUR), to: now });
    expect(reportA.totalRows).toBeGreaterThan(100_000);
    expect(progress[0]?.phase).toBe('inventory');
    expect(progress.some((p) => p.phase === 'history')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', rowsWritten: reportA.totalRows });
  });

  it('fills every ClickHouse table it reports, for each organization', async () => {
    const tables = Object.keys(reportA.rows.clickhouse);
    expect(tables.length).toBeGreaterThanOrEqual(20);
    for (const table of tables) {
      for (const org of estateA) {
        expect({
          table,
          org,
          rows: (await chCount(table, org, TIME_COLUMN[table] ?? 'timestamp')) > 0,
        }).toEqual({ table, org, rows: true });
      }
    }
  });

  it('fills the rollups the platform reads', async () => {
    for (const table of [
      'metrics_5m',
      'logs_1h',
      'service_latency_percentiles_1h',
      'service_error_rates_1h',
      'exemplars_1h',
      'signal_correlations_1h',
      'vm_metrics_1h',
      'kubernetes_metrics_1h',
      'service_map_metrics_1h',
      'network_map_traffic_1h',
      'network_map_connection_metrics_1h',
      'db_metrics_5m',
      'db_queries_1h',
      'audit_logs_1h',
      'cost_data_daily_mv',
      'tool_calls_1h',
    ]) {
      const time = table === 'cost_data_daily_mv' ? 'day' : table.endsWith('_5m') ? 'five_minutes' : 'hour';
      expect({ table, rows: (await chCount(table, estateA[0] as string, time)) > 0 }).toEqual({
        table,
        rows: true,
      });
    }
  });

  it('fills every PostgreSQL table it reports, for each organization', async () => {
    const global = new Set(['regions', 'plans', 'permissions']);
    for (const table of Object.keys(reportA.rows.postgres).filter((t) => !global.has(t))) {
      const column = table === 'organizations' ? 'id' : 'organization_id';
      for (const org of estateA) {
        const rows = await pg<{ c: string }>(`SELECT count(*) AS c FROM ${table} WHERE ${column} = $1`, [
          org,
        ]);
        expect({ table, org, rows: Number(rows[0]?.c) > 0 }).toEqual({ table, org, rows: true });
      }
    }
    const estate = await pg<{
      seed: string;
      size: string;
      anchor: Date;
      generated_until: Date;
      lease_until: Date | null;
    }>(
      'SELECT seed::text AS seed, size, anchor, generated_until, lease_until FROM demo_estate WHERE organization_id = $1',
      [estateA[0]],
    );
    expect(estate[0]).toMatchObject({ seed: String(SEED), size: 'small', lease_until: null });
    expect(new Date(estate[0]?.generated_until ?? 0).getTime()).toBe(A);
  });
});

describe('determinism', () => {
  it(
    'writes the same values for two estates with the same seed and anchor',
    async () => {
      expect(reportB.rows.clickhouse).toEqual(reportA.rows.clickhouse);
      const digests: [string, string][] = [
        ['metrics', 'tuple(service_name, metric_name, toString(timestamp), value)'],
        ['traces', 'tuple(service_name, span_name, toString(timestamp), duration_ns, status_code)'],
        ['logs', 'tuple(service_name, severity_text, toString(timestamp), body)'],
        ['db_metrics', 'tuple(instance_name, metric_name, toString(timestamp), value)'],
        ['kubernetes_metrics', 'tuple(cluster_name, resource_name, metric_name, toString(timestamp), value)'],
        ['uptime_checks', 'tuple(monitor_name, region, toString(checked_at), success, response_time)'],
      ];
      for (const [table, row] of digests) {
        const digest = async (org: string): Promise<string> =>
          String(
            (
              await ch<{ d: string }>(
                `SELECT toString(cityHash64(arraySort(groupArray(${row})))) AS d FROM ${table} WHERE organization_id = {org:String}`,
                { org },
              )
            )[0]?.d,
          );
        for (let i = 0; i < 2; i++) {
          expect({ table, i, same: await digest(estateA[i] as string) }).toEqual({
            table,
            i,
            same: await digest(estateB[i] as string),
          });
        }
      }
      const pods = async (org: string): Promise<string> =>
        String(
          (
            await pg<{ d: string }>(
              "SELECT md5(string_agg(namespace || '/' || name || ':' || phase, ',' ORDER BY namespace, name)) AS d FROM kubernetes_pods WHERE organization_id = $1",
              [org],
            )
          )[0]?.d,
        );
      expect(await pods(estateB[0] as string)).toBe(await pods(estateA[0] as string));
    },
    SLOW,
  );

  it(
    'writes exactly the rows the generator produces in memory',
    async () => {
      const memory = collectDemoRows({ seed: SEED, size: 'small', anchor: now, organizationIds: estateA });
      for (const table of [
        'metrics',
        'traces',
        'logs',
        'exemplars',
        'vm_metrics',
        'db_queries',
        'audit_logs',
        'anomaly_events',
      ]) {
        for (const org of estateA) {
          const expected = (memory.clickhouse[table] ?? []).filter(
            (r) => r['organization_id'] === org,
          ).length;
          expect({ table, org, rows: await chCount(table, org) }).toEqual({ table, org, rows: expected });
        }
      }
    },
    SLOW,
  );
});

describe('incidents, read through the read-only datasources', () => {
  const org = (): string => estateB[0] as string;

  it('payment-processor: CPU from about 35 % to 95 % for 20 minutes', async () => {
    const [row] = await ch<{ spike: number; baseline: number }>(
      `SELECT maxIf(value, timestamp >= {s:DateTime64(3)} AND timestamp < {e:DateTime64(3)}) AS spike,
              avgIf(value, timestamp < {b:DateTime64(3)}) AS baseline
         FROM metrics WHERE organization_id = {org:String} AND service_name = 'payment-processor' AND metric_name = 'cpu.usage'`,
      { org: org(), s: ts(A - 23 * MINUTE), e: ts(A - 5 * MINUTE), b: ts(A - HOUR) },
    );
    expect(Number(row?.spike)).toBeGreaterThan(90);
    expect(Number(row?.baseline)).toBeGreaterThan(25);
    expect(Number(row?.baseline)).toBeLessThan(50);
    const [rollup] = await ch<{ m: number }>(
      `SELECT maxMerge(max_value) AS m FROM metrics_5m
        WHERE organization_id = {org:String} AND service_name = 'payment-processor' AND metric_name = 'cpu.usage'
          AND five_minutes >= {s:DateTime} AND five_minutes < {e:DateTime}`,
      { org: org(), s: ts(A - 20 * MINUTE).slice(0, 19), e: ts(A - 5 * MINUTE).slice(0, 19) },
    );
    expect(Number(rollup?.m)).toBeGreaterThan(90);
  });

  it('payment-processor: error rate rises two minutes after the CPU', async () => {
    const rate = async (from: number, to: number): Promise<number> => {
      const [r] = await ch<{ e: string; n: string }>(
        `SELECT countIf(status_code = 'ERROR') AS e, count() AS n FROM traces
          WHERE organization_id = {org:String} AND service_name = 'payment-processor'
            AND timestamp >= {f:DateTime64(9)} AND timestamp < {t:DateTime64(9)}`,
        { org: org(), f: ts(from), t: ts(to) },
      );
      return Number(r?.e) / Number(r?.n);
    };
    expect(await rate(A - 21 * MINUTE, A - 4 * MINUTE)).toBeGreaterThan(0.2);
    expect(await rate(A - 6 * HOUR, A - 30 * MINUTE)).toBeLessThan(0.02);
    // The lag: two minutes into the spike the CPU is up but the error rate is not yet.
    const metric = async (name: string, at: number): Promise<number> => {
      const [r] = await ch<{ v: number }>(
        `SELECT any(value) AS v FROM metrics WHERE organization_id = {org:String} AND service_name = 'payment-processor'
            AND metric_name = {name:String} AND timestamp = {t:DateTime64(3)}`,
        { org: org(), name, t: ts(at) },
      );
      return Number(r?.v);
    };
    expect(await metric('cpu.usage', A - 23 * MINUTE)).toBeGreaterThan(90);
    expect(await metric('http.server.error_rate', A - 23 * MINUTE)).toBeLessThan(5);
    expect(await metric('http.server.error_rate', A - 20 * MINUTE)).toBeGreaterThan(30);
    const logs = await ch<{ during: string; before: string }>(
      `SELECT countIf(timestamp >= {s:DateTime64(3)}) AS during, countIf(timestamp < {b:DateTime64(3)}) AS before
         FROM logs WHERE organization_id = {org:String} AND service_name = 'payment-processor' AND severity_text = 'ERROR'
          AND timestamp >= {from:DateTime64(3)} AND timestamp < {e:DateTime64(3)}`,
      {
        org: org(),
        from: ts(A - 61 * MINUTE),
        b: ts(A - 41 * MINUTE),
        s: ts(A - 23 * MINUTE),
        e: ts(A - 3 * MINUTE),
      },
    );
    // 20 minutes of the spike against the 20 minutes an hour before.
    expect(Number(logs[0]?.during)).toBeGreaterThan(5 * Math.max(1, Number(logs[0]?.before)));
    const anomalies = await ch<{ z: number }>(
      "SELECT z_score AS z FROM anomaly_events WHERE organization_id = {org:String} AND service_name = 'payment-processor' AND metric_name = 'cpu.usage'",
      { org: org() },
    );
    expect(anomalies.map((a) => Number(a.z))).toContain(6.8);
  });

  it('database-primary: memory grows hour after hour toward its limit', async () => {
    const hours = await ch<{ h: string; m: number }>(
      `SELECT toString(hour) AS h, avgMerge(avg_value) AS m FROM metrics_1h
        WHERE organization_id = {org:String} AND service_name = 'database-primary' AND metric_name = 'memory.usage'
        GROUP BY hour ORDER BY hour`,
      { org: org() },
    );
    const values = hours.map((h) => Number(h.m));
    expect(values.length).toBe(6);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1] as number);
    expect(values[0]).toBeLessThan(62);
    expect(values.at(-1)).toBeGreaterThan(85);
    const [prediction] = await ch<{ p: number }>(
      "SELECT max(failure_probability) AS p FROM predictions WHERE organization_id = {org:String} AND resource_name = 'database-primary'",
      { org: org() },
    );
    expect(Number(prediction?.p)).toBeGreaterThanOrEqual(0.87);
    const warnings = await ch<{ c: string }>(
      "SELECT count() AS c FROM logs WHERE organization_id = {org:String} AND service_name = 'database-primary' AND body ILIKE 'memory usage at%'",
      { org: org() },
    );
    expect(Number(warnings[0]?.c)).toBeGreaterThan(10);
  });

  it('checkout-service: p95 latency regresses after the deployment 150 minutes before the anchor', async () => {
    const p95 = async (from: number, to: number): Promise<number> => {
      const [r] = await ch<{ p: number }>(
        `SELECT quantileMerge(0.95)(p95_duration_ns) AS p FROM service_latency_percentiles_1h
          WHERE organization_id = {org:String} AND service_name = 'checkout-service' AND span_name = 'POST /checkout'
            AND hour >= {f:DateTime} AND hour < {t:DateTime}`,
        { org: org(), f: ts(from).slice(0, 19), t: ts(to).slice(0, 19) },
      );
      return Number(r?.p);
    };
    // Before: the three hours before the deployment's hour; after: an hour after it that ends
    // before the CPU spike (whose payment timeouts would dominate checkout's p95).
    const before = await p95(A - 6 * HOUR, A - 3 * HOUR);
    const after = await p95(A - 2 * HOUR, A - HOUR);
    expect(after).toBeGreaterThan(2 * before);
    const changes = await pg<{ occurred_at: Date; version: string }>(
      "SELECT occurred_at, version FROM change_events WHERE organization_id = $1 AND service_name = 'checkout-service' AND type = 'deployment'",
      [org()],
    );
    expect(changes.map((c) => [new Date(c.occurred_at).getTime(), c.version])).toEqual([
      [A - 150 * MINUTE, 'v2.15.0'],
    ]);
    const calls = await ch<{ before: string; after: string }>(
      `SELECT countIf(timestamp < {d:DateTime64(3)}) AS before, countIf(timestamp >= {d:DateTime64(3)}) AS after
         FROM db_queries WHERE organization_id = {org:String} AND fingerprint = 'SELECT sku, quantity, reserved FROM inventory WHERE sku = $1'`,
      { org: org(), d: ts(A - 150 * MINUTE) },
    );
    // Calls per hour: 3.5 hours before the deployment, 2.5 after.
    expect(Number(calls[0]?.after) / 2.5).toBeGreaterThan((3 * Number(calls[0]?.before)) / 3.5);
    const plans = await pg<{ status: string }>(
      "SELECT status FROM remediation_plans WHERE organization_id = $1 AND title LIKE 'Roll back checkout-service%'",
      [org()],
    );
    expect(plans).toEqual([{ status: 'proposed' }]);
  });

  it('has the incident alerts firing at the anchor', async () => {
    const firing = await pg<{ title: string }>(
      "SELECT title FROM alert_instances WHERE organization_id = $1 AND status = 'firing' ORDER BY starts_at",
      [org()],
    );
    expect(firing.map((f) => f.title)).toEqual([
      'checkout-service p95 latency 1.0 s after deploy v2.15.0',
      'database-primary memory at 85 % of 32 GiB and rising',
      'High CPU on payment-processor (95 %)',
      'payment-processor error rate 45 % (threshold 5 %)',
    ]);
  });
});

describe('tenant isolation', () => {
  it('keeps the primary organization services out of the second organization', async () => {
    const services = async (table: string, org: string): Promise<string[]> =>
      (
        await ch<{ s: string }>(
          `SELECT DISTINCT service_name AS s FROM ${table} WHERE organization_id = {org:String} ORDER BY s`,
          { org },
        )
      ).map((r) => r.s);
    for (const table of ['metrics', 'traces', 'logs']) {
      const primary = await services(table, estateA[0] as string);
      const second = await services(table, estateA[1] as string);
      expect(primary).toEqual(
        expect.arrayContaining(['checkout-service', 'database-primary', 'payment-processor']),
      );
      expect(second).not.toContain('payment-processor');
      expect(primary.filter((s) => second.includes(s))).toEqual([]);
    }
    const pgServices = await pg<{ name: string }>(
      'SELECT name FROM service_map_services WHERE organization_id = $1',
      [estateA[1]],
    );
    expect(pgServices.map((s) => s.name)).not.toContain('payment-processor');
    expect(pgServices.length).toBeGreaterThan(5);
  });
});

describe('top-ups', () => {
  it('adds nothing when called again with the same now', async () => {
    const before = await chCount('metrics', estateA[0] as string);
    const again = await seed(estateA, now);
    expect(again.action).toBe('up-to-date');
    expect(again.totalRows).toBe(0);
    expect(await chCount('metrics', estateA[0] as string)).toBe(before);
  });

  it('refuses another seed on an existing estate and writes nothing', async () => {
    const other = await seed(estateA, new Date(A + HOUR), { seed: SEED + 1 });
    expect(other.action).toBe('skipped');
    expect(other.reason).toMatch(/seed 7/);
    expect(other.totalRows).toBe(0);
  });

  it(
    'adds only the gap for a later now, and applies what happened after the anchor',
    async () => {
      const later = new Date(A + 2 * HOUR + 17 * MINUTE);
      const before = await chCount('metrics', estateA[0] as string);
      const topUp = await seed(estateA, later);
      expect(topUp.action).toBe('topped-up');
      expect(topUp.window).toEqual({ from: now, to: later });
      const gap = collectDemoRows({
        seed: SEED,
        size: 'small',
        anchor: now,
        organizationIds: estateA,
        from: now,
        to: later,
      });
      const expected = (gap.clickhouse['metrics'] ?? []).filter(
        (r) => r['organization_id'] === estateA[0],
      ).length;
      expect(await chCount('metrics', estateA[0] as string)).toBe(before + expected);
      const [dupes] = await ch<{ n: string; u: string }>(
        'SELECT count() AS n, uniqExact(service_name, metric_name, timestamp) AS u FROM metrics WHERE organization_id = {org:String}',
        { org: estateA[0] },
      );
      expect(dupes?.n).toBe(dupes?.u);
      const [last] = await ch<{ t: string }>(
        'SELECT toString(max(timestamp)) AS t FROM metrics WHERE organization_id = {org:String}',
        { org: estateA[0] },
      );
      expect(String(last?.t) < ts(later.getTime())).toBe(true);
      // After the anchor: the incident alerts resolved, checkout-service rolled back.
      const firing = await pg<{ c: string }>(
        "SELECT count(*) AS c FROM alert_instances WHERE organization_id = $1 AND status = 'firing'",
        [estateA[0]],
      );
      expect(Number(firing[0]?.c)).toBe(0);
      const rollback = await pg<{ version: string }>(
        "SELECT version FROM change_events WHERE organization_id = $1 AND type = 'rollback'",
        [estateA[0]],
      );
      expect(rollback).toEqual([{ version: 'v2.14.3' }]);
      const again = await seed(estateA, later);
      expect(again.action).toBe('up-to-date');
    },
    SLOW,
  );
});

describe('cancellation', () => {
  it(
    'stops at an hour boundary with a checkpoint and resumes there without duplicates',
    async () => {
      const ids = [randomUUID(), randomUUID()];
      const controller = new AbortController();
      const first = seed(ids, now, {
        checkpointRows: 1_000,
        onProgress: (p) => {
          if (p.phase === 'history' && p.rowsWritten > 0) controller.abort();
        },
        signal: controller.signal,
      });
      await expect(first).rejects.toMatchObject({ code: 'DEMO.CANCELLED' });
      const [estate] = await pg<{ generated_until: Date; lease_until: Date | null }>(
        'SELECT generated_until, lease_until FROM demo_estate WHERE organization_id = $1',
        [ids[0]],
      );
      const until = new Date(estate?.generated_until ?? 0).getTime();
      expect(estate?.lease_until).toBeNull();
      expect(until).toBeGreaterThan(A - 6 * HOUR);
      expect(until).toBeLessThan(A);
      expect(until % HOUR).toBe(0);
      const resumed = await seed(ids, now);
      expect(resumed.action).toBe('topped-up');
      expect(resumed.window).toEqual({ from: new Date(until), to: now });
      const memory = collectDemoRows({ seed: SEED, size: 'small', anchor: now, organizationIds: ids });
      for (const table of ['metrics', 'traces', 'db_queries']) {
        const expected = (memory.clickhouse[table] ?? []).filter(
          (r) => r['organization_id'] === ids[0],
        ).length;
        expect({ table, rows: await chCount(table, ids[0] as string) }).toEqual({ table, rows: expected });
      }
    },
    SLOW,
  );
});
