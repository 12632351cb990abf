/**
 * ModelCatalog: the built-in models and providers plus the operator's additions,
 * with lookup, listing and provider resolution.
 *
 * Invariants:
 * - Built into the constructor and immutable afterwards; every entry is frozen.
 * - Additions never replace anything: a model id already in the catalog, or a
 *   provider id already known, is a ConfigurationError (`LLM.DUPLICATE_MODEL`,
 *   `LLM.DUPLICATE_PROVIDER`), as is a model for a provider nobody defined
 *   (`LLM.UNKNOWN_PROVIDER`). Validation stops at the first problem and says which
 *   addition it is and what to change.
 * - Order is stable: built-in models in provider order, then added models in the
 *   order given; built-in providers, then added ones.
 *
 * Decisions:
 * - Added providers carry their own base URL (required, http or https) and an
 *   optional key variable; they speak `openai-compatible` unless told otherwise.
 *   They get no prefix rule: their models resolve through their catalog ids.
 * - Added models promise streaming only unless their capabilities say more.
 */
import { ConfigurationError, ValidationError, nearMatches } from '@tfo/domain';
import { DEFAULT_MODELS, type ModelCapabilities, type ModelDefinition } from './catalog/index.js';
import { LLM_ERROR_CODES } from './error-codes.js';
import {
  BUILT_IN_PROVIDERS,
  WIRE_PROTOCOLS,
  type ProviderDefinition,
  type WireProtocol,
} from './providers.js';
import { resolveModel, type ModelLookup, type ModelResolution } from './resolve.js';

/** A model the operator adds to an existing or added provider. */
export interface ModelAddition {
  /** Id sent to the provider; must not already be in the catalog. */
  readonly id: string;
  /** Id of a built-in or added provider. */
  readonly provider: string;
  /** Window in tokens, when known; a positive integer. */
  readonly contextWindow?: number;
  /** Output cap in tokens, when known; a positive integer, at most the window. */
  readonly maxOutputTokens?: number;
  /** Capabilities; unset ones default to streaming `true`, tools and reasoning `false`. */
  readonly capabilities?: Partial<ModelCapabilities>;
}

/** A provider the operator adds: their own endpoint. */
export interface ProviderAddition {
  /** Lower-case slug (`a-z`, digits, `-`), not used by any other provider. */
  readonly id: string;
  /** Name shown to people; defaults to the id. */
  readonly displayName?: string;
  /** The endpoint, an http or https URL. */
  readonly baseUrl: string;
  /** Name of the variable holding its API key, if it needs one (e.g. `ACME_LLM_KEY`). */
  readonly apiKeyVariable?: string;
  /** Protocol spoken; default `openai-compatible`. */
  readonly protocol?: WireProtocol;
}

/** Options of a {@link ModelCatalog}. */
export interface ModelCatalogOptions {
  /** Providers to add beside the twelve built-in ones. */
  readonly providers?: readonly ProviderAddition[];
  /** Models to add, for built-in or added providers. */
  readonly models?: readonly ModelAddition[];
}

/** Filter of {@link ModelCatalog.list}. */
export interface ModelListFilter {
  /** Only this provider's models; an unknown provider id is a ValidationError. */
  readonly provider?: string;
}

/** A resolution together with the provider's definition. */
export interface CatalogResolution extends ModelResolution {
  /** The provider serving the model. */
  readonly providerDefinition: ProviderDefinition;
}

const PROVIDER_ID = /^[a-z][a-z0-9-]{0,62}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_MODEL_ID_LENGTH = 200;

function invalid(code: string, message: string, details: Record<string, unknown>): ConfigurationError {
  return new ConfigurationError(message, { code, details });
}

function shown(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return value === null ? 'null' : typeof value;
}

function checkProvider(
  addition: ProviderAddition,
  index: number,
  known: ReadonlySet<string>,
): ProviderDefinition {
  const where = `Added provider #${index + 1}`;
  const { id, baseUrl, apiKeyVariable, protocol = 'openai-compatible', displayName } = addition ?? {};
  if (typeof id !== 'string' || !PROVIDER_ID.test(id)) {
    throw invalid(
      LLM_ERROR_CODES.InvalidProvider,
      `${where} has id ${shown(id)}; use a lower-case slug of letters, digits and "-" starting with a letter.`,
      { index, id },
    );
  }
  if (known.has(id)) {
    throw invalid(
      LLM_ERROR_CODES.DuplicateProvider,
      `${where} reuses the provider id "${id}", which is already defined; pick another id, or add models to ` +
        `"${id}" instead.`,
      { index, id },
    );
  }
  let url: URL | undefined;
  try {
    url = typeof baseUrl === 'string' ? new URL(baseUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalid(
      LLM_ERROR_CODES.InvalidProvider,
      `${where} ("${id}") needs a base URL starting with http:// or https://; got ${shown(baseUrl)}.`,
      { index, id },
    );
  }
  if (
    apiKeyVariable !== undefined &&
    (typeof apiKeyVariable !== 'string' || !VARIABLE_NAME.test(apiKeyVariable))
  ) {
    throw invalid(
      LLM_ERROR_CODES.InvalidProvider,
      `${where} ("${id}") has API key variable ${shown(apiKeyVariable)}; use a variable name such as ` +
        `ACME_LLM_API_KEY.`,
      { index, id },
    );
  }
  if (!WIRE_PROTOCOLS.includes(protocol)) {
    throw invalid(
      LLM_ERROR_CODES.InvalidProvider,
      `${where} ("${id}") has protocol ${shown(protocol)}; use one of ${WIRE_PROTOCOLS.join(', ')}.`,
      { index, id, protocols: [...WIRE_PROTOCOLS] },
    );
  }
  return Object.freeze({
    id,
    displayName: typeof displayName === 'string' && displayName.trim().length > 0 ? displayName.trim() : id,
    apiKeyVariable,
    baseUrlVariable: undefined,
    protocol,
    defaultBaseUrl: baseUrl as string,
    requiresBaseUrl: false,
    builtIn: false,
  });
}

function checkLimit(
  value: unknown,
  name: string,
  where: string,
  id: string,
  index: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(
      LLM_ERROR_CODES.InvalidModel,
      `${where} ("${id}") has ${name} ${shown(value)}${typeof value === 'number' ? ` (${value})` : ''}; ` +
        `use a positive whole number of tokens, or leave it out when unknown.`,
      { index, id, field: name },
    );
  }
  return value;
}

function checkModel(
  addition: ModelAddition,
  index: number,
  models: ReadonlyMap<string, ModelDefinition>,
  providers: ReadonlyMap<string, ProviderDefinition>,
): ModelDefinition {
  const where = `Added model #${index + 1}`;
  const { id, provider, capabilities = {} } = addition ?? {};
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_MODEL_ID_LENGTH || /\s/.test(id)) {
    throw invalid(
      LLM_ERROR_CODES.InvalidModel,
      `${where} has id ${shown(id)}; use the provider's model id: non-empty, no blanks, at most ` +
        `${MAX_MODEL_ID_LENGTH} characters.`,
      { index, id: typeof id === 'string' ? id : null },
    );
  }
  const existing = models.get(id);
  if (existing !== undefined) {
    throw invalid(
      LLM_ERROR_CODES.DuplicateModel,
      `${where} reuses the model id "${id}", already in the catalog for provider "${existing.provider}"; ` +
        `each model id may appear once.`,
      { index, id, provider: existing.provider },
    );
  }
  if (typeof provider !== 'string' || !providers.has(provider)) {
    const ids = [...providers.keys()];
    const near = typeof provider === 'string' ? nearMatches(provider, ids, 3) : [];
    throw invalid(
      LLM_ERROR_CODES.UnknownProvider,
      `${where} ("${id}") names provider ${shown(provider)}, which is not defined. Known providers: ` +
        `${ids.join(', ')}.${near.length > 0 ? ` Did you mean "${near.join('", "')}"?` : ''} ` +
        `Add a custom provider first to use a new one.`,
      {
        index,
        id,
        provider: typeof provider === 'string' ? provider : null,
        providers: ids,
        nearMatches: near,
      },
    );
  }
  const contextWindow = checkLimit(addition.contextWindow, 'contextWindow', where, id, index);
  const maxOutputTokens = checkLimit(addition.maxOutputTokens, 'maxOutputTokens', where, id, index);
  if (contextWindow !== undefined && maxOutputTokens !== undefined && maxOutputTokens > contextWindow) {
    throw invalid(
      LLM_ERROR_CODES.InvalidModel,
      `${where} ("${id}") has maxOutputTokens ${maxOutputTokens} above its contextWindow ${contextWindow}.`,
      { index, id, field: 'maxOutputTokens' },
    );
  }
  for (const key of ['streaming', 'tools', 'reasoning'] as const) {
    const flag = capabilities[key];
    if (flag !== undefined && typeof flag !== 'boolean') {
      throw invalid(
        LLM_ERROR_CODES.InvalidModel,
        `${where} ("${id}") has capabilities.${key} ${shown(flag)}; use true or false.`,
        { index, id, field: `capabilities.${key}` },
      );
    }
  }
  return Object.freeze({
    id,
    provider,
    contextWindow,
    maxOutputTokens,
    capabilities: Object.freeze({
      streaming: capabilities.streaming ?? true,
      tools: capabilities.tools ?? false,
      reasoning: capabilities.reasoning ?? false,
    }),
    placeholder: false,
  });
}

/**
 * The model catalog: the 112 built-in models of the twelve built-in providers, plus
 * the operator's providers and models. Resolves model ids to providers.
 *
 * ```ts
 * const catalog = new ModelCatalog({
 *   providers: [{ id: 'acme', baseUrl: 'https://llm.acme.example/v1', apiKeyVariable: 'ACME_LLM_KEY' }],
 *   models: [{ id: 'acme-large', provider: 'acme' }, { id: 'qwen3:8b', provider: 'ollama' }],
 * });
 * catalog.resolve('qwen3:8b').provider; // 'ollama'
 * ```
 */
export class ModelCatalog implements ModelLookup {
  private readonly byId: ReadonlyMap<string, ModelDefinition>;
  private readonly ordered: readonly ModelDefinition[];
  private readonly providersById: ReadonlyMap<string, ProviderDefinition>;

  /** Builds the catalog; throws a ConfigurationError for an invalid addition. */
  constructor(options: ModelCatalogOptions = {}) {
    const providers = new Map<string, ProviderDefinition>(BUILT_IN_PROVIDERS.map((p) => [p.id, p]));
    (options.providers ?? []).forEach((addition, index) => {
      const provider = checkProvider(addition, index, new Set(providers.keys()));
      providers.set(provider.id, provider);
    });

    const models = new Map<string, ModelDefinition>(DEFAULT_MODELS.map((m) => [m.id, m]));
    (options.models ?? []).forEach((addition, index) => {
      const model = checkModel(addition, index, models, providers);
      models.set(model.id, model);
    });

    this.providersById = providers;
    this.byId = models;
    this.ordered = Object.freeze([...models.values()]);
  }

  /** Number of models in the catalog. */
  get size(): number {
    return this.ordered.length;
  }

  /** The models, in catalog order; only one provider's when `filter.provider` is set. */
  list(filter: ModelListFilter = {}): readonly ModelDefinition[] {
    if (filter.provider === undefined) return this.ordered;
    this.requireProvider(filter.provider);
    return this.ordered.filter((model) => model.provider === filter.provider);
  }

  /** The model with exactly this id, or undefined. */
  get(id: string): ModelDefinition | undefined {
    return this.byId.get(id);
  }

  /** True when the catalog holds exactly this id. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The known providers: built-in first, then added ones. */
  providers(): readonly ProviderDefinition[] {
    return [...this.providersById.values()];
  }

  /** The provider with this id, or undefined. */
  provider(id: string): ProviderDefinition | undefined {
    return this.providersById.get(id);
  }

  /**
   * Which provider serves `modelId`: its catalog entry, else the documented prefix
   * rules. Throws a ValidationError (`LLM.UNKNOWN_MODEL`) for an id that matches nothing.
   */
  resolve(modelId: string): CatalogResolution {
    const resolution = resolveModel(modelId, this);
    const providerDefinition = this.requireProvider(resolution.provider);
    return Object.freeze({ ...resolution, providerDefinition });
  }

  /** Same as {@link ModelCatalog.get}; part of the resolution lookup contract. */
  findModel(id: string): ModelDefinition | undefined {
    return this.byId.get(id);
  }

  /** Every model id, in catalog order. */
  modelIds(): readonly string[] {
    return this.ordered.map((model) => model.id);
  }

  /** Every provider id, built-in first. */
  providerIds(): readonly string[] {
    return [...this.providersById.keys()];
  }

  private requireProvider(id: string): ProviderDefinition {
    const provider = this.providersById.get(id);
    if (provider !== undefined) return provider;
    const ids = this.providerIds();
    const near = nearMatches(id, ids, 3);
    throw new ValidationError(
      `Unknown provider ${shown(id)}. Known providers: ${ids.join(', ')}.` +
        (near.length > 0 ? ` Did you mean "${near.join('", "')}"?` : ''),
      {
        code: LLM_ERROR_CODES.UnknownProvider,
        details: { provider: id, providers: [...ids], nearMatches: near },
      },
    );
  }
}
