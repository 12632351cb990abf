/**
 * Uptime monitoring: the PostgreSQL `uptime_monitors` and the ClickHouse `uptime_checks`
 * each monitor runs from each of its regions at its own interval.
 *
 * Invariants: checks sit on each monitor's epoch-aligned interval grid (plus a fixed
 * per-region offset of a few seconds inside the minute, so no check is in the future of
 * a minute-aligned window end); a monitor backed by a service fails when that service
 * fails (payment-processor's error burst shows as timeouts of "Payments API health").
 */
import { emptyBatch, pgRows, type ChStream, type DemoFamily, type Row } from './model.js';
import { entityId, inventoryStamps, valueKey, type DemoOrg, type DemoPlan } from './plan.js';
import { hash3, hashString, Prng } from './prng.js';
import type { MonitorProfile } from './profiles.js';
import { errorBurstWeight, orgLoad } from './signals.js';
import { chTime, forEachGridPoint } from './time.js';

const REGION_EXTRA_MS: Record<string, Record<string, number>> = {
  primary: { 'eu-west-1': 0, 'us-east-1': 78, 'ap-southeast-1': 176, 'us-central1': 105, 'eu-central-1': 14 },
  second: { 'us-east-1': 0, 'us-central1': 24, 'eu-west-1': 82, 'ap-southeast-1': 210, 'eu-central-1': 95 },
};

/** Id of a monitor (the PostgreSQL uptime_monitors.id, also uptime_checks.monitor_id). */
export function monitorId(org: DemoOrg, m: MonitorProfile): string {
  return entityId(org, 'monitor', m.name);
}

function check(plan: DemoPlan, org: DemoOrg, m: MonitorProfile, region: string, t: number): Row {
  const key = hash3(valueKey(org, 'monitor', m.name), hashString(region), Math.floor(t / 1000));
  const rng = new Prng(key);
  const svc = m.service === undefined ? undefined : org.serviceByName.get(m.service);
  let failP = m.flakiness;
  let timeoutP = 0;
  if (svc !== undefined && org.index === 0 && svc.name === 'payment-processor')
    timeoutP = 0.45 * errorBurstWeight(plan, t);
  const slow =
    svc !== undefined &&
    org.index === 0 &&
    svc.name === 'checkout-service' &&
    t >= plan.incidents.badDeploy.deployAt &&
    t < plan.incidents.badDeploy.rollbackAt
      ? 1.25
      : 1;
  if (org.index === 1 && m.name === 'Partner webhooks') failP += 0.05 * (1 - orgLoad(org, t));
  const ms = (m.ms + (REGION_EXTRA_MS[org.profile.key]?.[region] ?? 60)) * slow * rng.lognormal(1, 0.18);
  const scope = svc?.scope ?? org.platformScope;
  const base = {
    organization_id: scope.organization_id,
    workspace_id: scope.workspace_id,
    tenant_id: scope.tenant_id,
    checked_at: chTime(t + (hashString(region) % 20) * 1000 + rng.int(900)),
    monitor_id: monitorId(org, m),
    monitor_name: m.name,
    region,
  };
  if (rng.chance(timeoutP)) {
    return {
      ...base,
      success: false,
      status_code: 0,
      response_time: 10_000,
      error_message: 'Timeout: no response within 10 s',
    };
  }
  if (rng.chance(failP)) {
    const [status, message] = rng.pick([
      [503, 'HTTP 503 Service Unavailable'],
      [502, 'HTTP 502 Bad Gateway'],
      [0, 'TLS handshake timeout after 5 s'],
      [0, 'connect ECONNREFUSED'],
    ] as const);
    return {
      ...base,
      success: false,
      status_code: status,
      response_time: Math.round(status === 0 ? 5000 : ms * 1.5),
      error_message: message,
    };
  }
  return { ...base, success: true, status_code: m.expectedStatus, response_time: Math.round(ms * 10) / 10 };
}

const uptimeStream: ChStream = {
  name: 'uptime',
  tables: ['uptime_checks'],
  rowsPerHour: (plan) =>
    plan.orgs.reduce(
      (n, o) => n + o.profile.monitors.reduce((m, x) => m + (x.regions.length * 3600) / x.intervalSeconds, 0),
      0,
    ),
  generate(plan, from, to) {
    const batch = emptyBatch(['uptime_checks']);
    const rows = batch['uptime_checks'] as Row[];
    for (const org of plan.orgs) {
      for (const m of org.profile.monitors) {
        forEachGridPoint(from, to, m.intervalSeconds * 1000, (t) => {
          for (const region of m.regions) rows.push(check(plan, org, m, region, t));
        });
      }
    }
    return batch;
  },
};

/** The uptime family. */
export const uptimeFamily: DemoFamily = {
  name: 'uptime',
  pgTables: ['uptime_monitors'],
  inventory: (plan) => [
    pgRows(
      'uptime_monitors',
      plan.orgs.flatMap((org) =>
        org.profile.monitors.map((m) => ({
          id: monitorId(org, m),
          organization_id: org.id,
          name: m.name,
          url: m.url,
          method: m.method,
          interval_seconds: m.intervalSeconds,
          regions: [...m.regions],
          enabled: true,
          expected_status: m.expectedStatus,
          ...inventoryStamps(plan, valueKey(org, 'monitor', m.name)),
        })),
      ),
    ),
  ],
  streams: [uptimeStream],
};
