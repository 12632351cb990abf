import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../errors/index.js';
import {
  CONTEXT_TYPE_CATALOG,
  CONTEXT_TYPE_GROUPS,
  CONTEXT_TYPE_GROUP_LABELS,
  CONTEXT_TYPES,
  DATA_FAMILIES,
  PLATFORM_CONTEXT_TYPES,
  SEED_CONTEXT_TYPES,
  contextTypesByGroup,
  getContextTypeDefinition,
  isContextType,
  parseContextType,
  type ContextType,
} from './context-type.js';

// List A of /work/shared/reference/context-types.md: TFO-Platform's ContextType union, by group.
// prettier-ignore
const LIST_A_BY_GROUP = {
  'core-telemetry': ['metrics', 'logs', 'traces', 'exemplars', 'correlations', 'dashboard'],
  'uptime-audit': ['uptime', 'status-page', 'audit'],
  infrastructure: ['infra-overview', 'infra-cpu', 'infra-memory', 'infra-storage', 'infra-network'],
  kubernetes: [
    'kubernetes-overview', 'kubernetes-clusters', 'kubernetes-namespaces', 'kubernetes-nodes',
    'kubernetes-pods', 'kubernetes-deployments', 'kubernetes-pv', 'kubernetes-api-server',
    'kubernetes-coredns',
  ],
  hybrid: ['agents', 'service-map', 'network-map'],
  alerting: ['alerts', 'alert-rules'],
  iam: ['iam', 'iam-users', 'iam-roles', 'iam-permissions', 'iam-matrix', 'iam-assignments'],
  tenancy: ['tenancy', 'tenancy-regions', 'tenancy-organizations', 'tenancy-workspaces', 'tenancy-tenants'],
  platform: [
    'retention', 'subscription', 'api-keys', 'notifications', 'reports', 'data-masking',
    'ai-assistant', 'system-setup', 'system-channels',
  ],
  account: [
    'account-profile', 'account-security', 'account-sessions', 'account-notifications',
    'account-preferences', 'account-organization',
  ],
  'ai-intelligence': ['anomaly-detection', 'corrective-maintenance', 'predictive-maintenance', 'cost-optimization'],
  'db-monitoring': [
    'db-monitoring-inventory', 'db-monitoring-clickhouse', 'db-monitoring-mariadb', 'db-monitoring-mysql',
    'db-monitoring-percona', 'db-monitoring-sqlite3', 'db-monitoring-timescaledb', 'db-monitoring-aurora',
    'db-monitoring-mssql', 'db-monitoring-postgresql', 'db-monitoring-mongodb-community',
    'db-monitoring-mongodb-atlas', 'db-monitoring-aws-rds-mysql', 'db-monitoring-aws-rds-aurora',
    'db-monitoring-aws-dynamodb', 'db-monitoring-cockroachdb', 'db-monitoring-qan',
  ],
} as const;
const LIST_A: readonly string[] = Object.values(LIST_A_BY_GROUP).flat();

// List B of the same reference: the seed document's 78 keys, in its order ('*' marks dropped).
// prettier-ignore
const LIST_B: readonly string[] = [
  'metrics', 'logs', 'traces', 'exemplars', 'uptime', 'audit', 'errors', 'latency',
  'throughput', 'saturation', 'service-health', 'dependencies', 'topology', 'anomalies',
  'slo', 'sli', 'error-budget', 'change-events', 'deployment', 'alert',
  'infra-hosts', 'infra-containers', 'infra-network', 'infra-storage', 'infra-compute',
  'infra-database', 'infra-cache', 'infra-queue', 'infra-load-balancer', 'infra-dns',
  'kubernetes-clusters', 'kubernetes-namespaces', 'kubernetes-deployments',
  'kubernetes-pods', 'kubernetes-services', 'kubernetes-nodes',
  'kubernetes-configmaps', 'kubernetes-secrets', 'kubernetes-hpa', 'kubernetes-events',
  'service-map', 'service-map-traffic', 'service-map-errors', 'service-map-latency',
  'service-map-dependencies', 'service-map-topology',
  'network-map', 'network-map-traffic', 'network-map-connections', 'network-map-dns',
  'network-map-firewall', 'network-map-security',
  'db-overview', 'db-queries', 'db-slow-queries', 'db-connections', 'db-tables',
  'db-indexes', 'db-replication', 'db-locks',
  'security-events', 'security-vulnerabilities', 'security-compliance',
  'security-access', 'security-threats', 'security-incidents',
  'platform-health', 'platform-capacity', 'platform-cost', 'platform-performance',
  'ai-insights', 'ai-recommendations', 'ai-anomalies', 'ai-predictions', 'ai-root-cause',
  'ai-patterns', 'report-summary', 'custom',
];

// The 15 keys the reference marks with '*' (in both lists).
// prettier-ignore
const STARRED = [
  'metrics', 'logs', 'traces', 'exemplars', 'uptime', 'audit', 'infra-network', 'infra-storage',
  'kubernetes-clusters', 'kubernetes-namespaces', 'kubernetes-deployments', 'kubernetes-pods',
  'kubernetes-nodes', 'service-map', 'network-map',
];

function thrown(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('reference lists (sanity of the spec itself)', () => {
  it('has 75 platform keys, 78 seed keys and 15 shared ones', () => {
    expect(LIST_A).toHaveLength(75);
    expect(new Set(LIST_A).size).toBe(75);
    expect(LIST_B).toHaveLength(78);
    expect(new Set(LIST_B).size).toBe(78);
    expect(LIST_B.filter((k) => LIST_A.includes(k)).sort()).toEqual([...STARRED].sort());
    expect(new Set([...LIST_A, ...LIST_B]).size).toBe(138);
  });
});

describe('CONTEXT_TYPE_CATALOG', () => {
  it('holds exactly 138 unique keys', () => {
    expect(CONTEXT_TYPE_CATALOG).toHaveLength(138);
    expect(new Set(CONTEXT_TYPE_CATALOG.map((d) => d.key)).size).toBe(138);
    expect(CONTEXT_TYPES).toHaveLength(138);
  });

  it('contains every key of list A and list B, spelled exactly', () => {
    const keys = new Set<string>(CONTEXT_TYPES);
    expect(LIST_A.filter((k) => !keys.has(k))).toEqual([]);
    expect(LIST_B.filter((k) => !keys.has(k))).toEqual([]);
    expect([...keys].filter((k) => !LIST_A.includes(k) && !LIST_B.includes(k))).toEqual([]);
  });

  it('flags 75 platform keys, 78 seed keys and 15 keys as both, matching the lists', () => {
    expect(CONTEXT_TYPE_CATALOG.filter((d) => d.platform)).toHaveLength(75);
    expect(CONTEXT_TYPE_CATALOG.filter((d) => d.seed)).toHaveLength(78);
    const both = CONTEXT_TYPE_CATALOG.filter((d) => d.platform && d.seed).map((d) => d.key);
    expect([...both].sort()).toEqual([...STARRED].sort());
    for (const d of CONTEXT_TYPE_CATALOG) {
      expect({ key: d.key, platform: d.platform, seed: d.seed }).toEqual({
        key: d.key,
        platform: LIST_A.includes(d.key),
        seed: LIST_B.includes(d.key),
      });
    }
  });

  it('lists platform keys in platform order, then seed-only keys in seed order', () => {
    const seedOnly = LIST_B.filter((k) => !LIST_A.includes(k));
    expect(seedOnly).toHaveLength(63);
    expect(CONTEXT_TYPES).toEqual([...LIST_A, ...seedOnly]);
  });

  it('keeps every platform key in the group the platform files it under', () => {
    for (const [group, keys] of Object.entries(LIST_A_BY_GROUP)) {
      for (const key of keys) expect([key, getContextTypeDefinition(key).group]).toEqual([key, group]);
    }
  });

  it('gives every entry a one-line, non-empty, unique description', () => {
    const descriptions = CONTEXT_TYPE_CATALOG.map((d) => d.description);
    for (const text of descriptions) {
      expect(text.trim().length).toBeGreaterThan(10);
      expect(text).not.toMatch(/[\r\n]/);
    }
    expect(new Set(descriptions.map((t) => t.toLowerCase())).size).toBe(descriptions.length);
  });

  // `custom` is the one key without fixed families: what it reads depends on the
  // caller's question, so the collector decides per request.
  it('names at least one known data family per entry, except custom which names none', () => {
    const known = new Set<string>(DATA_FAMILIES);
    for (const d of CONTEXT_TYPE_CATALOG) {
      if (d.key === 'custom') {
        expect(d.families).toEqual([]);
        continue;
      }
      expect([d.key, d.families.length > 0]).toEqual([d.key, true]);
      expect(d.families.filter((f) => !known.has(f))).toEqual([]);
      expect(new Set(d.families).size).toBe(d.families.length);
    }
  });

  it('uses every data family and every group at least once', () => {
    const usedFamilies = new Set(CONTEXT_TYPE_CATALOG.flatMap((d) => d.families));
    expect(DATA_FAMILIES.filter((f) => !usedFamilies.has(f))).toEqual([]);
    const usedGroups = new Set(CONTEXT_TYPE_CATALOG.map((d) => d.group));
    expect(CONTEXT_TYPE_GROUPS.filter((g) => !usedGroups.has(g))).toEqual([]);
    expect(new Set(DATA_FAMILIES).size).toBe(DATA_FAMILIES.length);
    expect(new Set(CONTEXT_TYPE_GROUPS).size).toBe(CONTEXT_TYPE_GROUPS.length);
  });

  it('labels every group', () => {
    expect(Object.keys(CONTEXT_TYPE_GROUP_LABELS).sort()).toEqual([...CONTEXT_TYPE_GROUPS].sort());
  });

  it('is frozen', () => {
    expect(Object.isFrozen(CONTEXT_TYPE_CATALOG)).toBe(true);
    expect(Object.isFrozen(CONTEXT_TYPE_CATALOG[0])).toBe(true);
    expect(Object.isFrozen(CONTEXT_TYPE_CATALOG[0]?.families)).toBe(true);
  });

  it('derives a literal union for ContextType', () => {
    const ok: ContextType = 'kubernetes-hpa';
    // @ts-expect-error not a context type
    const bad: ContextType = 'kubernetes-hpas';
    expect([ok, bad]).toHaveLength(2);
  });
});

describe('PLATFORM_CONTEXT_TYPES and SEED_CONTEXT_TYPES', () => {
  it('are list A in platform order and list B in seed order', () => {
    expect(PLATFORM_CONTEXT_TYPES).toEqual(LIST_A);
    expect(SEED_CONTEXT_TYPES).toEqual(LIST_B);
  });
});

describe('contextTypesByGroup', () => {
  it('covers every key once, with every group present in group order', () => {
    const byGroup = contextTypesByGroup();
    expect(Object.keys(byGroup)).toEqual([...CONTEXT_TYPE_GROUPS]);
    const all = Object.values(byGroup).flat();
    expect(all).toHaveLength(138);
    expect(new Set(all).size).toBe(138);
    expect(byGroup.reliability).toEqual([
      'errors',
      'latency',
      'throughput',
      'saturation',
      'service-health',
      'slo',
      'sli',
      'error-budget',
    ]);
    expect(byGroup.custom).toEqual(['custom']);
  });
});

describe('isContextType', () => {
  it('accepts exact keys only', () => {
    expect(isContextType('metrics')).toBe(true);
    expect(isContextType('db-monitoring-qan')).toBe(true);
    expect(isContextType('Metrics')).toBe(false);
    expect(isContextType(' metrics')).toBe(false);
    expect(isContextType('toString')).toBe(false);
    expect(isContextType(42)).toBe(false);
    expect(isContextType(undefined)).toBe(false);
  });
});

describe('parseContextType', () => {
  it('returns every known key unchanged', () => {
    for (const key of CONTEXT_TYPES) expect(parseContextType(key)).toBe(key);
  });

  it('forgives blanks, case and underscores', () => {
    expect(parseContextType('  Service_Map ')).toBe('service-map');
    expect(parseContextType('AI_ROOT_CAUSE')).toBe('ai-root-cause');
  });

  it('suggests the nearest keys for a near miss', () => {
    const error = thrown(() => parseContextType('metric'));
    expect(error.message).toContain('"metric"');
    expect(error.message).toContain('Did you mean "metrics"');
    expect(error.details?.['suggestions']).toEqual(['metrics']);
    expect(thrown(() => parseContextType('kubernetes-pod')).details?.['suggestions']).toContain(
      'kubernetes-pods',
    );
    expect(thrown(() => parseContextType('latnecy')).details?.['suggestions']).toEqual(['latency']);
    expect(thrown(() => parseContextType('pods')).details?.['suggestions']).toContain('kubernetes-pods');
  });

  it('lists every valid key by group', () => {
    const error = thrown(() => parseContextType('no-such-thing-at-all'));
    expect(error.message).toContain('Unknown context type "no-such-thing-at-all".');
    expect(error.message).not.toContain('Did you mean');
    expect(error.message).toContain('Valid context types (138), by group:');
    expect(error.message).toContain('  reliability: errors, latency, throughput');
    for (const key of CONTEXT_TYPES) expect(error.message).toContain(key);
    expect(error.code).toBe('VALIDATION.INVALID_ARGUMENT');
    expect(error.details?.['allowed']).toEqual(contextTypesByGroup());
  });

  it('says what was given when it is not a string', () => {
    expect(thrown(() => parseContextType(42)).message).toMatch(
      /^A context type must be a string, but got number 42\./,
    );
    expect(thrown(() => parseContextType(null)).message).toContain('but got null');
    expect(thrown(() => parseContextType(undefined)).message).toContain('but got nothing');
    expect(thrown(() => parseContextType(['metrics'])).message).toContain('but got an array of 1');
  });

  it('shortens very long input in the message', () => {
    const error = thrown(() => parseContextType('x'.repeat(500)));
    expect(error.message.split('\n')[0]?.length).toBeLessThan(120);
  });
});

describe('getContextTypeDefinition', () => {
  it('returns the catalog entry', () => {
    expect(getContextTypeDefinition('db-monitoring-clickhouse')).toMatchObject({
      key: 'db-monitoring-clickhouse',
      group: 'db-monitoring',
      platform: true,
      seed: false,
    });
    expect(getContextTypeDefinition('kubernetes-pods')).toMatchObject({ platform: true, seed: true });
  });

  it('rejects a forged key', () => {
    expect(() => getContextTypeDefinition('nope' as ContextType)).toThrow(ValidationError);
  });
});
