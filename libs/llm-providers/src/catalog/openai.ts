/**
 * OpenAI models. Ten ids. The GPT-5 family and o3 are reasoning models; the `-chat`
 * model and GPT-4.1 are not. The `-pro` models answer through the Responses API
 * without streaming, which the OpenAI adapter has to respect.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The OpenAI entries of the default catalog. */
export const OPENAI_MODELS: readonly ModelDefinition[] = defineModels('openai', [
  { id: 'gpt-5.5-pro', streaming: false, reasoning: true },
  { id: 'gpt-5.5', reasoning: true },
  { id: 'gpt-5.4-pro', streaming: false, reasoning: true },
  { id: 'gpt-5.4', reasoning: true },
  { id: 'gpt-5.4-mini', reasoning: true },
  { id: 'gpt-5.4-nano', reasoning: true },
  { id: 'gpt-5.3-chat' },
  { id: 'gpt-5', contextWindow: 400_000, maxOutputTokens: 128_000, reasoning: true },
  { id: 'gpt-4.1', contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  { id: 'o3', contextWindow: 200_000, maxOutputTokens: 100_000, reasoning: true },
]);
