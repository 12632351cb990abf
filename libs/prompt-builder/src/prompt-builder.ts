/**
 * PromptBuilder: the public entry point. TFO-Platform services create an instance
 * and call its methods; the free functions below wrap a default instance.
 *
 * Invariants:
 * - Pure: no I/O, no clock, no randomness, no environment; the same inputs give
 *   the same prompts.
 * - Never fails on an unknown context type: it falls back to the general persona.
 *   Invalid options (a budget below {@link MIN_CONTEXT_TOKENS}, a nonsensical
 *   chars-per-token figure) and unknown insight types throw a ValidationError.
 * - Context types are matched exactly first, then with blanks, case and `_`
 *   normalised (`Kubernetes_Pods` finds `kubernetes-pods`).
 */
import {
  CONTEXT_TYPES,
  ValidationError,
  isContextType,
  parseInsightType,
  type ContextType,
  type InsightType,
  type TelemetryContext,
} from '@tfo/domain';
import {
  DEFAULT_CHARS_PER_TOKEN,
  DEFAULT_CONTEXT_MAX_TOKENS,
  MIN_CONTEXT_TOKENS,
  displayType,
  renderContext,
  type ContextPromptOptions,
  type ContextRendering,
} from './context-prompt.js';
import { composeInsightPrompt } from './insight-prompt.js';
import { GENERAL_PERSONA } from './personas/general.js';
import { type Persona } from './personas/persona.js';
import { findPersona } from './personas/registry.js';
import { composeSystemPrompt, type SystemPromptSubject } from './system-prompt.js';

/** Largest accepted context budget, far above any model's context window. */
const MAX_CONTEXT_TOKENS = 2_000_000;

/** Options of a {@link PromptBuilder}. */
export interface PromptBuilderOptions {
  /** Default token budget of context prompts; at least {@link MIN_CONTEXT_TOKENS}; default 6,000. */
  readonly maxContextTokens?: number;
  /** Characters per token for size estimates, between 1 and 10; default 3 (see DEFAULT_CHARS_PER_TOKEN). */
  readonly charsPerToken?: number;
  /**
   * Personas that replace the built-in one for a context type, or add one for a
   * type the catalog does not know (matched exactly). For domain-specific analysis.
   */
  readonly personas?: Readonly<Record<string, Persona>>;
}

function checkBudget(
  maxTokens: unknown,
  charsPerToken: unknown,
): { maxTokens: number; charsPerToken: number } {
  if (
    typeof maxTokens !== 'number' ||
    !Number.isInteger(maxTokens) ||
    maxTokens < MIN_CONTEXT_TOKENS ||
    maxTokens > MAX_CONTEXT_TOKENS
  ) {
    throw new ValidationError(
      `Invalid context token budget ${String(maxTokens)}: use a whole number from ${MIN_CONTEXT_TOKENS} to ` +
        `${MAX_CONTEXT_TOKENS} (default ${DEFAULT_CONTEXT_MAX_TOKENS}).`,
      { details: { maxTokens: String(maxTokens), min: MIN_CONTEXT_TOKENS, max: MAX_CONTEXT_TOKENS } },
    );
  }
  if (
    typeof charsPerToken !== 'number' ||
    !Number.isFinite(charsPerToken) ||
    charsPerToken < 1 ||
    charsPerToken > 10
  ) {
    throw new ValidationError(
      `Invalid characters-per-token estimate ${String(charsPerToken)}: use a number from 1 to 10 ` +
        `(default ${DEFAULT_CHARS_PER_TOKEN}).`,
      { details: { charsPerToken: String(charsPerToken) } },
    );
  }
  return { maxTokens, charsPerToken };
}

/** The catalog key `input` names, exactly or after normalising blanks, case and `_`; else undefined. */
export function resolveContextType(input: unknown): ContextType | undefined {
  if (isContextType(input)) return input;
  if (typeof input !== 'string') return undefined;
  const normalized = input.trim().toLowerCase().replace(/_/g, '-');
  return isContextType(normalized) ? normalized : undefined;
}

/**
 * Builds system, context and insight prompts for every context type. Stateless
 * apart from its options; one instance can serve any number of callers.
 */
export class PromptBuilder {
  private readonly maxContextTokens: number;
  private readonly charsPerToken: number;
  private readonly overrides: ReadonlyMap<string, Persona>;

  constructor(options: PromptBuilderOptions = {}) {
    const budget = checkBudget(
      options.maxContextTokens ?? DEFAULT_CONTEXT_MAX_TOKENS,
      options.charsPerToken ?? DEFAULT_CHARS_PER_TOKEN,
    );
    this.maxContextTokens = budget.maxTokens;
    this.charsPerToken = budget.charsPerToken;
    this.overrides = new Map(Object.entries(options.personas ?? {}));
  }

  /**
   * The persona used for `contextType`: a caller override, the type's own persona,
   * or the general persona for an unknown type.
   */
  getPersona(contextType: ContextType | string): Persona {
    const override = typeof contextType === 'string' ? this.overrides.get(contextType) : undefined;
    if (override) return override;
    const key = resolveContextType(contextType);
    if (key !== undefined) return this.overrides.get(key) ?? findPersona(key) ?? GENERAL_PERSONA;
    return GENERAL_PERSONA;
  }

  /**
   * The system prompt for `contextType`: its analyst persona, where the type sits
   * in the catalog, `customPrompt` as additional guidance when given, and the
   * IMPORTANT INSTRUCTIONS block. An unknown type gets the general persona.
   */
  buildSystemPrompt(contextType: ContextType | string, customPrompt?: string): string {
    const key = resolveContextType(contextType);
    const subject: SystemPromptSubject =
      key !== undefined ? { known: true, key } : { known: false, requested: String(contextType) };
    return composeSystemPrompt(this.getPersona(contextType), subject, customPrompt);
  }

  /**
   * The context prompt for `context`: period, summary and data (fenced as
   * untrusted JSON), fitted to the token budget with a note on what was left out,
   * the no-data sentence when there is no data, and the data-source-problem
   * instruction for a `[SYSTEM]` context.
   */
  buildContextPrompt(context: TelemetryContext, options?: ContextPromptOptions): string {
    return this.renderContext(context, options).text;
  }

  /** Like {@link buildContextPrompt}, with the estimated size and what was left out. */
  renderContext(context: TelemetryContext, options?: ContextPromptOptions): ContextRendering {
    const budget = checkBudget(
      options?.maxTokens ?? this.maxContextTokens,
      options?.charsPerToken ?? this.charsPerToken,
    );
    return renderContext(context, budget.maxTokens, budget.charsPerToken);
  }

  /**
   * The prompt for one insight over `context`: the task, the four-part answer
   * structure (Summary, Evidence, Analysis, Next steps) with type-specific content,
   * then the context prompt. `insightType` is read like `parseInsightType` reads
   * it; an unknown one throws a ValidationError listing the five.
   */
  buildInsightPrompt(
    insightType: InsightType | string,
    context: TelemetryContext,
    options?: ContextPromptOptions,
  ): string {
    const insight = parseInsightType(insightType);
    const rendered = this.renderContext(context, options);
    return composeInsightPrompt(insight, context, rendered, displayType(context.type));
  }

  /** All 138 context types, in catalog order (platform keys first). A fresh array on every call. */
  getAvailableContextTypes(): ContextType[] {
    return [...CONTEXT_TYPES];
  }
}

/** The instance behind the free functions: default budget, built-in personas. */
export const defaultPromptBuilder: PromptBuilder = new PromptBuilder();

/** {@link PromptBuilder.buildSystemPrompt} on the default instance. */
export function buildSystemPrompt(contextType: ContextType | string, customPrompt?: string): string {
  return defaultPromptBuilder.buildSystemPrompt(contextType, customPrompt);
}

/** {@link PromptBuilder.buildContextPrompt} on the default instance. */
export function buildContextPrompt(context: TelemetryContext, options?: ContextPromptOptions): string {
  return defaultPromptBuilder.buildContextPrompt(context, options);
}

/** {@link PromptBuilder.buildInsightPrompt} on the default instance. */
export function buildInsightPrompt(
  insightType: InsightType | string,
  context: TelemetryContext,
  options?: ContextPromptOptions,
): string {
  return defaultPromptBuilder.buildInsightPrompt(insightType, context, options);
}

/** {@link PromptBuilder.getAvailableContextTypes} on the default instance. */
export function getAvailableContextTypes(): ContextType[] {
  return defaultPromptBuilder.getAvailableContextTypes();
}
