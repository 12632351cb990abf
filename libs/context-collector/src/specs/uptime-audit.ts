/**
 * Uptime and audit specs: synthetic checks (uptime_checks_* rollup: checks, failures,
 * response times) as availability per monitor, a status-page verdict per monitor, and the
 * audit trail (audit_logs_* counts plus the latest failed or denied actions).
 */
import { fmt, list, num, pct, str, tally, total, when, type Row } from '../format.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import { ch } from '../sql.js';
import { sentences, viewSpec } from './common.js';

/** Availability and response times per monitor and region in the window. */
export const uptimeByMonitor: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined ? '' : ` AND (monitor_name = ${b.id} OR monitor_id = {id:String})`;
    return `
      SELECT monitor_id, monitor_name, region, sum(checks) AS checks, sum(failures) AS failures,
             avgMerge(avg_response_time) AS avg_ms, quantileMerge(0.95)(p95_response_time) AS p95_ms,
             maxMerge(max_response_time) AS max_ms
      FROM ${b.table('uptime_checks')}
      WHERE ${b.scope} AND ${b.rollupWindow()}${narrow}
      GROUP BY monitor_id, monitor_name, region
      ORDER BY failures DESC, p95_ms DESC
      LIMIT ${b.limit(5)}`;
  });

/** The latest failed checks of the window (raw uptime_checks). */
export const failedChecks: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined ? '' : ` AND (monitor_name = ${b.id} OR monitor_id = {id:String})`;
    return `
      SELECT checked_at, monitor_name, region, status_code, response_time, error_message
      FROM uptime_checks
      WHERE ${b.scope} AND ${b.rawWindow('checked_at')} AND success = false${narrow}
      ORDER BY checked_at DESC
      LIMIT ${b.limit()}`;
  });

interface MonitorHealth {
  monitor: string;
  checks: number;
  failures: number;
  availability: number;
  p95Ms: number;
  maxMs: number;
}

/** Per-monitor availability from per-region rows. */
export function monitorHealth(rows: readonly Row[]): MonitorHealth[] {
  const byMonitor = new Map<string, MonitorHealth>();
  for (const r of rows) {
    const name = str(r['monitor_name']);
    const m = byMonitor.get(name) ?? {
      monitor: name,
      checks: 0,
      failures: 0,
      availability: 1,
      p95Ms: 0,
      maxMs: 0,
    };
    m.checks += num(r['checks']);
    m.failures += num(r['failures']);
    m.p95Ms = Math.max(m.p95Ms, num(r['p95_ms']));
    m.maxMs = Math.max(m.maxMs, num(r['max_ms']));
    m.availability = m.checks > 0 ? 1 - m.failures / m.checks : 1;
    byMonitor.set(name, m);
  }
  return [...byMonitor.values()].sort((a, b) => a.availability - b.availability);
}

/** Status-page verdict of a monitor's availability. */
function verdict(availability: number): string {
  if (availability >= 0.999) return 'operational';
  if (availability >= 0.95) return 'degraded';
  return 'major outage';
}

const auditCounts: SourceBuilder = (input) =>
  ch(
    input,
    (b) => `
      SELECT event_type, action, result, sum(count) AS count
      FROM ${b.table('audit_logs')}
      WHERE ${b.scope} AND ${b.rollupWindow()}
      GROUP BY event_type, action, result
      ORDER BY count DESC
      LIMIT ${b.limit(5)}`,
  );

const auditFailures: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined
        ? ''
        : ` AND (user_email = ${b.id} OR user_id = {id:String} OR resource_id = {id:String})`;
    return `
      SELECT timestamp, user_email, event_type, action, resource, resource_id, result, ip_address
      FROM audit_logs
      WHERE ${b.scope} AND ${b.rawWindow('timestamp')} AND result != 'success'${narrow}
      ORDER BY timestamp DESC
      LIMIT ${b.limit()}`;
  });

const auditActors: SourceBuilder = (input) =>
  ch(
    input,
    (b) => `
      SELECT user_email, count() AS actions, countIf(result != 'success') AS failed, uniqExact(ip_address) AS addresses
      FROM audit_logs
      WHERE ${b.scope} AND ${b.rawWindow('timestamp')}
      GROUP BY user_email
      ORDER BY actions DESC
      LIMIT ${b.limit()}`,
  );

/** Audit sources, shared with the security views. */
export const AUDIT_SOURCES = { auditCounts, auditFailures, auditActors } as const;

/** Summary sentence of audit rows. */
export function auditText(counts: readonly Row[], failures: readonly Row[], actors: readonly Row[]): string {
  const byResult: Record<string, number> = {};
  for (const r of counts) byResult[str(r['result'])] = (byResult[str(r['result'])] ?? 0) + num(r['count']);
  const busiest = actors
    .slice(0, 3)
    .map((r) => `${str(r['user_email']) || 'system'} (${fmt(num(r['actions']), 0)})`);
  const failed = failures
    .slice(0, 3)
    .map(
      (r) =>
        `${str(r['user_email']) || 'anonymous'} ${str(r['action'])} ${str(r['resource'])} ${str(r['result'])} at ${when(r['timestamp'])} from ${str(r['ip_address'])}`,
    );
  return sentences(
    `${fmt(total(counts, 'count'), 0)} audited actions (${tally(byResult)}).`,
    failed.length > 0 ? `Latest failed or denied: ${list(failed, 3)}.` : 'No failed or denied actions.',
    busiest.length > 0 ? `Most active: ${list(busiest, 3)}.` : '',
  );
}

/** The uptime and audit specs. */
export const uptimeAuditSpecs: readonly ContextSpec[] = [
  viewSpec(
    'uptime',
    { monitors: uptimeByMonitor, failedChecks },
    (rows) => {
      const health = monitorHealth(rows.get('monitors'));
      const worst = health.filter((m) => m.failures > 0);
      const checks = health.reduce((a, m) => a + m.checks, 0);
      const failures = health.reduce((a, m) => a + m.failures, 0);
      return {
        summary: sentences(
          `${health.length} monitors ran ${fmt(checks, 0)} checks, availability ${pct(checks > 0 ? 1 - failures / checks : 1, 2)}.`,
          worst.length > 0
            ? `Failing monitors: ${list(
                worst.map(
                  (m) =>
                    `${m.monitor} ${pct(m.availability, 2)} (${fmt(m.failures, 0)} of ${fmt(m.checks, 0)} failed, p95 ${fmt(m.p95Ms, 0)} ms)`,
                ),
                3,
              )}.`
            : 'No check failed.',
          `Slowest p95: ${list(
            [...health].sort((a, b) => b.p95Ms - a.p95Ms).map((m) => `${m.monitor} ${fmt(m.p95Ms, 0)} ms`),
            3,
          )}.`,
        ),
        data: { monitors: health, byRegion: rows.get('monitors'), failedChecks: rows.get('failedChecks') },
      };
    },
    { required: ['monitors'] },
  ),
  viewSpec('status-page', { monitors: uptimeByMonitor }, (rows) => {
    const health = monitorHealth(rows.get('monitors'));
    const components = health.map((m) => ({
      component: m.monitor,
      status: verdict(m.availability),
      availability: m.availability,
    }));
    const notOk = components.filter((c) => c.status !== 'operational');
    return {
      summary: sentences(
        notOk.length === 0
          ? `All ${components.length} monitored endpoints are operational.`
          : `${notOk.length} of ${components.length} endpoints are not operational: ${list(
              notOk.map((c) => `${c.component} ${c.status} (${pct(c.availability, 2)})`),
              5,
            )}.`,
      ),
      data: { components },
    };
  }),
  viewSpec(
    'audit',
    AUDIT_SOURCES,
    (rows) => ({
      summary: auditText(rows.get('auditCounts'), rows.get('auditFailures'), rows.get('auditActors')),
      data: {
        counts: rows.get('auditCounts'),
        failures: rows.get('auditFailures'),
        actors: rows.get('auditActors'),
      },
    }),
    { required: ['auditCounts', 'auditActors'] },
  ),
];
