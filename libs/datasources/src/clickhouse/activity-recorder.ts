/**
 * The server's own activity in ClickHouse: tool calls, resource reads, errors, LLM usage and
 * session events, written in batches to tool_calls, resource_reads, error_analytics, api_usage
 * and session_analytics (whose rollups the ch_*_analytics tools read).
 *
 * Invariants:
 * - Recording never blocks and never throws: rows go to an in-memory buffer; a timer (unref'd,
 *   so it never keeps the process alive) flushes them, as does a full batch.
 * - Bounded: each table keeps at most `maxBuffered` rows while ClickHouse is unavailable or
 *   still starting; beyond that the oldest are dropped and counted in {@link stats}.
 * - A failed insert keeps its rows for the next flush (within the bound); the first failure of
 *   a streak is logged as a warning, the rest at debug. While failing, only the timer retries,
 *   with exponential back-off (up to 30 s): a full batch does not trigger another attempt.
 * - `close()` stops the timer and makes one last flush attempt.
 */
import {
  noopLogger,
  type ActivityRecorder,
  type ActivityTenant,
  type ErrorRecord,
  type LlmUsageRecord,
  type Logger,
  type ResourceReadRecord,
  type SessionActivityRecord,
  type ToolCallRecord,
} from '@tfo/domain';
import type { ClickHouseWriter } from './clickhouse-writer.js';

/** Options of {@link ClickHouseActivityRecorder}. */
export interface ClickHouseActivityRecorderOptions {
  /** The writer, or a function returning it once ClickHouse is open (undefined until then). */
  writer: ClickHouseWriter | (() => ClickHouseWriter | undefined);
  logger?: Logger;
  /** Milliseconds between flushes. Default 1000. */
  flushIntervalMs?: number;
  /** Rows that trigger an immediate flush of a table. Default 500. */
  batchSize?: number;
  /** Most rows kept per table while they cannot be written. Default 10000. */
  maxBuffered?: number;
}

/** Counters of a recorder. */
export interface ActivityRecorderStats {
  written: number;
  dropped: number;
  failedFlushes: number;
  buffered: number;
}

type Row = Record<string, unknown>;

/** `2026-11-21 10:00:00.000`: the DateTime64(3) text form ClickHouse parses in any input mode. */
export function toClickHouseDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function tenant(record: ActivityTenant): Row {
  return {
    organization_id: record.organizationId,
    workspace_id: record.workspaceId ?? '',
    tenant_id: record.tenantId ?? '',
  };
}

function uriScheme(uri: string): string {
  const colon = uri.indexOf(':');
  return colon > 0 ? uri.slice(0, colon) : '';
}

const TABLES = ['tool_calls', 'resource_reads', 'error_analytics', 'api_usage', 'session_analytics'] as const;
type Table = (typeof TABLES)[number];

/** {@link ActivityRecorder} over ClickHouse; see the module header. */
export class ClickHouseActivityRecorder implements ActivityRecorder {
  private readonly buffers = new Map<Table, Row[]>(TABLES.map((t) => [t, []]));
  private readonly writerOf: () => ClickHouseWriter | undefined;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private readonly timer: ReturnType<typeof setInterval>;
  private flushing: Promise<void> | undefined;
  private failing = false;
  private retryDelayMs = 0;
  private retryAt = 0;
  private closed = false;
  private counters = { written: 0, dropped: 0, failedFlushes: 0 };

  constructor(options: ClickHouseActivityRecorderOptions) {
    const { writer } = options;
    this.writerOf = typeof writer === 'function' ? writer : () => writer;
    this.logger = (options.logger ?? noopLogger).child({ component: 'activity-recorder' });
    this.batchSize = options.batchSize ?? 500;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1_000);
    this.timer.unref();
  }

  /** Counters since start. */
  get stats(): ActivityRecorderStats {
    let buffered = 0;
    for (const rows of this.buffers.values()) buffered += rows.length;
    return { ...this.counters, buffered };
  }

  toolCall(r: ToolCallRecord): void {
    this.push('tool_calls', {
      ...tenant(r),
      timestamp: toClickHouseDateTime(r.at),
      call_id: r.callId,
      session_id: r.sessionId,
      tool_name: r.tool,
      arguments_digest: r.argumentsDigest,
      duration_ms: Math.max(0, Math.round(r.durationMs)),
      outcome: r.outcome,
      error_code: r.errorCode ?? '',
      caller: r.caller,
    });
  }

  resourceRead(r: ResourceReadRecord): void {
    this.push('resource_reads', {
      ...tenant(r),
      timestamp: toClickHouseDateTime(r.at),
      session_id: r.sessionId,
      uri_scheme: uriScheme(r.uri),
      uri: r.uri,
      duration_ms: Math.max(0, Math.round(r.durationMs)),
      outcome: r.outcome,
      error_code: r.errorCode ?? '',
      caller: r.caller,
    });
  }

  error(r: ErrorRecord): void {
    this.push('error_analytics', {
      ...tenant(r),
      timestamp: toClickHouseDateTime(r.at),
      session_id: r.sessionId ?? '',
      source: r.source,
      error_code: r.errorCode,
      error_class: r.errorClass,
      message: r.message.slice(0, 2_000),
      tool_name: r.tool ?? '',
    });
  }

  llmUsage(r: LlmUsageRecord): void {
    this.push('api_usage', {
      ...tenant(r),
      timestamp: toClickHouseDateTime(r.at),
      session_id: r.sessionId ?? '',
      provider: r.provider,
      model: r.model,
      operation: r.operation,
      input_tokens: r.inputTokens,
      output_tokens: r.outputTokens,
      cost_usd: r.costUsd ?? 0,
      duration_ms: Math.max(0, Math.round(r.durationMs)),
      success: r.success,
      caller: r.caller ?? '',
    });
  }

  session(r: SessionActivityRecord): void {
    this.push('session_analytics', {
      ...tenant(r),
      timestamp: toClickHouseDateTime(r.at),
      session_id: r.sessionId,
      event: r.event,
      transport: r.transport,
      client_name: r.clientName,
      duration_ms: Math.max(0, Math.round(r.durationMs ?? 0)),
      tool_call_count: r.toolCallCount ?? 0,
    });
  }

  /**
   * Writes what is buffered (one flush at a time); resolves when done, never rejects. While
   * writes are failing, a flush before the back-off has passed does nothing unless `force`d.
   */
  flush(force = false): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.failing && !force && Date.now() < this.retryAt) return Promise.resolve();
    const writer = this.writerOf();
    if (writer === undefined) return Promise.resolve();
    this.flushing = this.writeAll(writer).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Stops the timer and flushes once more. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush(true);
    if (this.flushing) await this.flushing;
    await this.flush(true);
  }

  private push(table: Table, row: Row): void {
    const rows = this.buffers.get(table) as Row[];
    rows.push(row);
    if (rows.length > this.maxBuffered) {
      const excess = rows.length - this.maxBuffered;
      rows.splice(0, excess);
      this.counters.dropped += excess;
    }
    if (rows.length >= this.batchSize && !this.closed && !this.failing) void this.flush();
  }

  private async writeAll(writer: ClickHouseWriter): Promise<void> {
    for (const table of TABLES) {
      const rows = this.buffers.get(table) as Row[];
      if (rows.length === 0) continue;
      const batch = rows.splice(0, rows.length);
      try {
        await writer.insert(table, batch);
        this.counters.written += batch.length;
        if (this.failing) this.logger.info({ table }, 'activity recording resumed');
        this.failing = false;
        this.retryDelayMs = 0;
      } catch (error) {
        this.counters.failedFlushes += 1;
        // Put the batch back in front of anything recorded meanwhile, within the bound.
        rows.unshift(...batch);
        if (rows.length > this.maxBuffered) {
          const excess = rows.length - this.maxBuffered;
          rows.splice(0, excess);
          this.counters.dropped += excess;
        }
        const fields = { table, buffered: rows.length, err: (error as Error).message };
        if (this.failing) this.logger.debug(fields, 'activity recording still failing');
        else this.logger.warn(fields, 'could not record activity in ClickHouse; keeping it buffered');
        this.failing = true;
        this.retryDelayMs = Math.min(30_000, Math.max(1_000, this.retryDelayMs * 2));
        this.retryAt = Date.now() + this.retryDelayMs;
        return;
      }
    }
  }
}
