/**
 * Tenancy and IAM: regions and plans (global catalogues), organizations, workspaces,
 * tenants, users, roles, permissions (global), the role-permission matrix, role
 * assignments and user sessions.
 *
 * Invariants:
 * - Global catalogues (regions, plans, permissions) are inserted with ON CONFLICT DO
 *   NOTHING and referenced by their natural keys (region code, resource + action), so
 *   several estates, or a platform that already has them, share one catalogue.
 * - Every other row carries its organization's id; user e-mail addresses use the
 *   organization's `.example` domain.
 * - Session addresses are documentation ranges (RFC 5737).
 */
import { pgRows, pgStatement, type DemoFamily, type PgWrite, type Row } from './model.js';
import { entityId, inventoryStamps, valueKey, type DemoOrg, type DemoPlan } from './plan.js';
import { hash2, hash3, hashString, unit, uuidFromKey } from './prng.js';
import { DAY, HOUR, MINUTE, pgTime } from './time.js';

/** Regions of the catalogue. */
export const DEMO_REGIONS: readonly { code: string; name: string; provider: string }[] = [
  { code: 'eu-west-1', name: 'Europe (Ireland)', provider: 'aws' },
  { code: 'eu-central-1', name: 'Europe (Frankfurt)', provider: 'aws' },
  { code: 'us-east-1', name: 'US East (N. Virginia)', provider: 'aws' },
  { code: 'ap-southeast-1', name: 'Asia Pacific (Singapore)', provider: 'aws' },
  { code: 'us-central1', name: 'US Central (Iowa)', provider: 'gcp' },
];

const PLANS: readonly Row[] = [
  {
    code: 'free',
    name: 'Free',
    price_usd_monthly: 0,
    max_users: 3,
    max_hosts: 5,
    retention_days: 7,
    features: { ai_assistant: false, sso: false, audit_log: false },
  },
  {
    code: 'team',
    name: 'Team',
    price_usd_monthly: 299,
    max_users: 25,
    max_hosts: 50,
    retention_days: 30,
    features: { ai_assistant: true, sso: false, audit_log: true },
  },
  {
    code: 'business',
    name: 'Business',
    price_usd_monthly: 1490,
    max_users: 150,
    max_hosts: 500,
    retention_days: 90,
    features: { ai_assistant: true, sso: true, audit_log: true, db_monitoring: true },
  },
  {
    code: 'enterprise',
    name: 'Enterprise',
    price_usd_monthly: 6900,
    max_users: null,
    max_hosts: null,
    retention_days: 395,
    features: {
      ai_assistant: true,
      sso: true,
      audit_log: true,
      db_monitoring: true,
      data_masking: true,
      dedicated_region: true,
    },
  },
];

const RESOURCES = [
  'dashboards',
  'metrics',
  'logs',
  'traces',
  'alerts',
  'alert_rules',
  'slos',
  'uptime',
  'kubernetes',
  'databases',
  'reports',
  'api_keys',
  'users',
  'roles',
  'billing',
  'settings',
  'audit',
  'ai_assistant',
];
const EXTRA_ACTIONS: readonly [string, string][] = [
  ['alerts', 'acknowledge'],
  ['users', 'invite'],
  ['api_keys', 'manage'],
  ['billing', 'manage'],
  ['settings', 'manage'],
  ['ai_assistant', 'use'],
];

/** Every (resource, action) pair of the permission catalogue. */
export const DEMO_PERMISSIONS: readonly [string, string][] = [
  ...RESOURCES.flatMap((r): [string, string][] => [
    [r, 'read'],
    [r, 'write'],
  ]),
  ...EXTRA_ACTIONS,
];

const SENSITIVE = new Set(['audit', 'billing', 'api_keys', 'users', 'roles', 'settings']);
const EDITABLE = new Set(['dashboards', 'alerts', 'alert_rules', 'slos', 'uptime', 'reports']);

/** Whether `role` holds `resource:action`. */
export function roleGrants(role: string, resource: string, action: string): boolean {
  switch (role) {
    case 'Owner':
      return true;
    case 'Admin':
      return !(resource === 'billing' && action === 'manage');
    case 'Editor':
      return (
        (action === 'read' && !SENSITIVE.has(resource)) ||
        (action === 'write' && EDITABLE.has(resource)) ||
        action === 'acknowledge' ||
        action === 'use'
      );
    case 'Viewer':
      return action === 'read' && !SENSITIVE.has(resource);
    case 'On-call engineer':
      return (
        (action === 'read' && !SENSITIVE.has(resource)) ||
        (resource === 'alerts' && action !== 'read') ||
        resource === 'ai_assistant' ||
        (resource === 'kubernetes' && action === 'write')
      );
    case 'Billing admin':
      return resource === 'billing' || (resource === 'reports' && action === 'read');
    default:
      return false;
  }
}

const ROLES: readonly { name: string; description: string; system: boolean }[] = [
  { name: 'Owner', description: 'Full control, including billing and organization deletion', system: true },
  { name: 'Admin', description: 'Manage users, settings and every resource', system: true },
  { name: 'Editor', description: 'Create and change dashboards, alerts, SLOs and reports', system: true },
  { name: 'Viewer', description: 'Read-only access to telemetry and dashboards', system: true },
  {
    name: 'On-call engineer',
    description: 'Acknowledge and resolve alerts, operate Kubernetes workloads',
    system: false,
  },
  { name: 'Billing admin', description: 'Manage the subscription and read cost reports', system: false },
];

/** E-mail address of a user of `org`. */
export function userEmail(org: DemoOrg, login: string): string {
  return `${login}@${org.profile.domain}`;
}

/** Id of a user of `org`. */
export function userId(org: DemoOrg, login: string): string {
  return entityId(org, 'user', login);
}

const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'tfo-cli/2.3.1 (linux; amd64)',
];

/** A documentation-range IPv4 address for a key. */
export function documentationIp(key: number): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[key % 3] as string}.${10 + ((key >>> 4) % 240)}`;
}

function orgRows(plan: DemoPlan, org: DemoOrg): Record<string, Row[]> {
  const p = org.profile;
  const anchor = plan.anchor;
  const out: Record<string, Row[]> = {
    workspaces: [],
    users: [],
    roles: [],
    user_roles: [],
    user_sessions: [],
    role_grants: [],
    tenants: [],
  };
  for (const w of p.workspaces) {
    out['workspaces']?.push({
      id: org.workspaceIds.get(w.slug),
      organization_id: org.id,
      name: w.name,
      slug: w.slug,
      description: w.description,
      status: 'active',
      ...inventoryStamps(plan, valueKey(org, 'workspace', w.slug)),
    });
  }
  for (const t of p.tenants) {
    out['tenants']?.push({
      id: org.tenantIds.get(t.slug),
      organization_id: org.id,
      workspace_id: org.workspaceIds.get(t.workspace),
      name: t.name,
      slug: t.slug,
      region_code: t.region,
      status: 'active',
      ...inventoryStamps(plan, valueKey(org, 'tenant', t.slug)),
    });
  }
  for (const r of ROLES) {
    const id = entityId(org, 'role', r.name);
    const stamps = inventoryStamps(plan, valueKey(org, 'role', r.name));
    out['roles']?.push({
      id,
      organization_id: org.id,
      name: r.name,
      description: r.description,
      is_system: r.system,
      ...stamps,
    });
    for (const [resource, action] of DEMO_PERMISSIONS) {
      if (roleGrants(r.name, resource, action))
        out['role_grants']?.push({
          role_id: id,
          resource,
          action,
          organization_id: org.id,
          created_at: stamps.created_at,
        });
    }
  }
  const owner = p.users[0];
  for (const u of p.users) {
    const key = valueKey(org, 'user', u.login);
    const id = userId(org, u.login);
    const lastLogin =
      u.status === 'invited'
        ? null
        : u.status === 'suspended'
          ? anchor - 41 * DAY
          : anchor - Math.floor(unit(hash2(key, 1)) * 36 * HOUR) - 5 * MINUTE;
    out['users']?.push({
      id,
      organization_id: org.id,
      email: userEmail(org, u.login),
      name: u.name,
      status: u.status,
      mfa_enabled: u.mfa,
      last_login_at: lastLogin === null ? null : pgTime(lastLogin),
      timezone: u.timezone,
      locale: u.locale,
      ...inventoryStamps(plan, key),
    });
    for (const roleName of u.roles) {
      out['user_roles']?.push({
        user_id: id,
        role_id: entityId(org, 'role', roleName),
        organization_id: org.id,
        workspace_id:
          roleName === 'On-call engineer' ? org.workspaceIds.get(p.workspaces[0]?.slug ?? '') : null,
        assigned_by: owner === undefined || owner.login === u.login ? null : userId(org, owner.login),
        created_at: inventoryStamps(plan, hash2(key, hashString(roleName))).created_at,
      });
    }
    if (lastLogin !== null && u.status === 'active') {
      const sessions = 1 + (hash2(key, 2) % 3);
      for (let i = 0; i < sessions; i++) {
        const sk = hash3(key, 3, i);
        const started = lastLogin - i * Math.floor((1 + unit(sk) * 3) * DAY);
        const revoked = i === 2 ? started + 2 * HOUR : null;
        out['user_sessions']?.push({
          id: uuidFromKey(hash3(org.idKey, hashString(u.login), 0x5e55 + i)),
          organization_id: org.id,
          user_id: id,
          ip_address: documentationIp(sk),
          user_agent: u.login.endsWith('-bot')
            ? 'tfo-deployer/1.4 (ci)'
            : (AGENTS[sk % AGENTS.length] as string),
          last_active_at: pgTime(
            Math.min(anchor - MINUTE, started + Math.floor(unit(hash2(sk, 4)) * 6 * HOUR)),
          ),
          expires_at: pgTime(started + 14 * DAY),
          revoked_at: revoked === null ? null : pgTime(revoked),
          created_at: pgTime(started),
          updated_at: pgTime(Math.min(anchor - MINUTE, started + HOUR)),
        });
      }
    }
  }
  return out;
}

/** The tenancy and IAM family (inventory only). */
export const tenancyFamily: DemoFamily = {
  name: 'tenancy',
  pgTables: [
    'regions',
    'plans',
    'organizations',
    'workspaces',
    'tenants',
    'users',
    'roles',
    'permissions',
    'role_permissions',
    'user_roles',
    'user_sessions',
  ],
  inventory(plan) {
    const stamps = (key: string): { created_at: string; updated_at: string } =>
      inventoryStamps(plan, hash2(plan.seedKey, hashString(key)));
    const writes: PgWrite[] = [
      pgRows(
        'regions',
        DEMO_REGIONS.map((r) => ({
          id: uuidFromKey(hash2(plan.seedKey, hashString(`region:${r.code}`))),
          ...r,
          status: 'active',
          ...stamps(`region:${r.code}`),
        })),
      ),
      pgRows(
        'plans',
        PLANS.map((p) => ({
          id: uuidFromKey(hash2(plan.seedKey, hashString(`plan:${String(p['code'])}`))),
          ...p,
          ...stamps(`plan:${String(p['code'])}`),
        })),
      ),
      pgRows(
        'permissions',
        DEMO_PERMISSIONS.map(([resource, action]) => ({
          id: uuidFromKey(hash2(plan.seedKey, hashString(`perm:${resource}:${action}`))),
          resource,
          action,
          description: `${action} ${resource.replaceAll('_', ' ')}`,
          ...stamps(`perm:${resource}:${action}`),
        })),
      ),
      pgRows(
        'organizations',
        plan.orgs.map((o) => ({
          id: o.id,
          name: o.name,
          slug: o.slug,
          plan: o.profile.plan,
          region: o.profile.region,
          status: 'active',
          ...inventoryStamps(plan, o.valueKey),
        })),
      ),
    ];
    const parts = plan.orgs.map((o) => orgRows(plan, o));
    const all = (table: string): Row[] => parts.flatMap((p) => p[table] ?? []);
    writes.push(pgRows('workspaces', all('workspaces')));
    writes.push(
      pgStatement(
        'tenants',
        `INSERT INTO tenants (id, organization_id, workspace_id, name, slug, region_id, status, created_at, updated_at)
         SELECT r.id, r.organization_id, r.workspace_id, r.name, r.slug, g.id, r.status, r.created_at, r.updated_at
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, organization_id uuid, workspace_id uuid, name text, slug text,
                region_code text, status text, created_at timestamptz, updated_at timestamptz)
           LEFT JOIN regions g ON g.code = r.region_code
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(all('tenants'))],
      ),
    );
    writes.push(pgRows('users', all('users')));
    writes.push(pgRows('roles', all('roles')));
    writes.push(
      pgStatement(
        'role_permissions',
        `INSERT INTO role_permissions (role_id, permission_id, organization_id, created_at)
         SELECT r.role_id, p.id, r.organization_id, r.created_at
           FROM jsonb_to_recordset($1::jsonb) AS r(role_id uuid, resource text, action text, organization_id uuid, created_at timestamptz)
           JOIN permissions p ON p.resource = r.resource AND p.action = r.action
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(all('role_grants'))],
      ),
    );
    writes.push(pgRows('user_roles', all('user_roles')));
    writes.push(pgRows('user_sessions', all('user_sessions')));
    return writes;
  },
};
