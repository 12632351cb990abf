/**
 * Metric names as a model says them and as the platform stores them. The `metrics` table
 * uses OpenTelemetry-style names (`cpu.usage`, `http.server.error_rate`); models and people
 * say `cpu`, `memory`, `error_rate`, `latency`. An alias maps the short name to the stored
 * one; any stored name is accepted as it is.
 *
 * Decision: resolution is against the names the service actually reports, so an alias the
 * service lacks (a database has no `http.server.duration`) is answered with the names it
 * has, not with an empty series.
 */

/** Short names and the stored metric they mean. */
export const METRIC_ALIASES: Readonly<Record<string, string>> = {
  cpu: 'cpu.usage',
  cpu_percent: 'cpu.usage',
  memory: 'memory.usage',
  memory_percent: 'memory.usage',
  mem: 'memory.usage',
  memory_bytes: 'memory.used_bytes',
  error_rate: 'http.server.error_rate',
  errors: 'http.server.error_rate',
  request_rate: 'http.server.request_rate',
  requests: 'http.server.request_rate',
  throughput: 'http.server.request_rate',
  latency: 'http.server.duration',
  duration: 'http.server.duration',
  response_time: 'http.server.duration',
  gc: 'jvm.gc.pause_ms',
};

/** The stored metric name `name` stands for (an alias, or the name itself), trimmed. */
export function canonicalMetric(name: string): string {
  const trimmed = name.trim();
  return METRIC_ALIASES[trimmed.toLowerCase()] ?? trimmed;
}

/** Accepted aliases, for descriptions. */
export function aliasList(): string {
  return Object.entries(METRIC_ALIASES)
    .filter(([alias]) => ['cpu', 'memory', 'error_rate', 'request_rate', 'latency'].includes(alias))
    .map(([alias, metric]) => `${alias} = ${metric}`)
    .join(', ');
}
