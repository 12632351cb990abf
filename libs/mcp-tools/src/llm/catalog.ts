/**
 * The model tools: list_models always (when a gateway is configured) and
 * claude_conversation over one LlmGateway and a ConversationStore (PostgreSQL when the
 * engines run; in memory otherwise, so conversations continue within the process).
 * analyze_telemetry joins the context tools, which own the collector and prompt builder.
 */
import type { ConversationSnapshot, ConversationStore, IdSource } from '@tfo/domain';
import type { LlmGateway } from '@tfo/llm-providers/gateway';
import type { ToolDefinition } from '../definitions.js';
import { createClaudeConversationTool } from '../tools/claude-conversation.tool.js';
import { createListModelsTool } from '../tools/list-models.tool.js';

/** Keeps conversations in memory; the default store when no database is configured. */
export class InMemoryConversationStore implements ConversationStore {
  private readonly conversations = new Map<string, ConversationSnapshot>();

  /** Stores a copy of the snapshot. */
  async save(conversation: ConversationSnapshot): Promise<void> {
    this.conversations.set(conversation.id, structuredClone(conversation));
  }

  /** A conversation by id (a copy). */
  async get(id: string): Promise<ConversationSnapshot | undefined> {
    const found = this.conversations.get(id);
    return found ? structuredClone(found) : undefined;
  }
}

/** The model tools over `gateway`. */
export function createLlmTools(deps: {
  gateway: LlmGateway;
  conversations: ConversationStore;
  ids: IdSource;
  now: () => Date;
}): ToolDefinition[] {
  return [
    createListModelsTool(deps.gateway),
    createClaudeConversationTool(deps),
  ] as unknown as ToolDefinition[];
}
