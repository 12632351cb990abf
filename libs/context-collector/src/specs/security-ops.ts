/**
 * Security, platform-operations and custom specs.
 * - security-*: CH security_events (raw + security_events_* counts), PostgreSQL
 *   security_findings (vulnerability, compliance, access categories), audit trail and
 *   users, anomalies and alerts where a key names them.
 * - platform-health / -capacity / -performance: digests over agents, alerts, uptime,
 *   host and Kubernetes utilisation, predictions, service latency and errors.
 * - custom: the caller's description (contextId) is never executed or parsed as SQL; it
 *   is echoed back, and the context holds what the data can honestly answer for any
 *   question (a service overview with firing alerts), saying so.
 */
import type { ContextType } from '@tfo/domain';
import { countBy, fmt, list, num, pct, str, tally, total, when, type Row } from '../format.js';
import { anomalies, anomaliesText, predictionLine, predictions } from '../queries/intelligence.js';
import { pgList } from '../queries/inventory.js';
import { pairSeries, seriesData, seriesSource } from '../queries/series.js';
import {
  describeErrors,
  describeLatency,
  errorRates,
  errorSpikes,
  latency,
  latencySpikes,
  serviceStats,
} from '../queries/telemetry.js';
import { defineSpec, type ContextSpec, type SourceBuilder } from '../spec.js';
import { ch } from '../sql.js';
import { sentences, viewSpec } from './common.js';
import { alertInstances, alertsText } from './alerting.js';
import { agentsSource, agentsText, seriesText } from './infrastructure.js';
import { users } from './iam-tenancy.js';
import { monitorHealth, uptimeByMonitor, AUDIT_SOURCES, auditText } from './uptime-audit.js';

const securityCounts: SourceBuilder = (input) =>
  ch(
    input,
    (b) => `
      SELECT event_type, severity, service_name, action_taken, sum(count) AS count
      FROM ${b.table('security_events')}
      WHERE ${b.scope} AND ${b.rollupWindow()}
      GROUP BY event_type, severity, service_name, action_taken
      ORDER BY count DESC
      LIMIT ${b.limit(3)}`,
  );

const securityEvents: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined
        ? ''
        : ` AND (service_name = ${b.id} OR source_ip = {id:String} OR user_id = {id:String})`;
    return `
      SELECT timestamp, event_type, severity, source_ip, user_id, service_name, description, action_taken
      FROM security_events
      WHERE ${b.scope} AND ${b.rawWindow('timestamp')}${narrow}
      ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, timestamp DESC
      LIMIT ${b.limit(2)}`;
  });

const topSources: SourceBuilder = (input) =>
  ch(
    input,
    (b) => `
      SELECT source_ip, count() AS events, groupUniqArray(5)(event_type) AS types, max(timestamp) AS last_seen
      FROM security_events
      WHERE ${b.scope} AND ${b.rawWindow('timestamp')} AND source_ip != ''
      GROUP BY source_ip
      ORDER BY events DESC
      LIMIT ${b.limit()}`,
  );

function findings(category: string): SourceBuilder {
  return pgList({
    from: 'security_findings',
    columns: 'category, severity, title, resource, service_name, status, cve, detected_at, resolved_at',
    orderBy:
      "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, detected_at DESC",
    where: (b) =>
      `category = ${b.bind(category)}${b.input.contextId === undefined ? '' : ` AND (service_name = ${b.bind(b.input.contextId)} OR resource = $${b.params.length})`}`,
  });
}

const eventLine = (r: Row): string =>
  `${str(r['severity'])} ${str(r['event_type'])} ${str(r['service_name'])}${str(r['source_ip']) ? ` from ${str(r['source_ip'])}` : ''} (${str(r['action_taken']) || 'no action'}) at ${when(r['timestamp'])}: ${str(r['description']).slice(0, 100)}`;

const findingLine = (r: Row): string =>
  `${str(r['severity'])} "${str(r['title'])}"${str(r['cve']) ? ` ${str(r['cve'])}` : ''} on ${str(r['resource']) || str(r['service_name'])} (${str(r['status'])}, since ${when(r['detected_at'])})`;

function countsText(rows: readonly Row[]): string {
  const byType: Record<string, number> = {};
  for (const r of rows) byType[str(r['event_type'])] = (byType[str(r['event_type'])] ?? 0) + num(r['count']);
  return `${fmt(total(rows, 'count'), 0)} security events (${tally(byType)}).`;
}

function findingSpec(key: ContextType, category: string, noun: string): ContextSpec {
  return viewSpec(key, { findings: findings(category) }, (rows) => {
    const items = rows.get('findings');
    const open = items.filter(
      (f) => f['resolved_at'] === null && !/resolved|closed|pass/i.test(str(f['status'])),
    );
    return {
      summary: sentences(
        `${items.length} ${noun}, ${open.length} open (${tally(countBy(open, 'severity'))}).`,
        open.length > 0 ? `Most severe open: ${list(open.map(findingLine), 5)}.` : '',
      ),
      data: { findings: items },
    };
  });
}

const K8S_KEYS = ['cluster_name', 'resource_type', 'resource_name', 'metric_name'] as const;
const hostCapacity = seriesSource({
  family: 'vm_metrics',
  keys: ['host_name', 'metric_name'],
  where: () => "metric_name IN ('cpu.usage', 'memory.usage', 'disk.usage')",
});
const nodeCapacity = seriesSource({
  family: 'kubernetes_metrics',
  keys: K8S_KEYS,
  where: () => "resource_type = 'node' AND metric_name IN ('cpu.usage', 'memory.usage')",
});

/** Security, platform-operations and custom specs. */
export const securityOpsSpecs: readonly ContextSpec[] = [
  viewSpec(
    'security-events',
    { counts: securityCounts, events: securityEvents, ...AUDIT_SOURCES },
    (rows) => ({
      summary: sentences(
        countsText(rows.get('counts')),
        rows.get('events').length > 0 ? `Most severe: ${list(rows.get('events').map(eventLine), 3)}.` : '',
        auditText(rows.get('auditCounts'), rows.get('auditFailures'), rows.get('auditActors')),
      ),
      data: {
        counts: rows.get('counts'),
        events: rows.get('events'),
        auditFailures: rows.get('auditFailures'),
      },
    }),
    { required: ['counts', 'events', 'auditCounts'] },
  ),
  findingSpec('security-vulnerabilities', 'vulnerability', 'vulnerability findings'),
  findingSpec('security-compliance', 'compliance', 'compliance findings'),
  viewSpec(
    'security-access',
    { ...AUDIT_SOURCES, users, findings: findings('access') },
    (rows) => {
      const noMfa = rows
        .get('users')
        .filter((u) => str(u['status']) === 'active' && u['mfa_enabled'] === false)
        .map((u) => str(u['email']));
      return {
        summary: sentences(
          auditText(rows.get('auditCounts'), rows.get('auditFailures'), rows.get('auditActors')),
          noMfa.length > 0 ? `Active users without MFA: ${list(noMfa, 5)}.` : '',
          rows.get('findings').length > 0
            ? `Access findings: ${list(rows.get('findings').map(findingLine), 3)}.`
            : '',
        ),
        data: {
          actors: rows.get('auditActors'),
          failures: rows.get('auditFailures'),
          usersWithoutMfa: noMfa,
          findings: rows.get('findings'),
        },
      };
    },
    { required: ['auditCounts', 'users'] },
  ),
  viewSpec(
    'security-threats',
    { events: securityEvents, sources: topSources, anomalies },
    (rows) => {
      const threats = rows.get('events').filter((e) => /critical|high/i.test(str(e['severity'])));
      return {
        summary: sentences(
          threats.length > 0
            ? `High-severity detections: ${list(threats.map(eventLine), 3)}.`
            : 'No high-severity detections.',
          rows.get('sources').length > 0
            ? `Noisiest sources: ${list(
                rows
                  .get('sources')
                  .map(
                    (s) =>
                      `${str(s['source_ip'])} ${fmt(num(s['events']), 0)} events (${(s['types'] as unknown[]).join(', ')})`,
                  ),
                3,
              )}.`
            : '',
          anomaliesText(rows.get('anomalies')),
        ),
        data: { events: rows.get('events'), sources: rows.get('sources'), anomalies: rows.get('anomalies') },
      };
    },
    { required: ['events', 'sources'] },
  ),
  viewSpec(
    'security-incidents',
    { events: securityEvents, alerts: alertInstances },
    (rows) => {
      const critical = rows.get('events').filter((e) => /critical|high/i.test(str(e['severity'])));
      return {
        summary: sentences(
          `${critical.length} high-severity security events in the window.`,
          critical.length > 0 ? `Latest: ${list(critical.map(eventLine), 3)}.` : '',
          alertsText(rows.get('alerts')),
        ),
        data: { events: critical, alerts: rows.get('alerts') },
      };
    },
    { required: ['events'] },
  ),
  viewSpec(
    'platform-health',
    { agents: agentsSource, alerts: alertInstances, monitors: uptimeByMonitor },
    (rows, input) => {
      const health = monitorHealth(rows.get('monitors'));
      const checks = health.reduce((a, m) => a + m.checks, 0);
      const failures = health.reduce((a, m) => a + m.failures, 0);
      return {
        summary: sentences(
          alertsText(rows.get('alerts')),
          health.length > 0
            ? `Endpoints: ${pct(checks > 0 ? 1 - failures / checks : 1, 2)} of ${fmt(checks, 0)} checks passed${
                health.some((m) => m.failures > 0)
                  ? `; failing: ${list(
                      health
                        .filter((m) => m.failures > 0)
                        .map((m) => `${m.monitor} ${pct(m.availability, 2)}`),
                      3,
                    )}`
                  : ''
              }.`
            : '',
          agentsText(rows.get('agents'), input),
        ),
        data: { alerts: rows.get('alerts'), monitors: health, agents: rows.get('agents') },
      };
    },
  ),
  viewSpec('platform-capacity', { hosts: hostCapacity, nodes: nodeCapacity, predictions }, (rows) => {
    const hosts = pairSeries(rows.get('hosts'), ['host_name', 'metric_name']);
    const nodes = pairSeries(rows.get('nodes'), K8S_KEYS);
    const headroom = [...hosts, ...nodes]
      .sort((a, b) => b.max - a.max)
      .slice(0, 5)
      .map((s) => `${s.label} peak ${fmt(s.max, 1)} % (${fmt(100 - s.max, 1)} % headroom)`);
    return {
      summary: sentences(
        headroom.length > 0 ? `Least headroom: ${list(headroom, 5)}.` : '',
        seriesText([...hosts, ...nodes], 'capacity'),
        rows.get('predictions').length > 0
          ? `Forecasts: ${list(rows.get('predictions').map(predictionLine), 2)}.`
          : '',
      ),
      data: {
        hosts: hosts.map(seriesData),
        nodes: nodes.map(seriesData),
        predictions: rows.get('predictions'),
      },
    };
  }),
  viewSpec('platform-performance', { latency: latency(), errorRates: errorRates() }, (rows) => {
    const stats = serviceStats(rows.get('latency'), rows.get('errorRates'));
    return {
      summary: sentences(
        latencySpikes(stats).length > 0
          ? `Latency regressions: ${list(latencySpikes(stats).map(describeLatency), 3)}.`
          : 'No latency regression against the previous window.',
        errorSpikes(stats).length > 0
          ? `Error spikes: ${list(errorSpikes(stats).map(describeErrors), 3)}.`
          : 'No error spike against the previous window.',
        `${fmt(
          stats.reduce((a, s) => a + s.requests, 0),
          0,
        )} requests across ${stats.length} services.`,
      ),
      data: { services: stats },
    };
  }),
  defineSpec({
    key: 'custom',
    sources: { latency: latency(false), errorRates: errorRates(false), alerts: alertInstances },
    build: (rows, input) => {
      const stats = serviceStats(rows.get('latency'), rows.get('errorRates'));
      if (stats.length === 0 && rows.get('alerts').length === 0) return null;
      const question = input.contextId ?? '(no description given)';
      return {
        summary: sentences(
          `Question: "${question.slice(0, 200)}". This context answers it only with a service overview: per-service traffic, errors and latency, and the alerts of the window; anything else in the question is not covered by it.`,
          errorSpikes(stats).length > 0
            ? `Error spikes: ${list(errorSpikes(stats).map(describeErrors), 3)}.`
            : '',
          latencySpikes(stats).length > 0
            ? `Latency regressions: ${list(latencySpikes(stats).map(describeLatency), 3)}.`
            : '',
          alertsText(rows.get('alerts')),
        ),
        data: { question, answeredWith: 'service overview', services: stats, alerts: rows.get('alerts') },
      };
    },
    noDataDetail: () => 'The service overview used for custom questions had no traffic and no alerts.',
  }),
];
