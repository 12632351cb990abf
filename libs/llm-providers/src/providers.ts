/**
 * The twelve built-in LLM providers as data: id, display name, the variable an
 * application reads its credential from, the wire protocol its adapter speaks,
 * and the public endpoint used when the operator sets no base URL.
 *
 * Invariants:
 * - Ids are stable lower-case slugs; they are what TFO-Platform stores in its
 *   `llm_providers` table and what model resolution answers with.
 * - Only names of variables live here. This library never reads the environment:
 *   the application reads the variable and hands the value to an adapter.
 * - Every base URL is a default, never a constant: adapters accept an override
 *   (self-hosted gateways, proxies, a test server on loopback).
 *
 * Decisions:
 * - `custom` defaults to {@link CUSTOM_DEFAULT_BASE_URL} (a local OpenAI-compatible
 *   server), as the platform's catalog documents for its placeholder model; operators
 *   point it at their endpoint.
 * - Ollama has no API key: `OLLAMA_HOST` names the server, so it is recorded as the
 *   provider's base URL variable rather than as a credential. Anthropic and OpenAI carry the
 *   base URL variables their SDKs document (`ANTHROPIC_BASE_URL`, `OPENAI_BASE_URL`), and
 *   `custom` `CUSTOM_LLM_BASE_URL`, since it has no public endpoint of its own.
 * - Where a vendor runs regional endpoints (DashScope, Moonshot, Zhipu), the default
 *   is the one matching the key variable's usual issuer; the others are a base URL
 *   override away.
 */

/** How an adapter talks to a provider. One adapter per protocol. */
export type WireProtocol = 'anthropic' | 'openai-compatible' | 'openai' | 'mistral' | 'ollama';

/** Every wire protocol, in a fixed order. */
export const WIRE_PROTOCOLS: readonly WireProtocol[] = Object.freeze([
  'anthropic',
  'openai-compatible',
  'openai',
  'mistral',
  'ollama',
]);

/** Ids of the built-in providers, in the reference order. */
export const BUILT_IN_PROVIDER_IDS = Object.freeze([
  'anthropic',
  'google',
  'openai',
  'deepseek',
  'qwen',
  'ollama',
  'mistral',
  'grok',
  'kimi',
  'zhipu',
  'mimo',
  'custom',
] as const);

/** Id of a built-in provider. */
export type BuiltInProviderId = (typeof BUILT_IN_PROVIDER_IDS)[number];

/** A provider: built in, or added by the operator through the model catalog. */
export interface ProviderDefinition {
  /** Stable lower-case slug, e.g. `anthropic`. */
  readonly id: string;
  /** Name shown to people, e.g. `Anthropic`. */
  readonly displayName: string;
  /** Name of the variable holding the API key; undefined when the provider needs none. */
  readonly apiKeyVariable: string | undefined;
  /** Name of the variable holding the server address, when the provider documents one. */
  readonly baseUrlVariable: string | undefined;
  /** The protocol its adapter speaks. */
  readonly protocol: WireProtocol;
  /** Public endpoint used when no base URL is configured; undefined when none exists. */
  readonly defaultBaseUrl: string | undefined;
  /** True when the operator must configure a base URL because no public default exists. */
  readonly requiresBaseUrl: boolean;
  /** True for the twelve providers shipped with the library. */
  readonly builtIn: boolean;
}

/** Base URL the platform's seed gives its `custom-model-v1` placeholder. An example, not a default. */
export const CUSTOM_DEFAULT_BASE_URL = 'http://localhost:8000/v1';

function builtIn(
  id: BuiltInProviderId,
  displayName: string,
  protocol: WireProtocol,
  apiKeyVariable: string | undefined,
  defaultBaseUrl: string | undefined,
  baseUrlVariable?: string,
): ProviderDefinition {
  return Object.freeze({
    id,
    displayName,
    apiKeyVariable,
    baseUrlVariable,
    protocol,
    defaultBaseUrl,
    requiresBaseUrl: defaultBaseUrl === undefined,
    builtIn: true,
  });
}

/** The twelve built-in providers, in the reference order. Frozen. */
export const BUILT_IN_PROVIDERS: readonly ProviderDefinition[] = Object.freeze([
  builtIn(
    'anthropic',
    'Anthropic',
    'anthropic',
    'ANTHROPIC_API_KEY',
    'https://api.anthropic.com',
    'ANTHROPIC_BASE_URL',
  ),
  // Gemini through its OpenAI-compatible endpoint.
  builtIn(
    'google',
    'Google Gemini',
    'openai-compatible',
    'GOOGLE_API_KEY',
    'https://generativelanguage.googleapis.com/v1beta/openai/',
  ),
  builtIn('openai', 'OpenAI', 'openai', 'OPENAI_API_KEY', 'https://api.openai.com/v1', 'OPENAI_BASE_URL'),
  builtIn('deepseek', 'DeepSeek', 'openai-compatible', 'DEEPSEEK_API_KEY', 'https://api.deepseek.com'),
  // DashScope compatible mode, international region (mainland: dashscope.aliyuncs.com).
  builtIn(
    'qwen',
    'Qwen (DashScope)',
    'openai-compatible',
    'QWEN_API_KEY',
    'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  ),
  builtIn('ollama', 'Ollama', 'ollama', undefined, 'http://localhost:11434', 'OLLAMA_HOST'),
  builtIn('mistral', 'Mistral AI', 'mistral', 'MISTRAL_API_KEY', 'https://api.mistral.ai'),
  builtIn('grok', 'xAI Grok', 'openai-compatible', 'XAI_API_KEY', 'https://api.x.ai/v1'),
  // Moonshot's international platform (mainland: api.moonshot.cn).
  builtIn('kimi', 'Moonshot Kimi', 'openai-compatible', 'MOONSHOT_API_KEY', 'https://api.moonshot.ai/v1'),
  // BigModel open platform (international: api.z.ai/api/paas/v4).
  builtIn('zhipu', 'Zhipu GLM', 'openai-compatible', 'ZHIPU_API_KEY', 'https://open.bigmodel.cn/api/paas/v4'),
  builtIn('mimo', 'Xiaomi MiMo', 'openai-compatible', 'MIMO_API_KEY', 'https://api.xiaomimimo.com/v1'),
  builtIn(
    'custom',
    'Custom (OpenAI-compatible)',
    'openai-compatible',
    'CUSTOM_LLM_API_KEY',
    CUSTOM_DEFAULT_BASE_URL,
    'CUSTOM_LLM_BASE_URL',
  ),
]);

/** True when `id` names one of the twelve built-in providers. */
export function isBuiltInProviderId(id: string): id is BuiltInProviderId {
  return (BUILT_IN_PROVIDER_IDS as readonly string[]).includes(id);
}

/** The built-in provider with this id, or undefined. */
export function getBuiltInProvider(id: string): ProviderDefinition | undefined {
  return BUILT_IN_PROVIDERS.find((provider) => provider.id === id);
}
