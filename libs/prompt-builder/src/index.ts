/**
 * @tfo/prompt-builder: the prompts TelemetryFlow puts in front of a model when it
 * analyses telemetry. Pure: no I/O, no clock, no randomness, no environment; it
 * depends on `@tfo/domain` alone (context-type catalog, InsightType,
 * TelemetryContext, `[SYSTEM]` contexts).
 *
 * ## Use
 *
 * ```ts
 * import { PromptBuilder } from '@tfo/prompt-builder';
 *
 * const prompts = new PromptBuilder({ maxContextTokens: 8000 });
 * const system = prompts.buildSystemPrompt('kubernetes-pods');
 * const user = prompts.buildContextPrompt(context); // a TelemetryContext from @tfo/context-collector
 * const insight = prompts.buildInsightPrompt('root-cause', context);
 * ```
 *
 * The free functions (`buildSystemPrompt`, `buildContextPrompt`,
 * `buildInsightPrompt`, `getAvailableContextTypes`) do the same on a default
 * instance. Method names and arguments match TFO-Platform's PromptBuilder service.
 *
 * ## Behaviour kept from the platform
 *
 * - A system prompt per context type: an analyst persona written for that domain
 *   (what to check first, which numbers matter, what to recommend), then an
 *   `IMPORTANT INSTRUCTIONS:` block: use only the supplied context and cite its real
 *   numbers; a summary starting with `[SYSTEM]` means a data-source problem, to be
 *   reported with its period rather than analysed; say what is missing.
 * - An unknown context type falls back to a general observability persona instead
 *   of failing. A custom prompt is added as extra guidance before the block.
 * - The context prompt names the period; with no data it says
 *   `No data found for <type> in the period <from> to <to>.`
 * - Insight prompts for the five insight types (chronology, prediction,
 *   recommendation, root-cause, pattern), each answered in four parts: Summary,
 *   Evidence, Analysis, Next steps.
 * - `getAvailableContextTypes()` lists every key: all 138 (the platform's 75 and
 *   the seed list's 78, 15 shared), each with a persona of its own.
 *
 * ## Beyond the platform
 *
 * - Token budget instead of a 10,000-character cut. The platform cuts serialized
 *   data mid-token, so the model gets invalid JSON and loses whatever came last.
 *   Here the data is shortened structurally until the whole context prompt fits
 *   `maxTokens` (default {@link DEFAULT_CONTEXT_MAX_TOKENS}, estimated at
 *   {@link DEFAULT_CHARS_PER_TOKEN} characters per token, a safe figure for JSON):
 *   long strings are cut with a marker, arrays keep their most important rows
 *   (trouble first: error severities, failing states, error counters; then the
 *   highest values), verbose fields (bodies, messages, label bags, query text) go
 *   before identifying ones (ids, names, service, host, status, timestamps). The
 *   JSON always parses, and a note after it lists what was left out, for example
 *   `... 412 more rows not shown (20 of 432 kept ...), by "service_name": "checkout" 210, ...`.
 * - Telemetry is fenced as untrusted data. Summary and data travel as one JSON
 *   document between a line `<<<TELEMETRY_DATA` and a line `TELEMETRY_DATA>>>`.
 *   Inside, every `<` and `>` is written as a JSON escape, so no log line can
 *   produce a marker and close the block, while `JSON.parse` still returns the
 *   exact original text. The system prompt and the context prompt both say the
 *   block is data, never instructions. No randomness is needed.
 * - Personas are data: one declarative table per context group
 *   (`src/personas/<group>.ts`), replaceable per type through
 *   `PromptBuilderOptions.personas`.
 *
 * Errors: invalid budgets and unknown insight types throw `ValidationError` from
 * `@tfo/domain`; nothing else throws.
 */
export {
  PromptBuilder,
  buildContextPrompt,
  buildInsightPrompt,
  buildSystemPrompt,
  defaultPromptBuilder,
  getAvailableContextTypes,
  resolveContextType,
  type PromptBuilderOptions,
} from './prompt-builder.js';
export {
  DEFAULT_CHARS_PER_TOKEN,
  DEFAULT_CONTEXT_MAX_TOKENS,
  MIN_CONTEXT_TOKENS,
  noDataSentence,
  type ContextPromptOptions,
  type ContextRendering,
} from './context-prompt.js';
export {
  IMPORTANT_INSTRUCTIONS,
  IMPORTANT_INSTRUCTIONS_HEADING,
  renderImportantInstructions,
} from './system-prompt.js';
export { INSIGHT_PARTS, INSIGHT_SPECS, type InsightPart, type InsightSpec } from './insight-prompt.js';
export { FENCE_CLOSE, FENCE_OPEN, escapeJsonForFence, extractFencedJson, fenceJson } from './fence.js';
export {
  fitJson,
  type FitJsonOptions,
  type FitJsonResult,
  type Omission,
  type OmissionBreakdown,
  type OmissionKind,
} from './budget/fit-json.js';
export { OMISSION_NOTE_LEAD } from './budget/omission-note.js';
export { type Persona, type PersonaTable, renderPersona } from './personas/persona.js';
export { GENERAL_PERSONA } from './personas/general.js';
export { PERSONA_TABLES } from './personas/registry.js';
