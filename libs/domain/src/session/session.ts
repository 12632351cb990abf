/**
 * Session aggregate: one per client connection. Its lifecycle is the original
 * server's state machine:
 *
 *   created → initializing → ready → closing → closed
 *
 * Any other transition is an {@link InvalidStateError}. Closing is allowed from every
 * state but `closed` (a client may disconnect at any moment); closing a closed session
 * is a no-op so shutdown paths can be idempotent.
 */
import { InvalidStateError } from '../errors/index.js';
import {
  AggregateRoot,
  makeEvent,
  type IdGenerator,
  type SessionClosed,
  type SessionCreated,
  type SessionInitialized,
  type ToolExecuted,
} from './domain-event.js';

/** Lifecycle states of a {@link Session}. */
export const SESSION_STATES = ['created', 'initializing', 'ready', 'closing', 'closed'] as const;
/** One of {@link SESSION_STATES}. */
export type SessionState = (typeof SESSION_STATES)[number];

const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  created: ['initializing', 'closing'],
  initializing: ['ready', 'closing'],
  ready: ['closing'],
  closing: ['closed'],
  closed: [],
};

/** Information about the connected client, learned during the handshake. */
export interface ClientInfo {
  name?: string;
  version?: string;
  protocolVersion?: string;
}

/** A plain, serialisable view of a session (what stores persist). */
export interface SessionSnapshot {
  id: string;
  transport: string;
  state: SessionState;
  organizationId?: string;
  client: ClientInfo;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
  toolCalls: number;
  toolErrors: number;
}

/** Session aggregate root. Create with {@link Session.create}. */
export class Session extends AggregateRoot {
  private constructor(
    private snapshot: SessionSnapshot,
    private readonly newId: IdGenerator,
  ) {
    super();
  }

  /** Starts a session in `created` and records `SessionCreated`. */
  static create(args: {
    id: string;
    transport: string;
    now: Date;
    newId: IdGenerator;
    organizationId?: string;
  }): Session {
    const session = new Session(
      {
        id: args.id,
        transport: args.transport,
        state: 'created',
        ...(args.organizationId === undefined ? {} : { organizationId: args.organizationId }),
        client: {},
        createdAt: args.now,
        updatedAt: args.now,
        toolCalls: 0,
        toolErrors: 0,
      },
      args.newId,
    );
    session.record(
      makeEvent<SessionCreated>(args.newId, 'SessionCreated', args.id, args.now, {
        transport: args.transport,
      }),
    );
    return session;
  }

  /** Rebuilds a session from a stored snapshot (records no events). */
  static restore(snapshot: SessionSnapshot, newId: IdGenerator): Session {
    return new Session({ ...snapshot, client: { ...snapshot.client } }, newId);
  }

  /** Session id. */
  get id(): string {
    return this.snapshot.id;
  }

  /** Current lifecycle state. */
  get state(): SessionState {
    return this.snapshot.state;
  }

  /** The organization the session acts for, when known. */
  get organizationId(): string | undefined {
    return this.snapshot.organizationId;
  }

  /** A copy of the current state. */
  toSnapshot(): SessionSnapshot {
    return { ...this.snapshot, client: { ...this.snapshot.client } };
  }

  /** The client began the handshake. */
  beginInitialize(client: ClientInfo, now: Date): void {
    this.transition('initializing', now);
    this.snapshot.client = { ...client };
  }

  /** The handshake completed; records `SessionInitialized`. */
  markReady(now: Date): void {
    this.transition('ready', now);
    const { name, version, protocolVersion } = this.snapshot.client;
    this.record(
      makeEvent<SessionInitialized>(this.newId, 'SessionInitialized', this.id, now, {
        ...(name === undefined ? {} : { clientName: name }),
        ...(version === undefined ? {} : { clientVersion: version }),
        ...(protocolVersion === undefined ? {} : { protocolVersion }),
      }),
    );
  }

  /** Records a finished tool call; only a `ready` session serves tools. */
  recordToolCall(
    call: { tool: string; durationMs: number; outcome: 'success' | 'error'; errorCode?: string },
    now: Date,
  ): void {
    if (this.snapshot.state !== 'ready') {
      throw new InvalidStateError(
        `Session ${this.id} is ${this.snapshot.state}; tools run only when it is ready`,
        {
          details: { state: this.snapshot.state },
        },
      );
    }
    this.snapshot.toolCalls += 1;
    if (call.outcome === 'error') this.snapshot.toolErrors += 1;
    this.snapshot.updatedAt = now;
    this.record(makeEvent<ToolExecuted>(this.newId, 'ToolExecuted', this.id, now, { ...call }));
  }

  /** Closes the session (closing → closed) and records `SessionClosed`. Idempotent once closed. */
  close(reason: string, now: Date): void {
    if (this.snapshot.state === 'closed') return;
    if (this.snapshot.state !== 'closing') this.transition('closing', now);
    this.transition('closed', now);
    this.snapshot.closedAt = now;
    this.record(
      makeEvent<SessionClosed>(this.newId, 'SessionClosed', this.id, now, {
        reason,
        toolCalls: this.snapshot.toolCalls,
      }),
    );
  }

  private transition(to: SessionState, now: Date): void {
    const from = this.snapshot.state;
    if (!TRANSITIONS[from].includes(to)) {
      throw new InvalidStateError(
        `Session ${this.id} cannot go from ${from} to ${to}; allowed from ${from}: ${
          TRANSITIONS[from].join(', ') || 'none'
        }`,
        { details: { from, to, allowed: [...TRANSITIONS[from]] } },
      );
    }
    this.snapshot.state = to;
    this.snapshot.updatedAt = now;
  }
}
