/**
 * Hosts: the PostgreSQL `agents` inventory (host, Kubernetes, database and synthetic-probe
 * agents) and the `vm_metrics` series of every VM and Kubernetes node (cpu.*, memory.*,
 * disk.*, net.* names, the prefixes the infra-* contexts filter on).
 *
 * Invariants: a VM that runs a service reports that service's CPU and memory (so
 * db-primary-01 shows the database-primary memory leak); Kubernetes nodes report the same
 * CPU as in `kubernetes_metrics`. Agents' heartbeats are refreshed at the end of each run,
 * except the one agent that is offline on purpose.
 */
import { emptyBatch, pgRows, pgStatement, type ChStream, type DemoFamily, type Row } from './model.js';
import {
  entityId,
  inventoryStamps,
  valueKey,
  type DemoOrg,
  type DemoPlan,
  type TenantScope,
} from './plan.js';
import { hash2, hashString, hex8 } from './prng.js';
import { cpuPercent, memoryPercent, orgLoad } from './signals.js';
import { kubeLayout, nodeCpuPercent, nodeMemoryPercent } from './kubernetes.js';
import { chTime, forEachGridPoint, HOUR, jitter, MINUTE, pgTime, smoothNoise } from './time.js';

/** A VM (or node) of the estate with what its series need. */
export interface DemoVm {
  id: string;
  vmId: string;
  name: string;
  ip: string;
  os: string;
  role: string;
  cpus: number;
  memoryGiB: number;
  diskGiB: number;
  key: number;
  scope: TenantScope;
  cpu: (plan: DemoPlan, t: number) => number;
  memory: (plan: DemoPlan, t: number) => number;
}

const vmCache = new WeakMap<DemoOrg, DemoVm[]>();

/** Every VM and Kubernetes node of an organization (memoised). */
export function vmsOf(org: DemoOrg): DemoVm[] {
  const cached = vmCache.get(org);
  if (cached !== undefined) return cached;
  const vms: DemoVm[] = org.profile.vms.map((v) => {
    const key = valueKey(org, 'vm', v.name);
    const svc = v.service === undefined ? undefined : org.serviceByName.get(v.service);
    return {
      id: entityId(org, 'vm', v.name),
      vmId: `i-0${hex8(hash2(org.idKey, hashString(v.name)))}${hex8(hash2(org.idKey, hashString(`${v.name}#`))).slice(0, 8)}`,
      name: v.name,
      ip: v.ip,
      os: v.os,
      role: v.role,
      cpus: v.cpus,
      memoryGiB: v.memoryGiB,
      diskGiB: v.diskGiB,
      key,
      scope: svc?.scope ?? org.platformScope,
      cpu: (plan, t) =>
        svc !== undefined
          ? cpuPercent(plan, org, svc, t)
          : v.cpu[0] +
            (v.cpu[1] - v.cpu[0]) * (v.role === 'batch' ? batchLoad(t, org) : orgLoad(org, t)) +
            3 * (smoothNoise(key, t, 15 * MINUTE) - 0.5),
      memory: (plan, t) =>
        svc !== undefined
          ? memoryPercent(plan, org, svc, t)
          : 40 + 20 * smoothNoise(key ^ 0x3e, t, 2 * HOUR) + 0.5 * jitter(key ^ 0x3f, t),
    };
  });
  for (const c of kubeLayout(org)) {
    for (const node of c.nodes) {
      vms.push({
        id: entityId(org, 'vm', node.name),
        vmId: `i-0${hex8(hash2(org.idKey, hashString(node.name)))}${hex8(hash2(org.idKey, hashString(`${node.name}#`))).slice(0, 8)}`,
        name: node.name,
        ip: node.ip,
        os: c.profile.provider === 'eks' ? 'Bottlerocket OS 1.20' : 'Container-Optimized OS 113',
        role: 'kubernetes-node',
        cpus: c.profile.nodeCpus,
        memoryGiB: c.profile.nodeMemoryGiB,
        diskGiB: 100,
        key: node.key,
        scope: c.scope,
        cpu: (plan, t) => nodeCpuPercent(plan, org, c, node, t),
        memory: (_plan, t) => nodeMemoryPercent(node, t),
      });
    }
  }
  vmCache.set(org, vms);
  return vms;
}

/** Nightly batch window (01:00-05:00 local) for batch hosts. */
function batchLoad(t: number, org: DemoOrg): number {
  const hour = (((t / HOUR + org.profile.utcOffsetHours) % 24) + 24) % 24;
  return hour >= 1 && hour < 5 ? 0.9 : 0.05;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

const vmMetricStream: ChStream = {
  name: 'vm-metrics',
  tables: ['vm_metrics'],
  rowsPerHour: (plan) =>
    (plan.orgs.reduce((n, o) => n + vmsOf(o).length, 0) * 10 * 3600) / plan.spec.infraIntervalSeconds,
  generate(plan, from, to) {
    const batch = emptyBatch(['vm_metrics']);
    const rows = batch['vm_metrics'] as Row[];
    forEachGridPoint(from, to, plan.spec.infraIntervalSeconds * 1000, (t) => {
      const ts = chTime(t);
      for (const org of plan.orgs) {
        const load = orgLoad(org, t);
        for (const vm of vmsOf(org)) {
          const cpu = vm.cpu(plan, t);
          const mem = vm.memory(plan, t);
          const k = vm.key;
          const disk =
            35 + 30 * ((hashString(vm.name) % 100) / 100) + 4 * ((t - plan.createdAt) / (90 * 24 * HOUR));
          const io = vm.role === 'database' ? 40 : vm.role === 'queue' ? 25 : 4;
          const net =
            vm.role === 'kubernetes-node' ? 30 : vm.role === 'database' ? 20 : vm.role === 'cache' ? 45 : 6;
          const values: [string, number, string][] = [
            ['cpu.usage', cpu, '%'],
            ['cpu.load1', (cpu / 100) * vm.cpus * (1 + 0.1 * jitter(k ^ 1, t)), ''],
            ['memory.usage', mem, '%'],
            ['memory.used_bytes', (mem / 100) * vm.memoryGiB * 1024 ** 3, 'By'],
            ['disk.usage', Math.min(97, disk + 0.3 * jitter(k ^ 2, t)), '%'],
            ['disk.read_bytes_per_sec', io * 1024 ** 2 * load * (1 + 0.2 * jitter(k ^ 3, t)), 'By/s'],
            ['disk.write_bytes_per_sec', io * 0.6 * 1024 ** 2 * load * (1 + 0.2 * jitter(k ^ 4, t)), 'By/s'],
            ['net.rx_bytes_per_sec', net * 1024 ** 2 * load * (1 + 0.1 * jitter(k ^ 5, t)), 'By/s'],
            ['net.tx_bytes_per_sec', net * 0.8 * 1024 ** 2 * load * (1 + 0.1 * jitter(k ^ 6, t)), 'By/s'],
            ['net.errors', Math.max(0, Math.round(0.3 * jitter(k ^ 7, t))), 'count'],
          ];
          for (const [metric, value, unit] of values) {
            rows.push({
              organization_id: vm.scope.organization_id,
              workspace_id: vm.scope.workspace_id,
              tenant_id: vm.scope.tenant_id,
              timestamp: ts,
              vm_id: vm.vmId,
              host_name: vm.name,
              metric_name: metric,
              value: round3(value),
              unit,
            });
          }
        }
      }
    });
    return batch;
  },
};

interface AgentSpec {
  name: string;
  host: string;
  type: string;
  version: string;
  os: string;
  ip: string | null;
  labels: Record<string, string>;
  offline?: boolean;
  degraded?: boolean;
}

function agentsOf(org: DemoOrg): AgentSpec[] {
  const agents: AgentSpec[] = org.profile.vms.map((v) => ({
    name: `tfo-agent@${v.name}`,
    host: v.name,
    type: 'host',
    version: v.name === 'etl-worker-01' ? '1.8.2' : '2.3.1',
    os: v.os,
    ip: v.ip,
    labels: { role: v.role, zone: v.zone },
    offline: v.name === 'bastion-01',
    degraded: v.name === 'etl-worker-01',
  }));
  for (const c of kubeLayout(org)) {
    agents.push({
      name: `tfo-agent@${c.profile.name}`,
      host: c.profile.name,
      type: 'kubernetes',
      version: '2.3.1',
      os: 'linux',
      ip: null,
      labels: { cluster: c.profile.name, mode: 'daemonset' },
    });
  }
  agents.push({
    name: `db-collector@${org.profile.slug}`,
    host: `dbmon-01.${org.profile.domain}`,
    type: 'database',
    version: '2.3.0',
    os: 'Ubuntu 22.04',
    ip: org.index === 0 ? '10.20.0.40' : '10.40.0.40',
    labels: { engines: 'all' },
  });
  const regions = [...new Set(org.profile.monitors.flatMap((m) => m.regions))];
  for (const r of regions)
    agents.push({
      name: `synthetic-probe@${r}`,
      host: `probe-${r}`,
      type: 'synthetic',
      version: '2.2.7',
      os: 'linux',
      ip: null,
      labels: { region: r },
    });
  return agents;
}

/** Heartbeat of an agent at the end of a run `at` (the offline one stopped 3 hours before the anchor). */
function heartbeat(plan: DemoPlan, org: DemoOrg, a: AgentSpec, at: number): number {
  if (a.offline === true) return plan.anchor - 3 * HOUR - 17 * 1000;
  return at - 1000 * (5 + (hash2(org.valueKey, hashString(a.name)) % 50));
}

/** The infrastructure family: agents and VM metrics. */
export const infrastructureFamily: DemoFamily = {
  name: 'infrastructure',
  pgTables: ['agents'],
  inventory(plan) {
    const rows: Row[] = [];
    for (const org of plan.orgs) {
      for (const a of agentsOf(org)) {
        rows.push({
          id: entityId(org, 'agent', a.name),
          organization_id: org.id,
          name: a.name,
          host: a.host,
          type: a.type,
          version: a.version,
          status: a.offline === true ? 'offline' : a.degraded === true ? 'degraded' : 'online',
          os: a.os,
          ip_address: a.ip,
          last_heartbeat: pgTime(heartbeat(plan, org, a, plan.anchor)),
          labels: a.labels,
          ...inventoryStamps(plan, hash2(org.valueKey, hashString(a.name))),
        });
      }
    }
    return [pgRows('agents', rows)];
  },
  refresh: (plan, at) =>
    plan.orgs.flatMap((org) =>
      agentsOf(org)
        .filter((a) => a.offline !== true)
        .map((a) =>
          pgStatement('agents', 'UPDATE agents SET last_heartbeat = $1 WHERE id = $2', [
            pgTime(heartbeat(plan, org, a, at)),
            entityId(org, 'agent', a.name),
          ]),
        ),
    ),
  streams: [vmMetricStream],
};
