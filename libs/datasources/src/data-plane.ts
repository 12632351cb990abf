/**
 * The data plane of a running server: both engines opened in the background, read-only
 * datasources that exist from the first moment, the session, conversation and API key stores, the
 * activity recorder, health checks, the demo estate, and an orderly shutdown.
 *
 * Invariants:
 * - Start-up never blocks the protocol: `start()` returns at once. A query that arrives while an
 *   engine is still starting waits for it up to `startWaitMs`, then fails with
 *   `DATASOURCE.STARTING`; a query against an engine that failed to open fails at once with
 *   `DATASOURCE.UNAVAILABLE` and the reason.
 * - An engine that failed to open is retried with exponential back-off (up to `maxRetryDelayMs`),
 *   so the server recovers when a configured server comes back. An engine that was open and
 *   then went away is the drivers' business: their pools reconnect on the next query.
 * - Sessions saved before PostgreSQL is ready are kept in memory (latest snapshot per session,
 *   bounded) and written once it is; activity waits in the recorder's bounded buffer.
 * - API key look-ups and issues wait for PostgreSQL like queries do; a key used before it is
 *   open is not touched (its `last_used_at` is a hint, not a record).
 * - The demo estate is loaded only after both engines are open, and only when `demo` is given.
 * - `close()` is idempotent: it stops retries and the demo loader, flushes the recorder and the
 *   pending sessions, then closes ClickHouse and PostgreSQL.
 */
import {
  DependencyError,
  isTfoError,
  noopLogger,
  type ApiKeyRecord,
  type ApiKeyStore,
  type ConversationSnapshot,
  type ConversationStore,
  type IssueApiKeyInput,
  type IssuedApiKey,
  type Logger,
  type QueryOptions,
  type QueryResult,
  type SessionSnapshot,
  type SessionState,
  type SessionStore,
  type SqlDatasource,
  type SqlEngine,
} from '@tfo/domain';
import { ClickHouseActivityRecorder } from './clickhouse/activity-recorder.js';
import { PostgresApiKeyStore } from './postgres/api-key-store.js';
import {
  openClickHouse,
  openPostgres,
  type OpenClickHouseOptions,
  type OpenedClickHouse,
  type OpenedPostgres,
  type OpenPostgresOptions,
  type QueryBudgets,
} from './open.js';

/** Lifecycle of one engine in the plane. */
export type EngineState = 'starting' | 'ready' | 'failed' | 'closed';

/** What the plane reports about one engine. */
export interface EngineStatus {
  state: EngineState;
  /** `embedded` or `server`, once open. */
  kind?: 'embedded' | 'server';
  /** Where it runs, once open. */
  location?: string;
  /** Why it is not ready (failed). */
  reason?: string;
  /** Open attempts so far. */
  attempts: number;
}

/** Progress of the demo loader. */
export interface DemoStatus {
  state: 'disabled' | 'waiting' | 'loading' | 'loaded' | 'failed';
  detail?: string;
}

/** Loads the demo estate once both engines are open (the plane stays independent of the generator). */
export type DemoLoader = (engines: {
  postgres: OpenedPostgres;
  clickhouse: OpenedClickHouse;
  signal: AbortSignal;
  progress: (detail: string) => void;
}) => Promise<string>;

/** Options of {@link DataPlane}. */
export interface DataPlaneOptions {
  /** Directory of the embedded engines' data. */
  dataDir: string;
  postgres: Omit<OpenPostgresOptions, 'dataDir' | 'budgets' | 'logger'>;
  clickhouse: Omit<OpenClickHouseOptions, 'dataDir' | 'budgets' | 'logger'>;
  /** Budgets of every query. */
  budgets: QueryBudgets;
  logger?: Logger;
  /** How long a query waits for an engine that is still starting. Default `budgets.timeoutMs`. */
  startWaitMs?: number;
  /** First retry delay after a failed open. Default 2000. */
  retryDelayMs?: number;
  /** Longest retry delay. Default 60000. */
  maxRetryDelayMs?: number;
  /** Loads the demo estate; called once both engines are open. */
  demo?: DemoLoader;
  /** Flush interval of the activity recorder. Default 1000. */
  activityFlushMs?: number;
}

const ENGINE_NAMES: Record<SqlEngine, string> = { postgresql: 'PostgreSQL', clickhouse: 'ClickHouse' };

/** One engine's slot: its state, the opened handle, waiters. */
interface OpenedEngine {
  readonly kind: 'embedded' | 'server';
  readonly location: string;
  readonly datasource: SqlDatasource;
  close(): Promise<void>;
}

class EngineSlot<T extends OpenedEngine> {
  status: EngineStatus = { state: 'starting', attempts: 0 };
  opened: T | undefined;
  private waiters: (() => void)[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly engine: SqlEngine,
    private readonly open: () => Promise<T>,
    private readonly logger: Logger,
    private readonly retry: { first: number; max: number },
    private readonly onReady: () => void,
  ) {}

  start(): void {
    void this.attempt();
  }

  /** Resolves when the state leaves `starting` or `ms` pass. */
  async settled(ms: number): Promise<void> {
    if (this.status.state !== 'starting') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  async close(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const opened = this.opened;
    this.opened = undefined;
    this.setState({ ...this.status, state: 'closed' });
    if (opened) await opened.close();
  }

  private async attempt(): Promise<void> {
    if (this.isClosed()) return;
    this.status.attempts += 1;
    try {
      const opened = await this.open();
      if (this.isClosed()) {
        await opened.close();
        return;
      }
      this.opened = opened;
      this.setState({
        state: 'ready',
        attempts: this.status.attempts,
        kind: opened.kind,
        location: opened.location,
      });
      this.onReady();
    } catch (error) {
      if (this.isClosed()) return;
      const reason = error instanceof Error ? error.message : String(error);
      const delay = Math.min(this.retry.max, this.retry.first * 2 ** Math.min(10, this.status.attempts - 1));
      const fields = { engine: this.engine, attempt: this.status.attempts, retryInMs: delay, reason };
      if (this.status.attempts === 1)
        this.logger.error(fields, `${ENGINE_NAMES[this.engine]} is unavailable`);
      else this.logger.warn(fields, `${ENGINE_NAMES[this.engine]} is still unavailable`);
      this.setState({ state: 'failed', attempts: this.status.attempts, reason });
      this.retryTimer = setTimeout(() => void this.attempt(), delay);
      this.retryTimer.unref();
    }
  }

  private isClosed(): boolean {
    return this.status.state === 'closed';
  }

  private setState(status: EngineStatus): void {
    this.status = status;
    if (status.state !== 'starting') for (const wake of this.waiters.splice(0)) wake();
  }
}

/** A datasource that forwards to an engine once open; see the module header. */
class DeferredDatasource implements SqlDatasource {
  constructor(
    readonly engine: SqlEngine,
    private readonly slot: EngineSlot<OpenedEngine>,
    private readonly startWaitMs: number,
  ) {}

  async query<Row = Record<string, unknown>>(sql: string, options?: QueryOptions): Promise<QueryResult<Row>> {
    return (await this.current()).query<Row>(sql, options);
  }

  async ping(timeoutMs?: number): Promise<boolean> {
    const opened = this.slot.opened;
    return opened ? opened.datasource.ping(timeoutMs) : false;
  }

  /** The plane closes the engines; closing a handle does nothing. */
  async close(): Promise<void> {}

  private async current(): Promise<SqlDatasource> {
    await this.slot.settled(this.startWaitMs);
    if (this.slot.opened) return this.slot.opened.datasource;
    throw notReady(this.slot, this.startWaitMs);
  }
}

/** Why an engine that is not open cannot serve a call (after waiting `waitedMs` for it). */
function notReady(slot: EngineSlot<OpenedEngine>, waitedMs: number): DependencyError {
  const { status, engine } = slot;
  const name = ENGINE_NAMES[engine];
  if (status.state === 'starting') {
    return new DependencyError(`${name} is still starting (waited ${waitedMs} ms); retry in a few seconds.`, {
      code: 'DATASOURCE.STARTING',
      details: { engine },
    });
  }
  if (status.state === 'closed') {
    return new DependencyError(`${name} is shut down; the server is stopping.`, {
      code: 'DATASOURCE.UNAVAILABLE',
      details: { engine },
    });
  }
  return new DependencyError(
    `${name} is unavailable: ${status.reason ?? 'it failed to open'}. The server keeps retrying; check the ` +
      `${engine === 'postgresql' ? 'postgres' : 'clickhouse'}.* configuration or the engine, then call again.`,
    { code: 'DATASOURCE.UNAVAILABLE', details: { engine, attempts: status.attempts } },
  );
}

/** Sessions in PostgreSQL once it is open; the latest snapshots wait in memory until then. */
class PlaneSessionStore implements SessionStore {
  private readonly pending = new Map<string, SessionSnapshot>();

  constructor(
    private readonly slot: EngineSlot<OpenedPostgres>,
    private readonly logger: Logger,
    private readonly maxPending = 1_000,
  ) {}

  async save(session: SessionSnapshot): Promise<void> {
    const pg = this.slot.opened;
    if (pg) {
      await pg.sessions.save(session);
      return;
    }
    this.pending.delete(session.id);
    this.pending.set(session.id, session);
    if (this.pending.size > this.maxPending) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
    }
  }

  async get(id: string): Promise<SessionSnapshot | undefined> {
    const pg = this.slot.opened;
    return pg ? pg.sessions.get(id) : this.pending.get(id);
  }

  async list(filter?: { state?: SessionState; limit?: number }): Promise<SessionSnapshot[]> {
    const pg = this.slot.opened;
    if (pg) return pg.sessions.list(filter);
    return [...this.pending.values()]
      .filter((s) => filter?.state === undefined || s.state === filter.state)
      .slice(0, filter?.limit ?? 100);
  }

  /** Writes the snapshots saved before PostgreSQL was open. */
  async flushPending(): Promise<void> {
    const pg = this.slot.opened;
    if (!pg) return;
    for (const [id, snapshot] of [...this.pending]) {
      try {
        await pg.sessions.save(snapshot);
        this.pending.delete(id);
      } catch (error) {
        this.logger.warn({ sessionId: id, err: (error as Error).message }, 'could not persist session');
        return;
      }
    }
  }
}

/** Conversations in PostgreSQL; saving before it is open fails with the datasource's reason. */
class PlaneConversationStore implements ConversationStore {
  constructor(private readonly slot: EngineSlot<OpenedPostgres>) {}

  async save(conversation: ConversationSnapshot): Promise<void> {
    await this.pg().conversations.save(conversation);
  }

  async get(id: string): Promise<ConversationSnapshot | undefined> {
    return this.pg().conversations.get(id);
  }

  private pg(): OpenedPostgres {
    const pg = this.slot.opened;
    if (!pg) {
      throw new DependencyError(
        `PostgreSQL is ${this.slot.status.state}; conversations cannot be stored yet.`,
        { code: this.slot.status.state === 'starting' ? 'DATASOURCE.STARTING' : 'DATASOURCE.UNAVAILABLE' },
      );
    }
    return pg;
  }
}

/** API keys in PostgreSQL once it is open; look-ups and issues wait for it like queries do. */
class PlaneApiKeyStore implements ApiKeyStore {
  private bound: { writer: OpenedPostgres['writer']; store: PostgresApiKeyStore } | undefined;

  constructor(
    private readonly slot: EngineSlot<OpenedPostgres>,
    private readonly startWaitMs: number,
  ) {}

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return (await this.current()).findByHash(hash);
  }

  async issue(input: IssueApiKeyInput): Promise<IssuedApiKey> {
    return (await this.current()).issue(input);
  }

  async touch(id: string, at: Date): Promise<void> {
    const pg = this.slot.opened;
    if (pg) await this.storeOf(pg).touch(id, at);
  }

  private async current(): Promise<PostgresApiKeyStore> {
    await this.slot.settled(this.startWaitMs);
    const pg = this.slot.opened;
    if (!pg) throw notReady(this.slot, this.startWaitMs);
    return this.storeOf(pg);
  }

  /** One store per opened PostgreSQL, so the touch coalescing survives between calls. */
  private storeOf(pg: OpenedPostgres): PostgresApiKeyStore {
    if (this.bound?.writer !== pg.writer)
      this.bound = { writer: pg.writer, store: new PostgresApiKeyStore(pg.writer) };
    return this.bound.store;
  }
}

/** Both engines of a server and what is built on them; see the module header. */
export class DataPlane {
  /** Read-only PostgreSQL queries. */
  readonly postgres: SqlDatasource;
  /** Read-only ClickHouse queries. */
  readonly clickhouse: SqlDatasource;
  /** The server's sessions (PostgreSQL). */
  readonly sessions: SessionStore;
  /** The server's conversations (PostgreSQL). */
  readonly conversations: ConversationStore;
  /** The platform's API keys (PostgreSQL). */
  readonly apiKeys: ApiKeyStore;
  /** The server's own activity (ClickHouse). */
  readonly activity: ClickHouseActivityRecorder;

  private readonly logger: Logger;
  private readonly pg: EngineSlot<OpenedPostgres>;
  private readonly ch: EngineSlot<OpenedClickHouse>;
  private readonly sessionStore: PlaneSessionStore;
  private readonly demoAbort = new AbortController();
  private demo: DemoStatus;
  private demoRun: Promise<void> | undefined;
  private started = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: DataPlaneOptions) {
    this.logger = options.logger ?? noopLogger;
    const retry = { first: options.retryDelayMs ?? 2_000, max: options.maxRetryDelayMs ?? 60_000 };
    const startWaitMs = options.startWaitMs ?? options.budgets.timeoutMs;
    this.pg = new EngineSlot(
      'postgresql',
      () =>
        openPostgres({
          ...options.postgres,
          dataDir: options.dataDir,
          budgets: options.budgets,
          logger: this.logger,
        }),
      this.logger,
      retry,
      () => this.onEngineReady('postgresql'),
    );
    this.ch = new EngineSlot(
      'clickhouse',
      () =>
        openClickHouse({
          ...options.clickhouse,
          dataDir: options.dataDir,
          budgets: options.budgets,
          logger: this.logger,
        }),
      this.logger,
      retry,
      () => this.onEngineReady('clickhouse'),
    );
    this.postgres = new DeferredDatasource('postgresql', this.pg, startWaitMs);
    this.clickhouse = new DeferredDatasource('clickhouse', this.ch, startWaitMs);
    this.sessionStore = new PlaneSessionStore(this.pg, this.logger);
    this.sessions = this.sessionStore;
    this.conversations = new PlaneConversationStore(this.pg);
    this.apiKeys = new PlaneApiKeyStore(this.pg, startWaitMs);
    this.activity = new ClickHouseActivityRecorder({
      writer: () => this.ch.opened?.writer,
      logger: this.logger,
      ...(options.activityFlushMs === undefined ? {} : { flushIntervalMs: options.activityFlushMs }),
    });
    this.demo = { state: options.demo ? 'waiting' : 'disabled' };
  }

  /** Begins opening both engines; returns at once. */
  start(): this {
    if (!this.started) {
      this.started = true;
      this.pg.start();
      this.ch.start();
    }
    return this;
  }

  /** Resolves when both engines have opened or failed once (and the demo load, if any, has settled). */
  async settled(ms = 600_000): Promise<void> {
    await Promise.all([this.pg.settled(ms), this.ch.settled(ms)]);
    if (this.demoRun) await this.demoRun;
  }

  /** The state of each engine and of the demo estate. */
  status(): { postgres: EngineStatus; clickhouse: EngineStatus; demo: DemoStatus } {
    return { postgres: { ...this.pg.status }, clickhouse: { ...this.ch.status }, demo: { ...this.demo } };
  }

  /** The opened engines (writers included) when ready; for the demo loader, benchmarks and tests. */
  engines(): { postgres?: OpenedPostgres; clickhouse?: OpenedClickHouse } {
    return {
      ...(this.pg.opened ? { postgres: this.pg.opened } : {}),
      ...(this.ch.opened ? { clickhouse: this.ch.opened } : {}),
    };
  }

  /** Health checks in the shape `status://health` lists (name, check). */
  healthChecks(): {
    name: string;
    check(): Promise<{ status: 'up' | 'down' | 'disabled'; detail?: string }>;
  }[] {
    const engine = (name: string, slot: EngineSlot<OpenedEngine>) => ({
      name,
      check: async () => {
        const { state, kind, location, reason } = slot.status;
        if (state !== 'ready' || !slot.opened) {
          return { status: 'down' as const, detail: state === 'failed' ? `failed: ${reason ?? ''}` : state };
        }
        const up = await slot.opened.datasource.ping(2_000);
        return {
          status: up ? ('up' as const) : ('down' as const),
          detail: `${kind ?? ''} ${location ?? ''}`.trim(),
        };
      },
    });
    return [
      engine('postgresql', this.pg),
      engine('clickhouse', this.ch),
      {
        name: 'demo-estate',
        check: async () => {
          const { state, detail } = this.demo;
          if (state === 'disabled') return { status: 'disabled' as const };
          const status = state === 'failed' ? ('down' as const) : ('up' as const);
          return { status, detail: detail ? `${state}: ${detail}` : state };
        },
      },
    ];
  }

  /** Stops everything (idempotent); see the module header. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.demoAbort.abort();
      await this.demoRun?.catch(() => undefined);
      await this.sessionStore.flushPending().catch(() => undefined);
      await this.activity.close();
      await Promise.all([
        this.ch
          .close()
          .catch((error: unknown) => this.logger.warn({ err: error }, 'closing ClickHouse failed')),
        this.pg
          .close()
          .catch((error: unknown) => this.logger.warn({ err: error }, 'closing PostgreSQL failed')),
      ]);
    })();
    return this.closing;
  }

  private onEngineReady(engine: SqlEngine): void {
    if (engine === 'postgresql') void this.sessionStore.flushPending();
    if (engine === 'clickhouse') void this.activity.flush();
    const postgres = this.pg.opened;
    const clickhouse = this.ch.opened;
    const loader = this.options.demo;
    if (!loader || !postgres || !clickhouse || this.demoRun || this.demo.state !== 'waiting') return;
    this.demo = { state: 'loading' };
    this.demoRun = loader({
      postgres,
      clickhouse,
      signal: this.demoAbort.signal,
      progress: (detail) => {
        this.demo = { state: 'loading', detail };
      },
    }).then(
      (summary) => {
        this.demo = { state: 'loaded', detail: summary };
      },
      (error: unknown) => {
        const aborted = this.demoAbort.signal.aborted;
        const message = isTfoError(error) || error instanceof Error ? error.message : String(error);
        this.demo = { state: 'failed', detail: aborted ? 'stopped by shutdown' : message };
        if (!aborted) this.logger.error({ err: message }, 'loading the demo estate failed');
      },
    );
  }
}
