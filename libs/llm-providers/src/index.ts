/**
 * @tfo/llm-providers: the LLM model catalog and provider resolution for TelemetryFlow.
 * Depends on `@tfo/domain` and the vendors' SDKs; the adapters do network I/O, and
 * nothing reads the environment (keys and base URLs come from the caller).
 *
 * ## Use
 *
 * ```ts
 * import { LlmGateway, ModelCatalog, resolveProvider } from '@tfo/llm-providers';
 *
 * resolveProvider('claude-sonnet-4-20250514'); // 'anthropic'
 * resolveProvider('mistral-small:2603'); // 'ollama' (a tag: the `:` rule comes before `mistral-`)
 *
 * const catalog = new ModelCatalog({ models: [{ id: 'qwen3:8b', provider: 'ollama' }] });
 * catalog.list({ provider: 'ollama' }); // the ten built-in tags and qwen3:8b
 * catalog.resolve('qwen3:8b').providerDefinition.defaultBaseUrl; // 'http://localhost:11434'
 *
 * const gateway = new LlmGateway(
 *   { defaultModel: 'claude-sonnet-4-20250514', maxTokens: 4096, temperature: 0.2,
 *     timeoutMs: 120_000, maxRetries: 2, providers: { anthropic: { apiKey } } },
 *   { activity, logger },
 * );
 * await gateway.complete({ messages: [{ role: 'user', content: 'Hi' }] }, { organizationId });
 * ```
 *
 * ## Contents
 *
 * - Twelve providers as data ({@link BUILT_IN_PROVIDERS}): id, name, credential
 *   variable name, wire protocol, default base URL. The application reads the
 *   variables; this library only names them.
 * - The 112 model ids TFO-Platform seeds ({@link DEFAULT_MODELS}), with published
 *   limits where they exist and capabilities (streaming, tools, reasoning).
 * - Resolution: a catalog id wins, then the platform's prefix rules in order
 *   ({@link PROVIDER_RULES}); anything else is a ValidationError naming the providers.
 * - Adapters implementing the domain's LLM port: {@link AnthropicProvider} (Messages),
 *   {@link OpenAICompatibleProvider} (Chat Completions, for openai and the
 *   OpenAI-compatible providers), {@link MistralProvider} (Mistral's Chat Completions)
 *   and {@link OllamaProvider} (Ollama's `/api/chat`, keyless), with one retry,
 *   time-budget and error policy.
 * - {@link LlmGateway}: what the MCP tools call. Routes a model id (or the default) to
 *   its provider or to the client's own model ({@link SAMPLING_MODEL}), builds each
 *   provider's adapter once, applies defaults and limits, and records every call's usage.
 */
export {
  BUILT_IN_PROVIDERS,
  BUILT_IN_PROVIDER_IDS,
  CUSTOM_DEFAULT_BASE_URL,
  WIRE_PROTOCOLS,
  getBuiltInProvider,
  isBuiltInProviderId,
  type BuiltInProviderId,
  type ProviderDefinition,
  type WireProtocol,
} from './providers.js';
export {
  DEFAULT_MODELS,
  DEFAULT_MODEL_ID,
  type ModelCapabilities,
  type ModelDefinition,
} from './catalog/index.js';
export {
  DEFAULT_MODEL_LOOKUP,
  PROVIDER_RULES,
  matchProviderRule,
  resolveModel,
  resolveProvider,
  type ModelLookup,
  type ModelResolution,
  type ProviderRule,
} from './resolve.js';
export {
  ModelCatalog,
  type CatalogResolution,
  type ModelAddition,
  type ModelCatalogOptions,
  type ModelListFilter,
  type ProviderAddition,
} from './model-catalog.js';
export { LLM_ERROR_CODES, type LlmErrorCode } from './error-codes.js';
export { AnthropicProvider, type AnthropicProviderOptions } from './adapters/anthropic.js';
export {
  OpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from './adapters/openai-compatible.js';
export { parseRetryAfter, type AdapterOptions, type RetryOptions } from './adapters/call-policy.js';
export { MistralProvider, type MistralProviderOptions } from './adapters/mistral.js';
export { OllamaProvider, type OllamaProviderOptions } from './adapters/ollama.js';
export * from './gateway/index.js';
