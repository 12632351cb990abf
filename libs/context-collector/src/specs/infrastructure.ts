/**
 * Infrastructure specs: PostgreSQL `agents` with the CH `vm_metrics_*` rollup filtered by
 * metric-name family (cpu.*, memory.*, disk.*, net.*), plus the seed views over hosts,
 * compute, containers (kubernetes_metrics_*), databases (database_instances + db_metrics_*),
 * caches and queues (metrics_* cache.* / queue.*), load balancers and DNS (network map).
 * Summaries lead with saturated resources (a `*.usage` percentage at or above 85) and
 * spikes against the previous window.
 */
import type { ContextType } from '@tfo/domain';
import { bytes, fmt, list, num, str, when, type Row } from '../format.js';
import { byContextId, countText, pgList, problemsText, unhealthy } from '../queries/inventory.js';
import { connectionRollup, networkConnections, networkNodes } from '../queries/maps.js';
import {
  describeSpike,
  pairSeries,
  seriesData,
  seriesSource,
  spikes,
  type Series,
} from '../queries/series.js';
import type { ContextSpec, SourceBuilder, SourceRows } from '../spec.js';
import type { ChBuilder, QueryInput } from '../sql.js';
import { sentences, viewSpec } from './common.js';

/** Telemetry agents (PostgreSQL). */
export const agentsSource: SourceBuilder = pgList({
  from: 'agents',
  columns: 'name, host, type, version, status, os, last_heartbeat',
  orderBy: "CASE status WHEN 'online' THEN 1 ELSE 0 END, name",
  where: (b) =>
    b.input.contextId === undefined
      ? undefined
      : `name = ${b.bind(b.input.contextId)} OR host = $${b.params.length}`,
  limitFactor: 5,
});

/** A metric-name filter on `metric_name LIKE` bound prefixes, plus contextId as host. */
function metricFilter(prefixes: readonly string[], hostColumn?: string) {
  return (b: ChBuilder): string | undefined => {
    const parts: string[] = [];
    if (prefixes.length > 0)
      parts.push(`(${prefixes.map((p) => `metric_name LIKE ${b.bind(`${p}%`)}`).join(' OR ')})`);
    if (hostColumn !== undefined && b.input.contextId !== undefined) parts.push(`${hostColumn} = ${b.id}`);
    return parts.length > 0 ? parts.join(' AND ') : undefined;
  };
}

const VM_KEYS = ['host_name', 'metric_name'] as const;

/** vm_metrics series for some metric families. */
export function vmSeries(prefixes: readonly string[]): SourceBuilder {
  return seriesSource({ family: 'vm_metrics', keys: VM_KEYS, where: metricFilter(prefixes, 'host_name') });
}

/** Series that are a percentage of capacity (`*.usage`, `*usage_percent`). */
export function isPercent(metric: string): boolean {
  return /(\.usage|usage_percent|_percent)$/.test(metric);
}

/** Series at or above `threshold` % of capacity, fullest first. */
export function saturated(series: readonly Series[], threshold = 85): Series[] {
  return series.filter((s) => isPercent(s.metric) && s.max >= threshold).sort((a, b) => b.max - a.max);
}

/** Formats a value of a series by its metric name. */
export function formatValue(metric: string, value: number): string {
  if (metric.endsWith('bytes') || metric.endsWith('_bytes_per_sec'))
    return bytes(value) + (metric.endsWith('_per_sec') ? '/s' : '');
  if (isPercent(metric)) return `${fmt(value, 1)} %`;
  return fmt(value, 2);
}

/** Summary text of series: saturation, spikes and the busiest series. */
export function seriesText(series: readonly Series[], noun: string): string {
  const full = saturated(series);
  const up = spikes(series);
  return sentences(
    `${series.length} ${noun} series.`,
    full.length > 0
      ? `Saturated: ${list(
          full.map(
            (s) =>
              `${s.label} max ${formatValue(s.metric, s.max)} (avg ${formatValue(s.metric, s.avg)}${s.baselineAvg === null ? '' : `, baseline ${formatValue(s.metric, s.baselineAvg)}`}) at ${when(s.peakAt)}`,
          ),
          5,
        )}.`
      : 'Nothing at or above 85 % of capacity.',
    up.length > 0
      ? `Spikes: ${list(
          up.map((s) => describeSpike(s, (v) => formatValue(s.metric, v))),
          3,
        )}.`
      : '',
  );
}

/** Summary text of agents: counts by status and the ones not online or with a stale heartbeat. */
export function agentsText(agents: readonly Row[], input: QueryInput): string {
  const staleBefore = input.range.to.getTime() - 10 * 60_000;
  const stale = agents
    .filter(
      (a) =>
        str(a['status']) === 'online' &&
        a['last_heartbeat'] !== null &&
        new Date(str(a['last_heartbeat'])).getTime() < staleBefore,
    )
    .map((a) => `${str(a['name'])} last heartbeat ${when(a['last_heartbeat'])}`);
  return sentences(
    `${countText(agents, 'agents', 'status')}.`,
    problemsText(
      unhealthy(agents, 'status', ['online'], (a) => `${str(a['name'])} on ${str(a['host'])}`),
      'Agents not online',
    ),
    problemsText(stale, 'Stale heartbeats'),
  );
}

function infraView(key: ContextType, prefixes: readonly string[], noun: string): ContextSpec {
  return viewSpec(key, { agents: agentsSource, series: vmSeries(prefixes) }, (rows: SourceRows, input) => {
    const series = pairSeries(rows.get('series'), VM_KEYS);
    return {
      summary: sentences(seriesText(series, noun), agentsText(rows.get('agents'), input)),
      data: {
        grain: input.grain.suffix,
        saturated: saturated(series).map(seriesData),
        series: series.slice(0, input.maxItems * 3).map(seriesData),
        agents: rows.get('agents'),
      },
    };
  });
}

const K8S_CONTAINER_KEYS = ['namespace', 'resource_name', 'metric_name'] as const;

const containerSeries = seriesSource({
  family: 'kubernetes_metrics',
  keys: K8S_CONTAINER_KEYS,
  where: (b) =>
    `resource_type IN ('container', 'pod')${b.input.contextId === undefined ? '' : ` AND (namespace = ${b.id} OR resource_name = {id:String})`}`,
});

const DB_KEYS = ['engine', 'instance_name', 'metric_name'] as const;

/** Database instances (PostgreSQL). */
export const databaseInstances: SourceBuilder = pgList({
  from: 'database_instances',
  columns: 'id, name, engine, version, host, port, environment, status, cloud_provider, last_seen_at',
  orderBy: 'engine, name',
  where: byContextId('name'),
  limitFactor: 5,
});

const dbResourceSeries = seriesSource({
  family: 'db_metrics',
  keys: DB_KEYS,
  where: (b) =>
    `metric_name IN ('cpu.usage', 'memory.usage_percent', 'disk.used_bytes', 'connections.usage_percent')${b.input.contextId === undefined ? '' : ` AND instance_name = ${b.id}`}`,
});

const SERVICE_KEYS = ['service_name', 'metric_name'] as const;

function serviceMetricSeries(prefixes: readonly string[]): SourceBuilder {
  return seriesSource({
    family: 'metrics',
    keys: SERVICE_KEYS,
    where: metricFilter(prefixes, 'service_name'),
  });
}

function nodesOfType(type: string): SourceBuilder {
  return pgList({
    from: 'network_map_nodes',
    columns: 'name, type, host(ip_address) AS ip_address, zone, status',
    orderBy: 'name',
    where: (b) => `type = ${b.bind(type)}`,
  });
}

/** Connections touching nodes of a type, read with the shared connection source filtered in JS. */
function linksOf(
  nodes: readonly Row[],
  links: readonly Row[],
  sourceKey = 'source_node',
  targetKey = 'target_node',
): Row[] {
  const names = new Set(nodes.map((n) => str(n['name'])));
  return links.filter((l) => names.has(str(l[sourceKey])) || names.has(str(l[targetKey])));
}

function linkText(links: readonly Row[]): string {
  const worst = [...links]
    .sort(
      (a, b) =>
        num(b['max_packet_loss']) - num(a['max_packet_loss']) ||
        num(b['max_latency_ms']) - num(a['max_latency_ms']),
    )
    .slice(0, 3)
    .map(
      (l) =>
        `${str(l['source_node'])} -> ${str(l['target_node'])} avg ${fmt(num(l['avg_latency_ms']), 1)} ms, max loss ${fmt(num(l['max_packet_loss']), 2)} %`,
    );
  return links.length > 0 ? `Links: ${list(worst, 3)}.` : '';
}

/** The infrastructure specs. */
export const infrastructureSpecs: readonly ContextSpec[] = [
  infraView('infra-overview', [], 'host metric'),
  infraView('infra-cpu', ['cpu.'], 'CPU'),
  infraView('infra-memory', ['memory.'], 'memory'),
  infraView('infra-storage', ['disk.'], 'disk'),
  infraView('infra-network', ['net.'], 'network'),
  infraView('infra-hosts', [], 'host metric'),
  infraView('infra-compute', ['cpu.', 'memory.'], 'compute'),
  viewSpec('infra-containers', { series: containerSeries }, (rows, input) => {
    const series = pairSeries(rows.get('series'), K8S_CONTAINER_KEYS);
    return {
      summary: seriesText(series, 'container and pod'),
      data: { grain: input.grain.suffix, series: series.slice(0, input.maxItems * 3).map(seriesData) },
    };
  }),
  viewSpec('infra-database', { instances: databaseInstances, series: dbResourceSeries }, (rows, input) => {
    const series = pairSeries(rows.get('series'), DB_KEYS);
    const instances = rows.get('instances');
    return {
      summary: sentences(
        `${countText(instances, 'database instances', 'engine')}.`,
        problemsText(
          unhealthy(instances, 'status', ['online', 'healthy', 'active'], (r) => str(r['name'])),
          'Instances not online',
        ),
        seriesText(series, 'database resource'),
      ),
      data: { instances, series: series.slice(0, input.maxItems * 3).map(seriesData) },
    };
  }),
  viewSpec('infra-cache', { series: serviceMetricSeries(['cache.']) }, (rows, input) => {
    const series = pairSeries(rows.get('series'), SERVICE_KEYS);
    const hit = series
      .filter((s) => s.metric === 'cache.hit_ratio')
      .map((s) => `${str(s.key['service_name'])} hit ratio avg ${fmt(s.avg, 1)} (min ${fmt(s.min, 1)})`);
    return {
      summary: sentences(hit.length > 0 ? `${list(hit, 3)}.` : '', seriesText(series, 'cache')),
      data: { grain: input.grain.suffix, series: series.map(seriesData) },
    };
  }),
  viewSpec('infra-queue', { series: serviceMetricSeries(['queue.']) }, (rows, input) => {
    const series = pairSeries(rows.get('series'), SERVICE_KEYS);
    const lag = series
      .filter((s) => s.metric === 'queue.consumer_lag')
      .map((s) => `${str(s.key['service_name'])} consumer lag max ${fmt(s.max, 0)} (avg ${fmt(s.avg, 0)})`);
    return {
      summary: sentences(lag.length > 0 ? `${list(lag, 3)}.` : '', seriesText(series, 'queue')),
      data: { grain: input.grain.suffix, series: series.map(seriesData) },
    };
  }),
  viewSpec(
    'infra-load-balancer',
    { nodes: nodesOfType('load_balancer'), links: connectionRollup },
    (rows) => {
      const nodes = rows.get('nodes');
      const links = linksOf(nodes, rows.get('links'));
      return {
        summary: sentences(
          `${countText(nodes, 'load balancers', 'status')}: ${list(
            nodes.map((n) => str(n['name'])),
            5,
          )}.`,
          linkText(links),
        ),
        data: { loadBalancers: nodes, links },
      };
    },
    { required: ['nodes'] },
  ),
  viewSpec(
    'infra-dns',
    { nodes: nodesOfType('dns'), links: connectionRollup, connections: networkConnections },
    (rows) => {
      const nodes = rows.get('nodes');
      const links = linksOf(nodes, rows.get('links'));
      const lookups = rows.get('connections').filter((c) => num(c['port']) === 53);
      return {
        summary: sentences(
          `${countText(nodes, 'DNS resolvers', 'status')}: ${list(
            nodes.map((n) => `${str(n['name'])} (${str(n['ip_address'])})`),
            3,
          )}.`,
          `${lookups.length} client links send DNS traffic.`,
          linkText(links),
        ),
        data: { resolvers: nodes, links, dnsConnections: lookups },
      };
    },
    { required: ['nodes'] },
  ),
];

export { networkNodes };
