/**
 * Database-monitoring specs: PostgreSQL database_instances (+ rule and tag counts) with the
 * CH `db_metrics_*` and `db_queries_*` rollups filtered by `engine` (one table per kind
 * with an engine column, see docs/schema.md), plus `metrics_*` rows named `db.<engine>.*`
 * as the platform also reads them. `db-monitoring-clickhouse` reads engine = 'clickhouse'
 * like every other engine. The seed db-* keys are views over the same sources.
 */
import type { ContextType } from '@tfo/domain';
import { fmt, list, num, str, type Row } from '../format.js';
import { countText, pgList, problemsText, unhealthy } from '../queries/inventory.js';
import { pairSeries, seriesData, seriesSource, type Series } from '../queries/series.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import { ch, type ChBuilder } from '../sql.js';
import { sentences, viewSpec } from './common.js';
import { formatValue, seriesText } from './infrastructure.js';

const DB_KEYS = ['engine', 'instance_name', 'metric_name'] as const;

function instancesOf(engine?: string): SourceBuilder {
  return pgList({
    from: 'database_instances d',
    alias: 'd',
    columns: `d.id, d.name, d.engine, d.version, d.host, d.environment, d.status, d.cloud_provider, d.last_seen_at,
      (SELECT count(*) FROM database_instance_rules r WHERE r.organization_id = d.organization_id AND r.database_instance_id = d.id) AS rules,
      (SELECT count(*) FROM database_instance_tags t WHERE t.organization_id = d.organization_id AND t.database_instance_id = d.id) AS tags`,
    orderBy: 'd.engine, d.name',
    where: (b) => {
      const parts: string[] = [];
      if (engine !== undefined) parts.push(`d.engine = ${b.bind(engine)}`);
      if (b.input.contextId !== undefined) parts.push(`d.name = ${b.bind(b.input.contextId)}`);
      return parts.length > 0 ? parts.join(' AND ') : undefined;
    },
  });
}

function dbFilter(engine: string | undefined, metrics: readonly string[] | undefined) {
  return (b: ChBuilder): string | undefined => {
    const parts: string[] = [];
    if (engine !== undefined) parts.push(`engine = ${b.bind(engine)}`);
    if (metrics !== undefined) parts.push(`metric_name IN (${metrics.map((m) => b.bind(m)).join(', ')})`);
    if (b.input.contextId !== undefined) parts.push(`instance_name = ${b.id}`);
    return parts.length > 0 ? parts.join(' AND ') : undefined;
  };
}

function dbSeries(engine?: string, metrics?: readonly string[]): SourceBuilder {
  return seriesSource({ family: 'db_metrics', keys: DB_KEYS, where: dbFilter(engine, metrics) });
}

/** `metrics_*` rows named `db.<engine>.*` (the platform's other place for database metrics). */
function platformDbSeries(engine: string): SourceBuilder {
  return seriesSource({
    family: 'metrics',
    keys: ['service_name', 'metric_name'],
    where: (b) => `metric_name LIKE ${b.bind(`db.${engine}.%`)}`,
  });
}

type QueryOrder = 'total' | 'p95' | 'scan' | 'errors';

function queriesOf(engine: string | undefined, order: QueryOrder): SourceBuilder {
  const orderBy = {
    total: 'total_ms DESC',
    p95: 'p95_ms DESC',
    scan: 'rows_examined / greatest(rows_returned, 1) DESC',
    errors: 'errors DESC',
  }[order];
  return (input) =>
    ch(input, (b) => {
      const filters = [
        engine === undefined ? '' : ` AND engine = ${b.bind(engine)}`,
        input.contextId === undefined
          ? ''
          : ` AND (database_instance_id = ${b.id} OR fingerprint = {id:String})`,
      ].join('');
      return `
        SELECT engine, database_instance_id, fingerprint, sum(calls) AS calls, sum(errors) AS errors,
               sum(total_duration_ms) AS total_ms, avgMerge(avg_duration_ms) AS avg_ms,
               quantileMerge(0.95)(p95_duration_ms) AS p95_ms, maxMerge(max_duration_ms) AS max_ms,
               sum(rows_examined) AS rows_examined, sum(rows_returned) AS rows_returned
        FROM ${b.table('db_queries')}
        WHERE ${b.scope} AND ${b.rollupWindow()}${filters}
        GROUP BY engine, database_instance_id, fingerprint
        ORDER BY ${orderBy}
        LIMIT ${b.limit()}`;
    });
}

function queryLine(r: Row): string {
  return `${str(r['engine'])} "${str(r['fingerprint']).slice(0, 80)}" ${fmt(num(r['calls']), 0)} calls, avg ${fmt(num(r['avg_ms']), 1)} ms, p95 ${fmt(num(r['p95_ms']), 1)} ms, total ${fmt(num(r['total_ms']) / 1000, 1)} s${num(r['errors']) > 0 ? `, ${fmt(num(r['errors']), 0)} errors` : ''}`;
}

function instancesText(rows: readonly Row[]): string {
  return sentences(
    `${countText(rows, 'instances', 'status')}.`,
    problemsText(
      unhealthy(
        rows,
        'status',
        ['online', 'healthy', 'active'],
        (r) => `${str(r['name'])} (${str(r['engine'])})`,
      ),
      'Instances not online',
    ),
  );
}

function seriesOf(rows: readonly Row[]): Series[] {
  return pairSeries(rows, DB_KEYS);
}

function engineSpec(key: ContextType, engine: string): ContextSpec {
  return viewSpec(
    key,
    {
      instances: instancesOf(engine),
      series: dbSeries(engine),
      queries: queriesOf(engine, 'total'),
      platformSeries: platformDbSeries(engine),
    },
    (rows, input) => {
      const series = seriesOf(rows.get('series'));
      const platform = pairSeries(rows.get('platformSeries'), ['service_name', 'metric_name']);
      return {
        summary: sentences(
          instancesText(rows.get('instances')),
          seriesText([...series, ...platform], `${engine} metric`),
          rows.get('queries').length > 0
            ? `Top queries by total time: ${list(rows.get('queries').map(queryLine), 3)}.`
            : '',
        ),
        data: {
          engine,
          grain: input.grain.suffix,
          instances: rows.get('instances'),
          series: series.slice(0, input.maxItems * 3).map(seriesData),
          platformSeries: platform.map(seriesData),
          queries: rows.get('queries'),
        },
      };
    },
    { required: ['instances', 'series', 'queries', 'platformSeries'] },
  );
}

const ENGINES: readonly [ContextType, string][] = [
  ['db-monitoring-clickhouse', 'clickhouse'],
  ['db-monitoring-mariadb', 'mariadb'],
  ['db-monitoring-mysql', 'mysql'],
  ['db-monitoring-percona', 'percona'],
  ['db-monitoring-sqlite3', 'sqlite3'],
  ['db-monitoring-timescaledb', 'timescaledb'],
  ['db-monitoring-aurora', 'aurora'],
  ['db-monitoring-mssql', 'mssql'],
  ['db-monitoring-postgresql', 'postgresql'],
  ['db-monitoring-mongodb-community', 'mongodb-community'],
  ['db-monitoring-mongodb-atlas', 'mongodb-atlas'],
  ['db-monitoring-aws-rds-mysql', 'aws-rds-mysql'],
  ['db-monitoring-aws-rds-aurora', 'aws-rds-aurora'],
  ['db-monitoring-aws-dynamodb', 'aws-dynamodb'],
  ['db-monitoring-cockroachdb', 'cockroachdb'],
];

function metricView(
  key: ContextType,
  metrics: readonly string[],
  noun: string,
  lead: (s: Series[]) => string,
): ContextSpec {
  return viewSpec(
    key,
    { instances: instancesOf(), series: dbSeries(undefined, metrics) },
    (rows, input) => {
      const series = seriesOf(rows.get('series'));
      return {
        summary: sentences(lead(series), seriesText(series, noun)),
        data: {
          grain: input.grain.suffix,
          series: series.slice(0, input.maxItems * 3).map(seriesData),
          instances: rows.get('instances'),
        },
      };
    },
    { required: ['series'] },
  );
}

function worst(series: readonly Series[], metric: string, text: (s: Series) => string, n = 3): string {
  const items = series
    .filter((s) => s.metric === metric)
    .sort((a, b) => b.max - a.max)
    .map(text);
  return items.length > 0 ? `${list(items, n)}.` : '';
}

/** The database-monitoring specs. */
export const dbMonitoringSpecs: readonly ContextSpec[] = [
  viewSpec('db-monitoring-inventory', { instances: instancesOf() }, (rows) => ({
    summary: sentences(
      `${countText(rows.get('instances'), 'monitored database instances', 'engine')}.`,
      instancesText(rows.get('instances')),
    ),
    data: { instances: rows.get('instances') },
  })),
  ...ENGINES.map(([key, engine]) => engineSpec(key, engine)),
  viewSpec('db-monitoring-qan', { queries: queriesOf(undefined, 'total') }, (rows) => ({
    summary: `Query fingerprints ranked by time spent: ${list(rows.get('queries').map(queryLine), 5)}.`,
    data: { queries: rows.get('queries') },
  })),
  viewSpec(
    'db-overview',
    {
      instances: instancesOf(),
      series: dbSeries(undefined, [
        'cpu.usage',
        'memory.usage_percent',
        'connections.usage_percent',
        'query.latency_avg_ms',
        'replication.lag_seconds',
      ]),
    },
    (rows, input) => {
      const series = seriesOf(rows.get('series'));
      return {
        summary: sentences(instancesText(rows.get('instances')), seriesText(series, 'database health')),
        data: {
          instances: rows.get('instances'),
          series: series.slice(0, input.maxItems * 3).map(seriesData),
        },
      };
    },
  ),
  viewSpec('db-queries', { queries: queriesOf(undefined, 'total') }, (rows) => ({
    summary: `Queries with the most total time: ${list(rows.get('queries').map(queryLine), 5)}.`,
    data: { queries: rows.get('queries') },
  })),
  viewSpec('db-slow-queries', { queries: queriesOf(undefined, 'p95') }, (rows) => ({
    summary: `Slowest queries by p95: ${list(
      rows.get('queries').map((r) => `${queryLine(r)}, max ${fmt(num(r['max_ms']), 0)} ms`),
      5,
    )}.`,
    data: { queries: rows.get('queries') },
  })),
  metricView('db-connections', ['connections.active', 'connections.usage_percent'], 'connection', (s) =>
    worst(
      s,
      'connections.usage_percent',
      (x) =>
        `${x.key['instance_name']} at ${formatValue(x.metric, x.max)} of its connection limit (avg ${formatValue(x.metric, x.avg)})`,
    ),
  ),
  metricView('db-tables', ['tables.count', 'db.size_bytes', 'disk.used_bytes'], 'table and size', (s) =>
    worst(
      s,
      'disk.used_bytes',
      (x) => `${x.key['instance_name']} uses ${formatValue('disk.used_bytes', x.max)}`,
    ),
  ),
  viewSpec(
    'db-indexes',
    { series: dbSeries(undefined, ['indexes.unused_count']), queries: queriesOf(undefined, 'scan') },
    (rows) => {
      const series = seriesOf(rows.get('series'));
      const unused = series
        .filter((s) => s.max > 0)
        .sort((a, b) => b.max - a.max)
        .map((s) => `${s.key['instance_name']} ${fmt(s.max, 0)} unused indexes`);
      const scans = rows
        .get('queries')
        .filter((q) => num(q['rows_examined']) > 10 * Math.max(1, num(q['rows_returned'])));
      return {
        summary: sentences(
          unused.length > 0 ? `Unused indexes: ${list(unused, 5)}.` : 'No unused indexes reported.',
          scans.length > 0
            ? `Queries reading far more rows than they return (likely missing an index): ${list(
                scans.map(
                  (q) =>
                    `${queryLine(q)}, ${fmt(num(q['rows_examined']), 0)} rows read for ${fmt(num(q['rows_returned']), 0)} returned`,
                ),
                3,
              )}.`
            : '',
        ),
        data: { unusedIndexes: series.map(seriesData), scanHeavyQueries: scans },
      };
    },
  ),
  metricView('db-replication', ['replication.lag_seconds'], 'replication', (s) =>
    worst(
      s,
      'replication.lag_seconds',
      (x) => `${x.key['instance_name']} replica lag max ${fmt(x.max, 2)} s (avg ${fmt(x.avg, 2)} s)`,
    ),
  ),
  metricView('db-locks', ['locks.waiting', 'deadlocks', 'waits.lock_ms'], 'lock', (s) =>
    sentences(
      worst(
        s,
        'locks.waiting',
        (x) => `${x.key['instance_name']} up to ${fmt(x.max, 0)} sessions waiting on locks`,
      ),
      worst(s, 'deadlocks', (x) =>
        x.max > 0 ? `${x.key['instance_name']} had deadlocks` : `${x.key['instance_name']} no deadlocks`,
      ),
    ),
  ),
];
