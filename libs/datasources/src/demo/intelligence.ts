/**
 * Intelligence and change: PostgreSQL `change_events` and `remediation_plans`, ClickHouse
 * `anomaly_events`, `predictions` and `cost_data` (read through `cost_data_daily_mv`).
 *
 * Invariants:
 * - The incident findings sit at the times incidents.ts gives (anomalies at A-140m, A-76m,
 *   A-22m, A-21m, A-20m; the high-probability prediction at A-10m; the bad deployment at
 *   A-150m and its rollback at A+45m), each written by the run whose window covers it.
 * - Routine changes, anomalies, predictions and costs sit on fixed grids (3-hour, 2-hour,
 *   hourly and hourly slots), so windows never overlap.
 * - Anomaly ids are stable UUIDs; a remediation plan's `source_anomaly_id` names one.
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
  replicasAt,
  type DemoOrg,
  type DemoPlan,
  type DemoService,
  type TenantScope,
} from './plan.js';
import { hash3, Prng, unit } from './prng.js';
import { databasesOf } from './dbmon.js';
import { vmsOf } from './infrastructure.js';
import { cpuPercent, leakingMemoryPercent, memoryPercent, orgLoad } from './signals.js';
import { chTime, DAY, forEachGridPoint, HOUR, MINUTE, pgTime } from './time.js';

/** Id of an incident anomaly of the primary organization. */
export function incidentAnomalyId(
  org: DemoOrg,
  name: 'cpu' | 'errors' | 'latency' | 'memory' | 'error-logs',
): string {
  return entityId(org, 'anomaly', `incident:${name}`);
}

interface Anomaly {
  at: number;
  id: string;
  service: DemoService;
  metric: string;
  signal: string;
  severity: string;
  score: number;
  z: number;
  observed: number;
  expected: number;
  description: string;
}

function incidentAnomalies(plan: DemoPlan, org: DemoOrg): Anomaly[] {
  if (org.index !== 0) return [];
  const inc = plan.incidents;
  const svc = (n: string): DemoService => org.serviceByName.get(n) as DemoService;
  return [
    {
      at: inc.badDeploy.anomalyAt,
      id: incidentAnomalyId(org, 'latency'),
      service: svc('checkout-service'),
      metric: 'http.server.duration',
      signal: 'traces',
      severity: 'high',
      score: 0.91,
      z: 5.2,
      observed: 996,
      expected: 308,
      description: 'p95 of POST /checkout rose from 308 ms to 996 ms ten minutes after deployment v2.15.0',
    },
    {
      at: inc.memoryLeak.alertAt,
      id: incidentAnomalyId(org, 'memory'),
      service: svc('database-primary'),
      metric: 'memory.usage',
      signal: 'metrics',
      severity: 'high',
      score: 0.88,
      z: 4.6,
      observed: 85,
      expected: 56,
      description:
        'Memory of database-primary has grown linearly for 5 hours (+6.3 % per hour) without returning to baseline',
    },
    {
      at: inc.cpuSpike.alertCpuAt,
      id: incidentAnomalyId(org, 'cpu'),
      service: svc('payment-processor'),
      metric: 'cpu.usage',
      signal: 'metrics',
      severity: 'critical',
      score: 0.97,
      z: 6.8,
      observed: INCIDENT_FIGURES.cpuSpikePercent,
      expected: 35,
      description: 'CPU of payment-processor jumped from about 35 % to 95 % within 2 minutes',
    },
    {
      at: inc.cpuSpike.alertCpuAt + MINUTE,
      id: incidentAnomalyId(org, 'error-logs'),
      service: svc('payment-processor'),
      metric: 'log.error_count',
      signal: 'logs',
      severity: 'high',
      score: 0.93,
      z: 8.1,
      observed: 64,
      expected: 0.3,
      description:
        'ERROR log lines of payment-processor ("thread pool exhausted") per minute far above baseline',
    },
    {
      at: inc.cpuSpike.alertErrorsAt,
      id: incidentAnomalyId(org, 'errors'),
      service: svc('payment-processor'),
      metric: 'http.server.error_rate',
      signal: 'traces',
      severity: 'critical',
      score: 0.99,
      z: 11.3,
      observed: 45,
      expected: 0.4,
      description:
        'Error rate of payment-processor at 45 % (baseline 0.4 %), two minutes after its CPU saturated',
    },
  ];
}

const ROUTINE_METRICS: readonly [string, string, string][] = [
  ['http.server.duration', 'traces', 'Latency briefly above its usual band'],
  ['http.server.request_rate', 'metrics', 'Traffic dip unusual for this time of day'],
  ['memory.usage', 'metrics', 'Memory step change after a configuration reload'],
  ['cpu.usage', 'metrics', 'Short CPU burst during a batch job'],
  ['log.warn_count', 'logs', 'WARN lines above the hourly baseline'],
];

function routineAnomalies(org: DemoOrg, from: number, to: number): Anomaly[] {
  const out: Anomaly[] = [];
  // The caller keeps anomalies by their own time; slots from before the window may hold some.
  forEachGridPoint(from - 2 * HOUR, to, 2 * HOUR, (t, k) => {
    const rng = new Prng(hash3(org.valueKey, 0xa40, k));
    const n = rng.chance(0.3) ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const svc = rng.pick(org.services);
      const [metric, signal, description] = rng.pick(ROUTINE_METRICS);
      const z = 3 + rng.next() * 1.4;
      const expected =
        metric === 'http.server.duration'
          ? 40 + rng.int(200)
          : metric === 'http.server.request_rate'
            ? 50 + rng.int(400)
            : 30 + rng.int(40);
      const up = metric !== 'http.server.request_rate';
      out.push({
        at: t + rng.int(2 * HOUR),
        id: entityId(org, 'anomaly', i === 0 ? `routine#${k}` : `routine#${k}/${i}`),
        service: svc,
        metric,
        signal,
        severity: z > 4 ? 'medium' : 'low',
        score: Math.round((0.55 + (z - 3) * 0.2) * 100) / 100,
        z: Math.round(z * 100) / 100,
        observed: Math.round(expected * (up ? 1 + z * 0.12 : 1 - z * 0.1) * 10) / 10,
        expected,
        description,
      });
    }
  });
  return out;
}

function anomalyRow(a: Anomaly): Row {
  const s = a.service.scope;
  return {
    organization_id: s.organization_id,
    workspace_id: s.workspace_id,
    tenant_id: s.tenant_id,
    timestamp: chTime(a.at),
    anomaly_id: a.id,
    service_name: a.service.name,
    metric_name: a.metric,
    signal_type: a.signal,
    severity: a.severity,
    anomaly_score: a.score,
    z_score: a.z,
    observed_value: a.observed,
    expected_value: a.expected,
    description: a.description,
  };
}

interface Resource {
  type: string;
  id: string;
  name: string;
  key: number;
  scope: TenantScope;
  /** Failure probability drivers: memory or CPU percent at t. */
  pressure: (plan: DemoPlan, t: number) => number;
}

function resourcesOf(org: DemoOrg): Resource[] {
  const res: Resource[] = [];
  for (const db of databasesOf(org)) {
    res.push({
      type: 'database',
      id: db.id,
      name: db.profile.name,
      key: db.key,
      scope: db.scope,
      pressure: (plan, t) =>
        db.leaking
          ? leakingMemoryPercent(plan, db.key, t)
          : 45 + 20 * unit(hash3(db.key, 1, Math.floor(t / DAY))),
    });
  }
  for (const vm of vmsOf(org).filter((v) => v.role !== 'kubernetes-node')) {
    res.push({
      type: 'host',
      id: vm.id,
      name: vm.name,
      key: vm.key,
      scope: vm.scope,
      pressure: (plan, t) => Math.max(vm.cpu(plan, t), vm.memory(plan, t)),
    });
  }
  for (const svc of org.services.filter((s) => s.profile.runtime === 'kubernetes')) {
    res.push({
      type: 'service',
      id: svc.id,
      name: svc.name,
      key: svc.key,
      scope: svc.scope,
      pressure: (plan, t) => Math.max(cpuPercent(plan, org, svc, t), memoryPercent(plan, org, svc, t)),
    });
  }
  return res;
}

function predictionRow(
  r: Resource,
  created: number,
  horizon: string,
  predictedFor: number,
  p: number,
  health: number,
  details: Record<string, unknown>,
  id: string,
): Row {
  return {
    organization_id: r.scope.organization_id,
    workspace_id: r.scope.workspace_id,
    tenant_id: r.scope.tenant_id,
    created_at: chTime(created),
    prediction_id: id,
    resource_type: r.type,
    resource_id: r.id,
    resource_name: r.name,
    horizon,
    failure_probability: Math.round(p * 1000) / 1000,
    health_score: Math.round(health * 10) / 10,
    predicted_for: chTime(predictedFor),
    details: JSON.stringify(details),
  };
}

function predictions(plan: DemoPlan, org: DemoOrg, from: number, to: number, rows: Row[]): void {
  const resources = resourcesOf(org);
  forEachGridPoint(from, to, HOUR, (t, k) => {
    for (const r of resources) {
      const pressure = r.pressure(plan, t);
      const p = Math.min(
        0.95,
        Math.max(0.005, ((pressure - 60) / 40) ** 2 * 0.9 + 0.01 * unit(hash3(r.key, 0x9e, k))),
      );
      const health = Math.max(5, 100 - pressure * 0.6 - p * 40);
      rows.push(
        predictionRow(
          r,
          t + 30_000,
          '24h',
          t + 24 * HOUR,
          p,
          health,
          {
            driver: pressure > 80 ? 'resource pressure' : 'baseline',
            pressure_percent: Math.round(pressure * 10) / 10,
          },
          entityId(org, 'prediction', `${r.id}#${k}`),
        ),
      );
    }
  });
  if (org.index === 0) {
    const at = plan.incidents.memoryLeak.predictionAt;
    const db = resources.find((r) => r.type === 'database' && r.name === 'database-primary');
    if (db !== undefined && at >= from && at < to) {
      rows.push(
        predictionRow(
          db,
          at,
          '1h',
          plan.incidents.anchor + 35 * MINUTE,
          0.87,
          22,
          {
            driver: 'memory leak',
            memory_percent: 92,
            growth_percent_per_hour: 6.3,
            limit_bytes: INCIDENT_FIGURES.memoryLimitBytes,
            expected: 'OOM kill when memory reaches the 32 GiB cgroup limit',
          },
          entityId(org, 'prediction', 'incident:memory'),
        ),
      );
    }
  }
}

const PRICES: Record<string, number> = { aws: 0.048, gcp: 0.045, azure: 0.05 };

function costs(plan: DemoPlan, org: DemoOrg, from: number, to: number, rows: Row[]): void {
  const cloud = org.profile.cloud;
  const vcpu = PRICES[cloud] ?? 0.05;
  forEachGridPoint(from, to, HOUR, (t) => {
    const load = orgLoad(org, t);
    for (const svc of org.services) {
      const p = svc.profile;
      const provider = p.kind === 'database' && p.engine === 'mongodb-atlas' ? 'mongodb-atlas' : cloud;
      const replicas =
        p.runtime === 'kubernetes'
          ? Math.max(replicasAt(plan, org, svc, t), replicasAt(plan, org, svc, t + 30 * MINUTE))
          : p.replicas;
      const cores = p.runtime === 'kubernetes' ? 2 * replicas : p.memoryLimitGiB / 4;
      const items: [string, number, number, string][] = [
        ['compute', cores * vcpu * (0.9 + 0.2 * load), cores, 'vCPU-hours'],
        ['memory', p.memoryLimitGiB * replicas * 0.0053, p.memoryLimitGiB * replicas, 'GiB-hours'],
        [
          'network',
          ((p.peakRps * load * 3600 * 18_000) / 1024 ** 3) * 0.09,
          (p.peakRps * load * 3600 * 18_000) / 1024 ** 3,
          'GiB',
        ],
      ];
      if (p.kind === 'database' || p.kind === 'queue' || p.kind === 'cache')
        items.push(['storage', (p.memoryLimitGiB * 40 * 0.1) / 730, p.memoryLimitGiB * 40, 'GiB-months']);
      for (const [resource, cost, qty, unitName] of items) {
        rows.push({
          organization_id: svc.scope.organization_id,
          workspace_id: svc.scope.workspace_id,
          tenant_id: svc.scope.tenant_id,
          timestamp: chTime(t),
          service_name: svc.name,
          provider,
          resource_type: resource,
          cost_usd: Math.round(cost * 1e5) / 1e5,
          usage_quantity: Math.round(qty * 1000) / 1000,
          usage_unit: unitName,
        });
      }
    }
    const s = org.platformScope;
    for (const [name, resource, cost] of [
      ['kubernetes-control-plane', 'compute', 0.1],
      ['load-balancer', 'network', 0.0225 + 0.01 * load],
      ['observability-ingest', 'storage', 0.35 * load],
    ] as const) {
      rows.push({
        ...s,
        timestamp: chTime(t),
        service_name: name,
        provider: cloud,
        resource_type: resource,
        cost_usd: Math.round(cost * 1e5) / 1e5,
        usage_quantity: 1,
        usage_unit: 'hours',
      });
    }
  });
}

const INTEL_TABLES = ['anomaly_events', 'predictions', 'cost_data'];

const intelligenceStream: ChStream = {
  name: 'intelligence',
  tables: INTEL_TABLES,
  rowsPerHour: (plan) =>
    plan.orgs.reduce((n, o) => n + resourcesOf(o).length + o.services.length * 3.3 + 4, 0),
  generate(plan, from, to) {
    const batch = emptyBatch(INTEL_TABLES);
    const anomalies = batch['anomaly_events'] as Row[];
    for (const org of plan.orgs) {
      for (const a of [...incidentAnomalies(plan, org), ...routineAnomalies(org, from, to)]) {
        if (a.at >= from && a.at < to) anomalies.push(anomalyRow(a));
      }
      predictions(plan, org, from, to, batch['predictions'] as Row[]);
      costs(plan, org, from, to, batch['cost_data'] as Row[]);
    }
    return batch;
  },
};

// --- PostgreSQL: change events and remediation plans -----------------------------------------

function changeRow(
  org: DemoOrg,
  id: string,
  service: string | null,
  type: string,
  title: string,
  description: string,
  version: string | null,
  author: string,
  at: number,
): Row {
  return {
    id,
    organization_id: org.id,
    service_name: service,
    type,
    title,
    description,
    version,
    author,
    occurred_at: pgTime(at),
    created_at: pgTime(at),
    updated_at: pgTime(at),
  };
}

const CHANGE_KINDS: readonly [string, number][] = [
  ['deployment', 10],
  ['config_change', 3],
  ['feature_flag', 3],
  ['infrastructure', 1],
  ['database_migration', 1],
];

/** Routine changes: per organization, one or two per 3-hour slot. */
function routineChanges(plan: DemoPlan, from: number, to: number): Row[] {
  const rows: Row[] = [];
  for (const org of plan.orgs) {
    const bot = org.profile.users.find((u) => u.login.endsWith('-bot'))?.login ?? 'deploy-bot';
    // Kept by event time: a slot that starts before the window may hold a change inside it.
    forEachGridPoint(from - 3 * HOUR, to, 3 * HOUR, (t, k) => {
      const rng = new Prng(hash3(org.valueKey, 0xc4a, k));
      const n = rng.chance(0.4) ? 2 : 1;
      for (let i = 0; i < n; i++) {
        const kind = (CHANGE_KINDS[rng.weighted(CHANGE_KINDS.map((c) => c[1]))] as [string, number])[0];
        const svc = rng.pick(
          org.services.filter(
            (s) => s.profile.runtime === 'kubernetes' && !(org.index === 0 && s.name === 'checkout-service'),
          ),
        );
        const at = t + rng.int(3 * HOUR);
        const author = `${kind === 'deployment' ? bot : rng.pick(org.profile.users.filter((u) => u.status === 'active')).login}@${org.profile.domain}`;
        const patch = `${svc.profile.version.replace(/\.\d+$/, '')}.${20 + (k % 80)}`;
        const change: Record<string, [string, string, string | null]> = {
          deployment: [
            `Deploy ${svc.name} ${patch}`,
            'Routine release: dependency updates and small fixes',
            patch,
          ],
          config_change: [
            `Raise ${svc.name} connection pool to ${20 + rng.int(3) * 10}`,
            'Configuration change through the config map',
            null,
          ],
          feature_flag: [
            `Enable flag ${rng.pick(['new-search-ranking', 'async-receipts', 'eta-v2', 'bulk-scan'])} for ${rng.int(50) + 10} % of traffic`,
            'Progressive rollout',
            null,
          ],
          infrastructure: [
            'Node pool upgraded to the latest patch release',
            'Rolling replacement of Kubernetes nodes',
            null,
          ],
          database_migration: [
            `Add index on ${rng.pick(['orders(customer_id, created_at)', 'shipments(tracking_number)', 'sessions(expires_at)'])}`,
            'Online index creation (CONCURRENTLY)',
            null,
          ],
        };
        const [title, description, version] = change[kind] ?? ['Change', '', null];
        if (at < from || at >= to) continue;
        rows.push(
          changeRow(
            org,
            entityId(org, 'change', i === 0 ? `routine#${k}` : `routine#${k}/${i}`),
            kind === 'infrastructure' ? null : svc.name,
            kind,
            title,
            description,
            version,
            author,
            at,
          ),
        );
      }
    });
  }
  return rows;
}

interface PlanSpec {
  key: string;
  title: string;
  service: string;
  status: string;
  risk: string;
  steps: { order: number; action: string; detail: string }[];
  anomaly: string | null;
  createdAt: number;
  executedAt: number | null;
}

function remediationPlans(plan: DemoPlan, org: DemoOrg): PlanSpec[] {
  const inc = plan.incidents;
  if (org.index === 0) {
    return [
      {
        key: 'rollback-checkout',
        title: `Roll back checkout-service to ${INCIDENT_FIGURES.goodVersion}`,
        service: 'checkout-service',
        status: 'proposed',
        risk: 'low',
        steps: [
          {
            order: 1,
            action: 'confirm',
            detail: `p95 of POST /checkout rose from about 300 ms to 1 s right after ${INCIDENT_FIGURES.badVersion} (A-150m); each checkout now runs 6 extra inventory queries`,
          },
          {
            order: 2,
            action: 'rollback',
            detail: `kubectl -n storefront rollout undo deployment/checkout-service (back to ${INCIDENT_FIGURES.goodVersion})`,
          },
          {
            order: 3,
            action: 'verify',
            detail:
              'p95 of POST /checkout back under 500 ms and calls of the inventory lookup fingerprint back to baseline within 15 minutes',
          },
          {
            order: 4,
            action: 'follow-up',
            detail: 'Batch the inventory re-validation into one query before re-releasing',
          },
        ],
        anomaly: incidentAnomalyId(org, 'latency'),
        createdAt: inc.badDeploy.planAt,
        executedAt: null,
      },
      {
        key: 'scale-payment',
        title: 'Raise payment-processor CPU limit and autoscaler maximum',
        service: 'payment-processor',
        status: 'proposed',
        risk: 'medium',
        steps: [
          {
            order: 1,
            action: 'confirm',
            detail:
              'CPU at 95 % for 20 minutes with the autoscaler at its maximum of 10 replicas; errors followed 2 minutes later',
          },
          {
            order: 2,
            action: 'scale',
            detail: 'Raise the CPU limit from 2 to 3 cores and the HPA maximum from 10 to 16',
          },
          {
            order: 3,
            action: 'tune',
            detail: 'Cap the worker queue and shed load early (429) instead of timing out after 3 s',
          },
        ],
        anomaly: incidentAnomalyId(org, 'cpu'),
        createdAt: inc.cpuSpike.alertErrorsAt + 4 * MINUTE,
        executedAt: null,
      },
      {
        key: 'restart-db',
        title: 'Restart database-primary in a controlled failover and cap the plan cache',
        service: 'database-primary',
        status: 'approved',
        risk: 'high',
        steps: [
          {
            order: 1,
            action: 'confirm',
            detail:
              'Memory grew linearly from 55 % to 93 % in 6 hours; predicted OOM within the hour (failure probability 0.87)',
          },
          { order: 2, action: 'failover', detail: 'Promote database-replica, then restart database-primary' },
          {
            order: 3,
            action: 'configure',
            detail:
              'Set plan_cache_mode = force_custom_plan for the reporting role and lower idle connection lifetime',
          },
        ],
        anomaly: incidentAnomalyId(org, 'memory'),
        createdAt: inc.memoryLeak.alertAt + 20 * MINUTE,
        executedAt: null,
      },
      {
        key: 'search-replicas',
        title: 'Add a third search-service replica',
        service: 'search-service',
        status: 'executed',
        risk: 'low',
        steps: [{ order: 1, action: 'scale', detail: 'replicas 2 -> 3' }],
        anomaly: null,
        createdAt: inc.anchor - 8 * DAY,
        executedAt: inc.anchor - 8 * DAY + 3 * HOUR,
      },
    ];
  }
  return [
    {
      key: 'shipments-index',
      title: 'Add an index on shipments(tracking_number)',
      service: 'shipment-tracker',
      status: 'executed',
      risk: 'low',
      steps: [
        { order: 1, action: 'migrate', detail: 'CREATE INDEX CONCURRENTLY ON shipments (tracking_number)' },
      ],
      anomaly: null,
      createdAt: inc.anchor - 3 * DAY,
      executedAt: inc.anchor - 3 * DAY + 5 * HOUR,
    },
    {
      key: 'optimizer-memory',
      title: 'Raise route-optimizer memory limit to 12 GiB',
      service: 'route-optimizer',
      status: 'proposed',
      risk: 'low',
      steps: [
        { order: 1, action: 'configure', detail: 'resources.limits.memory: 8Gi -> 12Gi' },
        { order: 2, action: 'verify', detail: 'No OOMKilled restarts for 24 hours' },
      ],
      anomaly: null,
      createdAt: inc.anchor - 20 * HOUR,
      executedAt: null,
    },
  ];
}

/** The intelligence and change family. */
export const intelligenceFamily: DemoFamily = {
  name: 'intelligence',
  pgTables: ['change_events', 'remediation_plans'],
  inventory(plan) {
    const changes: Row[] = [];
    const plans: Row[] = [];
    for (const org of plan.orgs) {
      if (org.index === 0) {
        const d = plan.incidents.badDeploy;
        changes.push(
          changeRow(
            org,
            entityId(org, 'change', 'incident:deploy'),
            'checkout-service',
            'deployment',
            `Deploy checkout-service ${INCIDENT_FIGURES.badVersion}`,
            'Re-validate inventory for every line item before payment (feature flag inventory.revalidate on by default)',
            INCIDENT_FIGURES.badVersion,
            `ci-bot@${org.profile.domain}`,
            d.deployAt,
          ),
        );
      }
      for (const p of remediationPlans(plan, org)) {
        plans.push({
          id: entityId(org, 'remediation', p.key),
          organization_id: org.id,
          title: p.title,
          service_name: p.service,
          status: p.status,
          risk: p.risk,
          steps: p.steps,
          source_anomaly_id: p.anomaly,
          executed_at: p.executedAt === null ? null : pgTime(p.executedAt),
          created_at: pgTime(p.createdAt),
          updated_at: pgTime(p.executedAt ?? p.createdAt),
        });
      }
    }
    return [pgRows('change_events', changes), pgRows('remediation_plans', plans)];
  },
  window: (plan, from, to) => [pgRows('change_events', routineChanges(plan, from, to))],
  mutations(plan, from, to) {
    const out: PgWrite[] = [];
    const org = plan.orgs[0];
    const at = plan.incidents.badDeploy.rollbackAt;
    if (org === undefined || at < from || at >= to) return out;
    out.push(
      pgRows('change_events', [
        changeRow(
          org,
          entityId(org, 'change', 'incident:rollback'),
          'checkout-service',
          'rollback',
          `Roll back checkout-service to ${INCIDENT_FIGURES.goodVersion}`,
          'Executed remediation plan: p95 latency regression after v2.15.0',
          INCIDENT_FIGURES.goodVersion,
          `priya.raman@${org.profile.domain}`,
          at,
        ),
      ]),
    );
    out.push(
      pgStatement(
        'remediation_plans',
        "UPDATE remediation_plans SET status = 'executed', executed_at = $1, updated_at = $1 WHERE id = $2",
        [pgTime(at), entityId(org, 'remediation', 'rollback-checkout')],
      ),
    );
    return out;
  },
  streams: [intelligenceStream],
};
