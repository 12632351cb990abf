/**
 * ClickHouse schema, database monitoring: instance metrics and per-fingerprint query
 * analytics for every engine the platform monitors (MySQL, PostgreSQL, MongoDB, Redis, ...),
 * raw plus six grains each.
 *
 * Decision: one table per kind with an `engine` column (`db_metrics`, `db_queries`) rather
 * than one table per engine (`db_mysql_metrics`, ...): every db-monitoring context reads the
 * same columns, and cross-engine views (query analytics over all instances) stay one
 * GROUP BY. `database_instance_id` is the PostgreSQL `database_instances.id`.
 *
 * Invariants: see rollup.ts. `db_queries.error` is the error text or code, empty when the
 * statement succeeded.
 */
import { RAW_TTL_DAYS } from './grains.js';
import { metricStates, rawTable, rollupFamily, simple, state } from './rollup.js';

const dbMetrics = [
  rawTable({
    name: 'db_metrics',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'database_instance_id String',
      'engine LowCardinality(String)',
      'instance_name LowCardinality(String)',
      'metric_name LowCardinality(String)',
      'value Float64',
    ],
    orderBy: ['engine', 'database_instance_id', 'metric_name', 'timestamp'],
    ttlDays: RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'db_metrics',
    source: 'db_metrics',
    keys: [
      { name: 'engine' },
      { name: 'database_instance_id', type: 'String' },
      { name: 'instance_name' },
      { name: 'metric_name' },
    ],
    values: metricStates(),
    engine: 'AggregatingMergeTree',
    floorTtlDays: RAW_TTL_DAYS,
  }),
];

const dbQueries = [
  rawTable({
    name: 'db_queries',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'database_instance_id String',
      'engine LowCardinality(String)',
      'fingerprint String',
      'query_sample String',
      'duration_ms Float64',
      'rows_examined UInt64 DEFAULT 0',
      'rows_returned UInt64 DEFAULT 0',
      "error String DEFAULT ''",
    ],
    orderBy: ['engine', 'database_instance_id', 'fingerprint', 'timestamp'],
    ttlDays: RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'db_queries',
    source: 'db_queries',
    keys: [
      { name: 'engine' },
      { name: 'database_instance_id', type: 'String' },
      { name: 'fingerprint', type: 'String' },
    ],
    values: [
      simple('calls', 'sum', 'UInt64', 'toUInt64(count())'),
      simple('errors', 'sum', 'UInt64', "toUInt64(countIf(error != ''))"),
      simple('total_duration_ms', 'sum', 'Float64', 'sum(duration_ms)'),
      state('avg_duration_ms', 'avg', 'duration_ms', 'Float64'),
      state('p95_duration_ms', 'quantile(0.95)', 'duration_ms', 'Float64'),
      state('max_duration_ms', 'max', 'duration_ms', 'Float64'),
      simple('rows_examined', 'sum', 'UInt64', 'sum(rows_examined)'),
      simple('rows_returned', 'sum', 'UInt64', 'sum(rows_returned)'),
      simple('query_sample', 'anyLast', 'String', 'anyLast(query_sample)'),
    ],
    engine: 'AggregatingMergeTree',
    floorTtlDays: RAW_TTL_DAYS,
  }),
];

/** The database-monitoring part of migration 9: db_metrics and db_queries with six grains each. */
export const DATABASE_SCHEMA: readonly string[] = [...dbMetrics, ...dbQueries];
