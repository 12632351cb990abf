/**
 * The write path of pg_query / ch_query, for operators who enabled writes (`sql.allowWrites`).
 * It is built only then; without it every query stays read-only.
 *
 * Invariants:
 * - One statement per call: the text is tokenized (strings, identifiers and comments are not
 *   split) and refused when a `;` is followed by anything significant.
 * - PostgreSQL: the statement runs in its own transaction with `statement_timeout` and
 *   `lock_timeout` set locally, committed when it succeeds, rolled back when it fails.
 * - ClickHouse: the statement runs with `max_execution_time`; only INSERT / ALTER / CREATE /
 *   DROP-style commands, whose answer has no rows.
 * - Parameters are bound, never spliced: `$n` on PostgreSQL, `{name:Type}` on ClickHouse.
 */
import {
  DependencyError,
  ValidationError,
  type QueryOptions,
  type QueryResult,
  type SqlEngine,
} from '@tfo/domain';
import type { DataPlane } from './data-plane.js';
import type { OpenedClickHouse, OpenedPostgres } from './open.js';
import { tokenizeSql } from './safety/sql-lexer.js';

function assertSingleStatement(sql: string, engine: SqlEngine): void {
  const tokens = tokenizeSql(sql, engine === 'postgresql' ? 'postgresql' : 'clickhouse').filter(
    (t) => t.kind !== 'comment',
  );
  const end = tokens.findIndex((t) => t.kind === 'punctuation' && t.text === ';');
  const rest =
    end === -1 ? [] : tokens.slice(end + 1).filter((t) => !(t.kind === 'punctuation' && t.text === ';'));
  if (tokens.length === 0 || rest.length > 0) {
    throw new ValidationError(
      tokens.length === 0
        ? 'The statement is empty.'
        : 'Send one statement per call: the text has more than one (separated by ";").',
      { code: tokens.length === 0 ? 'SQL.EMPTY' : 'SQL.MULTIPLE_STATEMENTS' },
    );
  }
}

/** Runs write statements through the plane's writers; see the module header. */
export class SqlWriteGateway {
  constructor(
    private readonly plane: DataPlane,
    /** The engines writes are enabled on. */
    readonly engines: readonly SqlEngine[],
    private readonly defaultTimeoutMs: number,
  ) {}

  /** Runs one statement that may change data. */
  async execute(engine: SqlEngine, sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    if (!this.engines.includes(engine)) {
      throw new ValidationError(`Writes are not enabled on ${engine}.`, { code: 'SQL.WRITES_DISABLED' });
    }
    assertSingleStatement(sql, engine);
    const timeoutMs = Math.max(1, Math.round(options.timeoutMs ?? this.defaultTimeoutMs));
    const started = performance.now();
    if (engine === 'postgresql') {
      const { writer } = await this.opened('postgresql');
      const params = Array.isArray(options.params) ? options.params : [];
      const result = await writer.transaction(async (tx) => {
        await tx.execute(
          `SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true)`,
          [`${timeoutMs}ms`],
        );
        return tx.execute(sql, params.length > 0 ? params : undefined);
      });
      const rows = result.rows.slice(0, options.maxRows ?? result.rows.length);
      return {
        columns: Object.keys(rows[0] ?? {}).map((name) => ({ name, type: 'unknown' })),
        rows,
        rowCount: result.rowCount,
        durationMs: performance.now() - started,
      };
    }
    const { writer } = await this.opened('clickhouse');
    const params = options.params !== undefined && !Array.isArray(options.params) ? options.params : {};
    await writer.execute(sql, params, { max_execution_time: Math.ceil(timeoutMs / 1000) });
    return { columns: [], rows: [], rowCount: 0, durationMs: performance.now() - started };
  }

  /** The opened engine; while it is not, the datasource's own error (starting, unavailable). */
  private async opened<E extends SqlEngine>(
    engine: E,
  ): Promise<E extends 'postgresql' ? OpenedPostgres : OpenedClickHouse>;
  private async opened(engine: SqlEngine): Promise<OpenedPostgres | OpenedClickHouse> {
    const pick = () =>
      engine === 'postgresql' ? this.plane.engines().postgres : this.plane.engines().clickhouse;
    const now = pick();
    if (now) return now;
    await (engine === 'postgresql' ? this.plane.postgres : this.plane.clickhouse).query('SELECT 1');
    const later = pick();
    if (!later) throw new DependencyError(`${engine} is not open.`, { code: 'DATASOURCE.UNAVAILABLE' });
    return later;
  }
}
