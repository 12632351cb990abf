/**
 * Audit and security: the ClickHouse `audit_logs` (who did what), `security_events`
 * (detections and enforcement) and the PostgreSQL `security_findings` (vulnerabilities,
 * compliance, access and secret findings).
 *
 * Invariants:
 * - Audit rows name real users of the organization (ids and e-mails from tenancy.ts).
 * - Incident-linked rows sit at fixed offsets from the anchor: the deployment approval 4
 *   minutes before the bad deployment, on-call acknowledgements of the incident alerts,
 *   and a brute-force burst against the login endpoint at A-50m (failed logins in the
 *   audit log, blocked attempts and a detection in security_events).
 * - Source addresses are documentation ranges (RFC 5737); CVE ids are real, descriptions
 *   are our own.
 */
import { emptyBatch, pgRows, type ChStream, type DemoFamily, type Row } from './model.js';
import { entityId, valueKey, type DemoOrg, type DemoPlan, type TenantScope } from './plan.js';
import { hash2, hash3, Prng, unit, uuidFromKey } from './prng.js';
import { orgLoad } from './signals.js';
import { documentationIp, userEmail, userId } from './tenancy.js';
import { chTime, DAY, forEachGridPoint, HOUR, MINUTE, pgTime } from './time.js';

const BRUTE_FORCE_IP = '203.0.113.77';

interface AuditAction {
  event_type: string;
  action: string;
  resource: string;
  weight: number;
}

const AUDIT_ACTIONS: readonly AuditAction[] = [
  { event_type: 'auth', action: 'login', resource: 'session', weight: 30 },
  { event_type: 'dashboard', action: 'view', resource: 'dashboard', weight: 35 },
  { event_type: 'query', action: 'execute', resource: 'sql', weight: 12 },
  { event_type: 'ai_assistant', action: 'ask', resource: 'conversation', weight: 10 },
  { event_type: 'alert', action: 'acknowledge', resource: 'alert_instance', weight: 6 },
  { event_type: 'alert_rule', action: 'update', resource: 'alert_rule', weight: 3 },
  { event_type: 'dashboard', action: 'update', resource: 'dashboard', weight: 5 },
  { event_type: 'api_key', action: 'create', resource: 'api_key', weight: 0.6 },
  { event_type: 'user', action: 'invite', resource: 'user', weight: 0.5 },
  { event_type: 'role', action: 'assign', resource: 'user_role', weight: 0.5 },
  { event_type: 'settings', action: 'update', resource: 'retention_policy', weight: 0.4 },
  { event_type: 'report', action: 'export', resource: 'report', weight: 2 },
];
const AUDIT_WEIGHTS = AUDIT_ACTIONS.map((a) => a.weight);

function auditRow(
  org: DemoOrg,
  scope: TenantScope,
  t: number,
  login: string,
  a: Omit<AuditAction, 'weight'>,
  resourceId: string,
  result: string,
  ip: string,
  agent: string,
  metadata: Record<string, unknown>,
): Row {
  return {
    organization_id: scope.organization_id,
    workspace_id: scope.workspace_id,
    tenant_id: scope.tenant_id,
    timestamp: chTime(t),
    user_id: login === '' ? '' : userId(org, login),
    user_email: login === '' ? '' : userEmail(org, login),
    event_type: a.event_type,
    action: a.action,
    resource: a.resource,
    resource_id: resourceId,
    result,
    ip_address: ip,
    user_agent: agent,
    metadata: JSON.stringify(metadata),
  };
}

/**
 * The audit row of an on-call user acknowledging the incident alert named `alert` (the alert
 * instance id is the one alerts.ts gives it), on the organization's platform scope.
 */
function alertAcknowledged(
  org: DemoOrg,
  t: number,
  login: string,
  alert: string,
  ip: string,
  agent: string,
): Row {
  return auditRow(
    org,
    org.platformScope,
    t,
    login,
    { event_type: 'alert', action: 'acknowledge', resource: 'alert_instance' },
    entityId(org, 'alert', `incident:${alert}`),
    'success',
    ip,
    agent,
    { alert },
  );
}

/** Fixed, incident-linked audit rows of the primary organization. */
function incidentAudit(plan: DemoPlan, org: DemoOrg): Row[] {
  if (org.index !== 0) return [];
  const inc = plan.incidents;
  const s = org.platformScope;
  const rows: Row[] = [
    auditRow(
      org,
      s,
      inc.badDeploy.deployAt - 4 * MINUTE,
      'jonas.weber',
      { event_type: 'deployment', action: 'approve', resource: 'deployment' },
      'checkout-service@v2.15.0',
      'success',
      '198.51.100.24',
      'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
      { service: 'checkout-service', version: 'v2.15.0', pipeline: 'release/checkout#4812' },
    ),
    auditRow(
      org,
      s,
      inc.badDeploy.deployAt,
      'ci-bot',
      { event_type: 'deployment', action: 'create', resource: 'deployment' },
      'checkout-service@v2.15.0',
      'success',
      '10.20.0.60',
      'tfo-deployer/1.4 (ci)',
      { service: 'checkout-service', from: 'v2.14.3', to: 'v2.15.0' },
    ),
    alertAcknowledged(
      org,
      inc.badDeploy.alertAt + 9 * MINUTE,
      'priya.raman',
      'checkout-service p95 latency above 800 ms',
      '198.51.100.31',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)',
    ),
    alertAcknowledged(
      org,
      inc.memoryLeak.alertAt + 6 * MINUTE,
      'aiko.tanaka',
      'database-primary memory above 85 %',
      '198.51.100.47',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    ),
    alertAcknowledged(
      org,
      inc.cpuSpike.alertCpuAt + 3 * MINUTE,
      'priya.raman',
      'High CPU on payment-processor',
      '198.51.100.31',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)',
    ),
    auditRow(
      org,
      s,
      inc.cpuSpike.alertCpuAt + 5 * MINUTE,
      'priya.raman',
      { event_type: 'ai_assistant', action: 'ask', resource: 'conversation' },
      'why is payment-processor failing?',
      'success',
      '198.51.100.31',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)',
      { context_types: ['metrics', 'logs', 'traces'] },
    ),
  ];
  const bf = inc.anchor - 50 * MINUTE;
  for (let i = 0; i < 30; i++) {
    rows.push(
      auditRow(
        org,
        s,
        bf + i * 20_000 + (i % 7) * 1000,
        '',
        { event_type: 'auth', action: 'login', resource: 'session' },
        `${['admin', 'root', 'maya.lindqvist', 'test'][i % 4] as string}@${org.profile.domain}`,
        i < 24 ? 'failure' : 'denied',
        BRUTE_FORCE_IP,
        'python-requests/2.31.0',
        { reason: i < 24 ? 'invalid_credentials' : 'ip_blocked' },
      ),
    );
  }
  return rows;
}

const SECURITY_KINDS: readonly {
  type: string;
  severity: string;
  action: string;
  description: string;
  weight: number;
}[] = [
  {
    type: 'auth.failed_login',
    severity: 'low',
    action: 'alerted',
    description: 'Failed login: invalid credentials',
    weight: 30,
  },
  {
    type: 'waf.blocked_request',
    severity: 'medium',
    action: 'blocked',
    description: 'WAF rule 942100 (SQL injection) matched on query parameter "q"',
    weight: 25,
  },
  {
    type: 'waf.blocked_request',
    severity: 'low',
    action: 'blocked',
    description: 'WAF rate limit: more than 600 requests per minute from one address',
    weight: 12,
  },
  {
    type: 'network.blocked_connection',
    severity: 'medium',
    action: 'blocked',
    description: 'Inbound connection to a database port from the internet denied by the edge firewall',
    weight: 15,
  },
  {
    type: 'network.port_scan',
    severity: 'medium',
    action: 'blocked',
    description: 'Port scan detected: 214 ports probed in 30 s',
    weight: 5,
  },
  {
    type: 'iam.permission_denied',
    severity: 'low',
    action: 'denied',
    description: 'User attempted to change retention policies without settings:manage',
    weight: 6,
  },
  {
    type: 'secrets.access',
    severity: 'info',
    action: 'allowed',
    description: 'Secret reference resolved by the LLM gateway',
    weight: 8,
  },
  {
    type: 'policy.violation',
    severity: 'high',
    action: 'alerted',
    description: 'Pod started with privileged: true in namespace monitoring',
    weight: 1.5,
  },
];
const SECURITY_WEIGHTS = SECURITY_KINDS.map((k) => k.weight);

function securityRow(
  scope: TenantScope,
  t: number,
  type: string,
  severity: string,
  ip: string,
  user: string,
  service: string,
  description: string,
  action: string,
): Row {
  return {
    organization_id: scope.organization_id,
    workspace_id: scope.workspace_id,
    tenant_id: scope.tenant_id,
    timestamp: chTime(t),
    event_type: type,
    severity,
    source_ip: ip,
    user_id: user,
    service_name: service,
    description,
    action_taken: action,
  };
}

function incidentSecurity(plan: DemoPlan, org: DemoOrg): Row[] {
  if (org.index !== 0) return [];
  const s = org.platformScope;
  const bf = plan.incidents.anchor - 50 * MINUTE;
  const rows: Row[] = [];
  for (let i = 0; i < 24; i++)
    rows.push(
      securityRow(
        s,
        bf + i * 20_000 + (i % 7) * 1000 + 150,
        'auth.failed_login',
        'low',
        BRUTE_FORCE_IP,
        '',
        'user-service',
        'Failed login: invalid credentials (credential stuffing pattern)',
        'alerted',
      ),
    );
  rows.push(
    securityRow(
      s,
      bf + 8 * MINUTE,
      'auth.brute_force_detected',
      'high',
      BRUTE_FORCE_IP,
      '',
      'user-service',
      '24 failed logins for 4 accounts in 8 minutes from one address; address blocked for 24 h',
      'blocked',
    ),
  );
  for (let i = 0; i < 6; i++)
    rows.push(
      securityRow(
        s,
        bf + 8 * MINUTE + (i + 1) * 20_000,
        'waf.blocked_request',
        'medium',
        BRUTE_FORCE_IP,
        '',
        'api-gateway',
        'Request from a blocked address',
        'blocked',
      ),
    );
  return rows;
}

const AUDIT_SECURITY_TABLES = ['audit_logs', 'security_events'];

const auditStream: ChStream = {
  name: 'audit-security',
  tables: AUDIT_SECURITY_TABLES,
  rowsPerHour: () => 60,
  generate(plan, from, to) {
    const batch = emptyBatch(AUDIT_SECURITY_TABLES);
    const audit = batch['audit_logs'] as Row[];
    const security = batch['security_events'] as Row[];
    const lo = chTime(from);
    const hi = chTime(to);
    const inWindow = (r: Row): boolean => {
      const ts = String(r['timestamp']);
      return ts >= lo && ts < hi;
    };
    for (const org of plan.orgs) {
      const active = org.profile.users.filter((u) => u.status === 'active');
      audit.push(...incidentAudit(plan, org).filter(inWindow));
      security.push(...incidentSecurity(plan, org).filter(inWindow));
      // Slots that start before the window may hold events inside it: every draw of a slot
      // is made whatever the window, then events are kept by their own time.
      forEachGridPoint(from - 5 * MINUTE, to, 5 * MINUTE, (t, k) => {
        const rng = new Prng(hash3(org.valueKey, 0xa0d, k));
        const n = rng.poisson((org.index === 0 ? 2.2 : 1.3) * orgLoad(org, t));
        for (let i = 0; i < n; i++) {
          const a = AUDIT_ACTIONS[rng.weighted(AUDIT_WEIGHTS)] as AuditAction;
          const u = rng.pick(active);
          const failed = a.action === 'login' && rng.chance(0.06);
          const at = t + rng.int(5 * MINUTE);
          const via = rng.chance(0.2) ? 'api' : 'ui';
          if (at < from || at >= to) continue;
          const agent = u.login.endsWith('-bot') ? 'tfo-deployer/1.4 (ci)' : 'Mozilla/5.0';
          const ip = documentationIp(hash2(valueKey(org, 'user', u.login), 7));
          const id = uuidFromKey(hash3(org.idKey, k, i));
          audit.push(
            auditRow(org, org.platformScope, at, u.login, a, id, failed ? 'failure' : 'success', ip, agent, {
              via,
            }),
          );
        }
      });
      const exposed = org.services.filter((s) => ['gateway', 'web', 'service'].includes(s.profile.kind));
      forEachGridPoint(from - 10 * MINUTE, to, 10 * MINUTE, (t, k) => {
        const rng = new Prng(hash3(org.valueKey, 0x5ec, k));
        const n = rng.poisson(org.index === 0 ? 0.9 : 0.6);
        for (let i = 0; i < n; i++) {
          const e = SECURITY_KINDS[rng.weighted(SECURITY_WEIGHTS)] as (typeof SECURITY_KINDS)[number];
          const svc = rng.pick(exposed);
          const user = e.type.startsWith('iam') ? userId(org, rng.pick(org.profile.users).login) : '';
          const at = t + rng.int(10 * MINUTE);
          const ip = documentationIp(rng.u32());
          if (at < from || at >= to) continue;
          security.push(
            securityRow(
              org.platformScope,
              at,
              e.type,
              e.severity,
              ip,
              user,
              svc.name,
              e.description,
              e.action,
            ),
          );
        }
      });
    }
    return batch;
  },
};

interface Finding {
  category: string;
  severity: string;
  title: string;
  resource: string;
  service: string | null;
  status: string;
  cve: string | null;
  detectedDaysAgo: number;
  resolvedDaysAgo?: number;
}

const FINDINGS: Record<string, readonly Finding[]> = {
  primary: [
    {
      category: 'vulnerability',
      severity: 'high',
      title: 'HTTP/2 rapid reset can exhaust the gateway (CVE-2023-44487)',
      resource: 'image api-gateway:v3.2.0',
      service: 'api-gateway',
      status: 'resolved',
      cve: 'CVE-2023-44487',
      detectedDaysAgo: 80,
      resolvedDaysAgo: 74,
    },
    {
      category: 'vulnerability',
      severity: 'critical',
      title: 'Backdoored xz-utils in base image (CVE-2024-3094)',
      resource: 'image base/debian:12.5',
      service: null,
      status: 'resolved',
      cve: 'CVE-2024-3094',
      detectedDaysAgo: 60,
      resolvedDaysAgo: 59,
    },
    {
      category: 'vulnerability',
      severity: 'critical',
      title: 'Apache Commons Text interpolation allows code execution (CVE-2022-42889)',
      resource: 'image order-service:v2.9.3',
      service: 'order-service',
      status: 'resolved',
      cve: 'CVE-2022-42889',
      detectedDaysAgo: 45,
      resolvedDaysAgo: 40,
    },
    {
      category: 'vulnerability',
      severity: 'high',
      title: 'OpenSSH signal handler race allows remote code execution (CVE-2024-6387)',
      resource: 'host bastion-01',
      service: null,
      status: 'open',
      cve: 'CVE-2024-6387',
      detectedDaysAgo: 9,
    },
    {
      category: 'vulnerability',
      severity: 'high',
      title: 'libwebp heap buffer overflow in image resizing (CVE-2023-4863)',
      resource: 'image web-frontend:v5.8.1',
      service: 'web-frontend',
      status: 'in_progress',
      cve: 'CVE-2023-4863',
      detectedDaysAgo: 6,
    },
    {
      category: 'vulnerability',
      severity: 'high',
      title: 'runc file descriptor leak allows container escape (CVE-2024-21626)',
      resource: 'cluster acme-prod-eu node pool',
      service: null,
      status: 'open',
      cve: 'CVE-2024-21626',
      detectedDaysAgo: 3,
    },
    {
      category: 'compliance',
      severity: 'high',
      title: 'S3 bucket acme-exports has no default encryption (CIS AWS 2.1.1)',
      resource: 's3://acme-exports',
      service: null,
      status: 'open',
      cve: null,
      detectedDaysAgo: 12,
    },
    {
      category: 'compliance',
      severity: 'medium',
      title: 'Default service account token mounted in namespace payments (CIS Kubernetes 5.1.5)',
      resource: 'namespace payments',
      service: 'payment-processor',
      status: 'open',
      cve: null,
      detectedDaysAgo: 20,
    },
    {
      category: 'access',
      severity: 'medium',
      title: 'Two active users without multi-factor authentication',
      resource: 'users jonas.weber, fatima.okafor',
      service: null,
      status: 'open',
      cve: null,
      detectedDaysAgo: 15,
    },
    {
      category: 'access',
      severity: 'low',
      title: 'API key legacy-ingest unused for 45 days',
      resource: 'api key legacy-ingest',
      service: null,
      status: 'resolved',
      cve: null,
      detectedDaysAgo: 35,
      resolvedDaysAgo: 30,
    },
    {
      category: 'secret',
      severity: 'high',
      title: 'Cloud access key found in an image layer',
      resource: 'image recommendation-service:v1.11.4',
      service: 'recommendation-service',
      status: 'resolved',
      cve: null,
      detectedDaysAgo: 25,
      resolvedDaysAgo: 24,
    },
  ],
  second: [
    {
      category: 'vulnerability',
      severity: 'critical',
      title: 'golang.org/x/crypto SSH authorization bypass (CVE-2024-45337)',
      resource: 'image fleet-api:v2.4.0',
      service: 'fleet-api',
      status: 'open',
      cve: 'CVE-2024-45337',
      detectedDaysAgo: 4,
    },
    {
      category: 'vulnerability',
      severity: 'critical',
      title: 'Go net/netip mis-classifies IPv4-mapped addresses (CVE-2024-24790)',
      resource: 'image geo-service:v1.4.6',
      service: 'geo-service',
      status: 'in_progress',
      cve: 'CVE-2024-24790',
      detectedDaysAgo: 11,
    },
    {
      category: 'vulnerability',
      severity: 'high',
      title: 'curl SOCKS5 heap overflow (CVE-2023-38545)',
      resource: 'image telemetry-ingest:v1.9.1',
      service: 'telemetry-ingest',
      status: 'resolved',
      cve: 'CVE-2023-38545',
      detectedDaysAgo: 50,
      resolvedDaysAgo: 47,
    },
    {
      category: 'compliance',
      severity: 'critical',
      title: 'RDS instance partners-rds-mysql is publicly accessible',
      resource: 'rds partners-rds-mysql',
      service: null,
      status: 'open',
      cve: null,
      detectedDaysAgo: 2,
    },
    {
      category: 'access',
      severity: 'medium',
      title: 'Two active users without multi-factor authentication',
      resource: 'users olivia.santos, amara.diallo',
      service: null,
      status: 'open',
      cve: null,
      detectedDaysAgo: 8,
    },
  ],
};

const SCAN_FINDINGS: readonly Omit<Finding, 'detectedDaysAgo' | 'status'>[] = [
  {
    category: 'vulnerability',
    severity: 'medium',
    title: 'Outdated TLS library in image (OpenSSL 3.0.13)',
    resource: 'image',
    service: null,
    cve: null,
  },
  {
    category: 'compliance',
    severity: 'low',
    title: 'Container runs as root user',
    resource: 'deployment',
    service: null,
    cve: null,
  },
  {
    category: 'vulnerability',
    severity: 'low',
    title: 'Prototype pollution in a transitive npm dependency',
    resource: 'image',
    service: null,
    cve: null,
  },
];

/** New findings of the periodic scans: per organization, at most one per 12-hour slot. */
function scanFindings(plan: DemoPlan, from: number, to: number): Row[] {
  const rows: Row[] = [];
  for (const org of plan.orgs) {
    // Kept by detection time: a slot that starts before the window may hold a finding inside it.
    forEachGridPoint(from - 12 * HOUR, to, 12 * HOUR, (t, k) => {
      const rng = new Prng(hash3(org.valueKey, 0xf1d, k));
      if (!rng.chance(0.5)) return;
      const f = rng.pick(SCAN_FINDINGS);
      const svc = rng.pick(org.services.filter((s) => s.profile.runtime === 'kubernetes'));
      const at = t + 2 * HOUR + rng.int(30) * MINUTE;
      if (at < from || at >= to) return;
      rows.push({
        id: entityId(org, 'finding', `scan#${k}`),
        organization_id: org.id,
        category: f.category,
        severity: f.severity,
        title: f.title,
        resource: `${f.resource} ${svc.name}:${svc.profile.version}`,
        service_name: svc.name,
        status: 'open',
        cve: null,
        detected_at: pgTime(at),
        resolved_at: null,
        created_at: pgTime(at),
        updated_at: pgTime(at),
      });
    });
  }
  return rows;
}

/** The audit and security family. */
export const securityFamily: DemoFamily = {
  name: 'security',
  pgTables: ['security_findings'],
  inventory(plan) {
    const rows: Row[] = [];
    for (const org of plan.orgs) {
      for (const f of FINDINGS[org.profile.key] ?? []) {
        const key = valueKey(org, 'finding', f.title);
        const detected = plan.anchor - f.detectedDaysAgo * DAY - Math.floor(unit(key) * 8 * HOUR);
        const resolved = f.resolvedDaysAgo === undefined ? null : plan.anchor - f.resolvedDaysAgo * DAY;
        rows.push({
          id: entityId(org, 'finding', f.title),
          organization_id: org.id,
          category: f.category,
          severity: f.severity,
          title: f.title,
          resource: f.resource,
          service_name: f.service,
          status: f.status,
          cve: f.cve,
          detected_at: pgTime(detected),
          resolved_at: resolved === null ? null : pgTime(resolved),
          created_at: pgTime(detected),
          updated_at: pgTime(resolved ?? detected),
        });
      }
    }
    return [pgRows('security_findings', rows)];
  },
  window: (plan, from, to) => [pgRows('security_findings', scanFindings(plan, from, to))],
  streams: [auditStream],
};
