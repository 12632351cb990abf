/**
 * Mistral AI models (Mistral SDK). Ten ids, all with tool calling. Windows are
 * given where Mistral publishes them (Large 2411 and Medium 2508: 128K; Codestral
 * 2508: 256K); Mistral does not publish separate output caps.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The Mistral entries of the default catalog. */
export const MISTRAL_MODELS: readonly ModelDefinition[] = defineModels('mistral', [
  { id: 'mistral-medium-3-5' },
  { id: 'mistral-small-2603' },
  { id: 'mistral-large-2512' },
  { id: 'devstral-2512' },
  { id: 'ministral-14b-2512' },
  { id: 'ministral-8b-2512' },
  { id: 'ministral-3b-2512' },
  { id: 'mistral-medium-2508', contextWindow: 131_072 },
  { id: 'codestral-2508', contextWindow: 262_144 },
  { id: 'mistral-large-2411', contextWindow: 131_072 },
]);
