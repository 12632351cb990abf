import { describe, expect, it } from '@jest/globals';
import { CLICKHOUSE_MIGRATIONS, migrationChecksum } from '../migrations.js';
import { describeClickHouseSchema, splitTopLevel, type ClickHouseTableInfo } from './catalog.js';
import { GRAINS, RAW_TTL_DAYS } from './grains.js';
import { rawTable, rollupFamily, rollupTtlDays, state } from './rollup.js';

const catalog = describeClickHouseSchema(CLICKHOUSE_MIGRATIONS);
const tableNamed = (name: string): ClickHouseTableInfo | undefined =>
  catalog.tables.find((t) => t.name === name);
const columnsOf = (name: string): string[] => (tableNamed(name)?.columns ?? []).map((c) => c.name);

/**
 * Checksums of released migrations. A shipped version never changes: a server that applied
 * it refuses to start when the code's checksum differs. If a failure here names a version
 * that was never released, update its pin; otherwise add a new migration instead.
 */
const PINNED_CHECKSUMS: Record<number, string> = {
  1: 'ab03077e3bc94d03782ef6d3f4f7717af1c7642aabddea5a613d2e1b5e2da9d0',
  2: '5300025ce4d3e7c56b17a2130721f1f55ec9c9fb64604d56f1b04ae277138266',
  3: '7fce1934bb4158d467baeb4430c740de25e423d397cf2b3b67202fd872364e43',
  4: '90b57135fc0c55613966cf5d169186f0931b41b23580739386f60a2df897efca',
  5: 'cd397c6fd778e453011188f33b6569f9bb595d569e066ae38290d1a93d9369e7',
  6: 'e7a8bd0af087831d9dc193ad6bf0768d94fd538c92192f493406b2259e9d97ec',
  7: 'f8661ea8a947edb57107e81eefc722b8f11ef6ca8b81b795c2a72fa22b8904d4',
  8: '1718c7f5f48ebd697d7bedf82a67a253df1e512100a4ea5e88fc2f180ddd9aaf',
  9: '43ebbb3107c6e4b5e1e8a5c8bc2d3f35b70887fc6d1711c08b7689f8cacedfba',
  10: '8ecedc3b0890b211bce419dbe136bd406512efc359c7ada29fe7bfee1d913510',
  11: 'a48a4154a021d36a6b77f0ca15bf3e2417c6e54f782c5acf9ccb4be4963fc812',
  12: 'a7574642b235d9e6e26ef46bb1e95396d21acde362e30c60b69a5c07ff0c3496',
};

/** Families the platform reads only at 1h: the server's own analytics. */
const HOURLY_ONLY = new Set([
  'tool_calls',
  'api_usage',
  'session_analytics',
  'error_analytics',
  'resource_reads',
]);

/**
 * Rollups shipped in migrations 1 and 2 whose 1m grain keeps 7 days, less than the 14 days
 * of their raw tables; families added later keep at least the raw TTL at every grain.
 */
const SHORT_MINUTE_GRAIN = new Set(['metrics_1m', 'logs_1m']);

/** Tables and columns TFO-Platform reads (shared/reference/context-types.md). */
const PLATFORM_READS: Record<string, string[]> = {
  metrics_5m: [
    'five_minutes',
    'service_name',
    'metric_name',
    'metric_type',
    'avg_value',
    'min_value',
    'max_value',
    'sum_value',
    'count',
  ],
  logs_1h: ['hour', 'service_name', 'severity_text', 'count'],
  logs: ['timestamp', 'severity_text', 'body'],
  service_latency_percentiles_1h: ['request_count', 'avg_duration_ns', 'p95_duration_ns', 'p99_duration_ns'],
  service_error_rates_1h: ['total_requests', 'error_count'],
  exemplars: ['timestamp', 'metric_name', 'service_name', 'trace_id', 'span_id', 'value'],
  exemplars_1h: ['hour', 'metric_name', 'service_name'],
  signal_correlations_1h: ['service_name', 'correlation_type', 'count'],
  uptime_checks: ['checked_at', 'monitor_id', 'monitor_name', 'region', 'success', 'response_time'],
  audit_logs: [
    'user_id',
    'user_email',
    'event_type',
    'action',
    'resource',
    'resource_id',
    'result',
    'ip_address',
  ],
  audit_logs_1h: ['hour', 'event_type'],
  vm_metrics_1h: ['hour', 'vm_id', 'metric_name', 'avg_value', 'max_value'],
  kubernetes_metrics_1h: ['hour', 'resource_type', 'resource_name', 'namespace', 'metric_name'],
  service_map_metrics_1h: ['hour', 'source_service', 'target_service'],
  network_map_traffic_1h: ['hour', 'source_node', 'target_node'],
  network_map_connection_metrics_1h: ['hour', 'source_node', 'target_node'],
  anomaly_events: [
    'metric_name',
    'signal_type',
    'severity',
    'anomaly_score',
    'z_score',
    'observed_value',
    'expected_value',
  ],
  predictions: ['resource_type', 'horizon', 'failure_probability', 'health_score'],
  // cost_data_daily_mv is a view TO this table: a SELECT from the view reads these columns.
  cost_data_daily: ['day', 'service_name', 'provider', 'total_cost_usd'],
};

describe('CLICKHOUSE_MIGRATIONS', () => {
  it('has strictly increasing versions and unique names', () => {
    const versions = CLICKHOUSE_MIGRATIONS.map((m) => m.version);
    versions.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(versions[i] ?? Infinity));
    expect(new Set(CLICKHOUSE_MIGRATIONS.map((m) => m.name)).size).toBe(CLICKHOUSE_MIGRATIONS.length);
  });

  it('keeps released migrations byte for byte (pinned checksums)', () => {
    expect(Object.keys(PINNED_CHECKSUMS).map(Number)).toEqual(CLICKHOUSE_MIGRATIONS.map((m) => m.version));
    for (const [version, checksum] of Object.entries(PINNED_CHECKSUMS)) {
      const migration = CLICKHOUSE_MIGRATIONS.find((m) => m.version === Number(version));
      expect([version, migration && migrationChecksum(migration)]).toEqual([version, checksum]);
    }
  });

  it('creates every object, and adds every column, with IF NOT EXISTS, and each name once', () => {
    for (const statement of CLICKHOUSE_MIGRATIONS.flatMap((m) => m.statements)) {
      expect(statement).toMatch(
        /^(CREATE (TABLE|MATERIALIZED VIEW) IF NOT EXISTS \w+ |ALTER TABLE \w+ ADD COLUMN IF NOT EXISTS \w+ )/,
      );
    }
    const names = [...catalog.tables, ...catalog.views].map((o) => o.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('starts every table with the tenant columns and its ORDER BY with organization_id', () => {
    for (const table of catalog.tables) {
      expect([table.name, table.columns.slice(0, 3).map((c) => c.name)]).toEqual([
        table.name,
        ['organization_id', 'workspace_id', 'tenant_id'],
      ]);
      expect([table.name, table.orderBy[0]]).toEqual([table.name, 'organization_id']);
    }
  });

  it('gives every table a TTL in days', () => {
    for (const table of catalog.tables) {
      expect([table.name, table.ttlDays]).toEqual([table.name, expect.any(Number)]);
    }
  });

  it('names every view <target>_mv, and its target and source exist before it', () => {
    for (const view of catalog.views) {
      expect(view.name).toBe(`${view.target}_mv`);
      for (const needed of [view.target, view.source]) {
        const table = tableNamed(needed);
        expect([view.name, needed, table !== undefined && table.version <= view.version]).toEqual([
          view.name,
          needed,
          true,
        ]);
      }
    }
    for (const rollup of catalog.rollups) {
      expect(catalog.rawTables.map((t) => t.name)).toContain(rollup.view.source);
    }
  });

  it('rolls rollups up by the tenant columns first, and keeps them at least as long as the raw rows', () => {
    for (const { table, view, grain } of catalog.rollups) {
      expect([table.name, table.orderBy.slice(0, 3)]).toEqual([
        table.name,
        ['organization_id', 'workspace_id', 'tenant_id'],
      ]);
      expect(table.engine).toMatch(/^(AggregatingMergeTree|SummingMergeTree)\b/);
      if (grain !== undefined) expect([table.name, table.orderBy.at(-1)]).toEqual([table.name, grain.column]);
      if (SHORT_MINUTE_GRAIN.has(table.name)) continue;
      const source = tableNamed(view.source);
      expect([table.name, (table.ttlDays ?? 0) >= (source?.ttlDays ?? Infinity)]).toEqual([table.name, true]);
    }
  });

  it('has all six grains of every family, with one column layout per family', () => {
    const families = new Map<string, string[]>();
    for (const rollup of catalog.rollups) {
      if (rollup.grain === undefined) continue;
      families.set(rollup.family, [...(families.get(rollup.family) ?? []), rollup.grain.suffix]);
    }
    expect(families.size).toBeGreaterThan(15);
    for (const [family, suffixes] of families) {
      const expected = HOURLY_ONLY.has(family) ? ['1h'] : GRAINS.map((g) => g.suffix);
      expect([family, [...suffixes].sort()]).toEqual([family, [...expected].sort()]);
      const layouts = new Set(
        GRAINS.filter((g) => suffixes.includes(g.suffix)).map((g) =>
          JSON.stringify(
            tableNamed(`${family}_${g.suffix}`)?.columns.map((c) =>
              c.name === g.column ? { ...c, name: '<time>' } : c,
            ),
          ),
        ),
      );
      expect([family, layouts.size]).toEqual([family, 1]);
    }
  });

  it('keeps grain TTLs non-decreasing from the finest grain to the coarsest in each family', () => {
    for (const family of new Set(catalog.rollups.map((r) => r.family))) {
      const ttls = GRAINS.map((g) => tableNamed(`${family}_${g.suffix}`)?.ttlDays).filter(
        (d): d is number => d !== undefined,
      );
      expect([family, ttls]).toEqual([family, [...ttls].sort((a, b) => a - b)]);
    }
  });

  it('creates the tables and columns TFO-Platform reads', () => {
    for (const [table, columns] of Object.entries(PLATFORM_READS)) {
      expect([table, columns.filter((c) => !columnsOf(table).includes(c))]).toEqual([table, []]);
    }
    const costView = catalog.views.find((v) => v.name === 'cost_data_daily_mv');
    expect(costView).toMatchObject({ target: 'cost_data_daily', source: 'cost_data' });
    for (const rollup of ['vm_metrics_1h', 'kubernetes_metrics_1h', 'db_metrics_1h']) {
      expect(columnsOf(rollup)).toEqual(
        expect.arrayContaining(['avg_value', 'min_value', 'max_value', 'sum_value', 'count']),
      );
    }
  });

  it('keeps database monitoring in one table per kind, with an engine column', () => {
    for (const table of ['db_metrics', 'db_queries', 'db_metrics_1h', 'db_queries_1h']) {
      expect(columnsOf(table)).toContain('engine');
    }
    expect(catalog.tables.filter((t) => /^db_(mysql|postgres|mongodb|redis)/.test(t.name))).toEqual([]);
    expect(columnsOf('db_queries_5m')).toEqual(
      expect.arrayContaining([
        'fingerprint',
        'calls',
        'avg_duration_ms',
        'p95_duration_ms',
        'max_duration_ms',
      ]),
    );
  });
});

describe('schema builders', () => {
  it('turns a parametric aggregate into a parametric state', () => {
    expect(state('p95', 'quantile(0.95)', 'duration_ms', 'Float64')).toEqual({
      name: 'p95',
      type: 'AggregateFunction(quantile(0.95), Float64)',
      expr: 'quantileState(0.95)(duration_ms)',
    });
    expect(state('avg', 'avg', 'v', 'UInt64').expr).toBe('avgState(v)');
  });

  it('never lets a grain expire before the floor', () => {
    const floor = { floorTtlDays: 90 };
    expect(GRAINS.map((g) => rollupTtlDays(floor, g))).toEqual(GRAINS.map((g) => Math.max(90, g.ttlDays)));
    expect(rollupTtlDays({ floorTtlDays: RAW_TTL_DAYS }, GRAINS[0]!)).toBe(RAW_TTL_DAYS);
  });

  it('builds a summing family whose engine names its value columns, read back by the catalog', () => {
    const statements = [
      rawTable({
        name: 'things',
        columns: ["timestamp DateTime64(3, 'UTC')", 'kind String'],
        orderBy: ['kind'],
        ttlDays: 3,
      }),
      ...rollupFamily({
        family: 'things',
        source: 'things',
        keys: [{ name: 'kind', type: 'String' }],
        values: [
          { name: 'n', type: 'UInt64', expr: 'count()' },
          { name: 'm', type: 'UInt64', expr: 'count()' },
        ],
        engine: 'SummingMergeTree',
        floorTtlDays: 3,
        grains: ['5m', '1d'],
      }),
    ];
    const built = describeClickHouseSchema([{ version: 1, statements }]);
    expect(built.tables.map((t) => t.name)).toEqual(['things', 'things_5m', 'things_1d']);
    expect(built.tables[1]).toMatchObject({
      engine: 'SummingMergeTree((n, m))',
      orderBy: ['organization_id', 'workspace_id', 'tenant_id', 'kind', 'five_minutes'],
      ttlDays: 30,
    });
    expect(built.tables[0]).toMatchObject({ ttlDays: 3, partitionBy: 'toDate(timestamp)' });
    expect(built.views.map((v) => [v.name, v.target, v.source])).toEqual([
      ['things_5m_mv', 'things_5m', 'things'],
      ['things_1d_mv', 'things_1d', 'things'],
    ]);
    expect(built.rollups.map((r) => [r.family, r.grain?.suffix])).toEqual([
      ['things', '5m'],
      ['things', '1d'],
    ]);
  });

  it('refuses a statement shape it does not know', () => {
    expect(() => describeClickHouseSchema([{ version: 1, statements: ['DROP TABLE x'] }])).toThrow(
      /unexpected statement/,
    );
  });

  it('splits at top-level commas only', () => {
    expect(splitTopLevel("a Map(String, String), b DateTime64(3, 'UTC'), c String DEFAULT ','")).toEqual([
      'a Map(String, String)',
      "b DateTime64(3, 'UTC')",
      "c String DEFAULT ','",
    ]);
  });
});
