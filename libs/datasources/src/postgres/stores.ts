/**
 * PostgreSQL implementations of the domain's SessionStore and ConversationStore over
 * the server's own tables (mcp_sessions, mcp_conversations, mcp_messages).
 *
 * Invariants:
 * - `save` is an upsert of the whole snapshot; saving twice is harmless.
 * - A conversation and its messages are written in one transaction; messages are
 *   keyed by id and ordered by `seq` (their position in the snapshot).
 * - organization_id columns are uuid: a non-UUID organization id is rejected with a
 *   ValidationError before anything is written.
 * - Every value is a bound parameter. These stores use the writer, never the
 *   read-only datasource.
 */
import {
  SESSION_STATES,
  ValidationError,
  type ContentBlock,
  type ConversationSnapshot,
  type ConversationStatus,
  type ConversationStore,
  type Message,
  type MessageRole,
  type SessionSnapshot,
  type SessionState,
  type SessionStore,
} from '@tfo/domain';
import type { PostgresWriter } from './postgres-datasource.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function organizationId(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!UUID.test(value)) {
    throw new ValidationError(`organizationId must be a UUID, got "${value.slice(0, 64)}"`, {
      code: 'DATASOURCE.INVALID_ORGANIZATION_ID',
    });
  }
  return value;
}

interface SessionRow extends Record<string, unknown> {
  id: string;
  organization_id: string | null;
  transport: string;
  state: SessionState;
  client_name: string | null;
  client_version: string | null;
  protocol_version: string | null;
  tool_calls: number;
  tool_errors: number;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

function toSession(row: SessionRow): SessionSnapshot {
  const client: SessionSnapshot['client'] = {};
  if (row.client_name !== null) client.name = row.client_name;
  if (row.client_version !== null) client.version = row.client_version;
  if (row.protocol_version !== null) client.protocolVersion = row.protocol_version;
  return {
    id: row.id,
    transport: row.transport,
    state: row.state,
    ...(row.organization_id === null ? {} : { organizationId: row.organization_id }),
    client,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.closed_at === null ? {} : { closedAt: row.closed_at }),
    toolCalls: row.tool_calls,
    toolErrors: row.tool_errors,
  };
}

/** Sessions in `mcp_sessions`. */
export class PostgresSessionStore implements SessionStore {
  /** Uses `writer` (the schema owner's pool). */
  constructor(private readonly writer: PostgresWriter) {}

  /** Inserts or replaces the session's row. */
  async save(session: SessionSnapshot): Promise<void> {
    await this.writer.execute(
      `INSERT INTO mcp_sessions (id, organization_id, transport, state, client_name, client_version,
         protocol_version, tool_calls, tool_errors, created_at, updated_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id, transport = EXCLUDED.transport,
         state = EXCLUDED.state, client_name = EXCLUDED.client_name, client_version = EXCLUDED.client_version,
         protocol_version = EXCLUDED.protocol_version, tool_calls = EXCLUDED.tool_calls,
         tool_errors = EXCLUDED.tool_errors, updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at`,
      [
        session.id,
        organizationId(session.organizationId),
        session.transport,
        session.state,
        session.client.name ?? null,
        session.client.version ?? null,
        session.client.protocolVersion ?? null,
        session.toolCalls,
        session.toolErrors,
        session.createdAt,
        session.updatedAt,
        session.closedAt ?? null,
      ],
    );
  }

  /** The stored session, or undefined. */
  async get(id: string): Promise<SessionSnapshot | undefined> {
    const { rows } = await this.writer.execute<SessionRow>('SELECT * FROM mcp_sessions WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : toSession(rows[0]);
  }

  /** Sessions, newest first, optionally in one state; `limit` defaults to 100 (max 1000). */
  async list(filter: { state?: SessionState; limit?: number } = {}): Promise<SessionSnapshot[]> {
    if (filter.state !== undefined && !SESSION_STATES.includes(filter.state)) {
      throw new ValidationError(
        `Unknown session state "${String(filter.state)}"; allowed: ${SESSION_STATES.join(', ')}`,
      );
    }
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000);
    const { rows } = await this.writer.execute<SessionRow>(
      `SELECT * FROM mcp_sessions WHERE ($1::text IS NULL OR state = $1) ORDER BY created_at DESC, id LIMIT $2`,
      [filter.state ?? null, limit],
    );
    return rows.map(toSession);
  }
}

interface ConversationRow extends Record<string, unknown> {
  id: string;
  session_id: string | null;
  organization_id: string | null;
  model: string;
  system_prompt: string | null;
  status: ConversationStatus;
  total_input_tokens: string;
  total_output_tokens: string;
  error_message: string | null;
  created_at: Date;
  updated_at: Date;
}

interface MessageRow extends Record<string, unknown> {
  id: string;
  role: MessageRole;
  content: ContentBlock[];
  input_tokens: number;
  output_tokens: number;
  model: string | null;
  created_at: Date;
}

/** Conversations in `mcp_conversations`, their messages in `mcp_messages`. */
export class PostgresConversationStore implements ConversationStore {
  /** Uses `writer` (the schema owner's pool). */
  constructor(private readonly writer: PostgresWriter) {}

  /** Upserts the conversation and all its messages in one transaction. */
  async save(conversation: ConversationSnapshot): Promise<void> {
    const org = organizationId(conversation.organizationId);
    const messages = conversation.messages.map((m: Message, seq: number) => ({
      id: m.id,
      seq,
      role: m.role,
      content: m.content,
      input_tokens: m.inputTokens,
      output_tokens: m.outputTokens,
      model: m.model ?? null,
      created_at: m.createdAt.toISOString(),
    }));
    await this.writer.transaction(async (tx) => {
      await tx.execute(
        `INSERT INTO mcp_conversations (id, session_id, organization_id, model, system_prompt, status,
           total_input_tokens, total_output_tokens, error_message, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET session_id = EXCLUDED.session_id, organization_id = EXCLUDED.organization_id,
           model = EXCLUDED.model, system_prompt = EXCLUDED.system_prompt, status = EXCLUDED.status,
           total_input_tokens = EXCLUDED.total_input_tokens, total_output_tokens = EXCLUDED.total_output_tokens,
           error_message = EXCLUDED.error_message, updated_at = EXCLUDED.updated_at`,
        [
          conversation.id,
          conversation.sessionId ?? null,
          org,
          conversation.model,
          conversation.systemPrompt ?? null,
          conversation.status,
          conversation.totalInputTokens,
          conversation.totalOutputTokens,
          conversation.errorMessage ?? null,
          conversation.createdAt,
          conversation.updatedAt,
        ],
      );
      if (messages.length === 0) return;
      await tx.execute(
        `INSERT INTO mcp_messages (id, conversation_id, organization_id, seq, role, content, input_tokens,
           output_tokens, model, created_at)
         SELECT m.id, $1, $2, m.seq, m.role, m.content, m.input_tokens, m.output_tokens, m.model, m.created_at
           FROM jsonb_to_recordset($3::jsonb) AS m(id text, seq integer, role text, content jsonb,
                input_tokens integer, output_tokens integer, model text, created_at timestamptz)
         ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, role = EXCLUDED.role, content = EXCLUDED.content,
           input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens, model = EXCLUDED.model`,
        [conversation.id, org, JSON.stringify(messages)],
      );
    });
  }

  /** The stored conversation with its messages in order, or undefined. */
  async get(id: string): Promise<ConversationSnapshot | undefined> {
    const { rows } = await this.writer.execute<ConversationRow>(
      'SELECT * FROM mcp_conversations WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const messages = await this.writer.execute<MessageRow>(
      `SELECT id, role, content, input_tokens, output_tokens, model, created_at
         FROM mcp_messages WHERE conversation_id = $1 ORDER BY seq`,
      [id],
    );
    return {
      id: row.id,
      ...(row.session_id === null ? {} : { sessionId: row.session_id }),
      ...(row.organization_id === null ? {} : { organizationId: row.organization_id }),
      model: row.model,
      ...(row.system_prompt === null ? {} : { systemPrompt: row.system_prompt }),
      status: row.status,
      messages: messages.rows.map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        createdAt: m.created_at,
        inputTokens: m.input_tokens,
        outputTokens: m.output_tokens,
        ...(m.model === null ? {} : { model: m.model }),
      })),
      totalInputTokens: Number(row.total_input_tokens),
      totalOutputTokens: Number(row.total_output_tokens),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(row.error_message === null ? {} : { errorMessage: row.error_message }),
    };
  }
}
