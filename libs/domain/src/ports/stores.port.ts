/**
 * Persistence ports for the aggregates. In memory for the bare stdio server,
 * PostgreSQL when a datasource is configured (implemented by @tfo/datasources).
 */
import type { ConversationSnapshot } from '../session/conversation.js';
import type { DomainEvent } from '../session/domain-event.js';
import type { SessionSnapshot, SessionState } from '../session/session.js';

/** Stores sessions. */
export interface SessionStore {
  save(session: SessionSnapshot): Promise<void>;
  get(id: string): Promise<SessionSnapshot | undefined>;
  list(filter?: { state?: SessionState; limit?: number }): Promise<SessionSnapshot[]>;
}

/** Stores conversations with their messages. */
export interface ConversationStore {
  save(conversation: ConversationSnapshot): Promise<void>;
  get(id: string): Promise<ConversationSnapshot | undefined>;
}

/** Receives domain events after an aggregate changed (audit, analytics, metrics). */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
