/**
 * Ollama tags served by a local or self-hosted Ollama server. Ten ids, each
 * `name:tag`. The usable window is whatever the server is configured for
 * (`num_ctx`), not the model's trained maximum, so limits stay undefined. Tool
 * support follows the tags Ollama publishes for each model family.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The Ollama entries of the default catalog. */
export const OLLAMA_MODELS: readonly ModelDefinition[] = defineModels('ollama', [
  { id: 'qwen3.6:flash', reasoning: true },
  { id: 'qwen3.5:plus', reasoning: true },
  { id: 'llama4:maverick-17b' },
  { id: 'gemma4:26b', tools: false },
  { id: 'mistral-small:2603' },
  { id: 'qwen3:32b', reasoning: true },
  { id: 'deepseek-r1:70b', reasoning: true },
  { id: 'granite:4.1-8b' },
  { id: 'llama3.3:70b' },
  { id: 'phi4:14b', tools: false },
]);
