/**
 * Tracks the Session aggregate of every open connection: creates it when the client
 * completes the handshake, records each tool call, closes it when the connection
 * ends, persists snapshots through the SessionStore port, hands the domain events
 * to the EventPublisher port and records openings and closings with the
 * ActivityRecorder. Persistence failures are logged, never thrown: a broken store
 * must not break the protocol.
 *
 * Saves after tool calls are coalesced: at most one write per session every
 * `saveEveryMs` (the latest snapshot), so a busy session does not cost a database
 * write per call. Opening and closing are saved at once.
 */
import { inject, injectable } from 'tsyringe';
import {
  Session,
  TOKENS,
  type ActivityRecorder,
  type ClientInfo,
  type Clock,
  type EventPublisher,
  type IdSource,
  type Logger,
  type SessionSnapshot,
  type SessionState,
  type SessionStore,
} from '@tfo/domain';

/** Keeps sessions in memory; the default store when no database is configured. */
export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionSnapshot>();

  /** Stores a copy of the snapshot. */
  async save(session: SessionSnapshot): Promise<void> {
    this.sessions.set(session.id, { ...session, client: { ...session.client } });
  }

  /** A session by id. */
  async get(id: string): Promise<SessionSnapshot | undefined> {
    return this.sessions.get(id);
  }

  /** Sessions, newest first, optionally filtered by state. */
  async list(filter: { state?: SessionState; limit?: number } = {}): Promise<SessionSnapshot[]> {
    return [...this.sessions.values()]
      .filter((s) => filter.state === undefined || s.state === filter.state)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, filter.limit ?? 100);
  }
}

/** Publishes nothing; the default until an analytics sink is registered. */
export const noopEventPublisher: EventPublisher = { publish: async () => undefined };

/** Open sessions of this process. */
@injectable()
export class SessionRegistry {
  private readonly open = new Map<string, Session>();
  private readonly pendingSaves = new Map<string, ReturnType<typeof setTimeout>>();
  /** Longest delay before a tool call's change is saved; 0 saves at once. */
  saveEveryMs = 1_000;

  constructor(
    @inject(TOKENS.SessionStore) private readonly store: SessionStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.IdSource) private readonly ids: IdSource,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(TOKENS.EventPublisher) private readonly publisher: EventPublisher,
    @inject(TOKENS.ActivityRecorder) private readonly activity: ActivityRecorder,
  ) {}

  /** Number of sessions currently open. */
  get activeCount(): number {
    return this.open.size;
  }

  /** Creates a session and takes it through the handshake to `ready`. */
  start(transport: string, client: ClientInfo, organizationId?: string): Session {
    const now = this.clock.now();
    const session = this.ready(transport, client, organizationId, now);
    this.open.set(session.id, session);
    this.flush(session);
    this.activity.session({
      at: now,
      organizationId: organizationId ?? '',
      sessionId: session.id,
      event: 'opened',
      transport,
      clientName: client.name ?? '',
    });
    return session;
  }

  /**
   * A session that lives for one request of a stateless transport: ready at once, never
   * stored, recorded or tracked (the tool calls made on it are still recorded one by one).
   */
  ephemeral(transport: string, client: ClientInfo, organizationId?: string): Session {
    return this.ready(transport, client, organizationId, this.clock.now());
  }

  /** A new session taken through the handshake to `ready`. */
  private ready(
    transport: string,
    client: ClientInfo,
    organizationId: string | undefined,
    now: Date,
  ): Session {
    const session = Session.create({
      id: this.ids.newId(),
      transport,
      now,
      newId: () => this.ids.newId(),
      ...(organizationId === undefined ? {} : { organizationId }),
    });
    session.beginInitialize(client, now);
    session.markReady(now);
    return session;
  }

  /** Records a finished tool call on an open session. */
  recordToolCall(
    session: Session,
    call: { tool: string; durationMs: number; outcome: 'success' | 'error'; errorCode?: string },
  ): void {
    if (session.state !== 'ready') return;
    session.recordToolCall(call, this.clock.now());
    this.publish(session);
    if (this.saveEveryMs <= 0) {
      this.save(session);
      return;
    }
    if (this.pendingSaves.has(session.id)) return;
    const timer = setTimeout(() => {
      this.pendingSaves.delete(session.id);
      this.save(session);
    }, this.saveEveryMs);
    timer.unref();
    this.pendingSaves.set(session.id, timer);
  }

  /** Writes every coalesced save now (e.g. before shutdown). */
  flushPendingSaves(): void {
    for (const [id, timer] of [...this.pendingSaves]) {
      clearTimeout(timer);
      this.pendingSaves.delete(id);
      const session = this.open.get(id);
      if (session) this.save(session);
    }
  }

  /** Closes a session (idempotent). */
  close(session: Session, reason: string): void {
    if (session.state === 'closed') return;
    const now = this.clock.now();
    session.close(reason, now);
    const pending = this.pendingSaves.get(session.id);
    if (pending) clearTimeout(pending);
    this.pendingSaves.delete(session.id);
    this.open.delete(session.id);
    this.flush(session);
    const snapshot = session.toSnapshot();
    this.activity.session({
      at: now,
      organizationId: snapshot.organizationId ?? '',
      sessionId: session.id,
      event: 'closed',
      transport: snapshot.transport,
      clientName: snapshot.client.name ?? '',
      durationMs: now.getTime() - snapshot.createdAt.getTime(),
      toolCallCount: snapshot.toolCalls,
    });
  }

  /** Closes every open session, e.g. at shutdown. */
  closeAll(reason: string): void {
    for (const session of [...this.open.values()]) this.close(session, reason);
  }

  private flush(session: Session): void {
    this.publish(session);
    this.save(session);
  }

  private save(session: Session): void {
    const snapshot = session.toSnapshot();
    this.store.save(snapshot).catch((error: unknown) => {
      this.logger.warn({ err: error, sessionId: snapshot.id }, 'could not persist session');
    });
  }

  private publish(session: Session): void {
    const events = session.pullEvents();
    for (const event of events) {
      this.logger.debug(
        { event: event.type, sessionId: event.aggregateId, payload: event.payload },
        'domain event',
      );
    }
    if (events.length > 0) {
      this.publisher.publish(events).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not publish domain events');
      });
    }
  }
}
