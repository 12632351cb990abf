import {
  Conversation,
  NotFoundError,
  type ConversationStore,
  type IdSource,
  type LlmMessage,
  type Message,
} from '@tfo/domain';
import type { LlmGateway } from '@tfo/llm-providers/gateway';
import { z } from 'zod';
import { defineTool, type ToolResult } from '../definitions.js';
import { askModel, modelArgument, usageOf } from '../llm/ask.js';
import { estimateTokens } from '../llm/sampling-provider.js';

/** Estimated tokens of history sent with a continued conversation when the model's window is unknown. */
const DEFAULT_HISTORY_TOKENS = 100_000;

function textOfMessage(message: Message): string {
  return message.content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('')
    .trim();
}

/**
 * The newest user/assistant turns that fit `budget` estimated tokens, oldest first, always
 * starting with a user turn (what every provider accepts).
 */
export function historyWithin(messages: readonly Message[], budget: number): LlmMessage[] {
  const turns = messages
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: textOfMessage(m) }))
    .filter((m) => m.content !== '');
  const kept: LlmMessage[] = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]!;
    used += estimateTokens(turn.content);
    if (used > budget) break;
    kept.unshift(turn);
  }
  while (kept.length > 0 && kept[0]!.role !== 'user') kept.shift();
  return kept;
}

/**
 * `claude_conversation` (name kept from the original): one turn of a conversation with any
 * catalog model. Without `conversation_id` a new conversation starts and its id is returned;
 * with it the stored history (same organization only) is sent along and the turn appended,
 * with running token totals.
 */
export function createClaudeConversationTool(deps: {
  gateway: LlmGateway;
  conversations: ConversationStore;
  ids: IdSource;
  now: () => Date;
}) {
  const { gateway, conversations, ids, now } = deps;
  return defineTool({
    name: 'claude_conversation',
    title: 'Conversation with a model',
    category: 'ai',
    scope: 'mcp:llm:use',
    description:
      'Send a message to a language model and get its answer. `model` takes any id list_models shows (Anthropic, OpenAI, Gemini, ' +
      "Mistral, DeepSeek, Qwen, Grok, Kimi, GLM, MiMo, Ollama or a custom endpoint), or `sampling` for the client's own model; " +
      "omitted, the configured default model answers (or the client's model when no key is configured). The answer includes a " +
      '`conversation_id`: pass it back to continue the conversation with its history and token totals.',
    inputSchema: z.object({
      message: z
        .string({ error: 'message must be the text to send' })
        .min(1, { error: 'message must not be empty' })
        .max(200_000, { error: 'message must be at most 200000 characters' })
        .describe('The message to send'),
      system_prompt: z
        .string()
        .max(100_000, { error: 'system_prompt must be at most 100000 characters' })
        .optional()
        .describe('Instructions for the model; kept for the rest of the conversation'),
      model: modelArgument,
      max_tokens: z
        .number()
        .int({ error: 'max_tokens must be a whole number' })
        .min(1, { error: 'max_tokens must be at least 1' })
        .max(200_000, { error: 'max_tokens must be at most 200000' })
        .optional()
        .describe(
          "Most tokens of the answer (capped at the model's limit). Default: the configured llm.maxTokens",
        ),
      temperature: z
        .number()
        .min(0, { error: 'temperature must be from 0 to 2' })
        .max(2, { error: 'temperature must be from 0 to 2' })
        .optional()
        .describe('Sampling temperature from 0 to 2. Default: the configured llm.temperature'),
      conversation_id: z
        .uuid({ error: 'conversation_id must be the id a previous answer returned (a UUID)' })
        .optional()
        .describe('Continue this conversation (from a previous answer)'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async handler(args, ctx): Promise<ToolResult> {
      const organizationId = ctx.organizationId ?? '';
      let conversation: Conversation;
      if (args.conversation_id) {
        const stored = await conversations.get(args.conversation_id);
        // Another organization's conversation does not exist for this caller.
        if (!stored || (stored.organizationId ?? '') !== organizationId) {
          throw new NotFoundError(
            `No conversation ${args.conversation_id} for this organization; omit conversation_id to start a new one`,
            { code: 'CONVERSATION.NOT_FOUND' },
          );
        }
        conversation = Conversation.restore(stored, () => ids.newId());
      } else {
        const route = gateway.route(args.model, { fallbackAvailable: ctx.sampling !== undefined });
        conversation = Conversation.create({
          id: ids.newId(),
          model: route.kind === 'provider' ? route.modelId : 'sampling',
          now: now(),
          newId: () => ids.newId(),
          sessionId: ctx.sessionId,
          ...(organizationId ? { organizationId } : {}),
          ...(args.system_prompt ? { systemPrompt: args.system_prompt } : {}),
        });
      }
      const snapshot = conversation.toSnapshot();
      const model = args.model ?? (args.conversation_id ? snapshot.model : undefined);
      const system = args.system_prompt ?? snapshot.systemPrompt;
      const window = model && model !== 'sampling' ? safeWindow(gateway, model) : undefined;
      const history = historyWithin(
        conversation.messages,
        window ? Math.floor(window / 2) : DEFAULT_HISTORY_TOKENS,
      );
      const response = await askModel(
        gateway,
        {
          ...(model ? { model } : {}),
          ...(system ? { system } : {}),
          messages: [...history, { role: 'user', content: args.message }],
          ...(args.max_tokens === undefined ? {} : { maxTokens: args.max_tokens }),
          ...(args.temperature === undefined ? {} : { temperature: args.temperature }),
        },
        ctx,
      );
      const at = now();
      conversation.addMessage({ role: 'user', content: args.message }, at);
      conversation.addMessage(
        {
          role: 'assistant',
          content: response.text,
          inputTokens: response.usage.inputTokens,
          outputTokens: response.usage.outputTokens,
          model: response.model,
        },
        at,
      );
      const saved = conversation.toSnapshot();
      await conversations.save(saved);
      return {
        content: [{ type: 'text', text: response.text }],
        structuredContent: {
          answer: response.text,
          conversation_id: saved.id,
          ...usageOf(response),
          totals: { input_tokens: saved.totalInputTokens, output_tokens: saved.totalOutputTokens },
          messages: saved.messages.length,
        },
      };
    },
  });
}

/** The model's context window in tokens, when the catalog knows it. */
function safeWindow(gateway: LlmGateway, model: string): number | undefined {
  try {
    return gateway.catalog.resolve(model).model?.contextWindow;
  } catch {
    return undefined;
  }
}
