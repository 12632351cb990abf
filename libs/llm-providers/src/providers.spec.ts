import { describe, expect, it } from '@jest/globals';
import {
  BUILT_IN_PROVIDERS,
  BUILT_IN_PROVIDER_IDS,
  getBuiltInProvider,
  isBuiltInProviderId,
  WIRE_PROTOCOLS,
} from './providers.js';

describe('built-in providers', () => {
  it('lists the twelve providers in reference order with their variables and protocols', () => {
    expect(BUILT_IN_PROVIDERS.map((p) => [p.id, p.apiKeyVariable ?? p.baseUrlVariable, p.protocol])).toEqual([
      ['anthropic', 'ANTHROPIC_API_KEY', 'anthropic'],
      ['google', 'GOOGLE_API_KEY', 'openai-compatible'],
      ['openai', 'OPENAI_API_KEY', 'openai'],
      ['deepseek', 'DEEPSEEK_API_KEY', 'openai-compatible'],
      ['qwen', 'QWEN_API_KEY', 'openai-compatible'],
      ['ollama', 'OLLAMA_HOST', 'ollama'],
      ['mistral', 'MISTRAL_API_KEY', 'mistral'],
      ['grok', 'XAI_API_KEY', 'openai-compatible'],
      ['kimi', 'MOONSHOT_API_KEY', 'openai-compatible'],
      ['zhipu', 'ZHIPU_API_KEY', 'openai-compatible'],
      ['mimo', 'MIMO_API_KEY', 'openai-compatible'],
      ['custom', 'CUSTOM_LLM_API_KEY', 'openai-compatible'],
    ]);
    expect(BUILT_IN_PROVIDERS.filter((p) => p.baseUrlVariable).map((p) => [p.id, p.baseUrlVariable])).toEqual(
      [
        ['anthropic', 'ANTHROPIC_BASE_URL'],
        ['openai', 'OPENAI_BASE_URL'],
        ['ollama', 'OLLAMA_HOST'],
        ['custom', 'CUSTOM_LLM_BASE_URL'],
      ],
    );
    expect(BUILT_IN_PROVIDERS.map((p) => p.id)).toEqual([...BUILT_IN_PROVIDER_IDS]);
    expect(BUILT_IN_PROVIDERS.every((p) => WIRE_PROTOCOLS.includes(p.protocol) && p.builtIn)).toBe(true);
  });

  it('gives every provider a default base URL (custom: the documented local endpoint)', () => {
    for (const provider of BUILT_IN_PROVIDERS) {
      expect(new URL(provider.defaultBaseUrl ?? 'invalid').protocol).toMatch(/^https?:$/);
      expect(provider.requiresBaseUrl).toBe(false);
    }
    expect(getBuiltInProvider('custom')?.defaultBaseUrl).toBe('http://localhost:8000/v1');
    expect(getBuiltInProvider('ollama')?.apiKeyVariable).toBeUndefined();
  });

  it('recognises built-in ids only', () => {
    expect(isBuiltInProviderId('grok')).toBe(true);
    expect(isBuiltInProviderId('xai')).toBe(false);
    expect(getBuiltInProvider('xai')).toBeUndefined();
  });
});
