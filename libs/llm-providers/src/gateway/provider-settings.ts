/**
 * The gateway's settings, checked once, and what they say about each provider: its
 * key, the base URL in use, and whether it can answer now.
 *
 * Invariants:
 * - Settings are checked when the gateway is built. A bad value is a ConfigurationError
 *   naming the setting and what is allowed; no message or detail ever carries a key.
 * - A key counts as present when it is a non-blank string; it is used trimmed.
 * - Which providers need a key: every provider speaking the `anthropic` or `mistral`
 *   protocol (their adapters always send one), and every other provider that names a
 *   key variable, except `custom`, whose key is optional (a local OpenAI-compatible
 *   server usually takes none). Providers speaking `ollama` never take a key.
 * - The base URL in use is the setting's override, else the provider's default. Shown
 *   outside (status, logs) without any user name or password it may embed.
 *
 * Decisions:
 * - Settings for a provider id nobody defined are refused rather than ignored: a typo
 *   in a provider id would otherwise leave a key silently unused.
 * - The configuration key named in messages is `providers.<id>ApiKey`, the
 *   application's spelling of a provider's key beside its environment variable.
 */
import { ConfigurationError, nearMatches } from '@tfo/domain';
import { LLM_ERROR_CODES } from '../error-codes.js';
import type { ModelAddition, ModelCatalog, ProviderAddition } from '../model-catalog.js';
import type { ProviderDefinition, WireProtocol } from '../providers.js';

/** What the application configured for one provider. */
export interface ProviderSettings {
  /** The API key (the application reads it from the provider's variable or its configuration). */
  readonly apiKey?: string;
  /** Endpoint replacing the provider's default (a proxy, a self-hosted gateway, a local server). */
  readonly baseUrl?: string;
}

/** Settings of an `LlmGateway`. */
export interface LlmGatewaySettings {
  /** Model used when a call names none: a catalog id, an id a provider rule matches, or `sampling`. */
  readonly defaultModel: string;
  /** Default cap on output tokens per call; a whole number of at least 1. */
  readonly maxTokens: number;
  /** Default sampling temperature, from 0 to 2. */
  readonly temperature: number;
  /** Time budget of one attempt in milliseconds; a whole number of at least 1. */
  readonly timeoutMs: number;
  /** Retries per call after the first attempt (429, 5xx, connection failures); a whole number, 0 or more. */
  readonly maxRetries: number;
  /** Per-provider settings, keyed by provider id (`anthropic`, `ollama`, an added provider's id). */
  readonly providers: Readonly<Record<string, ProviderSettings>>;
  /** Models the operator adds to the catalog. */
  readonly models?: readonly ModelAddition[];
  /** Providers the operator adds to the catalog. */
  readonly customProviders?: readonly ProviderAddition[];
}

/** Whether a provider takes a key: it must have one, it may have one, or it never sends one. */
export type KeyRequirement = 'required' | 'optional' | 'none';

/** One provider as the gateway sees it; never carries the key. */
export interface ProviderStatus {
  /** Provider id, e.g. `anthropic`. */
  readonly id: string;
  /** Name shown to people. */
  readonly displayName: string;
  /** The protocol its adapter speaks. */
  readonly protocol: WireProtocol;
  /** True when it can answer now: a base URL, and a key unless it needs none. */
  readonly configured: boolean;
  /** Whether it takes a key. */
  readonly keyRequirement: KeyRequirement;
  /** True when a key is configured for it. */
  readonly keyConfigured: boolean;
  /** Variable the application reads its key from; undefined when it has none. */
  readonly keyVariable: string | undefined;
  /** The base URL in use (override or default), without credentials; undefined when none. */
  readonly baseUrl: string | undefined;
}

/** A provider with its settings applied. Internal to the gateway: it holds the key. */
export interface ProviderAccess {
  readonly provider: ProviderDefinition;
  readonly keyRequirement: KeyRequirement;
  /** The key, trimmed; undefined when none is configured. */
  readonly apiKey: string | undefined;
  /** The base URL in use; undefined when the provider has no default and none is configured. */
  readonly baseUrl: string | undefined;
  /** True when the provider can answer now. */
  readonly usable: boolean;
}

/** The checked numbers of the settings. */
export interface CallDefaults {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

/** Lowest and highest temperature accepted, by settings and by calls. */
export const TEMPERATURE_RANGE = Object.freeze({ min: 0, max: 2 });

/** The configuration key holding a provider's API key, e.g. `providers.anthropicApiKey`. */
export function apiKeyConfigKey(providerId: string): string {
  return `providers.${providerId}ApiKey`;
}

/** Whether `provider` takes a key; see the module's invariants. */
export function keyRequirement(provider: ProviderDefinition): KeyRequirement {
  if (provider.protocol === 'ollama') return 'none';
  if (provider.protocol === 'anthropic' || provider.protocol === 'mistral') return 'required';
  if (provider.id === 'custom' && provider.builtIn) return 'optional';
  return provider.apiKeyVariable === undefined ? 'none' : 'required';
}

/** `url` without a user name or password; the text as given when it is not a URL. */
export function displayUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

function invalid(setting: string, rule: string, value: unknown): ConfigurationError {
  const got = typeof value === 'number' ? String(value) : typeof value;
  return new ConfigurationError(`LLM setting ${setting} must be ${rule}; got ${got}.`, {
    details: { setting },
  });
}

function whole(setting: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(setting, `a whole number of at least ${min}`, value);
  }
  return value;
}

/** Checks the numeric settings; throws a ConfigurationError naming the first bad one. */
export function checkDefaults(settings: LlmGatewaySettings): CallDefaults {
  const { temperature } = settings;
  if (
    typeof temperature !== 'number' ||
    !Number.isFinite(temperature) ||
    temperature < TEMPERATURE_RANGE.min ||
    temperature > TEMPERATURE_RANGE.max
  ) {
    throw invalid(
      'temperature',
      `a number from ${TEMPERATURE_RANGE.min} to ${TEMPERATURE_RANGE.max}`,
      temperature,
    );
  }
  return Object.freeze({
    maxTokens: whole('maxTokens', settings.maxTokens, 1),
    temperature,
    timeoutMs: whole('timeoutMs', settings.timeoutMs, 1),
    maxRetries: whole('maxRetries', settings.maxRetries, 0),
  });
}

function providerProblem(id: string, problem: string): ConfigurationError {
  return new ConfigurationError(`LLM setting providers.${id} ${problem}.`, {
    code: LLM_ERROR_CODES.InvalidProvider,
    details: { provider: id },
  });
}

/**
 * Applies `settings.providers` to every provider of `catalog`. Throws a
 * ConfigurationError for settings of an unknown provider, a key that is not text, or
 * a base URL that is not an http or https URL.
 */
export function providerAccess(
  catalog: ModelCatalog,
  providers: Readonly<Record<string, ProviderSettings>> | undefined,
): ReadonlyMap<string, ProviderAccess> {
  const given = providers ?? {};
  if (typeof given !== 'object' || given === null) {
    throw invalid('providers', 'an object keyed by provider id', given);
  }
  const known = catalog.providerIds();
  for (const [id, entry] of Object.entries(given)) {
    if (catalog.provider(id) === undefined) {
      const near = nearMatches(id, known, 3);
      throw new ConfigurationError(
        `LLM settings name provider "${id.length > 60 ? `${id.slice(0, 57)}...` : id}", which is not ` +
          `defined. Known providers: ${known.join(', ')}.` +
          (near.length > 0 ? ` Did you mean "${near.join('", "')}"?` : ''),
        { code: LLM_ERROR_CODES.UnknownProvider, details: { provider: id, providers: [...known] } },
      );
    }
    if (typeof entry !== 'object' || entry === null) {
      throw providerProblem(id, 'must be an object with apiKey and/or baseUrl');
    }
    if (entry.apiKey !== undefined && typeof entry.apiKey !== 'string') {
      throw providerProblem(id, 'has an apiKey that is not text');
    }
    if (entry.baseUrl !== undefined) {
      let url: URL | undefined;
      try {
        url = typeof entry.baseUrl === 'string' ? new URL(entry.baseUrl) : undefined;
      } catch {
        url = undefined;
      }
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        throw providerProblem(id, 'has a baseUrl that is not an http:// or https:// URL');
      }
    }
  }

  const access = new Map<string, ProviderAccess>();
  for (const provider of catalog.providers()) {
    const entry = given[provider.id] ?? {};
    const requirement = keyRequirement(provider);
    const key = requirement === 'none' ? undefined : entry.apiKey?.trim();
    const apiKey = key === undefined || key.length === 0 ? undefined : key;
    const baseUrl = entry.baseUrl ?? provider.defaultBaseUrl;
    access.set(
      provider.id,
      Object.freeze({
        provider,
        keyRequirement: requirement,
        apiKey,
        baseUrl,
        usable: baseUrl !== undefined && (requirement !== 'required' || apiKey !== undefined),
      }),
    );
  }
  return access;
}

/** The public view of one provider's access: everything but the key. */
export function statusOf(access: ProviderAccess): ProviderStatus {
  const { provider } = access;
  return Object.freeze({
    id: provider.id,
    displayName: provider.displayName,
    protocol: provider.protocol,
    configured: access.usable,
    keyRequirement: access.keyRequirement,
    keyConfigured: access.apiKey !== undefined,
    keyVariable: provider.apiKeyVariable,
    baseUrl: displayUrl(access.baseUrl),
  });
}
