/**
 * Shared readers of the service and network maps: PostgreSQL nodes and edges with their
 * current rates, and the ClickHouse edge rollups (service_map_metrics_*,
 * network_map_traffic_*, network_map_connection_metrics_*) for the window.
 */
import type { SourceBuilder } from '../spec.js';
import { ch } from '../sql.js';
import { byContextId, pgList } from './inventory.js';

/** Services of the service map (PostgreSQL). */
export const mapServices: SourceBuilder = pgList({
  from: 'service_map_services',
  columns:
    'name, type, language, version, environment, status, request_rate, error_rate, latency_ms, last_seen_at',
  orderBy: 'request_rate DESC NULLS LAST, name',
  where: byContextId('name'),
});

/** Dependencies (edges) of the service map (PostgreSQL). */
export const mapDependencies: SourceBuilder = pgList({
  from: 'service_map_dependencies',
  columns: 'source_service, target_service, protocol, request_rate, latency_ms, error_rate, last_seen_at',
  orderBy: 'request_rate DESC NULLS LAST, source_service, target_service',
  where: (b) =>
    b.input.contextId === undefined
      ? undefined
      : `source_service = ${b.bind(b.input.contextId)} OR target_service = $${b.params.length}`,
  limitFactor: 10,
});

/** Calls per edge in the window (service_map_metrics_*). */
export const edgeMetrics: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined ? '' : ` AND (source_service = ${b.id} OR target_service = {id:String})`;
    return `
      SELECT source_service, target_service, protocol,
             sum(request_count) AS requests, sum(error_count) AS errors,
             avgMerge(avg_duration_ms) AS avg_ms, quantileMerge(0.95)(p95_duration_ms) AS p95_ms,
             maxMerge(max_duration_ms) AS max_ms
      FROM ${b.table('service_map_metrics')}
      WHERE ${b.scope} AND ${b.rollupWindow()}${narrow}
      GROUP BY source_service, target_service, protocol
      ORDER BY requests DESC
      LIMIT ${b.limit(10)}`;
  });

/** Network map nodes (PostgreSQL). */
export const networkNodes: SourceBuilder = pgList({
  from: 'network_map_nodes',
  columns: 'name, type, host(ip_address) AS ip_address, zone, status',
  orderBy: 'type, name',
  where: byContextId('name'),
  limitFactor: 10,
});

/** Network map connections (PostgreSQL). */
export const networkConnections: SourceBuilder = pgList({
  from: 'network_map_connections',
  columns:
    'source_node, target_node, protocol, port, bytes_per_second, packets_per_second, latency_ms, packet_loss, status',
  orderBy: 'bytes_per_second DESC NULLS LAST',
  where: (b) =>
    b.input.contextId === undefined
      ? undefined
      : `source_node = ${b.bind(b.input.contextId)} OR target_node = $${b.params.length}`,
  limitFactor: 10,
});

/** Traffic per link, protocol and port in the window (network_map_traffic_*). */
export const trafficRollup: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined ? '' : ` AND (source_node = ${b.id} OR target_node = {id:String})`;
    return `
      SELECT source_node, target_node, protocol, port,
             sum(bytes_sent) AS bytes_sent, sum(bytes_received) AS bytes_received, sum(packets) AS packets
      FROM ${b.table('network_map_traffic')}
      WHERE ${b.scope} AND ${b.rollupWindow()}${narrow}
      GROUP BY source_node, target_node, protocol, port
      ORDER BY bytes_sent + bytes_received DESC
      LIMIT ${b.limit(10)}`;
  });

/** Connection quality per link in the window (network_map_connection_metrics_*). */
export const connectionRollup: SourceBuilder = (input) =>
  ch(input, (b) => {
    const narrow =
      input.contextId === undefined ? '' : ` AND (source_node = ${b.id} OR target_node = {id:String})`;
    return `
      SELECT source_node, target_node,
             avgMerge(avg_latency_ms) AS avg_latency_ms, maxMerge(max_latency_ms) AS max_latency_ms,
             avgMerge(avg_packet_loss) AS avg_packet_loss, maxMerge(max_packet_loss) AS max_packet_loss,
             maxMerge(max_connection_count) AS max_connections, sum(retransmits) AS retransmits
      FROM ${b.table('network_map_connection_metrics')}
      WHERE ${b.scope} AND ${b.rollupWindow()}${narrow}
      GROUP BY source_node, target_node
      ORDER BY max_packet_loss DESC, max_latency_ms DESC
      LIMIT ${b.limit(10)}`;
  });
