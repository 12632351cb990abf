/**
 * DeepSeek models (OpenAI-compatible). Ten ids. `deepseek-chat` and
 * `deepseek-reasoner` are the API's two aliases: the same model without and with
 * thinking, a 128K (131,072-token) window and output caps of 8K and 64K. The dated
 * and versioned ids keep undefined limits. The Speciale variant reasons but does not
 * take tools.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The DeepSeek entries of the default catalog. */
export const DEEPSEEK_MODELS: readonly ModelDefinition[] = defineModels('deepseek', [
  { id: 'deepseek-v4-pro', reasoning: true },
  { id: 'deepseek-v4-flash', reasoning: true },
  { id: 'deepseek-v3.2-speciale', tools: false, reasoning: true },
  { id: 'deepseek-chat', contextWindow: 131_072, maxOutputTokens: 8_192 },
  { id: 'deepseek-v3.2', reasoning: true },
  { id: 'deepseek-v3.2-exp', reasoning: true },
  { id: 'deepseek-v3.1-terminus', reasoning: true },
  { id: 'deepseek-chat-v3.1', reasoning: true },
  { id: 'deepseek-r1-0528', reasoning: true },
  { id: 'deepseek-reasoner', contextWindow: 131_072, maxOutputTokens: 65_536, reasoning: true },
]);
