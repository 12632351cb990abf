/**
 * Account specs: the signed-in user's own rows (users, user_sessions, user_roles). They
 * need a `userId`; without one no query runs and the context says so. The user is
 * matched by id AND organization, so a user id of another organization yields nothing.
 */
import type { ContextType } from '@tfo/domain';
import { fmt, list, str, when } from '../format.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import { pg } from '../sql.js';
import { sentences, viewSpec } from './common.js';
import { channels, channelsText } from './platform.js';

const NEEDS_USER = 'Account context needs the signed-in user: pass userId.';

const me: SourceBuilder = (input) =>
  input.userId === undefined
    ? null
    : pg(
        input,
        (b) => `
          SELECT id, email, name, status, mfa_enabled, last_login_at, timezone, locale, created_at, updated_at
          FROM users WHERE ${b.scope()} AND id::text = ${b.bind(input.userId)} LIMIT 1`,
      );

const sessions: SourceBuilder = (input) =>
  input.userId === undefined
    ? null
    : pg(
        input,
        (b) => `
          SELECT host(ip_address) AS ip_address, user_agent, last_active_at, expires_at, revoked_at, created_at
          FROM user_sessions WHERE ${b.scope()} AND user_id::text = ${b.bind(input.userId)}
          ORDER BY last_active_at DESC NULLS LAST LIMIT ${b.limit()}`,
      );

const myRoles: SourceBuilder = (input) =>
  input.userId === undefined
    ? null
    : pg(
        input,
        (b) => `
          SELECT r.name AS role, w.name AS workspace, org.name AS organization, org.plan
          FROM user_roles ur
          JOIN roles r ON r.id = ur.role_id AND r.organization_id = ur.organization_id
          LEFT JOIN workspaces w ON w.id = ur.workspace_id AND w.organization_id = ur.organization_id
          JOIN organizations org ON org.id = ur.organization_id
          WHERE ${b.scope('ur')} AND ur.user_id::text = ${b.bind(input.userId)}
          LIMIT ${b.limit()}`,
      );

function accountSpec(
  key: ContextType,
  sources: Record<string, SourceBuilder>,
  text: (rows: Parameters<Parameters<typeof viewSpec>[2]>[0], user: Record<string, unknown>) => string,
): ContextSpec {
  return viewSpec(
    key,
    sources,
    (rows) => {
      const user = rows.get('me')[0] ?? {};
      const data: Record<string, unknown> = {};
      for (const name of Object.keys(sources))
        data[name === 'me' ? 'user' : name] = name === 'me' ? user : rows.get(name);
      return { summary: text(rows, user), data };
    },
    {
      required: ['me'],
      noDataDetail: (input) =>
        input.userId === undefined ? NEEDS_USER : 'The user was not found in this organization.',
    },
  );
}

/** The account specs. */
export const accountSpecs: readonly ContextSpec[] = [
  accountSpec(
    'account-profile',
    { me },
    (_r, u) =>
      `${str(u['name'])} <${str(u['email'])}>, ${str(u['status'])}, member since ${when(u['created_at'])}, last login ${when(u['last_login_at'])}.`,
  ),
  accountSpec('account-security', { me, sessions }, (r, u) => {
    const active = r.get('sessions').filter((s) => s['revoked_at'] === null);
    return sentences(
      `${str(u['email'])}: MFA ${u['mfa_enabled'] === true ? 'enabled' : 'NOT enabled'}, status ${str(u['status'])}, last login ${when(u['last_login_at'])}.`,
      `${active.length} sessions not revoked from ${new Set(active.map((s) => str(s['ip_address']))).size} addresses.`,
    );
  }),
  accountSpec('account-sessions', { me, sessions }, (r) => {
    const items = r.get('sessions');
    return `${items.length} sessions; latest: ${list(
      items
        .slice(0, 3)
        .map(
          (s) =>
            `${str(s['ip_address'])} ${str(s['user_agent']).slice(0, 40)} active ${when(s['last_active_at'])}${s['revoked_at'] === null ? '' : ' (revoked)'}`,
        ),
      3,
    )}.`;
  }),
  accountSpec('account-notifications', { me, channels }, (r, u) =>
    sentences(
      `Per-user subscriptions are not recorded; ${str(u['email'])} receives what the organization's channels deliver.`,
      channelsText(r.get('channels')),
    ),
  ),
  accountSpec(
    'account-preferences',
    { me },
    (_r, u) =>
      `Time zone ${str(u['timezone']) || 'not set'}, locale ${str(u['locale']) || 'not set'}; profile last updated ${when(u['updated_at'])}.`,
  ),
  accountSpec('account-organization', { me, roles: myRoles }, (r, u) => {
    const roles = r.get('roles');
    const org = roles[0];
    return sentences(
      org
        ? `${str(u['email'])} belongs to ${str(org['organization'])} (${str(org['plan'])} plan).`
        : `${str(u['email'])} holds no role.`,
      roles.length > 0
        ? `Roles: ${list(
            roles.map((x) => `${str(x['role'])}${x['workspace'] ? ` in ${str(x['workspace'])}` : ''}`),
            5,
          )} (${fmt(roles.length, 0)}).`
        : '',
    );
  }),
];
