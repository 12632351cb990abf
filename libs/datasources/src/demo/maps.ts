/**
 * Service map and network map: the PostgreSQL inventories (service_map_services,
 * service_map_dependencies, network_map_nodes, network_map_connections) and the network
 * series (network_map_traffic, network_map_connection_metrics). The per-call service-map
 * series (service_map_metrics) comes from the traces (traces.ts).
 *
 * Invariants: dependencies are exactly the edges of the call graph; the inventories'
 * rates and latencies are the signals at the anchor and are refreshed to the end of every
 * run; the network has an edge firewall, a DNS resolver and blocked connections, so the
 * firewall, DNS and security views of the network map have data.
 */
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
  valueKey,
  type DemoOrg,
  type DemoPlan,
  type TenantScope,
} from './plan.js';
import { serviceStats } from './services.js';
import { kubeLayout } from './kubernetes.js';
import { cpuSpikeWeight, orgLoad } from './signals.js';
import { routeEdges } from './traces.js';
import { chTime, forEachGridPoint, jitter, MINUTE, pgTime, ramp, smoothNoise } from './time.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function serviceStatus(stats: { errorPct: number; latencyMs: number }, baselineMs: number): string {
  if (stats.errorPct >= 5) return 'critical';
  if (stats.errorPct >= 1 || stats.latencyMs > baselineMs * 2) return 'degraded';
  return 'healthy';
}

function serviceRows(plan: DemoPlan, at: number): Row[] {
  const rows: Row[] = [];
  for (const org of plan.orgs) {
    for (const svc of org.services) {
      const stats = serviceStats(plan, org, svc, at);
      const baseline = serviceStats(plan, org, svc, plan.createdAt).latencyMs;
      rows.push({
        id: entityId(org, 'smap-service', svc.name),
        organization_id: org.id,
        workspace_id: svc.scope.workspace_id,
        name: svc.name,
        type: svc.profile.kind,
        language: svc.profile.language,
        version: svc.profile.version,
        environment: 'production',
        status: serviceStatus(stats, baseline),
        request_rate: round3(stats.rps),
        error_rate: round3(stats.errorPct),
        latency_ms: round3(stats.latencyMs),
        last_seen_at: pgTime(at),
        ...inventoryStamps(plan, svc.key),
      });
    }
  }
  return rows;
}

function dependencyRows(plan: DemoPlan, at: number): Row[] {
  const rows: Row[] = [];
  for (const org of plan.orgs) {
    for (const e of routeEdges(org)) {
      const source = org.serviceByName.get(e.source);
      const target = org.serviceByName.get(e.target);
      if (source === undefined || target === undefined) continue;
      const s = serviceStats(plan, org, source, at);
      const t = serviceStats(plan, org, target, at);
      rows.push({
        id: entityId(org, 'smap-dep', `${e.source}>${e.target}`),
        organization_id: org.id,
        source_service: e.source,
        target_service: e.target,
        protocol: e.protocol,
        request_rate: round3(Math.min(s.rps, t.rps) * 0.6),
        latency_ms: round3(t.latencyMs),
        error_rate: round3(t.errorPct),
        last_seen_at: pgTime(at),
        ...inventoryStamps(plan, valueKey(org, 'smap-dep', `${e.source}>${e.target}`)),
      });
    }
  }
  return rows;
}

/** A network node. */
interface NetNode {
  name: string;
  type: string;
  ip: string | null;
  zone: string;
  status: string;
  labels: Record<string, string>;
}

/** A network link. */
interface NetLink {
  source: string;
  target: string;
  protocol: string;
  port: number;
  /** Bytes per second at peak load, from source to target. */
  bps: number;
  latencyMs: number;
  status: 'active' | 'blocked';
  key: number;
  /** Traffic to the database-primary host (affected by the memory leak). */
  toPrimaryDb?: boolean;
  /** Outbound calls of payment-processor's nodes (affected by the CPU spike). */
  payment?: boolean;
}

interface Network {
  nodes: NetNode[];
  links: NetLink[];
  scope: TenantScope;
}

const netCache = new WeakMap<DemoOrg, Network>();

/** The network of an organization (memoised). */
export function networkOf(org: DemoOrg): Network {
  const cached = netCache.get(org);
  if (cached !== undefined) return cached;
  const p = org.profile;
  const cluster = kubeLayout(org).find((c) => c.profile.staging !== true);
  const kubeNodes = cluster?.nodes ?? [];
  const primary = org.index === 0;
  const lb = primary ? 'alb-public' : 'gclb-public';
  const fw = primary ? 'waf-edge' : 'cloud-armor-edge';
  const dns = primary ? 'route53-resolver' : 'cloud-dns';
  const nodes: NetNode[] = [
    { name: 'internet', type: 'external', ip: null, zone: 'global', status: 'up', labels: {} },
    {
      name: fw,
      type: 'firewall',
      ip: primary ? '10.20.0.2' : '10.40.0.2',
      zone: p.region,
      status: 'up',
      labels: { rules: primary ? '48' : '31', mode: 'prevention' },
    },
    {
      name: lb,
      type: 'load_balancer',
      ip: primary ? '10.20.0.10' : '10.40.0.10',
      zone: p.region,
      status: 'up',
      labels: { scheme: 'internet-facing' },
    },
    {
      name: dns,
      type: 'dns',
      ip: primary ? '10.20.0.53' : '10.40.0.53',
      zone: p.region,
      status: 'up',
      labels: { resolver: 'vpc' },
    },
    ...kubeNodes.map((n) => ({
      name: n.name,
      type: 'kubernetes_node',
      ip: n.ip,
      zone: p.region,
      status: 'up',
      labels: { cluster: cluster?.profile.name ?? '' },
    })),
    ...p.vms.map((v) => ({
      name: v.name,
      type:
        v.role === 'database'
          ? 'database'
          : v.role === 'cache'
            ? 'cache'
            : v.role === 'queue'
              ? 'queue'
              : 'host',
      ip: v.ip,
      zone: v.zone,
      status: v.name === 'bastion-01' ? 'down' : 'up',
      labels: { role: v.role },
    })),
  ];
  if (primary) {
    nodes.push({
      name: 'ingress-nginx',
      type: 'gateway',
      ip: '10.20.10.5',
      zone: p.region,
      status: 'up',
      labels: { cluster: cluster?.profile.name ?? '' },
    });
    nodes.push({
      name: 'psp-gateway.example',
      type: 'external',
      ip: null,
      zone: 'global',
      status: 'up',
      labels: { purpose: 'payment service provider' },
    });
    nodes.push({
      name: 'smtp-relay.example',
      type: 'external',
      ip: null,
      zone: 'global',
      status: 'up',
      labels: { purpose: 'e-mail' },
    });
  } else {
    nodes.push({
      name: 'atlas-events',
      type: 'database',
      ip: null,
      zone: 'us-east1',
      status: 'up',
      labels: { engine: 'mongodb-atlas' },
    });
  }
  const links: Omit<NetLink, 'key'>[] = [];
  const link = (
    source: string,
    target: string,
    protocol: string,
    port: number,
    mbps: number,
    latencyMs: number,
    extra: Partial<NetLink> = {},
  ): void => {
    links.push({
      source,
      target,
      protocol,
      port,
      bps: mbps * 1024 ** 2,
      latencyMs,
      status: 'active',
      ...extra,
    });
  };
  link('internet', fw, 'https', 443, 60, 18);
  link(fw, lb, 'https', 443, 58, 0.4);
  const entry = primary ? 'ingress-nginx' : lb;
  if (primary) link(lb, 'ingress-nginx', 'https', 443, 55, 0.5);
  for (const n of kubeNodes) {
    link(entry, n.name, 'http', 8080, 55 / Math.max(1, kubeNodes.length), 0.3);
    link(n.name, dns, 'dns', 53, 0.2, 0.8);
  }
  if (primary) {
    for (const n of kubeNodes) {
      link(n.name, 'db-primary-01', 'postgresql', 5432, 6, 0.6, { toPrimaryDb: true });
      link(n.name, 'redis-01', 'redis', 6379, 9, 0.3);
      link(n.name, 'kafka-01', 'kafka', 9092, 3, 0.5);
    }
    link('db-primary-01', 'db-replica-01', 'postgresql', 5432, 4, 0.9, { toPrimaryDb: true });
    link('kafka-01', 'kafka-02', 'kafka', 9093, 2, 0.7);
    link('kafka-01', 'kafka-03', 'kafka', 9093, 2, 0.8);
    const [n0, n1] = kubeNodes;
    if (n0 !== undefined) link(n0.name, 'psp-gateway.example', 'https', 443, 0.8, 35, { payment: true });
    if (n1 !== undefined) link(n1.name, 'psp-gateway.example', 'https', 443, 0.8, 36, { payment: true });
    if (n1 !== undefined) link(n1.name, 'smtp-relay.example', 'smtp', 587, 0.3, 22);
    link('bastion-01', 'db-primary-01', 'ssh', 22, 0.01, 0.7);
    link('internet', 'db-primary-01', 'postgresql', 5432, 0.001, 0, { status: 'blocked' });
    link('internet', 'redis-01', 'redis', 6379, 0.001, 0, { status: 'blocked' });
  } else {
    for (const n of kubeNodes) {
      link(n.name, 'fleet-db-01', 'postgresql', 5432, 5, 0.7);
      link(n.name, 'rabbitmq-01', 'amqp', 5672, 4, 0.5);
      link(n.name, 'atlas-events', 'mongodb', 27017, 7, 2.4);
    }
    link('etl-worker-01', 'fleet-db-01', 'postgresql', 5432, 2, 0.8);
    link('internet', 'rabbitmq-01', 'amqp', 15672, 0.001, 0, { status: 'blocked' });
  }
  const net: Network = {
    nodes,
    links: links.map((l) => ({ ...l, key: valueKey(org, 'net-link', `${l.source}>${l.target}:${l.port}`) })),
    scope: org.platformScope,
  };
  netCache.set(org, net);
  return net;
}

interface LinkSample {
  bytesSent: number;
  bytesReceived: number;
  packets: number;
  latencyMs: number;
  loss: number;
  connections: number;
  retransmits: number;
}

/** One link's traffic over `seconds` ending at `t`. */
function sample(plan: DemoPlan, org: DemoOrg, l: NetLink, t: number, seconds: number): LinkSample {
  const load = orgLoad(org, t);
  if (l.status === 'blocked') {
    const attempts = Math.max(0, Math.round(3 + 3 * jitter(l.key, t)));
    return {
      bytesSent: attempts * 60,
      bytesReceived: 0,
      packets: attempts,
      latencyMs: 0,
      loss: 100,
      connections: 0,
      retransmits: 0,
    };
  }
  const anchor = plan.anchor;
  let latency =
    l.latencyMs *
    (1 + 0.1 * load + 0.1 * (smoothNoise(l.key, t, 10 * MINUTE) - 0.5)) *
    (1 + 0.03 * jitter(l.key ^ 1, t));
  let loss = Math.max(0, 0.01 + 0.02 * (smoothNoise(l.key ^ 2, t, 30 * MINUTE) - 0.3));
  let conns = Math.max(1, Math.round((l.bps / (256 * 1024)) * (0.5 + load)));
  let retrans = Math.round(conns * 0.02 * (1 + jitter(l.key ^ 3, t)));
  let rate = l.bps * load * (1 + 0.08 * jitter(l.key ^ 4, t));
  if (org.index === 0 && l.toPrimaryDb === true) {
    latency *=
      1 + 1.5 * ramp(t, anchor - 60 * MINUTE, anchor) * (t < plan.incidents.memoryLeak.oomAt ? 1 : 0);
    const oom = plan.incidents.memoryLeak.oomAt;
    if (t >= oom && t < oom + 3 * MINUTE) {
      rate *= 0.05;
      conns = 0;
      loss = 35;
    }
  }
  if (org.index === 0 && l.payment === true) {
    const s = cpuSpikeWeight(plan, t);
    retrans += Math.round(40 * s);
    latency *= 1 + 0.5 * s;
  }
  const bytesSent = Math.round(rate * seconds);
  return {
    bytesSent,
    bytesReceived: Math.round(bytesSent * (l.protocol === 'https' || l.protocol === 'http' ? 6 : 1.4)),
    packets: Math.round((bytesSent * 2.2) / 1200),
    latencyMs: round3(Math.max(0.05, latency)),
    loss: round3(Math.min(100, loss)),
    connections: conns,
    retransmits: Math.max(0, retrans),
  };
}

const TRAFFIC_TABLES = ['network_map_traffic', 'network_map_connection_metrics'];

const networkStream: ChStream = {
  name: 'network',
  tables: TRAFFIC_TABLES,
  rowsPerHour: (plan) =>
    (plan.orgs.reduce((n, o) => n + networkOf(o).links.length, 0) * 2 * 3600) /
    plan.spec.infraIntervalSeconds,
  generate(plan, from, to) {
    const batch = emptyBatch(TRAFFIC_TABLES);
    const traffic = batch['network_map_traffic'] as Row[];
    const quality = batch['network_map_connection_metrics'] as Row[];
    const seconds = plan.spec.infraIntervalSeconds;
    forEachGridPoint(from, to, seconds * 1000, (t) => {
      const ts = chTime(t);
      for (const org of plan.orgs) {
        const net = networkOf(org);
        for (const l of net.links) {
          const s = sample(plan, org, l, t, seconds);
          const scope = net.scope;
          traffic.push({
            organization_id: scope.organization_id,
            workspace_id: scope.workspace_id,
            tenant_id: scope.tenant_id,
            timestamp: ts,
            source_node: l.source,
            target_node: l.target,
            protocol: l.protocol,
            port: l.port,
            bytes_sent: s.bytesSent,
            bytes_received: s.bytesReceived,
            packets: s.packets,
          });
          quality.push({
            organization_id: scope.organization_id,
            workspace_id: scope.workspace_id,
            tenant_id: scope.tenant_id,
            timestamp: ts,
            source_node: l.source,
            target_node: l.target,
            latency_ms: s.latencyMs,
            packet_loss: s.loss,
            connection_count: s.connections,
            retransmits: s.retransmits,
          });
        }
      }
    });
    return batch;
  },
};

function networkRows(plan: DemoPlan, at: number): { nodes: Row[]; links: Row[] } {
  const nodes: Row[] = [];
  const links: Row[] = [];
  for (const org of plan.orgs) {
    const net = networkOf(org);
    for (const n of net.nodes) {
      nodes.push({
        id: entityId(org, 'net-node', n.name),
        organization_id: org.id,
        name: n.name,
        type: n.type,
        ip_address: n.ip,
        zone: n.zone,
        status: n.status,
        labels: n.labels,
        ...inventoryStamps(plan, valueKey(org, 'net-node', n.name)),
      });
    }
    for (const l of net.links) {
      const s = sample(plan, org, l, at, 1);
      links.push(linkRow(plan, org, l, s));
    }
  }
  return { nodes, links };
}

function linkRow(plan: DemoPlan, org: DemoOrg, l: NetLink, s: LinkSample): Row {
  return {
    id: entityId(org, 'net-link', `${l.source}>${l.target}:${l.port}`),
    organization_id: org.id,
    source_node: l.source,
    target_node: l.target,
    protocol: l.protocol,
    port: l.port,
    bytes_per_second: s.bytesSent,
    packets_per_second: s.packets,
    latency_ms: s.latencyMs,
    packet_loss: s.loss,
    status: l.status,
    ...inventoryStamps(plan, l.key),
  };
}

/** The service-map and network-map family. */
export const mapsFamily: DemoFamily = {
  name: 'maps',
  pgTables: [
    'service_map_services',
    'service_map_dependencies',
    'network_map_nodes',
    'network_map_connections',
  ],
  inventory(plan) {
    const { nodes, links } = networkRows(plan, plan.anchor);
    return [
      pgRows('service_map_services', serviceRows(plan, plan.anchor)),
      pgRows('service_map_dependencies', dependencyRows(plan, plan.anchor)),
      pgRows('network_map_nodes', nodes),
      pgRows('network_map_connections', links),
    ];
  },
  refresh(plan, at) {
    const out: PgWrite[] = [];
    const services = serviceRows(plan, at);
    out.push(
      pgStatement(
        'service_map_services',
        `UPDATE service_map_services s SET status = r.status, request_rate = r.request_rate, error_rate = r.error_rate,
           latency_ms = r.latency_ms, last_seen_at = r.last_seen_at
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, status text, request_rate double precision,
           error_rate double precision, latency_ms double precision, last_seen_at timestamptz)
         WHERE s.id = r.id`,
        [JSON.stringify(services)],
      ),
    );
    out.push(
      pgStatement(
        'service_map_dependencies',
        `UPDATE service_map_dependencies d SET request_rate = r.request_rate, error_rate = r.error_rate,
           latency_ms = r.latency_ms, last_seen_at = r.last_seen_at
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, request_rate double precision,
           error_rate double precision, latency_ms double precision, last_seen_at timestamptz)
         WHERE d.id = r.id`,
        [JSON.stringify(dependencyRows(plan, at))],
      ),
    );
    const { links } = networkRows(plan, at);
    out.push(
      pgStatement(
        'network_map_connections',
        `UPDATE network_map_connections c SET bytes_per_second = r.bytes_per_second,
           packets_per_second = r.packets_per_second, latency_ms = r.latency_ms, packet_loss = r.packet_loss
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, bytes_per_second double precision,
           packets_per_second double precision, latency_ms double precision, packet_loss double precision)
         WHERE c.id = r.id`,
        [JSON.stringify(links)],
      ),
    );
    return out;
  },
  streams: [networkStream],
};
