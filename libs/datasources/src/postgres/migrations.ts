/**
 * Versioned PostgreSQL migrations: the TFO-Platform tables the context collector
 * reads, the server's own tables, and the `tfo_readonly` role the SQL tools use.
 *
 * Invariants:
 * - Each migration runs in its own transaction and is recorded in
 *   `schema_migrations (version, name, checksum, applied_at)`; re-running is a no-op.
 * - A transaction-scoped advisory lock serialises migrators: two processes never
 *   apply the same migration, the second one sees it recorded and skips it.
 * - An applied migration whose checksum changed is an error (edit by adding a new
 *   version, never by rewriting an old one).
 * - Nothing destructive: only CREATE ... IF NOT EXISTS, additive ALTERs and GRANTs.
 * - Every tenant-scoped table has `organization_id uuid` with an index.
 * - No secrets in tables: api_keys keep `key_hash` and `key_prefix` only,
 *   Kubernetes secrets keep metadata only, providers keep a secret *reference*.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { DependencyError, noopLogger, type Logger } from '@tfo/domain';
import type { PostgresExecutor, PostgresWriter } from './postgres-datasource.js';

/** One migration: a version, a name and the SQL it runs. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** Name of the login role the read-only pool uses. */
export const READONLY_ROLE = 'tfo_readonly';

/** Advisory lock key (any constant bigint; "tfo-mcp" in ASCII). */
const LOCK_KEY = 0x74666f2d6d6370n;

const ORG = `organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE`;
const STAMPS = `created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

/** Builds `CREATE TABLE IF NOT EXISTS` plus the organization_id index for a tenant table. */
function tenantTable(name: string, columns: string): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ${ORG},
  ${columns},
  ${STAMPS}
);
CREATE INDEX IF NOT EXISTS ${name}_organization_id_idx ON ${name} (organization_id);
`;
}

const TENANCY_IAM = `
CREATE TABLE IF NOT EXISTS regions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  provider text,
  status text NOT NULL DEFAULT 'active',
  ${STAMPS}
);
CREATE TABLE IF NOT EXISTS plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  price_usd_monthly numeric(12,2) NOT NULL DEFAULT 0,
  max_users integer,
  max_hosts integer,
  retention_days integer,
  features jsonb NOT NULL DEFAULT '{}'::jsonb,
  ${STAMPS}
);
CREATE TABLE IF NOT EXISTS organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  plan text NOT NULL DEFAULT 'free',
  region text,
  status text NOT NULL DEFAULT 'active',
  ${STAMPS}
);
${tenantTable('workspaces', `name text NOT NULL, slug text NOT NULL, description text, status text NOT NULL DEFAULT 'active', UNIQUE (organization_id, slug)`)}
${tenantTable('tenants', `workspace_id uuid REFERENCES workspaces(id) ON DELETE CASCADE, name text NOT NULL, slug text NOT NULL, region_id uuid REFERENCES regions(id), status text NOT NULL DEFAULT 'active'`)}
CREATE INDEX IF NOT EXISTS tenants_workspace_id_idx ON tenants (workspace_id);
${tenantTable('users', `email text NOT NULL, name text, status text NOT NULL DEFAULT 'active', mfa_enabled boolean NOT NULL DEFAULT false, last_login_at timestamptz, timezone text, locale text, UNIQUE (organization_id, email)`)}
${tenantTable('roles', `name text NOT NULL, description text, is_system boolean NOT NULL DEFAULT false, UNIQUE (organization_id, name)`)}
CREATE TABLE IF NOT EXISTS permissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource text NOT NULL,
  action text NOT NULL,
  description text,
  ${STAMPS},
  UNIQUE (resource, action)
);
CREATE TABLE IF NOT EXISTS role_permissions (
  role_id uuid NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  permission_id uuid NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (role_id, permission_id)
);
CREATE INDEX IF NOT EXISTS role_permissions_organization_id_idx ON role_permissions (organization_id);
CREATE TABLE IF NOT EXISTS user_roles (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role_id uuid NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  workspace_id uuid REFERENCES workspaces(id) ON DELETE CASCADE,
  assigned_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX IF NOT EXISTS user_roles_organization_id_idx ON user_roles (organization_id);
${tenantTable('user_sessions', `user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE, ip_address inet, user_agent text, last_active_at timestamptz, expires_at timestamptz, revoked_at timestamptz`)}
CREATE INDEX IF NOT EXISTS user_sessions_user_id_idx ON user_sessions (user_id);
`;

const PLATFORM = `
${tenantTable('alert_rules', `name text NOT NULL, description text, severity text NOT NULL DEFAULT 'warning', state text NOT NULL DEFAULT 'ok', enabled boolean NOT NULL DEFAULT true, query text, condition jsonb NOT NULL DEFAULT '{}'::jsonb, service_name text, last_triggered_at timestamptz`)}
${tenantTable('alert_instances', `rule_id uuid REFERENCES alert_rules(id) ON DELETE SET NULL, title text NOT NULL, severity text NOT NULL, status text NOT NULL DEFAULT 'firing', starts_at timestamptz NOT NULL, ends_at timestamptz, labels jsonb NOT NULL DEFAULT '{}'::jsonb, annotations jsonb NOT NULL DEFAULT '{}'::jsonb`)}
CREATE INDEX IF NOT EXISTS alert_instances_org_starts_idx ON alert_instances (organization_id, starts_at DESC);
${tenantTable('agents', `name text NOT NULL, host text, type text NOT NULL, version text, status text NOT NULL DEFAULT 'online', os text, ip_address inet, last_heartbeat timestamptz, labels jsonb NOT NULL DEFAULT '{}'::jsonb`)}
${tenantTable('kubernetes_clusters', `name text NOT NULL, provider text, region text, version text, status text NOT NULL DEFAULT 'healthy', node_count integer NOT NULL DEFAULT 0, last_seen_at timestamptz`)}
${tenantTable('kubernetes_namespaces', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, name text NOT NULL, status text NOT NULL DEFAULT 'Active', labels jsonb NOT NULL DEFAULT '{}'::jsonb`)}
${tenantTable('kubernetes_nodes', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, name text NOT NULL, status text NOT NULL DEFAULT 'Ready', roles text[] NOT NULL DEFAULT '{}', kubelet_version text, cpu_capacity numeric, memory_capacity_bytes bigint, pod_capacity integer, labels jsonb NOT NULL DEFAULT '{}'::jsonb`)}
${tenantTable('kubernetes_pods', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, namespace text NOT NULL, name text NOT NULL, node_name text, phase text NOT NULL DEFAULT 'Running', restart_count integer NOT NULL DEFAULT 0, owner_kind text, owner_name text, started_at timestamptz, labels jsonb NOT NULL DEFAULT '{}'::jsonb`)}
${tenantTable('kubernetes_deployments', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, namespace text NOT NULL, name text NOT NULL, replicas integer NOT NULL DEFAULT 1, ready_replicas integer NOT NULL DEFAULT 0, available_replicas integer NOT NULL DEFAULT 0, image text, strategy text, last_rollout_at timestamptz`)}
${tenantTable('kubernetes_persistent_volumes', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, name text NOT NULL, storage_class text, capacity_bytes bigint, access_modes text[] NOT NULL DEFAULT '{}', status text NOT NULL DEFAULT 'Bound', claim_namespace text, claim_name text`)}
${tenantTable('kubernetes_services', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, namespace text NOT NULL, name text NOT NULL, type text NOT NULL DEFAULT 'ClusterIP', cluster_ip text, ports jsonb NOT NULL DEFAULT '[]'::jsonb, selector jsonb NOT NULL DEFAULT '{}'::jsonb`)}
${tenantTable('kubernetes_hpas', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, namespace text NOT NULL, name text NOT NULL, target_kind text, target_name text, min_replicas integer, max_replicas integer, current_replicas integer, desired_replicas integer, metrics jsonb NOT NULL DEFAULT '[]'::jsonb`)}
${tenantTable('kubernetes_events', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, namespace text, involved_kind text, involved_name text, type text NOT NULL DEFAULT 'Normal', reason text, message text, count integer NOT NULL DEFAULT 1, first_seen_at timestamptz, last_seen_at timestamptz`)}
${tenantTable('kubernetes_configmaps', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, namespace text NOT NULL, name text NOT NULL, data_keys text[] NOT NULL DEFAULT '{}', labels jsonb NOT NULL DEFAULT '{}'::jsonb`)}
${tenantTable('kubernetes_secrets', `cluster_id uuid NOT NULL REFERENCES kubernetes_clusters(id) ON DELETE CASCADE, namespace text NOT NULL, name text NOT NULL, type text, data_keys text[] NOT NULL DEFAULT '{}', labels jsonb NOT NULL DEFAULT '{}'::jsonb`)}
COMMENT ON TABLE kubernetes_secrets IS 'Secret metadata only (names and key names); values are never stored';
${tenantTable('service_map_services', `workspace_id uuid, name text NOT NULL, type text, language text, version text, environment text, status text NOT NULL DEFAULT 'healthy', request_rate double precision, error_rate double precision, latency_ms double precision, last_seen_at timestamptz`)}
${tenantTable('service_map_dependencies', `source_service text NOT NULL, target_service text NOT NULL, protocol text, request_rate double precision, latency_ms double precision, error_rate double precision, last_seen_at timestamptz`)}
${tenantTable('network_map_nodes', `name text NOT NULL, type text, ip_address inet, zone text, status text NOT NULL DEFAULT 'up', labels jsonb NOT NULL DEFAULT '{}'::jsonb`)}
${tenantTable('network_map_connections', `source_node text NOT NULL, target_node text NOT NULL, protocol text, port integer, bytes_per_second double precision, packets_per_second double precision, latency_ms double precision, packet_loss double precision, status text NOT NULL DEFAULT 'active'`)}
${tenantTable('retention_policies', `signal_type text NOT NULL, retention_days integer NOT NULL, tier text, enabled boolean NOT NULL DEFAULT true`)}
${tenantTable('api_keys', `name text NOT NULL, key_prefix text NOT NULL, key_hash text NOT NULL UNIQUE, scopes text[] NOT NULL DEFAULT '{}', created_by uuid, last_used_at timestamptz, expires_at timestamptz, revoked_at timestamptz`)}
COMMENT ON COLUMN api_keys.key_hash IS 'SHA-256 of the key; plain keys are never stored';
${tenantTable('notification_channels', `name text NOT NULL, type text NOT NULL, enabled boolean NOT NULL DEFAULT true, config jsonb NOT NULL DEFAULT '{}'::jsonb, last_delivery_at timestamptz, last_delivery_status text`)}
${tenantTable('report_definitions', `name text NOT NULL, type text NOT NULL, schedule text, format text NOT NULL DEFAULT 'pdf', recipients text[] NOT NULL DEFAULT '{}', enabled boolean NOT NULL DEFAULT true`)}
${tenantTable('report_executions', `report_id uuid NOT NULL REFERENCES report_definitions(id) ON DELETE CASCADE, status text NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz, error_message text, output_size_bytes bigint`)}
${tenantTable('data_masking_policies', `name text NOT NULL, signal_type text NOT NULL, field_pattern text NOT NULL, strategy text NOT NULL DEFAULT 'redact', enabled boolean NOT NULL DEFAULT true`)}
${tenantTable('llm_providers', `name text NOT NULL, provider text NOT NULL, model text, base_url text, secret_ref text, enabled boolean NOT NULL DEFAULT true, is_default boolean NOT NULL DEFAULT false`)}
${tenantTable('sso_providers', `name text NOT NULL, type text NOT NULL, issuer text, client_id text, secret_ref text, enabled boolean NOT NULL DEFAULT true`)}
${tenantTable('database_instances', `name text NOT NULL, engine text NOT NULL, version text, host text, port integer, environment text, status text NOT NULL DEFAULT 'healthy', cloud_provider text, last_seen_at timestamptz`)}
${tenantTable('database_instance_rules', `database_instance_id uuid NOT NULL REFERENCES database_instances(id) ON DELETE CASCADE, name text NOT NULL, metric_name text, threshold double precision, severity text NOT NULL DEFAULT 'warning', enabled boolean NOT NULL DEFAULT true`)}
${tenantTable('database_instance_tags', `database_instance_id uuid NOT NULL REFERENCES database_instances(id) ON DELETE CASCADE, key text NOT NULL, value text NOT NULL`)}
${tenantTable('remediation_plans', `title text NOT NULL, service_name text, status text NOT NULL DEFAULT 'proposed', risk text, steps jsonb NOT NULL DEFAULT '[]'::jsonb, source_anomaly_id text, executed_at timestamptz`)}
${tenantTable('slo_definitions', `name text NOT NULL, service_name text NOT NULL, sli_type text NOT NULL, objective double precision NOT NULL, window_days integer NOT NULL DEFAULT 30, threshold_ms double precision, enabled boolean NOT NULL DEFAULT true`)}
${tenantTable('change_events', `service_name text, type text NOT NULL, title text NOT NULL, description text, version text, author text, occurred_at timestamptz NOT NULL`)}
CREATE INDEX IF NOT EXISTS change_events_org_occurred_idx ON change_events (organization_id, occurred_at DESC);
${tenantTable('security_findings', `category text NOT NULL, severity text NOT NULL, title text NOT NULL, resource text, service_name text, status text NOT NULL DEFAULT 'open', cve text, detected_at timestamptz NOT NULL, resolved_at timestamptz`)}
${tenantTable('uptime_monitors', `name text NOT NULL, url text NOT NULL, method text NOT NULL DEFAULT 'GET', interval_seconds integer NOT NULL DEFAULT 60, regions text[] NOT NULL DEFAULT '{}', enabled boolean NOT NULL DEFAULT true, expected_status integer NOT NULL DEFAULT 200`)}
`;

const SERVER_TABLES = `
CREATE TABLE IF NOT EXISTS mcp_sessions (
  id text PRIMARY KEY,
  organization_id uuid,
  transport text NOT NULL,
  state text NOT NULL,
  client_name text,
  client_version text,
  protocol_version text,
  tool_calls integer NOT NULL DEFAULT 0,
  tool_errors integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  closed_at timestamptz
);
CREATE INDEX IF NOT EXISTS mcp_sessions_organization_id_idx ON mcp_sessions (organization_id);
CREATE INDEX IF NOT EXISTS mcp_sessions_state_idx ON mcp_sessions (state, created_at DESC);
CREATE TABLE IF NOT EXISTS mcp_conversations (
  id text PRIMARY KEY,
  session_id text,
  organization_id uuid,
  model text NOT NULL,
  system_prompt text,
  status text NOT NULL,
  total_input_tokens bigint NOT NULL DEFAULT 0,
  total_output_tokens bigint NOT NULL DEFAULT 0,
  error_message text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS mcp_conversations_organization_id_idx ON mcp_conversations (organization_id);
CREATE INDEX IF NOT EXISTS mcp_conversations_session_id_idx ON mcp_conversations (session_id);
CREATE TABLE IF NOT EXISTS mcp_messages (
  id text PRIMARY KEY,
  conversation_id text NOT NULL REFERENCES mcp_conversations(id) ON DELETE CASCADE,
  organization_id uuid,
  seq integer NOT NULL,
  role text NOT NULL,
  content jsonb NOT NULL,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  model text,
  created_at timestamptz NOT NULL,
  UNIQUE (conversation_id, seq)
);
CREATE INDEX IF NOT EXISTS mcp_messages_organization_id_idx ON mcp_messages (organization_id);
`;

/*
 * The read-only login role. Created only when the migrating role may create roles
 * (a managed server's operator may create it instead); granted SELECT on the schema
 * (present and future tables) and nothing else. No password here: see
 * {@link ensureReadonlyLogin}. api_keys.key_hash is withheld from it.
 */
const READONLY = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${READONLY_ROLE}')
     AND (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    CREATE ROLE ${READONLY_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${READONLY_ROLE}') THEN
    EXECUTE 'GRANT USAGE ON SCHEMA public TO ${READONLY_ROLE}';
    EXECUTE 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${READONLY_ROLE}';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${READONLY_ROLE}';
    EXECUTE 'REVOKE SELECT ON api_keys FROM ${READONLY_ROLE}';
    EXECUTE 'GRANT SELECT (id, organization_id, name, key_prefix, scopes, created_by, last_used_at, expires_at, revoked_at, created_at, updated_at) ON api_keys TO ${READONLY_ROLE}';
  END IF;
END
$$;
`;

/*
 * Bookkeeping of the demo estate generator (one row per estate, keyed by its primary
 * organization): the seed and size it was generated with, its anchor (end of the first
 * window), how far it has been generated, and a lease that keeps two generators from
 * writing the same estate at once.
 */
const DEMO_ESTATE = `
CREATE TABLE IF NOT EXISTS demo_estate (
  organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  organization_ids uuid[] NOT NULL,
  seed bigint NOT NULL,
  size text NOT NULL,
  size_spec jsonb NOT NULL,
  generator_version integer NOT NULL,
  anchor timestamptz NOT NULL,
  generated_until timestamptz NOT NULL,
  lease_until timestamptz,
  ${STAMPS}
);
COMMENT ON TABLE demo_estate IS 'Demo estate bookkeeping: seed, size, anchor and how far the generator has written';
`;

/** The migrations, in order. Append new versions; never edit an applied one. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  { version: 1, name: 'tenancy_and_iam', sql: TENANCY_IAM },
  { version: 2, name: 'platform_inventory', sql: PLATFORM },
  { version: 3, name: 'mcp_server_tables', sql: SERVER_TABLES },
  { version: 4, name: 'readonly_role', sql: READONLY },
  { version: 5, name: 'demo_estate', sql: DEMO_ESTATE },
];

/** SHA-256 of a migration's SQL. */
export function migrationChecksum(migration: PostgresMigration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

/** What {@link runPostgresMigrations} did. */
export interface MigrationReport {
  applied: number[];
  skipped: number[];
}

async function appliedChecksum(tx: PostgresExecutor, version: number): Promise<string | undefined> {
  const found = await tx.execute<{ checksum: string }>(
    'SELECT checksum FROM schema_migrations WHERE version = $1',
    [version],
  );
  return found.rows[0]?.checksum;
}

/**
 * Applies every pending migration, each in its own transaction under an advisory
 * lock. Idempotent; throws DependencyError `DATASOURCE.MIGRATION_CHECKSUM_MISMATCH`
 * when an applied migration was edited.
 */
export async function runPostgresMigrations(
  writer: PostgresWriter,
  options: { logger?: Logger; migrations?: readonly PostgresMigration[] } = {},
): Promise<MigrationReport> {
  const logger = (options.logger ?? noopLogger).child({ component: 'postgres-migrations' });
  const report: MigrationReport = { applied: [], skipped: [] };
  const lock = (tx: PostgresExecutor) =>
    tx.execute('SELECT pg_advisory_xact_lock($1::bigint)', [LOCK_KEY.toString()]);
  await writer.transaction(async (tx) => {
    await lock(tx);
    await tx.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  for (const migration of options.migrations ?? POSTGRES_MIGRATIONS) {
    const checksum = migrationChecksum(migration);
    const applied = await writer.transaction(async (tx) => {
      await lock(tx);
      const existing = await appliedChecksum(tx, migration.version);
      if (existing !== undefined) {
        if (existing !== checksum) {
          throw new DependencyError(
            `PostgreSQL migration ${migration.version} (${migration.name}) was changed after it was applied; ` +
              'add a new migration instead of editing an applied one',
            { code: 'DATASOURCE.MIGRATION_CHECKSUM_MISMATCH', details: { version: migration.version } },
          );
        }
        return false;
      }
      // Multi-statement DDL without parameters: the simple protocol is intended here.
      await tx.execute(migration.sql);
      await tx.execute('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        checksum,
      ]);
      return true;
    });
    (applied ? report.applied : report.skipped).push(migration.version);
    if (applied)
      logger.info({ version: migration.version, name: migration.name }, 'applied PostgreSQL migration');
  }
  return report;
}

/**
 * A SCRAM-SHA-256 verifier for `password` (RFC 5802 / 7677, PostgreSQL's stored form):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. Sending this instead of the
 * password keeps the password itself out of the server's statement log.
 */
export function scramSha256Verifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Sets (or rotates) the password of the `tfo_readonly` login role. Kept out of the
 * migrations because it is a secret; only its SCRAM verifier is sent, never the password.
 * Needs a role allowed to ALTER ROLE.
 */
export async function ensureReadonlyLogin(writer: PostgresWriter, password: string): Promise<void> {
  if (password.length < 12) {
    throw new DependencyError('The read-only role password must have at least 12 characters', {
      code: 'DATASOURCE.WEAK_PASSWORD',
    });
  }
  const verifier = scramSha256Verifier(password);
  await writer.execute(`ALTER ROLE ${READONLY_ROLE} WITH LOGIN PASSWORD ${pg.escapeLiteral(verifier)}`);
}
