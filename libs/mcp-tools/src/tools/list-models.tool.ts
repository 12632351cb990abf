import type { LlmGateway } from '@tfo/llm-providers/gateway';
import { ValidationError } from '@tfo/domain';
import { z } from 'zod';
import { defineTool, jsonResult } from '../definitions.js';

/**
 * `list_models`: the model catalog (built-in and operator-added), optionally for one
 * provider, with whether each provider can answer now. Never shows a key.
 */
export function createListModelsTool(gateway: LlmGateway) {
  return defineTool({
    name: 'list_models',
    title: 'List models',
    category: 'ai',
    scope: null,
    description:
      'List the language models this server can call: id, provider, context window and output limit where known, ' +
      'capabilities (streaming, tools, reasoning), and per provider whether it is configured (key present) and which ' +
      'variable sets its key. Filter with `provider` (e.g. "anthropic", "ollama"). The model id `sampling` asks the ' +
      "client's own model and needs no key.",
    inputSchema: z.object({
      provider: z
        .string()
        .trim()
        .toLowerCase()
        .optional()
        .describe('Only this provider\'s models, e.g. "openai", "mistral", "ollama"'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ provider }, ctx) {
      const statuses = gateway.providerStatus();
      if (provider && !statuses.some((s) => s.id === provider)) {
        throw new ValidationError(
          `Unknown provider "${provider}"; known providers: ${statuses.map((s) => s.id).join(', ')}`,
          { code: 'LLM.UNKNOWN_PROVIDER' },
        );
      }
      const models = gateway.catalog.list(provider ? { provider } : {});
      const shownProviders = statuses.filter((s) => !provider || s.id === provider);
      return jsonResult({
        count: models.length,
        sampling_available: ctx.sampling !== undefined,
        providers: shownProviders.map((s) => ({
          id: s.id,
          name: s.displayName,
          protocol: s.protocol,
          configured: s.configured,
          key_variable: s.keyVariable ?? null,
          base_url: s.baseUrl ?? null,
        })),
        models: models.map((m) => ({
          id: m.id,
          provider: m.provider,
          context_window: m.contextWindow ?? null,
          max_output_tokens: m.maxOutputTokens ?? null,
          capabilities: m.capabilities,
          ...(m.placeholder ? { placeholder: true } : {}),
        })),
      });
    },
  });
}
