/**
 * ClickHouse schema, service map and network map families: per-edge request metrics
 * between services, and per-link traffic and connection quality between network nodes.
 * The PostgreSQL tables service_map_* / network_map_* hold the inventory; these hold the
 * time series. Names follow TFO-Platform's (`service_map_metrics_1h`,
 * `network_map_traffic_1h`, `network_map_connection_metrics_1h`).
 *
 * Invariants: see rollup.ts. Decisions: request and error counts are
 * `SimpleAggregateFunction(sum, UInt64)` (read with `sum`), latencies are states (read with
 * `avgMerge` / `quantileMerge(0.95)` / `maxMerge`); traffic is pure sums, so it is a
 * SummingMergeTree.
 */
import { RAW_TTL_DAYS } from './grains.js';
import { rawTable, rollupFamily, simple, state, total } from './rollup.js';

const serviceMap = [
  rawTable({
    name: 'service_map_metrics',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'source_service LowCardinality(String)',
      'target_service LowCardinality(String)',
      "protocol LowCardinality(String) DEFAULT 'http'",
      'duration_ms Float64',
      'is_error Bool DEFAULT false',
    ],
    orderBy: ['source_service', 'target_service', 'timestamp'],
    ttlDays: RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'service_map_metrics',
    source: 'service_map_metrics',
    keys: [{ name: 'source_service' }, { name: 'target_service' }, { name: 'protocol' }],
    values: [
      simple('request_count', 'sum', 'UInt64', 'toUInt64(count())'),
      simple('error_count', 'sum', 'UInt64', 'toUInt64(countIf(is_error))'),
      state('avg_duration_ms', 'avg', 'duration_ms', 'Float64'),
      state('p95_duration_ms', 'quantile(0.95)', 'duration_ms', 'Float64'),
      state('max_duration_ms', 'max', 'duration_ms', 'Float64'),
    ],
    engine: 'AggregatingMergeTree',
    floorTtlDays: RAW_TTL_DAYS,
  }),
];

const networkTraffic = [
  rawTable({
    name: 'network_map_traffic',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'source_node LowCardinality(String)',
      'target_node LowCardinality(String)',
      'protocol LowCardinality(String)',
      'port UInt16',
      'bytes_sent UInt64',
      'bytes_received UInt64',
      'packets UInt64',
    ],
    orderBy: ['source_node', 'target_node', 'timestamp'],
    ttlDays: RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'network_map_traffic',
    source: 'network_map_traffic',
    keys: [
      { name: 'source_node' },
      { name: 'target_node' },
      { name: 'protocol' },
      { name: 'port', type: 'UInt16' },
    ],
    values: [
      total('bytes_sent', 'UInt64', 'sum(bytes_sent)'),
      total('bytes_received', 'UInt64', 'sum(bytes_received)'),
      total('packets', 'UInt64', 'sum(packets)'),
      total('samples', 'UInt64', 'toUInt64(count())'),
    ],
    engine: 'SummingMergeTree',
    floorTtlDays: RAW_TTL_DAYS,
  }),
];

const networkConnections = [
  rawTable({
    name: 'network_map_connection_metrics',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'source_node LowCardinality(String)',
      'target_node LowCardinality(String)',
      'latency_ms Float64',
      'packet_loss Float64',
      'connection_count UInt32',
      'retransmits UInt64',
    ],
    orderBy: ['source_node', 'target_node', 'timestamp'],
    ttlDays: RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'network_map_connection_metrics',
    source: 'network_map_connection_metrics',
    keys: [{ name: 'source_node' }, { name: 'target_node' }],
    values: [
      simple('samples', 'sum', 'UInt64', 'toUInt64(count())'),
      state('avg_latency_ms', 'avg', 'latency_ms', 'Float64'),
      state('max_latency_ms', 'max', 'latency_ms', 'Float64'),
      state('avg_packet_loss', 'avg', 'packet_loss', 'Float64'),
      state('max_packet_loss', 'max', 'packet_loss', 'Float64'),
      state('avg_connection_count', 'avg', 'connection_count', 'UInt32'),
      state('max_connection_count', 'max', 'connection_count', 'UInt32'),
      simple('retransmits', 'sum', 'UInt64', 'sum(retransmits)'),
    ],
    engine: 'AggregatingMergeTree',
    floorTtlDays: RAW_TTL_DAYS,
  }),
];

/** Migration 7: service_map_metrics, network_map_traffic, network_map_connection_metrics. */
export const MAPS_SCHEMA: readonly string[] = [...serviceMap, ...networkTraffic, ...networkConnections];
