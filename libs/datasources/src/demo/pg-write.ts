/**
 * Writes the demo estate's PostgreSQL rows: batches of rows as one bound JSON parameter
 * expanded by `jsonb_populate_recordset` (one round trip per 500 rows), and statements as
 * given.
 *
 * Invariants: every value is bound (the rows travel as one jsonb parameter); table and
 * column names come from the generator's own constants and are checked against an
 * identifier pattern anyway; inserts use ON CONFLICT DO NOTHING, so replaying a write is
 * harmless.
 */
import { ValidationError } from '@tfo/domain';
import type { PostgresExecutor } from '../postgres/postgres-datasource.js';
import type { PgWrite, Row } from './model.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const CHUNK = 500;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new ValidationError(`Invalid identifier '${name}' in demo rows`, {
      code: 'DEMO.INVALID_IDENTIFIER',
    });
  }
  return name;
}

function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen].map(identifier);
}

/** Counts of a {@link writePostgres} call, by table. */
export interface PgWriteCounts {
  inserted: Record<string, number>;
  updated: Record<string, number>;
}

/** Applies `writes` in order on `tx`, adding what happened to `counts`. */
export async function writePostgres(
  tx: PostgresExecutor,
  writes: readonly PgWrite[],
  counts: PgWriteCounts,
): Promise<void> {
  for (const w of writes) {
    if (w.kind === 'rows') {
      if (w.rows.length === 0) continue;
      const table = identifier(w.table);
      for (let i = 0; i < w.rows.length; i += CHUNK) {
        const chunk = w.rows.slice(i, i + CHUNK);
        const cols = columnsOf(chunk).join(', ');
        const result = await tx.execute(
          `INSERT INTO ${table} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ON CONFLICT DO NOTHING`,
          [JSON.stringify(chunk)],
        );
        counts.inserted[table] = (counts.inserted[table] ?? 0) + result.rowCount;
      }
    } else {
      const result = await tx.execute(w.sql, w.params);
      const bucket = /^\s*INSERT\b/i.test(w.sql) ? counts.inserted : counts.updated;
      bucket[w.table] = (bucket[w.table] ?? 0) + result.rowCount;
    }
  }
}
