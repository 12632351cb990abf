/**
 * The ClickHouse reads the telemetry tools and resources share: service and metric
 * resolution (unknown names answered with near matches), metric series from the
 * `metrics_<grain>` rollups, and per-service traffic (requests, errors, p95) from the span
 * rollups `service_error_rates_<grain>` / `service_latency_percentiles_<grain>`.
 *
 * Invariants:
 * - Every statement filters `organization_id = {organization_id:String}`; the caller's
 *   organization is required before anything runs (see {@link organizationOf}).
 * - Arguments travel only as `{name:Type}` parameters. The only text spliced into SQL is a
 *   grain's table suffix and time column from `TELEMETRY_GRAINS` (constants).
 * - Every statement goes through `readQuery` (the statement classifier, then the read-only
 *   datasource), like the SQL tools.
 * - Rollups are read with their combinators: `avgMerge`/`minMerge`/`maxMerge`/`sumMerge`/
 *   `countMerge` and `quantileMerge(0.95)` for AggregateFunction columns, `sum()` for the
 *   SummingMergeTree error rates. Times come back as Unix seconds and are rendered here.
 */
import { NotFoundError, nearMatches, type SqlDatasource } from '@tfo/domain';
import { detachedCallContext, type ResourceReadContext, type ToolCallContext } from '../definitions.js';
import { requireOrganization } from '../sql/errors.js';
import { readQuery } from '../sql/run.js';
import { canonicalMetric } from './metric-names.js';
import type { TelemetryGrain } from './window.js';

/** How far back a service or metric still counts as known (days). */
export const KNOWN_DAYS = 30;

/** A call context with the organization already checked. */
export interface ScopedCall {
  clickhouse: SqlDatasource;
  organizationId: string;
  ctx: ToolCallContext;
}

/**
 * The scoped call of a tool: refuses (PermissionDeniedError `TENANCY.NO_ORGANIZATION`) when
 * the session has no organization.
 */
export function organizationOf(clickhouse: SqlDatasource, ctx: ToolCallContext, tool: string): ScopedCall {
  return { clickhouse, organizationId: requireOrganization(ctx, tool), ctx };
}

/** A resource read context that may carry the caller's organization. */
export type TenantReadContext = ResourceReadContext & { organizationId?: string | undefined };

/**
 * The scoped call of a resource read: the read's own organization when the server passes
 * one, else `fallbackOrganization` (the configured default of a single-tenant server); none
 * refuses like the tools do.
 */
export function resourceScope(
  clickhouse: SqlDatasource,
  ctx: TenantReadContext,
  fallbackOrganization: string | undefined,
  resource: string,
): ScopedCall {
  const call: ToolCallContext = detachedCallContext({
    logger: ctx.logger,
    signal: ctx.signal,
    organizationId: ctx.organizationId ?? fallbackOrganization,
    clientRoots: () => ctx.clientRoots(),
  });
  return organizationOf(clickhouse, call, resource);
}

/** Runs one constant statement for the scoped organization; rows come back as given. */
export async function select(
  call: ScopedCall,
  sql: string,
  params: Record<string, unknown> = {},
  maxRows?: number,
): Promise<Record<string, unknown>[]> {
  const result = await readQuery(
    call.clickhouse,
    sql,
    {
      params: { ...params, organization_id: call.organizationId },
      ...(maxRows === undefined ? {} : { maxRows }),
    },
    call.ctx,
  );
  return result.rows;
}

/** A number from a ClickHouse value (64-bit integers arrive as strings from a server); NaN stays null. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** `value` rounded to `digits` decimals, or null. */
export function round(value: number | null | undefined, digits = 3): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** ISO-8601 text of Unix seconds. */
export function isoOfSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

const KNOWN_SERVICES = `SELECT service_name
  FROM metrics_1h
 WHERE organization_id = {organization_id:String}
   AND hour > now() - toIntervalDay({days:UInt32})
 GROUP BY service_name
UNION DISTINCT
SELECT service_name
  FROM service_error_rates_1h
 WHERE organization_id = {organization_id:String}
   AND hour > now() - toIntervalDay({days:UInt32})
 GROUP BY service_name`;

/** Services of the organization with metrics or spans in the last `days` days, sorted. */
export async function knownServices(call: ScopedCall, days = KNOWN_DAYS): Promise<string[]> {
  const rows = await select(call, KNOWN_SERVICES, { days }, 10_000);
  return [...new Set(rows.map((r) => String(r['service_name'])))].sort();
}

/**
 * Checks that `service` is one of the organization's services; an unknown one is a
 * NotFoundError `TELEMETRY.UNKNOWN_SERVICE` with the nearest names (or the list).
 */
export async function requireService(call: ScopedCall, service: string): Promise<void> {
  const services = await knownServices(call);
  if (services.includes(service)) return;
  const near = nearMatches(service, services, 5);
  const hint =
    near.length > 0
      ? `did you mean ${near.map((n) => JSON.stringify(n)).join(', ')}?`
      : services.length > 0
        ? `known services: ${services.slice(0, 30).join(', ')}${services.length > 30 ? ', ...' : ''}.`
        : 'this organization has reported no telemetry yet.';
  throw new NotFoundError(
    `Unknown service ${JSON.stringify(service)}: no metrics or spans in the last ${KNOWN_DAYS} days; ${hint} ` +
      'list_services lists the services.',
    { code: 'TELEMETRY.UNKNOWN_SERVICE', details: { service, nearMatches: near } },
  );
}

const SERVICE_METRICS = `SELECT metric_name
  FROM metrics_1h
 WHERE organization_id = {organization_id:String}
   AND service_name = {service:String}
   AND hour > now() - toIntervalDay({days:UInt32})
 GROUP BY metric_name
 ORDER BY metric_name`;

/**
 * The stored metric name `metric` (an alias or a stored name) stands for on `service`,
 * after checking the service exists. An unknown metric is a NotFoundError
 * `TELEMETRY.UNKNOWN_METRIC` listing the nearest names the service reports.
 */
export async function resolveMetric(call: ScopedCall, service: string, metric: string): Promise<string> {
  await requireService(call, service);
  const wanted = canonicalMetric(metric);
  const rows = await select(call, SERVICE_METRICS, { service, days: KNOWN_DAYS }, 10_000);
  const names = rows.map((r) => String(r['metric_name']));
  if (names.includes(wanted)) return wanted;
  const near = [...new Set([...nearMatches(metric, names, 5), ...nearMatches(wanted, names, 5)])].slice(0, 5);
  throw new NotFoundError(
    `Service ${JSON.stringify(service)} reports no metric ${JSON.stringify(metric)}` +
      (wanted === metric.trim() ? '' : ` (${wanted})`) +
      (near.length > 0 ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(', ')}?` : '.') +
      ` Its metrics: ${names.join(', ') || 'none'}.`,
    { code: 'TELEMETRY.UNKNOWN_METRIC', details: { service, metric, nearMatches: near, metrics: names } },
  );
}

const UNIT = `SELECT unit
  FROM metrics
 WHERE organization_id = {organization_id:String}
   AND service_name = {service:String}
   AND metric_name = {metric:String}
   AND timestamp > now64(3) - toIntervalDay({days:UInt32})
 ORDER BY timestamp DESC
 LIMIT 1`;

/** The unit the latest raw sample of a metric carries ('' when unknown). */
export async function metricUnit(call: ScopedCall, service: string, metric: string): Promise<string> {
  const rows = await select(call, UNIT, { service, metric, days: 14 }, 1);
  return rows[0] === undefined ? '' : String(rows[0]['unit'] ?? '');
}

/** One bucket of a metric series. */
export interface SeriesPoint {
  /** Bucket start, Unix seconds. */
  ts: number;
  avg: number;
  min: number;
  max: number;
  /** Samples in the bucket. */
  samples: number;
}

function seriesSql(g: TelemetryGrain): string {
  return `SELECT toUnixTimestamp(${g.column}) AS ts,
       toUnixTimestamp(now()) AS now_ts,
       avgMerge(avg_value) AS avg,
       minMerge(min_value) AS min,
       maxMerge(max_value) AS max,
       countMerge(count) AS samples
  FROM metrics_${g.suffix}
 WHERE organization_id = {organization_id:String}
   AND service_name = {service:String}
   AND metric_name = {metric:String}
   AND ${g.column} > now() - toIntervalSecond({since_seconds:UInt32})
 GROUP BY ts
 ORDER BY ts`;
}

/** A series and the engine's clock when it was read. */
export interface Series {
  points: SeriesPoint[];
  /** The engine's `now()` in Unix seconds, or null when no bucket came back. */
  now: number | null;
}

/**
 * The series of one metric of one service at grain `g`, for the buckets that overlap the
 * last `seconds` seconds, oldest first.
 */
export async function metricSeries(
  call: ScopedCall,
  service: string,
  metric: string,
  g: TelemetryGrain,
  seconds: number,
): Promise<Series> {
  const buckets = Math.ceil(seconds / g.seconds) + 2;
  const rows = await select(
    call,
    seriesSql(g),
    { service, metric, since_seconds: seconds + g.seconds },
    buckets,
  );
  const points = rows.flatMap((r) => {
    const ts = num(r['ts']);
    const avg = num(r['avg']);
    if (ts === null || avg === null) return [];
    return [
      { ts, avg, min: num(r['min']) ?? avg, max: num(r['max']) ?? avg, samples: num(r['samples']) ?? 0 },
    ];
  });
  return { points, now: rows[0] === undefined ? null : num(rows[0]['now_ts']) };
}

/** Requests, errors and p95 latency of one service over a window, from the span rollups. */
export interface Traffic {
  requests: number;
  errors: number;
  /** p95 span duration in ms, or null without spans. */
  p95Ms: number | null;
}

function errorRatesSql(g: TelemetryGrain): string {
  return `SELECT service_name, sum(total_requests) AS requests, sum(error_count) AS errors
  FROM service_error_rates_${g.suffix}
 WHERE organization_id = {organization_id:String}
   AND ${g.column} > now() - toIntervalSecond({since_seconds:UInt32})
   AND ({service:String} = '' OR service_name = {service:String})
 GROUP BY service_name`;
}

function latencySql(g: TelemetryGrain): string {
  return `SELECT service_name, quantileMerge(0.95)(p95_duration_ns) / 1e6 AS p95_ms
  FROM service_latency_percentiles_${g.suffix}
 WHERE organization_id = {organization_id:String}
   AND ${g.column} > now() - toIntervalSecond({since_seconds:UInt32})
   AND ({service:String} = '' OR service_name = {service:String})
 GROUP BY service_name`;
}

/**
 * Traffic per service over the buckets of grain `g` that start within the last `seconds`
 * seconds; one service when `service` is given, every service otherwise.
 */
export async function trafficByService(
  call: ScopedCall,
  g: TelemetryGrain,
  seconds: number,
  service?: string,
): Promise<Map<string, Traffic>> {
  const params = { since_seconds: seconds, service: service ?? '' };
  const [errors, latency] = [
    await select(call, errorRatesSql(g), params, 10_000),
    await select(call, latencySql(g), params, 10_000),
  ];
  const out = new Map<string, Traffic>();
  for (const r of errors) {
    out.set(String(r['service_name']), {
      requests: num(r['requests']) ?? 0,
      errors: num(r['errors']) ?? 0,
      p95Ms: null,
    });
  }
  for (const r of latency) {
    const name = String(r['service_name']);
    const entry = out.get(name) ?? { requests: 0, errors: 0, p95Ms: null };
    entry.p95Ms = round(num(r['p95_ms']));
    out.set(name, entry);
  }
  return out;
}
