/**
 * Database monitoring: PostgreSQL `database_instances` with their rules and tags (every
 * engine of the db-monitoring context list, across the two organizations), ClickHouse
 * `db_metrics` (engine-specific metric names) and `db_queries` (query samples by
 * fingerprint, the input of query analytics).
 *
 * Invariants:
 * - `database_instance_id` in ClickHouse is the PostgreSQL `database_instances.id`.
 * - database-primary's memory follows the leak (incidents.ts); during the bad deployment
 *   the fingerprint `SELECT sku, quantity, reserved FROM inventory WHERE sku = $1` is
 *   sampled about 10 times as often (the N+1 queries of checkout-service v2.15.0), and
 *   near the OOM kill queries fail with "out of memory".
 * - Query samples carry literal values; fingerprints carry placeholders.
 */
import { INCIDENT_FIGURES } from './incidents.js';
import { emptyBatch, pgRows, pgStatement, type ChStream, type DemoFamily, type Row } from './model.js';
import {
  entityId,
  inventoryStamps,
  valueKey,
  type DemoOrg,
  type DemoPlan,
  type TenantScope,
} from './plan.js';
import { hash2, hash3, hashString, Prng } from './prng.js';
import type { DatabaseProfile } from './profiles.js';
import { inBadDeploy, leakingMemoryPercent, orgLoad } from './signals.js';
import { chTime, forEachGridPoint, HOUR, jitter, MINUTE, pgTime, smoothNoise } from './time.js';

interface DbInstance {
  profile: DatabaseProfile;
  id: string;
  key: number;
  scope: TenantScope;
  /** The primary organization's leaking database-primary. */
  leaking: boolean;
}

const instanceCache = new WeakMap<DemoOrg, DbInstance[]>();

/** The monitored database instances of an organization (memoised). */
export function databasesOf(org: DemoOrg): DbInstance[] {
  const cached = instanceCache.get(org);
  if (cached !== undefined) return cached;
  const list = org.profile.databases.map((d) => ({
    profile: d,
    id: entityId(org, 'db-instance', d.name),
    key: valueKey(org, 'db-instance', d.name),
    scope:
      (d.service === undefined ? undefined : org.serviceByName.get(d.service)?.scope) ?? org.platformScope,
    leaking: org.index === 0 && d.name === 'database-primary',
  }));
  instanceCache.set(org, list);
  return list;
}

type Family =
  | 'postgres'
  | 'mysql'
  | 'mongodb'
  | 'clickhouse'
  | 'mssql'
  | 'dynamodb'
  | 'cockroachdb'
  | 'sqlite'
  | 'timescale';

function familyOf(engine: string): Family {
  if (engine === 'postgresql' || engine === 'aws-rds-aurora') return 'postgres';
  if (engine === 'timescaledb') return 'timescale';
  if (engine.startsWith('mongodb')) return 'mongodb';
  if (engine === 'clickhouse' || engine === 'mssql' || engine === 'cockroachdb') return engine;
  if (engine === 'aws-dynamodb') return 'dynamodb';
  if (engine === 'sqlite3') return 'sqlite';
  return 'mysql';
}

type Metric = [name: string, value: number];

function metricsAt(plan: DemoPlan, org: DemoOrg, db: DbInstance, t: number): Metric[] {
  const p = db.profile;
  const k = db.key;
  const load = orgLoad(org, t);
  const badDeploy = db.leaking && inBadDeploy(plan, t);
  const qps = p.qps * load * (1 + 0.05 * jitter(k, t)) * (badDeploy ? 1.35 : 1);
  const fam = familyOf(p.engine);
  const mem = db.leaking
    ? leakingMemoryPercent(plan, k, t)
    : 50 + 15 * smoothNoise(k ^ 1, t, 2 * HOUR) + 0.5 * jitter(k ^ 2, t);
  const latency =
    (fam === 'clickhouse' ? 45 : fam === 'dynamodb' ? 4 : 2.5) *
    (1 + 0.3 * load) *
    (1 + 0.1 * jitter(k ^ 3, t)) *
    (db.leaking ? 1 + 1.5 * Math.max(0, (mem - 80) / 17) : 1);
  const cpu = 12 + 45 * load * (p.qps / 1000 + 0.4) + 4 * jitter(k ^ 4, t);
  const common: Metric[] = [
    ['queries.per_second', qps],
    ['query.latency_avg_ms', latency],
    ['cpu.usage', Math.min(98, cpu)],
    ['memory.usage_percent', mem],
    [
      'disk.used_bytes',
      (40 + (hashString(p.name) % 400)) * 1024 ** 3 * (1 + (t - plan.createdAt) / (200 * 24 * HOUR)),
    ],
  ];
  if (fam !== 'dynamodb' && fam !== 'sqlite') {
    const [typical, max] = p.connections;
    const active = Math.max(
      1,
      Math.round(typical * (0.5 + load * 0.7) * (1 + 0.08 * jitter(k ^ 5, t)) * (badDeploy ? 1.3 : 1)),
    );
    common.push(
      ['connections.active', active],
      ['connections.usage_percent', (100 * active) / max],
      ['locks.waiting', Math.max(0, Math.round(2 * load + 2 * jitter(k ^ 6, t) + (badDeploy ? 4 : 0)))],
    );
    common.push(
      ['tables.count', 40 + (hashString(p.name) % 160)],
      ['indexes.unused_count', hashString(p.name) % 9],
    );
  }
  if (db.leaking) common.push(['memory.used_bytes', (mem / 100) * INCIDENT_FIGURES.memoryLimitBytes]);
  const replicated =
    p.replica === true ||
    fam === 'mongodb' ||
    fam === 'cockroachdb' ||
    p.engine.startsWith('aws') ||
    p.engine === 'aurora';
  switch (fam) {
    case 'postgres':
      common.push(
        ['cache.hit_ratio', 99.3 - 0.5 * smoothNoise(k ^ 7, t, HOUR) - (badDeploy ? 1.2 : 0)],
        ['deadlocks', jitter(k ^ 8, t) > 0.97 ? 1 : 0],
        ['vacuum.dead_tuples', Math.round(20_000 + 80_000 * smoothNoise(k ^ 9, t, 3 * HOUR))],
      );
      break;
    case 'timescale':
      common.push(
        ['hypertables.chunks', 1200 + Math.floor((t - plan.createdAt) / HOUR)],
        ['compression.ratio', 11 + 2 * smoothNoise(k ^ 10, t, 6 * HOUR)],
      );
      break;
    case 'mysql':
      common.push(
        ['innodb.buffer_pool_hit_ratio', 99.1 - 0.8 * smoothNoise(k ^ 11, t, HOUR)],
        ['threads.running', Math.round(4 + 10 * load + 2 * jitter(k ^ 12, t))],
      );
      break;
    case 'mongodb':
      common.push(['opcounters.query', qps * 0.6], ['opcounters.insert', qps * 0.3]);
      break;
    case 'clickhouse':
      common.push(
        ['parts.active', Math.round(900 + 300 * smoothNoise(k ^ 13, t, HOUR))],
        ['merges.running', Math.round(2 + 4 * smoothNoise(k ^ 14, t, 10 * MINUTE))],
        ['inserts.rows_per_second', 45_000 * load * (1 + 0.1 * jitter(k ^ 15, t))],
      );
      break;
    case 'mssql':
      common.push(
        ['batch_requests_per_second', qps * 1.4],
        ['page_life_expectancy_seconds', 3500 + 1500 * smoothNoise(k ^ 16, t, 2 * HOUR)],
        ['waits.lock_ms', 20 + 80 * smoothNoise(k ^ 17, t, 20 * MINUTE)],
      );
      break;
    case 'cockroachdb':
      common.push(
        ['ranges.unavailable', 0],
        ['ranges.underreplicated', jitter(k ^ 18, t) > 0.9 ? 2 : 0],
        ['sql.latency_p99_ms', 14 + 10 * smoothNoise(k ^ 19, t, 15 * MINUTE)],
      );
      break;
    case 'dynamodb':
      common.push(
        ['consumed_read_capacity', qps * 0.7],
        ['consumed_write_capacity', qps * 0.3],
        ['throttled_requests', load > 0.95 && jitter(k ^ 20, t) > 0.6 ? Math.round(30 * load) : 0],
      );
      break;
    case 'sqlite':
      common.push(
        ['db.size_bytes', 180 * 1024 ** 2 * (1 + (t - plan.createdAt) / (120 * 24 * HOUR))],
        ['page_cache.hit_ratio', 97 + 2 * smoothNoise(k ^ 21, t, HOUR)],
      );
      break;
  }
  if (replicated)
    common.push([
      'replication.lag_seconds',
      Math.max(0, 0.4 + 1.2 * smoothNoise(k ^ 22, t, 20 * MINUTE) ** 3 + 0.2 * jitter(k ^ 23, t)),
    ]);
  return common;
}

const metricCount = new Map<string, number>();

function seriesPerInstance(plan: DemoPlan, org: DemoOrg, db: DbInstance): number {
  let n = metricCount.get(db.profile.engine + String(db.leaking) + String(db.profile.replica));
  if (n === undefined) {
    n = metricsAt(plan, org, db, plan.anchor).length;
    metricCount.set(db.profile.engine + String(db.leaking) + String(db.profile.replica), n);
  }
  return n;
}

interface Fingerprint {
  fingerprint: string;
  sample: (rng: Prng) => string;
  ms: number;
  rows: number;
  weight: number;
}

const q = (
  fingerprint: string,
  ms: number,
  rows: number,
  weight: number,
  sample?: (rng: Prng) => string,
): Fingerprint => ({
  fingerprint,
  ms,
  rows,
  weight,
  sample: sample ?? ((rng) => fingerprint.replace(/\$\d+|\?/g, () => String(1 + rng.int(999_999)))),
});

const N_PLUS_ONE = 'SELECT sku, quantity, reserved FROM inventory WHERE sku = $1';

const QUERIES: Record<Family, readonly Fingerprint[]> = {
  postgres: [
    q('SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2', 3.2, 20, 14),
    q('UPDATE inventory SET reserved = reserved + $1 WHERE sku = $2', 2.1, 1, 10),
    q('INSERT INTO payments (order_id, amount, currency, status) VALUES ($1, $2, $3, $4)', 1.6, 1, 9),
    q('SELECT id, email, status FROM users WHERE id = $1', 0.6, 1, 16),
    q(
      N_PLUS_ONE,
      0.9,
      1,
      1.5,
      (rng) => `SELECT sku, quantity, reserved FROM inventory WHERE sku = 'SKU-${100000 + rng.int(900000)}'`,
    ),
    q(
      'SELECT oi.* FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.created_at > $1',
      1450,
      180_000,
      0.6,
    ),
    q('SELECT count(*) FROM sessions WHERE expires_at < now()', 85, 400_000, 0.8),
  ],
  timescale: [
    q(
      "SELECT time_bucket('5 minutes', ts) AS b, avg(v) FROM readings WHERE device_id = $1 AND ts > $2 GROUP BY b",
      22,
      2400,
      10,
    ),
    q('INSERT INTO readings (device_id, ts, v) VALUES ($1, $2, $3)', 0.4, 1, 30),
  ],
  mysql: [
    q('SELECT * FROM products WHERE category_id = ? AND active = 1 LIMIT ?', 4.1, 48, 14),
    q('UPDATE product_stock SET qty = qty - ? WHERE product_id = ?', 1.8, 1, 6),
    q('SELECT r.* FROM reviews r WHERE r.product_id = ? ORDER BY r.created_at DESC', 9.5, 35, 5),
    q('SELECT COUNT(*) FROM audit_trail WHERE created_at > ?', 640, 1_200_000, 0.4),
  ],
  mongodb: [
    q('db.vehicle_events.find({ vehicle_id: ?, ts: { $gt: ? } })', 2.4, 60, 14),
    q('db.vehicle_events.insertOne({ ... })', 0.8, 1, 24),
    q('db.sessions.updateOne({ _id: ? }, { $set: { last_seen: ? } })', 1.1, 1, 8),
    q('db.vehicle_events.aggregate([{ $match: ? }, { $group: { _id: "$vehicle_id" } }])', 380, 250_000, 0.4),
  ],
  clickhouse: [
    q('SELECT toStartOfHour(ts) AS h, count() FROM events WHERE ts > ? GROUP BY h', 120, 4_000_000, 8),
    q('INSERT INTO events FORMAT JSONEachRow', 35, 0, 10),
    q(
      'SELECT user_id, uniqExact(session_id) FROM events WHERE day = ? GROUP BY user_id',
      2300,
      60_000_000,
      1,
    ),
  ],
  mssql: [
    q('SELECT * FROM dbo.Invoices WHERE CustomerId = @p1 AND Status = @p2', 6.5, 12, 10),
    q('EXEC dbo.usp_PostLedgerEntries @BatchId = @p1', 240, 5000, 1.2),
  ],
  cockroachdb: [
    q('SELECT balance FROM accounts WHERE id = $1 FOR UPDATE', 3.8, 1, 12),
    q('INSERT INTO ledger_entries (account_id, amount, ts) VALUES ($1, $2, now())', 4.6, 1, 10),
  ],
  dynamodb: [
    q('GetItem carts {cart_id}', 3.1, 1, 20),
    q('PutItem carts {cart_id}', 5.2, 1, 8),
    q('Query carts BY customer_id', 9.8, 4, 3),
  ],
  sqlite: [
    q('SELECT payload FROM outbox WHERE sent = 0 ORDER BY id LIMIT ?', 0.4, 20, 10),
    q('UPDATE outbox SET sent = 1 WHERE id = ?', 0.2, 1, 8),
  ],
};

/** Query samples of one instance for the grid interval starting at `t`, kept when inside [from, to). */
function querySamples(
  plan: DemoPlan,
  org: DemoOrg,
  db: DbInstance,
  t: number,
  k: number,
  step: number,
  from: number,
  to: number,
  out: Row[],
): void {
  const p = db.profile;
  const rng = new Prng(hash3(db.key, 0x9a1, k));
  const list = QUERIES[familyOf(p.engine)];
  const bad = db.leaking && inBadDeploy(plan, t);
  const weights = list.map((f) => (bad && f.fingerprint === N_PLUS_ONE ? f.weight * 12 : f.weight));
  const leakErrors =
    db.leaking &&
    t >= plan.incidents.anchor - 30 * MINUTE &&
    t < plan.incidents.memoryLeak.oomAt + 3 * MINUTE;
  const samples = Math.max(
    1,
    Math.round((db.leaking ? 8 : 4) * (0.5 + orgLoad(org, t) * 0.6) * (bad ? 1.8 : 1)),
  );
  const slowdown = db.leaking ? 1 + 1.5 * Math.max(0, (leakingMemoryPercent(plan, db.key, t) - 80) / 17) : 1;
  for (let i = 0; i < samples; i++) {
    const f = list[rng.weighted(weights)] as Fingerprint;
    const failed = leakErrors ? rng.chance(0.15) : rng.chance(0.002);
    const duration = f.ms * slowdown * rng.lognormal(1, 0.5);
    const returned = Math.max(0, Math.round(f.rows * (0.5 + rng.next())));
    const at = t + rng.int(step);
    const sample = f.sample(rng);
    const examined = returned * (f.rows > 1000 ? 3 : 12) + rng.int(50);
    if (at < from || at >= to) continue;
    out.push({
      organization_id: db.scope.organization_id,
      workspace_id: db.scope.workspace_id,
      tenant_id: db.scope.tenant_id,
      timestamp: chTime(at),
      database_instance_id: db.id,
      engine: p.engine,
      fingerprint: f.fingerprint,
      query_sample: sample,
      duration_ms: Math.round(duration * 1000) / 1000,
      rows_examined: examined,
      rows_returned: returned,
      error: failed
        ? leakErrors
          ? 'ERROR: out of memory (SQLSTATE 53200)'
          : 'ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)'
        : '',
    });
  }
}

const DB_TABLES = ['db_metrics', 'db_queries'];

const dbStream: ChStream = {
  name: 'db-monitoring',
  tables: DB_TABLES,
  rowsPerHour: (plan) =>
    (plan.orgs.reduce(
      (n, o) => n + databasesOf(o).reduce((m, d) => m + seriesPerInstance(plan, o, d) + 4, 0),
      0,
    ) *
      3600) /
    plan.spec.infraIntervalSeconds,
  generate(plan, from, to) {
    const batch = emptyBatch(DB_TABLES);
    const metrics = batch['db_metrics'] as Row[];
    const queries = batch['db_queries'] as Row[];
    const step = plan.spec.infraIntervalSeconds * 1000;
    forEachGridPoint(from, to, step, (t) => {
      const ts = chTime(t);
      for (const org of plan.orgs) {
        for (const db of databasesOf(org)) {
          for (const [name, value] of metricsAt(plan, org, db, t)) {
            metrics.push({
              organization_id: db.scope.organization_id,
              workspace_id: db.scope.workspace_id,
              tenant_id: db.scope.tenant_id,
              timestamp: ts,
              database_instance_id: db.id,
              engine: db.profile.engine,
              instance_name: db.profile.name,
              metric_name: name,
              value: Math.round(value * 1000) / 1000,
            });
          }
        }
      }
    });
    // Query samples of a grid interval spread over it: intervals that start before the
    // window may hold samples inside it, so samples are kept by their own time.
    forEachGridPoint(from - step, to, step, (t, k) => {
      for (const org of plan.orgs) {
        for (const db of databasesOf(org)) querySamples(plan, org, db, t, k, step, from, to, queries);
      }
    });
    return batch;
  },
};

const RULES: readonly [string, string, number, string][] = [
  ['Connections above 80 %', 'connections.usage_percent', 80, 'warning'],
  ['Average query latency above 50 ms', 'query.latency_avg_ms', 50, 'warning'],
  ['Replication lag above 30 s', 'replication.lag_seconds', 30, 'critical'],
];

/** The database-monitoring family. */
export const dbMonitoringFamily: DemoFamily = {
  name: 'db-monitoring',
  pgTables: ['database_instances', 'database_instance_rules', 'database_instance_tags'],
  inventory(plan) {
    const instances: Row[] = [];
    const rules: Row[] = [];
    const tags: Row[] = [];
    for (const org of plan.orgs) {
      for (const db of databasesOf(org)) {
        const p = db.profile;
        instances.push({
          id: db.id,
          organization_id: org.id,
          name: p.name,
          engine: p.engine,
          version: p.version,
          host: p.host,
          port: p.port,
          environment: p.environment,
          status: db.leaking
            ? 'warning'
            : p.engine === 'aws-dynamodb'
              ? 'healthy'
              : hash2(db.key, 1) % 11 === 0
                ? 'degraded'
                : 'healthy',
          cloud_provider: p.cloud,
          last_seen_at: pgTime(plan.anchor),
          ...inventoryStamps(plan, db.key),
        });
        const own: [string, string, number, string][] = [
          ...RULES.filter(
            ([, metric]) =>
              metric !== 'replication.lag_seconds' || p.replica === true || p.engine.includes('mongo'),
          ),
        ];
        if (db.leaking) own.push(['Memory above 85 %', 'memory.usage_percent', 85, 'critical']);
        for (const [name, metric, threshold, severity] of own) {
          rules.push({
            id: entityId(org, 'db-rule', `${p.name}/${name}`),
            organization_id: org.id,
            database_instance_id: db.id,
            name,
            metric_name: metric,
            threshold,
            severity,
            enabled: true,
            ...inventoryStamps(plan, hash2(db.key, hashString(name))),
          });
        }
        const tier =
          p.environment === 'production' ? (p.service !== undefined ? 'tier-1' : 'tier-2') : 'tier-3';
        for (const [key, value] of [
          ['env', p.environment],
          ['team', p.team],
          ['tier', tier],
          ['engine', p.engine],
        ] as const) {
          tags.push({
            id: entityId(org, 'db-tag', `${p.name}/${key}`),
            organization_id: org.id,
            database_instance_id: db.id,
            key,
            value,
            ...inventoryStamps(plan, hash2(db.key, hashString(key))),
          });
        }
      }
    }
    return [
      pgRows('database_instances', instances),
      pgRows('database_instance_rules', rules),
      pgRows('database_instance_tags', tags),
    ];
  },
  mutations(plan, from, to) {
    const org = plan.orgs[0];
    const oom = plan.incidents.memoryLeak.oomAt;
    const db = org === undefined ? undefined : databasesOf(org).find((d) => d.leaking);
    if (db === undefined || oom < from || oom >= to) return [];
    return [
      pgStatement(
        'database_instances',
        "UPDATE database_instances SET status = 'healthy', updated_at = $1 WHERE id = $2",
        [pgTime(oom + 3 * MINUTE), db.id],
      ),
    ];
  },
  refresh: (plan, at) =>
    plan.orgs.flatMap((org) =>
      databasesOf(org).map((d) =>
        pgStatement('database_instances', 'UPDATE database_instances SET last_seen_at = $1 WHERE id = $2', [
          pgTime(at),
          d.id,
        ]),
      ),
    ),
  streams: [dbStream],
};
