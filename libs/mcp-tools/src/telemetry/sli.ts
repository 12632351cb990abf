/**
 * Service level indicators over a window, per service, against an objective.
 *
 * Two kinds:
 * - `availability`: request based. SLI = 100 x (1 - errors / requests) from the span
 *   rollups `service_error_rates_<grain>`; the objective is the `threshold` percent
 *   (default 99). Error budget = the (100 - objective) % of requests allowed to fail;
 *   consumed = observed failures as a percentage of that budget.
 * - `latency` and any metric: time-slice based. Each bucket of the window's grain is a
 *   slice; a slice is good when its value (p95 of spans, or the metric's average) is at most
 *   (`at_most`, default) or at least (`at_least`) the `threshold`. SLI = good slices as a
 *   percentage of slices with data; the objective is `objective` percent (default 99).
 *   Error budget = the (100 - objective) % of slices allowed to be bad.
 *
 * Invariants: as queries.ts (organization filter, bound parameters, rollup combinators).
 * The comparison operator is picked from two constants, never taken from an argument.
 * A service without data in the window is `no_data`, neither compliant nor not.
 */
import { NotFoundError, nearMatches } from '@tfo/domain';
import { canonicalMetric } from './metric-names.js';
import {
  KNOWN_DAYS,
  num,
  requireService,
  resolveMetric,
  round,
  select,
  trafficByService,
  type ScopedCall,
} from './queries.js';
import type { TelemetryWindow } from './window.js';

/** Default availability objective (%). */
export const DEFAULT_AVAILABILITY_TARGET = 99;
/** Default p95 latency limit per slice (ms). */
export const DEFAULT_LATENCY_THRESHOLD_MS = 500;
/** Default share of good slices (%). */
export const DEFAULT_SLICE_OBJECTIVE = 99;

/** What to evaluate. */
export interface SliSpec {
  /** `availability`, `latency`, or a metric name or alias. */
  sli: string;
  /** Availability: the objective (%). Latency: p95 limit (ms). Metric: the limit in its unit. */
  threshold: number;
  /** Share of good slices required (%), for latency and metrics. */
  objective: number;
  comparison: 'at_most' | 'at_least';
  window: TelemetryWindow;
  /** One service, or every service of the organization. */
  service?: string | undefined;
}

/** The SLI of one service. */
export interface SliRow {
  service: string;
  status: 'compliant' | 'non_compliant' | 'no_data';
  /** Availability %, or good slices %. */
  sli_percent: number | null;
  objective_percent: number;
  error_budget_consumed_percent: number | null;
  error_budget_remaining_percent: number | null;
  [detail: string]: unknown;
}

/** The answer for all evaluated services. */
export interface SliEvaluation {
  sli: string;
  kind: 'availability' | 'latency' | 'metric';
  /** Stored metric name, for the metric kind. */
  metric?: string;
  rows: SliRow[];
}

/** The kind an `sli` argument names. */
export function sliKind(sli: string): 'availability' | 'latency' | 'metric' {
  const s = sli.trim().toLowerCase();
  if (['availability', 'uptime', 'success_rate'].includes(s)) return 'availability';
  if (['latency', 'latency_p95', 'p95', 'p95_latency'].includes(s)) return 'latency';
  return 'metric';
}

function budget(sliPercent: number | null, objective: number) {
  if (sliPercent === null) return { consumed: null, remaining: null };
  const allowed = 100 - objective;
  const consumed = allowed > 0 ? ((100 - sliPercent) / allowed) * 100 : sliPercent >= 100 ? 0 : null;
  return {
    consumed: round(consumed, 1),
    remaining: consumed === null ? null : round(Math.max(0, 100 - consumed), 1),
  };
}

function row(
  service: string,
  sliPercent: number | null,
  objective: number,
  details: Record<string, unknown>,
): SliRow {
  const b = budget(sliPercent, objective);
  return {
    service,
    status: sliPercent === null ? 'no_data' : sliPercent >= objective ? 'compliant' : 'non_compliant',
    sli_percent: round(sliPercent, 3),
    objective_percent: objective,
    error_budget_consumed_percent: b.consumed,
    error_budget_remaining_percent: b.remaining,
    ...details,
  };
}

function slicesSql(kind: 'latency' | 'metric', spec: SliSpec): string {
  const g = spec.window.grain;
  const op = spec.comparison === 'at_least' ? '>=' : '<=';
  const inner =
    kind === 'latency'
      ? `SELECT service_name, ${g.column} AS t, quantileMerge(0.95)(p95_duration_ns) / 1e6 AS v
         FROM service_latency_percentiles_${g.suffix}
        WHERE organization_id = {organization_id:String}
          AND ${g.column} > now() - toIntervalSecond({since_seconds:UInt32})
          AND ({service:String} = '' OR service_name = {service:String})
        GROUP BY service_name, t`
      : `SELECT service_name, ${g.column} AS t, avgMerge(avg_value) AS v
         FROM metrics_${g.suffix}
        WHERE organization_id = {organization_id:String}
          AND metric_name = {metric:String}
          AND ${g.column} > now() - toIntervalSecond({since_seconds:UInt32})
          AND ({service:String} = '' OR service_name = {service:String})
        GROUP BY service_name, t`;
  return `SELECT service_name,
       countIf(v ${op} {threshold:Float64}) AS good,
       count() AS slices,
       avg(v) AS average,
       min(v) AS lowest,
       max(v) AS highest
  FROM (${inner})
 GROUP BY service_name
 ORDER BY service_name`;
}

const ORG_METRICS = `SELECT metric_name
  FROM metrics_1h
 WHERE organization_id = {organization_id:String}
   AND hour > now() - toIntervalDay({days:UInt32})
 GROUP BY metric_name
 ORDER BY metric_name`;

async function availability(call: ScopedCall, spec: SliSpec): Promise<SliEvaluation> {
  const traffic = await trafficByService(call, spec.window.grain, spec.window.seconds, spec.service);
  const names = spec.service !== undefined ? [spec.service] : [...traffic.keys()].sort();
  const rows = names.map((service) => {
    const t = traffic.get(service);
    const requests = t?.requests ?? 0;
    const errors = t?.errors ?? 0;
    const sli = requests > 0 ? 100 * (1 - errors / requests) : null;
    return row(service, sli, spec.threshold, {
      requests,
      errors,
      error_rate_percent: requests > 0 ? round((100 * errors) / requests, 3) : null,
    });
  });
  return { sli: 'availability', kind: 'availability', rows };
}

async function slices(call: ScopedCall, spec: SliSpec, kind: 'latency' | 'metric'): Promise<SliEvaluation> {
  let metric: string | undefined;
  if (kind === 'metric') {
    metric =
      spec.service !== undefined
        ? await resolveMetric(call, spec.service, spec.sli)
        : canonicalMetric(spec.sli);
  }
  const result = await select(
    call,
    slicesSql(kind, spec),
    {
      since_seconds: spec.window.seconds,
      service: spec.service ?? '',
      threshold: spec.threshold,
      ...(metric === undefined ? {} : { metric }),
    },
    10_000,
  );
  if (kind === 'metric' && spec.service === undefined && result.length === 0) {
    const names = (await select(call, ORG_METRICS, { days: KNOWN_DAYS }, 10_000)).map((r) =>
      String(r['metric_name']),
    );
    if (!names.includes(metric as string)) {
      const near = nearMatches(metric as string, names, 5);
      throw new NotFoundError(
        `No service reports the metric ${JSON.stringify(spec.sli)}` +
          (near.length > 0 ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(', ')}?` : '.') +
          ' Use sli "availability" or "latency", or a metric name such as cpu.usage.',
        { code: 'TELEMETRY.UNKNOWN_METRIC', details: { metric: spec.sli, nearMatches: near } },
      );
    }
  }
  const unit = kind === 'latency' ? 'ms' : undefined;
  const byService = new Map(result.map((r) => [String(r['service_name']), r]));
  const names = spec.service !== undefined ? [spec.service] : [...byService.keys()];
  const rows = names.map((service) => {
    const r = byService.get(service);
    const total = num(r?.['slices']) ?? 0;
    const good = num(r?.['good']) ?? 0;
    return row(service, total > 0 ? (100 * good) / total : null, spec.objective, {
      good_slices: good,
      total_slices: total,
      slice: spec.window.grain.suffix,
      average: round(num(r?.['average'])),
      lowest: round(num(r?.['lowest'])),
      highest: round(num(r?.['highest'])),
      ...(unit === undefined ? {} : { unit }),
    });
  });
  return { sli: kind === 'latency' ? 'latency_p95' : spec.sli, kind, ...(metric ? { metric } : {}), rows };
}

/** Evaluates `spec` (see the module header). */
export async function evaluateSli(call: ScopedCall, spec: SliSpec): Promise<SliEvaluation> {
  const kind = sliKind(spec.sli);
  if (spec.service !== undefined && kind !== 'metric') await requireService(call, spec.service);
  return kind === 'availability' ? availability(call, spec) : slices(call, spec, kind);
}
