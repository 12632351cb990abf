import { describe, expect, it } from '@jest/globals';
import { BUILT_IN_PROVIDER_IDS } from '../providers.js';
import { resolveProvider } from '../resolve.js';
import { DEFAULT_MODEL_ID, DEFAULT_MODELS } from './index.js';

/** The reference list, written out independently of the data files. */
const REFERENCE: Record<string, string> = {
  anthropic: `claude-opus-4-7 claude-opus-4-7-fast claude-opus-4-6 claude-opus-4-6-fast claude-sonnet-4-6
    claude-opus-4-5 claude-sonnet-4-5-20250929 claude-haiku-4-5 claude-haiku-4-5-20251001
    claude-sonnet-4-20250514 claude-mythos-preview`,
  google: `gemini-3.5-flash gemini-3.1-flash-lite gemini-3.1-pro-preview gemini-3-flash-preview gemini-2.5-pro
    gemini-2.5-flash gemini-2.5-flash-lite gemini-2.0-flash gemini-2.0-flash-lite gemini-1.5-pro`,
  openai: 'gpt-5.5-pro gpt-5.5 gpt-5.4-pro gpt-5.4 gpt-5.4-mini gpt-5.4-nano gpt-5.3-chat gpt-5 gpt-4.1 o3',
  deepseek: `deepseek-v4-pro deepseek-v4-flash deepseek-v3.2-speciale deepseek-chat deepseek-v3.2 deepseek-v3.2-exp
    deepseek-v3.1-terminus deepseek-chat-v3.1 deepseek-r1-0528 deepseek-reasoner`,
  qwen: `qwen3.6-max-preview qwen3.6-plus qwen3.6-flash qwen3.6-35b-a3b qwen3.6-27b qwen3.5-plus qwen3.5-9b
    qwen3.5-35b-a3b qwen3.5-27b qwen3.5-122b-a10b`,
  ollama: `qwen3.6:flash qwen3.5:plus llama4:maverick-17b gemma4:26b mistral-small:2603 qwen3:32b deepseek-r1:70b
    granite:4.1-8b llama3.3:70b phi4:14b`,
  mistral: `mistral-medium-3-5 mistral-small-2603 mistral-large-2512 devstral-2512 ministral-14b-2512
    ministral-8b-2512 ministral-3b-2512 mistral-medium-2508 codestral-2508 mistral-large-2411`,
  grok: `grok-4.3 grok-4.20-multi-agent grok-4.20-0309-reasoning grok-4.20-0309-non-reasoning
    grok-4-1-fast-reasoning grok-4-1-fast-non-reasoning grok-3 grok-3-mini grok-2 grok-2-mini`,
  kimi: `kimi-k2.6 kimi-k2.5 kimi-k2-thinking kimi-k2-0905 kimi-k2-turbo-preview kimi-k2 moonshot-v1-128k
    moonshot-v1-32k moonshot-v1-8k moonshot-v1-auto`,
  zhipu: 'glm-5.1 glm-5-turbo glm-5 glm-4.7-flash glm-4.7 glm-4.6 glm-4.5 glm-4.5-air glm-4-flash glm-4',
  mimo: `mimo-v2.5-pro mimo-v2.5 mimo-v2-omni mimo-v2-pro mimo-v2-flash mimo-v2-tts mimo-7b mimo-vl-7b
    mimo-v2.5-lite mimo-7b-0321`,
  custom: 'custom-model-v1',
};
const EXPECTED = Object.entries(REFERENCE).flatMap(([provider, ids]) =>
  ids
    .split(/\s+/)
    .filter((id) => id.length > 0)
    .map((id) => ({ id, provider })),
);

describe('default model catalog', () => {
  it('holds the 112 reference ids, each exactly once, in reference order', () => {
    expect(EXPECTED).toHaveLength(112);
    const ids = DEFAULT_MODELS.map((model) => model.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(EXPECTED.map((entry) => entry.id));
  });

  it('gives every id its documented provider, in the data and through resolution', () => {
    for (const { id, provider } of EXPECTED) {
      expect({ id, provider: DEFAULT_MODELS.find((model) => model.id === id)?.provider }).toEqual({
        id,
        provider,
      });
      expect({ id, provider: resolveProvider(id) }).toEqual({ id, provider });
    }
  });

  it('matches the reference count per provider: 11 Anthropic, 10 for the next ten, 1 custom', () => {
    const counts = Object.fromEntries(
      BUILT_IN_PROVIDER_IDS.map((provider) => [
        provider,
        DEFAULT_MODELS.filter((model) => model.provider === provider).length,
      ]),
    );
    expect(counts).toEqual({
      anthropic: 11,
      google: 10,
      openai: 10,
      deepseek: 10,
      qwen: 10,
      ollama: 10,
      mistral: 10,
      grok: 10,
      kimi: 10,
      zhipu: 10,
      mimo: 10,
      custom: 1,
    });
    expect(DEFAULT_MODELS.filter((model) => !model.placeholder)).toHaveLength(111);
  });

  it('keeps limits coherent: positive integers, output within the window, or undefined', () => {
    for (const model of DEFAULT_MODELS) {
      for (const limit of [model.contextWindow, model.maxOutputTokens]) {
        if (limit !== undefined) expect(Number.isSafeInteger(limit) && limit > 0).toBe(true);
      }
      if (model.contextWindow !== undefined && model.maxOutputTokens !== undefined) {
        expect(model.maxOutputTokens).toBeLessThanOrEqual(model.contextWindow);
      }
    }
    // Local Ollama windows depend on the server, so none are recorded.
    expect(DEFAULT_MODELS.filter((m) => m.provider === 'ollama' && m.contextWindow !== undefined)).toEqual(
      [],
    );
  });

  it('records capabilities per model and marks only the custom placeholder', () => {
    const get = (id: string) => DEFAULT_MODELS.find((model) => model.id === id);
    expect(get('deepseek-reasoner')?.capabilities).toEqual({ streaming: true, tools: true, reasoning: true });
    expect(get('deepseek-chat')?.capabilities.reasoning).toBe(false);
    expect(get('grok-4.20-0309-non-reasoning')?.capabilities.reasoning).toBe(false);
    expect(get('mimo-v2-tts')?.capabilities.tools).toBe(false);
    expect(DEFAULT_MODELS.filter((model) => model.placeholder).map((model) => model.id)).toEqual([
      'custom-model-v1',
    ]);
    expect(DEFAULT_MODEL_ID).toBe('claude-sonnet-4-20250514');
    expect(get(DEFAULT_MODEL_ID)?.provider).toBe('anthropic');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_MODELS)).toBe(true);
    expect(DEFAULT_MODELS.every((m) => Object.isFrozen(m) && Object.isFrozen(m.capabilities))).toBe(true);
  });
});
