import { beforeAll, describe, expect, it } from '@jest/globals';
import { clickhouseBatches, collectDemoRows, digestRows, type CollectedDemoRows } from './generate.js';
import type { DemoSizeSpec } from './size.js';
import type { Row } from './model.js';
import { buildDemoPlan, DEMO_ORGANIZATION_ID, podsAt, type DemoOrg, type DemoService } from './plan.js';
import { metricRowsPerHour, serviceMetrics, serviceMetricStream } from './services.js';
import { chTime, HOUR, MINUTE } from './time.js';

const anchor = new Date(Date.UTC(2025, 5, 11, 12, 0));
const A = anchor.getTime();
const INSTANCES = 4;
const base = { historyHours: 3, tracesPerMinute: 20, metricIntervalSeconds: 60, infraIntervalSeconds: 600 };
const dense = { ...base, metricInstances: INSTANCES };

const instanceOf = (row: Row): string =>
  String((row['labels'] as Record<string, string> | undefined)?.['service.instance.id']);
const seriesKey = (row: Row): string =>
  `${String(row['organization_id'])}/${String(row['service_name'])}/${String(row['metric_name'])}/${String(row['timestamp'])}`;

/** The `metrics` rows of [from, to) alone, generated in batches of `batchRows`. */
const metricRows = (spec: DemoSizeSpec, from: number, to: number, batchRows: number, seed = 1): Row[] => {
  const plan = buildDemoPlan({ seed, sizeLabel: 'custom', spec, anchor: A });
  return [...clickhouseBatches(plan, from, to, batchRows, [serviceMetricStream])].flatMap((b) => b.rows);
};

/** Instances a service reports from at density `n` (see services.ts). */
const expectedInstances = (svc: DemoService, n: number): number =>
  svc.profile.runtime === 'kubernetes' ? n : Math.max(1, Math.min(n, svc.profile.replicas));

describe('metric density (metricInstances)', () => {
  let one: CollectedDemoRows;
  let many: CollectedDemoRows;
  let byPoint: Map<string, Row[]>;
  beforeAll(() => {
    one = collectDemoRows({ anchor, size: base });
    many = collectDemoRows({ anchor, size: dense });
    byPoint = new Map();
    for (const row of many.clickhouse['metrics'] ?? []) {
      const key = seriesKey(row);
      const rows = byPoint.get(key) ?? [];
      rows.push(row);
      byPoint.set(key, rows);
    }
  }, 60_000);

  it('writes one row per instance, metric and grid point, as many as planned', () => {
    const points = (base.historyHours * HOUR) / (base.metricIntervalSeconds * 1000);
    const expected = many.plan.orgs.reduce(
      (n, org) =>
        n +
        org.services.reduce(
          (m, svc) => m + serviceMetrics(svc).length * expectedInstances(svc, INSTANCES) * points,
          0,
        ),
      0,
    );
    const rows = many.clickhouse['metrics'] ?? [];
    expect(rows.length).toBe(expected);
    expect(metricRowsPerHour(many.plan) * base.historyHours).toBe(expected);
    expect(rows.length).toBeGreaterThan(3 * (one.clickhouse['metrics'] ?? []).length);
    expect(new Set(byPoint.keys()).size).toBe((one.clickhouse['metrics'] ?? []).length);
  });

  it('labels every row with its instance: pods for Kubernetes services, nodes for the others', () => {
    const org = many.plan.orgs[0] as DemoOrg;
    const names = (service: string): Set<string> =>
      new Set(
        (many.clickhouse['metrics'] ?? [])
          .filter((r) => r['organization_id'] === org.id && r['service_name'] === service)
          .map(instanceOf),
      );
    for (const svc of org.services) {
      expect({ service: svc.name, instances: names(svc.name).size }).toEqual({
        service: svc.name,
        instances: expectedInstances(svc, INSTANCES),
      });
    }
    const cart = org.serviceByName.get('cart-service') as DemoService;
    for (const pod of podsAt(many.plan, org, cart, A - HOUR))
      expect(names('cart-service').has(pod)).toBe(true);
    expect([...names('database-primary')]).toEqual(['db-primary-01']);
    expect([...names('kafka-broker')].sort()).toEqual(['kafka-01', 'kafka-02', 'kafka-03']);
    expect((one.clickhouse['metrics'] ?? []).some((r) => 'labels' in r)).toBe(false);
  });

  it('leaves every other table as it is at density 1', () => {
    for (const [table, rows] of Object.entries(one.clickhouse)) {
      if (table === 'metrics') continue;
      expect({ table, digest: digestRows(many.clickhouse[table] ?? []) }).toEqual({
        table,
        digest: digestRows(rows),
      });
    }
    expect(JSON.stringify(many.postgres)).toBe(JSON.stringify(one.postgres));
  });

  it('is deterministic, also when the window is generated in pieces', () => {
    const whole = digestRows(many.clickhouse['metrics'] ?? []);
    const from = A - base.historyHours * HOUR;
    const cut = A - 97 * MINUTE;
    expect(digestRows(metricRows(dense, from, A, 7_000))).toBe(whole);
    expect(digestRows([...metricRows(dense, from, cut, 5_000), ...metricRows(dense, cut, A, 11_000)])).toBe(
      whole,
    );
    expect(digestRows(metricRows(dense, cut, A, 50_000, 2))).not.toBe(
      digestRows(metricRows(dense, cut, A, 50_000)),
    );
  });

  it('keeps the service figures: rates add up to them, gauges average to them', () => {
    let additive = 0;
    let averaged = 0;
    const off: string[] = [];
    for (const row of one.clickhouse['metrics'] ?? []) {
      const rows = byPoint.get(seriesKey(row)) ?? [];
      const values = rows.map((r) => Number(r['value']));
      const total = values.reduce((a, b) => a + b, 0);
      const figure = Number(row['value']);
      const svc = many.plan.orgs
        .find((o) => o.id === row['organization_id'])
        ?.serviceByName.get(String(row['service_name'])) as DemoService;
      const def = serviceMetrics(svc).find((d) => d.name === row['metric_name']);
      if (def?.additive === true) {
        // Integer counts round per instance: half a unit each at most.
        const tolerance = def.integer === true ? rows.length / 2 : 0.01;
        if (Math.abs(total - figure) > tolerance) off.push(`${seriesKey(row)}: sum ${total} vs ${figure}`);
        additive++;
      } else if (values.every((v) => v < 100)) {
        const tolerance = def?.integer === true ? 1 : 0.01;
        const mean = total / rows.length;
        if (Math.abs(mean - figure) > tolerance) off.push(`${seriesKey(row)}: mean ${mean} vs ${figure}`);
        averaged++;
      }
      if (values.some((v) => v < 0)) off.push(`${seriesKey(row)}: negative`);
    }
    expect(off).toEqual([]);
    expect(additive).toBeGreaterThan(1_000);
    expect(averaged).toBeGreaterThan(1_000);
  });

  it('spreads the load over the instances unevenly, within about 15 %', () => {
    const rows = byPoint.get(
      `${DEMO_ORGANIZATION_ID}/cart-service/cpu.usage/${chTime(A - 90 * MINUTE)}`,
    ) as Row[];
    const values = rows.map((r) => Number(r['value']));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(new Set(values).size).toBe(INSTANCES);
    for (const v of values) expect(Math.abs(v / mean - 1)).toBeLessThan(0.2);
  });

  it('shows the incidents on every instance of the service they hit', () => {
    const series = (service: string, metric: string, fromMin: number, toMin: number): Row[] =>
      (many.clickhouse['metrics'] ?? []).filter(
        (r) =>
          r['organization_id'] === DEMO_ORGANIZATION_ID &&
          r['service_name'] === service &&
          r['metric_name'] === metric &&
          String(r['timestamp']) >= chTime(A + fromMin * MINUTE) &&
          String(r['timestamp']) < chTime(A + toMin * MINUTE),
      );
    const values = (rows: Row[]): number[] => rows.map((r) => Number(r['value']));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    // CPU spike on payment-processor, A-23m to A-5m, on each of its pods.
    const spike = series('payment-processor', 'cpu.usage', -23, -5);
    expect(new Set(spike.map(instanceOf)).size).toBe(INSTANCES);
    expect(Math.min(...values(spike))).toBeGreaterThan(80);
    expect(Math.max(...values(series('payment-processor', 'cpu.usage', -150, -60)))).toBeLessThan(50);
    // Memory leak on database-primary: one node, the same curve as the service.
    const leak = series('database-primary', 'memory.usage', -10, 0);
    expect(new Set(leak.map(instanceOf))).toEqual(new Set(['db-primary-01']));
    expect(Math.min(...values(leak))).toBeGreaterThan(85);
    expect(mean(values(leak))).toBeGreaterThan(
      mean(values(series('database-primary', 'memory.usage', -180, -170))) + 10,
    );
    // Bad deployment of checkout-service at A-150m: latency up on every pod.
    const before = values(series('checkout-service', 'http.server.duration', -180, -152));
    const after = values(series('checkout-service', 'http.server.duration', -140, -30));
    expect(mean(after)).toBeGreaterThan(1.5 * mean(before));
  });

  it('plans and writes the same rows as density 1 when the option is 1 or left out', () => {
    const plan = (metricInstances?: number): number =>
      metricRowsPerHour(
        buildDemoPlan({
          seed: 1,
          sizeLabel: 'custom',
          spec: metricInstances === undefined ? base : { ...base, metricInstances },
          anchor: A,
        }),
      );
    expect(plan(1)).toBe(plan());
    expect(plan()).toBe((one.clickhouse['metrics'] ?? []).length / base.historyHours);
    const from = A - base.historyHours * HOUR;
    expect(digestRows(metricRows({ ...base, metricInstances: 1 }, from, A, 50_000))).toBe(
      digestRows(one.clickhouse['metrics'] ?? []),
    );
  });
});
