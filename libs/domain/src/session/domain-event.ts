/**
 * Domain events: facts that happened to an aggregate. Each carries a unique id, a
 * type, the time it happened and the id of the aggregate it belongs to. Aggregates
 * collect them; whoever persists or observes the aggregate drains them with
 * `pullEvents()` so each event is handled once.
 */

/** Fields every domain event has. */
export interface DomainEventBase<TType extends string, TPayload> {
  /** Unique id of this event. */
  readonly id: string;
  /** Event type, e.g. `SessionCreated`. */
  readonly type: TType;
  /** When it happened. */
  readonly occurredAt: Date;
  /** Id of the aggregate the event belongs to. */
  readonly aggregateId: string;
  /** Event-specific facts. */
  readonly payload: TPayload;
}

/** A session was created for a new client connection. */
export type SessionCreated = DomainEventBase<'SessionCreated', { transport: string }>;
/** The session finished the protocol handshake and is ready to serve. */
export type SessionInitialized = DomainEventBase<
  'SessionInitialized',
  { clientName?: string; clientVersion?: string; protocolVersion?: string }
>;
/** The session was closed. */
export type SessionClosed = DomainEventBase<'SessionClosed', { reason: string; toolCalls: number }>;
/** A tool call finished (successfully or not) within a session. */
export type ToolExecuted = DomainEventBase<
  'ToolExecuted',
  { tool: string; durationMs: number; outcome: 'success' | 'error'; errorCode?: string }
>;
/** A conversation was started. */
export type ConversationCreated = DomainEventBase<
  'ConversationCreated',
  { model: string; sessionId?: string }
>;
/** A message was appended to a conversation. */
export type MessageAdded = DomainEventBase<
  'MessageAdded',
  { messageId: string; role: string; inputTokens: number; outputTokens: number }
>;

/** Every domain event the model emits. */
export type DomainEvent =
  SessionCreated | SessionInitialized | SessionClosed | ToolExecuted | ConversationCreated | MessageAdded;

/** The `type` of any {@link DomainEvent}. */
export type DomainEventType = DomainEvent['type'];

/** Generates unique ids. The domain has no randomness of its own; callers inject this. */
export type IdGenerator = () => string;

/** Builds an event value. Internal helper for aggregates. */
export function makeEvent<E extends DomainEvent>(
  newId: IdGenerator,
  type: E['type'],
  aggregateId: string,
  occurredAt: Date,
  payload: E['payload'],
): E {
  return Object.freeze({ id: newId(), type, aggregateId, occurredAt, payload }) as E;
}

/** Base for aggregates that record events. */
export abstract class AggregateRoot {
  private pending: DomainEvent[] = [];

  /** Records an event for later publication. */
  protected record(event: DomainEvent): void {
    this.pending.push(event);
  }

  /** Returns the events recorded since the last call and forgets them. */
  pullEvents(): DomainEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
