/**
 * Zhipu GLM models (OpenAI-compatible, BigModel platform). Ten ids, all with tool
 * calling. GLM-4.5 and later are hybrid-thinking models; GLM-4 and GLM-4-Flash are
 * not. Only the 128K (131,072-token) windows of GLM-4.5, GLM-4.5-Air and GLM-4 are
 * recorded; the rest stay undefined.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The Zhipu entries of the default catalog. */
export const ZHIPU_MODELS: readonly ModelDefinition[] = defineModels('zhipu', [
  { id: 'glm-5.1', reasoning: true },
  { id: 'glm-5-turbo', reasoning: true },
  { id: 'glm-5', reasoning: true },
  { id: 'glm-4.7-flash', reasoning: true },
  { id: 'glm-4.7', reasoning: true },
  { id: 'glm-4.6', reasoning: true },
  { id: 'glm-4.5', contextWindow: 131_072, reasoning: true },
  { id: 'glm-4.5-air', contextWindow: 131_072, reasoning: true },
  { id: 'glm-4-flash' },
  { id: 'glm-4', contextWindow: 131_072 },
]);
