/**
 * Request traffic of the demo estate: sampled traces walked through each organization's
 * call graph (profiles.ts), written as spans (`traces`), the logs those requests produce,
 * exemplars linking `http.server.duration` to traces, one `service_map_metrics` row per
 * service-to-service call, and `signal_correlations` between traces, logs and metrics.
 *
 * Invariants:
 * - Pure in (plan, minute): the traces of one minute come from a generator seeded by
 *   (seed, organization position, minute), so a window split anywhere on minute
 *   boundaries yields the same rows. Trace and span ids also mix in the organization id.
 * - Spans nest: a child starts after its parent and ends before it; a parent's duration
 *   covers its children (sequential or parallel); a failed child fails its parent with
 *   probability 0.85; a timed-out call lasts the caller's 3 s deadline.
 * - Every error log, exemplar and correlation carries the trace id of its span.
 */
import { INCIDENT_FIGURES } from './incidents.js';
import {
  accessMessage,
  ownErrorMessage,
  saturationMessage,
  slowMessage,
  upstreamMessage,
} from './messages.js';
import { emptyBatch, type ChBatch, type ChStream, type Row } from './model.js';
import { podsAt, serviceVersionAt, type DemoOrg, type DemoPlan, type DemoService } from './plan.js';
import { hash3, hash4, hex8, Prng } from './prng.js';
import type { RouteNode, RouteProfile } from './profiles.js';
import {
  errorBurstWeight,
  errorProbability,
  extraCheckoutQueries,
  latencyFactor,
  orgLoad,
} from './signals.js';
import { chTime, chTimeNs, MINUTE } from './time.js';

/** The tables the request stream fills. */
export const TRACE_TABLES = [
  'traces',
  'logs',
  'exemplars',
  'service_map_metrics',
  'signal_correlations',
] as const;

/** A route node with its service resolved. */
interface CompiledNode {
  node: RouteNode;
  svc: DemoService;
  kind: string;
  protocol: string;
  /** SERVER or CONSUMER: the node handles a request (access logs, exemplars). */
  handles: boolean;
  children: CompiledNode[];
}

interface CompiledOrg {
  routes: CompiledNode[];
  weights: number[];
  /** The busiest operation of each service (for metrics). */
  entry: Map<string, CompiledNode>;
}

const compiled = new WeakMap<DemoOrg, CompiledOrg>();

function defaultKind(svc: DemoService): string {
  const k = svc.profile.kind;
  return k === 'database' || k === 'cache' || k === 'queue' ? 'CLIENT' : 'SERVER';
}

function compileNode(org: DemoOrg, node: RouteNode): CompiledNode {
  const svc = org.serviceByName.get(node.service);
  if (svc === undefined) throw new Error(`demo profile: route calls unknown service ${node.service}`);
  const kind = node.kind ?? defaultKind(svc);
  return {
    node,
    svc,
    kind,
    protocol: node.protocol ?? 'http',
    handles: kind === 'SERVER' || kind === 'CONSUMER',
    children: (node.children ?? []).map((c) => compileNode(org, c)),
  };
}

/** The organization's call graph with services resolved (cached per plan organization). */
export function compiledRoutes(org: DemoOrg): CompiledOrg {
  let c = compiled.get(org);
  if (c !== undefined) return c;
  const routes = org.profile.routes.map((r: RouteProfile) => compileNode(org, r.root));
  const entry = new Map<string, CompiledNode>();
  const weightOf = new Map<CompiledNode, number>();
  const visit = (n: CompiledNode, w: number): void => {
    if (!entry.has(n.svc.name) || (weightOf.get(entry.get(n.svc.name) as CompiledNode) ?? 0) < w) {
      if (n.handles || n.svc.profile.kind !== 'service') {
        entry.set(n.svc.name, n);
        weightOf.set(n, w);
      }
    }
    n.children.forEach((child) => visit(child, w));
  };
  org.profile.routes.forEach((r, i) => visit(routes[i] as CompiledNode, r.weight));
  c = { routes, weights: org.profile.routes.map((r) => r.weight), entry };
  compiled.set(org, c);
  return c;
}

/** Unique (source, target, protocol) service-to-service edges of an organization's call graph. */
export function routeEdges(org: DemoOrg): { source: string; target: string; protocol: string }[] {
  const seen = new Map<string, { source: string; target: string; protocol: string }>();
  const walk = (n: CompiledNode): void => {
    for (const child of n.children) {
      if (child.svc !== n.svc) {
        const key = `${n.svc.name}>${child.svc.name}`;
        if (!seen.has(key))
          seen.set(key, { source: n.svc.name, target: child.svc.name, protocol: child.protocol });
      }
      walk(child);
    }
  };
  compiledRoutes(org).routes.forEach(walk);
  return [...seen.values()];
}

const SIGMA = 0.35;
const LOGNORMAL_MEAN = Math.exp((SIGMA * SIGMA) / 2);

/**
 * Expected duration (ms) of an operation at `t`: the mean the trace generator draws
 * around, used for the `http.server.duration` metric and the service map.
 */
export function expectedDurationMs(plan: DemoPlan, org: DemoOrg, n: CompiledNode, t: number): number {
  const self = n.node.ms * LOGNORMAL_MEAN * latencyFactor(plan, org, n.svc, t);
  let kids = 0;
  for (const c of n.children) {
    const d = expectedDurationMs(plan, org, c, t) + 0.3;
    kids = n.node.parallel === true ? Math.max(kids, d) : kids + d;
  }
  if (n.svc.name === 'checkout-service') {
    kids += extraCheckoutQueries(plan, org, t) * INCIDENT_FIGURES.checkoutExtraQueryMs * LOGNORMAL_MEAN;
  }
  const normal = self + kids;
  if (org.index === 0 && n.svc.name === 'payment-processor') {
    const p = INCIDENT_FIGURES.paymentSpikeErrorRate * errorBurstWeight(plan, t);
    return (1 - p) * normal + p * INCIDENT_FIGURES.paymentTimeoutMs;
  }
  return normal;
}

interface Out {
  traces: Row[];
  logs: Row[];
  exemplars: Row[];
  smap: Row[];
  corr: Row[];
}

interface Sim {
  plan: DemoPlan;
  org: DemoOrg;
  rng: Prng;
  minute: number;
  trace: number;
  traceId: string;
  spans: number;
  out: Out;
}

interface SpanResult {
  end: number;
  error: boolean;
  status: number;
  timeout: boolean;
}

const SEVERITY: Record<string, number> = { DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };

function hostOf(sim: Sim, svc: DemoService, t: number, pick: number): string {
  const p = svc.profile;
  if (p.runtime === 'kubernetes') {
    const pods = podsAt(sim.plan, sim.org, svc, t);
    return pods[pick % pods.length] ?? p.name;
  }
  return p.host ?? p.name;
}

function log(
  sim: Sim,
  svc: DemoService,
  t: number,
  severity: string,
  body: string,
  spanId: string,
  host: string,
): void {
  sim.out.logs.push({
    organization_id: svc.scope.organization_id,
    workspace_id: svc.scope.workspace_id,
    tenant_id: svc.scope.tenant_id,
    timestamp: chTime(t),
    service_name: svc.name,
    severity_text: severity,
    severity_number: SEVERITY[severity] ?? 9,
    body,
    trace_id: sim.traceId,
    span_id: spanId,
    host_name: host,
  });
}

function correlation(
  sim: Sim,
  svc: DemoService,
  t: number,
  type: string,
  source: string,
  target: string,
  strength: number,
): void {
  sim.out.corr.push({
    organization_id: svc.scope.organization_id,
    workspace_id: svc.scope.workspace_id,
    tenant_id: svc.scope.tenant_id,
    timestamp: chTime(t),
    service_name: svc.name,
    correlation_type: type,
    source_signal: source,
    target_signal: target,
    trace_id: sim.traceId,
    strength: Math.round(strength * 1000) / 1000,
  });
}

const EXTRA_QUERY: RouteNode = {
  service: 'database-primary',
  op: 'SELECT inventory',
  kind: 'CLIENT',
  protocol: 'postgresql',
  ms: INCIDENT_FIGURES.checkoutExtraQueryMs,
};

function simulate(
  sim: Sim,
  n: CompiledNode,
  start: number,
  parent: CompiledNode | null,
  parentSpan: string,
): SpanResult {
  const { plan, org, rng } = sim;
  const svc = n.svc;
  const seq = sim.spans++;
  const spanId =
    hex8(hash4(org.idKey, sim.minute, sim.trace * 256 + seq, 0x5a)) +
    hex8(hash4(org.idKey, sim.minute, sim.trace * 256 + seq, 0x5b));
  const self = n.node.ms * latencyFactor(plan, org, svc, start) * rng.lognormal(1, SIGMA);
  const ownError = rng.chance(errorProbability(plan, org, svc, start));
  const saturated =
    ownError && org.index === 0 && svc.name === 'payment-processor' && errorBurstWeight(plan, start) > 0;
  let cursor = start + self * 0.4;
  let childFailed: { node: CompiledNode; status: number } | undefined;
  let childTimedOut = false;
  if (!saturated) {
    const extra = svc.name === 'checkout-service' ? extraCheckoutQueries(plan, org, start) : 0;
    if (extra > 0) {
      const db = org.serviceByName.get(EXTRA_QUERY.service);
      if (db !== undefined) {
        const extraNode: CompiledNode = {
          node: EXTRA_QUERY,
          svc: db,
          kind: 'CLIENT',
          protocol: 'postgresql',
          handles: false,
          children: [],
        };
        for (let i = 0; i < extra; i++) {
          const r = simulate(sim, extraNode, cursor + 0.2, n, spanId);
          cursor = r.end;
        }
      }
    }
    let parallelEnd = cursor;
    for (const child of n.children) {
      const childStart =
        n.node.parallel === true ? cursor + rng.next() * 0.5 : cursor + 0.1 + rng.next() * 0.4;
      const r = simulate(sim, child, childStart, n, spanId);
      if (n.node.parallel === true) parallelEnd = Math.max(parallelEnd, r.end);
      else cursor = r.end;
      if (r.error && childFailed === undefined && rng.chance(0.85)) {
        childFailed = { node: child, status: r.status };
        childTimedOut = r.timeout;
      }
    }
    if (n.node.parallel === true) cursor = parallelEnd;
  }
  const end = saturated ? start + INCIDENT_FIGURES.paymentTimeoutMs + rng.next() * 150 : cursor + self * 0.6;
  const error = ownError || childFailed !== undefined;
  const timeout = saturated || childTimedOut;
  const isHttp = n.handles;
  const method = n.node.op.startsWith('POST') ? 201 : 200;
  const status = !isHttp
    ? 0
    : !error
      ? method
      : timeout
        ? 504
        : childFailed !== undefined
          ? 502
          : rng.chance(0.7)
            ? 500
            : 503;
  const durationMs = end - start;
  const msInt = Math.floor(start);
  const host = hostOf(sim, svc, start, hash3(sim.minute, sim.trace, seq));
  const row: Row = {
    organization_id: svc.scope.organization_id,
    workspace_id: svc.scope.workspace_id,
    tenant_id: svc.scope.tenant_id,
    timestamp: chTimeNs(msInt, Math.floor((start - msInt) * 1e6)),
    trace_id: sim.traceId,
    span_id: spanId,
    parent_span_id: parentSpan,
    service_name: svc.name,
    span_name: n.node.op,
    span_kind: n.kind,
    duration_ns: Math.max(1000, Math.round(durationMs * 1e6)),
    status_code: error ? 'ERROR' : 'OK',
    http_status_code: status,
  };
  if (isHttp)
    row['attributes'] = {
      'service.version': serviceVersionAt(plan, org, svc.name, start),
      'host.name': host,
    };
  sim.out.traces.push(row);

  if (parent !== null && parent.svc !== svc) {
    sim.out.smap.push({
      organization_id: parent.svc.scope.organization_id,
      workspace_id: parent.svc.scope.workspace_id,
      tenant_id: parent.svc.scope.tenant_id,
      timestamp: chTime(start),
      source_service: parent.svc.name,
      target_service: svc.name,
      protocol: n.protocol,
      duration_ms: Math.round(durationMs * 1000) / 1000,
      is_error: error,
    });
  }

  const logAt = Math.min(end, start + durationMs * 0.98);
  if (error) {
    let body: string;
    let severity = 'ERROR';
    if (saturated) body = saturationMessage(rng, n.node.op);
    else if (ownError) body = ownErrorMessage(rng, svc.profile, n.node.op);
    else {
      const failed = childFailed as { node: CompiledNode; status: number };
      body = upstreamMessage(rng, failed.node.svc.name, failed.node.node.op, timeout ? 504 : failed.status);
      if (!isHttp) severity = 'WARN';
    }
    if (ownError || isHttp || rng.chance(0.5)) {
      log(sim, svc, logAt, severity, body, spanId, host);
      correlation(sim, svc, logAt, 'trace_log', 'traces', 'logs', 0.9 + rng.next() * 0.1);
    }
  } else if (isHttp && (parent === null || rng.chance(0.3))) {
    log(sim, svc, logAt, 'INFO', accessMessage(n.node.op, status, durationMs, n.kind), spanId, host);
  }
  const threshold = Math.max(200, Math.round((n.node.ms * 8) / 100) * 100);
  const slow = isHttp && !error && durationMs > threshold;
  if (slow && rng.chance(0.5))
    log(sim, svc, logAt, 'WARN', slowMessage(n.node.op, durationMs, threshold), spanId, host);
  if (isHttp && (error || slow || rng.chance(0.15))) {
    sim.out.exemplars.push({
      organization_id: svc.scope.organization_id,
      workspace_id: svc.scope.workspace_id,
      tenant_id: svc.scope.tenant_id,
      timestamp: chTime(start),
      metric_name: 'http.server.duration',
      service_name: svc.name,
      trace_id: sim.traceId,
      span_id: spanId,
      value: Math.round(durationMs * 1000) / 1000,
    });
    if (error || rng.chance(0.25))
      correlation(sim, svc, start, 'metric_trace', 'metrics', 'traces', 0.7 + rng.next() * 0.25);
  }
  return { end, error, status, timeout };
}

/** Generates the request traffic of one organization for the minutes of [from, to). */
export function generateTraces(plan: DemoPlan, org: DemoOrg, from: number, to: number, out: Out): void {
  const routes = compiledRoutes(org);
  const peak = plan.spec.tracesPerMinute * org.profile.traceShare;
  for (let m = Math.ceil(from / MINUTE); m * MINUTE < to; m++) {
    const t0 = m * MINUTE;
    const rng = new Prng(hash3(org.valueKey, 0x7472, m));
    const n = rng.poisson(peak * orgLoad(org, t0));
    for (let i = 0; i < n; i++) {
      const route = routes.routes[rng.weighted(routes.weights)] as CompiledNode;
      // Roots start in the first 50 s of their minute, so a trace ends inside its minute.
      const start = t0 + rng.next() * 50_000;
      const traceId =
        hex8(hash4(org.idKey, m, i, 1)) +
        hex8(hash4(org.idKey, m, i, 2)) +
        hex8(hash4(org.idKey, m, i, 3)) +
        hex8(hash4(org.idKey, m, i, 4));
      const sim: Sim = { plan, org, rng, minute: m, trace: i, traceId, spans: 0, out };
      simulate(sim, route, start, null, '');
    }
  }
}

/** The request stream: traces, their logs, exemplars, service-map calls and correlations. */
export const traceStream: ChStream = {
  name: 'requests',
  tables: TRACE_TABLES,
  rowsPerHour: (plan) => plan.spec.tracesPerMinute * 0.7 * 60 * 12,
  generate(plan, from, to): ChBatch {
    const batch = emptyBatch(TRACE_TABLES);
    const out: Out = {
      traces: batch['traces'] as Row[],
      logs: batch['logs'] as Row[],
      exemplars: batch['exemplars'] as Row[],
      smap: batch['service_map_metrics'] as Row[],
      corr: batch['signal_correlations'] as Row[],
    };
    for (const org of plan.orgs) generateTraces(plan, org, from, to, out);
    return batch;
  },
};
