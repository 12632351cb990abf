/**
 * The incidents of the demo estate, placed relative to the estate's anchor (the end of the
 * first generated window, i.e. the `now` of the first run, rounded down to the minute), so a
 * fresh estate shows them in the last hours. All three are in the primary organization
 * ({@link DEMO_ORGANIZATION_ID}); times below are offsets from the anchor A.
 *
 * 1. CPU spike on `payment-processor` (cause: worker pool saturation).
 *    - `metrics` cpu.usage: baseline about 28-40 % (daily curve); from A-25m it ramps in
 *      2 minutes to 95 % (+-2) and holds until A-5m, back to baseline by A-3m.
 *    - Errors lag the CPU by 2 minutes: from A-23m to A-3m 45 % of payment-processor spans
 *      fail (baseline 0.4 %), mostly after a 3 s timeout; checkout-service and api-gateway
 *      fail with it (504). Latency of payment-processor x4 from A-24m to A-4m.
 *    - ERROR logs "thread pool exhausted", "timed out after 3000 ms waiting for a worker",
 *      upstream timeouts in checkout-service; WARN GC pauses of 600-900 ms.
 *    - PostgreSQL alert instances "High CPU on payment-processor" (critical, starts A-22m)
 *      and "payment-processor error rate above 5 %" (critical, starts A-20m), both firing at
 *      A; they resolve at A+5m and A+8m when a later top-up covers those times.
 *    - ClickHouse anomaly_events at A-22m (cpu.usage, observed 95, expected 35, z 6.8) and
 *      A-20m (http.server.error_rate, observed 45 %, expected 0.4 %, z 11.3), plus an
 *      ERROR-log anomaly at A-21m; the autoscaler runs 10 pods (its maximum) from A-22m
 *      to A-1m; signal_correlations cpu.usage -> http.server.error_rate every minute.
 * 2. Memory leak on `database-primary` (PostgreSQL; cause: plan cache growth).
 *    - `metrics` memory.usage rises linearly from 55 % at A-6h to 93 % at A (limit 32 GiB,
 *      memory.used_bytes accordingly), 97 % at A+20m; an OOM kill at A+25m restarts it at
 *      about 48 %, after which it is flat again. Same curve in vm_metrics (db-primary-01)
 *      and db_metrics (memory.usage_percent, memory.used_bytes); query latency and
 *      connections to db-primary-01 degrade in its last hour.
 *    - WARN logs "memory usage at NN % of limit" more often as it grows; ERROR "out of
 *      memory" from A-30m; FATAL "terminated by signal 9" at A+25m.
 *    - Alert "database-primary memory above 85 %" firing from A-76m (resolves A+30m);
 *      predictions for database-primary every hour with failure_probability rising with
 *      memory (0.87 at A-10m, horizon 1h, predicted_for A+35m).
 * 3. Bad deployment of `checkout-service` (cause: N+1 inventory queries in v2.15.0).
 *    - PostgreSQL change_events row "Deploy checkout-service v2.15.0" at A-150m.
 *    - From A-150m to A+45m each checkout (POST /checkout) issues 6 extra sequential
 *      `SELECT ... FROM inventory WHERE sku = $1` spans (about 70 ms each) on
 *      database-primary: p95 of checkout-service POST /checkout goes from about 0.3 s to
 *      about 1 s (outside the CPU spike, whose payment timeouts push checkout past 3 s);
 *      db_queries calls of that fingerprint jump about 10x; error rate 0.3 % -> 1.5 %.
 *    - Spans of checkout-service carry `service.version` v2.15.0 from A-150m; its pods
 *      change ReplicaSet at A-150m (Kubernetes events "Scaled up replica set ...").
 *    - Alert "checkout-service p95 latency above 800 ms" firing from A-138m; anomaly at
 *      A-140m (http.server.duration, observed 996 ms, expected 308 ms, z 5.2); remediation
 *      plan "Roll back checkout-service to v2.14.3" (proposed at A-120m, executed at A+45m
 *      by a top-up that covers it, together with a rollback change event).
 *
 * Invariant: everything here is a pure function of the anchor.
 */
import { HOUR, MINUTE } from './time.js';

/** Absolute times (epoch ms) of the incidents of one estate. */
export interface IncidentTimeline {
  /** The estate's anchor. */
  anchor: number;
  cpuSpike: {
    start: number;
    end: number;
    errorsStart: number;
    errorsEnd: number;
    latencyStart: number;
    latencyEnd: number;
    alertCpuAt: number;
    alertErrorsAt: number;
    resolveCpuAt: number;
    resolveErrorsAt: number;
  };
  memoryLeak: {
    start: number;
    /** When memory crosses 85 % (alert). */
    alertAt: number;
    oomAt: number;
    resolveAt: number;
    predictionAt: number;
  };
  badDeploy: {
    deployAt: number;
    anomalyAt: number;
    alertAt: number;
    planAt: number;
    rollbackAt: number;
  };
}

/** Baseline and peak figures the generators and the documentation share. */
export const INCIDENT_FIGURES = {
  cpuSpikePercent: 95,
  paymentSpikeErrorRate: 0.45,
  paymentTimeoutMs: 3000,
  memoryStartPercent: 55,
  memoryAtAnchorPercent: 93,
  memoryPeakPercent: 97,
  memoryAfterRestartPercent: 48,
  memoryLimitBytes: 32 * 1024 ** 3,
  checkoutExtraQueries: 6,
  checkoutExtraQueryMs: 70,
  checkoutRegressedErrorRate: 0.015,
  badVersion: 'v2.15.0',
  goodVersion: 'v2.14.3',
} as const;

/** The incident times of an estate anchored at `anchor` (epoch ms). */
export function incidentTimeline(anchor: number): IncidentTimeline {
  const m = (minutes: number): number => anchor + minutes * MINUTE;
  const memoryStart = anchor - 6 * HOUR;
  // Linear 55 % -> 93 % over 6 h: crosses 85 % at 30/38 of the way.
  const alertAt = memoryStart + Math.round((6 * HOUR * 30) / 38 / MINUTE) * MINUTE;
  return {
    anchor,
    cpuSpike: {
      start: m(-25),
      end: m(-5),
      errorsStart: m(-23),
      errorsEnd: m(-3),
      latencyStart: m(-24),
      latencyEnd: m(-4),
      alertCpuAt: m(-22),
      alertErrorsAt: m(-20),
      resolveCpuAt: m(5),
      resolveErrorsAt: m(8),
    },
    memoryLeak: {
      start: memoryStart,
      alertAt,
      oomAt: m(25),
      resolveAt: m(30),
      predictionAt: m(-10),
    },
    badDeploy: {
      deployAt: m(-150),
      anomalyAt: m(-140),
      alertAt: m(-138),
      planAt: m(-120),
      rollbackAt: m(45),
    },
  };
}
