/**
 * Rollup grains shared by the ClickHouse schema families: the platform's suffixes and time
 * column names (`metrics_5m.five_minutes`, `logs_1h.hour`, ...).
 *
 * Invariants: a grain's `bucket(expr)` returns a DateTime aligned to the grain; TTLs grow
 * from the finest grain to the coarsest. The 1m grain's 7 days is shorter than the raw
 * tables' {@link RAW_TTL_DAYS}: `metrics_1m` and `logs_1m` (migrations 1 and 2) keep 7 days,
 * while every family from migration 6 on keeps `max(grain TTL, raw TTL)` (see rollup.ts),
 * so its rollups never expire before the rows they summarise.
 */

/** One rollup grain. */
export interface Grain {
  /** Table suffix, e.g. `5m`. */
  suffix: string;
  /** Time column of the rollup, e.g. `five_minutes`. */
  column: string;
  /** SQL expression bucketing a DateTime expression to this grain. */
  bucket(expr: string): string;
  /** TTL in days for rollups at this grain. */
  ttlDays: number;
}

/** The platform's six grains, finest first. */
export const GRAINS: readonly Grain[] = [
  { suffix: '1m', column: 'minute', bucket: (e) => `toStartOfMinute(${e})`, ttlDays: 7 },
  { suffix: '5m', column: 'five_minutes', bucket: (e) => `toStartOfFiveMinutes(${e})`, ttlDays: 30 },
  { suffix: '15m', column: 'fifteen_minutes', bucket: (e) => `toStartOfFifteenMinutes(${e})`, ttlDays: 60 },
  { suffix: '1h', column: 'hour', bucket: (e) => `toStartOfHour(${e})`, ttlDays: 180 },
  {
    suffix: '6h',
    column: 'six_hours',
    bucket: (e) => `toStartOfInterval(${e}, INTERVAL 6 HOUR)`,
    ttlDays: 365,
  },
  { suffix: '1d', column: 'day', bucket: (e) => `toStartOfDay(${e})`, ttlDays: 730 },
];

/** The grain with `suffix`; throws on an unknown suffix (a schema bug). */
export function grain(suffix: string): Grain {
  const g = GRAINS.find((x) => x.suffix === suffix);
  if (g === undefined) throw new Error(`unknown grain ${suffix}`);
  return g;
}

/** Tenant columns every table carries, first in every ORDER BY. */
export const TENANT_COLUMNS = `organization_id LowCardinality(String),
  workspace_id LowCardinality(String),
  tenant_id LowCardinality(String)`;

/** TTL days of raw tables. */
export const RAW_TTL_DAYS = 14;
