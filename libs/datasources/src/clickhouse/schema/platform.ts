/**
 * ClickHouse schema, platform families beyond core telemetry: uptime checks and audit logs
 * (with an hourly rollup). Names follow TFO-Platform's.
 *
 * Invariants: idempotent statements; ORDER BY starts with organization_id; raw TTL shorter
 * than rollup TTL.
 *
 * Later migrations: 10 adds `resource_reads` (the server's resource reads, beside
 * `tool_calls`); 11 adds uptime_checks rollups at six grains and the audit_logs grains
 * other than 1h (same layout and 730-day floor as `audit_logs_1h`).
 */
import { RAW_TTL_DAYS, TENANT_COLUMNS, grain } from './grains.js';
import { grainsExcept, rollupFamily, simple, state, total } from './rollup.js';

/** TTL in days of raw uptime checks (migration 4). */
const UPTIME_RAW_TTL_DAYS = 90;

/** Lower bound of every audit_logs grain's TTL: the one `audit_logs_1h` shipped with. */
const AUDIT_ROLLUP_FLOOR_DAYS = 730;

/** Migration 4: uptime_checks, audit_logs and audit_logs_1h. */
export const PLATFORM_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS uptime_checks (
  ${TENANT_COLUMNS},
  checked_at DateTime64(3, 'UTC'),
  monitor_id String,
  monitor_name LowCardinality(String),
  region LowCardinality(String),
  success Bool,
  status_code UInt16 DEFAULT 0,
  response_time Float64,
  error_message String DEFAULT ''
) ENGINE = MergeTree
PARTITION BY toDate(checked_at)
ORDER BY (organization_id, monitor_id, checked_at)
TTL toDateTime(checked_at) + INTERVAL ${UPTIME_RAW_TTL_DAYS} DAY`,
  `CREATE TABLE IF NOT EXISTS audit_logs (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  user_id String,
  user_email String,
  event_type LowCardinality(String),
  action LowCardinality(String),
  resource LowCardinality(String),
  resource_id String,
  result LowCardinality(String),
  ip_address String,
  user_agent String DEFAULT '',
  metadata String DEFAULT ''
) ENGINE = MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (organization_id, event_type, timestamp)
TTL toDateTime(timestamp) + INTERVAL 365 DAY`,
  `CREATE TABLE IF NOT EXISTS audit_logs_1h (
  ${TENANT_COLUMNS},
  hour DateTime('UTC'),
  event_type LowCardinality(String),
  action LowCardinality(String),
  result LowCardinality(String),
  count UInt64
) ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(hour)
ORDER BY (organization_id, workspace_id, tenant_id, event_type, action, result, hour)
TTL hour + INTERVAL ${Math.max(AUDIT_ROLLUP_FLOOR_DAYS, grain('1h').ttlDays)} DAY`,
  `CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_1h_mv TO audit_logs_1h AS
SELECT organization_id, workspace_id, tenant_id, toStartOfHour(toDateTime(timestamp, 'UTC')) AS hour,
  event_type, action, result, count() AS count
FROM audit_logs
GROUP BY organization_id, workspace_id, tenant_id, hour, event_type, action, result`,
];

/** Raw-table TTL used by the server's own analytics tables. */
const ANALYTICS_RAW_TTL_DAYS = Math.max(RAW_TTL_DAYS, 30);

function hourly(table: string, keys: string, sums: Record<string, string>, source: string): string[] {
  const cols = Object.keys(sums)
    .map((c) => `  ${c} UInt64`)
    .join(',\n');
  const selects = Object.entries(sums)
    .map(([c, expr]) => `toUInt64(${expr}) AS ${c}`)
    .join(', ');
  const keyList = keys.split(',').map((k) => k.trim());
  return [
    `CREATE TABLE IF NOT EXISTS ${table}_1h (
  ${TENANT_COLUMNS},
  hour DateTime('UTC'),
${keyList.map((k) => `  ${k} LowCardinality(String)`).join(',\n')},
${cols}
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (organization_id, workspace_id, tenant_id, ${keyList.join(', ')}, hour)
TTL hour + INTERVAL ${grain('1h').ttlDays * 2} DAY`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_1h_mv TO ${table}_1h AS
SELECT organization_id, workspace_id, tenant_id, toStartOfHour(toDateTime(timestamp, 'UTC')) AS hour,
  ${keyList.join(', ')}, ${selects}
FROM ${source}
GROUP BY organization_id, workspace_id, tenant_id, hour, ${keyList.join(', ')}`,
  ];
}

/** Migration 5: the MCP server's own analytics (tool calls, API usage, sessions, errors). */
export const SERVER_ANALYTICS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS tool_calls (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  call_id String,
  session_id String,
  tool_name LowCardinality(String),
  arguments_digest String,
  duration_ms UInt32,
  outcome LowCardinality(String),
  error_code LowCardinality(String) DEFAULT '',
  caller String DEFAULT ''
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, tool_name, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${ANALYTICS_RAW_TTL_DAYS} DAY`,
  ...hourly(
    'tool_calls',
    'tool_name, outcome',
    {
      call_count: 'count()',
      error_count: "countIf(outcome = 'error')",
      total_duration_ms: 'sum(duration_ms)',
    },
    'tool_calls',
  ),
  `CREATE TABLE IF NOT EXISTS api_usage (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  session_id String,
  provider LowCardinality(String),
  model LowCardinality(String),
  operation LowCardinality(String),
  input_tokens UInt32,
  output_tokens UInt32,
  cost_usd Float64 DEFAULT 0,
  duration_ms UInt32,
  success Bool
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, provider, model, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${ANALYTICS_RAW_TTL_DAYS} DAY`,
  ...hourly(
    'api_usage',
    'provider, model',
    {
      request_count: 'count()',
      input_tokens: 'sum(input_tokens)',
      output_tokens: 'sum(output_tokens)',
      failed_count: 'countIf(NOT success)',
    },
    'api_usage',
  ),
  `CREATE TABLE IF NOT EXISTS session_analytics (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  session_id String,
  event LowCardinality(String),
  transport LowCardinality(String),
  client_name LowCardinality(String) DEFAULT '',
  duration_ms UInt64 DEFAULT 0,
  tool_call_count UInt32 DEFAULT 0
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, session_id, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${ANALYTICS_RAW_TTL_DAYS} DAY`,
  ...hourly('session_analytics', 'event, transport', { event_count: 'count()' }, 'session_analytics'),
  `CREATE TABLE IF NOT EXISTS error_analytics (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  session_id String DEFAULT '',
  source LowCardinality(String),
  error_code LowCardinality(String),
  error_class LowCardinality(String),
  message String,
  tool_name LowCardinality(String) DEFAULT ''
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, error_code, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${ANALYTICS_RAW_TTL_DAYS} DAY`,
  ...hourly('error_analytics', 'source, error_code', { error_count: 'count()' }, 'error_analytics'),
];

/** Migration 10: the MCP server's resource reads, raw and hourly (same shape as tool_calls). */
export const RESOURCE_READS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS resource_reads (
  ${TENANT_COLUMNS},
  timestamp DateTime64(3, 'UTC'),
  session_id String,
  uri_scheme LowCardinality(String),
  uri String,
  duration_ms UInt32,
  outcome LowCardinality(String),
  error_code LowCardinality(String) DEFAULT '',
  caller String DEFAULT ''
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (organization_id, uri_scheme, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${ANALYTICS_RAW_TTL_DAYS} DAY`,
  ...hourly(
    'resource_reads',
    'uri_scheme, outcome',
    {
      read_count: 'count()',
      error_count: "countIf(outcome = 'error')",
      total_duration_ms: 'sum(duration_ms)',
    },
    'resource_reads',
  ),
];

/**
 * Part of migration 11: uptime_checks at six grains (checks, failures, response time
 * avg/p95/max) and the audit_logs grains other than 1h.
 */
export const PLATFORM_GRAINS_SCHEMA: readonly string[] = [
  ...rollupFamily({
    family: 'uptime_checks',
    source: 'uptime_checks',
    time: "toDateTime(checked_at, 'UTC')",
    keys: [{ name: 'monitor_id', type: 'String' }, { name: 'monitor_name' }, { name: 'region' }],
    values: [
      simple('checks', 'sum', 'UInt64', 'toUInt64(count())'),
      simple('failures', 'sum', 'UInt64', 'toUInt64(countIf(NOT success))'),
      state('avg_response_time', 'avg', 'response_time', 'Float64'),
      state('p95_response_time', 'quantile(0.95)', 'response_time', 'Float64'),
      state('max_response_time', 'max', 'response_time', 'Float64'),
    ],
    engine: 'AggregatingMergeTree',
    floorTtlDays: UPTIME_RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'audit_logs',
    source: 'audit_logs',
    keys: [{ name: 'event_type' }, { name: 'action' }, { name: 'result' }],
    values: [total('count', 'UInt64', 'count()')],
    engine: 'SummingMergeTree',
    floorTtlDays: AUDIT_ROLLUP_FLOOR_DAYS,
    grains: grainsExcept('1h'),
  }),
];
