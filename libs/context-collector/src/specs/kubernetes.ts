/**
 * Kubernetes specs: the PostgreSQL kubernetes_* inventory (clusters, namespaces, nodes,
 * pods, deployments, persistent volumes, services, HPAs, events, ConfigMaps, Secret
 * metadata) with the CH `kubernetes_metrics_*` rollup. The control-plane views read the
 * apiserver.* / etcd.* and coredns.* metric names. Secret values are never read (the
 * table holds names and key names only, and only key counts are reported).
 */
import { fmt, list, num, str, when, type Row } from '../format.js';
import { countText, pgList, problemsText, unhealthy } from '../queries/inventory.js';
import { pairSeries, seriesData, seriesSource } from '../queries/series.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import type { ChBuilder, PgBuilder } from '../sql.js';
import { sentences, viewSpec } from './common.js';
import { formatValue, seriesText } from './infrastructure.js';

const K8S_KEYS = ['cluster_name', 'resource_type', 'resource_name', 'metric_name'] as const;

function k8sSeries(where: (b: ChBuilder) => string): SourceBuilder {
  return seriesSource({
    family: 'kubernetes_metrics',
    keys: K8S_KEYS,
    where: (b) =>
      `${where(b)}${b.input.contextId === undefined ? '' : ` AND (cluster_name = ${b.id} OR namespace = {id:String} OR resource_name = {id:String})`}`,
  });
}

const byCluster = (b: PgBuilder): string | undefined =>
  b.input.contextId === undefined
    ? undefined
    : `cluster_id IN (SELECT id FROM kubernetes_clusters WHERE ${b.scope()} AND name = ${b.bind(b.input.contextId)})`;

const byNamespace = (b: PgBuilder): string | undefined =>
  b.input.contextId === undefined
    ? undefined
    : `namespace = ${b.bind(b.input.contextId)} OR name = $${b.params.length}`;

const clusters = pgList({
  from: 'kubernetes_clusters',
  columns: 'id, name, provider, region, version, status, node_count, last_seen_at',
  orderBy: 'name',
  where: (b) => (b.input.contextId === undefined ? undefined : `name = ${b.bind(b.input.contextId)}`),
});
const namespaces = pgList({
  from: 'kubernetes_namespaces n',
  alias: 'n',
  columns:
    'n.name, n.status, (SELECT count(*) FROM kubernetes_pods p WHERE p.organization_id = n.organization_id AND p.cluster_id = n.cluster_id AND p.namespace = n.name) AS pods',
  orderBy: 'n.name',
  where: byCluster,
  limitFactor: 5,
});
const nodes = pgList({
  from: 'kubernetes_nodes',
  columns: 'name, status, roles, kubelet_version, cpu_capacity, memory_capacity_bytes, pod_capacity',
  orderBy: "CASE status WHEN 'Ready' THEN 1 ELSE 0 END, name",
  where: byCluster,
});
const pods = pgList({
  from: 'kubernetes_pods',
  columns: 'namespace, name, node_name, phase, restart_count, owner_kind, owner_name, started_at',
  orderBy: "CASE phase WHEN 'Running' THEN 1 WHEN 'Succeeded' THEN 2 ELSE 0 END, restart_count DESC, name",
  where: byNamespace,
  limitFactor: 10,
});
const deployments = pgList({
  from: 'kubernetes_deployments',
  columns: 'namespace, name, replicas, ready_replicas, available_replicas, image, strategy, last_rollout_at',
  orderBy: 'available_replicas - replicas, last_rollout_at DESC NULLS LAST',
  where: byNamespace,
  limitFactor: 5,
});
const volumes = pgList({
  from: 'kubernetes_persistent_volumes',
  columns: 'name, storage_class, capacity_bytes, access_modes, status, claim_namespace, claim_name',
  orderBy: "CASE status WHEN 'Bound' THEN 1 ELSE 0 END, name",
  where: (b) =>
    b.input.contextId === undefined
      ? undefined
      : `name = ${b.bind(b.input.contextId)} OR claim_name = $${b.params.length}`,
});
const services = pgList({
  from: 'kubernetes_services',
  columns: 'namespace, name, type, cluster_ip, ports',
  orderBy: 'namespace, name',
  where: byNamespace,
});
const hpas = pgList({
  from: 'kubernetes_hpas',
  columns:
    'namespace, name, target_kind, target_name, min_replicas, max_replicas, current_replicas, desired_replicas, metrics',
  orderBy: 'current_replicas::float / GREATEST(max_replicas, 1) DESC, name',
  where: byNamespace,
});
const configmaps = pgList({
  from: 'kubernetes_configmaps',
  columns: 'namespace, name, cardinality(data_keys) AS keys, updated_at',
  orderBy: 'updated_at DESC',
  where: byNamespace,
});
const secrets = pgList({
  from: 'kubernetes_secrets',
  columns: 'namespace, name, type, cardinality(data_keys) AS keys, created_at',
  orderBy: 'created_at',
  where: byNamespace,
});
const events: SourceBuilder = pgList({
  from: 'kubernetes_events',
  columns: 'namespace, involved_kind, involved_name, type, reason, message, count, last_seen_at',
  orderBy: "CASE type WHEN 'Warning' THEN 0 ELSE 1 END, last_seen_at DESC",
  where: (b) => {
    const window = b.window('last_seen_at');
    return b.input.contextId === undefined
      ? window
      : `${window} AND (namespace = ${b.bind(b.input.contextId)} OR involved_name = $${b.params.length})`;
  },
  limitFactor: 5,
});

const nodeSeries = k8sSeries(() => "resource_type = 'node'");
const podSeries = k8sSeries(() => "resource_type IN ('pod', 'container')");
const deploymentSeries = k8sSeries(() => "resource_type = 'deployment'");
const volumeSeries = k8sSeries(() => "metric_name LIKE 'volume.%'");
const apiSeries = k8sSeries(() => "(metric_name LIKE 'apiserver.%' OR metric_name LIKE 'etcd.%')");
const dnsSeries = k8sSeries(() => "metric_name LIKE 'coredns.%'");

function podText(rows: readonly Row[]): string {
  const restarting = rows
    .filter((p) => num(p['restart_count']) >= 3)
    .map((p) => `${str(p['namespace'])}/${str(p['name'])} ${fmt(num(p['restart_count']), 0)} restarts`);
  return sentences(
    `${countText(rows, 'pods', 'phase')}.`,
    problemsText(
      unhealthy(rows, 'phase', ['Running', 'Succeeded'], (p) => `${str(p['namespace'])}/${str(p['name'])}`),
      'Pods not running',
    ),
    problemsText(restarting, 'Restarting'),
  );
}

function deploymentText(rows: readonly Row[]): string {
  const short = rows
    .filter((d) => num(d['available_replicas']) < num(d['replicas']))
    .map(
      (d) =>
        `${str(d['namespace'])}/${str(d['name'])} ${fmt(num(d['available_replicas']), 0)}/${fmt(num(d['replicas']), 0)} available`,
    );
  const recent = [...rows]
    .filter((d) => d['last_rollout_at'] !== null)
    .sort((a, b) => str(b['last_rollout_at']).localeCompare(str(a['last_rollout_at'])))
    .slice(0, 3)
    .map(
      (d) => `${str(d['name'])} ${str(d['image']).split('/').pop() ?? ''} at ${when(d['last_rollout_at'])}`,
    );
  return sentences(
    `${rows.length} deployments.`,
    short.length > 0
      ? `Missing replicas: ${list(short, 5)}.`
      : 'Every deployment has all replicas available.',
    recent.length > 0 ? `Latest rollouts: ${list(recent, 3)}.` : '',
  );
}

function k8sMetricsView(series: ReturnType<typeof pairSeries>, noun: string): string {
  return series.length > 0 ? seriesText(series, noun) : '';
}

/** The Kubernetes specs. */
export const kubernetesSpecs: readonly ContextSpec[] = [
  viewSpec(
    'kubernetes-overview',
    { clusters, nodes, pods, deployments, series: nodeSeries },
    (rows, input) => {
      const series = pairSeries(rows.get('series'), K8S_KEYS);
      return {
        summary: sentences(
          `${countText(rows.get('clusters'), 'clusters', 'status')}, ${countText(rows.get('nodes'), 'nodes', 'status')}.`,
          podText(rows.get('pods')),
          deploymentText(rows.get('deployments')),
          k8sMetricsView(series, 'node'),
        ),
        data: {
          clusters: rows.get('clusters'),
          nodes: rows.get('nodes'),
          pods: rows.get('pods').slice(0, input.maxItems),
          deployments: rows.get('deployments'),
          nodeSeries: series.map(seriesData),
        },
      };
    },
    { required: ['clusters'] },
  ),
  viewSpec(
    'kubernetes-clusters',
    { clusters, series: nodeSeries },
    (rows) => {
      const items = rows.get('clusters');
      return {
        summary: sentences(
          `${countText(items, 'clusters', 'status')}: ${list(
            items.map(
              (c) =>
                `${str(c['name'])} (${str(c['provider'])} ${str(c['region'])}, ${str(c['version'])}, ${fmt(num(c['node_count']), 0)} nodes)`,
            ),
            5,
          )}.`,
          k8sMetricsView(pairSeries(rows.get('series'), K8S_KEYS), 'node'),
        ),
        data: { clusters: items, nodeSeries: pairSeries(rows.get('series'), K8S_KEYS).map(seriesData) },
      };
    },
    { required: ['clusters'] },
  ),
  viewSpec('kubernetes-namespaces', { namespaces }, (rows) => {
    const items = rows.get('namespaces');
    return {
      summary: sentences(
        `${countText(items, 'namespaces', 'status')}.`,
        `Most pods: ${list(
          [...items]
            .sort((a, b) => num(b['pods']) - num(a['pods']))
            .map((n) => `${str(n['name'])} ${fmt(num(n['pods']), 0)}`),
          5,
        )}.`,
      ),
      data: { namespaces: items },
    };
  }),
  viewSpec(
    'kubernetes-nodes',
    { nodes, series: nodeSeries },
    (rows) => {
      const items = rows.get('nodes');
      const series = pairSeries(rows.get('series'), K8S_KEYS);
      return {
        summary: sentences(
          `${countText(items, 'nodes', 'status')}.`,
          problemsText(
            unhealthy(items, 'status', ['Ready'], (n) => str(n['name'])),
            'Nodes not ready',
          ),
          k8sMetricsView(series, 'node'),
        ),
        data: { nodes: items, series: series.map(seriesData) },
      };
    },
    { required: ['nodes'] },
  ),
  viewSpec(
    'kubernetes-pods',
    { pods, series: podSeries },
    (rows, input) => {
      const series = pairSeries(rows.get('series'), K8S_KEYS);
      return {
        summary: sentences(podText(rows.get('pods')), k8sMetricsView(series, 'pod')),
        data: {
          pods: rows.get('pods').slice(0, input.maxItems * 5),
          series: series.slice(0, input.maxItems * 3).map(seriesData),
        },
      };
    },
    { required: ['pods'] },
  ),
  viewSpec(
    'kubernetes-deployments',
    { deployments, series: deploymentSeries },
    (rows) => ({
      summary: sentences(
        deploymentText(rows.get('deployments')),
        k8sMetricsView(pairSeries(rows.get('series'), K8S_KEYS), 'deployment'),
      ),
      data: {
        deployments: rows.get('deployments'),
        series: pairSeries(rows.get('series'), K8S_KEYS).map(seriesData),
      },
    }),
    { required: ['deployments'] },
  ),
  viewSpec(
    'kubernetes-pv',
    { volumes, series: volumeSeries },
    (rows) => {
      const items = rows.get('volumes');
      const series = pairSeries(rows.get('series'), K8S_KEYS);
      const used = series
        .filter((s) => s.metric === 'volume.used_bytes')
        .map((s) => `${s.key['resource_name']} ${formatValue(s.metric, s.max)}`);
      return {
        summary: sentences(
          `${countText(items, 'persistent volumes', 'status')}.`,
          problemsText(
            unhealthy(items, 'status', ['Bound'], (v) => str(v['name'])),
            'Volumes not bound',
          ),
          used.length > 0 ? `Largest use: ${list(used, 3)}.` : '',
        ),
        data: { volumes: items, series: series.map(seriesData) },
      };
    },
    { required: ['volumes'] },
  ),
  viewSpec('kubernetes-api-server', { series: apiSeries }, (rows, input) => {
    const series = pairSeries(rows.get('series'), K8S_KEYS);
    const errors = series
      .filter((s) => s.metric === 'apiserver.error_rate')
      .map((s) => `${s.key['cluster_name']} API error rate max ${fmt(s.max, 2)} (avg ${fmt(s.avg, 2)})`);
    const leader = series
      .filter((s) => s.metric === 'etcd.has_leader' && s.min < 1)
      .map((s) => `${s.key['cluster_name']} etcd lost its leader`);
    return {
      summary: sentences(
        list(errors, 3) ? `${list(errors, 3)}.` : '',
        problemsText(leader, 'etcd'),
        seriesText(series, 'control-plane'),
      ),
      data: { grain: input.grain.suffix, series: series.map(seriesData) },
    };
  }),
  viewSpec('kubernetes-coredns', { series: dnsSeries }, (rows, input) => {
    const series = pairSeries(rows.get('series'), K8S_KEYS);
    const fails = series
      .filter((s) => s.metric === 'coredns.servfail_rate')
      .map((s) => `${s.key['cluster_name']} SERVFAIL rate max ${fmt(s.max, 2)}/s`);
    return {
      summary: sentences(fails.length > 0 ? `${list(fails, 3)}.` : '', seriesText(series, 'CoreDNS')),
      data: { grain: input.grain.suffix, series: series.map(seriesData) },
    };
  }),
  viewSpec('kubernetes-services', { services }, (rows) => ({
    summary: `${countText(rows.get('services'), 'Kubernetes services', 'type')}: ${list(
      rows.get('services').map((s) => `${str(s['namespace'])}/${str(s['name'])}`),
      5,
    )}.`,
    data: { services: rows.get('services') },
  })),
  viewSpec('kubernetes-configmaps', { configmaps }, (rows) => ({
    summary: `${rows.get('configmaps').length} ConfigMaps; most recently changed: ${list(
      rows
        .get('configmaps')
        .slice(0, 3)
        .map(
          (c) =>
            `${str(c['namespace'])}/${str(c['name'])} (${fmt(num(c['keys']), 0)} keys) at ${when(c['updated_at'])}`,
        ),
      3,
    )}.`,
    data: { configmaps: rows.get('configmaps') },
  })),
  viewSpec('kubernetes-secrets', { secrets }, (rows) => ({
    summary: `${countText(rows.get('secrets'), 'Secrets (metadata only; values are never read)', 'type')}. Oldest: ${list(
      rows
        .get('secrets')
        .slice(0, 3)
        .map((s) => `${str(s['namespace'])}/${str(s['name'])} created ${when(s['created_at'])}`),
      3,
    )}.`,
    data: { secrets: rows.get('secrets') },
  })),
  viewSpec('kubernetes-hpa', { hpas }, (rows) => {
    const items = rows.get('hpas');
    const atMax = items
      .filter((h) => num(h['current_replicas']) >= num(h['max_replicas']) && num(h['max_replicas']) > 0)
      .map(
        (h) =>
          `${str(h['namespace'])}/${str(h['name'])} at its maximum of ${fmt(num(h['max_replicas']), 0)} replicas`,
      );
    return {
      summary: sentences(
        `${items.length} autoscalers.`,
        atMax.length > 0 ? `Saturated: ${list(atMax, 5)}.` : 'No autoscaler is at its maximum.',
      ),
      data: { hpas: items },
    };
  }),
  viewSpec('kubernetes-events', { events }, (rows) => {
    const items = rows.get('events');
    const warnings = items.filter((e) => str(e['type']) === 'Warning');
    return {
      summary: sentences(
        `${items.length} event records (${warnings.length} warnings) seen in the window.`,
        warnings.length > 0
          ? `Warnings: ${list(
              warnings.map(
                (e) =>
                  `${str(e['reason'])} on ${str(e['involved_kind'])} ${str(e['namespace'])}/${str(e['involved_name'])} x${fmt(num(e['count']), 0)}: ${str(e['message']).slice(0, 100)}`,
              ),
              5,
            )}.`
          : '',
      ),
      data: { events: items },
    };
  }),
];
