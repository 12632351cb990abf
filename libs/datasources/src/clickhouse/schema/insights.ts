/**
 * ClickHouse schema, intelligence and cost families: signal correlations (raw plus six
 * grains), anomaly events and failure predictions (raw only: each row is already a
 * finding), cost records with the platform's daily rollup `cost_data_daily_mv`.
 *
 * Invariants: see rollup.ts. Findings keep {@link FINDINGS_TTL_DAYS} days, longer than raw
 * telemetry, because they are what an investigation looks back at.
 *
 * Decision on `cost_data_daily_mv`: the platform SELECTs from this name directly. It is a
 * materialized view `TO cost_data_daily` (a SummingMergeTree with its own ORDER BY and TTL),
 * not a view with an inner engine. A SELECT from a `TO` view reads its target, on a server
 * and on embedded chdb alike (the integration test proves it on chdb); the target is a
 * normal named table that carries the tenant columns, ORDER BY and TTL like every other
 * rollup, where an inner-engine view would hide them in a `.inner_id.<uuid>` table.
 */
import { RAW_TTL_DAYS, TENANT_COLUMNS, grain } from './grains.js';
import { rawTable, rollupFamily, simple, state } from './rollup.js';

/** TTL in days of anomaly events and predictions. */
export const FINDINGS_TTL_DAYS = 90;

/** TTL in days of raw cost records (the daily rollup keeps the 1d grain's TTL). */
export const COST_RAW_TTL_DAYS = 90;

const signalCorrelations = [
  rawTable({
    name: 'signal_correlations',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'service_name LowCardinality(String)',
      'correlation_type LowCardinality(String)',
      'source_signal LowCardinality(String)',
      'target_signal LowCardinality(String)',
      "trace_id String DEFAULT ''",
      'strength Float64',
    ],
    orderBy: ['service_name', 'correlation_type', 'timestamp'],
    ttlDays: RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'signal_correlations',
    source: 'signal_correlations',
    keys: [
      { name: 'service_name' },
      { name: 'correlation_type' },
      { name: 'source_signal' },
      { name: 'target_signal' },
    ],
    values: [
      simple('count', 'sum', 'UInt64', 'toUInt64(count())'),
      state('avg_strength', 'avg', 'strength', 'Float64'),
      state('max_strength', 'max', 'strength', 'Float64'),
    ],
    engine: 'AggregatingMergeTree',
    floorTtlDays: RAW_TTL_DAYS,
  }),
];

const anomalyEvents = rawTable({
  name: 'anomaly_events',
  columns: [
    "timestamp DateTime64(3, 'UTC')",
    'anomaly_id String',
    'service_name LowCardinality(String)',
    'metric_name LowCardinality(String)',
    'signal_type LowCardinality(String)',
    'severity LowCardinality(String)',
    'anomaly_score Float64',
    'z_score Float64',
    'observed_value Float64',
    'expected_value Float64',
    "description String DEFAULT ''",
  ],
  orderBy: ['service_name', 'metric_name', 'timestamp'],
  ttlDays: FINDINGS_TTL_DAYS,
});

const predictions = rawTable({
  name: 'predictions',
  time: 'created_at',
  columns: [
    "created_at DateTime64(3, 'UTC')",
    'prediction_id String',
    'resource_type LowCardinality(String)',
    'resource_id String',
    'resource_name String',
    'horizon LowCardinality(String)',
    'failure_probability Float64',
    'health_score Float64',
    "predicted_for DateTime64(3, 'UTC')",
    "details String DEFAULT ''",
  ],
  orderBy: ['resource_type', 'resource_id', 'created_at'],
  ttlDays: FINDINGS_TTL_DAYS,
});

const day = grain('1d');

const cost = [
  rawTable({
    name: 'cost_data',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'service_name LowCardinality(String)',
      'provider LowCardinality(String)',
      'resource_type LowCardinality(String)',
      'cost_usd Float64',
      'usage_quantity Float64 DEFAULT 0',
      "usage_unit LowCardinality(String) DEFAULT ''",
    ],
    orderBy: ['service_name', 'provider', 'timestamp'],
    ttlDays: COST_RAW_TTL_DAYS,
  }),
  `CREATE TABLE IF NOT EXISTS cost_data_daily (
  ${TENANT_COLUMNS},
  ${day.column} DateTime('UTC'),
  service_name LowCardinality(String),
  provider LowCardinality(String),
  total_cost_usd Float64,
  records UInt64
) ENGINE = SummingMergeTree((total_cost_usd, records))
PARTITION BY toYYYYMM(${day.column})
ORDER BY (organization_id, workspace_id, tenant_id, service_name, provider, ${day.column})
TTL ${day.column} + INTERVAL ${Math.max(day.ttlDays, COST_RAW_TTL_DAYS)} DAY`,
  `CREATE MATERIALIZED VIEW IF NOT EXISTS cost_data_daily_mv TO cost_data_daily AS
SELECT organization_id, workspace_id, tenant_id,
  ${day.bucket("toDateTime(timestamp, 'UTC')")} AS ${day.column},
  service_name, provider, sum(cost_usd) AS total_cost_usd, toUInt64(count()) AS records
FROM cost_data
GROUP BY organization_id, workspace_id, tenant_id, ${day.column}, service_name, provider`,
];

/** Migration 8: signal_correlations (+ grains), anomaly_events, predictions, cost_data (+ daily). */
export const INSIGHTS_SCHEMA: readonly string[] = [
  ...signalCorrelations,
  anomalyEvents,
  predictions,
  ...cost,
];
