/**
 * Service telemetry beside the traces: per-service metrics (`metrics`: cpu.usage,
 * memory.usage, memory.used_bytes, http.server.request_rate / error_rate / duration, JVM GC
 * pauses, and `db.<engine>.*`, `cache.*`, `queue.*` for data services), the routine and
 * incident log lines that belong to no request, and the incident-level correlations.
 *
 * Invariants: every value is a pure function of (plan, organization, service, grid time);
 * the metric series agree with the traces (same signals.ts functions); incident lines
 * follow incidents.ts.
 *
 * Metric density (`spec.metricInstances`, see size.ts):
 * - 1 (the presets): one series per service and metric, the service's own figure, no labels.
 * - n > 1: the estate an agent per pod or per node produces. Every Kubernetes service reports
 *   from n pods (the first ones named as the Kubernetes family names the deployment's pods,
 *   so a deployment of `replicas` pods keeps its pod names); a VM or managed service reports
 *   from its nodes, `replicas` of them at most n (database-primary stays one node, named
 *   after its host). Each row carries `labels['service.instance.id']`.
 * - The instances of a service share its load unevenly and slowly (a weight per instance and
 *   grid point, between about 0.85 and 1.15, whose mean over the instances is exactly 1):
 *   gauges (percent, milliseconds, bytes per instance) are the service's figure times the
 *   weight, so their mean over the instances is the service's figure (percentages capped at
 *   100); rates and counts (req/s, ops/s, msg/s, connections, consumer lag) are the service's
 *   figure split by the weights, so they add up to it. The incidents therefore show on every
 *   instance of the service they hit, at every density.
 * - The rollups (`metrics_1m` ... `metrics_1d`) group by service and metric, not by labels:
 *   a denser raw table adds samples to each rollup row, not rollup rows.
 */
import { INCIDENT_FIGURES } from './incidents.js';
import { routineMessage } from './messages.js';
import { emptyBatch, rowsOf, type ChStream, type Row } from './model.js';
import { podNames, podsAt, type DemoOrg, type DemoPlan, type DemoService } from './plan.js';
import { hash2, hash3, Prng } from './prng.js';
import {
  cpuPercent,
  cpuSpikeWeight,
  errorBurstWeight,
  errorProbability,
  inBadDeploy,
  memoryPercent,
  requestRate,
} from './signals.js';
import { metricInstancesOf } from './size.js';
import { chTime, forEachGridPoint, jitter, MINUTE, smoothNoise } from './time.js';
import { compiledRoutes, expectedDurationMs } from './traces.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

interface MetricDef {
  name: string;
  unit: string;
  value: (plan: DemoPlan, org: DemoOrg, svc: DemoService, t: number) => number;
  /** The instances' values add up to the service's (rates, counts); else they average to it. */
  additive?: true;
  /** Whole numbers (bytes, connections, messages). */
  integer?: true;
}

type EntryNode = ReturnType<typeof compiledRoutes>['routes'][number];

/** Probability that a request to `n` fails, own failures and propagated ones together. */
function effectiveErrorProbability(plan: DemoPlan, org: DemoOrg, n: EntryNode, t: number): number {
  let ok = 1 - errorProbability(plan, org, n.svc, t);
  for (const c of n.children) ok *= 1 - 0.85 * effectiveErrorProbability(plan, org, c, t);
  return 1 - ok;
}

function entryOf(org: DemoOrg, svc: DemoService): EntryNode | undefined {
  return compiledRoutes(org).entry.get(svc.name);
}

const COMMON: readonly MetricDef[] = [
  { name: 'cpu.usage', unit: '%', value: cpuPercent },
  { name: 'memory.usage', unit: '%', value: memoryPercent },
  {
    name: 'memory.used_bytes',
    unit: 'By',
    integer: true,
    value: (plan, org, svc, t) =>
      Math.round((memoryPercent(plan, org, svc, t) / 100) * svc.profile.memoryLimitGiB * 1024 ** 3),
  },
];

const HTTP: readonly MetricDef[] = [
  { name: 'http.server.request_rate', unit: 'req/s', value: requestRate, additive: true },
  {
    name: 'http.server.error_rate',
    unit: '%',
    value: (plan, org, svc, t) => {
      const entry = entryOf(org, svc);
      const p =
        entry === undefined
          ? errorProbability(plan, org, svc, t)
          : effectiveErrorProbability(plan, org, entry, t);
      return Math.max(0, 100 * p * (1 + 0.1 * jitter(svc.key ^ 0xe4, t)));
    },
  },
  {
    name: 'http.server.duration',
    unit: 'ms',
    value: (plan, org, svc, t) => {
      const entry = entryOf(org, svc);
      const ms = entry === undefined ? 20 : expectedDurationMs(plan, org, entry, t);
      return ms * (1 + 0.04 * jitter(svc.key ^ 0xd0, t));
    },
  },
];

const JVM: MetricDef = {
  name: 'jvm.gc.pause_ms',
  unit: 'ms',
  value: (plan, org, svc, t) => {
    const base = 12 + 10 * smoothNoise(svc.key ^ 0x6c, t, 20 * MINUTE);
    const spike = org.index === 0 && svc.name === 'payment-processor' ? cpuSpikeWeight(plan, t) : 0;
    return base + spike * (650 + 150 * jitter(svc.key ^ 0x6d, t));
  },
};

function dataMetrics(svc: DemoService): MetricDef[] {
  const p = svc.profile;
  if (p.kind === 'database') {
    const e = `db.${p.engine ?? 'unknown'}`;
    return [
      {
        name: `${e}.connections.active`,
        unit: 'connections',
        additive: true,
        integer: true,
        value: (plan, org, s, t) =>
          Math.round(requestRate(plan, org, s, t) / 6 + 10 + 4 * jitter(s.key ^ 0xc0, t)),
      },
      { name: `${e}.queries_per_second`, unit: 'ops/s', value: requestRate, additive: true },
      {
        name: `${e}.cache_hit_ratio`,
        unit: '%',
        value: (plan, org, s, t) =>
          99.2 -
          0.6 * smoothNoise(s.key ^ 0xca, t, 30 * MINUTE) -
          (org.index === 0 && inBadDeploy(plan, t) ? 1.4 : 0),
      },
    ];
  }
  if (p.kind === 'cache') {
    return [
      {
        name: 'cache.hit_ratio',
        unit: '%',
        value: (_p, _o, s, t) => 94 + 4 * smoothNoise(s.key ^ 0xcb, t, 30 * MINUTE),
      },
      {
        name: 'cache.evictions',
        unit: 'ops/s',
        additive: true,
        value: (_p, _o, s, t) => Math.max(0, 3 + 2 * jitter(s.key ^ 0xcc, t)),
      },
      { name: 'cache.ops_per_second', unit: 'ops/s', value: requestRate, additive: true },
    ];
  }
  return [
    {
      name: 'queue.consumer_lag',
      unit: 'messages',
      additive: true,
      integer: true,
      value: (_p, org, s, t) =>
        Math.round(40 + 400 * smoothNoise(s.key ^ 0xcd, t, 15 * MINUTE) ** 4 + 20 * jitter(s.key ^ 0xce, t)),
    },
    { name: 'queue.messages_in_rate', unit: 'msg/s', value: requestRate, additive: true },
    {
      name: 'queue.messages_out_rate',
      unit: 'msg/s',
      additive: true,
      value: (plan, org, s, t) =>
        requestRate(plan, org, s, t) * (0.98 + 0.02 * smoothNoise(s.key ^ 0xcf, t, 5 * MINUTE)),
    },
  ];
}

/** The metric definitions of a service. */
export function serviceMetrics(svc: DemoService): readonly MetricDef[] {
  const p = svc.profile;
  const data = p.kind === 'database' || p.kind === 'cache' || p.kind === 'queue';
  return [...COMMON, ...(data ? dataMetrics(svc) : HTTP), ...(p.jvm === true ? [JVM] : [])];
}

const metricCache = new WeakMap<DemoService, readonly MetricDef[]>();

function metricsOf(svc: DemoService): readonly MetricDef[] {
  let defs = metricCache.get(svc);
  if (defs === undefined) {
    defs = serviceMetrics(svc);
    metricCache.set(svc, defs);
  }
  return defs;
}

/** One instance reporting a service's metrics (density above 1). */
interface MetricInstance {
  /** Value key of the instance's load weight. */
  key: number;
  /** The row's `labels`: `service.instance.id`. */
  labels: Readonly<Record<string, string>>;
}

/** Node names of a VM service: its host, then the same name numbered on (`kafka-01`, `kafka-02`). */
function nodeNames(host: string, count: number): string[] {
  const numbered = /^(.*?)(\d+)$/.exec(host);
  const stem = numbered?.[1] ?? `${host}-`;
  const digits = numbered?.[2] ?? '1';
  const first = Number(digits);
  return Array.from({ length: count }, (_, i) =>
    i === 0 ? host : `${stem}${String(first + i).padStart(digits.length, '0')}`,
  );
}

/** The instances reporting `svc`'s metrics when the size asks for `n` > 1 (see the header). */
function metricInstances(org: DemoOrg, svc: DemoService, n: number): readonly MetricInstance[] {
  const p = svc.profile;
  const names =
    p.runtime === 'kubernetes'
      ? podNames(org, svc.name, n, p.version)
      : p.runtime === 'vm'
        ? nodeNames(p.host ?? svc.name, Math.max(1, Math.min(n, p.replicas)))
        : Array.from({ length: Math.max(1, Math.min(n, p.replicas)) }, (_, i) => `${svc.name}-${i}`);
  return names.map((name, i) => ({
    key: hash3(svc.key, 0x1a57, i),
    labels: { 'service.instance.id': name },
  }));
}

const instanceCache = new WeakMap<DemoService, { n: number; instances: readonly MetricInstance[] }>();

function instancesOf(org: DemoOrg, svc: DemoService, n: number): readonly MetricInstance[] {
  const cached = instanceCache.get(svc);
  if (cached !== undefined && cached.n === n) return cached.instances;
  const instances = metricInstances(org, svc, n);
  instanceCache.set(svc, { n, instances });
  return instances;
}

/**
 * Load weights of `instances` at `t` into `out`: a slow drift (20-minute noise) and a small
 * jitter per instance, scaled so their mean is exactly 1.
 */
function instanceWeights(instances: readonly MetricInstance[], t: number, out: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < instances.length; i++) {
    const key = (instances[i] as MetricInstance).key;
    const w = 1 + 0.22 * (smoothNoise(key, t, 20 * MINUTE) - 0.5) + 0.03 * jitter(key ^ 0x3e, t);
    out[i] = w;
    sum += w;
  }
  const scale = instances.length / sum;
  for (let i = 0; i < instances.length; i++) out[i] = (out[i] as number) * scale;
}

/** One instance's value of a metric whose service figure is `value`, for load weight `w` of `count`. */
function instanceValue(def: MetricDef, value: number, w: number, count: number): number {
  const v = def.additive === true ? (value / count) * w : value * w;
  if (def.integer === true) return Math.round(v);
  return round3(def.unit === '%' ? Math.min(100, v) : v);
}

/** Raw metric rows per hour of the estate (both organizations), at its density and interval. */
export function metricRowsPerHour(plan: DemoPlan): number {
  const n = metricInstancesOf(plan.spec);
  let series = 0;
  for (const org of plan.orgs) {
    for (const svc of org.services) {
      series += metricsOf(svc).length * (n > 1 ? instancesOf(org, svc, n).length : 1);
    }
  }
  return (series * 3600) / plan.spec.metricIntervalSeconds;
}

/**
 * Service metrics for [from, to): one row per service, metric and grid point, or, at a
 * density above 1, one per instance, metric and grid point (see the header).
 */
export const serviceMetricStream: ChStream = {
  name: 'service-metrics',
  tables: ['metrics'],
  rowsPerHour: metricRowsPerHour,
  generate(plan, from, to) {
    const batch = emptyBatch(['metrics']);
    const rows = batch['metrics'] as Row[];
    const step = plan.spec.metricIntervalSeconds * 1000;
    const n = metricInstancesOf(plan.spec);
    if (n > 1) {
      generatePerInstance(plan, from, to, step, n, rows);
      return batch;
    }
    forEachGridPoint(from, to, step, (t) => {
      const ts = chTime(t);
      for (const org of plan.orgs) {
        for (const svc of org.services) {
          for (const def of metricsOf(svc)) {
            rows.push({
              organization_id: svc.scope.organization_id,
              workspace_id: svc.scope.workspace_id,
              tenant_id: svc.scope.tenant_id,
              timestamp: ts,
              service_name: svc.name,
              metric_name: def.name,
              metric_type: 'gauge',
              value: round3(def.value(plan, org, svc, t)),
              unit: def.unit,
            });
          }
        }
      }
    });
    return batch;
  },
};

/** The rows of a density above 1: every instance of every service at every grid point. */
function generatePerInstance(
  plan: DemoPlan,
  from: number,
  to: number,
  step: number,
  n: number,
  rows: Row[],
): void {
  const weights = new Float64Array(n);
  forEachGridPoint(from, to, step, (t) => {
    const ts = chTime(t);
    for (const org of plan.orgs) {
      for (const svc of org.services) {
        const instances = instancesOf(org, svc, n);
        instanceWeights(instances, t, weights);
        for (const def of metricsOf(svc)) {
          const value = def.value(plan, org, svc, t);
          for (let i = 0; i < instances.length; i++) {
            rows.push({
              organization_id: svc.scope.organization_id,
              workspace_id: svc.scope.workspace_id,
              tenant_id: svc.scope.tenant_id,
              timestamp: ts,
              service_name: svc.name,
              metric_name: def.name,
              metric_type: 'gauge',
              value: instanceValue(def, value, weights[i] as number, instances.length),
              unit: def.unit,
              labels: (instances[i] as MetricInstance).labels,
            });
          }
        }
      }
    }
  });
}

const SEVERITY: Record<string, number> = { DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };

function hostAt(plan: DemoPlan, org: DemoOrg, svc: DemoService, t: number, pick: number): string {
  const pods = podsAt(plan, org, svc, t);
  if (pods.length > 0) return pods[pick % pods.length] as string;
  return svc.profile.host ?? svc.name;
}

/** Incident lines of one service for one minute (see incidents.ts). */
function incidentLines(
  plan: DemoPlan,
  org: DemoOrg,
  svc: DemoService,
  t: number,
  rng: Prng,
): { at: number; severity: string; body: string }[] {
  if (org.index !== 0) return [];
  const lines: { at: number; severity: string; body: string }[] = [];
  const inc = plan.incidents;
  const at = (): number => t + rng.int(MINUTE);
  if (svc.name === 'database-primary') {
    const { start, oomAt } = inc.memoryLeak;
    if (t >= start && t < oomAt) {
      const pct = memoryPercent(plan, org, svc, t);
      if (rng.chance(0.04 + Math.max(0, (pct - 55) / 40) * 0.6)) {
        const used = (pct / 100) * 32;
        lines.push({
          at: at(),
          severity: pct >= 80 ? 'WARN' : 'INFO',
          body: `Memory usage at ${pct.toFixed(0)}% of limit (${used.toFixed(1)} GiB of 32.0 GiB); largest context: CachedPlanSource (${(used * 0.22).toFixed(1)} GiB, ${2000 + Math.round(pct * 180)} cached plans)`,
        });
      }
      if (t >= inc.anchor - 30 * MINUTE && rng.chance(0.35)) {
        lines.push({
          at: at(),
          severity: 'ERROR',
          body: `out of memory: Failed on request of size ${rng.pick([8, 16, 32])}388608 in memory context "ExecutorState"`,
        });
      }
    }
    if (t === Math.floor(oomAt / MINUTE) * MINUTE) {
      lines.push({
        at: oomAt + 2_000,
        severity: 'FATAL',
        body: 'server process (PID 48211) was terminated by signal 9: Killed (OOM killer, cgroup memory limit 32 GiB)',
      });
      lines.push({
        at: oomAt + 2_100,
        severity: 'WARN',
        body: 'terminating any other active server processes',
      });
    }
    if (t === Math.floor(oomAt / MINUTE) * MINUTE + 2 * MINUTE) {
      lines.push({
        at: t + 5_000,
        severity: 'INFO',
        body: 'database system was interrupted; last known up at the OOM kill; automatic recovery in progress',
      });
      lines.push({
        at: t + 31_000,
        severity: 'INFO',
        body: 'database system is ready to accept connections',
      });
    }
  } else if (svc.name === 'payment-processor') {
    const w = cpuSpikeWeight(plan, t);
    if (w > 0.5) {
      for (let i = 0; i < 3; i++) {
        lines.push({
          at: at(),
          severity: 'WARN',
          body: `GC pause (G1 Evacuation Pause) ${600 + rng.int(300)} ms, heap 3.4 GiB -> 3.1 GiB; allocation rate 1.9 GB/s`,
        });
      }
      lines.push({
        at: at(),
        severity: 'WARN',
        body: `CPU throttling: container throttled in ${70 + rng.int(25)}% of CFS periods (limit 2 cores)`,
      });
    }
    if (errorBurstWeight(plan, t) > 0.5 && rng.chance(0.6)) {
      lines.push({
        at: at(),
        severity: 'ERROR',
        body: `Health check degraded: worker pool saturation ${95 + rng.int(5)}%, p99 queue wait ${2000 + rng.int(1500)} ms`,
      });
    }
  } else if (svc.name === 'checkout-service') {
    const d = inc.badDeploy;
    const minuteOf = (x: number): number => Math.floor(x / MINUTE) * MINUTE;
    if (t === minuteOf(d.deployAt)) {
      lines.push({
        at: d.deployAt + 20_000,
        severity: 'INFO',
        body: `Starting checkout-service ${INCIDENT_FIGURES.badVersion} (build 8f3c2a1, feature flag inventory.revalidate=on)`,
      });
    }
    if (t === minuteOf(d.rollbackAt)) {
      lines.push({
        at: d.rollbackAt + 20_000,
        severity: 'INFO',
        body: `Starting checkout-service ${INCIDENT_FIGURES.goodVersion} (build 51d07be, rollback)`,
      });
    }
    if (inBadDeploy(plan, t) && rng.chance(0.5)) {
      lines.push({
        at: at(),
        severity: 'WARN',
        body: `Inventory re-validation issued ${INCIDENT_FIGURES.checkoutExtraQueries} sequential lookups for ${INCIDENT_FIGURES.checkoutExtraQueries} line items (${380 + rng.int(300)} ms)`,
      });
    }
  }
  return lines;
}

/** Log lines that belong to no request: routine lines and incident lines. */
export const serviceLogStream: ChStream = {
  name: 'service-logs',
  tables: ['logs', 'signal_correlations'],
  rowsPerHour: (plan) => plan.orgs.reduce((n, o) => n + o.services.length, 0) * 60 * 0.1,
  generate(plan, from, to) {
    const batch = emptyBatch(['logs', 'signal_correlations']);
    const logs = rowsOf(batch, 'logs');
    const corr = rowsOf(batch, 'signal_correlations');
    for (let m = Math.ceil(from / MINUTE); m * MINUTE < to; m++) {
      const t = m * MINUTE;
      for (const org of plan.orgs) {
        for (const svc of org.services) {
          const rng = new Prng(hash3(svc.key, 0x10c, m));
          const lines = incidentLines(plan, org, svc, t, rng);
          if (rng.chance(0.08)) lines.push({ at: t + rng.int(MINUTE), ...routineMessage(rng, svc.profile) });
          for (const line of lines) {
            logs.push({
              organization_id: svc.scope.organization_id,
              workspace_id: svc.scope.workspace_id,
              tenant_id: svc.scope.tenant_id,
              timestamp: chTime(line.at),
              service_name: svc.name,
              severity_text: line.severity,
              severity_number: SEVERITY[line.severity] ?? 9,
              body: line.body,
              host_name: hostAt(plan, org, svc, line.at, hash2(m, line.at)),
            });
          }
          for (const c of incidentCorrelations(plan, org, svc, t)) {
            corr.push({
              organization_id: svc.scope.organization_id,
              workspace_id: svc.scope.workspace_id,
              tenant_id: svc.scope.tenant_id,
              timestamp: chTime(t),
              service_name: svc.name,
              ...c,
            });
          }
        }
      }
    }
    return batch;
  },
};

/** Metric-to-metric and change-to-metric correlations during the incidents (one per minute). */
function incidentCorrelations(plan: DemoPlan, org: DemoOrg, svc: DemoService, t: number): Row[] {
  if (org.index !== 0) return [];
  const inc = plan.incidents;
  const out: Row[] = [];
  const strength = (base: number): number => round3(base + 0.04 * jitter(svc.key ^ 0xc0de, t));
  if (svc.name === 'payment-processor' && t >= inc.cpuSpike.start && t < inc.cpuSpike.errorsEnd) {
    out.push({
      correlation_type: 'metric_metric',
      source_signal: 'cpu.usage',
      target_signal: 'http.server.error_rate',
      strength: strength(0.92),
    });
    out.push({
      correlation_type: 'metric_log',
      source_signal: 'cpu.usage',
      target_signal: 'logs',
      strength: strength(0.86),
    });
  }
  if (
    svc.name === 'database-primary' &&
    t >= inc.memoryLeak.start &&
    t < inc.memoryLeak.oomAt &&
    t % (5 * MINUTE) === 0
  ) {
    out.push({
      correlation_type: 'metric_metric',
      source_signal: 'memory.usage',
      target_signal: 'http.server.duration',
      strength: strength(0.78),
    });
  }
  if (svc.name === 'checkout-service' && inBadDeploy(plan, t) && t % (5 * MINUTE) === 0) {
    out.push({
      correlation_type: 'change_metric',
      source_signal: 'deployment',
      target_signal: 'http.server.duration',
      strength: strength(0.9),
    });
  }
  return out;
}

/** Current request rate (per second), error rate (percent) and mean latency (ms) of a service. */
export function serviceStats(
  plan: DemoPlan,
  org: DemoOrg,
  svc: DemoService,
  t: number,
): { rps: number; errorPct: number; latencyMs: number } {
  const entry = entryOf(org, svc);
  const errorPct =
    100 *
    (entry === undefined
      ? errorProbability(plan, org, svc, t)
      : effectiveErrorProbability(plan, org, entry, t));
  const latencyMs = entry === undefined ? 5 : expectedDurationMs(plan, org, entry, t);
  return { rps: requestRate(plan, org, svc, t), errorPct, latencyMs };
}
