/**
 * The table reference in docs/schema.md, rendered from the migrations of both engines.
 * A unit spec compares the document with this output, so the reference cannot drift from
 * the DDL: a new table without a purpose below, or a changed column, fails the spec until
 * the document is regenerated.
 *
 * Invariants: pure (no I/O); the ClickHouse part is read through the schema catalog, the
 * PostgreSQL part by reading the `CREATE TABLE` / `CREATE INDEX` / `COMMENT ON` /
 * `ALTER TABLE ... ADD COLUMN` statements of each migration.
 */
import { CLICKHOUSE_MIGRATIONS, type ClickHouseMigration } from './clickhouse/migrations.js';
import {
  describeClickHouseSchema,
  splitTopLevel,
  type ClickHouseColumnInfo,
  type ClickHouseRollupInfo,
  type ClickHouseSchemaCatalog,
  type ClickHouseTableInfo,
} from './clickhouse/schema/catalog.js';
import { GRAINS } from './clickhouse/schema/grains.js';
import { POSTGRES_MIGRATIONS, type PostgresMigration } from './postgres/migrations.js';

/** Opening marker of the generated ClickHouse reference in docs/schema.md. */
export const CLICKHOUSE_BEGIN_MARKER = '<!-- BEGIN GENERATED CLICKHOUSE SCHEMA: do not edit by hand -->';
/** Closing marker of the generated ClickHouse reference. */
export const CLICKHOUSE_END_MARKER = '<!-- END GENERATED CLICKHOUSE SCHEMA -->';
/** Opening marker of the generated PostgreSQL reference in docs/schema.md. */
export const POSTGRES_BEGIN_MARKER = '<!-- BEGIN GENERATED POSTGRESQL SCHEMA: do not edit by hand -->';
/** Closing marker of the generated PostgreSQL reference. */
export const POSTGRES_END_MARKER = '<!-- END GENERATED POSTGRESQL SCHEMA -->';

/** What each ClickHouse raw table holds (rollups are described by their source). */
const CLICKHOUSE_PURPOSES: Record<string, string> = {
  metrics: 'Metric samples (gauges, counters, histograms summarised to a value) per service.',
  logs: 'Log records with severity, body and trace correlation.',
  traces: 'Spans: one row per span, with duration in nanoseconds and status.',
  exemplars: 'Metric exemplars: a sample value linked to the trace and span that produced it.',
  uptime_checks: 'Synthetic uptime probe results per monitor and region.',
  audit_logs: 'Audit trail of user and system actions (who did what to which resource, and the result).',
  tool_calls: "The MCP server's own record of each tool call (outcome, duration, error code).",
  api_usage: "The MCP server's LLM API usage (tokens, cost, duration) per provider and model.",
  session_analytics: "The MCP server's session lifecycle events (opened, closed).",
  error_analytics: 'Errors the MCP server answered, by source and error code.',
  vm_metrics: 'Host and virtual machine metrics (cpu.*, memory.*, disk.*, net.* metric names) per VM.',
  kubernetes_metrics:
    'Kubernetes metrics per cluster, resource (node, pod, deployment, ...) and namespace; ' +
    'control plane metrics are named apiserver.*, etcd.*, coredns.*.',
  service_map_metrics: 'Calls between services (edges of the service map): duration and error flag per call.',
  network_map_traffic: 'Traffic between network nodes: bytes and packets per link, protocol and port.',
  network_map_connection_metrics:
    'Connection quality between network nodes: latency, packet loss, connection count, retransmits.',
  signal_correlations:
    'Detected correlations between signals of a service (e.g. a latency rise that matches an error burst).',
  anomaly_events: 'Anomalies found in a metric: score, z-score, observed against expected value.',
  predictions: 'Failure predictions per resource and horizon: failure probability and health score.',
  cost_data: 'Cost records per service, provider and resource type, in USD with the usage behind them.',
  db_metrics:
    'Database instance metrics for every monitored engine (connections, replication lag, cache hit ratio, ...).',
  db_queries:
    'Executed statements per database instance, with a normalised fingerprint, duration, rows and error.',
  security_events: 'Security detections and enforcement actions (failed logins, blocked requests, ...).',
  resource_reads: "The MCP server's own record of each resource read (URI scheme, outcome, duration).",
};

/** Notes on rollup families whose purpose is more than "the source, rolled up". */
const CLICKHOUSE_ROLLUP_NOTES: Record<string, string> = {
  service_latency_percentiles: 'Request count and latency avg/p95/p99 per service and span name.',
  service_error_rates: 'Total requests and error count (status ERROR) per service.',
  cost_data_daily:
    'Daily cost per service and provider. TFO-Platform reads it as `cost_data_daily_mv`, the materialized ' +
    'view that fills it: a SELECT from a `TO` view reads its target.',
};

/** What each PostgreSQL table holds. */
const POSTGRES_PURPOSES: Record<string, string> = {
  demo_estate:
    'Bookkeeping of the demo estate generator: seed, size, anchor, how far it is generated and a lease against concurrent generators.',
  regions: 'Deployment regions an organization or tenant can live in.',
  plans: 'Subscription plans and their limits.',
  organizations: 'Top-level tenants; every tenant-scoped row points here.',
  workspaces: 'Workspaces inside an organization.',
  tenants: 'Tenants inside a workspace (the third tenancy level).',
  users: 'User accounts of an organization (status, MFA, last login).',
  roles: 'Roles of an organization (system and custom).',
  permissions: 'The permission catalog: resource and action pairs.',
  role_permissions: 'Which permissions a role grants.',
  user_roles: 'Which roles a user holds, optionally per workspace.',
  user_sessions: 'Login sessions of users (device, IP, expiry, revocation).',
  alert_rules: 'Alert rule definitions and their current state.',
  alert_instances: 'Alerts raised by rules (firing and resolved).',
  agents: 'Collection agents and the hosts they run on, with heartbeat.',
  kubernetes_clusters: 'Monitored Kubernetes clusters.',
  kubernetes_namespaces: 'Namespaces per cluster.',
  kubernetes_nodes: 'Nodes per cluster with capacity.',
  kubernetes_pods: 'Pods with phase, node and restarts.',
  kubernetes_deployments: 'Deployments with desired, ready and available replicas.',
  kubernetes_persistent_volumes: 'Persistent volumes and their claims.',
  kubernetes_services: 'Services with type, cluster IP and ports.',
  kubernetes_hpas: 'Horizontal pod autoscalers with replica bounds and current state.',
  kubernetes_events: 'Kubernetes events (warnings and normal events) per involved object.',
  kubernetes_configmaps: 'ConfigMaps: names and key names.',
  kubernetes_secrets: 'Secrets: names and key names only; values are never stored.',
  service_map_services: 'Services on the service map with current rates and health.',
  service_map_dependencies: 'Edges of the service map: caller, callee, protocol, latency and error rate.',
  network_map_nodes: 'Nodes of the network map (hosts, gateways, load balancers, ...).',
  network_map_connections: 'Links of the network map with current throughput and quality.',
  retention_policies: 'Retention per signal type and tier.',
  api_keys: 'API keys: prefix and SHA-256 hash only; the read-only role cannot see the hash.',
  notification_channels: 'Where alerts and reports are delivered (e-mail, Slack, webhook, ...).',
  report_definitions: 'Scheduled report definitions.',
  report_executions: 'Runs of scheduled reports.',
  data_masking_policies: 'Masking rules applied to telemetry fields.',
  llm_providers: 'Configured LLM providers; secrets are held by reference only.',
  sso_providers: 'Single sign-on providers; secrets are held by reference only.',
  database_instances:
    'Monitored database instances of every engine (the ids used in CH db_metrics / db_queries).',
  database_instance_rules: 'Alerting rules per database instance.',
  database_instance_tags: 'Key/value tags of database instances.',
  remediation_plans: 'Proposed and executed remediation plans, optionally linked to an anomaly.',
  slo_definitions: 'Service level objectives: SLI type, objective and window.',
  change_events: 'Deployments and other changes per service, for change correlation.',
  security_findings: 'Vulnerability, compliance and configuration findings.',
  uptime_monitors: 'Uptime monitor definitions (the checks land in CH uptime_checks).',
  mcp_sessions: "The MCP server's sessions: transport, client, state and tool call counters.",
  mcp_conversations: "The MCP server's LLM conversations with token totals.",
  mcp_messages: 'Messages of a conversation, in order, with token counts.',
};

function code(text: string): string {
  return `\`${text}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function purpose(map: Record<string, string>, table: string, engine: string): string {
  const text = map[table];
  if (text === undefined) {
    throw new Error(
      `${engine} table ${table} has no purpose in schema-docs.ts; add one and regenerate docs/schema.md`,
    );
  }
  return text;
}

const TENANT = new Set(['organization_id', 'workspace_id', 'tenant_id']);

function columnList(columns: readonly ClickHouseColumnInfo[]): string {
  return columns
    .filter((c) => !TENANT.has(c.name))
    .map(
      (c) => `${code(c.name)} ${c.type}${c.defaultExpr === undefined ? '' : ` (default ${c.defaultExpr})`}`,
    )
    .join(', ');
}

/** How a SQL writer reads `column` of rollup `table`. */
function readWith(table: ClickHouseTableInfo, column: ClickHouseColumnInfo, timeColumn?: string): string {
  if (column.name === timeColumn) return 'bucket start (UTC): WHERE / GROUP BY';
  if (table.orderBy.includes(column.name)) return 'WHERE / GROUP BY';
  const aggregate = /^AggregateFunction\((\w+)(\([^)]*\))?/.exec(column.type);
  if (aggregate) return code(`${aggregate[1]}Merge${aggregate[2] ?? ''}(${column.name})`);
  const simple = /^SimpleAggregateFunction\((\w+),/.exec(column.type);
  if (simple) return code(`${simple[1]}(${column.name})`);
  if (table.engine.startsWith('SummingMergeTree')) return code(`sum(${column.name})`);
  return code(`any(${column.name})`);
}

function days(n: number | undefined): string {
  return n === undefined ? 'none' : `${n} days`;
}

function rawSection(table: ClickHouseTableInfo): string[] {
  return [
    `#### ${code(table.name)}`,
    '',
    purpose(CLICKHOUSE_PURPOSES, table.name, 'ClickHouse'),
    '',
    `Raw table, migration ${table.version}: ${table.engine}, PARTITION BY ${code(table.partitionBy ?? '')}, ` +
      `ORDER BY ${code(`(${table.orderBy.join(', ')})`)}, TTL ${days(table.ttlDays)}.`,
    '',
    `Columns: ${columnList(table.columns)}.`,
    '',
  ];
}

function familySection(members: readonly ClickHouseRollupInfo[]): string[] {
  const first = members[0];
  if (first === undefined) return [];
  const { table, grain, family } = first;
  const time = grain?.column;
  const generic = (name: string): string => (name === time ? '<time>' : name);
  const title =
    grain === undefined || members.length === 1
      ? code(table.name)
      : code(`${family}_{${members.map((m) => m.grain?.suffix).join(',')}}`);
  const out = [`##### ${title}`, ''];
  const note = CLICKHOUSE_ROLLUP_NOTES[family];
  if (note !== undefined) out.push(note, '');
  out.push(
    `${table.engine}, ORDER BY ${code(`(${table.orderBy.map(generic).join(', ')})`)}, ` +
      (members.length === 1
        ? `filled by ${code(first.view.name)} `
        : `each table filled by ${code(`${family}_<suffix>_mv`)} `) +
      `from ${code(first.view.source)}.`,
    '',
  );
  if (grain !== undefined) {
    out.push('| Table | Time column | TTL | Migration |', '|---|---|---|---|');
    for (const m of members) {
      out.push(
        `| ${code(m.table.name)} | ${code(m.grain?.column ?? '')} | ${days(m.table.ttlDays)} | ${m.table.version} |`,
      );
    }
    out.push('');
  } else {
    out.push(`Migration ${table.version}, TTL ${days(table.ttlDays)}.`, '');
  }
  out.push('| Column | Type | Read with |', '|---|---|---|');
  for (const column of table.columns.filter((c) => !TENANT.has(c.name))) {
    out.push(
      `| ${code(generic(column.name))} | ${cell(column.type)} | ${cell(readWith(table, column, time))} |`,
    );
  }
  out.push('');
  return out;
}

/** Tables a migration creates, with the grains of a rollup family folded: `logs_{1m,5m}`. */
function tablesOf(catalog: ClickHouseSchemaCatalog, version: number): string[] {
  const entries: { name: string; suffixes: string[] }[] = [];
  for (const table of catalog.tables.filter((t) => t.version === version)) {
    const rollup = catalog.rollups.find((r) => r.table === table);
    const suffix = rollup?.grain?.suffix;
    const family =
      suffix === undefined
        ? undefined
        : entries.find((e) => e.suffixes.length > 0 && e.name === rollup?.family);
    if (suffix === undefined) entries.push({ name: table.name, suffixes: [] });
    else if (family === undefined) entries.push({ name: rollup?.family ?? table.name, suffixes: [suffix] });
    else family.suffixes.push(suffix);
  }
  return entries.map(({ name, suffixes }) => {
    if (suffixes.length === 0) return code(name);
    return code(suffixes.length === 1 ? `${name}_${suffixes[0]}` : `${name}_{${suffixes.join(',')}}`);
  });
}

/**
 * The ClickHouse reference: grains, migrations, and for each raw table its columns and the
 * rollup families built from it, with how to read every rollup column.
 *
 * @param migrations the migrations to describe; the shipped ones by default.
 */
export function renderClickHouseReference(
  migrations: readonly ClickHouseMigration[] = CLICKHOUSE_MIGRATIONS,
): string {
  const catalog = describeClickHouseSchema(migrations);
  const out: string[] = ['### ClickHouse grains', ''];
  out.push(
    '| Suffix | Time column | Bucket of a row time `t` | Rollup TTL (at least the raw TTL from migration 6 on) |',
  );
  out.push('|---|---|---|---|');
  for (const g of GRAINS)
    out.push(`| ${code(g.suffix)} | ${code(g.column)} | ${code(g.bucket('t'))} | ${g.ttlDays} days |`);
  out.push('', '### ClickHouse migrations', '', '| Version | Name | Tables |', '|---|---|---|');
  for (const m of migrations) {
    const added = m.statements
      .map((statement) => /^ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (\w+)/.exec(statement.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => `adds ${code(`${match[1]}.${match[2]}`)}`);
    out.push(
      `| ${m.version} | ${code(m.name)} | ${[...tablesOf(catalog, m.version), ...added].join(', ')} |`,
    );
  }
  out.push('', '### ClickHouse tables', '');
  for (const raw of catalog.rawTables) {
    out.push(...rawSection(raw));
    const derived = catalog.rollups.filter((r) => r.view.source === raw.name);
    const families = [...new Set(derived.map((r) => r.family))];
    for (const family of families) {
      const rank = (r: ClickHouseRollupInfo): number => (r.grain === undefined ? 0 : GRAINS.indexOf(r.grain));
      const members = derived.filter((r) => r.family === family).sort((a, b) => rank(a) - rank(b));
      out.push(...familySection(members));
    }
  }
  return out.join('\n').trimEnd() + '\n';
}

/** A PostgreSQL column as the reference shows it. */
interface PgColumn {
  name: string;
  text: string;
}

/** A PostgreSQL table read from the migrations. */
interface PgTable {
  name: string;
  version: number;
  columns: PgColumn[];
  constraints: string[];
  indexes: string[];
  comments: string[];
}

const PG_COLUMN_STOP = /\s+(NOT NULL|NULL|DEFAULT|REFERENCES|PRIMARY KEY|UNIQUE|CHECK|GENERATED|COLLATE)\b/;

function pgColumn(definition: string): PgColumn {
  const name = /^(\w+)/.exec(definition)?.[1] ?? definition;
  const rest = definition.slice(name.length).trim();
  const stop = PG_COLUMN_STOP.exec(` ${rest}`);
  const type = stop === null ? rest : rest.slice(0, Math.max(0, stop.index - 1)).trim();
  const notes: string[] = [];
  if (/\bPRIMARY KEY\b/.test(rest)) notes.push('PK');
  else if (/\bNOT NULL\b/.test(rest)) notes.push('not null');
  if (/\bUNIQUE\b/.test(rest)) notes.push('unique');
  const ref = /\bREFERENCES (\w+)/.exec(rest)?.[1];
  if (ref !== undefined) notes.push(`→ ${ref}`);
  return { name, text: `${code(name)} ${type}${notes.length ? ` (${notes.join(', ')})` : ''}` };
}

function pgTables(migrations: readonly PostgresMigration[]): PgTable[] {
  const tables: PgTable[] = [];
  const find = (name: string): PgTable | undefined => tables.find((t) => t.name === name);
  for (const m of migrations) {
    for (const match of m.sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+) \(([\s\S]*?)\n\);/g)) {
      const [, name = '', body = ''] = match;
      const table: PgTable = {
        name,
        version: m.version,
        columns: [],
        constraints: [],
        indexes: [],
        comments: [],
      };
      for (const item of splitTopLevel(body.replace(/\s+/g, ' '))) {
        if (/^(UNIQUE|PRIMARY KEY|CONSTRAINT|CHECK|FOREIGN KEY)\b/.test(item)) table.constraints.push(item);
        else table.columns.push(pgColumn(item));
      }
      tables.push(table);
    }
    for (const match of m.sql.matchAll(
      /ALTER TABLE (?:IF EXISTS )?(\w+) ADD COLUMN IF NOT EXISTS ([^;]+);/g,
    )) {
      find(match[1] ?? '')?.columns.push(pgColumn((match[2] ?? '').trim()));
    }
    for (const match of m.sql.matchAll(
      /CREATE (UNIQUE )?INDEX IF NOT EXISTS \w+ ON (\w+) (?:USING \w+ )?\(([^;]*)\);/g,
    )) {
      find(match[2] ?? '')?.indexes.push(`${match[1] ? 'unique ' : ''}(${match[3]})`);
    }
    for (const match of m.sql.matchAll(
      /COMMENT ON (?:TABLE (\w+)|COLUMN (\w+)\.(\w+)) IS '((?:[^']|'')*)'/g,
    )) {
      const table = find(match[1] ?? match[2] ?? '');
      const text = (match[4] ?? '').replace(/''/g, "'");
      table?.comments.push(match[3] === undefined ? text : `${code(match[3])}: ${text}`);
    }
  }
  return tables;
}

/**
 * The PostgreSQL reference: migrations, and per table its purpose, columns (type, key,
 * references), constraints, indexes and comments.
 *
 * @param migrations the migrations to describe; the shipped ones by default.
 */
export function renderPostgresReference(
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): string {
  const tables = pgTables(migrations);
  const out: string[] = ['### PostgreSQL migrations', '', '| Version | Name | Tables |', '|---|---|---|'];
  for (const m of migrations) {
    const names = tables.filter((t) => t.version === m.version).map((t) => code(t.name));
    out.push(`| ${m.version} | ${code(m.name)} | ${names.length ? names.join(', ') : '(no tables)'} |`);
  }
  out.push('', '### PostgreSQL tables', '');
  for (const table of tables) {
    const tenant = table.columns.some((c) => c.name === 'organization_id');
    out.push(
      `#### ${code(table.name)}`,
      '',
      `${purpose(POSTGRES_PURPOSES, table.name, 'PostgreSQL')} Migration ${table.version}` +
        `${tenant ? ', tenant-scoped' : ''}.`,
      '',
      `Columns: ${table.columns.map((c) => c.text).join(', ')}.`,
      '',
    );
    if (table.constraints.length) out.push(`Constraints: ${table.constraints.map(code).join(', ')}.`, '');
    if (table.indexes.length) out.push(`Indexes: ${table.indexes.map(code).join(', ')}.`, '');
    for (const comment of table.comments) out.push(`Note: ${comment}`, '');
  }
  return out.join('\n').trimEnd() + '\n';
}
