/**
 * The SQL tools as one catalog: the four PostgreSQL tools when a PostgreSQL datasource is
 * given, the five ClickHouse tools when a ClickHouse datasource is given, none otherwise (the
 * bare server keeps working without engines).
 *
 * Invariant: each datasource must be of the engine its tools speak; a mismatch is a wiring
 * error and fails at start-up, not at the first call.
 */
import { ConfigurationError, type SqlDatasource, type SqlEngine } from '@tfo/domain';
import type { ToolDefinition } from '../definitions.js';
import { createChApiUsageTool } from '../tools/ch-api-usage.tool.js';
import { createChErrorAnalyticsTool } from '../tools/ch-error-analytics.tool.js';
import { createChQueryTool } from '../tools/ch-query.tool.js';
import { createChSessionAnalyticsTool } from '../tools/ch-session-analytics.tool.js';
import { createChToolAnalyticsTool } from '../tools/ch-tool-analytics.tool.js';
import { createPgDescribeTableTool } from '../tools/pg-describe-table.tool.js';
import { createPgListTablesTool } from '../tools/pg-list-tables.tool.js';
import { createPgQueryTool } from '../tools/pg-query.tool.js';
import { createPgSessionsTool } from '../tools/pg-sessions.tool.js';
import { DEFAULT_ROW_CAP } from './arguments.js';
import type { SqlWriteGate } from './write-gate.js';

/** What the SQL tools are built from. */
export interface SqlToolDependencies {
  /** The read-only PostgreSQL datasource (`TOKENS.PostgresDatasource`), when configured. */
  postgres?: SqlDatasource;
  /** The read-only ClickHouse datasource (`TOKENS.ClickHouseDatasource`), when configured. */
  clickhouse?: SqlDatasource;
  /** Present only when the operator enabled writes (`MCP_TOKENS.SqlWriteGate`). */
  writeGate?: SqlWriteGate;
  /** The configured row cap (largest `max_rows`); defaults to {@link DEFAULT_ROW_CAP}. */
  maxRows?: number;
  /**
   * Offer pg_query and ch_query (free SQL). Default true. A multi-tenant server turns it off:
   * free SQL sees what the read-only login sees, across organizations, while every other
   * SQL tool is bound to the caller's organization.
   */
  freeSql?: boolean;
}

function expectEngine(datasource: SqlDatasource, engine: SqlEngine, token: string): SqlDatasource {
  if (datasource.engine !== engine) {
    throw new ConfigurationError(
      `${token} must be a ${engine} datasource, but the registered one speaks ${datasource.engine}`,
      { details: { token, expected: engine, actual: datasource.engine } },
    );
  }
  return datasource;
}

/** Builds the SQL tools the given datasources support, PostgreSQL's first. */
export function createSqlTools(deps: SqlToolDependencies): ToolDefinition[] {
  const cap = deps.maxRows ?? DEFAULT_ROW_CAP;
  if (!Number.isInteger(cap) || cap < 1) {
    throw new ConfigurationError(`The SQL row cap must be a positive whole number, got ${String(cap)}`);
  }
  const settings = { maxRowsCap: cap, ...(deps.writeGate ? { writeGate: deps.writeGate } : {}) };
  const tools: unknown[] = [];
  if (deps.postgres) {
    const pg = expectEngine(deps.postgres, 'postgresql', 'TOKENS.PostgresDatasource');
    tools.push(
      ...(deps.freeSql === false ? [] : [createPgQueryTool(pg, settings)]),
      createPgListTablesTool(pg),
      createPgDescribeTableTool(pg),
      createPgSessionsTool(pg),
    );
  }
  if (deps.clickhouse) {
    const ch = expectEngine(deps.clickhouse, 'clickhouse', 'TOKENS.ClickHouseDatasource');
    tools.push(
      ...(deps.freeSql === false ? [] : [createChQueryTool(ch, settings)]),
      createChToolAnalyticsTool(ch),
      createChSessionAnalyticsTool(ch),
      createChErrorAnalyticsTool(ch),
      createChApiUsageTool(ch),
    );
  }
  return tools as ToolDefinition[];
}
