import type { StaticResourceDefinition } from '../definitions.js';

/** `config://server`: the effective configuration with every secret redacted. */
export function createConfigResource(redactedConfig: () => unknown): StaticResourceDefinition {
  return {
    kind: 'static',
    name: 'server-config',
    uri: 'config://server',
    title: 'Server configuration',
    description:
      'The effective server configuration (environment over file over defaults). Secrets are redacted.',
    mimeType: 'application/json',
    async read() {
      return [
        {
          uri: 'config://server',
          mimeType: 'application/json',
          text: JSON.stringify(redactedConfig(), null, 2),
        },
      ];
    },
  };
}
