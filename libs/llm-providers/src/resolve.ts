/**
 * Provider resolution: which provider serves a model id.
 *
 * Invariants:
 * - An id present in the catalog resolves to its catalog provider, whatever it looks
 *   like (`qwen3:32b` is an Ollama tag because the catalog says so).
 * - Otherwise the reference's rules apply, first match wins, in this order:
 *   `claude-`/`claude_` anthropic; `gemini-` google; `gpt-`/`o3` openai;
 *   `deepseek-`/`deepseek_` deepseek; `qwen` qwen; any id containing `:` ollama;
 *   `mistral-`/`ministral-`/`codestral-`/`devstral-` mistral; `grok-` grok;
 *   `kimi-`/`moonshot-` kimi; `glm-` zhipu; `mimo-` mimo; `custom-` custom.
 *   Rules compare the trimmed, lower-cased id. The order is the platform's and is kept
 *   as is: `mistral-small:2603` is an Ollama tag, and an uncatalogued `qwen3:8b`
 *   resolves to qwen. Operators serving other tags through Ollama add them to the
 *   catalog, which takes precedence.
 * - An id that matches nothing is a ValidationError naming the known providers and
 *   the closest catalog ids; there is no silent default provider.
 */
import { ValidationError, nearMatches } from '@tfo/domain';
import { DEFAULT_MODELS, type ModelDefinition } from './catalog/index.js';
import { LLM_ERROR_CODES } from './error-codes.js';
import { BUILT_IN_PROVIDER_IDS, type BuiltInProviderId } from './providers.js';

/** One resolution rule: a provider and the id patterns that select it. */
export interface ProviderRule {
  /** The provider selected. */
  readonly provider: BuiltInProviderId;
  /** `prefix`: the id starts with a pattern; `contains`: the id contains one. */
  readonly match: 'prefix' | 'contains';
  /** The patterns, lower case. */
  readonly patterns: readonly string[];
}

function rule(
  provider: BuiltInProviderId,
  match: ProviderRule['match'],
  ...patterns: string[]
): ProviderRule {
  return Object.freeze({ provider, match, patterns: Object.freeze(patterns) });
}

/** The documented rules, in the order they are tried. */
export const PROVIDER_RULES: readonly ProviderRule[] = Object.freeze([
  rule('anthropic', 'prefix', 'claude-', 'claude_'),
  rule('google', 'prefix', 'gemini-'),
  rule('openai', 'prefix', 'gpt-', 'o3'),
  rule('deepseek', 'prefix', 'deepseek-', 'deepseek_'),
  rule('qwen', 'prefix', 'qwen'),
  rule('ollama', 'contains', ':'),
  rule('mistral', 'prefix', 'mistral-', 'ministral-', 'codestral-', 'devstral-'),
  rule('grok', 'prefix', 'grok-'),
  rule('kimi', 'prefix', 'kimi-', 'moonshot-'),
  rule('zhipu', 'prefix', 'glm-'),
  rule('mimo', 'prefix', 'mimo-'),
  rule('custom', 'prefix', 'custom-'),
]);

/** The first rule matching `modelId` (trimmed, lower-cased), or undefined. */
export function matchProviderRule(modelId: string): ProviderRule | undefined {
  const id = modelId.trim().toLowerCase();
  return PROVIDER_RULES.find((candidate) =>
    candidate.patterns.some((pattern) =>
      candidate.match === 'prefix' ? id.startsWith(pattern) : id.includes(pattern),
    ),
  );
}

/** What resolution needs from a catalog; `ModelCatalog` provides it. */
export interface ModelLookup {
  /** The catalog entry with exactly this id, or undefined. */
  findModel(id: string): ModelDefinition | undefined;
  /** Every catalog id, in catalog order (for near-match suggestions). */
  modelIds(): readonly string[];
  /** Every known provider id (for error messages). */
  providerIds(): readonly string[];
}

/** The answer of {@link resolveModel}. */
export interface ModelResolution {
  /** The model id as given, trimmed. */
  readonly modelId: string;
  /** Id of the provider that serves it. */
  readonly provider: string;
  /** The catalog entry, when the id is in the catalog. */
  readonly model: ModelDefinition | undefined;
  /** `catalog` for an exact catalog id, `rule` for a match of {@link PROVIDER_RULES}. */
  readonly via: 'catalog' | 'rule';
}

const DEFAULT_BY_ID: ReadonlyMap<string, ModelDefinition> = new Map(
  DEFAULT_MODELS.map((model) => [model.id, model]),
);
const DEFAULT_IDS: readonly string[] = Object.freeze(DEFAULT_MODELS.map((model) => model.id));

/** A lookup over the built-in catalog. */
export const DEFAULT_MODEL_LOOKUP: ModelLookup = Object.freeze({
  findModel: (id: string) => DEFAULT_BY_ID.get(id),
  modelIds: () => DEFAULT_IDS,
  providerIds: () => BUILT_IN_PROVIDER_IDS,
});

/**
 * Resolves a model id to its provider: an exact catalog id first, then the documented
 * rules in order. Throws a ValidationError (`LLM.UNKNOWN_MODEL`) for an empty or
 * unmatched id, naming the known providers and the closest catalog ids.
 */
export function resolveModel(modelId: string, catalog: ModelLookup = DEFAULT_MODEL_LOOKUP): ModelResolution {
  if (typeof modelId !== 'string' || modelId.trim().length === 0) {
    throw new ValidationError(
      `A model id is required (a non-empty string). Known providers: ${catalog.providerIds().join(', ')}.`,
      {
        code: LLM_ERROR_CODES.UnknownModel,
        details: {
          model: typeof modelId === 'string' ? modelId : null,
          providers: [...catalog.providerIds()],
        },
      },
    );
  }
  const id = modelId.trim();
  const model = catalog.findModel(id);
  if (model !== undefined)
    return Object.freeze({ modelId: id, provider: model.provider, model, via: 'catalog' });

  const matched = matchProviderRule(id);
  if (matched !== undefined) {
    return Object.freeze({ modelId: id, provider: matched.provider, model: undefined, via: 'rule' });
  }

  const providers = [...catalog.providerIds()];
  const near = nearMatches(id, catalog.modelIds(), 5);
  const suggestion = near.length > 0 ? ` Did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : '';
  throw new ValidationError(
    `Unknown model "${id.length > 80 ? `${id.slice(0, 77)}...` : id}": it is not in the model catalog and no ` +
      `provider rule matches it. Known providers: ${providers.join(', ')}.${suggestion} ` +
      `Use a catalog id, a provider prefix (claude-, gemini-, gpt-, ...), an Ollama tag (name:tag), ` +
      `or add the model to the catalog.`,
    { code: LLM_ERROR_CODES.UnknownModel, details: { model: id, providers, nearMatches: near } },
  );
}

/** The id of the provider serving `modelId`; see {@link resolveModel} for the rules and errors. */
export function resolveProvider(modelId: string, catalog: ModelLookup = DEFAULT_MODEL_LOOKUP): string {
  return resolveModel(modelId, catalog).provider;
}
