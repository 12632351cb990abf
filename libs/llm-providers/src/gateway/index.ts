/**
 * `@tfo/llm-providers/gateway`: the LlmGateway alone, for processes that start often (the
 * MCP servers). It loads no vendor SDK until a provider is first called, where the package
 * root, which also exports the adapter classes, loads all four at import.
 *
 * ```ts
 * import { LlmGateway } from '@tfo/llm-providers/gateway';
 * ```
 */
export {
  LlmGateway,
  SAMPLING_MODEL,
  type LlmCallOptions,
  type LlmGatewayDeps,
  type LlmGatewayRequest,
  type Route,
} from './llm-gateway.js';
export {
  TEMPERATURE_RANGE,
  type KeyRequirement,
  type LlmGatewaySettings,
  type ProviderSettings,
  type ProviderStatus,
} from './provider-settings.js';
