/**
 * The estate's health signals as pure functions of (plan, organization, service, time):
 * load, CPU, memory, failure probability, latency factor, request rate. The metric, trace,
 * log, VM, Kubernetes and database generators all read these, so every table tells the
 * same story (incidents.ts describes the incidents they encode).
 *
 * Invariants: no state, no clock; incidents only touch the primary organization
 * (`org.index === 0`); results are clamped to their physical ranges.
 */
import { INCIDENT_FIGURES } from './incidents.js';
import type { DemoOrg, DemoPlan, DemoService } from './plan.js';
import { diurnal, HOUR, jitter, MINUTE, plateau, ramp, smoothNoise } from './time.js';

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** Share of peak traffic of an organization at `t` (0.3 .. 1.05). */
export function orgLoad(org: DemoOrg, t: number): number {
  return diurnal(t, org.profile.utcOffsetHours) * (0.92 + 0.16 * smoothNoise(org.valueKey, t, 20 * MINUTE));
}

function isPrimary(org: DemoOrg, svc: DemoService, name: string): boolean {
  return org.index === 0 && svc.name === name;
}

/** True while checkout-service runs the bad version (primary organization). */
export function inBadDeploy(plan: DemoPlan, t: number): boolean {
  const d = plan.incidents.badDeploy;
  return t >= d.deployAt && t < d.rollbackAt;
}

/** Weight (0..1) of payment-processor's CPU spike at `t`: 2-minute ramps at both ends. */
export function cpuSpikeWeight(plan: DemoPlan, t: number): number {
  const c = plan.incidents.cpuSpike;
  return plateau(t, c.start, c.end + 2 * MINUTE, 2 * MINUTE);
}

/** Weight (0..1) of payment-processor's error burst at `t` (lags the CPU by 2 minutes). */
export function errorBurstWeight(plan: DemoPlan, t: number): number {
  const c = plan.incidents.cpuSpike;
  return plateau(t, c.errorsStart, c.errorsEnd, MINUTE);
}

/** CPU use of a service, percent. */
export function cpuPercent(plan: DemoPlan, org: DemoOrg, svc: DemoService, t: number): number {
  const [lo, hi] = svc.profile.cpu;
  let cpu =
    lo +
    (hi - lo) * orgLoad(org, t) +
    6 * (smoothNoise(svc.key, t, 15 * MINUTE) - 0.5) +
    1.2 * jitter(svc.key, t);
  if (isPrimary(org, svc, 'payment-processor')) {
    const w = cpuSpikeWeight(plan, t);
    if (w > 0) cpu += (INCIDENT_FIGURES.cpuSpikePercent + 2 * jitter(svc.key ^ 0x5eed, t) - cpu) * w;
  } else if (isPrimary(org, svc, 'checkout-service') && inBadDeploy(plan, t)) {
    cpu += 6;
  } else if (isPrimary(org, svc, 'database-primary')) {
    cpu +=
      8 *
      ramp(t, plan.incidents.anchor - HOUR, plan.incidents.anchor) *
      (t < plan.incidents.memoryLeak.oomAt ? 1 : 0);
  }
  return clamp(cpu, 0.5, 100);
}

/** Memory use of a service, percent of its limit (database-primary leaks; JVMs saw-tooth). */
export function memoryPercent(plan: DemoPlan, org: DemoOrg, svc: DemoService, t: number): number {
  if (isPrimary(org, svc, 'database-primary')) return leakingMemoryPercent(plan, svc.key, t);
  let mem =
    svc.profile.memoryPercent +
    6 * (smoothNoise(svc.key ^ 0x3e3, t, HOUR) - 0.5) +
    0.4 * jitter(svc.key ^ 0x3e3, t);
  if (svc.profile.jvm === true) {
    const period = (17 + (svc.key % 13)) * MINUTE;
    mem += 9 * ((t % period) / period) - 4.5;
  }
  return clamp(mem, 1, 99);
}

/** database-primary's memory curve (see incidents.ts). */
export function leakingMemoryPercent(plan: DemoPlan, key: number, t: number): number {
  const { start, oomAt } = plan.incidents.memoryLeak;
  const anchor = plan.incidents.anchor;
  const f = INCIDENT_FIGURES;
  const noise = 0.4 * jitter(key ^ 0x1eaf, t);
  if (t < start) return f.memoryStartPercent + 3 * (smoothNoise(key, t, HOUR) - 0.5) + noise;
  if (t < anchor)
    return (
      f.memoryStartPercent +
      (f.memoryAtAnchorPercent - f.memoryStartPercent) * ((t - start) / (anchor - start)) +
      noise
    );
  if (t < oomAt) {
    return (
      Math.min(
        f.memoryPeakPercent,
        f.memoryAtAnchorPercent +
          (f.memoryPeakPercent - f.memoryAtAnchorPercent) * ((t - anchor) / (20 * MINUTE)),
      ) + noise
    );
  }
  const back = ramp(t, oomAt, oomAt + 2 * HOUR);
  return (
    f.memoryAfterRestartPercent +
    (f.memoryStartPercent - f.memoryAfterRestartPercent) * back +
    3 * (smoothNoise(key, t, HOUR) - 0.5) +
    noise
  );
}

/** Probability that a span of the service fails on its own at `t`. */
export function errorProbability(plan: DemoPlan, org: DemoOrg, svc: DemoService, t: number): number {
  let p = svc.profile.errorRate * (0.7 + 0.6 * smoothNoise(svc.key ^ 0xe77, t, 30 * MINUTE));
  if (org.index !== 0) return p;
  if (svc.name === 'payment-processor') {
    const w = errorBurstWeight(plan, t);
    if (w > 0) p = Math.max(p, INCIDENT_FIGURES.paymentSpikeErrorRate * w);
  } else if (svc.name === 'checkout-service' && inBadDeploy(plan, t)) {
    p = Math.max(p, INCIDENT_FIGURES.checkoutRegressedErrorRate);
  } else if (svc.name === 'database-primary') {
    const { oomAt } = plan.incidents.memoryLeak;
    if (t >= plan.incidents.anchor - 30 * MINUTE && t < oomAt) p = Math.max(p, 0.02);
    if (t >= oomAt && t < oomAt + 3 * MINUTE) p = 0.6;
  }
  return p;
}

/** Multiplier of a service's own processing time at `t`. */
export function latencyFactor(plan: DemoPlan, org: DemoOrg, svc: DemoService, t: number): number {
  let f = 0.9 + 0.2 * orgLoad(org, t) + 0.15 * (smoothNoise(svc.key ^ 0x1a7, t, 10 * MINUTE) - 0.5);
  if (org.index !== 0) return f;
  if (svc.name === 'payment-processor') {
    const c = plan.incidents.cpuSpike;
    f *= 1 + 3 * plateau(t, c.latencyStart, c.latencyEnd, MINUTE);
  } else if (svc.name === 'database-primary') {
    const anchor = plan.incidents.anchor;
    if (t < plan.incidents.memoryLeak.oomAt) f *= 1 + 1.5 * ramp(t, anchor - HOUR, anchor);
  }
  return f;
}

/** Requests (queries, messages) per second a service handles at `t`. */
export function requestRate(plan: DemoPlan, org: DemoOrg, svc: DemoService, t: number): number {
  let rate = svc.profile.peakRps * orgLoad(org, t) * (1 + 0.05 * jitter(svc.key ^ 0x4a7e, t));
  if (org.index === 0 && svc.name === 'payment-processor') rate *= 1 + 0.2 * errorBurstWeight(plan, t);
  if (org.index === 0 && svc.name === 'database-primary' && inBadDeploy(plan, t)) rate *= 1.35;
  return Math.max(0, rate);
}

/** Extra sequential inventory queries a checkout issues at `t` (the bad deployment's N+1). */
export function extraCheckoutQueries(plan: DemoPlan, org: DemoOrg, t: number): number {
  return org.index === 0 && inBadDeploy(plan, t) ? INCIDENT_FIGURES.checkoutExtraQueries : 0;
}
