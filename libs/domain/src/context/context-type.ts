/**
 * The context-type catalog: every key a caller may ask context for, which group
 * it belongs to, and which data families a collector reads to answer it.
 *
 * Invariants (checked by the colocated spec):
 * - 138 unique keys: the 75 of TFO-Platform's ContextType union (`platform: true`)
 *   and the 78 of the seed document (`seed: true`); 15 keys are in both.
 * - Keys are spelled exactly as in those two lists; they are a public contract.
 * - Catalog order: platform keys in platform order, then seed-only keys in seed order.
 * - Every description is one line and unique; every key names at least one data
 *   family, except `custom`, whose data depends on the caller's question.
 * - Platform keys keep the platform's own grouping; seed-only keys join a platform
 *   group when they fit it and one of five extra groups when they do not.
 */
import { ValidationError } from '../errors/index.js';
import { describeInput, nearMatches, normalizeKey } from './near-match.js';

/**
 * The groups context types are filed under, used for listings, error messages and
 * persona families. The first twelve are the platform's groups; the rest hold
 * seed-only keys that fit none of them.
 */
export const CONTEXT_TYPE_GROUPS = [
  'core-telemetry',
  'uptime-audit',
  'infrastructure',
  'kubernetes',
  'hybrid',
  'alerting',
  'iam',
  'tenancy',
  'platform',
  'account',
  'ai-intelligence',
  'db-monitoring',
  'reliability',
  'change-management',
  'security',
  'platform-ops',
  'custom',
] as const;

/** One of {@link CONTEXT_TYPE_GROUPS}. */
export type ContextTypeGroup = (typeof CONTEXT_TYPE_GROUPS)[number];

/** Human-readable names of the groups, for listings shown to people and models. */
export const CONTEXT_TYPE_GROUP_LABELS: Readonly<Record<ContextTypeGroup, string>> = Object.freeze({
  'core-telemetry': 'Core telemetry',
  'uptime-audit': 'Uptime and audit',
  infrastructure: 'Infrastructure',
  kubernetes: 'Kubernetes',
  hybrid: 'Service and network maps',
  alerting: 'Alerting',
  iam: 'Identity and access',
  tenancy: 'Tenancy',
  platform: 'Platform settings',
  account: 'Account',
  'ai-intelligence': 'AI intelligence',
  'db-monitoring': 'Database monitoring',
  reliability: 'Reliability (golden signals and SLOs)',
  'change-management': 'Change management',
  security: 'Security',
  'platform-ops': 'Platform operations',
  custom: 'Custom',
});

/**
 * The families of stored data a context type draws on, named after the platform's
 * tables or rollup families (one family spans all grains of a rollup, e.g. `_5m`
 * to `_1d`). Collectors map each family to concrete queries.
 */
export const DATA_FAMILIES = [
  'metrics', // metrics_5m and sibling grains: avg/min/max/sum/count per service and metric
  'logs', // logs_1h counts by severity plus raw error-level log rows
  'traces', // raw span rows, for example traces behind a slow or failing request
  'service_latency', // service_latency_percentiles_*: request count, avg, p95, p99
  'service_errors', // service_error_rates_*: total requests and error count
  'exemplars', // exemplars and exemplars_1h: metric points linked to trace/span ids
  'signal_correlations', // signal_correlations_1h: correlation type and count per service
  'uptime_checks', // raw uptime_checks: monitor, region, success, response time
  'audit_logs', // audit_logs and audit_logs_1h: who did what to which resource
  'agents', // PG agents: host, type, version, status, last heartbeat
  'vm_metrics', // vm_metrics_1h: cpu, memory, disk and network metrics per VM
  'infra_inventory', // inventories of hosts, containers, caches, queues, balancers, DNS
  'kubernetes_inventory', // PG kubernetes_* tables: clusters to persistent volumes, service metadata
  'kubernetes_metrics', // kubernetes_metrics_1h by resource type, name, namespace, metric
  'kubernetes_events', // Kubernetes event stream: warnings, evictions, scheduling failures
  'service_map', // PG service_map_services/dependencies plus service_map_metrics_1h
  'network_map', // PG network_map_nodes/connections plus traffic and connection rollups
  'alerts', // PG alert_rules and alert_instances
  'iam', // PG users, roles, permissions and role assignments
  'tenancy', // PG regions, organizations, workspaces and tenants
  'platform_settings', // PG retention, plans, API keys, channels, masking, LLM and SSO providers
  'reports', // PG report_definitions and report_executions
  'account', // PG users (MFA, status) and user_sessions of one user
  'anomaly_events', // CH anomaly_events: score, z-score, observed vs expected value
  'predictions', // CH predictions: horizon, failure probability, health score
  'remediation_plans', // PG remediation_plans
  'cost', // CH cost_data_daily_mv: daily cost per service and provider
  'db_inventory', // PG database_instances with their rules and tags
  'db_metrics', // per-engine metric tables, or metrics_5m rows named db.<engine>.*
  'db_queries', // per-engine query tables and query fingerprints (QAN)
  'slo_definitions', // SLO objectives and the indicators they are measured by
  'change_events', // change records: releases, deployments, configuration changes
  'security_events', // security-relevant event stream: auth failures, threats, incidents
  'security_findings', // vulnerability scan and compliance check results
] as const;

/** One of {@link DATA_FAMILIES}. */
export type DataFamily = (typeof DATA_FAMILIES)[number];

/**
 * What the product knows about one context type. `K` narrows the key; it defaults
 * to the full {@link ContextType} union.
 */
export interface ContextTypeDefinition<K extends string = ContextType> {
  /** The key callers pass, e.g. `kubernetes-pods`. */
  readonly key: K;
  /** The group the key is listed under. */
  readonly group: ContextTypeGroup;
  /** One line, in our own words, saying what context this key yields. */
  readonly description: string;
  /** Data families a collector reads for this key; empty only for `custom`. */
  readonly families: readonly DataFamily[];
  /** True when the key is part of TFO-Platform's ContextType union (list A). */
  readonly platform: boolean;
  /** True when the key is listed in the seed document (list B). */
  readonly seed: boolean;
}

/** Which reference list(s) a key comes from. */
type Origin = 'platform' | 'seed' | 'both';

/** Builds one frozen catalog entry; the `const` type parameter keeps the key literal. */
function entry<const K extends string>(
  key: K,
  group: ContextTypeGroup,
  origin: Origin,
  families: readonly DataFamily[],
  description: string,
): ContextTypeDefinition<K> {
  return Object.freeze({
    key,
    group,
    description,
    families: Object.freeze([...families]),
    platform: origin !== 'seed',
    seed: origin !== 'platform',
  });
}

const DB_ENGINE: readonly DataFamily[] = ['db_inventory', 'db_metrics', 'db_queries'];
const GOLDEN: readonly DataFamily[] = ['metrics', 'logs', 'service_latency', 'service_errors'];

/**
 * Every context type, platform keys first (platform order), then seed-only keys
 * (seed order). The single source of truth for keys, groups and data families.
 */
// prettier-ignore
export const CONTEXT_TYPE_CATALOG = Object.freeze([
  // ── List A: TFO-Platform's ContextType union ────────────────────────────────
  // core telemetry
  entry('metrics', 'core-telemetry', 'both', ['metrics'], 'Aggregated metric series per service and metric name: average, minimum, maximum, sum and count.'),
  entry('logs', 'core-telemetry', 'both', ['logs'], 'Log volume by service and severity, with the most recent error-level log lines.'),
  entry('traces', 'core-telemetry', 'both', ['service_latency', 'service_errors', 'traces'], 'Request rate, latency percentiles and error rate per service, taken from trace data.'),
  entry('exemplars', 'core-telemetry', 'both', ['exemplars'], 'Metric exemplars that tie individual measurements to the trace and span that produced them.'),
  entry('correlations', 'core-telemetry', 'platform', [...GOLDEN, 'signal_correlations'], 'Correlations found between metrics, logs and traces of the same services.'),
  entry('dashboard', 'core-telemetry', 'platform', [...GOLDEN, 'signal_correlations'], 'One-screen overview combining metrics, logs, traces and signal correlations.'),
  // uptime / audit
  entry('uptime', 'uptime-audit', 'both', ['uptime_checks'], 'Synthetic check results: availability and response times per monitor and region.'),
  entry('status-page', 'uptime-audit', 'platform', ['uptime_checks'], 'Status-page view of monitored endpoints, built from the outcome of uptime checks.'),
  entry('audit', 'uptime-audit', 'both', ['audit_logs'], 'Audit trail of who did what to which resource, with the result and source address.'),
  // infrastructure
  entry('infra-overview', 'infrastructure', 'platform', ['agents', 'vm_metrics'], 'Fleet overview of hosts and their agents, with headline resource usage.'),
  entry('infra-cpu', 'infrastructure', 'platform', ['agents', 'vm_metrics'], 'CPU utilisation and load of hosts and virtual machines.'),
  entry('infra-memory', 'infrastructure', 'platform', ['agents', 'vm_metrics'], 'Memory usage and pressure on hosts and virtual machines.'),
  entry('infra-storage', 'infrastructure', 'both', ['agents', 'vm_metrics'], 'Disk capacity, usage and I/O of hosts and their volumes.'),
  entry('infra-network', 'infrastructure', 'both', ['agents', 'vm_metrics'], 'Network throughput, errors and dropped packets on host interfaces.'),
  // kubernetes
  entry('kubernetes-overview', 'kubernetes', 'platform', ['kubernetes_inventory', 'kubernetes_metrics'], 'Summary of Kubernetes clusters, nodes and workloads and how healthy they are.'),
  entry('kubernetes-clusters', 'kubernetes', 'both', ['kubernetes_inventory', 'kubernetes_metrics'], 'Kubernetes cluster inventory with version, status and size.'),
  entry('kubernetes-namespaces', 'kubernetes', 'both', ['kubernetes_inventory', 'kubernetes_metrics'], 'Namespaces with the workloads they hold and the resources they consume.'),
  entry('kubernetes-nodes', 'kubernetes', 'both', ['kubernetes_inventory', 'kubernetes_metrics'], 'Node readiness, allocatable capacity and resource usage.'),
  entry('kubernetes-pods', 'kubernetes', 'both', ['kubernetes_inventory', 'kubernetes_metrics'], 'Pod phases, restart counts and container resource usage.'),
  entry('kubernetes-deployments', 'kubernetes', 'both', ['kubernetes_inventory', 'kubernetes_metrics'], 'Deployment rollout state and desired versus available replicas.'),
  entry('kubernetes-pv', 'kubernetes', 'platform', ['kubernetes_inventory', 'kubernetes_metrics'], 'Persistent volumes and claims: capacity, binding state and usage.'),
  entry('kubernetes-api-server', 'kubernetes', 'platform', ['kubernetes_metrics', 'kubernetes_inventory'], 'Kubernetes API server and etcd request rates, latency and errors.'),
  entry('kubernetes-coredns', 'kubernetes', 'platform', ['kubernetes_metrics', 'kubernetes_inventory'], 'CoreDNS query rates, latency and failed lookups inside clusters.'),
  // hybrid (PostgreSQL inventory + ClickHouse rollups)
  entry('agents', 'hybrid', 'platform', ['agents', 'vm_metrics'], 'Telemetry agents with their version, status and last heartbeat.'),
  entry('service-map', 'hybrid', 'both', ['service_map'], 'Map of services and the calls between them, with per-edge latency and error rate.'),
  entry('network-map', 'hybrid', 'both', ['network_map'], 'Map of network nodes and connections, with the traffic carried on each.'),
  // alerting
  entry('alerts', 'alerting', 'platform', ['alerts'], 'Firing and recently resolved alerts with severity, status and labels.'),
  entry('alert-rules', 'alerting', 'platform', ['alerts'], 'Alert rule definitions: severity, state, whether enabled and when last triggered.'),
  // identity and access
  entry('iam', 'iam', 'platform', ['iam'], 'Identity and access overview: users, roles and how they are connected.'),
  entry('iam-users', 'iam', 'platform', ['iam'], 'User accounts with their status, MFA enrolment and last activity.'),
  entry('iam-roles', 'iam', 'platform', ['iam'], 'Roles and the scope each of them grants.'),
  entry('iam-permissions', 'iam', 'platform', ['iam'], 'Individual permissions and the roles that carry them.'),
  entry('iam-matrix', 'iam', 'platform', ['iam'], 'Role-by-permission matrix showing who is allowed to do what.'),
  entry('iam-assignments', 'iam', 'platform', ['iam'], 'Role assignments of users across organizations and workspaces.'),
  // tenancy
  entry('tenancy', 'tenancy', 'platform', ['tenancy'], 'Tenancy hierarchy from regions down to organizations, workspaces and tenants.'),
  entry('tenancy-regions', 'tenancy', 'platform', ['tenancy'], 'Hosting regions and the organizations placed in each.'),
  entry('tenancy-organizations', 'tenancy', 'platform', ['tenancy'], 'Organizations with their plan, region and status.'),
  entry('tenancy-workspaces', 'tenancy', 'platform', ['tenancy'], 'Workspaces inside organizations and who owns them.'),
  entry('tenancy-tenants', 'tenancy', 'platform', ['tenancy'], 'Tenants inside workspaces and their status.'),
  // platform settings
  entry('retention', 'platform', 'platform', ['platform_settings'], 'Data retention policies per signal type.'),
  entry('subscription', 'platform', 'platform', ['platform_settings'], 'Subscription plan, its limits and entitlements.'),
  entry('api-keys', 'platform', 'platform', ['platform_settings'], 'API keys with scopes, expiry and last use; the key material itself is never read.'),
  entry('notifications', 'platform', 'platform', ['platform_settings'], 'Notification channels and how each one delivers messages.'),
  entry('reports', 'platform', 'platform', ['reports'], 'Report definitions and the outcome of their recent runs.'),
  entry('data-masking', 'platform', 'platform', ['platform_settings'], 'Data masking policies that redact sensitive fields before storage or display.'),
  entry('ai-assistant', 'platform', 'platform', ['platform_settings'], 'Configured LLM providers and the settings of the AI assistant.'),
  entry('system-setup', 'platform', 'platform', ['platform_settings'], 'Platform setup state, including single sign-on and identity providers.'),
  entry('system-channels', 'platform', 'platform', ['platform_settings'], 'System-wide notification and integration channels.'),
  // account (one user; empty without a user id)
  entry('account-profile', 'account', 'platform', ['account'], "The signed-in user's profile details."),
  entry('account-security', 'account', 'platform', ['account'], "The signed-in user's security posture: MFA, status and password age."),
  entry('account-sessions', 'account', 'platform', ['account'], "The signed-in user's active and recent login sessions."),
  entry('account-notifications', 'account', 'platform', ['account'], "The signed-in user's notification subscriptions."),
  entry('account-preferences', 'account', 'platform', ['account'], "The signed-in user's interface, locale and time-zone preferences."),
  entry('account-organization', 'account', 'platform', ['account', 'tenancy'], "The signed-in user's organization and their role in it."),
  // AI intelligence
  entry('anomaly-detection', 'ai-intelligence', 'platform', ['anomaly_events'], 'Statistically detected anomalies with score, z-score and observed versus expected value.'),
  entry('corrective-maintenance', 'ai-intelligence', 'platform', ['remediation_plans', 'anomaly_events'], 'Remediation plans proposed for, or applied to, detected problems.'),
  entry('predictive-maintenance', 'ai-intelligence', 'platform', ['predictions'], 'Forecast failure probability and health score per resource and horizon.'),
  entry('cost-optimization', 'ai-intelligence', 'platform', ['cost'], 'Daily cost per service and provider, and where money could be saved.'),
  // database monitoring
  entry('db-monitoring-inventory', 'db-monitoring', 'platform', ['db_inventory'], 'Inventory of monitored database instances with engine, tags and rules.'),
  entry('db-monitoring-clickhouse', 'db-monitoring', 'platform', DB_ENGINE, 'ClickHouse servers: query load, merges, parts and insert throughput.'),
  entry('db-monitoring-mariadb', 'db-monitoring', 'platform', DB_ENGINE, 'MariaDB instances: connections, query throughput, InnoDB buffer pool and replication.'),
  entry('db-monitoring-mysql', 'db-monitoring', 'platform', DB_ENGINE, 'MySQL instances: connections, query throughput, InnoDB activity and replica lag.'),
  entry('db-monitoring-percona', 'db-monitoring', 'platform', DB_ENGINE, 'Percona Server instances: throughput, InnoDB internals and replication health.'),
  entry('db-monitoring-sqlite3', 'db-monitoring', 'platform', DB_ENGINE, 'SQLite databases: file size, page cache behaviour and statement timings.'),
  entry('db-monitoring-timescaledb', 'db-monitoring', 'platform', DB_ENGINE, 'TimescaleDB instances: hypertables, chunks, compression and query load.'),
  entry('db-monitoring-aurora', 'db-monitoring', 'platform', DB_ENGINE, 'Amazon Aurora clusters: writer and reader health, replica lag and throughput.'),
  entry('db-monitoring-mssql', 'db-monitoring', 'platform', DB_ENGINE, 'Microsoft SQL Server instances: batch requests, wait statistics and buffer cache.'),
  entry('db-monitoring-postgresql', 'db-monitoring', 'platform', DB_ENGINE, 'PostgreSQL instances: connections, transactions, cache hit ratio and vacuum activity.'),
  entry('db-monitoring-mongodb-community', 'db-monitoring', 'platform', DB_ENGINE, 'Self-managed MongoDB: operation counters, connections, replication and locking.'),
  entry('db-monitoring-mongodb-atlas', 'db-monitoring', 'platform', DB_ENGINE, 'MongoDB Atlas clusters: operations, connections and replica set health.'),
  entry('db-monitoring-aws-rds-mysql', 'db-monitoring', 'platform', DB_ENGINE, 'Amazon RDS for MySQL: CPU, connections, IOPS and read-replica lag.'),
  entry('db-monitoring-aws-rds-aurora', 'db-monitoring', 'platform', DB_ENGINE, 'Amazon RDS Aurora instances: CPU, connections, commit latency and replica lag.'),
  entry('db-monitoring-aws-dynamodb', 'db-monitoring', 'platform', ['db_inventory', 'db_metrics'], 'Amazon DynamoDB tables: consumed capacity, throttled requests and latency.'),
  entry('db-monitoring-cockroachdb', 'db-monitoring', 'platform', DB_ENGINE, 'CockroachDB clusters: SQL throughput, ranges, replication and latency.'),
  entry('db-monitoring-qan', 'db-monitoring', 'platform', ['db_queries', 'db_inventory'], 'Query analytics across engines: query fingerprints ranked by time spent and calls.'),

  // ── List B: seed-only keys, in seed order ────────────────────────────────────
  entry('errors', 'reliability', 'seed', ['service_errors', 'logs'], 'Error rates per service together with the error log lines behind them.'),
  entry('latency', 'reliability', 'seed', ['service_latency'], 'Latency percentiles per service and how they move over the window.'),
  entry('throughput', 'reliability', 'seed', ['service_latency', 'service_errors', 'metrics'], 'Request throughput per service across the window.'),
  entry('saturation', 'reliability', 'seed', ['vm_metrics', 'kubernetes_metrics', 'metrics'], 'How close hosts, pods and services are to their CPU, memory, disk and queue limits.'),
  entry('service-health', 'reliability', 'seed', GOLDEN, 'Health verdict per service, combining errors, latency, traffic and error logs.'),
  entry('dependencies', 'hybrid', 'seed', ['service_map'], 'Upstream and downstream dependencies of each service.'),
  entry('topology', 'hybrid', 'seed', ['service_map', 'network_map', 'infra_inventory'], 'Topology across services, hosts and network links.'),
  entry('anomalies', 'ai-intelligence', 'seed', ['anomaly_events'], 'Anomalies detected across all signals, ranked by severity.'),
  entry('slo', 'reliability', 'seed', ['slo_definitions', 'service_latency', 'service_errors'], 'Service level objectives and whether each is currently being met.'),
  entry('sli', 'reliability', 'seed', ['slo_definitions', 'service_latency', 'service_errors'], 'Service level indicator values measured against their targets.'),
  entry('error-budget', 'reliability', 'seed', ['slo_definitions', 'service_errors'], 'Error budget left per objective and how fast it is burning.'),
  entry('change-events', 'change-management', 'seed', ['change_events'], 'Recorded changes such as releases, configuration edits and feature-flag flips.'),
  entry('deployment', 'change-management', 'seed', ['change_events', 'kubernetes_inventory'], 'Deployment history and rollout status of services.'),
  entry('alert', 'alerting', 'seed', ['alerts'], 'Alert state changes and firing history.'),
  entry('infra-hosts', 'infrastructure', 'seed', ['infra_inventory', 'agents', 'vm_metrics'], 'Inventory of hosts and virtual machines with their agent status.'),
  entry('infra-containers', 'infrastructure', 'seed', ['infra_inventory', 'kubernetes_metrics'], 'Container inventory and resource usage per container.'),
  entry('infra-compute', 'infrastructure', 'seed', ['infra_inventory', 'agents', 'vm_metrics'], 'Compute capacity and how much of it is in use across hosts.'),
  entry('infra-database', 'infrastructure', 'seed', ['db_inventory', 'db_metrics'], 'Database servers seen as infrastructure: where they run, versions and resource usage.'),
  entry('infra-cache', 'infrastructure', 'seed', ['infra_inventory', 'metrics'], 'Cache servers such as Redis or Memcached: hit ratio, memory and evictions.'),
  entry('infra-queue', 'infrastructure', 'seed', ['infra_inventory', 'metrics'], 'Message brokers and queues: depth, consumer lag and throughput.'),
  entry('infra-load-balancer', 'infrastructure', 'seed', ['infra_inventory', 'metrics'], 'Load balancers: their backends, health checks and how requests are spread.'),
  entry('infra-dns', 'infrastructure', 'seed', ['infra_inventory', 'network_map'], 'DNS zones and resolvers, and how well names resolve.'),
  entry('kubernetes-services', 'kubernetes', 'seed', ['kubernetes_inventory'], 'Kubernetes services with their type, ports and endpoints.'),
  entry('kubernetes-configmaps', 'kubernetes', 'seed', ['kubernetes_inventory'], 'ConfigMap inventory with size and last change.'),
  entry('kubernetes-secrets', 'kubernetes', 'seed', ['kubernetes_inventory'], 'Secret metadata only (name, type, age); secret values are never read.'),
  entry('kubernetes-hpa', 'kubernetes', 'seed', ['kubernetes_inventory', 'kubernetes_metrics'], 'Horizontal Pod Autoscalers: targets, current replicas and scaling activity.'),
  entry('kubernetes-events', 'kubernetes', 'seed', ['kubernetes_events'], 'Kubernetes events such as warnings, evictions and failed scheduling.'),
  entry('service-map-traffic', 'hybrid', 'seed', ['service_map'], 'Request volume flowing along each service-to-service edge.'),
  entry('service-map-errors', 'hybrid', 'seed', ['service_map'], 'Error rates on calls from one service to another.'),
  entry('service-map-latency', 'hybrid', 'seed', ['service_map'], 'Latency of calls from one service to another.'),
  entry('service-map-dependencies', 'hybrid', 'seed', ['service_map'], 'Directed dependency edges between services.'),
  entry('service-map-topology', 'hybrid', 'seed', ['service_map'], 'The complete service graph with every node and edge.'),
  entry('network-map-traffic', 'hybrid', 'seed', ['network_map'], 'Traffic volumes exchanged between network nodes.'),
  entry('network-map-connections', 'hybrid', 'seed', ['network_map'], 'Connection counts, failures and round-trip times between nodes.'),
  entry('network-map-dns', 'hybrid', 'seed', ['network_map'], 'DNS lookups observed on the network: volume, latency and failures.'),
  entry('network-map-firewall', 'hybrid', 'seed', ['network_map', 'security_events'], 'Firewall rules and the traffic they allow or drop.'),
  entry('network-map-security', 'hybrid', 'seed', ['network_map', 'security_events'], 'Network flows that look suspicious or break policy.'),
  entry('db-overview', 'db-monitoring', 'seed', ['db_inventory', 'db_metrics'], 'Overview of every monitored database and its health.'),
  entry('db-queries', 'db-monitoring', 'seed', ['db_queries'], 'Query performance: the queries that take the most total time and calls.'),
  entry('db-slow-queries', 'db-monitoring', 'seed', ['db_queries'], 'The slowest queries by average and worst-case duration.'),
  entry('db-connections', 'db-monitoring', 'seed', ['db_metrics', 'db_inventory'], 'Connection usage against limits, and clients waiting for a connection.'),
  entry('db-tables', 'db-monitoring', 'seed', ['db_metrics', 'db_inventory'], 'Table sizes, row counts and growth.'),
  entry('db-indexes', 'db-monitoring', 'seed', ['db_metrics', 'db_queries'], 'Index usage, unused indexes and scans that lack an index.'),
  entry('db-replication', 'db-monitoring', 'seed', ['db_metrics', 'db_inventory'], 'Replication topology, replica lag and replica health.'),
  entry('db-locks', 'db-monitoring', 'seed', ['db_metrics', 'db_queries'], 'Lock waits, blocking sessions and deadlocks.'),
  entry('security-events', 'security', 'seed', ['security_events', 'audit_logs'], 'Security-relevant events such as failed logins and privilege changes.'),
  entry('security-vulnerabilities', 'security', 'seed', ['security_findings'], 'Vulnerability scan findings by severity and affected asset.'),
  entry('security-compliance', 'security', 'seed', ['security_findings'], 'Compliance controls and the checks that currently fail.'),
  entry('security-access', 'security', 'seed', ['audit_logs', 'iam', 'account'], 'Who accessed what and from where, and access that looks unusual.'),
  entry('security-threats', 'security', 'seed', ['security_events', 'anomaly_events'], 'Detected threats and indicators of suspicious activity.'),
  entry('security-incidents', 'security', 'seed', ['security_events', 'alerts'], 'Open and recent security incidents and where each one stands.'),
  entry('platform-health', 'platform-ops', 'seed', ['agents', 'alerts', 'uptime_checks', 'metrics'], 'Overall platform health: agents reporting, alerts firing and endpoints up.'),
  entry('platform-capacity', 'platform-ops', 'seed', ['vm_metrics', 'kubernetes_metrics', 'predictions'], 'Capacity headroom and growth trends, for planning ahead.'),
  entry('platform-cost', 'platform-ops', 'seed', ['cost'], 'Spend per service and provider over time.'),
  entry('platform-performance', 'platform-ops', 'seed', ['service_latency', 'service_errors', 'metrics'], "Performance of the platform's own services: latency, errors and throughput."),
  entry('ai-insights', 'ai-intelligence', 'seed', ['anomaly_events', 'predictions', 'remediation_plans'], 'Digest of AI findings across anomalies, forecasts and remediation plans.'),
  entry('ai-recommendations', 'ai-intelligence', 'seed', ['remediation_plans', 'cost', 'anomaly_events'], 'Recommended actions drawn from remediation plans, anomalies and cost data.'),
  entry('ai-anomalies', 'ai-intelligence', 'seed', ['anomaly_events'], 'Anomalies flagged by the AI models, with how far each strays from expectation.'),
  entry('ai-predictions', 'ai-intelligence', 'seed', ['predictions'], 'Model forecasts of failures and resource exhaustion.'),
  entry('ai-root-cause', 'ai-intelligence', 'seed', ['anomaly_events', 'signal_correlations', 'service_errors', 'change_events'], 'Evidence for root-cause analysis: correlated anomalies, errors and recent changes.'),
  entry('ai-patterns', 'ai-intelligence', 'seed', ['anomaly_events', 'logs', 'alerts'], 'Recurring patterns across anomalies, logs and alerts.'),
  entry('report-summary', 'platform', 'seed', ['reports'], 'Summaries of generated reports and their key figures.'),
  entry('custom', 'custom', 'seed', [], 'A caller-described question, answered from whichever data can honestly answer it.'),
]);

/** Every context-type key, as a literal union derived from {@link CONTEXT_TYPE_CATALOG}. */
export type ContextType = (typeof CONTEXT_TYPE_CATALOG)[number]['key'];

/** All 138 keys in catalog order (platform keys first, then seed-only keys). */
export const CONTEXT_TYPES: readonly ContextType[] = Object.freeze(CONTEXT_TYPE_CATALOG.map((d) => d.key));

/** The 75 keys of TFO-Platform's ContextType union, in the platform's order. */
export const PLATFORM_CONTEXT_TYPES: readonly ContextType[] = Object.freeze(
  CONTEXT_TYPE_CATALOG.filter((d) => d.platform).map((d) => d.key),
);

/**
 * The 78 keys of the seed document, in the seed's order (which differs from the
 * catalog's for the 15 keys that are also platform keys).
 */
// prettier-ignore
export const SEED_CONTEXT_TYPES: readonly ContextType[] = Object.freeze([
  'metrics', 'logs', 'traces', 'exemplars', 'uptime', 'audit', 'errors', 'latency',
  'throughput', 'saturation', 'service-health', 'dependencies', 'topology', 'anomalies',
  'slo', 'sli', 'error-budget', 'change-events', 'deployment', 'alert',
  'infra-hosts', 'infra-containers', 'infra-network', 'infra-storage', 'infra-compute',
  'infra-database', 'infra-cache', 'infra-queue', 'infra-load-balancer', 'infra-dns',
  'kubernetes-clusters', 'kubernetes-namespaces', 'kubernetes-deployments',
  'kubernetes-pods', 'kubernetes-services', 'kubernetes-nodes',
  'kubernetes-configmaps', 'kubernetes-secrets', 'kubernetes-hpa', 'kubernetes-events',
  'service-map', 'service-map-traffic', 'service-map-errors', 'service-map-latency',
  'service-map-dependencies', 'service-map-topology',
  'network-map', 'network-map-traffic', 'network-map-connections', 'network-map-dns',
  'network-map-firewall', 'network-map-security',
  'db-overview', 'db-queries', 'db-slow-queries', 'db-connections', 'db-tables',
  'db-indexes', 'db-replication', 'db-locks',
  'security-events', 'security-vulnerabilities', 'security-compliance',
  'security-access', 'security-threats', 'security-incidents',
  'platform-health', 'platform-capacity', 'platform-cost', 'platform-performance',
  'ai-insights', 'ai-recommendations', 'ai-anomalies', 'ai-predictions', 'ai-root-cause',
  'ai-patterns', 'report-summary', 'custom',
] as const satisfies readonly ContextType[]);

const DEFINITIONS_BY_KEY: ReadonlyMap<string, ContextTypeDefinition> = new Map(
  CONTEXT_TYPE_CATALOG.map((d): [string, ContextTypeDefinition] => [d.key, d]),
);

const KEYS_BY_GROUP: Readonly<Record<ContextTypeGroup, readonly ContextType[]>> = Object.freeze(
  Object.fromEntries(
    CONTEXT_TYPE_GROUPS.map((group) => [
      group,
      Object.freeze(CONTEXT_TYPE_CATALOG.filter((d) => d.group === group).map((d) => d.key)),
    ]),
  ) as Record<ContextTypeGroup, readonly ContextType[]>,
);

/** True when `value` is exactly one of the 138 keys (no trimming, no case folding). */
export function isContextType(value: unknown): value is ContextType {
  return typeof value === 'string' && DEFINITIONS_BY_KEY.has(value);
}

/**
 * Reads a context type from untrusted input. Surrounding blanks and case are
 * ignored and `_` reads as `-`; anything else unknown throws a
 * {@link ValidationError} that lists the valid keys by group and suggests near misses.
 */
export function parseContextType(value: unknown): ContextType {
  if (typeof value === 'string') {
    const key = normalizeKey(value);
    if (isContextType(key)) return key;
  }
  throw unknownContextType(value);
}

/** The definition of a known key. Throws a {@link ValidationError} if a forged value slips through. */
export function getContextTypeDefinition(key: ContextType): ContextTypeDefinition {
  const definition = DEFINITIONS_BY_KEY.get(key);
  if (definition === undefined) throw unknownContextType(key);
  return definition;
}

/** The keys of each group, every group present (in group order), keys in catalog order. */
export function contextTypesByGroup(): Readonly<Record<ContextTypeGroup, readonly ContextType[]>> {
  return KEYS_BY_GROUP;
}

/** Builds the error for an unknown key: what was given, near misses, and every valid key by group. */
function unknownContextType(value: unknown): ValidationError {
  const suggestions = typeof value === 'string' ? nearMatches(normalizeKey(value), CONTEXT_TYPES) : [];
  const hint =
    suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
  const lead =
    typeof value === 'string'
      ? `Unknown context type ${describeInput(value)}.`
      : `A context type must be a string, but got ${describeInput(value)}.`;
  const listing = CONTEXT_TYPE_GROUPS.map((group) => `  ${group}: ${KEYS_BY_GROUP[group].join(', ')}`).join(
    '\n',
  );
  return new ValidationError(
    `${lead}${hint}\nValid context types (${CONTEXT_TYPES.length}), by group:\n${listing}`,
    {
      details: {
        given: describeInput(value),
        suggestions,
        allowed: KEYS_BY_GROUP,
      },
    },
  );
}
