/**
 * The telemetry tools and resources against the real engines and the demo estate (seed 1,
 * size small, anchored now): the payment-processor CPU spike is found with its time and
 * sigma, payment-processor misses a 99 % availability SLO over the last hour, and the
 * listing shows the primary organization's services only.
 *
 * The estate is generated under fresh organization ids (primary, second), because the chdb
 * directory is shared by the test files of a jest worker; they play the roles of
 * DEMO_ORGANIZATION_ID and DEMO_SECOND_ORGANIZATION_ID.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { incidentTimeline, seedDemoEstate, type DemoSeedReport } from '@tfo/datasources';
import { noopLogger } from '@tfo/domain';
import { startTestEngines, type TestEngines } from '../../../tools/jest/engines.js';
import {
  detachedCallContext,
  type ResourceReadContext,
  type StaticResourceDefinition,
  type TemplateResourceDefinition,
  type ToolCallContext,
  type ToolDefinition,
  type ToolResult,
} from '../src/definitions.js';
import { toolErrorResult } from '../src/server/error-boundary.js';
import { createTelemetryCatalog, type TelemetryCatalog } from '../src/telemetry/catalog.js';

const SLOW = 180_000;
const MINUTE = 60_000;
const [primary, second] = [randomUUID(), randomUUID()] as [string, string];

/** The fields of the JSON answers these tests read. */
interface ServiceRow {
  service: string;
  health: string;
  reasons: string[];
  status: string;
  sli_percent: number;
  error_budget_consumed_percent: number;
}
interface Answer {
  [key: string]: unknown;
  services: ServiceRow[];
  episodes: { start: string; peak: { time: string; value: number; deviation_sigma: number } }[];
  baseline: { median: number };
  summary: { max: number };
  points: unknown[];
  metrics: Record<string, { value: number; unit: string; measured_at: string }>;
  tables: { columns: string }[];
}

let engines: TestEngines;
let report: DemoSeedReport;
let catalog: TelemetryCatalog;

function context(organizationId: string | undefined): ToolCallContext {
  return detachedCallContext({
    logger: noopLogger,
    signal: new AbortController().signal,
    sessionId: 'int-telemetry',
    organizationId,
  });
}

async function call(name: string, args: Record<string, unknown>, org: { as?: string | undefined } = {}) {
  const definition = catalog.tools.find((t) => t.name === name) as ToolDefinition | undefined;
  if (definition === undefined) throw new Error(`no tool ${name}`);
  let result: ToolResult;
  try {
    const organizationId = 'as' in org ? org.as : primary;
    result = await definition.handler(definition.inputSchema.parse(args) as never, context(organizationId));
  } catch (error) {
    result = toolErrorResult(error, name, 'int-ref', noopLogger);
  }
  const first = result.content[0];
  const text = first?.type === 'text' ? first.text : '';
  return { result, text };
}

async function answer(name: string, args: Record<string, unknown>): Promise<Answer> {
  const { result, text } = await call(name, args);
  if (result.isError) throw new Error(`unexpected error answer: ${text}`);
  return JSON.parse(text) as Answer;
}

const readCtx: ResourceReadContext = {
  logger: noopLogger,
  signal: new AbortController().signal,
  clientRoots: async () => undefined,
};

beforeAll(async () => {
  engines = await startTestEngines();
  report = await seedDemoEstate({
    postgres: engines.pg.writer,
    clickhouse: engines.ch.writer,
    size: 'small',
    seed: 1,
    now: new Date(),
    organizationIds: [primary, second],
  });
  catalog = createTelemetryCatalog({
    clickhouse: engines.ch.datasource,
    postgres: engines.pg.datasource,
    organizationId: primary,
  });
}, SLOW * 2);

afterAll(async () => {
  await engines?.close();
}, SLOW);

describe('telemetry tools on the demo estate', () => {
  it(
    'detect_anomalies finds the payment-processor CPU spike with its time and sigma',
    async () => {
      const timeline = incidentTimeline((report.anchor as Date).getTime());
      const found = await answer('detect_anomalies', { service: 'payment-processor', metric: 'cpu' });
      expect(found['metric']).toBe('cpu.usage');
      expect(found['grain']).toBe('5m');
      expect(found['anomalies_detected']).toBeGreaterThan(0);
      const peak = found['episodes'].reduce((best, e) =>
        Math.abs(e.peak.deviation_sigma) > Math.abs(best.peak.deviation_sigma) ? e : best,
      ).peak;
      const at = Date.parse(peak.time);
      // A 5-minute bucket that overlaps the spike [A-25m, A-5m].
      expect(at + 5 * MINUTE).toBeGreaterThan(timeline.cpuSpike.start);
      expect(at).toBeLessThan(timeline.cpuSpike.end);
      expect(peak.value).toBeGreaterThan(70);
      expect(peak.deviation_sigma).toBeGreaterThan(4);
      expect(found['baseline'].median).toBeLessThan(50);
    },
    SLOW,
  );

  it(
    'detect_anomalies at low sensitivity finds nothing on a quiet service metric',
    async () => {
      const listing = await answer('list_services', {});
      expect(listing['services'].length).toBeGreaterThan(3);
      const found = await answer('detect_anomalies', {
        service: 'payment-processor',
        metric: 'memory.usage',
        sensitivity: 'low',
      });
      expect(found['anomalies_detected']).toBe(0);
    },
    SLOW,
  );

  it(
    'check_sli_compliance reports payment-processor missing a 99 % SLO over the last hour',
    async () => {
      const one = await answer('check_sli_compliance', {
        service: 'payment-processor',
        sli: 'availability',
        threshold: 99,
        window: '1h',
      });
      const row = one['services'][0];
      expect(row?.status).toBe('non_compliant');
      expect(row?.sli_percent).toBeLessThan(99);
      expect(row?.error_budget_consumed_percent).toBeGreaterThan(100);
      const all = await answer('check_sli_compliance', { sli: 'availability', threshold: 99, window: '1h' });
      expect(all['non_compliant']).toContain('payment-processor');
      expect(all['services_checked']).toBeGreaterThan(1);
    },
    SLOW,
  );

  it(
    'list_services lists the primary organization only, with payment-processor unhealthy',
    async () => {
      const listing = await answer('list_services', {});
      const names: string[] = listing['services'].map((s) => s.service);
      expect(names).toContain('payment-processor');
      const payment = listing['services'].find((s) => s.service === 'payment-processor');
      expect(['critical', 'degraded']).toContain(payment?.health);
      const distinct = async (org: string) =>
        (
          await engines.ch.writer.select<{ service_name: string }>(
            `SELECT DISTINCT service_name FROM metrics WHERE organization_id = {org:String}`,
            { org },
          )
        )
          .map((r) => r.service_name)
          .sort();
      const own = await distinct(primary);
      const others = await distinct(second);
      expect([...names].sort()).toEqual(own);
      // Services that only the second organization has never appear.
      const foreignOnly = others.filter((n) => !own.includes(n));
      expect(foreignOnly.length).toBeGreaterThan(0);
      for (const n of foreignOnly) expect(names).not.toContain(n);
      const secondOrg = await call('list_services', {}, { as: second });
      const secondNames: string[] = (JSON.parse(secondOrg.text) as Answer)['services'].map((s) => s.service);
      expect([...secondNames].sort()).toEqual(others);
      const foreign = await call('list_services', {}, { as: randomUUID() });
      expect(JSON.parse(foreign.text)['service_count']).toBe(0);
    },
    SLOW,
  );

  it(
    'get_current_metrics answers with units and times, and an unknown service with near matches',
    async () => {
      const current = await answer('get_current_metrics', { service: 'payment-processor' });
      expect(current['metrics']['cpu.usage']?.unit).toBe('%');
      expect(typeof current['metrics']['cpu.usage']?.measured_at).toBe('string');
      const unknown = await call('get_current_metrics', { service: 'payment-procesor' });
      expect(unknown.result.isError).toBe(true);
      expect(unknown.text).toContain('payment-processor');
      const hostile = await call('get_current_metrics', { service: "x' OR 1=1 --" });
      expect(hostile.result.isError).toBe(true);
      expect(hostile.text).toContain('TELEMETRY.UNKNOWN_SERVICE');
    },
    SLOW,
  );

  it(
    'query_historical_metrics returns a series with a summary',
    async () => {
      const series = await answer('query_historical_metrics', {
        service: 'database-primary',
        metric: 'memory',
        window: '6h',
      });
      expect(series['grain']).toBe('5m');
      expect(series['points'].length).toBeGreaterThan(30);
      expect(series['summary'].max).toBeGreaterThan(85);
      expect(series['unit']).toBe('%');
    },
    SLOW,
  );

  it(
    'refuses without an organization',
    async () => {
      const refused = await call('list_services', {}, { as: undefined });
      expect(refused.result.isError).toBe(true);
      expect(refused.text).toContain('TENANCY.NO_ORGANIZATION');
    },
    SLOW,
  );

  it(
    'serves the telemetry and schema resources',
    async () => {
      const metric = catalog.resources.find(
        (r) => r.name === 'telemetry-metric',
      ) as TemplateResourceDefinition;
      const uri = new URL('telemetry://services/payment-processor/metrics/cpu.usage');
      const [content] = await metric.read(
        uri,
        { service: 'payment-processor', metric: 'cpu.usage' },
        readCtx,
      );
      const body = JSON.parse((content as { text: string }).text);
      expect(body.grain).toBe('1m');
      expect(body.summary.max).toBeGreaterThan(80);

      const sli = catalog.resources.find((r) => r.name === 'sli-report') as StaticResourceDefinition;
      const report24 = JSON.parse(((await sli.read(readCtx))[0] as { text: string }).text);
      expect(report24.missing_availability).toContain('payment-processor');

      const pg = catalog.resources.find((r) => r.name === 'postgresql-schema') as StaticResourceDefinition;
      const pgBody = JSON.parse(((await pg.read(readCtx))[0] as { text: string }).text);
      expect(pgBody.tables.length).toBeGreaterThan(5);
      expect(
        pgBody.tables.some((t: { columns: string }) => String(t.columns).includes('organization_id')),
      ).toBe(true);
    },
    SLOW,
  );
});
