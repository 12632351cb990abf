/**
 * ClickHouse schema, core telemetry families: metrics (raw + six AggregatingMergeTree
 * grains), logs (raw + SummingMergeTree grains), spans with latency percentiles and error
 * rates, exemplars. Names and time columns follow TFO-Platform's.
 *
 * Invariants: every statement is idempotent (`IF NOT EXISTS`); every table starts its
 * ORDER BY with organization_id; raw tables keep {@link RAW_TTL_DAYS} days, rollups longer.
 * Materialized views are named `<target>_mv` and write `TO` the platform-named table.
 * Migration 11 adds the grains migration 3 left out (latency, error rates and exemplars
 * shipped at 1h only) with the same column layout as the shipped 1h tables.
 */
import { GRAINS, RAW_TTL_DAYS, TENANT_COLUMNS, grain } from './grains.js';
import { grainsExcept, rollupFamily, simple, state, total } from './rollup.js';

const metricsRaw = `CREATE TABLE IF NOT EXISTS metrics (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  service_name LowCardinality(String),
  metric_name LowCardinality(String),
  metric_type LowCardinality(String),
  value Float64,
  unit LowCardinality(String) DEFAULT '',
  labels Map(String, String)
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, service_name, metric_name, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${RAW_TTL_DAYS} DAY`;

function metricsRollup(suffix: string): string[] {
  const g = grain(suffix);
  const table = `metrics_${g.suffix}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
  ${TENANT_COLUMNS},
  ${g.column} DateTime('UTC'),
  service_name LowCardinality(String),
  metric_name LowCardinality(String),
  metric_type LowCardinality(String),
  avg_value AggregateFunction(avg, Float64),
  min_value AggregateFunction(min, Float64),
  max_value AggregateFunction(max, Float64),
  sum_value AggregateFunction(sum, Float64),
  count AggregateFunction(count)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(${g.column})
ORDER BY (organization_id, workspace_id, tenant_id, service_name, metric_name, metric_type, ${g.column})
TTL ${g.column} + INTERVAL ${g.ttlDays} DAY`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv TO ${table} AS
SELECT organization_id, workspace_id, tenant_id,
  ${g.bucket("toDateTime(timestamp, 'UTC')")} AS ${g.column},
  service_name, metric_name, metric_type,
  avgState(value) AS avg_value, minState(value) AS min_value, maxState(value) AS max_value,
  sumState(value) AS sum_value, countState() AS count
FROM metrics
GROUP BY organization_id, workspace_id, tenant_id, ${g.column}, service_name, metric_name, metric_type`,
  ];
}

const logsRaw = `CREATE TABLE IF NOT EXISTS logs (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  service_name LowCardinality(String),
  severity_text LowCardinality(String),
  severity_number UInt8,
  body String,
  trace_id String DEFAULT '',
  span_id String DEFAULT '',
  host_name LowCardinality(String) DEFAULT '',
  attributes Map(String, String)
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, service_name, severity_text, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${RAW_TTL_DAYS} DAY`;

function logsRollup(suffix: string): string[] {
  const g = grain(suffix);
  const table = `logs_${g.suffix}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
  ${TENANT_COLUMNS},
  ${g.column} DateTime('UTC'),
  service_name LowCardinality(String),
  severity_text LowCardinality(String),
  count UInt64
) ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(${g.column})
ORDER BY (organization_id, workspace_id, tenant_id, service_name, severity_text, ${g.column})
TTL ${g.column} + INTERVAL ${g.ttlDays} DAY`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv TO ${table} AS
SELECT organization_id, workspace_id, tenant_id,
  ${g.bucket("toDateTime(timestamp, 'UTC')")} AS ${g.column},
  service_name, severity_text, count() AS count
FROM logs
GROUP BY organization_id, workspace_id, tenant_id, ${g.column}, service_name, severity_text`,
  ];
}

const spansRaw = `CREATE TABLE IF NOT EXISTS traces (
  ${TENANT_COLUMNS},
  timestamp DateTime64(9, 'UTC'),
  trace_id String,
  span_id String,
  parent_span_id String DEFAULT '',
  service_name LowCardinality(String),
  span_name LowCardinality(String),
  span_kind LowCardinality(String) DEFAULT 'SERVER',
  duration_ns UInt64,
  status_code LowCardinality(String) DEFAULT 'OK',
  http_status_code UInt16 DEFAULT 0,
  attributes Map(String, String)
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, service_name, span_name, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${RAW_TTL_DAYS} DAY`;

const latencyRollup = [
  `CREATE TABLE IF NOT EXISTS service_latency_percentiles_1h (
  ${TENANT_COLUMNS},
  hour DateTime('UTC'),
  service_name LowCardinality(String),
  span_name LowCardinality(String),
  request_count SimpleAggregateFunction(sum, UInt64),
  avg_duration_ns AggregateFunction(avg, UInt64),
  p95_duration_ns AggregateFunction(quantile(0.95), UInt64),
  p99_duration_ns AggregateFunction(quantile(0.99), UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (organization_id, workspace_id, tenant_id, service_name, span_name, hour)
TTL hour + INTERVAL ${grain('1h').ttlDays} DAY`,
  `CREATE MATERIALIZED VIEW IF NOT EXISTS service_latency_percentiles_1h_mv TO service_latency_percentiles_1h AS
SELECT organization_id, workspace_id, tenant_id, toStartOfHour(toDateTime(timestamp, 'UTC')) AS hour,
  service_name, span_name, toUInt64(count()) AS request_count, avgState(duration_ns) AS avg_duration_ns,
  quantileState(0.95)(duration_ns) AS p95_duration_ns, quantileState(0.99)(duration_ns) AS p99_duration_ns
FROM traces
GROUP BY organization_id, workspace_id, tenant_id, hour, service_name, span_name`,
];

const errorRollup = [
  `CREATE TABLE IF NOT EXISTS service_error_rates_1h (
  ${TENANT_COLUMNS},
  hour DateTime('UTC'),
  service_name LowCardinality(String),
  total_requests UInt64,
  error_count UInt64
) ENGINE = SummingMergeTree((total_requests, error_count))
PARTITION BY toYYYYMM(hour)
ORDER BY (organization_id, workspace_id, tenant_id, service_name, hour)
TTL hour + INTERVAL ${grain('1h').ttlDays} DAY`,
  `CREATE MATERIALIZED VIEW IF NOT EXISTS service_error_rates_1h_mv TO service_error_rates_1h AS
SELECT organization_id, workspace_id, tenant_id, toStartOfHour(toDateTime(timestamp, 'UTC')) AS hour,
  service_name, toUInt64(count()) AS total_requests, toUInt64(countIf(status_code = 'ERROR')) AS error_count
FROM traces
GROUP BY organization_id, workspace_id, tenant_id, hour, service_name`,
];

const exemplars = [
  `CREATE TABLE IF NOT EXISTS exemplars (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  metric_name LowCardinality(String),
  service_name LowCardinality(String),
  trace_id String,
  span_id String,
  value Float64
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, service_name, metric_name, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${RAW_TTL_DAYS} DAY`,
  `CREATE TABLE IF NOT EXISTS exemplars_1h (
  ${TENANT_COLUMNS},
  hour DateTime('UTC'),
  metric_name LowCardinality(String),
  service_name LowCardinality(String),
  exemplar_count SimpleAggregateFunction(sum, UInt64),
  max_value SimpleAggregateFunction(max, Float64),
  sample_trace_ids AggregateFunction(groupUniqArray(10), String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (organization_id, workspace_id, tenant_id, service_name, metric_name, hour)
TTL hour + INTERVAL ${grain('1h').ttlDays} DAY`,
  `CREATE MATERIALIZED VIEW IF NOT EXISTS exemplars_1h_mv TO exemplars_1h AS
SELECT organization_id, workspace_id, tenant_id, toStartOfHour(toDateTime(timestamp, 'UTC')) AS hour,
  metric_name, service_name, toUInt64(count()) AS exemplar_count, max(value) AS max_value,
  groupUniqArrayState(10)(trace_id) AS sample_trace_ids
FROM exemplars
GROUP BY organization_id, workspace_id, tenant_id, hour, metric_name, service_name`,
];

/** Migration 1: metrics raw table and its six rollup grains. */
export const METRICS_SCHEMA: readonly string[] = [
  metricsRaw,
  ...GRAINS.flatMap((g) => metricsRollup(g.suffix)),
];

/** Migration 2: logs raw table and its six rollup grains. */
export const LOGS_SCHEMA: readonly string[] = [logsRaw, ...GRAINS.flatMap((g) => logsRollup(g.suffix))];

/** Migration 3: spans (`traces`), latency percentiles, error rates, exemplars. */
export const TRACES_SCHEMA: readonly string[] = [spansRaw, ...latencyRollup, ...errorRollup, ...exemplars];

const latencyGrains = rollupFamily({
  family: 'service_latency_percentiles',
  source: 'traces',
  keys: [{ name: 'service_name' }, { name: 'span_name' }],
  values: [
    simple('request_count', 'sum', 'UInt64', 'toUInt64(count())'),
    state('avg_duration_ns', 'avg', 'duration_ns', 'UInt64'),
    state('p95_duration_ns', 'quantile(0.95)', 'duration_ns', 'UInt64'),
    state('p99_duration_ns', 'quantile(0.99)', 'duration_ns', 'UInt64'),
  ],
  engine: 'AggregatingMergeTree',
  floorTtlDays: RAW_TTL_DAYS,
  grains: grainsExcept('1h'),
});

const errorRateGrains = rollupFamily({
  family: 'service_error_rates',
  source: 'traces',
  keys: [{ name: 'service_name' }],
  values: [
    total('total_requests', 'UInt64', 'toUInt64(count())'),
    total('error_count', 'UInt64', "toUInt64(countIf(status_code = 'ERROR'))"),
  ],
  engine: 'SummingMergeTree',
  floorTtlDays: RAW_TTL_DAYS,
  grains: grainsExcept('1h'),
});

const exemplarGrains = rollupFamily({
  family: 'exemplars',
  source: 'exemplars',
  keys: [{ name: 'metric_name' }, { name: 'service_name' }],
  orderBy: ['service_name', 'metric_name'],
  values: [
    simple('exemplar_count', 'sum', 'UInt64', 'toUInt64(count())'),
    simple('max_value', 'max', 'Float64', 'max(value)'),
    state('sample_trace_ids', 'groupUniqArray(10)', 'trace_id', 'String'),
  ],
  engine: 'AggregatingMergeTree',
  floorTtlDays: RAW_TTL_DAYS,
  grains: grainsExcept('1h'),
});

/**
 * Part of migration 11: the grains other than 1h of service_latency_percentiles,
 * service_error_rates and exemplars.
 */
export const TRACES_GRAINS_SCHEMA: readonly string[] = [
  ...latencyGrains,
  ...errorRateGrains,
  ...exemplarGrains,
];
