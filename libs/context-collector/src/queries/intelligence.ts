/**
 * Shared readers of findings: anomaly_events, predictions (ClickHouse, raw: they are
 * already results), remediation_plans and change_events (PostgreSQL), and daily cost
 * (cost_data_daily_mv, the platform's name for the daily cost rollup).
 */
import { fmt, list, num, pct, str, when, type Row } from '../format.js';
import type { SourceBuilder } from '../spec.js';
import { ch, pg } from '../sql.js';

/** Anomalies of the window, most severe first. */
export const anomalies: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined ? '' : ` AND (service_name = ${b.id} OR metric_name = {id:String})`;
    return `
      SELECT timestamp, anomaly_id, service_name, metric_name, signal_type, severity,
             anomaly_score, z_score, observed_value, expected_value, description
      FROM anomaly_events
      WHERE ${b.scope} AND ${b.rawWindow('timestamp')}${narrow}
      ORDER BY anomaly_score DESC, timestamp DESC
      LIMIT ${b.limit(3)}`;
  });

/** The latest prediction per resource and horizon made up to the end of the window. */
export const predictions: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined ? '' : ` AND (resource_name = ${b.id} OR resource_id = {id:String})`;
    return `
      SELECT resource_type, resource_id, resource_name, horizon,
             argMax(failure_probability, created_at) AS failure_probability,
             argMax(health_score, created_at) AS health_score,
             argMax(predicted_for, created_at) AS predicted_for,
             argMax(details, created_at) AS details,
             max(created_at) AS latest_at
      FROM predictions
      WHERE ${b.scope} AND ${b.rawWindow('created_at')}${narrow}
      GROUP BY resource_type, resource_id, resource_name, horizon
      ORDER BY failure_probability DESC
      LIMIT ${b.limit(2)}`;
  });

/** Remediation plans, open ones first. */
export const remediationPlans: SourceBuilder = (input) =>
  pg(input, (b) => {
    const narrow = input.contextId === undefined ? '' : ` AND service_name = ${b.bind(input.contextId)}`;
    return `
      SELECT title, service_name, status, risk, jsonb_array_length(steps) AS steps, source_anomaly_id, executed_at, created_at
      FROM remediation_plans
      WHERE ${b.scope()}${narrow}
      ORDER BY CASE WHEN executed_at IS NULL THEN 0 ELSE 1 END, created_at DESC
      LIMIT ${b.limit(2)}`;
  });

/** Change events (deployments, config changes, ...) of the window and the window before it. */
export const changeEvents: SourceBuilder = (input) =>
  pg(input, (b) => {
    const from = b.bind(input.baseline.from.toISOString());
    const to = b.bind(input.range.to.toISOString());
    const narrow = input.contextId === undefined ? '' : ` AND service_name = ${b.bind(input.contextId)}`;
    return `
      SELECT service_name, type, title, description, version, author, occurred_at
      FROM change_events
      WHERE ${b.scope()} AND occurred_at >= ${from}::timestamptz AND occurred_at <= ${to}::timestamptz${narrow}
      ORDER BY occurred_at DESC
      LIMIT ${b.limit(2)}`;
  });

/** Daily cost per service and provider over the window's days (at least the last 7). */
export const dailyCost: SourceBuilder = (input) =>
  ch(input, (b) => {
    const span = Math.max(input.range.durationMs, 7 * 86_400_000);
    const from = b.bind(Math.floor((input.range.to.getTime() - span) / 86_400_000) * 86_400, 'Int64');
    const to = b.bind(Math.floor(input.range.to.getTime() / 1000), 'Int64');
    const narrow = input.contextId === undefined ? '' : ` AND service_name = ${b.id}`;
    return `
      SELECT service_name, provider, sum(total_cost_usd) AS cost_usd,
             sumIf(total_cost_usd, day >= toStartOfDay(toDateTime(${to}, 'UTC')) - INTERVAL 1 DAY) AS last_day_usd,
             count(DISTINCT day) AS days
      FROM cost_data_daily_mv
      WHERE ${b.scope} AND day >= toDateTime(${from}, 'UTC') AND day <= toDateTime(${to}, 'UTC')${narrow}
      GROUP BY service_name, provider
      ORDER BY cost_usd DESC
      LIMIT ${b.limit(3)}`;
  });

/** `critical payment-processor cpu.usage 95 vs 35 expected (z 6.8) at 13:38 UTC`. */
export function anomalyLine(r: Row): string {
  return `${str(r['severity'])} ${str(r['service_name'])} ${str(r['metric_name'])} observed ${fmt(num(r['observed_value']), 2)} vs ${fmt(num(r['expected_value']), 2)} expected (z ${fmt(num(r['z_score']), 1)}) at ${when(r['timestamp'])}`;
}

/** `database-primary (service) 87 % failure probability within 1h, health 21`. */
export function predictionLine(r: Row): string {
  return `${str(r['resource_name'])} (${str(r['resource_type'])}) ${pct(num(r['failure_probability']), 0)} failure probability within ${str(r['horizon'])}, health ${fmt(num(r['health_score']), 0)}, predicted for ${when(r['predicted_for'])}`;
}

/** `"Roll back checkout-service to v2.14.3" proposed (risk low, 3 steps)`. */
export function planLine(r: Row): string {
  return `"${str(r['title'])}" ${str(r['status'])} (risk ${str(r['risk']) || 'unknown'}, ${fmt(num(r['steps']), 0)} steps)`;
}

/** `13:30 UTC deployment checkout-service v2.15.0 "Deploy ..." by ci-bot`. */
export function changeLine(r: Row): string {
  return `${when(r['occurred_at'])} ${str(r['type'])} ${str(r['service_name'])} ${str(r['version'])} "${str(r['title'])}"${str(r['author']) ? ` by ${str(r['author'])}` : ''}`;
}

/** Summary sentence of anomalies. */
export function anomaliesText(rows: readonly Row[]): string {
  return rows.length > 0
    ? `${rows.length} anomalies, strongest: ${list(rows.map(anomalyLine), 3)}.`
    : 'No anomalies in the window.';
}

/** Summary sentence of cost rows. */
export function costText(rows: readonly Row[]): string {
  const totalUsd = rows.reduce((a, r) => a + num(r['cost_usd']), 0);
  return `${fmt(totalUsd, 2)} USD over the period; largest: ${list(
    rows
      .slice(0, 5)
      .map(
        (r) =>
          `${str(r['service_name'])} on ${str(r['provider'])} ${fmt(num(r['cost_usd']), 2)} USD (${pct(totalUsd > 0 ? num(r['cost_usd']) / totalUsd : 0, 0)})`,
      ),
    5,
  )}.`;
}
