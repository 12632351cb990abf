import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@tfo/domain';
import { BUILT_IN_PROVIDER_IDS } from './providers.js';
import {
  DEFAULT_MODEL_LOOKUP,
  PROVIDER_RULES,
  matchProviderRule,
  resolveModel,
  resolveProvider,
  type ModelLookup,
} from './resolve.js';

/** A lookup with no catalog entries, so only the rules answer. */
const RULES_ONLY: ModelLookup = {
  findModel: () => undefined,
  modelIds: () => [],
  providerIds: () => BUILT_IN_PROVIDER_IDS,
};

function thrown(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('provider rules', () => {
  it('are tried in the documented order', () => {
    expect(PROVIDER_RULES.map((rule) => rule.provider)).toEqual([
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
    ]);
  });

  it.each([
    ['claude-3-5-haiku-20241022', 'anthropic'],
    ['claude_instant', 'anthropic'],
    ['gemini-exp-1206', 'google'],
    ['gpt-4o', 'openai'],
    ['o3-mini', 'openai'],
    ['deepseek-coder', 'deepseek'],
    ['deepseek_v3', 'deepseek'],
    ['qwen-max', 'qwen'],
    ['qwen3-235b-a22b', 'qwen'],
    ['llama3.2:3b', 'ollama'],
    ['mistral-tiny', 'mistral'],
    ['ministral-3b-latest', 'mistral'],
    ['codestral-latest', 'mistral'],
    ['devstral-small-2505', 'mistral'],
    ['grok-beta', 'grok'],
    ['kimi-latest', 'kimi'],
    ['moonshot-v1-auto-preview', 'kimi'],
    ['glm-4-plus', 'zhipu'],
    ['mimo-v3', 'mimo'],
    ['custom-gateway-model', 'custom'],
  ])('resolve the uncatalogued id %s to %s', (id, provider) => {
    expect(resolveModel(id, RULES_ONLY)).toEqual({ modelId: id, provider, model: undefined, via: 'rule' });
  });

  it('put the Ollama tag rule after qwen/deepseek/gpt/claude and before mistral', () => {
    expect(resolveProvider('mistral-small:2603', RULES_ONLY)).toBe('ollama');
    expect(resolveProvider('devstral:24b', RULES_ONLY)).toBe('ollama');
    expect(resolveProvider('glm-4:9b', RULES_ONLY)).toBe('ollama');
    // The platform's order, kept: earlier prefixes win over the tag rule.
    expect(resolveProvider('qwen3:8b', RULES_ONLY)).toBe('qwen');
    expect(resolveProvider('deepseek-r1:7b', RULES_ONLY)).toBe('deepseek');
    expect(resolveProvider('gpt-oss:20b', RULES_ONLY)).toBe('openai');
  });

  it('compare the trimmed, lower-cased id', () => {
    expect(matchProviderRule('  Claude-3-Opus ')?.provider).toBe('anthropic');
    expect(resolveModel(' GPT-4o ', RULES_ONLY).modelId).toBe('GPT-4o');
    expect(matchProviderRule('llama-3-70b')).toBeUndefined();
  });
});

describe('resolveModel / resolveProvider', () => {
  it('lets an exact catalog id win over the rules', () => {
    const tag = resolveModel('qwen3:32b');
    expect(tag.provider).toBe('ollama');
    expect(tag.via).toBe('catalog');
    expect(tag.model?.id).toBe('qwen3:32b');
    expect(resolveProvider('deepseek-r1:70b')).toBe('ollama');
    expect(resolveProvider('mistral-small:2603')).toBe('ollama');
    expect(resolveProvider('mistral-small-2603')).toBe('mistral');
    expect(resolveProvider('o3')).toBe('openai');
  });

  it('uses the catalog it is given', () => {
    const lookup: ModelLookup = {
      findModel: (id) =>
        id === 'qwen3:8b'
          ? {
              id,
              provider: 'ollama',
              contextWindow: undefined,
              maxOutputTokens: undefined,
              capabilities: { streaming: true, tools: true, reasoning: true },
              placeholder: false,
            }
          : undefined,
      modelIds: () => ['qwen3:8b'],
      providerIds: () => BUILT_IN_PROVIDER_IDS,
    };
    expect(resolveProvider('qwen3:8b', lookup)).toBe('ollama');
    expect(resolveProvider('qwen3:8b')).toBe('qwen');
  });

  it('rejects an unknown id with the providers and near catalog ids', () => {
    const error = thrown(() => resolveProvider('gtp-5'));
    expect(error.code).toBe('LLM.UNKNOWN_MODEL');
    for (const provider of BUILT_IN_PROVIDER_IDS) expect(error.message).toContain(provider);
    expect(error.message).toContain('"gtp-5"');
    expect(error.message).toContain('Did you mean "gpt-5"');
    expect(error.details).toMatchObject({ model: 'gtp-5', providers: [...BUILT_IN_PROVIDER_IDS] });
    expect(error.details?.['nearMatches']).toContain('gpt-5');
  });

  it('rejects an id that matches nothing even without near matches', () => {
    const error = thrown(() => resolveProvider('llama-3-70b-instruct'));
    expect(error.message).toMatch(/Known providers: anthropic, google, openai, .*, custom\./);
    expect(error.message).not.toContain('Did you mean');
  });

  it('rejects empty and non-string ids', () => {
    expect(thrown(() => resolveProvider('   ')).code).toBe('LLM.UNKNOWN_MODEL');
    expect(thrown(() => resolveProvider(42 as unknown as string)).message).toContain('Known providers');
  });

  it('exposes the default lookup over the built-in catalog', () => {
    expect(DEFAULT_MODEL_LOOKUP.modelIds()).toHaveLength(112);
    expect(DEFAULT_MODEL_LOOKUP.findModel('glm-4')?.provider).toBe('zhipu');
  });
});
