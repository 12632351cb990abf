/**
 * LlmGateway: the one object the MCP tools talk to models through. It picks the
 * provider for a model id, builds and keeps that provider's adapter, applies the
 * default settings, and records the usage of every call.
 *
 * Rules:
 * 1. A call without a model uses `settings.defaultModel`. Model ids resolve through the
 *    catalog (an exact id, then the provider prefix rules); an id nothing matches is the
 *    catalog's ValidationError (`LLM.UNKNOWN_MODEL`) naming the known providers.
 * 2. The reserved model id {@link SAMPLING_MODEL} is answered by `options.fallback`, the
 *    client's own model (MCP sampling). Without a fallback it is a ValidationError
 *    (`LLM.SAMPLING_UNAVAILABLE`) saying the client does not support sampling and how to
 *    configure a provider instead. The fallback receives the model id `sampling`: the
 *    client chooses its model.
 * 3. A call without a model whose default model's provider cannot answer (no key), and
 *    that carries a fallback, is answered by the fallback, so analysis works with no key
 *    at all. A call naming a model whose provider needs a key and has none, or one without
 *    a model and without a fallback, is a ConfigurationError (`LLM.MISSING_API_KEY`) naming
 *    the variable to set (e.g. `ANTHROPIC_API_KEY`) and the configuration key
 *    `providers.<id>ApiKey`. Ollama takes no key; `custom` may go without one.
 * 4. Adapters are built on first use, once per provider id, by the provider's wire
 *    protocol, with the configured base URL (else the provider's default), the time
 *    budget and retries of the settings, and the gateway's logger.
 * 5. Every call handed to a model is recorded through `ActivityRecorder.llmUsage`, success
 *    or failure: tokens (0 on failure), duration, model, provider, organization, session.
 *    Operation `complete` or `stream` for a provider; provider and operation `sampling`
 *    for the fallback. A request refused before any model is asked (validation, routing,
 *    a missing key) asks no model and records nothing; the error reaches the caller.
 * 6. `temperature` must be from 0 to 2 and `maxTokens` a whole number of at least 1, else a
 *    ValidationError naming the allowed range. `maxTokens` is capped at the model's output
 *    limit when the catalog knows it.
 * 7. Keys never appear in errors, logs or status: gateway messages name variables and
 *    configuration keys only, and the adapters redact provider texts.
 *
 * Decisions:
 * - `route()` is the routing of `complete()` without the call: it returns where a model
 *   would go and throws the error the call would raise when that place cannot answer now.
 * - Usage records carry the catalog id that was asked for (stable for cost attribution);
 *   sampling records carry the model the client says answered, else `sampling`.
 * - Responses from a provider carry the provider's id (an added provider speaking a
 *   vendor's protocol is reported as itself); fallback responses are returned as given.
 * - Streaming is used when `onText` is given, the adapter streams and the catalog does not
 *   say the model cannot; otherwise the call completes and `onText` is not called.
 * - `options.caller` (the credential and client, as tool call records name them) is recorded
 *   with the usage and logged.
 * - An error carrying `deferred: true` (a provider that answers in a later round, such as
 *   MCP sampling on 2026-07-28) passes through unrecorded: the call is recorded when it is
 *   made again with the answer.
 */
import {
  ConfigurationError,
  ValidationError,
  noopActivityRecorder,
  noopLogger,
  type ActivityRecorder,
  type LlmProvider,
  type LlmRequest,
  type LlmResponse,
  type Logger,
} from '@tfo/domain';
import { checkRequest } from '../adapters/request.js';
import { LLM_ERROR_CODES } from '../error-codes.js';
import { ModelCatalog } from '../model-catalog.js';
import type { ProviderDefinition } from '../providers.js';
import { createAdapter } from './adapter-factory.js';
import {
  TEMPERATURE_RANGE,
  apiKeyConfigKey,
  checkDefaults,
  displayUrl,
  providerAccess,
  statusOf,
  type CallDefaults,
  type LlmGatewaySettings,
  type ProviderAccess,
  type ProviderStatus,
} from './provider-settings.js';

/** The reserved model id that asks the connected client's own model (MCP sampling). */
export const SAMPLING_MODEL = 'sampling';

/** Provider and operation of fallback calls in usage records and logs. */
const SAMPLING_TARGET = Object.freeze({ provider: 'sampling', operation: 'sampling' });

/** Per-call context of {@link LlmGateway.complete}. */
export interface LlmCallOptions {
  /** Organization the call is made for, recorded with its usage; `''` when unknown. */
  readonly organizationId: string;
  /** MCP session the call belongs to, recorded with its usage. */
  readonly sessionId?: string;
  /** Who asked (a tool name, a client), for the logs. */
  readonly caller?: string;
  /** Aborts the call; wins over the request's own signal. */
  readonly signal?: AbortSignal;
  /** The client's own model (MCP sampling), used per the gateway's rules 2 and 3. */
  readonly fallback?: LlmProvider;
  /** Receives text deltas when given and the provider streams. */
  readonly onText?: (delta: string) => void;
}

/** A request to {@link LlmGateway.complete}: model and token cap may be left to the settings. */
export type LlmGatewayRequest = Omit<LlmRequest, 'model' | 'maxTokens'> & {
  /** A catalog id, an id a provider rule matches, or {@link SAMPLING_MODEL}; default the settings'. */
  readonly model?: string;
  /** Cap on output tokens; default the settings'; capped at the model's output limit. */
  readonly maxTokens?: number;
};

/** Where a model's calls go: a provider, or the client's own model. */
export type Route =
  | {
      readonly kind: 'provider';
      /** The model id sent to the provider. */
      readonly modelId: string;
      /** The provider serving it. */
      readonly provider: ProviderDefinition;
    }
  | {
      readonly kind: 'sampling';
      /** The model the fallback stands in for (the default model); absent when `sampling` was asked. */
      readonly requestedModel?: string;
    };

/** Collaborators of an {@link LlmGateway}; each has a do-nothing or system default. */
export interface LlmGatewayDeps {
  /** Where usage is recorded; default records nothing. */
  readonly activity?: ActivityRecorder;
  /** Where the gateway and its adapters log; default `noopLogger`. */
  readonly logger?: Logger;
  /** The clock stamping usage records; default the system clock. */
  readonly now?: () => Date;
}

function isSampling(model: string): boolean {
  return model.trim().toLowerCase() === SAMPLING_MODEL;
}

function samplingUnavailable(usable: readonly string[]): ValidationError {
  const configured =
    usable.length > 0
      ? ` Providers configured now: ${usable.join(', ')}.`
      : ' No provider is configured now.';
  return new ValidationError(
    `Model "${SAMPLING_MODEL}" asks the connected client to answer with its own model, but this client ` +
      `does not support sampling. Configure a provider instead: set its API key variable (e.g. ` +
      `ANTHROPIC_API_KEY) or the configuration key ${apiKeyConfigKey('<id>')} (e.g. ` +
      `${apiKeyConfigKey('anthropic')}), or run Ollama, which needs no key, and name one of its models.` +
      configured,
    {
      code: LLM_ERROR_CODES.SamplingUnavailable,
      details: { model: SAMPLING_MODEL, configured: [...usable] },
    },
  );
}

function unusable(access: ProviderAccess, modelId: string, asDefault: boolean): ConfigurationError {
  const { provider } = access;
  const subject = asDefault ? `The default model "${modelId}"` : `Model "${modelId}"`;
  const alternatives = asDefault
    ? ', name a model of a configured provider, or connect with a client that supports sampling'
    : '';
  if (access.baseUrl === undefined) {
    const variable = provider.baseUrlVariable === undefined ? '' : ` (${provider.baseUrlVariable})`;
    return new ConfigurationError(
      `${subject} is served by ${provider.displayName}, which has no base URL. Configure its base URL` +
        `${variable} in providers.${provider.id}.baseUrl${alternatives}.`,
      { code: LLM_ERROR_CODES.MissingBaseUrl, details: { model: modelId, provider: provider.id } },
    );
  }
  const configKey = apiKeyConfigKey(provider.id);
  const where =
    provider.apiKeyVariable === undefined
      ? `Set the configuration key ${configKey}`
      : `Set ${provider.apiKeyVariable}, or the configuration key ${configKey}`;
  return new ConfigurationError(
    `${subject} is served by ${provider.displayName}, which needs an API key, and none is configured. ` +
      `${where}${alternatives}.`,
    {
      code: LLM_ERROR_CODES.MissingApiKey,
      details: {
        model: modelId,
        provider: provider.id,
        variable: provider.apiKeyVariable,
        configKey,
      },
    },
  );
}

function checkTemperature(value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < TEMPERATURE_RANGE.min ||
    value > TEMPERATURE_RANGE.max
  ) {
    throw new ValidationError(
      `temperature must be a number from ${TEMPERATURE_RANGE.min} to ${TEMPERATURE_RANGE.max}; got ` +
        `${typeof value === 'number' ? String(value) : typeof value}.`,
      { details: { field: 'temperature', min: TEMPERATURE_RANGE.min, max: TEMPERATURE_RANGE.max } },
    );
  }
  return value;
}

function checkMaxTokens(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(
      `maxTokens must be a whole number of at least 1; got ` +
        `${typeof value === 'number' ? String(value) : typeof value}.`,
      { details: { field: 'maxTokens', min: 1 } },
    );
  }
  return value;
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The gateway between the MCP tools and the models: routing by model id, adapters per
 * provider, defaults, validation, and usage records. See the module header for its rules.
 *
 * ```ts
 * const gateway = new LlmGateway(
 *   { defaultModel: 'claude-sonnet-4-20250514', maxTokens: 4096, temperature: 0.2,
 *     timeoutMs: 120_000, maxRetries: 2, providers: { anthropic: { apiKey } } },
 *   { activity, logger },
 * );
 * const answer = await gateway.complete(
 *   { messages: [{ role: 'user', content: 'Why is checkout slow?' }] },
 *   { organizationId, sessionId, fallback: samplingProvider },
 * );
 * ```
 */
export class LlmGateway {
  /** The catalog the gateway resolves model ids with: built-in plus the settings' additions. */
  readonly catalog: ModelCatalog;
  private readonly defaults: CallDefaults;
  private readonly defaultModel: string;
  private readonly access: ReadonlyMap<string, ProviderAccess>;
  private readonly adapters = new Map<string, Promise<LlmProvider>>();
  private readonly activity: ActivityRecorder;
  private readonly logger: Logger;
  private readonly now: () => Date;

  /**
   * Checks the settings and builds the catalog; no adapter is built yet. Throws a
   * ConfigurationError for a bad setting, a catalog addition that does not fit, a
   * default model that no provider serves, or settings for an unknown provider.
   */
  constructor(settings: LlmGatewaySettings, deps: LlmGatewayDeps = {}) {
    this.defaults = checkDefaults(settings);
    this.catalog = new ModelCatalog({
      ...(settings.customProviders === undefined ? {} : { providers: settings.customProviders }),
      ...(settings.models === undefined ? {} : { models: settings.models }),
    });
    if (this.catalog.has(SAMPLING_MODEL)) {
      throw new ConfigurationError(
        `The model id "${SAMPLING_MODEL}" is reserved for the client's own model; give the added model ` +
          `another id.`,
        { code: LLM_ERROR_CODES.InvalidModel, details: { id: SAMPLING_MODEL } },
      );
    }
    if (typeof settings.defaultModel !== 'string' || settings.defaultModel.trim().length === 0) {
      throw new ConfigurationError(
        `LLM setting defaultModel must be a model id (e.g. claude-sonnet-4-20250514) or "${SAMPLING_MODEL}".`,
        { details: { setting: 'defaultModel' } },
      );
    }
    this.defaultModel = settings.defaultModel.trim();
    if (!isSampling(this.defaultModel)) {
      try {
        this.catalog.resolve(this.defaultModel);
      } catch (error) {
        throw new ConfigurationError(`LLM setting defaultModel: ${(error as Error).message}`, {
          code: codeOf(error),
          details: { setting: 'defaultModel' },
          cause: error,
        });
      }
    }
    this.access = providerAccess(this.catalog, settings.providers);
    this.activity = deps.activity ?? noopActivityRecorder;
    this.logger = (deps.logger ?? noopLogger).child({ component: 'llm-gateway' });
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Which provider would answer `model` (or the default model), when it can answer now.
   * `fallbackAvailable` says whether the caller has a client model to fall back on
   * (default false). Throws what {@link LlmGateway.complete} would throw for this model:
   * an unknown id, `sampling` without a fallback, or a provider missing its key.
   */
  route(model: string | undefined, options: { readonly fallbackAvailable?: boolean } = {}): Route {
    const fallbackAvailable = options.fallbackAvailable === true;
    const asDefault = model === undefined;
    const asked = model ?? this.defaultModel;
    if (typeof asked === 'string' && isSampling(asked)) {
      if (!fallbackAvailable) throw samplingUnavailable(this.usableProviders());
      return Object.freeze({ kind: 'sampling' });
    }
    const resolution = this.catalog.resolve(asked);
    const access = this.accessOf(resolution.providerDefinition);
    if (access.usable) {
      return Object.freeze({
        kind: 'provider',
        modelId: resolution.modelId,
        provider: resolution.providerDefinition,
      });
    }
    if (asDefault && fallbackAvailable) {
      return Object.freeze({ kind: 'sampling', requestedModel: resolution.modelId });
    }
    throw unusable(access, resolution.modelId, asDefault);
  }

  /** Every provider of the catalog with its state, built-in first; never a key. */
  providerStatus(): ProviderStatus[] {
    return [...this.access.values()].map(statusOf);
  }

  /**
   * Sends `request` to the model it names (or the default model) per the gateway's rules,
   * streaming to `options.onText` when possible, and records the call's usage. Errors of
   * validation and routing are thrown before any model is asked; provider failures are
   * the adapters' domain errors, recorded and rethrown.
   */
  async complete(request: LlmGatewayRequest, options: LlmCallOptions): Promise<LlmResponse> {
    const route = this.route(request.model, { fallbackAvailable: options.fallback !== undefined });
    const temperature = checkTemperature(request.temperature ?? this.defaults.temperature);
    const asked = checkMaxTokens(request.maxTokens ?? this.defaults.maxTokens);
    const signal = options.signal ?? request.signal;
    const base: LlmRequest = {
      model: route.kind === 'provider' ? route.modelId : SAMPLING_MODEL,
      messages: request.messages,
      maxTokens: asked,
      temperature,
      ...(request.system === undefined ? {} : { system: request.system }),
      ...(request.stopSequences === undefined ? {} : { stopSequences: request.stopSequences }),
      ...(signal === undefined ? {} : { signal }),
    };

    if (route.kind === 'sampling') {
      checkRequest(base);
      const fallback = options.fallback as LlmProvider;
      const onText = options.onText;
      return this.run(base, options, SAMPLING_TARGET, (sent) =>
        onText !== undefined && fallback.stream !== undefined
          ? fallback.stream(sent, onText)
          : fallback.complete(sent),
      );
    }

    const model = this.catalog.get(route.modelId);
    const limit = model?.maxOutputTokens;
    const sent: LlmRequest = { ...base, maxTokens: limit === undefined ? asked : Math.min(asked, limit) };
    checkRequest(sent);
    const adapter = await this.adapterFor(route.provider);
    const provider = route.provider.id;
    const { onText } = options;
    const stream =
      onText !== undefined && model?.capabilities.streaming !== false
        ? adapter.stream?.bind(adapter)
        : undefined;
    const response = await this.run(
      sent,
      options,
      { provider, operation: stream === undefined ? 'complete' : 'stream' },
      (call) =>
        stream !== undefined && onText !== undefined ? stream(call, onText) : adapter.complete(call),
    );
    return { ...response, provider };
  }

  private usableProviders(): string[] {
    return [...this.access.values()].filter((entry) => entry.usable).map((entry) => entry.provider.id);
  }

  private accessOf(provider: ProviderDefinition): ProviderAccess {
    const access = this.access.get(provider.id);
    // Every catalog provider has an entry; a miss means the catalog changed under us.
    if (access === undefined) throw new Error(`no settings entry for provider "${provider.id}"`);
    return access;
  }

  private adapterFor(provider: ProviderDefinition): Promise<LlmProvider> {
    const cached = this.adapters.get(provider.id);
    if (cached !== undefined) return cached;
    const access = this.accessOf(provider);
    const adapter = createAdapter(access, this.defaults, this.logger);
    this.adapters.set(provider.id, adapter);
    // A failed construction is not kept: the next call tries again.
    adapter.catch(() => this.adapters.delete(provider.id));
    this.logger.debug(
      { provider: provider.id, protocol: provider.protocol, baseUrl: displayUrl(access.baseUrl) },
      'LLM adapter created',
    );
    return adapter;
  }

  /** Runs one model call and records its usage, whatever the outcome. */
  private async run(
    request: LlmRequest,
    options: LlmCallOptions,
    target: { readonly provider: string; readonly operation: string },
    call: (request: LlmRequest) => Promise<LlmResponse>,
  ): Promise<LlmResponse> {
    const at = this.now();
    const started = performance.now();
    const fields = {
      provider: target.provider,
      model: request.model,
      operation: target.operation,
      organizationId: options.organizationId,
      ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
      ...(options.caller === undefined ? {} : { caller: options.caller }),
    };
    let response: LlmResponse;
    try {
      response = await call(request);
    } catch (error) {
      // A deferral is not a failure: the answer arrives with a later round (MCP sampling on
      // 2026-07-28), where the call is made again and recorded then.
      if ((error as { deferred?: unknown } | null)?.deferred === true) throw error;
      const durationMs = performance.now() - started;
      this.record(at, target, request.model, options, { inputTokens: 0, outputTokens: 0 }, durationMs, false);
      this.logger.warn(
        {
          ...fields,
          durationMs: Math.round(durationMs),
          errorCode: codeOf(error),
          errorClass: error instanceof Error ? error.name : typeof error,
        },
        'LLM call failed',
      );
      throw error;
    }
    const durationMs = performance.now() - started;
    const model =
      target === SAMPLING_TARGET && typeof response?.model === 'string' && response.model.length > 0
        ? response.model
        : request.model;
    // A fallback is the client's code: counts it does not give are recorded as 0.
    const usage = {
      inputTokens: tokens(response?.usage?.inputTokens),
      outputTokens: tokens(response?.usage?.outputTokens),
    };
    this.record(at, target, model, options, usage, durationMs, true);
    this.logger.debug({ ...fields, durationMs: Math.round(durationMs), ...usage }, 'LLM call');
    return response;
  }

  private record(
    at: Date,
    target: { readonly provider: string; readonly operation: string },
    model: string,
    options: LlmCallOptions,
    usage: LlmResponse['usage'],
    durationMs: number,
    success: boolean,
  ): void {
    this.activity.llmUsage({
      at,
      organizationId: options.organizationId,
      ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
      provider: target.provider,
      model,
      operation: target.operation,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      durationMs: Math.round(durationMs * 1000) / 1000,
      success,
      ...(options.caller === undefined ? {} : { caller: options.caller }),
    });
  }
}
