/**
 * ClickHouse schema, security events: detections and enforcement actions (failed logins,
 * blocked requests, policy violations), raw plus six SummingMergeTree grains of counts.
 * Vulnerability and compliance findings are PostgreSQL `security_findings` rows.
 *
 * Invariants: see rollup.ts. Raw events keep {@link SECURITY_RAW_TTL_DAYS} days, longer than
 * raw telemetry; every grain keeps at least as long.
 */
import { rawTable, rollupFamily, total } from './rollup.js';

/** TTL in days of raw security events. */
export const SECURITY_RAW_TTL_DAYS = 90;

/** The security part of migration 9: security_events and its six grains. */
export const SECURITY_SCHEMA: readonly string[] = [
  rawTable({
    name: 'security_events',
    columns: [
      "timestamp DateTime64(3, 'UTC')",
      'event_type LowCardinality(String)',
      'severity LowCardinality(String)',
      "source_ip String DEFAULT ''",
      "user_id String DEFAULT ''",
      "service_name LowCardinality(String) DEFAULT ''",
      "description String DEFAULT ''",
      "action_taken LowCardinality(String) DEFAULT ''",
    ],
    orderBy: ['event_type', 'severity', 'timestamp'],
    ttlDays: SECURITY_RAW_TTL_DAYS,
  }),
  ...rollupFamily({
    family: 'security_events',
    source: 'security_events',
    keys: [{ name: 'event_type' }, { name: 'severity' }, { name: 'service_name' }, { name: 'action_taken' }],
    values: [total('count', 'UInt64', 'toUInt64(count())')],
    engine: 'SummingMergeTree',
    floorTtlDays: SECURITY_RAW_TTL_DAYS,
  }),
];
