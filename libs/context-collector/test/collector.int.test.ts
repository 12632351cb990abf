/**
 * ContextCollector against the real engines and the demo estate (fresh organization ids,
 * because the chdb directory is shared by the test files of a jest worker): every context
 * type answers without throwing, the incidents show up with their real figures, a window
 * in the far past is honestly empty, organizations are isolated, and a closed engine
 * yields the unavailable context.
 */
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CONTEXT_TYPES, isSystemContext, type TelemetryContext } from '@tfo/domain';
import { seedDemoEstate, type DemoSeedReport } from '@tfo/datasources';
import { startTestClickHouse, startTestEngines, type TestEngines } from '../../../tools/jest/engines.js';
import { ContextCollector } from '../src/index.js';

const SLOW = 180_000;
const HOUR = 3_600_000;
// The latest 14:00 UTC at least 14 hours ago: inside the raw tables' TTL, hour-aligned.
const now = new Date(Math.floor((Date.now() - 14 * HOUR) / (24 * HOUR)) * 24 * HOUR + 14 * HOUR);
const [primary, second] = [randomUUID(), randomUUID()] as [string, string];

let engines: TestEngines;
let report: DemoSeedReport;
let collector: ContextCollector;
const results = new Map<string, TelemetryContext>();

beforeAll(async () => {
  engines = await startTestEngines();
  report = await seedDemoEstate({
    postgres: engines.pg.writer,
    clickhouse: engines.ch.writer,
    size: 'small',
    seed: 1,
    now,
    organizationIds: [primary, second],
  });
  collector = new ContextCollector({
    postgres: engines.pg.datasource,
    clickhouse: engines.ch.datasource,
    clock: { now: () => now },
    deadlineMs: 30_000,
  });
  for (const contextType of CONTEXT_TYPES) {
    results.set(contextType, await collector.collectContext({ organizationId: primary, contextType }));
  }
}, SLOW * 2);

afterAll(async () => {
  await engines?.close();
}, SLOW);

const get = (key: string): TelemetryContext => {
  const context = results.get(key);
  if (context === undefined) throw new Error(`no result for ${key}`);
  return context;
};

const summary = (key: string): string => get(key).summary;
const A = now.getTime();
const MINUTE = 60_000;

describe('every context type on the demo estate', () => {
  it('seeded the estate for two fresh organizations', () => {
    expect(report.organizationIds).toEqual([primary, second]);
  });

  it('returns a context of the right type for every key, without throwing', () => {
    expect(results.size).toBe(138);
    for (const key of CONTEXT_TYPES) {
      const context = get(key);
      expect({ key, type: context.type, summary: typeof context.summary }).toEqual({
        key,
        type: key,
        summary: 'string',
      });
      expect(context.timeRange).toEqual({ from: new Date(A - HOUR), to: now });
    }
  });

  it('answers with real telemetry (not a [SYSTEM] notice) for the keys the estate covers', () => {
    // Keys whose data the small estate lacks in the primary organization: engines that only the
    // second organization runs, and account views (no userId given).
    const honestlyEmpty = new Set([
      'db-monitoring-sqlite3',
      'db-monitoring-aurora',
      'db-monitoring-mongodb-atlas',
      'db-monitoring-aws-rds-mysql',
      'db-monitoring-aws-rds-aurora',
      'db-monitoring-cockroachdb',
      'account-profile',
      'account-security',
      'account-sessions',
      'account-notifications',
      'account-preferences',
      'account-organization',
    ]);
    for (const key of CONTEXT_TYPES) {
      const context = get(key);
      expect({ key, system: isSystemContext(context) }).toEqual({ key, system: honestlyEmpty.has(key) });
      if (honestlyEmpty.has(key)) expect(context.summary).toMatch(/^\[SYSTEM\] No data found for /);
      else expect(context.summary.length).toBeGreaterThan(20);
    }
  });
});

describe('the incidents, with their figures', () => {
  it('metrics: the payment-processor CPU spike against its baseline', () => {
    const spikes = (
      get('metrics').data as {
        spikes: { service_name: string; metric_name: string; max: number; baselineAvg: number }[];
      }
    ).spikes;
    const cpu = spikes.find((s) => s.service_name === 'payment-processor' && s.metric_name === 'cpu.usage');
    expect(cpu?.max).toBeGreaterThanOrEqual(90);
    expect(cpu?.baselineAvg).toBeLessThan(50);
    expect(summary('metrics')).toContain('payment-processor http.server.error_rate peaked at');
  });

  it('anomalies: the CPU and error-rate anomalies of payment-processor', () => {
    for (const key of ['anomalies', 'anomaly-detection', 'ai-anomalies']) {
      expect(summary(key)).toContain(
        'critical payment-processor cpu.usage observed 95 vs 35 expected (z 6.8)',
      );
      expect(summary(key)).toContain(
        'payment-processor http.server.error_rate observed 45 vs 0.4 expected (z 11.3)',
      );
    }
  });

  it('infra-memory and ai-predictions: the database-primary memory leak', () => {
    expect(summary('infra-memory')).toMatch(/Saturated: db-primary-01 memory\.usage max 9\d(\.\d)? %/);
    expect(summary('ai-predictions')).toContain(
      'database-primary (database) 87 % failure probability within 1h',
    );
    expect(summary('db-monitoring-postgresql')).toMatch(/database-primary memory\.usage_percent max 9\d/);
  });

  it('alerts: the incidents are firing', () => {
    expect(summary('alerts')).toContain('critical "High CPU on payment-processor (95 %)" firing since');
    expect(summary('alerts')).toContain('database-primary memory');
  });

  it('change-events, deployment and latency: the checkout-service v2.15.0 deployment', async () => {
    // From the deployment to before the CPU spike; the baseline is the 100 minutes before the deployment.
    const timeRange = { from: new Date(A - 150 * MINUTE), to: new Date(A - 50 * MINUTE) };
    const wide = { from: new Date(A - 6 * HOUR), to: now };
    const changes = await collector.collectContext({
      organizationId: primary,
      contextType: 'change-events',
      timeRange: wide,
    });
    expect(changes.summary).toContain(
      'deployment checkout-service v2.15.0 "Deploy checkout-service v2.15.0"',
    );
    const deployment = await collector.collectContext({
      organizationId: primary,
      contextType: 'deployment',
      timeRange: wide,
    });
    expect(deployment.summary).toContain('checkout-service v2.15.0');
    const latency = await collector.collectContext({
      organizationId: primary,
      contextType: 'latency',
      contextId: 'checkout-service',
      timeRange,
    });
    const checkout = (
      latency.data as { services: { service: string; p95Ms: number; baselineP95Ms: number }[] }
    ).services.find((s) => s.service === 'checkout-service');
    expect(checkout?.p95Ms).toBeGreaterThan(700);
    expect(checkout?.p95Ms).toBeGreaterThan(1.5 * (checkout?.baselineP95Ms ?? Infinity));
    expect(latency.summary).toContain('Regressions against the previous window: checkout-service p95');
  });

  it('db-monitoring-clickhouse: real rows of the ClickHouse engine', () => {
    const data = get('db-monitoring-clickhouse').data as {
      instances: { engine: string }[];
      series: unknown[];
      queries: { engine: string }[];
    };
    expect(data.instances.map((i) => i.engine)).toEqual(['clickhouse']);
    expect(data.series.length).toBeGreaterThan(5);
    expect(data.queries.length).toBeGreaterThan(0);
    expect(data.queries.every((q) => q.engine === 'clickhouse')).toBe(true);
  });

  it('custom: echoes the question and says what it answers with', async () => {
    const context = await collector.collectContext({
      organizationId: primary,
      contextType: 'custom',
      contextId: 'why is checkout slow?',
    });
    expect(context.summary).toContain('Question: "why is checkout slow?"');
    expect(context.summary).toContain('only with a service overview');
  });
});

describe('honesty, isolation and failure', () => {
  it('answers a window in the far past with the no-data context and its period', async () => {
    const context = await collector.collectContext({
      organizationId: primary,
      contextType: 'logs',
      timeRange: { from: '2001-01-01T00:00:00Z', to: '2001-01-01T01:00:00Z' },
    });
    expect(context.summary).toBe(
      '[SYSTEM] No data found for logs in the period 2001-01-01T00:00:00.000Z to 2001-01-01T01:00:00.000Z.',
    );
  });

  it("never shows the primary organization's services to the second organization", async () => {
    const primaryServices = ['payment-processor', 'checkout-service', 'database-primary', 'api-gateway'];
    for (const contextType of ['metrics', 'traces', 'logs', 'service-map', 'iam-users', 'dashboard']) {
      const context = await collector.collectContext({ organizationId: second, contextType });
      const text = JSON.stringify(context);
      expect({ contextType, system: isSystemContext(context) }).toEqual({ contextType, system: false });
      for (const service of primaryServices)
        expect({ contextType, leaked: text.includes(service) }).toEqual({ contextType, leaked: false });
    }
    const hostile = await collector.collectContext({
      organizationId: second,
      contextType: 'traces',
      contextId: "payment-processor' OR 1=1 --",
    });
    expect(JSON.stringify(hostile)).not.toContain('"service":"payment-processor"');
  });

  it(
    'returns the unavailable context when an engine is down',
    async () => {
      const closed = await startTestClickHouse();
      await closed.close();
      const down = new ContextCollector({
        postgres: engines.pg.datasource,
        clickhouse: closed.datasource,
        clock: { now: () => now },
      });
      const context = await down.collectContext({ organizationId: primary, contextType: 'metrics' });
      expect(context.summary).toMatch(/^\[SYSTEM\] metrics data is unavailable: series: ClickHouse failed: /);
      const mixed = await down.collectContext({ organizationId: primary, contextType: 'infra-overview' });
      expect(isSystemContext(mixed)).toBe(false);
      expect(mixed.summary).toContain('Partial context: series is missing');
    },
    SLOW,
  );
});
