/**
 * Conversation aggregate: an exchange with a language model. It keeps the ordered
 * messages (role + content blocks), running token totals, and a status:
 *
 *   active ⇄ paused, active → completed, any open state → error
 *
 * Messages may be added only while `active`. Token counts are non-negative integers.
 */
import { InvalidStateError, ValidationError } from '../errors/index.js';
import {
  AggregateRoot,
  makeEvent,
  type ConversationCreated,
  type IdGenerator,
  type MessageAdded,
} from './domain-event.js';

/** Who wrote a message. */
export const MESSAGE_ROLES = ['system', 'user', 'assistant', 'tool'] as const;
/** One of {@link MESSAGE_ROLES}. */
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** Conversation states. */
export const CONVERSATION_STATUSES = ['active', 'paused', 'completed', 'error'] as const;
/** One of {@link CONVERSATION_STATUSES}. */
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** A block of message content. */
export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; toolUseId: string; content: string; isError?: boolean };

/** One message in a conversation. */
export interface Message {
  id: string;
  role: MessageRole;
  content: ContentBlock[];
  createdAt: Date;
  inputTokens: number;
  outputTokens: number;
  model?: string;
}

/** A plain, serialisable view of a conversation (what stores persist). */
export interface ConversationSnapshot {
  id: string;
  sessionId?: string;
  organizationId?: string;
  model: string;
  systemPrompt?: string;
  status: ConversationStatus;
  messages: Message[];
  totalInputTokens: number;
  totalOutputTokens: number;
  createdAt: Date;
  updatedAt: Date;
  errorMessage?: string;
}

const STATUS_TRANSITIONS: Record<ConversationStatus, readonly ConversationStatus[]> = {
  active: ['paused', 'completed', 'error'],
  paused: ['active', 'error'],
  completed: [],
  error: [],
};

function assertTokens(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError(`${name} must be a non-negative integer, got ${value}`, {
      details: { [name]: value },
    });
  }
}

/** Conversation aggregate root. Create with {@link Conversation.create}. */
export class Conversation extends AggregateRoot {
  private constructor(
    private snapshot: ConversationSnapshot,
    private readonly newId: IdGenerator,
  ) {
    super();
  }

  /** Starts an `active` conversation and records `ConversationCreated`. */
  static create(args: {
    id: string;
    model: string;
    now: Date;
    newId: IdGenerator;
    sessionId?: string;
    organizationId?: string;
    systemPrompt?: string;
  }): Conversation {
    if (!args.model.trim()) throw new ValidationError('A conversation needs a model id');
    const c = new Conversation(
      {
        id: args.id,
        model: args.model,
        ...(args.sessionId === undefined ? {} : { sessionId: args.sessionId }),
        ...(args.organizationId === undefined ? {} : { organizationId: args.organizationId }),
        ...(args.systemPrompt === undefined ? {} : { systemPrompt: args.systemPrompt }),
        status: 'active',
        messages: [],
        totalInputTokens: 0,
        totalOutputTokens: 0,
        createdAt: args.now,
        updatedAt: args.now,
      },
      args.newId,
    );
    c.record(
      makeEvent<ConversationCreated>(args.newId, 'ConversationCreated', args.id, args.now, {
        model: args.model,
        ...(args.sessionId === undefined ? {} : { sessionId: args.sessionId }),
      }),
    );
    return c;
  }

  /** Rebuilds a conversation from a stored snapshot (records no events). */
  static restore(snapshot: ConversationSnapshot, newId: IdGenerator): Conversation {
    return new Conversation(structuredClone(snapshot), newId);
  }

  /** Conversation id. */
  get id(): string {
    return this.snapshot.id;
  }

  /** Current status. */
  get status(): ConversationStatus {
    return this.snapshot.status;
  }

  /** Messages in order (copies). */
  get messages(): readonly Message[] {
    return this.snapshot.messages.map((m) => structuredClone(m));
  }

  /** A deep copy of the current state. */
  toSnapshot(): ConversationSnapshot {
    return structuredClone(this.snapshot);
  }

  /** Appends a message, adds its tokens to the totals and records `MessageAdded`. */
  addMessage(
    message: {
      role: MessageRole;
      content: ContentBlock[] | string;
      inputTokens?: number;
      outputTokens?: number;
      model?: string;
    },
    now: Date,
  ): Message {
    if (this.snapshot.status !== 'active') {
      throw new InvalidStateError(
        `Conversation ${this.id} is ${this.snapshot.status}; messages can be added only while it is active`,
        { details: { status: this.snapshot.status } },
      );
    }
    if (!MESSAGE_ROLES.includes(message.role)) {
      throw new ValidationError(
        `Unknown message role "${String(message.role)}"; allowed: ${MESSAGE_ROLES.join(', ')}`,
      );
    }
    const content =
      typeof message.content === 'string'
        ? [{ type: 'text' as const, text: message.content }]
        : message.content;
    if (content.length === 0) throw new ValidationError('A message needs at least one content block');
    const inputTokens = message.inputTokens ?? 0;
    const outputTokens = message.outputTokens ?? 0;
    assertTokens('inputTokens', inputTokens);
    assertTokens('outputTokens', outputTokens);
    const stored: Message = {
      id: this.newId(),
      role: message.role,
      content: structuredClone(content),
      createdAt: now,
      inputTokens,
      outputTokens,
      ...(message.model === undefined ? {} : { model: message.model }),
    };
    this.snapshot.messages.push(stored);
    this.snapshot.totalInputTokens += inputTokens;
    this.snapshot.totalOutputTokens += outputTokens;
    this.snapshot.updatedAt = now;
    this.record(
      makeEvent<MessageAdded>(this.newId, 'MessageAdded', this.id, now, {
        messageId: stored.id,
        role: stored.role,
        inputTokens,
        outputTokens,
      }),
    );
    return structuredClone(stored);
  }

  /** Pauses an active conversation. */
  pause(now: Date): void {
    this.transition('paused', now);
  }

  /** Resumes a paused conversation. */
  resume(now: Date): void {
    this.transition('active', now);
  }

  /** Marks the conversation finished; no more messages. */
  complete(now: Date): void {
    this.transition('completed', now);
  }

  /** Marks the conversation failed with a reason. */
  fail(reason: string, now: Date): void {
    this.transition('error', now);
    this.snapshot.errorMessage = reason;
  }

  private transition(to: ConversationStatus, now: Date): void {
    const from = this.snapshot.status;
    if (!STATUS_TRANSITIONS[from].includes(to)) {
      throw new InvalidStateError(
        `Conversation ${this.id} cannot go from ${from} to ${to}; allowed from ${from}: ${
          STATUS_TRANSITIONS[from].join(', ') || 'none'
        }`,
        { details: { from, to } },
      );
    }
    this.snapshot.status = to;
    this.snapshot.updatedAt = now;
  }
}
