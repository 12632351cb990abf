/**
 * ContextCollector: a TelemetryContext for every context type, read from PostgreSQL and
 * ClickHouse through the domain's SqlDatasource port. Same call and shape as
 * TFO-Platform's ContextCollector, so its services switch by changing the import.
 *
 * Invariants:
 * - `collectContext` never throws and never outlives its deadline (5 s by default):
 *   a failure or timeout yields the `[SYSTEM] <type> data is unavailable: <reason>`
 *   context, an answer without rows yields `[SYSTEM] No data found for <type> in the
 *   period <from> to <to>.`
 * - Every query is scoped to the caller's organization (see sql.ts) and is checked for
 *   the filter before it runs; `contextId` only ever travels as a bound parameter.
 * - At the deadline the shared AbortSignal fires, so the datasources stop the queries on
 *   the server; each query also carries the remaining time as its `timeoutMs`.
 * - A partial failure keeps the sources that answered and names the ones that did not.
 */
import {
  DEFAULT_WINDOW_MS,
  TimeRange,
  isContextType,
  noDataContext,
  noopLogger,
  unavailableContext,
  type Clock,
  type ContextType,
  type Logger,
  type SqlDatasource,
  type TelemetryContext,
  type TimeInput,
} from '@tfo/domain';
import type { Row } from './format.js';
import { grainFor } from './grain.js';
import { specFor } from './registry.js';
import { SourceRows } from './spec.js';
import { assertScoped, type QueryInput, type SourceQuery } from './sql.js';

/** Default deadline of one collection, matching the platform's 5 s. */
export const DEFAULT_DEADLINE_MS = 5_000;
/** Default and largest number of items a list in a context holds. */
export const DEFAULT_MAX_ITEMS = 20;
/** Largest accepted `maxItems`. */
export const MAX_ITEMS_LIMIT = 200;

/** Options of {@link ContextCollector}. */
export interface ContextCollectorOptions {
  /** Read-only PostgreSQL datasource (inventory, tenancy, IAM, alerting). */
  postgres?: SqlDatasource;
  /** Read-only ClickHouse datasource (telemetry and rollups). */
  clickhouse?: SqlDatasource;
  /** Where to log; defaults to a logger that discards everything. */
  logger?: Logger;
  /** Deadline of one collection in milliseconds; default {@link DEFAULT_DEADLINE_MS}. */
  deadlineMs?: number;
  /** Source of "now" for default windows; defaults to the system clock. */
  clock?: Clock;
}

/** The arguments of {@link ContextCollector.collectContext}, named as the platform names them. */
export interface CollectContextRequest {
  /** The caller's organization; every query is filtered by it. */
  organizationId: string;
  /** The signed-in user; required by the `account-*` context types. */
  userId?: string;
  /** Narrows ClickHouse telemetry to one workspace. */
  workspaceId?: string;
  /** Narrows ClickHouse telemetry to one tenant. */
  tenantId?: string;
  /** One of the 138 context types. */
  contextType: ContextType | string;
  /** Narrows the context (a service, metric, resource, or for `custom` the question). */
  contextId?: string;
  /** The period; default the last hour. */
  timeRange?: { from: TimeInput; to: TimeInput };
  /** Most items per list; default {@link DEFAULT_MAX_ITEMS}, at most {@link MAX_ITEMS_LIMIT}. */
  maxItems?: number;
}

const systemClock: Clock = { now: () => new Date() };

interface Outcome {
  source: string;
  rows?: Row[];
  reason?: string;
}

/** Collects telemetry context for AI analysis; see the module header for its guarantees. */
export class ContextCollector {
  private readonly postgres: SqlDatasource | undefined;
  private readonly clickhouse: SqlDatasource | undefined;
  private readonly logger: Logger;
  private readonly deadlineMs: number;
  private readonly clock: Clock;

  constructor(options: ContextCollectorOptions) {
    this.postgres = options.postgres;
    this.clickhouse = options.clickhouse;
    this.logger = (options.logger ?? noopLogger).child({ component: 'context-collector' });
    const deadline = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.deadlineMs = Number.isFinite(deadline) && deadline > 0 ? deadline : DEFAULT_DEADLINE_MS;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Collects the context of `request.contextType` for the caller's organization. Never
   * throws: failures, timeouts and invalid requests come back as `[SYSTEM]` contexts.
   */
  async collectContext(request: CollectContextRequest): Promise<TelemetryContext> {
    const type =
      typeof request?.contextType === 'string' ? request.contextType : String(request?.contextType);
    const now = this.clock.now();
    let range = TimeRange.last(DEFAULT_WINDOW_MS, now);
    try {
      range = request.timeRange ? TimeRange.of(request.timeRange.from, request.timeRange.to) : range;
    } catch (error) {
      return unavailableContext(type, range, `invalid time range: ${message(error)}`);
    }
    try {
      return await this.collect(request, type, range);
    } catch (error) {
      this.logger.error({ err: error, contextType: type }, 'context collection failed');
      return unavailableContext(type, range, message(error));
    }
  }

  private async collect(
    request: CollectContextRequest,
    type: string,
    range: TimeRange,
  ): Promise<TelemetryContext> {
    if (typeof request.organizationId !== 'string' || request.organizationId.trim() === '') {
      return unavailableContext(type, range, 'an organizationId is required');
    }
    const spec = specFor(type);
    if (spec === undefined) {
      return unavailableContext(
        type,
        range,
        isContextType(type)
          ? 'no collector exists for this context type yet'
          : `unknown context type "${type}"`,
      );
    }
    const input = buildInput(request, range);
    const queries: [string, SourceQuery][] = [];
    for (const [name, build] of Object.entries(spec.sources)) {
      const query = build(input);
      if (query === null) continue;
      assertScoped(query, input.organizationId);
      queries.push([name, query]);
    }

    const outcomes = await this.runAll(queries);
    const missing = outcomes
      .filter((o) => o.rows === undefined)
      .map((o) => ({ source: o.source, reason: o.reason ?? 'no answer' }));
    const rows = new Map(
      outcomes.filter((o) => o.rows !== undefined).map((o) => [o.source, o.rows as Row[]]),
    );

    if (queries.length > 0 && missing.length === queries.length) {
      return unavailableContext(type, range, missing.map((m) => `${m.source}: ${m.reason}`).join('; '));
    }
    const built = spec.build(new SourceRows(rows, missing), input);
    if (built === null) {
      if (missing.length > 0) {
        return unavailableContext(
          type,
          range,
          `the sources that answered had no rows and ${missing.map((m) => `${m.source} (${m.reason})`).join(', ')} could not be read`,
        );
      }
      return noDataContext(type, range, spec.noDataDetail?.(input));
    }
    let summary = built.summary;
    const data: Record<string, unknown> = { ...built.data };
    if (missing.length > 0) {
      summary += ` Partial context: ${missing.map((m) => `${m.source} is missing (${m.reason})`).join('; ')}.`;
      data['missingSources'] = missing;
    }
    return { type, timeRange: { from: range.from, to: range.to }, summary, data };
  }

  /** Runs every query in parallel under one deadline; never rejects. */
  private async runAll(queries: readonly [string, SourceQuery][]): Promise<Outcome[]> {
    if (queries.length === 0) return [];
    const started = Date.now();
    const controller = new AbortController();
    const settled = new Map<string, Outcome>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error(`deadline of ${this.deadlineMs} ms reached`));
        resolve();
      }, this.deadlineMs);
    });
    const tasks = queries.map(async ([source, query]) => {
      const outcome = await this.runOne(source, query, controller.signal, started);
      settled.set(source, outcome);
    });
    try {
      await Promise.race([Promise.all(tasks), deadline]);
    } finally {
      clearTimeout(timer);
    }
    if (settled.size < queries.length) controller.abort(new Error('deadline reached'));
    return queries.map(
      ([source]) =>
        settled.get(source) ?? { source, reason: `no answer within the ${this.deadlineMs} ms deadline` },
    );
  }

  private async runOne(
    source: string,
    query: SourceQuery,
    signal: AbortSignal,
    started: number,
  ): Promise<Outcome> {
    const datasource = query.engine === 'clickhouse' ? this.clickhouse : this.postgres;
    const engineName = query.engine === 'clickhouse' ? 'ClickHouse' : 'PostgreSQL';
    if (datasource === undefined) return { source, reason: `${engineName} is not configured` };
    const remaining = Math.max(1, Math.ceil(this.deadlineMs - (Date.now() - started)));
    try {
      const result = await datasource.query<Row>(query.sql, {
        params: query.params,
        timeoutMs: remaining,
        signal,
        maxRows: 2_000,
      });
      return { source, rows: result.rows };
    } catch (error) {
      const reason = signal.aborted
        ? `no answer within the ${this.deadlineMs} ms deadline`
        : `${engineName} failed: ${message(error)}`;
      this.logger.warn({ source, engine: query.engine, reason }, 'context source failed');
      return { source, reason };
    }
  }
}

/** The validated query input of a request. */
function buildInput(request: CollectContextRequest, range: TimeRange): QueryInput {
  const duration = Math.max(range.durationMs, 1);
  const baseline = TimeRange.of(range.from.getTime() - duration, range.from.getTime());
  const requested = Number(request.maxItems ?? DEFAULT_MAX_ITEMS);
  const maxItems = Number.isFinite(requested)
    ? Math.min(MAX_ITEMS_LIMIT, Math.max(1, Math.floor(requested)))
    : DEFAULT_MAX_ITEMS;
  const optional = (value: unknown): string | undefined =>
    typeof value === 'string' && value.trim() !== '' ? value : undefined;
  const contextId = optional(request.contextId);
  const userId = optional(request.userId);
  const workspaceId = optional(request.workspaceId);
  const tenantId = optional(request.tenantId);
  return {
    organizationId: request.organizationId,
    range,
    baseline,
    grain: grainFor(range.durationMs),
    maxItems,
    ...(contextId === undefined ? {} : { contextId }),
    ...(userId === undefined ? {} : { userId }),
    ...(workspaceId === undefined ? {} : { workspaceId }),
    ...(tenantId === undefined ? {} : { tenantId }),
  };
}

function message(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}
