/**
 * xAI Grok models (OpenAI-compatible). Ten ids. The `-reasoning` /
 * `-non-reasoning` pairs say what they are; grok-3-mini reasons, grok-3 and grok-2
 * do not. Grok 4.1 Fast has a 2,000,000-token window; Grok 3 and Grok 2 131,072.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The Grok entries of the default catalog. */
export const GROK_MODELS: readonly ModelDefinition[] = defineModels('grok', [
  { id: 'grok-4.3', reasoning: true },
  { id: 'grok-4.20-multi-agent', reasoning: true },
  { id: 'grok-4.20-0309-reasoning', reasoning: true },
  { id: 'grok-4.20-0309-non-reasoning' },
  { id: 'grok-4-1-fast-reasoning', contextWindow: 2_000_000, reasoning: true },
  { id: 'grok-4-1-fast-non-reasoning', contextWindow: 2_000_000 },
  { id: 'grok-3', contextWindow: 131_072 },
  { id: 'grok-3-mini', contextWindow: 131_072, reasoning: true },
  { id: 'grok-2', contextWindow: 131_072 },
  { id: 'grok-2-mini' },
]);
