/**
 * Anthropic models (Messages API). Eleven ids; `claude-sonnet-4-20250514` is the
 * platform seeds' default model. Every Claude 4 model supports extended thinking,
 * tools and streaming. Limits are given only for models whose 200,000-token window
 * and 64,000-token output cap Anthropic has published.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The Anthropic entries of the default catalog. */
export const ANTHROPIC_MODELS: readonly ModelDefinition[] = defineModels('anthropic', [
  { id: 'claude-opus-4-7', reasoning: true },
  { id: 'claude-opus-4-7-fast', reasoning: true },
  { id: 'claude-opus-4-6', reasoning: true },
  { id: 'claude-opus-4-6-fast', reasoning: true },
  { id: 'claude-sonnet-4-6', reasoning: true },
  { id: 'claude-opus-4-5', contextWindow: 200_000, maxOutputTokens: 64_000, reasoning: true },
  { id: 'claude-sonnet-4-5-20250929', contextWindow: 200_000, maxOutputTokens: 64_000, reasoning: true },
  { id: 'claude-haiku-4-5', contextWindow: 200_000, maxOutputTokens: 64_000, reasoning: true },
  { id: 'claude-haiku-4-5-20251001', contextWindow: 200_000, maxOutputTokens: 64_000, reasoning: true },
  { id: 'claude-sonnet-4-20250514', contextWindow: 200_000, maxOutputTokens: 64_000, reasoning: true },
  { id: 'claude-mythos-preview', reasoning: true },
]);
