import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLICKHOUSE_MIGRATIONS } from './clickhouse/migrations.js';
import { describeClickHouseSchema } from './clickhouse/schema/catalog.js';
import { POSTGRES_MIGRATIONS } from './postgres/migrations.js';
import {
  CLICKHOUSE_BEGIN_MARKER,
  CLICKHOUSE_END_MARKER,
  POSTGRES_BEGIN_MARKER,
  POSTGRES_END_MARKER,
  renderClickHouseReference,
  renderPostgresReference,
} from './schema-docs.js';

const DOC = resolve(__dirname, '../../../docs/schema.md');

const sections = [
  { begin: CLICKHOUSE_BEGIN_MARKER, end: CLICKHOUSE_END_MARKER, render: renderClickHouseReference },
  { begin: POSTGRES_BEGIN_MARKER, end: POSTGRES_END_MARKER, render: renderPostgresReference },
];

/** The part of `text` between `begin` and `end`, markers excluded. */
function between(text: string, begin: string, end: string): string | undefined {
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return text.slice(from + begin.length, to).trim();
}

describe('renderClickHouseReference', () => {
  const reference = renderClickHouseReference();

  it('documents every table, and every rollup column with how to read it', () => {
    for (const table of describeClickHouseSchema(CLICKHOUSE_MIGRATIONS).tables) {
      expect(reference).toContain(`\`${table.name}\``);
    }
    expect(reference).toContain('| `avg_value` | AggregateFunction(avg, Float64) | `avgMerge(avg_value)` |');
    expect(reference).toContain(
      '| `p95_duration_ms` | AggregateFunction(quantile(0.95), Float64) | `quantileMerge(0.95)(p95_duration_ms)` |',
    );
    expect(reference).toContain('| `calls` | SimpleAggregateFunction(sum, UInt64) | `sum(calls)` |');
    expect(reference).toContain('| `total_cost_usd` | Float64 | `sum(total_cost_usd)` |');
    expect(reference).toContain('| `vm_metrics_6h` | `six_hours` | 365 days | 6 |');
    expect(reference).toContain('##### `vm_metrics_{1m,5m,15m,1h,6h,1d}`');
  });

  it('refuses a raw table without a purpose', () => {
    const statements = [
      `CREATE TABLE IF NOT EXISTS mystery (
  organization_id String
) ENGINE = MergeTree
ORDER BY (organization_id)
TTL now() + INTERVAL 1 DAY`,
    ];
    expect(() => renderClickHouseReference([{ version: 1, name: 'x', statements }])).toThrow(/mystery/);
  });
});

describe('renderPostgresReference', () => {
  const reference = renderPostgresReference();

  it('documents every table with its columns, references, indexes and notes', () => {
    expect(reference).toContain('#### `mcp_sessions`');
    expect(reference).toContain('`cluster_id` uuid (not null, → kubernetes_clusters)');
    expect(reference).toContain('`price_usd_monthly` numeric(12,2) (not null)');
    expect(reference).toContain('Constraints: `UNIQUE (organization_id, slug)`.');
    expect(reference).toContain('Indexes: `(organization_id)`, `(organization_id, starts_at DESC)`.');
    expect(reference).toContain('Note: Secret metadata only (names and key names); values are never stored');
    expect(reference).toContain('| 4 | `readonly_role` | (no tables) |');
    for (const m of POSTGRES_MIGRATIONS) expect(reference).toContain(`| ${m.version} | \`${m.name}\` |`);
  });

  it('reads columns added later by ALTER TABLE', () => {
    const reference2 = renderPostgresReference([
      {
        version: 1,
        name: 'a',
        sql: "CREATE TABLE IF NOT EXISTS plans (\n  id uuid PRIMARY KEY\n);\nALTER TABLE plans ADD COLUMN IF NOT EXISTS tier text NOT NULL DEFAULT 'x';\n",
      },
    ]);
    expect(reference2).toContain('Columns: `id` uuid (PK), `tier` text (not null).');
  });
});

describe('docs/schema.md', () => {
  // Regenerate with: TFO_UPDATE_DOCS=1 npx jest libs/datasources/src/schema-docs.spec.ts
  it('matches the generated references', () => {
    let text = readFileSync(DOC, 'utf8');
    if (process.env['TFO_UPDATE_DOCS'] === '1') {
      for (const { begin, end, render } of sections) {
        const from = text.indexOf(begin);
        const to = text.indexOf(end);
        expect(from >= 0 && to > from).toBe(true);
        text = `${text.slice(0, from + begin.length)}\n\n${render()}\n${text.slice(to)}`;
      }
      writeFileSync(DOC, text);
      return;
    }
    for (const { begin, end, render } of sections) {
      expect(between(text, begin, end)).toBe(render().trim());
    }
  });
});
