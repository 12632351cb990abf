/**
 * ClickHouse schema, infrastructure families: virtual machine / host metrics and Kubernetes
 * metrics, raw plus six AggregatingMergeTree grains with the `metrics_*` state columns.
 * Names follow TFO-Platform's (`vm_metrics_1h`, `kubernetes_metrics_1h`).
 *
 * Invariants: see rollup.ts (idempotent, organization_id first, raw TTL <= rollup TTL).
 * Decision: metric names are free-form (`cpu.usage`, `memory.used_bytes`, `disk.io`,
 * `net.rx_bytes`, `apiserver.request_latency`, `coredns.requests`); the platform filters
 * them by prefix, so no column per metric.
 */
import { RAW_TTL_DAYS } from './grains.js';
import { metricStates, rawTable, rollupFamily } from './rollup.js';

const vmMetrics = [
  rawTable({
    name: 'vm_metrics',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'vm_id String',
      'host_name LowCardinality(String)',
      'metric_name LowCardinality(String)',
      'value Float64',
      "unit LowCardinality(String) DEFAULT ''",
    ],
    orderBy: ['vm_id', 'metric_name', 'timestamp'],
    ttlDays: RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'vm_metrics',
    source: 'vm_metrics',
    keys: [{ name: 'vm_id', type: 'String' }, { name: 'host_name' }, { name: 'metric_name' }],
    values: metricStates(),
    engine: 'AggregatingMergeTree',
    floorTtlDays: RAW_TTL_DAYS,
  }),
];

const kubernetesMetrics = [
  rawTable({
    name: 'kubernetes_metrics',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'cluster_name LowCardinality(String)',
      'resource_type LowCardinality(String)',
      'resource_name String',
      "namespace LowCardinality(String) DEFAULT ''",
      'metric_name LowCardinality(String)',
      'value Float64',
    ],
    orderBy: ['cluster_name', 'resource_type', 'metric_name', 'timestamp'],
    ttlDays: RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'kubernetes_metrics',
    source: 'kubernetes_metrics',
    keys: [
      { name: 'cluster_name' },
      { name: 'resource_type' },
      { name: 'namespace' },
      { name: 'resource_name', type: 'String' },
      { name: 'metric_name' },
    ],
    values: metricStates(),
    engine: 'AggregatingMergeTree',
    floorTtlDays: RAW_TTL_DAYS,
  }),
];

/** Migration 6: vm_metrics and kubernetes_metrics, raw and six grains each. */
export const INFRASTRUCTURE_SCHEMA: readonly string[] = [...vmMetrics, ...kubernetesMetrics];
