/**
 * The custom provider's one entry: `custom-model-v1`, the placeholder the platform
 * seeds for an operator's own OpenAI-compatible endpoint. Nothing is known about the
 * model behind it, so it promises streaming only.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The custom entry of the default catalog. */
export const CUSTOM_MODELS: readonly ModelDefinition[] = defineModels('custom', [
  { id: 'custom-model-v1', tools: false, placeholder: true },
]);
