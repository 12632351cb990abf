/**
 * Platform settings of each organization: retention policies, API keys, notification
 * channels, report definitions and their executions, data-masking policies, LLM and SSO
 * providers.
 *
 * Invariants:
 * - API keys are stored as SHA-256 hashes plus a short prefix; the plain key exists only
 *   inside this function and is derived from the seed, so it is never logged or stored.
 * - Providers keep a secret *reference* (`vault://...`), never a secret.
 * - Report executions are keyed by their finish time: a run appears in the window that
 *   contains its end, so no execution is in the future and none is written twice.
 */
import { createHash } from 'node:crypto';
import { pgRows, type DemoFamily, type Row } from './model.js';
import { entityId, inventoryStamps, valueKey, type DemoOrg, type DemoPlan } from './plan.js';
import { hash2, hash3, hashString, hex8, unit } from './prng.js';
import { userId } from './tenancy.js';
import { DAY, forEachGridPoint, HOUR, MINUTE, pgTime } from './time.js';

const RETENTION: readonly [string, number, string][] = [
  ['metrics', 395, 'hot+cold'],
  ['logs', 30, 'hot'],
  ['traces', 14, 'hot'],
  ['exemplars', 14, 'hot'],
  ['audit', 365, 'cold'],
  ['uptime', 90, 'warm'],
  ['security_events', 90, 'warm'],
  ['cost', 730, 'cold'],
];

interface ReportSpec {
  name: string;
  type: string;
  schedule: string;
  format: string;
  /** Period and offset of runs, hours (epoch-aligned; 1970-01-01 was a Thursday). */
  periodHours: number;
  offsetHours: number;
  /** Typical run time, seconds. */
  seconds: number;
  failRate: number;
  recipients: readonly string[];
  enabled: boolean;
}

function reportsOf(org: DemoOrg): ReportSpec[] {
  if (org.index === 0) {
    return [
      {
        name: 'Daily incident digest',
        type: 'incident',
        schedule: '0 6 * * *',
        format: 'html',
        periodHours: 24,
        offsetHours: 6,
        seconds: 40,
        failRate: 0.05,
        recipients: ['sre@acme.example'],
        enabled: true,
      },
      {
        name: 'Weekly SLO report',
        type: 'slo',
        schedule: '0 7 * * MON',
        format: 'pdf',
        periodHours: 168,
        offsetHours: 4 * 24 + 7,
        seconds: 95,
        failRate: 0.1,
        recipients: ['engineering-leads@acme.example', 'cto@acme.example'],
        enabled: true,
      },
      {
        name: 'Cost snapshot',
        type: 'cost',
        schedule: '15 */6 * * *',
        format: 'csv',
        periodHours: 6,
        offsetHours: 0.25,
        seconds: 20,
        failRate: 0.03,
        recipients: ['finops@acme.example'],
        enabled: true,
      },
      {
        name: 'Capacity forecast',
        type: 'capacity',
        schedule: '30 2 * * *',
        format: 'pdf',
        periodHours: 24,
        offsetHours: 2.5,
        seconds: 150,
        failRate: 0.15,
        recipients: ['platform@acme.example'],
        enabled: true,
      },
      {
        name: 'Security posture',
        type: 'security',
        schedule: '0 9 * * WED',
        format: 'pdf',
        periodHours: 168,
        offsetHours: 6 * 24 + 9,
        seconds: 120,
        failRate: 0.05,
        recipients: ['security@acme.example'],
        enabled: false,
      },
    ];
  }
  return [
    {
      name: 'Fleet SLA report',
      type: 'slo',
      schedule: '0 12 * * *',
      format: 'pdf',
      periodHours: 24,
      offsetHours: 12,
      seconds: 80,
      failRate: 0.08,
      recipients: ['ops@globex.example'],
      enabled: true,
    },
    {
      name: 'Carrier cost report',
      type: 'cost',
      schedule: '0 14 * * MON',
      format: 'csv',
      periodHours: 168,
      offsetHours: 4 * 24 + 14,
      seconds: 35,
      failRate: 0.05,
      recipients: ['finance@globex.example'],
      enabled: true,
    },
    {
      name: 'Telemetry ingest health',
      type: 'capacity',
      schedule: '0 */4 * * *',
      format: 'html',
      periodHours: 4,
      offsetHours: 0,
      seconds: 25,
      failRate: 0.04,
      recipients: ['fleet-oncall@globex.example'],
      enabled: true,
    },
  ];
}

function channelsOf(org: DemoOrg): Row[] {
  const d = org.profile.domain;
  const list: [string, string, boolean, Record<string, unknown>, string][] =
    org.index === 0
      ? [
          [
            '#sre-alerts',
            'slack',
            true,
            { workspace: 'acme', channel: '#sre-alerts', mention: '@oncall' },
            'delivered',
          ],
          [
            'PagerDuty payments',
            'pagerduty',
            true,
            { service: 'payments-prod', routing_key_ref: 'vault://kv/tfo/pagerduty/payments' },
            'delivered',
          ],
          ['SRE e-mail', 'email', true, { to: [`sre@${d}`] }, 'delivered'],
          [
            'Incident webhook',
            'webhook',
            true,
            { url: `https://hooks.${d}/incidents`, secret_ref: 'vault://kv/tfo/webhooks/incidents' },
            'failed',
          ],
          ['Teams platform', 'msteams', false, { team: 'Platform', channel: 'Alerts' }, 'delivered'],
        ]
      : [
          ['#fleet-oncall', 'slack', true, { workspace: 'globex', channel: '#fleet-oncall' }, 'delivered'],
          [
            'Opsgenie fleet',
            'opsgenie',
            true,
            { team: 'fleet', api_key_ref: 'vault://kv/tfo/opsgenie/fleet' },
            'delivered',
          ],
          ['Ops e-mail', 'email', true, { to: [`ops@${d}`] }, 'delivered'],
        ];
  return list.map(([name, type, enabled, config, status]) => ({
    name,
    type,
    enabled,
    config,
    last_delivery_status: status,
  }));
}

/** The plain API key of `name` (never stored: only its hash and prefix are). */
function plainKey(org: DemoOrg, name: string): string {
  let key = 'tfo_live_';
  for (let i = 0; i < 4; i++) key += hex8(hash3(org.idKey, hashString(`api-key:${name}`), i));
  return key;
}

function settingsRows(plan: DemoPlan, org: DemoOrg): Record<string, Row[]> {
  const anchor = plan.anchor;
  const owner = org.profile.users[0]?.login ?? 'owner';
  const admin = org.profile.users[1]?.login ?? owner;
  const st = (kind: string, name: string): { created_at: string; updated_at: string } =>
    inventoryStamps(plan, valueKey(org, kind, name));
  const out: Record<string, Row[]> = {};
  out['retention_policies'] = RETENTION.map(([signal, days, tier]) => ({
    id: entityId(org, 'retention', signal),
    organization_id: org.id,
    signal_type: signal,
    retention_days: org.profile.plan === 'enterprise' ? days : Math.min(days, 90),
    tier,
    enabled: true,
    ...st('retention', signal),
  }));
  const keys: [string, string[], number | null, boolean][] = [
    ['ci-deployments', ['deployments:write', 'metrics:write'], 3 * MINUTE, false],
    ['otel-collector', ['metrics:write', 'logs:write', 'traces:write'], 20 * 1000, false],
    ['grafana-readonly', ['metrics:read', 'logs:read', 'traces:read'], 2 * HOUR, false],
    ['legacy-ingest', ['metrics:write'], 45 * DAY, true],
  ];
  out['api_keys'] = keys.map(([name, scopes, lastUsedAgo, revoked]) => {
    const plain = plainKey(org, name);
    return {
      id: entityId(org, 'api-key', name),
      organization_id: org.id,
      name,
      key_prefix: plain.slice(0, 13),
      key_hash: createHash('sha256').update(plain).digest('hex'),
      scopes,
      created_by: userId(org, admin),
      last_used_at: lastUsedAgo === null ? null : pgTime(anchor - lastUsedAgo),
      expires_at: pgTime(anchor + (revoked ? -30 : 180) * DAY),
      revoked_at: revoked ? pgTime(anchor - 30 * DAY) : null,
      ...st('api-key', name),
    };
  });
  out['notification_channels'] = channelsOf(org).map((c) => ({
    id: entityId(org, 'channel', String(c['name'])),
    organization_id: org.id,
    ...c,
    last_delivery_at: pgTime(
      anchor - Math.floor(unit(valueKey(org, 'channel', String(c['name']))) * 50 + 2) * MINUTE,
    ),
    ...st('channel', String(c['name'])),
  }));
  out['report_definitions'] = reportsOf(org).map((r) => ({
    id: entityId(org, 'report', r.name),
    organization_id: org.id,
    name: r.name,
    type: r.type,
    schedule: r.schedule,
    format: r.format,
    recipients: [...r.recipients],
    enabled: r.enabled,
    ...st('report', r.name),
  }));
  out['data_masking_policies'] = [
    ['E-mail addresses in logs', 'logs', '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+', 'hash'],
    ['Card numbers', 'logs', '\\b(?:\\d[ -]*?){13,16}\\b', 'redact'],
    ['Client IP addresses', 'traces', 'attributes.client.address', 'partial'],
    ['Authorization headers', 'traces', 'attributes.http.request.header.authorization', 'redact'],
    ['Customer ids', 'metrics', 'labels.customer_id', 'tokenize'],
  ].map(([name, signal, pattern, strategy], i) => ({
    id: entityId(org, 'masking', name as string),
    organization_id: org.id,
    name,
    signal_type: signal,
    field_pattern: pattern,
    strategy,
    enabled: !(org.index === 1 && i === 4),
    ...st('masking', name as string),
  }));
  out['llm_providers'] = [
    {
      name: 'Claude (default)',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      base_url: 'https://api.anthropic.com',
      secret_ref: 'vault://kv/tfo/llm/anthropic',
      enabled: true,
      is_default: true,
    },
    {
      name: 'GPT fallback',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      base_url: 'https://api.openai.com/v1',
      secret_ref: 'vault://kv/tfo/llm/openai',
      enabled: org.index === 0,
      is_default: false,
    },
    {
      name: 'Local Ollama',
      provider: 'ollama',
      model: 'llama3.1:8b',
      base_url: 'http://ollama.internal:11434',
      secret_ref: null,
      enabled: false,
      is_default: false,
    },
  ].map((p) => ({ id: entityId(org, 'llm', p.name), organization_id: org.id, ...p, ...st('llm', p.name) }));
  out['sso_providers'] = (
    org.index === 0
      ? [
          {
            name: 'Okta',
            type: 'saml',
            issuer: 'http://www.okta.com/exk1acme',
            client_id: null,
            secret_ref: null,
            enabled: true,
          },
          {
            name: 'Google Workspace',
            type: 'oidc',
            issuer: 'https://accounts.google.com',
            client_id: '1042-acme.apps.example',
            secret_ref: 'vault://kv/tfo/sso/google',
            enabled: false,
          },
        ]
      : [
          {
            name: 'Azure AD',
            type: 'oidc',
            issuer: 'https://login.microsoftonline.example/globex/v2.0',
            client_id: 'a1f0-globex',
            secret_ref: 'vault://kv/tfo/sso/azure',
            enabled: true,
          },
        ]
  ).map((p) => ({ id: entityId(org, 'sso', p.name), organization_id: org.id, ...p, ...st('sso', p.name) }));
  return out;
}

function executions(plan: DemoPlan, from: number, to: number): Row[] {
  const rows: Row[] = [];
  for (const org of plan.orgs) {
    for (const r of reportsOf(org)) {
      if (!r.enabled) continue;
      const period = r.periodHours * HOUR;
      const offset = r.offsetHours * HOUR;
      const key = valueKey(org, 'report', r.name);
      // Runs start at offset + k * period; a run belongs to the window holding its end.
      forEachGridPoint(from - offset - 10 * MINUTE, to - offset, period, (_t, k) => {
        const start = offset + k * period;
        const u = unit(hash2(key, k));
        const failed = u < r.failRate;
        const seconds = Math.round(r.seconds * (0.6 + unit(hash3(key, k, 1)) * 0.8) * (failed ? 0.4 : 1));
        const end = start + seconds * 1000;
        if (end < from || end >= to) return;
        rows.push({
          id: entityId(org, 'report-run', `${r.name}#${k}`),
          organization_id: org.id,
          report_id: entityId(org, 'report', r.name),
          status: failed ? 'failed' : 'completed',
          started_at: pgTime(start),
          finished_at: pgTime(end),
          error_message: failed
            ? u < r.failRate / 2
              ? 'Query timed out after 60 s while rendering section "Latency"'
              : 'SMTP delivery failed: 451 4.7.1 temporary failure, retry scheduled'
            : null,
          output_size_bytes: failed ? null : Math.round(40_000 + unit(hash3(key, k, 2)) * 900_000),
          created_at: pgTime(start),
          updated_at: pgTime(end),
        });
      });
    }
  }
  return rows;
}

/** The platform-settings family. */
export const settingsFamily: DemoFamily = {
  name: 'settings',
  pgTables: [
    'retention_policies',
    'api_keys',
    'notification_channels',
    'report_definitions',
    'report_executions',
    'data_masking_policies',
    'llm_providers',
    'sso_providers',
  ],
  inventory(plan) {
    const parts = plan.orgs.map((o) => settingsRows(plan, o));
    const tables = Object.keys(parts[0] ?? {});
    return tables.map((t) =>
      pgRows(
        t,
        parts.flatMap((p) => p[t] ?? []),
      ),
    );
  },
  window: (plan, from, to) => [pgRows('report_executions', executions(plan, from, to))],
};
