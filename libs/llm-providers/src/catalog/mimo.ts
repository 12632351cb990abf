/**
 * Xiaomi MiMo models (OpenAI-compatible). Ten ids. MiMo V2 Flash and Omni have
 * 262,144-token windows, V2 Pro 1,048,576. `mimo-v2-tts` is a speech model: no tools,
 * no reasoning. The open-weight 7B models reason but are not tool-calling models.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The MiMo entries of the default catalog. */
export const MIMO_MODELS: readonly ModelDefinition[] = defineModels('mimo', [
  { id: 'mimo-v2.5-pro', reasoning: true },
  { id: 'mimo-v2.5', reasoning: true },
  { id: 'mimo-v2-omni', contextWindow: 262_144, reasoning: true },
  { id: 'mimo-v2-pro', contextWindow: 1_048_576, reasoning: true },
  { id: 'mimo-v2-flash', contextWindow: 262_144, reasoning: true },
  { id: 'mimo-v2-tts', tools: false },
  { id: 'mimo-7b', tools: false, reasoning: true },
  { id: 'mimo-vl-7b', tools: false, reasoning: true },
  { id: 'mimo-v2.5-lite', reasoning: true },
  { id: 'mimo-7b-0321', tools: false, reasoning: true },
]);
