/**
 * The model gateway's settings from the server configuration: the `llm` section with the
 * provider keys and base URLs of the `providers` section. One function, so the start-up check and
 * the tools of both servers build the gateway from the same settings.
 */
import type { LlmGatewaySettings } from '@tfo/llm-providers/gateway';
import { providerCredentialsOf, type ServerConfig } from '@tfo/runtime';

/** The settings the model gateway is built from for `config`. */
export function modelSettingsOf(config: ServerConfig): LlmGatewaySettings {
  return { ...config.llm, providers: providerCredentialsOf(config) };
}
