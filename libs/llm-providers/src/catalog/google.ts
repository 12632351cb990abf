/**
 * Google Gemini models, reached through Gemini's OpenAI-compatible endpoint. Ten ids.
 * Gemini 2.5 and later think before answering; 2.0 and 1.5 do not. Limits are the
 * published input window and output cap; newer previews stay undefined until published.
 */
import { defineModels, type ModelDefinition } from './model.js';

/** The Google entries of the default catalog. */
export const GOOGLE_MODELS: readonly ModelDefinition[] = defineModels('google', [
  { id: 'gemini-3.5-flash', reasoning: true },
  { id: 'gemini-3.1-flash-lite', reasoning: true },
  { id: 'gemini-3.1-pro-preview', reasoning: true },
  { id: 'gemini-3-flash-preview', contextWindow: 1_048_576, maxOutputTokens: 65_536, reasoning: true },
  { id: 'gemini-2.5-pro', contextWindow: 1_048_576, maxOutputTokens: 65_536, reasoning: true },
  { id: 'gemini-2.5-flash', contextWindow: 1_048_576, maxOutputTokens: 65_536, reasoning: true },
  { id: 'gemini-2.5-flash-lite', contextWindow: 1_048_576, maxOutputTokens: 65_536, reasoning: true },
  { id: 'gemini-2.0-flash', contextWindow: 1_048_576, maxOutputTokens: 8_192 },
  { id: 'gemini-2.0-flash-lite', contextWindow: 1_048_576, maxOutputTokens: 8_192 },
  { id: 'gemini-1.5-pro', contextWindow: 2_097_152, maxOutputTokens: 8_192 },
]);
