/**
 * The shape of a catalog entry and the helper the per-provider data files use.
 *
 * Invariants:
 * - Limits are the vendor's published figures in tokens. A limit the vendor has not
 *   published (or that depends on the deployment, as with local Ollama models) is
 *   `undefined`, never an estimate.
 * - Entries are frozen; a catalog never hands out something a caller can mutate.
 */

/** What a model can do on its provider's API. */
export interface ModelCapabilities {
  /** Answers can be streamed as text deltas. */
  readonly streaming: boolean;
  /** The model accepts tool (function) definitions and can ask for tool calls. */
  readonly tools: boolean;
  /** The model reasons before answering (thinking, reasoning effort, or a reasoning-only model). */
  readonly reasoning: boolean;
}

/** One model in the catalog. */
export interface ModelDefinition {
  /** The id sent to the provider, e.g. `claude-sonnet-4-20250514`. Unique in a catalog. */
  readonly id: string;
  /** Id of the provider serving it. */
  readonly provider: string;
  /** Input plus output tokens the model accepts in one call; undefined when not published. */
  readonly contextWindow: number | undefined;
  /** Most tokens the model produces in one answer; undefined when not published. */
  readonly maxOutputTokens: number | undefined;
  /** What the model can do. */
  readonly capabilities: ModelCapabilities;
  /** True for a stand-in id that only names an operator's own endpoint (`custom-model-v1`). */
  readonly placeholder: boolean;
}

/** One row of a provider data file; capabilities default to streaming and tools, no reasoning. */
export interface ModelRow {
  readonly id: string;
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
  readonly streaming?: boolean;
  readonly tools?: boolean;
  readonly reasoning?: boolean;
  readonly placeholder?: boolean;
}

/** Builds the frozen entries of one provider from its data rows. */
export function defineModels(provider: string, rows: readonly ModelRow[]): readonly ModelDefinition[] {
  return Object.freeze(
    rows.map((row) =>
      Object.freeze({
        id: row.id,
        provider,
        contextWindow: row.contextWindow,
        maxOutputTokens: row.maxOutputTokens,
        capabilities: Object.freeze({
          streaming: row.streaming ?? true,
          tools: row.tools ?? true,
          reasoning: row.reasoning ?? false,
        }),
        placeholder: row.placeholder ?? false,
      }),
    ),
  );
}
