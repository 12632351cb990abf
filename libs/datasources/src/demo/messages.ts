/**
 * Log and event texts of the demo estate: realistic bodies filled with drawn numbers.
 * Pure: every function takes its generator and returns a string.
 */
import type { Prng } from './prng.js';
import type { ServiceProfile } from './profiles.js';

const GENERIC_ERRORS: Record<string, readonly string[]> = {
  java: [
    'Unhandled exception in {op}: java.lang.IllegalStateException: order {id} is not in state PENDING',
    'Request failed in {op}: java.net.SocketTimeoutException: Read timed out after 2000 ms',
    'Request failed in {op}: org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection',
  ],
  kotlin: [
    'Unhandled exception in {op}: kotlinx.coroutines.TimeoutCancellationException: Timed out waiting for 1500 ms',
    'Request failed in {op}: io.ktor.client.plugins.ServerResponseException: 503 Service Unavailable',
  ],
  go: [
    'handler {op} failed: context deadline exceeded',
    'handler {op} failed: rpc error: code = Unavailable desc = connection reset by peer',
    'panic recovered in {op}: runtime error: invalid memory address or nil pointer dereference',
  ],
  python: [
    'Exception in {op}: TimeoutError: upstream did not answer within 1.5 s',
    "Exception in {op}: KeyError: 'sku' while parsing request {id}",
    'Exception in {op}: redis.exceptions.ConnectionError: Error 104 while reading from socket',
  ],
  typescript: [
    'Unhandled rejection in {op}: FetchError: request to upstream failed, reason: socket hang up',
    "Error in {op}: TypeError: Cannot read properties of undefined (reading 'items')",
  ],
  rust: ['request {op} failed: hyper::Error(IncompleteMessage): connection closed before message completed'],
  sql: [
    'ERROR: canceling statement due to statement timeout (statement: {op})',
    'ERROR: deadlock detected; Process {pid} waits for ShareLock on transaction {id}',
    'ERROR: could not serialize access due to concurrent update ({op})',
  ],
  js: ['MongoServerError: WriteConflict during {op}, retrying'],
  c: ["Error executing {op}: OOM command not allowed when used memory > 'maxmemory'"],
  erlang: [
    'connection <0.{pid}.0> ({op}): closing AMQP connection: client unexpectedly closed TCP connection',
  ],
};

function fill(template: string, rng: Prng, op: string): string {
  return template
    .replace('{op}', op)
    .replace('{id}', String(100_000 + rng.int(900_000)))
    .replace('{pid}', String(10_000 + rng.int(50_000)));
}

/** An ERROR body for a failure of the service's own making. */
export function ownErrorMessage(rng: Prng, profile: ServiceProfile, op: string): string {
  const list = GENERIC_ERRORS[profile.language] ?? GENERIC_ERRORS['go'] ?? [];
  return fill(rng.pick(list), rng, op);
}

/** An ERROR body for payment-processor saturated by CPU (the spike). */
export function saturationMessage(rng: Prng, op: string): string {
  const queued = 300 + rng.int(1800);
  switch (rng.int(4)) {
    case 0:
      return `Rejected ${op}: thread pool exhausted (200/200 workers busy, ${queued} tasks queued)`;
    case 1:
      return `Timed out after 3000 ms waiting for a worker thread (${op})`;
    case 2:
      return `Request deadline exceeded in ${op}: spent ${2400 + rng.int(600)} ms in queue before processing`;
    default:
      return `Executor 'payments-io' saturated: rejecting ${op}, active=200 queue=${queued}`;
  }
}

/** An ERROR body for a failure caused by a downstream call. */
export function upstreamMessage(rng: Prng, child: string, childOp: string, status: number): string {
  if (status === 504) {
    return rng.chance(0.5)
      ? `Upstream timeout: ${child} ${childOp} exceeded 3000 ms deadline`
      : `Call to ${child} (${childOp}) failed: DEADLINE_EXCEEDED after 3000 ms`;
  }
  return rng.chance(0.5)
    ? `Upstream ${child} ${childOp} failed with ${status === 0 ? 'an error' : `status ${status}`}`
    : `Dependency failure: ${child} returned an error for ${childOp}`;
}

/** A WARN body for a slow request. */
export function slowMessage(op: string, ms: number, thresholdMs: number): string {
  return `Slow request: ${op} took ${Math.round(ms)} ms (threshold ${thresholdMs} ms)`;
}

/** An INFO access-log body. */
export function accessMessage(op: string, status: number, ms: number, kind: string): string {
  if (kind === 'CONSUMER') return `Processed ${op.replace(/ process$/, '')} message in ${Math.round(ms)} ms`;
  return `${op} ${status} ${Math.round(ms)}ms`;
}

/** Routine background lines of a service, by kind (no incident). */
export function routineMessage(rng: Prng, profile: ServiceProfile): { severity: string; body: string } {
  if (profile.jvm === true && rng.chance(0.4)) {
    const before = 1.2 + rng.next() * 1.8;
    return {
      severity: 'INFO',
      body: `GC pause (G1 Evacuation Pause) ${8 + rng.int(40)} ms, heap ${before.toFixed(1)} GiB -> ${(before * 0.55).toFixed(1)} GiB`,
    };
  }
  switch (profile.kind) {
    case 'database':
      return rng.pick([
        {
          severity: 'INFO',
          body: `checkpoint complete: wrote ${500 + rng.int(4000)} buffers (${(rng.next() * 15).toFixed(1)}%); sync files=${20 + rng.int(80)}`,
        },
        {
          severity: 'INFO',
          body: `automatic vacuum of table "public.${rng.pick(['orders', 'payments', 'inventory', 'sessions', 'shipments'])}": index scans: 1, pages removed: ${rng.int(900)}`,
        },
        {
          severity: 'WARN',
          body: `duration: ${1000 + rng.int(4000)} ms  statement: SELECT * FROM order_items WHERE order_id = ANY($1)`,
        },
      ]);
    case 'cache':
      return {
        severity: 'INFO',
        body: `Background saving started by pid ${1000 + rng.int(9000)}; DB saved on disk`,
      };
    case 'queue':
      return {
        severity: 'INFO',
        body: `Partition rebalance finished for group ${rng.pick(['notifications', 'analytics', 'billing'])} in ${20 + rng.int(300)} ms`,
      };
    case 'gateway':
      return {
        severity: 'INFO',
        body: `Reloaded routing table: ${40 + rng.int(20)} routes, ${3 + rng.int(3)} upstream pools healthy`,
      };
    case 'worker':
      return {
        severity: 'INFO',
        body: `Batch done: ${20 + rng.int(400)} jobs in ${1 + rng.int(30)} s, ${rng.int(3)} retried`,
      };
    default:
      return rng.pick([
        { severity: 'INFO', body: `Health check OK (dependencies: ${2 + rng.int(4)} up)` },
        {
          severity: 'INFO',
          body: `Refreshed feature flags: ${10 + rng.int(30)} flags, ${rng.int(4)} changed`,
        },
        { severity: 'WARN', body: `Connection pool at ${70 + rng.int(20)}% (${14 + rng.int(5)}/20 in use)` },
        { severity: 'INFO', body: `Config reloaded from configmap, revision ${100 + rng.int(900)}` },
      ]);
  }
}
