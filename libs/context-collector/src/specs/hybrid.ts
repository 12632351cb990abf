/**
 * Service-map, network-map and agent specs (PostgreSQL inventory + ClickHouse rollups).
 * The seed views (service-map-traffic/-errors/-latency/-dependencies/-topology,
 * dependencies, topology, network-map-traffic/-connections/-dns/-firewall/-security) read
 * the same sources and differ in what they rank and report.
 */
import type { ContextType } from '@tfo/domain';
import { bytes, fmt, list, num, pct, str, type Row } from '../format.js';
import { countText, problemsText, unhealthy } from '../queries/inventory.js';
import {
  connectionRollup,
  edgeMetrics,
  mapDependencies,
  mapServices,
  networkConnections,
  networkNodes,
  trafficRollup,
} from '../queries/maps.js';
import { pairSeries, seriesData } from '../queries/series.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import { ch } from '../sql.js';
import { sentences, viewSpec } from './common.js';
import { agentsSource, agentsText, seriesText, vmSeries } from './infrastructure.js';

const edgeLabel = (r: Row): string => `${str(r['source_service'])} -> ${str(r['target_service'])}`;

function edgeRate(r: Row): number {
  const requests = num(r['requests']);
  return requests > 0 ? num(r['errors']) / requests : 0;
}

function trafficText(edges: readonly Row[]): string {
  return `Busiest calls: ${list(
    [...edges]
      .sort((a, b) => num(b['requests']) - num(a['requests']))
      .map((e) => `${edgeLabel(e)} ${fmt(num(e['requests']), 0)} calls (${str(e['protocol'])})`),
    5,
  )}.`;
}

function errorsText(edges: readonly Row[]): string {
  const failing = edges.filter((e) => num(e['errors']) > 0).sort((a, b) => edgeRate(b) - edgeRate(a));
  return failing.length > 0
    ? `Failing calls: ${list(
        failing.map(
          (e) =>
            `${edgeLabel(e)} ${pct(edgeRate(e), 2)} (${fmt(num(e['errors']), 0)} of ${fmt(num(e['requests']), 0)})`,
        ),
        5,
      )}.`
    : 'No call between services failed.';
}

function latencyText(edges: readonly Row[]): string {
  return `Slowest calls by p95: ${list(
    [...edges]
      .sort((a, b) => num(b['p95_ms']) - num(a['p95_ms']))
      .map((e) => `${edgeLabel(e)} p95 ${fmt(num(e['p95_ms']), 0)} ms (max ${fmt(num(e['max_ms']), 0)} ms)`),
    5,
  )}.`;
}

function dependencyText(deps: readonly Row[]): string {
  const fanIn = new Map<string, number>();
  for (const d of deps) fanIn.set(str(d['target_service']), (fanIn.get(str(d['target_service'])) ?? 0) + 1);
  const critical = [...fanIn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([s, n]) => `${s} (${n} callers)`);
  return `${deps.length} dependency edges; most depended on: ${list(critical, 3)}.`;
}

function servicesText(services: readonly Row[]): string {
  return sentences(
    `${countText(services, 'services', 'status')}.`,
    problemsText(
      unhealthy(services, 'status', ['healthy', 'up', 'active'], (s) => str(s['name'])),
      'Unhealthy services',
    ),
  );
}

type MapView = 'overview' | 'traffic' | 'errors' | 'latency' | 'dependencies' | 'topology';

function serviceMapView(key: ContextType, view: MapView): ContextSpec {
  return viewSpec(
    key,
    { services: mapServices, dependencies: mapDependencies, edges: edgeMetrics },
    (rows, input) => {
      const edges = rows.get('edges');
      const deps = rows.get('dependencies');
      const services = rows.get('services');
      const texts: Record<MapView, string[]> = {
        overview: [servicesText(services), dependencyText(deps), errorsText(edges), latencyText(edges)],
        traffic: [trafficText(edges)],
        errors: [errorsText(edges)],
        latency: [latencyText(edges)],
        dependencies: [dependencyText(deps), errorsText(edges)],
        topology: [servicesText(services), dependencyText(deps)],
      };
      return {
        summary: sentences(...texts[view]),
        data: { grain: input.grain.suffix, services, dependencies: deps, edges },
      };
    },
  );
}

const linkLabel = (r: Row): string => `${str(r['source_node'])} -> ${str(r['target_node'])}`;

type NetView = 'overview' | 'traffic' | 'connections' | 'dns' | 'firewall' | 'security';

function netTrafficText(traffic: readonly Row[]): string {
  return `Heaviest links: ${list(
    [...traffic]
      .sort(
        (a, b) =>
          num(b['bytes_sent']) + num(b['bytes_received']) - num(a['bytes_sent']) - num(a['bytes_received']),
      )
      .map(
        (t) =>
          `${linkLabel(t)} ${str(t['protocol'])}/${str(t['port'])} ${bytes(num(t['bytes_sent']) + num(t['bytes_received']))}`,
      ),
    5,
  )}.`;
}

function netQualityText(links: readonly Row[]): string {
  const lossy = links.filter((l) => num(l['max_packet_loss']) > 0.5);
  return lossy.length > 0
    ? `Packet loss: ${list(
        lossy.map(
          (l) =>
            `${linkLabel(l)} max ${fmt(num(l['max_packet_loss']), 2)} % (avg latency ${fmt(num(l['avg_latency_ms']), 1)} ms, ${fmt(num(l['retransmits']), 0)} retransmits)`,
        ),
        5,
      )}.`
    : 'No link lost more than 0.5 % of packets.';
}

function blockedText(connections: readonly Row[]): string {
  const blocked = connections.filter((c) => /block|deny|drop/i.test(str(c['status'])));
  return blocked.length > 0
    ? `Blocked connections: ${list(
        blocked.map((c) => `${linkLabel(c)} ${str(c['protocol'])}/${str(c['port'])} ${str(c['status'])}`),
        5,
      )}.`
    : 'No blocked connections.';
}

const networkSecurityEvents: SourceBuilder = (input) =>
  ch(
    input,
    (b) => `
      SELECT event_type, severity, action_taken, sum(count) AS count
      FROM ${b.table('security_events')}
      WHERE ${b.scope} AND ${b.rollupWindow()} AND (event_type LIKE 'network.%' OR event_type LIKE 'waf.%')
      GROUP BY event_type, severity, action_taken
      ORDER BY count DESC
      LIMIT ${b.limit()}`,
  );

function networkMapView(key: ContextType, view: NetView): ContextSpec {
  const sources: Record<string, SourceBuilder> =
    view === 'firewall' || view === 'security'
      ? {
          nodes: networkNodes,
          connections: networkConnections,
          traffic: trafficRollup,
          security: networkSecurityEvents,
        }
      : {
          nodes: networkNodes,
          connections: networkConnections,
          traffic: trafficRollup,
          links: connectionRollup,
        };
  return viewSpec(
    key,
    sources,
    (rows, input) => {
      const nodes = rows.get('nodes');
      const connections = rows.get('connections');
      const traffic = rows.get('traffic');
      const links = rows.get('links');
      const security = rows.get('security');
      const dnsNodes = nodes.filter((n) => str(n['type']) === 'dns').map((n) => str(n['name']));
      const dnsTraffic = traffic.filter((t) => num(t['port']) === 53);
      const firewalls = nodes.filter((n) => str(n['type']) === 'firewall').map((n) => str(n['name']));
      const secText =
        security.length > 0
          ? `Security events: ${list(
              security.map(
                (s) =>
                  `${str(s['event_type'])} ${str(s['severity'])} ${str(s['action_taken'])} x${fmt(num(s['count']), 0)}`,
              ),
              5,
            )}.`
          : 'No network security events.';
      const texts: Record<NetView, string[]> = {
        overview: [
          `${countText(nodes, 'nodes', 'type')}, ${connections.length} connections.`,
          problemsText(
            unhealthy(nodes, 'status', ['up'], (n) => str(n['name'])),
            'Nodes down',
          ),
          netQualityText(links),
          netTrafficText(traffic),
        ],
        traffic: [netTrafficText(traffic)],
        connections: [`${connections.length} connections.`, netQualityText(links), blockedText(connections)],
        dns: [
          `DNS resolvers: ${list(dnsNodes, 3) || 'none'}.`,
          dnsTraffic.length > 0
            ? `DNS traffic on ${dnsTraffic.length} links, ${fmt(
                dnsTraffic.reduce((a, t) => a + num(t['packets']), 0),
                0,
              )} packets.`
            : 'No DNS traffic in the window.',
        ],
        firewall: [`Firewalls: ${list(firewalls, 3) || 'none'}.`, blockedText(connections), secText],
        security: [blockedText(connections), secText],
      };
      return {
        summary: sentences(...texts[view]),
        data: { grain: input.grain.suffix, nodes, connections, traffic, links, securityEvents: security },
      };
    },
    { required: ['nodes', 'connections', 'traffic'] },
  );
}

/** The service-map, network-map and agent specs. */
export const hybridSpecs: readonly ContextSpec[] = [
  viewSpec(
    'agents',
    { agents: agentsSource, series: vmSeries(['cpu.usage', 'memory.usage']) },
    (rows, input) => {
      const series = pairSeries(rows.get('series'), ['host_name', 'metric_name']);
      return {
        summary: sentences(
          agentsText(rows.get('agents'), input),
          series.length > 0 ? seriesText(series, 'host') : '',
        ),
        data: { agents: rows.get('agents'), series: series.map(seriesData) },
      };
    },
    { required: ['agents'] },
  ),
  serviceMapView('service-map', 'overview'),
  serviceMapView('dependencies', 'dependencies'),
  serviceMapView('topology', 'topology'),
  serviceMapView('service-map-traffic', 'traffic'),
  serviceMapView('service-map-errors', 'errors'),
  serviceMapView('service-map-latency', 'latency'),
  serviceMapView('service-map-dependencies', 'dependencies'),
  serviceMapView('service-map-topology', 'topology'),
  networkMapView('network-map', 'overview'),
  networkMapView('network-map-traffic', 'traffic'),
  networkMapView('network-map-connections', 'connections'),
  networkMapView('network-map-dns', 'dns'),
  networkMapView('network-map-firewall', 'firewall'),
  networkMapView('network-map-security', 'security'),
];
