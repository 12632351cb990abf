/**
 * Alerting and objectives: alert rules, alert instances (the incidents' firing alerts plus
 * routine alerts that fired and resolved over time) and SLO definitions.
 *
 * Invariants:
 * - The four incident alerts are firing at the anchor (incidents.ts gives their times);
 *   each resolves by a mutation at its resolve time, applied by the run whose window
 *   covers it.
 * - Routine alerts are keyed by their end: an instance appears, already resolved, in the
 *   window holding its end (no instance is ever written twice or left firing forever).
 */
import { pgRows, pgStatement, type DemoFamily, type PgWrite, type Row } from './model.js';
import { entityId, inventoryStamps, valueKey, type DemoOrg, type DemoPlan } from './plan.js';
import { hash2, hash3, Prng, unit } from './prng.js';
import { DAY, forEachGridPoint, MINUTE, pgTime } from './time.js';

interface RuleSpec {
  name: string;
  severity: string;
  service: string | null;
  query: string;
  condition: Record<string, unknown>;
  enabled: boolean;
  /** Incident this rule fires for (primary organization). */
  incident?: 'cpu' | 'errors' | 'memory' | 'latency';
  /** Relative frequency of routine firings. */
  noise: number;
  summary: string;
}

const PRIMARY_RULES: readonly RuleSpec[] = [
  {
    name: 'High CPU on payment-processor',
    severity: 'critical',
    service: 'payment-processor',
    query: "avg(metrics{service_name='payment-processor', metric_name='cpu.usage'}) over 2m",
    condition: { op: '>', threshold: 85, for: '2m' },
    enabled: true,
    incident: 'cpu',
    noise: 0.2,
    summary: 'payment-processor CPU above 85 % for 2 minutes',
  },
  {
    name: 'payment-processor error rate above 5 %',
    severity: 'critical',
    service: 'payment-processor',
    query: "errors / requests of traces{service_name='payment-processor'} over 5m",
    condition: { op: '>', threshold: 0.05, for: '3m' },
    enabled: true,
    incident: 'errors',
    noise: 0.2,
    summary: 'More than 5 % of payment requests fail',
  },
  {
    name: 'database-primary memory above 85 %',
    severity: 'critical',
    service: 'database-primary',
    query: "avg(metrics{service_name='database-primary', metric_name='memory.usage'}) over 5m",
    condition: { op: '>', threshold: 85, for: '5m' },
    enabled: true,
    incident: 'memory',
    noise: 0.1,
    summary: 'database-primary memory above 85 % of its 32 GiB limit',
  },
  {
    name: 'checkout-service p95 latency above 800 ms',
    severity: 'warning',
    service: 'checkout-service',
    query: "p95(traces{service_name='checkout-service', span_name='POST /checkout'}) over 10m",
    condition: { op: '>', threshold_ms: 800, for: '10m' },
    enabled: true,
    incident: 'latency',
    noise: 0.4,
    summary: 'Checkout p95 latency above 800 ms',
  },
  {
    name: 'API gateway 5xx above 2 %',
    severity: 'warning',
    service: 'api-gateway',
    query: "5xx / requests of traces{service_name='api-gateway'} over 5m",
    condition: { op: '>', threshold: 0.02, for: '5m' },
    enabled: true,
    noise: 1,
    summary: 'Gateway 5xx responses above 2 %',
  },
  {
    name: 'Pod restart loop',
    severity: 'warning',
    service: null,
    query: 'increase(kubernetes restarts) over 15m',
    condition: { op: '>', threshold: 3, for: '0m' },
    enabled: true,
    noise: 1.2,
    summary: 'A pod restarted more than 3 times in 15 minutes',
  },
  {
    name: 'Disk usage above 85 %',
    severity: 'warning',
    service: null,
    query: "max(vm_metrics{metric_name='disk.usage'}) by host",
    condition: { op: '>', threshold: 85, for: '15m' },
    enabled: true,
    noise: 0.6,
    summary: 'A host disk is above 85 %',
  },
  {
    name: 'Uptime check failing in 2 regions',
    severity: 'critical',
    service: null,
    query: 'uptime_checks failures by monitor over 3 checks',
    condition: { regions: 2, consecutive: 3 },
    enabled: true,
    noise: 0.4,
    summary: 'A public endpoint fails from two regions',
  },
  {
    name: 'Checkout availability SLO burn rate',
    severity: 'warning',
    service: 'checkout-service',
    query: 'slo burn rate (1h) for Checkout availability',
    condition: { op: '>', burn_rate: 14.4, window: '1h' },
    enabled: true,
    noise: 0.5,
    summary: 'Checkout is burning its monthly error budget 14x too fast',
  },
  {
    name: 'TLS certificate expires within 14 days',
    severity: 'info',
    service: null,
    query: 'certificate expiry of uptime monitors',
    condition: { op: '<', days: 14 },
    enabled: true,
    noise: 0.2,
    summary: 'A certificate expires soon',
  },
  {
    name: 'Redis evictions',
    severity: 'warning',
    service: 'redis-cache',
    query: "rate(metrics{metric_name='cache.evictions'})",
    condition: { op: '>', threshold: 50, for: '10m' },
    enabled: false,
    noise: 0,
    summary: 'Redis evicts keys',
  },
];

const SECOND_RULES: readonly RuleSpec[] = [
  {
    name: 'route-optimizer memory above 90 %',
    severity: 'warning',
    service: 'route-optimizer',
    query: "avg(metrics{service_name='route-optimizer', metric_name='memory.usage'}) over 5m",
    condition: { op: '>', threshold: 90, for: '5m' },
    enabled: true,
    noise: 1,
    summary: 'route-optimizer close to its memory limit',
  },
  {
    name: 'Fleet API error rate above 2 %',
    severity: 'critical',
    service: 'fleet-api',
    query: "errors / requests of traces{service_name='fleet-api'} over 5m",
    condition: { op: '>', threshold: 0.02, for: '5m' },
    enabled: true,
    noise: 0.4,
    summary: 'Fleet API errors above 2 %',
  },
  {
    name: 'RabbitMQ queue depth above 10k',
    severity: 'warning',
    service: 'rabbitmq',
    query: "max(metrics{service_name='rabbitmq', metric_name='queue.consumer_lag'})",
    condition: { op: '>', threshold: 10000, for: '10m' },
    enabled: true,
    noise: 0.7,
    summary: 'Messages pile up in RabbitMQ',
  },
  {
    name: 'Partner webhooks unavailable',
    severity: 'warning',
    service: null,
    query: "uptime_checks{monitor_name='Partner webhooks'} failures",
    condition: { consecutive: 2 },
    enabled: true,
    noise: 1.3,
    summary: 'The partner webhook endpoint fails',
  },
  {
    name: 'fleet-postgres replication lag above 30 s',
    severity: 'critical',
    service: 'fleet-postgres',
    query: "max(db_metrics{metric_name='replication.lag_seconds'})",
    condition: { op: '>', threshold: 30, for: '5m' },
    enabled: true,
    noise: 0.3,
    summary: 'Replica lags more than 30 s',
  },
  {
    name: 'Pod restart loop',
    severity: 'warning',
    service: null,
    query: 'increase(kubernetes restarts) over 15m',
    condition: { op: '>', threshold: 3, for: '0m' },
    enabled: true,
    noise: 0.8,
    summary: 'A pod restarted more than 3 times in 15 minutes',
  },
];

function rulesOf(org: DemoOrg): readonly RuleSpec[] {
  return org.index === 0 ? PRIMARY_RULES : SECOND_RULES;
}

interface IncidentAlert {
  rule: RuleSpec;
  title: string;
  startsAt: number;
  resolvesAt: number;
  labels: Record<string, string>;
}

function incidentAlerts(plan: DemoPlan, org: DemoOrg): IncidentAlert[] {
  if (org.index !== 0) return [];
  const inc = plan.incidents;
  const rule = (k: RuleSpec['incident']): RuleSpec => PRIMARY_RULES.find((r) => r.incident === k) as RuleSpec;
  return [
    {
      rule: rule('cpu'),
      title: 'High CPU on payment-processor (95 %)',
      startsAt: inc.cpuSpike.alertCpuAt,
      resolvesAt: inc.cpuSpike.resolveCpuAt,
      labels: { service: 'payment-processor', metric: 'cpu.usage', namespace: 'payments' },
    },
    {
      rule: rule('errors'),
      title: 'payment-processor error rate 45 % (threshold 5 %)',
      startsAt: inc.cpuSpike.alertErrorsAt,
      resolvesAt: inc.cpuSpike.resolveErrorsAt,
      labels: { service: 'payment-processor', metric: 'http.server.error_rate' },
    },
    {
      rule: rule('memory'),
      title: 'database-primary memory at 85 % of 32 GiB and rising',
      startsAt: inc.memoryLeak.alertAt,
      resolvesAt: inc.memoryLeak.resolveAt,
      labels: { service: 'database-primary', metric: 'memory.usage', host: 'db-primary-01' },
    },
    {
      rule: rule('latency'),
      title: 'checkout-service p95 latency 1.0 s after deploy v2.15.0',
      startsAt: inc.badDeploy.alertAt,
      resolvesAt: inc.badDeploy.rollbackAt + 10 * MINUTE,
      labels: { service: 'checkout-service', span_name: 'POST /checkout', version: 'v2.15.0' },
    },
  ];
}

function instanceRow(
  org: DemoOrg,
  id: string,
  rule: RuleSpec,
  title: string,
  status: string,
  startsAt: number,
  endsAt: number | null,
  labels: Record<string, string>,
): Row {
  return {
    id,
    organization_id: org.id,
    rule_id: entityId(org, 'alert-rule', rule.name),
    title,
    severity: rule.severity,
    status,
    starts_at: pgTime(startsAt),
    ends_at: endsAt === null ? null : pgTime(endsAt),
    labels: { ...labels, alertname: rule.name, severity: rule.severity },
    annotations: {
      summary: rule.summary,
      runbook_url: `https://runbooks.${org.profile.domain}/alerts/${rule.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    },
    created_at: pgTime(startsAt),
    updated_at: pgTime(endsAt ?? startsAt),
  };
}

const SLOT = 2 * 60 * MINUTE;

/** Routine alert instances (one or two per organization every 2 hours) whose end falls in [from, to). */
function routineInstances(plan: DemoPlan, from: number, to: number): Row[] {
  const rows: Row[] = [];
  for (const org of plan.orgs) {
    const rules = rulesOf(org).filter((r) => r.enabled && r.noise > 0);
    const weights = rules.map((r) => r.noise);
    // An instance lasts at most 45 minutes: look back one slot for ones ending in the window.
    forEachGridPoint(from - SLOT, to, SLOT, (t, k) => {
      const rng = new Prng(hash3(org.valueKey, 0xa1e, k));
      const n = rng.chance(0.35) ? 2 : 1;
      for (let i = 0; i < n; i++) {
        const rule = rules[rng.weighted(weights)] as RuleSpec;
        const start = t + rng.int(SLOT - 45 * MINUTE);
        const end = start + (4 + rng.int(41)) * MINUTE;
        const service = rule.service ?? rng.pick(org.services).name;
        if (end < from || end >= to) continue;
        rows.push(
          instanceRow(
            org,
            entityId(org, 'alert', i === 0 ? `routine#${k}` : `routine#${k}/${i}`),
            rule,
            `${rule.summary} (${service})`,
            'resolved',
            start,
            end,
            { service },
          ),
        );
      }
    });
  }
  return rows;
}

interface SloSpec {
  name: string;
  service: string;
  sli: string;
  objective: number;
  windowDays: number;
  thresholdMs: number | null;
}

const SLOS: Record<string, readonly SloSpec[]> = {
  primary: [
    {
      name: 'Checkout availability',
      service: 'checkout-service',
      sli: 'availability',
      objective: 99.9,
      windowDays: 30,
      thresholdMs: null,
    },
    {
      name: 'Checkout latency',
      service: 'checkout-service',
      sli: 'latency',
      objective: 99,
      windowDays: 30,
      thresholdMs: 800,
    },
    {
      name: 'Payments availability',
      service: 'payment-processor',
      sli: 'availability',
      objective: 99.95,
      windowDays: 30,
      thresholdMs: null,
    },
    {
      name: 'API gateway availability',
      service: 'api-gateway',
      sli: 'availability',
      objective: 99.9,
      windowDays: 28,
      thresholdMs: null,
    },
    {
      name: 'Search latency',
      service: 'search-service',
      sli: 'latency',
      objective: 95,
      windowDays: 7,
      thresholdMs: 300,
    },
  ],
  second: [
    {
      name: 'Tracking API availability',
      service: 'shipment-tracker',
      sli: 'availability',
      objective: 99.5,
      windowDays: 30,
      thresholdMs: null,
    },
    {
      name: 'Telemetry ingest latency',
      service: 'telemetry-ingest',
      sli: 'latency',
      objective: 99,
      windowDays: 7,
      thresholdMs: 50,
    },
    {
      name: 'Route optimisation latency',
      service: 'route-optimizer',
      sli: 'latency',
      objective: 90,
      windowDays: 30,
      thresholdMs: 1500,
    },
  ],
};

/** The alerting and SLO family. */
export const alertsFamily: DemoFamily = {
  name: 'alerts',
  pgTables: ['alert_rules', 'alert_instances', 'slo_definitions'],
  inventory(plan) {
    const rules: Row[] = [];
    const instances: Row[] = [];
    const slos: Row[] = [];
    for (const org of plan.orgs) {
      const incidents = incidentAlerts(plan, org);
      for (const r of rulesOf(org)) {
        const key = valueKey(org, 'alert-rule', r.name);
        const firing = incidents.find((a) => a.rule === r);
        rules.push({
          id: entityId(org, 'alert-rule', r.name),
          organization_id: org.id,
          name: r.name,
          description: r.summary,
          severity: r.severity,
          state: firing !== undefined ? 'firing' : 'ok',
          enabled: r.enabled,
          query: r.query,
          condition: r.condition,
          service_name: r.service,
          last_triggered_at:
            firing !== undefined
              ? pgTime(firing.startsAt)
              : r.noise > 0
                ? pgTime(plan.anchor - Math.floor((0.2 + unit(hash2(key, 1)) * 4) * DAY))
                : null,
          ...inventoryStamps(plan, key),
        });
      }
      for (const a of incidents)
        instances.push(
          instanceRow(
            org,
            entityId(org, 'alert', `incident:${a.rule.name}`),
            a.rule,
            a.title,
            'firing',
            a.startsAt,
            null,
            a.labels,
          ),
        );
      for (const s of SLOS[org.profile.key] ?? []) {
        slos.push({
          id: entityId(org, 'slo', s.name),
          organization_id: org.id,
          name: s.name,
          service_name: s.service,
          sli_type: s.sli,
          objective: s.objective,
          window_days: s.windowDays,
          threshold_ms: s.thresholdMs,
          enabled: true,
          ...inventoryStamps(plan, valueKey(org, 'slo', s.name)),
        });
      }
    }
    return [
      pgRows('alert_rules', rules),
      pgRows('alert_instances', instances),
      pgRows('slo_definitions', slos),
    ];
  },
  window: (plan, from, to) => [pgRows('alert_instances', routineInstances(plan, from, to))],
  mutations(plan, from, to) {
    const out: PgWrite[] = [];
    for (const org of plan.orgs) {
      for (const a of incidentAlerts(plan, org)) {
        if (a.resolvesAt < from || a.resolvesAt >= to) continue;
        out.push(
          pgStatement(
            'alert_instances',
            "UPDATE alert_instances SET status = 'resolved', ends_at = $1, updated_at = $1 WHERE id = $2",
            [pgTime(a.resolvesAt), entityId(org, 'alert', `incident:${a.rule.name}`)],
          ),
        );
        out.push(
          pgStatement('alert_rules', "UPDATE alert_rules SET state = 'ok', updated_at = $1 WHERE id = $2", [
            pgTime(a.resolvesAt),
            entityId(org, 'alert-rule', a.rule.name),
          ]),
        );
      }
    }
    return out;
  },
};
