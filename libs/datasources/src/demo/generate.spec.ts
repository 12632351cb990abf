import { describe, expect, it, beforeAll } from '@jest/globals';
import { collectDemoRows, digestRows, type CollectedDemoRows } from './generate.js';
import { INCIDENT_FIGURES } from './incidents.js';
import type { PgWrite, Row } from './model.js';
import { DEMO_ORGANIZATION_ID, DEMO_SECOND_ORGANIZATION_ID } from './plan.js';
import { chTime, HOUR, MINUTE } from './time.js';

const anchor = new Date(Date.UTC(2025, 5, 11, 12, 0));
const A = anchor.getTime();
const tiny = { historyHours: 2, tracesPerMinute: 20, metricIntervalSeconds: 300, infraIntervalSeconds: 600 };
const OTHER_IDS = ['0b6c7a8e-1111-4aaa-8bbb-000000000001', '0b6c7a8e-1111-4aaa-8bbb-000000000002'];

const digests = (rows: Record<string, Row[]>): Record<string, string> =>
  Object.fromEntries(Object.entries(rows).map(([table, r]) => [table, digestRows(r)]));

const pgRowsOf = (writes: readonly PgWrite[], table: string): Row[] =>
  writes.flatMap((w) => (w.kind === 'rows' && w.table === table ? w.rows : []));

const timeOf = (row: Row): string => String(row['timestamp'] ?? row['checked_at'] ?? row['created_at']);

const p95 = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.95)] ?? 0;
};

describe('determinism', () => {
  it('gives identical rows for the same seed, size and anchor', () => {
    const a = collectDemoRows({ anchor, size: tiny });
    const b = collectDemoRows({ anchor, size: tiny });
    expect(digests(b.clickhouse)).toEqual(digests(a.clickhouse));
    expect(JSON.stringify(b.postgres)).toBe(JSON.stringify(a.postgres));
  });

  it('gives other rows for another seed', () => {
    const a = collectDemoRows({ anchor, size: tiny, seed: 1 });
    const b = collectDemoRows({ anchor, size: tiny, seed: 2 });
    expect(digestRows(b.clickhouse['metrics'] ?? [])).not.toBe(digestRows(a.clickhouse['metrics'] ?? []));
  });

  it('gives the same rows for a window generated in pieces as at once', () => {
    const whole = collectDemoRows({ anchor, size: tiny, batchRows: 100_000 });
    const first = collectDemoRows({ anchor, size: tiny, to: new Date(A - 53 * MINUTE), batchRows: 3_000 });
    const second = collectDemoRows({ anchor, size: tiny, from: new Date(A - 53 * MINUTE), batchRows: 7_000 });
    for (const table of Object.keys(whole.clickhouse)) {
      const pieces = [...(first.clickhouse[table] ?? []), ...(second.clickhouse[table] ?? [])];
      expect({ table, digest: digestRows(pieces) }).toEqual({
        table,
        digest: digestRows(whole.clickhouse[table] ?? []),
      });
    }
    for (const table of [
      'alert_instances',
      'kubernetes_events',
      'change_events',
      'report_executions',
      'security_findings',
    ]) {
      const pieces = [...pgRowsOf(first.postgres, table), ...pgRowsOf(second.postgres, table)];
      expect(digestRows(pieces)).toBe(digestRows(pgRowsOf(whole.postgres, table)));
    }
  });

  it('derives ids from the organization ids but values only from the seed', () => {
    const a = collectDemoRows({ anchor, size: tiny });
    const b = collectDemoRows({ anchor, size: tiny, organizationIds: OTHER_IDS });
    const strip = (rows: Row[]): Row[] =>
      rows.map(({ organization_id: _o, workspace_id: _w, tenant_id: _t, ...rest }) => rest);
    expect(digestRows(strip(b.clickhouse['metrics'] ?? []))).toBe(
      digestRows(strip(a.clickhouse['metrics'] ?? [])),
    );
    const spans = (r: CollectedDemoRows): Row[] =>
      strip(r.clickhouse['traces'] ?? []).map(
        ({ trace_id: _t, span_id: _s, parent_span_id: _p, ...rest }) => rest,
      );
    expect(digestRows(spans(b))).toBe(digestRows(spans(a)));
    const ids = (r: CollectedDemoRows): Set<unknown> =>
      new Set((r.clickhouse['traces'] ?? []).map((x) => x['trace_id']));
    const shared = [...ids(a)].filter((id) => ids(b).has(id));
    expect(shared).toEqual([]);
    expect(pgRowsOf(b.postgres, 'organizations').map((o) => o['id'])).toEqual(OTHER_IDS);
  });
});

describe('a small estate in memory', () => {
  let estate: CollectedDemoRows;
  beforeAll(() => {
    estate = collectDemoRows({ anchor, size: 'small' });
  }, 60_000);

  it('keeps every ClickHouse row inside the window', () => {
    const lo = chTime(A - 6 * HOUR);
    const hi = chTime(A);
    for (const [table, rows] of Object.entries(estate.clickhouse)) {
      for (const row of rows) {
        const ts = timeOf(row);
        if (ts < lo || ts >= hi) throw new Error(`${table} row at ${ts} is outside [${lo}, ${hi})`);
      }
    }
  });

  it('fills every ClickHouse table for both organizations', () => {
    for (const [table, rows] of Object.entries(estate.clickhouse)) {
      const orgs = new Set(rows.map((r) => r['organization_id']));
      expect({ table, orgs: [...orgs].sort() }).toEqual({
        table,
        orgs: [DEMO_ORGANIZATION_ID, DEMO_SECOND_ORGANIZATION_ID],
      });
    }
  });

  it('fills every PostgreSQL tenant table for both organizations', () => {
    const tables = new Set(estate.postgres.filter((w) => w.kind === 'rows').map((w) => w.table));
    for (const table of tables) {
      const rows = pgRowsOf(estate.postgres, table);
      if (!rows.some((r) => 'organization_id' in r)) continue;
      const orgs = new Set(rows.map((r) => r['organization_id']));
      expect({
        table,
        both: orgs.has(DEMO_ORGANIZATION_ID) && orgs.has(DEMO_SECOND_ORGANIZATION_ID),
      }).toEqual({ table, both: true });
    }
  });

  it('keeps each organization to its own services', () => {
    const services = (org: string): Set<unknown> =>
      new Set(
        (estate.clickhouse['metrics'] ?? [])
          .filter((r) => r['organization_id'] === org)
          .map((r) => r['service_name']),
      );
    const primary = services(DEMO_ORGANIZATION_ID);
    const second = services(DEMO_SECOND_ORGANIZATION_ID);
    for (const name of ['payment-processor', 'database-primary', 'checkout-service']) {
      expect(primary.has(name)).toBe(true);
      expect(second.has(name)).toBe(false);
    }
    expect([...primary].filter((s) => second.has(s))).toEqual([]);
    expect(primary.size).toBeGreaterThanOrEqual(10);
  });

  it('shows the payment-processor CPU spike and the errors after it', () => {
    const cpu = (estate.clickhouse['metrics'] ?? []).filter(
      (r) =>
        r['organization_id'] === DEMO_ORGANIZATION_ID &&
        r['service_name'] === 'payment-processor' &&
        r['metric_name'] === 'cpu.usage',
    );
    const within = (rows: Row[], fromMin: number, toMin: number): Row[] =>
      rows.filter((r) => timeOf(r) >= chTime(A + fromMin * MINUTE) && timeOf(r) < chTime(A + toMin * MINUTE));
    expect(Math.max(...within(cpu, -23, -5).map((r) => Number(r['value'])))).toBeGreaterThan(90);
    expect(Math.max(...within(cpu, -300, -60).map((r) => Number(r['value'])))).toBeLessThan(50);
    const spans = (estate.clickhouse['traces'] ?? []).filter(
      (r) => r['organization_id'] === DEMO_ORGANIZATION_ID && r['service_name'] === 'payment-processor',
    );
    const rate = (rows: Row[]): number =>
      rows.filter((r) => r['status_code'] === 'ERROR').length / rows.length;
    expect(rate(within(spans, -21, -3))).toBeGreaterThan(0.25);
    expect(rate(within(spans, -300, -30))).toBeLessThan(0.02);
  });

  it('shows the checkout-service latency regression after the deployment', () => {
    const checkout = (estate.clickhouse['traces'] ?? []).filter(
      (r) => r['organization_id'] === DEMO_ORGANIZATION_ID && r['span_name'] === 'POST /checkout',
    );
    const deploy = chTime(A - 150 * MINUTE);
    const before = checkout.filter((r) => timeOf(r) < deploy).map((r) => Number(r['duration_ns']));
    const after = checkout
      .filter((r) => timeOf(r) >= deploy && timeOf(r) < chTime(A - 30 * MINUTE))
      .map((r) => Number(r['duration_ns']));
    expect(p95(after)).toBeGreaterThan(2 * p95(before));
    const changes = pgRowsOf(estate.postgres, 'change_events').filter(
      (c) => c['version'] === INCIDENT_FIGURES.badVersion,
    );
    expect(changes.map((c) => c['occurred_at'])).toEqual([new Date(A - 150 * MINUTE).toISOString()]);
  });

  it('records the incidents as alerts, anomalies, a prediction and remediation plans', () => {
    const firing = pgRowsOf(estate.postgres, 'alert_instances').filter((a) => a['status'] === 'firing');
    expect(firing.map((a) => (a['labels'] as Record<string, string>)['service']).sort()).toEqual([
      'checkout-service',
      'database-primary',
      'payment-processor',
      'payment-processor',
    ]);
    const anomalies = (estate.clickhouse['anomaly_events'] ?? []).filter((a) => Number(a['z_score']) > 4.5);
    expect(anomalies.map((a) => a['service_name'])).toEqual(
      expect.arrayContaining(['payment-processor', 'checkout-service', 'database-primary']),
    );
    const prediction = (estate.clickhouse['predictions'] ?? []).find((p) => p['horizon'] === '1h');
    expect(prediction).toMatchObject({ resource_name: 'database-primary', failure_probability: 0.87 });
    const rollback = pgRowsOf(estate.postgres, 'remediation_plans').find((p) =>
      String(p['title']).startsWith('Roll back checkout-service'),
    );
    expect(rollback?.['source_anomaly_id']).toBe(
      anomalies.find((a) => a['service_name'] === 'checkout-service')?.['anomaly_id'],
    );
  });

  it('links exemplars and error logs to existing traces', () => {
    const traceIds = new Set((estate.clickhouse['traces'] ?? []).map((r) => r['trace_id']));
    for (const e of estate.clickhouse['exemplars'] ?? []) expect(traceIds.has(e['trace_id'])).toBe(true);
    const errorLogs = (estate.clickhouse['logs'] ?? []).filter(
      (l) => l['severity_text'] === 'ERROR' && l['trace_id'] !== undefined,
    );
    expect(errorLogs.length).toBeGreaterThan(10);
    for (const l of errorLogs) expect(traceIds.has(l['trace_id'])).toBe(true);
  });

  it('nests spans inside their parents', () => {
    const spans = estate.clickhouse['traces'] ?? [];
    const byId = new Map(spans.map((s) => [`${String(s['trace_id'])}/${String(s['span_id'])}`, s]));
    let children = 0;
    const broken: string[] = [];
    for (const s of spans) {
      if (s['parent_span_id'] === '') continue;
      children++;
      const parent = byId.get(`${String(s['trace_id'])}/${String(s['parent_span_id'])}`);
      if (
        parent === undefined ||
        String(s['timestamp']) < String(parent['timestamp']) ||
        Number(s['duration_ns']) > Number(parent['duration_ns'])
      ) {
        broken.push(`${String(s['trace_id'])}/${String(s['span_id'])}`);
      }
    }
    expect(broken).toEqual([]);
    expect(children).toBeGreaterThan(spans.length / 2);
  });

  it('stores API keys as SHA-256 hashes and secrets as metadata only', () => {
    const keys = pgRowsOf(estate.postgres, 'api_keys');
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k['key_hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(String(k['key_prefix']).length).toBeLessThan(16);
    }
    expect(JSON.stringify(estate.postgres)).not.toMatch(/tfo_live_[0-9a-f]{32}/);
    for (const s of pgRowsOf(estate.postgres, 'kubernetes_secrets')) {
      expect(Object.keys(s)).not.toEqual(expect.arrayContaining(['data']));
      expect(Array.isArray(s['data_keys'])).toBe(true);
    }
  });
});
