/**
 * Identity and tenancy specs (PostgreSQL): users, roles, permissions and assignments of
 * the caller's organization; its own organization row, workspaces, tenants and the
 * regions they live in. Global catalogs (permissions, regions, plans) are only ever read
 * through the organization's own rows, so no other organization is visible.
 */
import { countBy, fmt, list, num, str, tally, when, type Row } from '../format.js';
import { byContextId, countText, pgList, problemsText } from '../queries/inventory.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import { pg } from '../sql.js';
import { sentences, viewSpec } from './common.js';

/** Users of the organization (no secrets are stored in the table). */
export const users: SourceBuilder = pgList({
  from: 'users',
  columns: 'id, email, name, status, mfa_enabled, last_login_at, timezone, locale, created_at',
  orderBy: 'last_login_at DESC NULLS LAST, email',
  where: (b) =>
    b.input.contextId === undefined
      ? undefined
      : `email = ${b.bind(b.input.contextId)} OR id::text = $${b.params.length}`,
  limitFactor: 5,
});

const roles: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT r.name, r.description, r.is_system,
             (SELECT count(*) FROM user_roles ur WHERE ur.organization_id = r.organization_id AND ur.role_id = r.id) AS users,
             (SELECT count(*) FROM role_permissions rp WHERE rp.organization_id = r.organization_id AND rp.role_id = r.id) AS permissions
      FROM roles r
      WHERE ${b.scope('r')}
      ORDER BY users DESC, r.name
      LIMIT ${b.limit(5)}`,
  );

const permissions: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT p.resource, p.action, array_agg(r.name ORDER BY r.name) AS roles
      FROM role_permissions rp
      JOIN permissions p ON p.id = rp.permission_id
      JOIN roles r ON r.id = rp.role_id AND r.organization_id = rp.organization_id
      WHERE ${b.scope('rp')}
      GROUP BY p.resource, p.action
      ORDER BY p.resource, p.action
      LIMIT ${b.limit(10)}`,
  );

const matrix: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT r.name AS role, array_remove(array_agg(p.resource || ':' || p.action ORDER BY p.resource, p.action), NULL) AS permissions
      FROM roles r
      LEFT JOIN role_permissions rp ON rp.role_id = r.id AND rp.organization_id = r.organization_id
      LEFT JOIN permissions p ON p.id = rp.permission_id
      WHERE ${b.scope('r')}
      GROUP BY r.name
      ORDER BY r.name
      LIMIT ${b.limit(5)}`,
  );

/** Role assignments with the user and role names. */
export const assignments: SourceBuilder = (input) =>
  pg(input, (b) => {
    const narrow =
      input.contextId === undefined
        ? ''
        : ` AND (u.email = ${b.bind(input.contextId)} OR r.name = $${b.params.length})`;
    return `
      SELECT u.email, u.status, r.name AS role, w.name AS workspace, ur.created_at
      FROM user_roles ur
      JOIN users u ON u.id = ur.user_id AND u.organization_id = ur.organization_id
      JOIN roles r ON r.id = ur.role_id AND r.organization_id = ur.organization_id
      LEFT JOIN workspaces w ON w.id = ur.workspace_id AND w.organization_id = ur.organization_id
      WHERE ${b.scope('ur')}${narrow}
      ORDER BY r.name, u.email
      LIMIT ${b.limit(10)}`;
  });

/** The organization's own row (organizations has no organization_id column; `id` is exposed as one). */
export const organization: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT name, slug, plan, region, status, created_at
      FROM (SELECT o.*, o.id AS organization_id FROM organizations o) org
      WHERE ${b.scope()}
      LIMIT 1`,
  );

const workspaces = pgList({
  from: 'workspaces',
  columns: 'id, name, slug, description, status, created_at',
  orderBy: 'name',
  where: byContextId('slug'),
});

const tenants: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT t.name, t.slug, t.status, w.name AS workspace, rg.code AS region
      FROM tenants t
      LEFT JOIN workspaces w ON w.id = t.workspace_id AND w.organization_id = t.organization_id
      LEFT JOIN regions rg ON rg.id = t.region_id
      WHERE ${b.scope('t')}
      ORDER BY w.name, t.name
      LIMIT ${b.limit(5)}`,
  );

const regions: SourceBuilder = (input) =>
  pg(
    input,
    (b) => `
      SELECT rg.code, rg.name, rg.provider, rg.status,
             (SELECT count(*) FROM tenants t WHERE t.organization_id = $1 AND t.region_id = rg.id) AS tenants
      FROM regions rg
      WHERE rg.id IN (SELECT region_id FROM tenants WHERE ${b.scope()})
         OR rg.code IN (SELECT region FROM (SELECT o.region, o.id AS organization_id FROM organizations o) org WHERE ${b.scope()})
      ORDER BY rg.code
      LIMIT ${b.limit()}`,
  );

function usersText(rows: readonly Row[]): string {
  const active = rows.filter((u) => str(u['status']) === 'active');
  const noMfa = active.filter((u) => u['mfa_enabled'] === false).map((u) => str(u['email']));
  return sentences(
    `${countText(rows, 'users', 'status')}.`,
    noMfa.length > 0 ? `Active users without MFA: ${list(noMfa, 5)}.` : 'Every active user has MFA.',
  );
}

/** The IAM and tenancy specs. */
export const iamTenancySpecs: readonly ContextSpec[] = [
  viewSpec('iam', { users, roles, assignments }, (rows) => ({
    summary: sentences(
      usersText(rows.get('users')),
      `${rows.get('roles').length} roles: ${list(
        rows
          .get('roles')
          .map(
            (r) =>
              `${str(r['name'])} (${fmt(num(r['users']), 0)} users, ${fmt(num(r['permissions']), 0)} permissions)`,
          ),
        6,
      )}.`,
      `${rows.get('assignments').length} role assignments.`,
    ),
    data: { users: rows.get('users'), roles: rows.get('roles'), assignments: rows.get('assignments') },
  })),
  viewSpec('iam-users', { users }, (rows) => {
    const items = rows.get('users');
    const suspended = items
      .filter((u) => str(u['status']) !== 'active')
      .map((u) => `${str(u['email'])} ${str(u['status'])}`);
    return {
      summary: sentences(
        usersText(items),
        problemsText(suspended, 'Not active'),
        `Most recent login: ${list(
          items.slice(0, 3).map((u) => `${str(u['email'])} at ${when(u['last_login_at'])}`),
          3,
        )}.`,
      ),
      data: { users: items },
    };
  }),
  viewSpec('iam-roles', { roles }, (rows) => ({
    summary: `${countText(rows.get('roles'), 'roles')}: ${list(
      rows
        .get('roles')
        .map(
          (r) =>
            `${str(r['name'])}${r['is_system'] === true ? ' (system)' : ''} held by ${fmt(num(r['users']), 0)} users with ${fmt(num(r['permissions']), 0)} permissions`,
        ),
      8,
    )}.`,
    data: { roles: rows.get('roles') },
  })),
  viewSpec('iam-permissions', { permissions }, (rows) => ({
    summary: `${rows.get('permissions').length} permissions granted through roles; widest: ${list(
      [...rows.get('permissions')]
        .sort((a, b) => (b['roles'] as unknown[]).length - (a['roles'] as unknown[]).length)
        .map((p) => `${str(p['resource'])}:${str(p['action'])} (${(p['roles'] as unknown[]).length} roles)`),
      5,
    )}.`,
    data: { permissions: rows.get('permissions') },
  })),
  viewSpec('iam-matrix', { matrix }, (rows) => ({
    summary: `Role-by-permission matrix of ${rows.get('matrix').length} roles: ${list(
      rows
        .get('matrix')
        .map((r) => `${str(r['role'])} ${(r['permissions'] as unknown[]).length} permissions`),
      8,
    )}.`,
    data: { matrix: rows.get('matrix') },
  })),
  viewSpec('iam-assignments', { assignments }, (rows) => ({
    summary: `${rows.get('assignments').length} role assignments (${tally(countBy(rows.get('assignments'), 'role'))}).`,
    data: { assignments: rows.get('assignments') },
  })),
  viewSpec(
    'tenancy',
    { organization, workspaces, tenants },
    (rows) => {
      const org = rows.get('organization')[0];
      return {
        summary: sentences(
          org
            ? `Organization ${str(org['name'])} (${str(org['plan'])} plan, ${str(org['region'])}, ${str(org['status'])}).`
            : '',
          `${rows.get('workspaces').length} workspaces: ${list(
            rows.get('workspaces').map((w) => str(w['name'])),
            5,
          )}.`,
          `${countText(rows.get('tenants'), 'tenants', 'status')}.`,
        ),
        data: { organization: org ?? null, workspaces: rows.get('workspaces'), tenants: rows.get('tenants') },
      };
    },
    { required: ['organization'] },
  ),
  viewSpec('tenancy-regions', { regions }, (rows) => ({
    summary: `${rows.get('regions').length} regions in use: ${list(
      rows
        .get('regions')
        .map(
          (r) =>
            `${str(r['code'])} (${str(r['provider'])}, ${fmt(num(r['tenants']), 0)} tenants, ${str(r['status'])})`,
        ),
      5,
    )}.`,
    data: { regions: rows.get('regions') },
  })),
  viewSpec('tenancy-organizations', { organization }, (rows) => {
    const org = rows.get('organization')[0] ?? {};
    return {
      summary: `Organization ${str(org['name'])} (${str(org['slug'])}): ${str(org['plan'])} plan in ${str(org['region'])}, status ${str(org['status'])}, created ${when(org['created_at'])}. Only the caller's own organization is visible.`,
      data: { organization: org },
    };
  }),
  viewSpec('tenancy-workspaces', { workspaces }, (rows) => ({
    summary: `${countText(rows.get('workspaces'), 'workspaces', 'status')}: ${list(
      rows.get('workspaces').map((w) => `${str(w['name'])} (${str(w['description'])})`),
      5,
    )}.`,
    data: { workspaces: rows.get('workspaces') },
  })),
  viewSpec('tenancy-tenants', { tenants }, (rows) => ({
    summary: `${countText(rows.get('tenants'), 'tenants', 'status')}: ${list(
      rows.get('tenants').map((t) => `${str(t['name'])} in ${str(t['workspace'])} (${str(t['region'])})`),
      6,
    )}.`,
    data: { tenants: rows.get('tenants') },
  })),
];
