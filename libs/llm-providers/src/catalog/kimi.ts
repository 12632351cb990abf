/**
 * Moonshot Kimi models (OpenAI-compatible). Ten ids. The moonshot-v1 models are
 * named after their windows (8,192 / 32,768 / 131,072 tokens; `-auto` picks one per
 * request, so it has none of its own). Kimi K2 0905 and K2 Thinking have 262,144.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The Kimi entries of the default catalog. */
export const KIMI_MODELS: readonly ModelDefinition[] = defineModels('kimi', [
  { id: 'kimi-k2.6', reasoning: true },
  { id: 'kimi-k2.5', reasoning: true },
  { id: 'kimi-k2-thinking', contextWindow: 262_144, reasoning: true },
  { id: 'kimi-k2-0905', contextWindow: 262_144 },
  { id: 'kimi-k2-turbo-preview', contextWindow: 262_144 },
  { id: 'kimi-k2' },
  { id: 'moonshot-v1-128k', contextWindow: 131_072 },
  { id: 'moonshot-v1-32k', contextWindow: 32_768 },
  { id: 'moonshot-v1-8k', contextWindow: 8_192 },
  { id: 'moonshot-v1-auto' },
]);
