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
 *
 * Decision: each adapter module (and with it its vendor SDK) is imported on first use, so a
 * process that talks to one provider, or to none, does not pay for loading the four SDKs
 * (together most of a second at start-up).
 */
import type { LlmProvider, Logger } from '@tfo/domain';
import type { AdapterOptions } from '../adapters/call-policy.js';
import type { CallDefaults, ProviderAccess } from './provider-settings.js';

/** Builds the adapter for `access`; rejects with what the adapter's constructor throws. */
export async function createAdapter(
  access: ProviderAccess,
  defaults: CallDefaults,
  logger: Logger,
): Promise<LlmProvider> {
  const { provider, apiKey, baseUrl } = access;
  const options: AdapterOptions = {
    timeoutMs: defaults.timeoutMs,
    retry: { maxRetries: defaults.maxRetries },
    logger,
  };
  switch (provider.protocol) {
    case 'anthropic': {
      const { AnthropicProvider } = await import('../adapters/anthropic.js');
      return new AnthropicProvider({ ...options, apiKey: apiKey ?? '', baseUrl });
    }
    case 'mistral': {
      const { MistralProvider } = await import('../adapters/mistral.js');
      return new MistralProvider({ ...options, apiKey: apiKey ?? '', baseUrl });
    }
    case 'ollama': {
      const { OllamaProvider } = await import('../adapters/ollama.js');
      return new OllamaProvider({ ...options, baseUrl });
    }
    case 'openai':
    case 'openai-compatible': {
      const { OpenAICompatibleProvider } = await import('../adapters/openai-compatible.js');
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
