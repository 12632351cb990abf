/**
 * The default model catalog: the 112 ids TFO-Platform seeds, grouped by provider in
 * the reference order (eleven Anthropic, ten for each of the next ten providers, one
 * custom placeholder). Frozen; operators extend it through `ModelCatalog`.
 */
import { ANTHROPIC_MODELS } from './anthropic.js';
import { CUSTOM_MODELS } from './custom.js';
import { DEEPSEEK_MODELS } from './deepseek.js';
import { GOOGLE_MODELS } from './google.js';
import { GROK_MODELS } from './grok.js';
import { KIMI_MODELS } from './kimi.js';
import { MIMO_MODELS } from './mimo.js';
import { MISTRAL_MODELS } from './mistral.js';
import { type ModelDefinition } from './model.js';
import { OLLAMA_MODELS } from './ollama.js';
import { OPENAI_MODELS } from './openai.js';
import { QWEN_MODELS } from './qwen.js';
import { ZHIPU_MODELS } from './zhipu.js';

export { defineModels, type ModelCapabilities, type ModelDefinition, type ModelRow } from './model.js';

/** Every built-in model, in provider order. */
export const DEFAULT_MODELS: readonly ModelDefinition[] = Object.freeze([
  ...ANTHROPIC_MODELS,
  ...GOOGLE_MODELS,
  ...OPENAI_MODELS,
  ...DEEPSEEK_MODELS,
  ...QWEN_MODELS,
  ...OLLAMA_MODELS,
  ...MISTRAL_MODELS,
  ...GROK_MODELS,
  ...KIMI_MODELS,
  ...ZHIPU_MODELS,
  ...MIMO_MODELS,
  ...CUSTOM_MODELS,
]);

/** The model the platform seeds as its default. */
export const DEFAULT_MODEL_ID = 'claude-sonnet-4-20250514';
