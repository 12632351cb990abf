// The queries the benchmarks run against the demo estate, in one place: sql-roundtrip.mjs
// measures them through the server, demo-generation.mjs runs them once on the estate it has
// just written, so a change in the demo schema shows up in either script.

/** The primary demo organization (the one the demo's inventory reads are scoped to). */
export const DEMO_PRIMARY_ORGANIZATION_ID = '6f1e2d3c-0000-4000-8000-000000000001';

/** An inventory read: the primary organization's services on the service map. */
export const DEMO_PG_READ = {
  sql:
    'SELECT name, language, version, environment, status, error_rate FROM service_map_services ' +
    'WHERE organization_id = $1 ORDER BY name LIMIT 20',
  params: [DEMO_PRIMARY_ORGANIZATION_ID],
  /** Tables the read touches (copied into another PostgreSQL to read the same rows there). */
  tables: ['organizations', 'service_map_services'],
};

/** A per-service aggregate over the five-minute metrics rollup. */
export const DEMO_CH_AGGREGATE = {
  sql:
    'SELECT service_name, countMerge(count) AS points, round(avgMerge(avg_value), 3) AS mean ' +
    'FROM metrics_5m GROUP BY service_name ORDER BY points DESC LIMIT 10',
};
