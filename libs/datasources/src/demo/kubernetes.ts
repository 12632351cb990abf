/**
 * Kubernetes: the PostgreSQL inventory (clusters, namespaces, nodes, pods, deployments,
 * persistent volumes, services, HPAs, config maps, secret metadata, events) and the
 * `kubernetes_metrics` series (resource types pod, container, node, deployment,
 * persistentvolume, and the control plane: apiserver.*, etcd.*, coredns.*).
 *
 * Invariants:
 * - Pod names follow the ReplicaSet of the version running at the time (checkout-service
 *   changes ReplicaSet at the bad deployment and again at the rollback); payment-processor
 *   runs 10 pods while its autoscaler is maxed out in the CPU spike.
 * - Secrets are metadata only: names, types and key names, never values.
 * - The inventory is the state at the anchor; the rollback after the anchor is a mutation.
 */
import { INCIDENT_FIGURES } from './incidents.js';
import {
  emptyBatch,
  pgRows,
  pgStatement,
  type ChStream,
  type DemoFamily,
  type PgWrite,
  type Row,
} from './model.js';
import {
  entityId,
  inventoryStamps,
  k8sSuffix,
  PAYMENT_MAX_REPLICAS,
  podNames,
  podsAt,
  serviceVersionAt,
  valueKey,
  type DemoOrg,
  type DemoPlan,
  type DemoService,
  type TenantScope,
} from './plan.js';
import { hash2, hash3, hashString, Prng, unit, uuidFromKey } from './prng.js';
import type { ClusterProfile } from './profiles.js';
import { cpuPercent, cpuSpikeWeight, memoryPercent, orgLoad } from './signals.js';
import { chTime, forEachGridPoint, HOUR, jitter, MINUTE, pgTime, smoothNoise } from './time.js';

/** A node of a cluster. */
export interface KubeNode {
  name: string;
  ip: string;
  key: number;
}

/** A cluster with its derived parts. */
export interface KubeCluster {
  profile: ClusterProfile;
  id: string;
  key: number;
  scope: TenantScope;
  nodes: KubeNode[];
  namespaces: string[];
  /** Workloads: services of the call graph (production) or staging copies. */
  workloads: DemoService[];
}

const STAGING_WORKLOADS = ['web-frontend', 'checkout-service', 'payment-processor'];

const layoutCache = new WeakMap<DemoOrg, KubeCluster[]>();

/** The Kubernetes layout of an organization (memoised per plan organization). */
export function kubeLayout(org: DemoOrg): KubeCluster[] {
  const cached = layoutCache.get(org);
  if (cached !== undefined) return cached;
  const k8sServices = org.services.filter((s) => s.profile.runtime === 'kubernetes');
  const clusters = org.profile.clusters.map((c): KubeCluster => {
    const key = valueKey(org, 'cluster', c.name);
    const nodes = Array.from({ length: c.nodes }, (_, i): KubeNode => {
      const ip = `${c.nodeIpBase}${11 + i}`;
      const name =
        c.provider === 'eks'
          ? `ip-${ip.replaceAll('.', '-')}.${c.region}.compute.internal`
          : `gke-${c.name}-pool-1-${k8sSuffix(hash2(key, i), 8)}`;
      return { name, ip, key: hash2(key, 0x1000 + i) };
    });
    const stagingScope: TenantScope = {
      organization_id: org.id,
      workspace_id:
        org.workspaceIds.get(org.profile.workspaces[1]?.slug ?? '') ?? org.platformScope.workspace_id,
      tenant_id:
        org.tenantIds.get(
          org.profile.tenants.find((t) => t.workspace !== org.profile.workspaces[0]?.slug)?.slug ?? '',
        ) ?? org.platformScope.tenant_id,
    };
    const workloads =
      c.staging === true
        ? k8sServices
            .filter((s) => STAGING_WORKLOADS.includes(s.name))
            .map((s) => ({
              ...s,
              scope: stagingScope,
              profile: { ...s.profile, namespace: 'staging', replicas: 1 },
            }))
        : k8sServices;
    const namespaces = [
      ...new Set([
        'default',
        'kube-system',
        ...workloads.map((w) => w.profile.namespace ?? 'default'),
        'monitoring',
      ]),
    ];
    if (c.staging !== true) namespaces.push('ingress-nginx');
    return {
      profile: c,
      id: entityId(org, 'k8s-cluster', c.name),
      key,
      scope: c.staging === true ? stagingScope : org.platformScope,
      nodes,
      namespaces,
      workloads,
    };
  });
  layoutCache.set(org, clusters);
  return clusters;
}

function nodeOf(cluster: KubeCluster, pod: string): KubeNode {
  return cluster.nodes[hashString(pod) % cluster.nodes.length] as KubeNode;
}

function podsOf(
  plan: DemoPlan,
  org: DemoOrg,
  cluster: KubeCluster,
  w: DemoService,
  t: number,
): readonly string[] {
  if (cluster.profile.staging === true) return podNames(org, `${w.name}`, 1, `staging-${w.profile.version}`);
  return podsAt(plan, org, w, t);
}

const CPU_LIMIT_CORES = 2;

/** CPU percent of a node: the cluster's load, plus the payment-processor spike on nodes running its pods. */
export function nodeCpuPercent(
  plan: DemoPlan,
  org: DemoOrg,
  cluster: KubeCluster,
  node: KubeNode,
  t: number,
): number {
  const staging = cluster.profile.staging === true;
  let cpu =
    (staging ? 0.25 : 1) * (16 + 38 * orgLoad(org, t)) +
    5 * (smoothNoise(node.key, t, 20 * MINUTE) - 0.5) +
    1.5 * jitter(node.key, t);
  const payment =
    staging || org.index !== 0 ? undefined : cluster.workloads.find((w) => w.name === 'payment-processor');
  if (payment !== undefined) {
    const spike = cpuSpikeWeight(plan, t);
    if (spike > 0 && podsOf(plan, org, cluster, payment, t).some((p) => nodeOf(cluster, p) === node))
      cpu += 40 * spike;
  }
  return Math.min(99, Math.max(1, cpu));
}

/** Memory percent of a node. */
export function nodeMemoryPercent(node: KubeNode, t: number): number {
  return 48 + 14 * smoothNoise(node.key ^ 2, t, HOUR) + 0.5 * jitter(node.key ^ 3, t);
}

// --- ClickHouse: kubernetes_metrics ---------------------------------------------------------

/** Appends the rows of one resource at one instant: `(metric, value)` adds one `kubernetes_metrics` row. */
type ResourceMetrics = (metric: string, value: number) => void;

/**
 * The {@link ResourceMetrics} of one resource of `cluster` (its type, name and namespace)
 * at the ClickHouse time `ts`, pushing into `rows`; values are rounded to 3 decimals.
 */
function resourceMetrics(
  rows: Row[],
  cluster: KubeCluster,
  scope: TenantScope,
  ts: string,
  type: string,
  name: string,
  ns: string,
): ResourceMetrics {
  return (metric, value) => {
    rows.push({
      organization_id: scope.organization_id,
      workspace_id: scope.workspace_id,
      tenant_id: scope.tenant_id,
      timestamp: ts,
      cluster_name: cluster.profile.name,
      resource_type: type,
      resource_name: name,
      namespace: ns,
      metric_name: metric,
      value: Math.round(value * 1000) / 1000,
    });
  };
}

function clusterMetrics(plan: DemoPlan, org: DemoOrg, cluster: KubeCluster, t: number, rows: Row[]): void {
  const ts = chTime(t);
  const load = orgLoad(org, t);
  const k = cluster.key;
  const scope = cluster.scope;
  const spike = org.index === 0 && cluster.profile.staging !== true ? cpuSpikeWeight(plan, t) : 0;
  const isStaging = cluster.profile.staging === true;
  for (const w of cluster.workloads) {
    const pods = podsOf(plan, org, cluster, w, t);
    const cpu = isStaging ? 3 + 5 * load : cpuPercent(plan, org, w, t);
    const mem = isStaging ? 30 + 5 * smoothNoise(w.key, t, HOUR) : memoryPercent(plan, org, w, t);
    const ns = w.profile.namespace ?? 'default';
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i] as string;
      const pk = hashString(pod);
      const podMetric = resourceMetrics(rows, cluster, w.scope, ts, 'pod', pod, ns);
      podMetric('cpu.usage_cores', (cpu / 100) * CPU_LIMIT_CORES * (1 + 0.05 * jitter(pk, t)));
      podMetric(
        'memory.working_set_bytes',
        (mem / 100) * w.profile.memoryLimitGiB * 1024 ** 3 * (1 + 0.01 * jitter(pk ^ 1, t)),
      );
      // The service's container: CFS throttling climbs once CPU nears the limit.
      const throttled = Math.max(0, (cpu - 60) * 2 + 1.5 * jitter(pk ^ 2, t));
      const container = resourceMetrics(rows, cluster, w.scope, ts, 'container', `${pod}/${w.name}`, ns);
      container('cpu.throttled_percent', Math.min(100, throttled));
    }
    resourceMetrics(rows, cluster, w.scope, ts, 'deployment', w.name, ns)('replicas.available', pods.length);
  }
  for (const node of cluster.nodes) {
    const nodeMetric = resourceMetrics(rows, cluster, scope, ts, 'node', node.name, '');
    nodeMetric('cpu.usage', nodeCpuPercent(plan, org, cluster, node, t));
    nodeMetric('memory.usage', nodeMemoryPercent(node, t));
    nodeMetric('pods.running', 8 + (hashString(node.name) % 9));
  }
  const apiRate = (cluster.profile.staging === true ? 25 : 180) * (0.7 + 0.3 * load) + 40 * spike;
  const apiserver = resourceMetrics(rows, cluster, scope, ts, 'apiserver', 'kube-apiserver', 'kube-system');
  apiserver('apiserver.request_rate', apiRate * (1 + 0.05 * jitter(k, t)));
  apiserver('apiserver.request_latency_p99_ms', 45 + 30 * smoothNoise(k ^ 5, t, 15 * MINUTE) + 60 * spike);
  apiserver('apiserver.inflight_requests', Math.round(4 + 6 * load + 3 * unit(hash3(k, 6, t / MINUTE))));
  apiserver('apiserver.error_rate', 0.05 + 0.1 * smoothNoise(k ^ 7, t, 30 * MINUTE));
  const days = (t - plan.createdAt) / (24 * HOUR);
  const etcd = resourceMetrics(rows, cluster, scope, ts, 'etcd', 'etcd', 'kube-system');
  etcd('etcd.db_size_bytes', (380 + 1.5 * days) * 1024 ** 2 + 2 * 1024 ** 2 * jitter(k ^ 8, t));
  etcd('etcd.request_latency_p99_ms', 8 + 6 * smoothNoise(k ^ 9, t, 20 * MINUTE));
  etcd('etcd.has_leader', 1);
  etcd('etcd.leader_changes', unit(hash3(k, 10, Math.floor(t / HOUR))) < 0.02 && t % HOUR === 0 ? 1 : 0);
  const dns = (cluster.profile.staging === true ? 40 : 900) * (0.5 + 0.5 * load);
  const coredns = resourceMetrics(rows, cluster, scope, ts, 'coredns', 'coredns', 'kube-system');
  coredns('coredns.requests_rate', dns * (1 + 0.04 * jitter(k ^ 11, t)));
  coredns('coredns.cache_hit_ratio', 86 + 8 * smoothNoise(k ^ 12, t, HOUR));
  coredns('coredns.latency_p99_ms', 2.5 + 3 * smoothNoise(k ^ 13, t, 15 * MINUTE));
  coredns('coredns.servfail_rate', 0.02 + 0.05 * smoothNoise(k ^ 14, t, 30 * MINUTE));
  for (const pv of volumesOf(org, cluster)) {
    const used =
      pv.capacityGiB *
      (pv.fill + 0.08 * ((t - plan.createdAt) / (90 * 24 * HOUR)) + 0.01 * jitter(pv.key, t));
    const volume = resourceMetrics(rows, cluster, scope, ts, 'persistentvolume', pv.name, pv.namespace);
    volume('volume.used_bytes', used * 1024 ** 3);
    volume('volume.capacity_bytes', pv.capacityGiB * 1024 ** 3);
  }
}

const kubernetesMetricStream: ChStream = {
  name: 'kubernetes-metrics',
  tables: ['kubernetes_metrics'],
  rowsPerHour(plan) {
    let series = 0;
    for (const org of plan.orgs) {
      for (const c of kubeLayout(org)) {
        series +=
          c.workloads.reduce((n, w) => n + 3 * w.profile.replicas + 1, 0) +
          3 * c.nodes.length +
          14 +
          2 * volumesOf(org, c).length;
      }
    }
    return (series * 3600) / plan.spec.infraIntervalSeconds;
  },
  generate(plan, from, to) {
    const batch = emptyBatch(['kubernetes_metrics']);
    const rows = batch['kubernetes_metrics'] as Row[];
    forEachGridPoint(from, to, plan.spec.infraIntervalSeconds * 1000, (t) => {
      for (const org of plan.orgs) for (const c of kubeLayout(org)) clusterMetrics(plan, org, c, t, rows);
    });
    return batch;
  },
};

// --- PostgreSQL inventory -------------------------------------------------------------------

interface Volume {
  name: string;
  claim: string;
  namespace: string;
  capacityGiB: number;
  fill: number;
  storageClass: string;
  key: number;
}

function volumesOf(org: DemoOrg, cluster: KubeCluster): Volume[] {
  const sc = cluster.profile.provider === 'eks' ? 'gp3' : 'standard-rwo';
  const claims: [string, string, number, number][] =
    cluster.profile.staging === true
      ? [['staging-db-data', 'staging', 50, 0.41]]
      : org.index === 0
        ? [
            ['search-index-data', 'storefront', 200, 0.58],
            ['recommendation-model-cache', 'storefront', 100, 0.73],
            ['prometheus-data', 'monitoring', 500, 0.64],
          ]
        : [
            ['route-optimizer-map-tiles', 'fleet', 300, 0.81],
            ['telemetry-ingest-wal', 'fleet', 150, 0.37],
          ];
  return claims.map(([claim, namespace, capacityGiB, fill]) => {
    const key = valueKey(org, 'pv', `${cluster.profile.name}/${claim}`);
    return {
      name: `pvc-${uuidFromKey(key)}`,
      claim,
      namespace,
      capacityGiB,
      fill,
      storageClass: sc,
      key,
    };
  });
}

function clusterInventory(plan: DemoPlan, org: DemoOrg, c: KubeCluster): Record<string, Row[]> {
  const anchor = plan.anchor;
  const base = (kind: string, name: string): Row => ({
    id: entityId(org, kind, `${c.profile.name}/${name}`),
    organization_id: org.id,
    cluster_id: c.id,
    ...inventoryStamps(plan, hash2(c.key, hashString(`${kind}/${name}`))),
  });
  const t: Record<string, Row[]> = {
    kubernetes_namespaces: [],
    kubernetes_nodes: [],
    kubernetes_pods: [],
    kubernetes_deployments: [],
    kubernetes_persistent_volumes: [],
    kubernetes_services: [],
    kubernetes_hpas: [],
    kubernetes_configmaps: [],
    kubernetes_secrets: [],
  };
  const push = (table: string, row: Row): void => {
    (t[table] as Row[]).push(row);
  };
  for (const ns of c.namespaces)
    push('kubernetes_namespaces', {
      ...base('k8s-ns', ns),
      name: ns,
      status: 'Active',
      labels: { 'kubernetes.io/metadata.name': ns },
    });
  for (const node of c.nodes) {
    push('kubernetes_nodes', {
      ...base('k8s-node', node.name),
      name: node.name,
      status: 'Ready',
      roles: ['worker'],
      kubelet_version: c.profile.version,
      cpu_capacity: c.profile.nodeCpus,
      memory_capacity_bytes: c.profile.nodeMemoryGiB * 1024 ** 3,
      pod_capacity: 110,
      labels: {
        'topology.kubernetes.io/zone': `${c.profile.zone}${'abc'[hashString(node.name) % 3] as string}`,
        'node.kubernetes.io/instance-type': c.profile.provider === 'eks' ? 'm6i.2xlarge' : 'e2-standard-8',
      },
    });
    push('kubernetes_pods', {
      ...base('k8s-pod', `tfo-agent-${node.name}`),
      namespace: 'monitoring',
      name: `tfo-agent-${k8sSuffix(node.key, 5)}`,
      node_name: node.name,
      phase: 'Running',
      restart_count: 0,
      owner_kind: 'DaemonSet',
      owner_name: 'tfo-agent',
      started_at: pgTime(plan.createdAt + 7 * 24 * HOUR),
      labels: { app: 'tfo-agent' },
    });
  }
  const registry = `registry.${org.profile.domain}`;
  for (const w of c.workloads) {
    const ns = w.profile.namespace ?? 'default';
    const version = serviceVersionAt(plan, org, w.name, anchor - 1);
    const pods = podsOf(plan, org, c, w, anchor - 1);
    const rolloutAt =
      w.name === 'checkout-service' && org.index === 0 && c.profile.staging !== true
        ? plan.incidents.badDeploy.deployAt
        : anchor - Math.floor((1 + unit(hash2(w.key, 0x70)) * 20) * 24) * HOUR;
    pods.forEach((pod, i) => {
      const crashLooping =
        (org.index === 0 && w.name === 'recommendation-service' && i === 0) ||
        (org.index === 1 && w.name === 'route-optimizer' && i === 1);
      push('kubernetes_pods', {
        ...base('k8s-pod', `${w.name}/${i}`),
        namespace: ns,
        name: pod,
        node_name: nodeOf(c, pod).name,
        phase: 'Running',
        restart_count: crashLooping ? 7 : hashString(pod) % 5 === 0 ? 1 : 0,
        owner_kind: 'ReplicaSet',
        owner_name: pod.slice(0, pod.lastIndexOf('-')),
        started_at: pgTime(rolloutAt + (i + 1) * 40_000),
        labels: { app: w.name, version },
      });
    });
    push('kubernetes_deployments', {
      ...base('k8s-deploy', w.name),
      namespace: ns,
      name: w.name,
      replicas: pods.length,
      ready_replicas: pods.length,
      available_replicas: pods.length,
      image: `${registry}/${w.name}:${version}`,
      strategy: 'RollingUpdate',
      last_rollout_at: pgTime(rolloutAt),
    });
    push('kubernetes_services', {
      ...base('k8s-svc', w.name),
      namespace: ns,
      name: w.name,
      type: w.profile.kind === 'gateway' || w.profile.kind === 'web' ? 'LoadBalancer' : 'ClusterIP',
      cluster_ip: `172.20.${hashString(w.name) % 250}.${(hashString(w.name) >>> 8) % 250}`,
      ports: [
        {
          name: w.profile.kind === 'web' || w.profile.kind === 'gateway' ? 'http' : 'grpc',
          port: 80,
          targetPort: 8080,
          protocol: 'TCP',
        },
      ],
      selector: { app: w.name },
    });
    push('kubernetes_configmaps', {
      ...base('k8s-cm', w.name),
      namespace: ns,
      name: `${w.name}-config`,
      data_keys: ['application.yaml', 'LOG_LEVEL', 'FEATURE_FLAGS'],
      labels: { app: w.name },
    });
    push('kubernetes_secrets', {
      ...base('k8s-secret', `${w.name}-credentials`),
      namespace: ns,
      name: `${w.name}-credentials`,
      type: 'Opaque',
      data_keys: ['DB_USERNAME', 'DB_PASSWORD'],
      labels: { app: w.name },
    });
    if (w.name === 'payment-processor')
      push('kubernetes_secrets', {
        ...base('k8s-secret', 'psp-api-key'),
        namespace: ns,
        name: 'psp-api-key',
        type: 'Opaque',
        data_keys: ['api-key', 'webhook-secret'],
        labels: { app: w.name },
      });
  }
  for (const ns of c.namespaces) {
    push('kubernetes_configmaps', {
      ...base('k8s-cm', `${ns}/kube-root-ca.crt`),
      namespace: ns,
      name: 'kube-root-ca.crt',
      data_keys: ['ca.crt'],
      labels: {},
    });
    push('kubernetes_secrets', {
      ...base('k8s-secret', `${ns}/registry-pull`),
      namespace: ns,
      name: 'registry-pull-secret',
      type: 'kubernetes.io/dockerconfigjson',
      data_keys: ['.dockerconfigjson'],
      labels: {},
    });
  }
  push('kubernetes_configmaps', {
    ...base('k8s-cm', 'coredns'),
    namespace: 'kube-system',
    name: 'coredns',
    data_keys: ['Corefile'],
    labels: { 'k8s-app': 'kube-dns' },
  });
  push('kubernetes_services', {
    ...base('k8s-svc', 'kube-dns'),
    namespace: 'kube-system',
    name: 'kube-dns',
    type: 'ClusterIP',
    cluster_ip: '172.20.0.10',
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    ],
    selector: { 'k8s-app': 'kube-dns' },
  });
  push('kubernetes_deployments', {
    ...base('k8s-deploy', 'coredns'),
    namespace: 'kube-system',
    name: 'coredns',
    replicas: 2,
    ready_replicas: 2,
    available_replicas: 2,
    image: 'registry.k8s.io/coredns/coredns:v1.11.1',
    strategy: 'RollingUpdate',
    last_rollout_at: pgTime(plan.createdAt),
  });
  for (let i = 0; i < 2; i++) {
    const pod = `coredns-${k8sSuffix(hash2(c.key, 0xd5), 10)}-${k8sSuffix(hash3(c.key, 0xd5, i), 5)}`;
    push('kubernetes_pods', {
      ...base('k8s-pod', `coredns/${i}`),
      namespace: 'kube-system',
      name: pod,
      node_name: nodeOf(c, pod).name,
      phase: 'Running',
      restart_count: 0,
      owner_kind: 'ReplicaSet',
      owner_name: pod.slice(0, pod.lastIndexOf('-')),
      started_at: pgTime(plan.createdAt),
      labels: { 'k8s-app': 'kube-dns' },
    });
  }
  if (c.profile.staging !== true) {
    push('kubernetes_services', {
      ...base('k8s-svc', 'ingress-nginx-controller'),
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller',
      type: 'LoadBalancer',
      cluster_ip: '172.20.1.15',
      ports: [{ name: 'https', port: 443, targetPort: 443, protocol: 'TCP' }],
      selector: { 'app.kubernetes.io/name': 'ingress-nginx' },
    });
    const hpas: [string, number, number][] =
      org.index === 0
        ? [
            ['api-gateway', 3, 12],
            ['checkout-service', 3, 10],
            ['payment-processor', 4, PAYMENT_MAX_REPLICAS],
            ['search-service', 3, 8],
          ]
        : [
            ['fleet-api', 3, 10],
            ['telemetry-ingest', 3, 15],
          ];
    for (const [name, min, max] of hpas) {
      const w = c.workloads.find((x) => x.name === name);
      if (w === undefined) continue;
      const current = podsOf(plan, org, c, w, anchor - 1).length;
      const utilisation = Math.round(cpuPercent(plan, org, w, anchor - MINUTE) * 1.6);
      push('kubernetes_hpas', {
        ...base('k8s-hpa', name),
        namespace: w.profile.namespace ?? 'default',
        name,
        target_kind: 'Deployment',
        target_name: name,
        min_replicas: Math.max(min, 1),
        max_replicas: max,
        current_replicas: current,
        desired_replicas: current,
        metrics: [
          {
            type: 'Resource',
            resource: 'cpu',
            target_average_utilization: 70,
            current_average_utilization: utilisation,
          },
        ],
      });
    }
  }
  for (const pv of volumesOf(org, c)) {
    push('kubernetes_persistent_volumes', {
      ...base('k8s-pv', pv.claim),
      name: pv.name,
      storage_class: pv.storageClass,
      capacity_bytes: pv.capacityGiB * 1024 ** 3,
      access_modes: ['ReadWriteOnce'],
      status: 'Bound',
      claim_namespace: pv.namespace,
      claim_name: pv.claim,
    });
  }
  return t;
}

function event(
  plan: DemoPlan,
  org: DemoOrg,
  c: KubeCluster,
  key: string,
  e: {
    namespace: string;
    kind: string;
    name: string;
    type: string;
    reason: string;
    message: string;
    count?: number;
    first: number;
    last?: number;
  },
): Row {
  return {
    id: entityId(org, 'k8s-event', `${c.profile.name}/${key}`),
    organization_id: org.id,
    cluster_id: c.id,
    namespace: e.namespace,
    involved_kind: e.kind,
    involved_name: e.name,
    type: e.type,
    reason: e.reason,
    message: e.message,
    count: e.count ?? 1,
    first_seen_at: pgTime(e.first),
    last_seen_at: pgTime(e.last ?? e.first),
    created_at: pgTime(e.first),
    updated_at: pgTime(e.last ?? e.first),
  };
}

/** Incident events, as of the anchor (primary production cluster). */
function incidentEvents(plan: DemoPlan, org: DemoOrg, c: KubeCluster): Row[] {
  if (org.index !== 0 || c.profile.staging === true) return [];
  const inc = plan.incidents;
  const checkout = c.workloads.find((w) => w.name === 'checkout-service');
  const payment = c.workloads.find((w) => w.name === 'payment-processor');
  const reco = c.workloads.find((w) => w.name === 'recommendation-service');
  const rows: Row[] = [];
  if (checkout !== undefined) {
    const oldPods = podsOf(plan, org, c, checkout, inc.badDeploy.deployAt - 1);
    const newPods = podsOf(plan, org, c, checkout, inc.badDeploy.deployAt);
    const rs = (p: readonly string[]): string => (p[0] ?? '').slice(0, (p[0] ?? '').lastIndexOf('-'));
    rows.push(
      event(plan, org, c, 'deploy-up', {
        namespace: 'storefront',
        kind: 'Deployment',
        name: 'checkout-service',
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set ${rs(newPods)} to 3 (image checkout-service:${INCIDENT_FIGURES.badVersion})`,
        first: inc.badDeploy.deployAt,
      }),
    );
    rows.push(
      event(plan, org, c, 'deploy-down', {
        namespace: 'storefront',
        kind: 'Deployment',
        name: 'checkout-service',
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled down replica set ${rs(oldPods)} to 0 from 3`,
        first: inc.badDeploy.deployAt + 2 * MINUTE,
      }),
    );
    newPods.forEach((pod, i) =>
      rows.push(
        event(plan, org, c, `deploy-pulled-${i}`, {
          namespace: 'storefront',
          kind: 'Pod',
          name: pod,
          type: 'Normal',
          reason: 'Pulled',
          message: `Successfully pulled image "registry.${org.profile.domain}/checkout-service:${INCIDENT_FIGURES.badVersion}" in 2.1s`,
          first: inc.badDeploy.deployAt + (i + 1) * 20_000,
        }),
      ),
    );
  }
  if (payment !== undefined) {
    const spikePods = podsOf(plan, org, c, payment, inc.cpuSpike.start + 4 * MINUTE);
    rows.push(
      event(plan, org, c, 'hpa-up', {
        namespace: 'payments',
        kind: 'HorizontalPodAutoscaler',
        name: 'payment-processor',
        type: 'Normal',
        reason: 'SuccessfulRescale',
        message: `New size: ${PAYMENT_MAX_REPLICAS}; reason: cpu resource utilization (percentage of request) above target`,
        first: inc.cpuSpike.start + 3 * MINUTE,
      }),
    );
    rows.push(
      event(plan, org, c, 'hpa-max', {
        namespace: 'payments',
        kind: 'HorizontalPodAutoscaler',
        name: 'payment-processor',
        type: 'Warning',
        reason: 'ScalingLimited',
        message: `the desired replica count is more than the maximum replica count (${PAYMENT_MAX_REPLICAS})`,
        count: 12,
        first: inc.cpuSpike.start + 4 * MINUTE,
        last: inc.cpuSpike.end - MINUTE,
      }),
    );
    rows.push(
      event(plan, org, c, 'probe', {
        namespace: 'payments',
        kind: 'Pod',
        name: spikePods[0] ?? 'payment-processor',
        type: 'Warning',
        reason: 'Unhealthy',
        message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
        count: 14,
        first: inc.cpuSpike.start + 4 * MINUTE,
        last: inc.cpuSpike.end,
      }),
    );
    rows.push(
      event(plan, org, c, 'hpa-down', {
        namespace: 'payments',
        kind: 'HorizontalPodAutoscaler',
        name: 'payment-processor',
        type: 'Normal',
        reason: 'SuccessfulRescale',
        message: 'New size: 4; reason: All metrics below target',
        first: inc.anchor - MINUTE,
      }),
    );
  }
  if (reco !== undefined) {
    const pod = podsOf(plan, org, c, reco, inc.anchor - 1)[0] ?? 'recommendation-service';
    rows.push(
      event(plan, org, c, 'reco-backoff', {
        namespace: 'storefront',
        kind: 'Pod',
        name: pod,
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container recommendation-service (exit code 137, OOMKilled)',
        count: 7,
        first: inc.anchor - 5 * HOUR,
        last: inc.anchor - 12 * MINUTE,
      }),
    );
  }
  return rows;
}

const ROUTINE_EVENTS: readonly { type: string; reason: string; kind: string; message: string }[] = [
  { type: 'Normal', reason: 'Pulled', kind: 'Pod', message: 'Container image already present on machine' },
  {
    type: 'Normal',
    reason: 'SuccessfulCreate',
    kind: 'Job',
    message: 'Created pod for scheduled backup job',
  },
  { type: 'Normal', reason: 'Completed', kind: 'Job', message: 'Job completed' },
  {
    type: 'Warning',
    reason: 'FailedGetResourceMetric',
    kind: 'HorizontalPodAutoscaler',
    message:
      'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
  },
  {
    type: 'Normal',
    reason: 'RegisteredNode',
    kind: 'Node',
    message: 'Node event: Registered Node in Controller',
  },
  {
    type: 'Warning',
    reason: 'NodeHasDiskPressure',
    kind: 'Node',
    message: 'Node status is now: NodeHasDiskPressure (image filesystem 86% used)',
  },
  { type: 'Normal', reason: 'Killing', kind: 'Pod', message: 'Stopping container for scheduled restart' },
];

/** Routine Kubernetes events: per cluster, at most one per 30-minute slot. */
function routineEvents(plan: DemoPlan, from: number, to: number): Row[] {
  const rows: Row[] = [];
  const slot = 30 * MINUTE;
  for (const org of plan.orgs) {
    for (const c of kubeLayout(org)) {
      // Kept by event time: a slot that starts before the window may hold an event inside it.
      forEachGridPoint(from - slot, to, slot, (t, k) => {
        const rng = new Prng(hash3(c.key, 0xe7e, k));
        if (!rng.chance(0.55)) return;
        const e = rng.pick(ROUTINE_EVENTS);
        const w = c.workloads.length > 0 ? rng.pick(c.workloads) : undefined;
        const node = rng.pick(c.nodes);
        const name =
          e.kind === 'Node'
            ? node.name
            : e.kind === 'Job'
              ? `db-backup-${k % 100000}`
              : w !== undefined
                ? (podsOf(plan, org, c, w, t)[0] ?? w.name)
                : node.name;
        const ns =
          e.kind === 'Node' ? '' : e.kind === 'Job' ? 'default' : (w?.profile.namespace ?? 'default');
        const first = t + rng.int(slot);
        if (first < from || first >= to) return;
        rows.push(
          event(plan, org, c, `routine-${k}`, {
            namespace: ns,
            kind: e.kind,
            name,
            type: e.type,
            reason: e.reason,
            message: e.message,
            first,
          }),
        );
      });
    }
  }
  return rows;
}

/** The Kubernetes family. */
export const kubernetesFamily: DemoFamily = {
  name: 'kubernetes',
  pgTables: [
    'kubernetes_clusters',
    'kubernetes_namespaces',
    'kubernetes_nodes',
    'kubernetes_pods',
    'kubernetes_deployments',
    'kubernetes_persistent_volumes',
    'kubernetes_services',
    'kubernetes_hpas',
    'kubernetes_configmaps',
    'kubernetes_secrets',
    'kubernetes_events',
  ],
  inventory(plan) {
    const clusters: Row[] = [];
    const parts: Record<string, Row[]> = {};
    const events: Row[] = [];
    for (const org of plan.orgs) {
      for (const c of kubeLayout(org)) {
        clusters.push({
          id: c.id,
          organization_id: org.id,
          name: c.profile.name,
          provider: c.profile.provider,
          region: c.profile.region,
          version: c.profile.version,
          status: 'healthy',
          node_count: c.nodes.length,
          last_seen_at: pgTime(plan.anchor),
          ...inventoryStamps(plan, c.key),
        });
        for (const [table, rows] of Object.entries(clusterInventory(plan, org, c)))
          (parts[table] ??= []).push(...rows);
        events.push(...incidentEvents(plan, org, c));
      }
    }
    return [
      pgRows('kubernetes_clusters', clusters),
      ...Object.entries(parts).map(([table, rows]) => pgRows(table, rows)),
      pgRows('kubernetes_events', events),
    ];
  },
  window: (plan, from, to) => [pgRows('kubernetes_events', routineEvents(plan, from, to))],
  mutations(plan, from, to) {
    const out: PgWrite[] = [];
    const at = plan.incidents.badDeploy.rollbackAt;
    if (at < from || at >= to) return out;
    const org = plan.orgs[0];
    const c = org === undefined ? undefined : kubeLayout(org).find((x) => x.profile.staging !== true);
    const w = c?.workloads.find((x) => x.name === 'checkout-service');
    if (org === undefined || c === undefined || w === undefined) return out;
    const version = INCIDENT_FIGURES.goodVersion;
    out.push(
      pgStatement(
        'kubernetes_deployments',
        'UPDATE kubernetes_deployments SET image = $1, last_rollout_at = $2, updated_at = $2 WHERE id = $3',
        [
          `registry.${org.profile.domain}/checkout-service:${version}`,
          pgTime(at),
          entityId(org, 'k8s-deploy', `${c.profile.name}/checkout-service`),
        ],
      ),
    );
    podsOf(plan, org, c, w, at).forEach((pod, i) => {
      out.push(
        pgStatement(
          'kubernetes_pods',
          'UPDATE kubernetes_pods SET name = $1, node_name = $2, owner_name = $3, started_at = $4, restart_count = 0, labels = $5::jsonb, updated_at = $4 WHERE id = $6',
          [
            pod,
            nodeOf(c, pod).name,
            pod.slice(0, pod.lastIndexOf('-')),
            pgTime(at + (i + 1) * 40_000),
            JSON.stringify({ app: 'checkout-service', version }),
            entityId(org, 'k8s-pod', `${c.profile.name}/checkout-service/${i}`),
          ],
        ),
      );
    });
    out.push(
      pgRows('kubernetes_events', [
        event(plan, org, c, 'rollback', {
          namespace: 'storefront',
          kind: 'Deployment',
          name: 'checkout-service',
          type: 'Normal',
          reason: 'ScalingReplicaSet',
          message: `Rolled back to ${version}: scaled up replica set ${(podsOf(plan, org, c, w, at)[0] ?? '').replace(/-[^-]+$/, '')} to 3`,
          first: at,
        }),
      ]),
    );
    return out;
  },
  refresh: (plan, at) =>
    plan.orgs.flatMap((org) =>
      kubeLayout(org).map((c) =>
        pgStatement('kubernetes_clusters', 'UPDATE kubernetes_clusters SET last_seen_at = $1 WHERE id = $2', [
          pgTime(at),
          c.id,
        ]),
      ),
    ),
  streams: [kubernetesMetricStream],
};
