/**
 * Qwen models on DashScope's OpenAI-compatible mode. Ten ids, all hybrid-thinking
 * Qwen 3.5 / 3.6 models with tool calling. DashScope's limits vary by region and
 * release, so they stay undefined.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The Qwen entries of the default catalog. */
export const QWEN_MODELS: readonly ModelDefinition[] = defineModels('qwen', [
  { id: 'qwen3.6-max-preview', reasoning: true },
  { id: 'qwen3.6-plus', reasoning: true },
  { id: 'qwen3.6-flash', reasoning: true },
  { id: 'qwen3.6-35b-a3b', reasoning: true },
  { id: 'qwen3.6-27b', reasoning: true },
  { id: 'qwen3.5-plus', reasoning: true },
  { id: 'qwen3.5-9b', reasoning: true },
  { id: 'qwen3.5-35b-a3b', reasoning: true },
  { id: 'qwen3.5-27b', reasoning: true },
  { id: 'qwen3.5-122b-a10b', reasoning: true },
]);
