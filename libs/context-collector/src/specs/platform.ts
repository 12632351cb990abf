/**
 * Platform-settings specs (PostgreSQL): retention, subscription, API keys, notification
 * channels, reports and their runs, data masking, LLM providers, SSO providers and system
 * channels. Secrets are never read: API keys expose prefix and scopes only (not the hash),
 * channels their type and delivery state (not their config), providers their name and
 * model (not `secret_ref`).
 */
import { bytes, countBy, fmt, list, num, str, tally, when } from '../format.js';
import { countText, pgList } from '../queries/inventory.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import { pg } from '../sql.js';
import { sentences, viewSpec } from './common.js';

const retention = pgList({
  from: 'retention_policies',
  columns: 'signal_type, retention_days, tier, enabled',
  orderBy: 'signal_type, tier',
});

const subscription: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT org.plan, p.name AS plan_name, p.price_usd_monthly, p.max_users, p.max_hosts, p.retention_days, p.features,
             (SELECT count(*) FROM users u WHERE u.organization_id = org.organization_id AND u.status = 'active') AS active_users,
             (SELECT count(*) FROM agents a WHERE a.organization_id = org.organization_id) AS hosts
      FROM (SELECT o.id AS organization_id, o.plan FROM organizations o) org
      LEFT JOIN plans p ON p.code = org.plan
      WHERE ${b.scope('org')}
      LIMIT 1`,
  );

const apiKeys = pgList({
  from: 'api_keys',
  columns: 'name, key_prefix, scopes, last_used_at, expires_at, revoked_at, created_at',
  orderBy: 'revoked_at NULLS FIRST, last_used_at DESC NULLS LAST',
});

/** Notification channels without their configuration. */
export const channels: SourceBuilder = pgList({
  from: 'notification_channels',
  columns: 'name, type, enabled, last_delivery_at, last_delivery_status',
  orderBy: 'type, name',
});

const reports: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT d.name, d.type, d.schedule, d.format, d.enabled,
             e.status AS last_status, e.started_at AS last_run_at, e.error_message AS last_error, e.output_size_bytes,
             (SELECT count(*) FROM report_executions x WHERE x.organization_id = d.organization_id AND x.report_id = d.id AND x.status = 'failed') AS failed_runs
      FROM report_definitions d
      LEFT JOIN LATERAL (
        SELECT status, started_at, error_message, output_size_bytes FROM report_executions r
        WHERE r.organization_id = d.organization_id AND r.report_id = d.id
        ORDER BY started_at DESC LIMIT 1) e ON true
      WHERE ${b.scope('d')}
      ORDER BY d.name
      LIMIT ${b.limit(5)}`,
  );

const executions: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT d.name, e.status, e.started_at, e.finished_at, e.error_message, e.output_size_bytes
      FROM report_executions e
      JOIN report_definitions d ON d.id = e.report_id AND d.organization_id = e.organization_id
      WHERE ${b.scope('e')}
      ORDER BY e.started_at DESC
      LIMIT ${b.limit(5)}`,
  );

const masking = pgList({
  from: 'data_masking_policies',
  columns: 'name, signal_type, field_pattern, strategy, enabled',
  orderBy: 'signal_type, name',
});
const llmProviders = pgList({
  from: 'llm_providers',
  columns: 'name, provider, model, enabled, is_default',
  orderBy: 'is_default DESC, name',
});
const ssoProviders = pgList({
  from: 'sso_providers',
  columns: 'name, type, issuer, enabled',
  orderBy: 'name',
});

/** Summary sentence of notification channels. */
export function channelsText(rows: readonly Record<string, unknown>[]): string {
  const failing = rows
    .filter((c) => /fail|error/i.test(str(c['last_delivery_status'])))
    .map(
      (c) =>
        `${str(c['name'])} (${str(c['type'])}) last delivery ${str(c['last_delivery_status'])} at ${when(c['last_delivery_at'])}`,
    );
  return sentences(
    `${rows.length} notification channels (${tally(countBy(rows, 'type'))}), ${rows.filter((c) => c['enabled'] === false).length} disabled.`,
    failing.length > 0 ? `Failing deliveries: ${list(failing, 3)}.` : 'No failed deliveries.',
  );
}

/** The platform-settings specs. */
export const platformSpecs: readonly ContextSpec[] = [
  viewSpec('retention', { retention }, (rows) => ({
    summary: `${rows.get('retention').length} retention policies: ${list(
      rows
        .get('retention')
        .map(
          (r) =>
            `${str(r['signal_type'])} ${fmt(num(r['retention_days']), 0)} days${str(r['tier']) ? ` (${str(r['tier'])})` : ''}${r['enabled'] === false ? ' disabled' : ''}`,
        ),
      8,
    )}.`,
    data: { policies: rows.get('retention') },
  })),
  viewSpec('subscription', { subscription }, (rows) => {
    const s = rows.get('subscription')[0] ?? {};
    const users = num(s['active_users']);
    const maxUsers = num(s['max_users']);
    return {
      summary: sentences(
        `Plan ${str(s['plan_name']) || str(s['plan'])} at ${fmt(num(s['price_usd_monthly']), 2)} USD a month, ${fmt(num(s['retention_days']), 0)} days of retention.`,
        `Usage: ${fmt(users, 0)} active users of ${maxUsers > 0 ? fmt(maxUsers, 0) : 'unlimited'}, ${fmt(num(s['hosts']), 0)} hosts of ${num(s['max_hosts']) > 0 ? fmt(num(s['max_hosts']), 0) : 'unlimited'}.`,
      ),
      data: { subscription: s },
    };
  }),
  viewSpec('api-keys', { apiKeys }, (rows, input) => {
    const keys = rows.get('apiKeys');
    const now = input.range.to.getTime();
    const active = keys.filter((k) => k['revoked_at'] === null);
    const expiring = active
      .filter(
        (k) => k['expires_at'] !== null && new Date(str(k['expires_at'])).getTime() < now + 14 * 86_400_000,
      )
      .map((k) => `${str(k['name'])} (${str(k['key_prefix'])}...) expires ${when(k['expires_at'])}`);
    const unused = active.filter((k) => k['last_used_at'] === null).map((k) => str(k['name']));
    return {
      summary: sentences(
        `${keys.length} API keys, ${active.length} not revoked.`,
        expiring.length > 0 ? `Expiring or expired: ${list(expiring, 3)}.` : '',
        unused.length > 0 ? `Never used: ${list(unused, 3)}.` : '',
      ),
      data: { apiKeys: keys },
    };
  }),
  viewSpec('notifications', { channels }, (rows) => ({
    summary: channelsText(rows.get('channels')),
    data: { channels: rows.get('channels') },
  })),
  viewSpec('system-channels', { channels }, (rows) => ({
    summary: `System channels: ${channelsText(rows.get('channels'))}`,
    data: { channels: rows.get('channels') },
  })),
  viewSpec('reports', { reports }, (rows) => {
    const items = rows.get('reports');
    const failing = items
      .filter((r) => str(r['last_status']) === 'failed')
      .map((r) => `${str(r['name'])}: ${str(r['last_error'])}`);
    return {
      summary: sentences(
        `${items.length} report definitions (${tally(countBy(items, 'last_status'))} on the latest run).`,
        failing.length > 0 ? `Last run failed: ${list(failing, 3)}.` : '',
      ),
      data: { reports: items },
    };
  }),
  viewSpec('report-summary', { executions }, (rows) => {
    const runs = rows.get('executions');
    const failed = runs.filter((r) => str(r['status']) === 'failed');
    return {
      summary: sentences(
        `${runs.length} recent report runs (${tally(countBy(runs, 'status'))}), ${bytes(runs.reduce((a, r) => a + num(r['output_size_bytes']), 0))} produced.`,
        failed.length > 0
          ? `Failures: ${list(
              failed.map((r) => `${str(r['name'])} at ${when(r['started_at'])}: ${str(r['error_message'])}`),
              3,
            )}.`
          : '',
        `Latest: ${list(
          runs.slice(0, 3).map((r) => `${str(r['name'])} ${str(r['status'])} at ${when(r['started_at'])}`),
          3,
        )}.`,
      ),
      data: { executions: runs },
    };
  }),
  viewSpec('data-masking', { masking }, (rows) => ({
    summary: `${countText(rows.get('masking'), 'masking policies', 'strategy')}: ${list(
      rows
        .get('masking')
        .map(
          (m) =>
            `${str(m['name'])} on ${str(m['signal_type'])} ${str(m['field_pattern'])}${m['enabled'] === false ? ' (disabled)' : ''}`,
        ),
      5,
    )}.`,
    data: { policies: rows.get('masking') },
  })),
  viewSpec('ai-assistant', { llmProviders }, (rows) => {
    const items = rows.get('llmProviders');
    const def = items.find((p) => p['is_default'] === true);
    return {
      summary: `${items.length} LLM providers configured (${items.filter((p) => p['enabled'] === true).length} enabled)${def ? `; default ${str(def['name'])} (${str(def['provider'])} ${str(def['model'])})` : ''}: ${list(
        items.map((p) => `${str(p['provider'])} ${str(p['model'])}`),
        5,
      )}.`,
      data: { providers: items },
    };
  }),
  viewSpec('system-setup', { sso: ssoProviders, llmProviders, channels }, (rows) => ({
    summary: sentences(
      `${rows.get('sso').length} SSO providers: ${
        list(
          rows
            .get('sso')
            .map((s) => `${str(s['name'])} (${str(s['type'])}${s['enabled'] === false ? ', disabled' : ''})`),
          3,
        ) || 'none'
      }.`,
      `${rows.get('llmProviders').length} LLM providers, ${rows.get('channels').length} notification channels configured.`,
    ),
    data: {
      ssoProviders: rows.get('sso'),
      llmProviders: rows.get('llmProviders'),
      channels: rows.get('channels'),
    },
  })),
];
