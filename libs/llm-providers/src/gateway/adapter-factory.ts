/**
 * Builds the adapter serving one provider, chosen by the provider's wire protocol,
 * with the gateway's base URL, key, time budget, retries and logger.
 *
 * Invariants:
 * - Called only for a usable provider: it has a base URL, and a key when it needs one.
 * - `openai` and `openai-compatible` providers get an {@link OpenAICompatibleProvider}
 *   with their own definition, so added providers work as built-in ones do.
 * - `custom` without a key is handed to the adapter as a keyless provider (no
 *   Authorization header); with a key, as itself, so a rejected key names its variable.
 * - Added providers speaking `anthropic`, `mistral` or `ollama` reuse those adapters;
 *   the adapters' messages then use the vendor's name, and the gateway reports the
 *   added provider's id in responses and usage.
 */
import type { LlmProvider, Logger } from '@tfo/domain';
import { AnthropicProvider } from '../adapters/anthropic.js';
import type { AdapterOptions } from '../adapters/call-policy.js';
import { MistralProvider } from '../adapters/mistral.js';
import { OllamaProvider } from '../adapters/ollama.js';
import { OpenAICompatibleProvider } from '../adapters/openai-compatible.js';
import type { CallDefaults, ProviderAccess } from './provider-settings.js';

/** Builds the adapter for `access`; throws what the adapter's constructor throws. */
export function createAdapter(access: ProviderAccess, defaults: CallDefaults, logger: Logger): LlmProvider {
  const { provider, apiKey, baseUrl } = access;
  const options: AdapterOptions = {
    timeoutMs: defaults.timeoutMs,
    retry: { maxRetries: defaults.maxRetries },
    logger,
  };
  switch (provider.protocol) {
    case 'anthropic':
      return new AnthropicProvider({ ...options, apiKey: apiKey ?? '', baseUrl });
    case 'mistral':
      return new MistralProvider({ ...options, apiKey: apiKey ?? '', baseUrl });
    case 'ollama':
      return new OllamaProvider({ ...options, baseUrl });
    case 'openai':
    case 'openai-compatible': {
      const definition =
        apiKey === undefined && access.keyRequirement !== 'required'
          ? Object.freeze({ ...provider, apiKeyVariable: undefined })
          : provider;
      return new OpenAICompatibleProvider({
        ...options,
        provider: provider.id,
        definition,
        ...(apiKey === undefined ? {} : { apiKey }),
        baseUrl,
      });
    }
  }
}
