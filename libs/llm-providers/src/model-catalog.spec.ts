import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, ValidationError } from '@tfo/domain';
import { ModelCatalog, type ModelCatalogOptions } from './model-catalog.js';

function failure(options: ModelCatalogOptions): ConfigurationError {
  try {
    new ModelCatalog(options);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('ModelCatalog', () => {
  it('starts from the 112 built-in models and twelve providers', () => {
    const catalog = new ModelCatalog();
    expect(catalog.size).toBe(112);
    expect(catalog.providers()).toHaveLength(12);
    expect(catalog.list({ provider: 'anthropic' })).toHaveLength(11);
    expect(catalog.list({ provider: 'custom' }).map((m) => m.id)).toEqual(['custom-model-v1']);
    expect(catalog.get('grok-3')?.provider).toBe('grok');
    expect(catalog.get('grok-99')).toBeUndefined();
    expect(catalog.has('glm-4.6')).toBe(true);
  });

  it('merges added providers and models after the built-in ones', () => {
    const catalog = new ModelCatalog({
      providers: [{ id: 'acme', baseUrl: 'https://llm.acme.example/v1', apiKeyVariable: 'ACME_LLM_KEY' }],
      models: [
        { id: 'acme-large', provider: 'acme', contextWindow: 32_000, capabilities: { tools: true } },
        { id: 'qwen3:8b', provider: 'ollama' },
      ],
    });
    expect(catalog.size).toBe(114);
    expect(catalog.modelIds().slice(-2)).toEqual(['acme-large', 'qwen3:8b']);
    expect(catalog.providerIds().at(-1)).toBe('acme');
    expect(catalog.provider('acme')).toEqual({
      id: 'acme',
      displayName: 'acme',
      apiKeyVariable: 'ACME_LLM_KEY',
      baseUrlVariable: undefined,
      protocol: 'openai-compatible',
      defaultBaseUrl: 'https://llm.acme.example/v1',
      requiresBaseUrl: false,
      builtIn: false,
    });
    expect(catalog.get('acme-large')).toEqual({
      id: 'acme-large',
      provider: 'acme',
      contextWindow: 32_000,
      maxOutputTokens: undefined,
      capabilities: { streaming: true, tools: true, reasoning: false },
      placeholder: false,
    });
    expect(catalog.list({ provider: 'ollama' })).toHaveLength(11);
    expect(catalog.list({ provider: 'acme' }).map((m) => m.id)).toEqual(['acme-large']);
  });

  it('resolves added ids exactly, before the prefix rules, and returns the provider definition', () => {
    const catalog = new ModelCatalog({
      providers: [{ id: 'acme', baseUrl: 'http://127.0.0.1:9000/v1', protocol: 'openai' }],
      models: [
        { id: 'qwen3:8b', provider: 'ollama' },
        { id: 'acme-large', provider: 'acme' },
      ],
    });
    const tag = catalog.resolve('qwen3:8b');
    expect(tag.provider).toBe('ollama');
    expect(tag.via).toBe('catalog');
    expect(tag.providerDefinition.defaultBaseUrl).toBe('http://localhost:11434');
    expect(catalog.resolve('acme-large').providerDefinition.protocol).toBe('openai');
    expect(catalog.resolve('claude-3-opus').providerDefinition.id).toBe('anthropic');
    expect(catalog.resolve('mistral-small:2603').provider).toBe('ollama');
    // A fresh catalog does not see another catalog's additions.
    expect(new ModelCatalog().resolve('qwen3:8b').provider).toBe('qwen');
  });

  it('names the added providers when an id is unknown', () => {
    const catalog = new ModelCatalog({ providers: [{ id: 'acme', baseUrl: 'https://llm.acme.example' }] });
    let error: unknown;
    try {
      catalog.resolve('acme-lage');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('LLM.UNKNOWN_MODEL');
    expect((error as ValidationError).message).toContain('custom, acme.');
  });

  it('rejects an unknown provider filter with near matches', () => {
    expect(() => new ModelCatalog().list({ provider: 'antropic' })).toThrow(
      /Unknown provider "antropic".*"anthropic"/,
    );
  });

  it('rejects a model id already in the catalog', () => {
    const error = failure({ models: [{ id: 'gpt-5', provider: 'custom' }] });
    expect(error.code).toBe('LLM.DUPLICATE_MODEL');
    expect(error.message).toBe(
      'Added model #1 reuses the model id "gpt-5", already in the catalog for provider "openai"; each model id may appear once.',
    );
    expect(
      failure({
        models: [
          { id: 'acme-1', provider: 'custom' },
          { id: 'acme-1', provider: 'custom' },
        ],
      }).message,
    ).toContain('Added model #2 reuses the model id "acme-1"');
  });

  it('rejects a model for an unknown provider, suggesting the closest', () => {
    const error = failure({ models: [{ id: 'llama-x', provider: 'olama' }] });
    expect(error.code).toBe('LLM.UNKNOWN_PROVIDER');
    expect(error.message).toContain('names provider "olama", which is not defined');
    expect(error.message).toContain('Did you mean "ollama"?');
    expect(error.details).toMatchObject({ provider: 'olama', nearMatches: ['ollama'] });
  });

  it('rejects a duplicate or malformed provider', () => {
    expect(failure({ providers: [{ id: 'openai', baseUrl: 'https://x.example' }] }).code).toBe(
      'LLM.DUPLICATE_PROVIDER',
    );
    expect(
      failure({
        providers: [
          { id: 'acme', baseUrl: 'https://x.example' },
          { id: 'acme', baseUrl: 'https://y.example' },
        ],
      }).message,
    ).toContain('Added provider #2 reuses the provider id "acme"');
    const bad = [
      { id: 'Acme', baseUrl: 'https://x.example' },
      { id: 'acme', baseUrl: 'ftp://x.example' },
      { id: 'acme', baseUrl: 'not a url' },
      { id: 'acme', baseUrl: 'https://x.example', apiKeyVariable: 'ACME KEY' },
      { id: 'acme', baseUrl: 'https://x.example', protocol: 'grpc' as never },
    ];
    for (const provider of bad) expect(failure({ providers: [provider] }).code).toBe('LLM.INVALID_PROVIDER');
  });

  it('rejects malformed model additions', () => {
    const bad = [
      { id: '', provider: 'custom' },
      { id: 'two words', provider: 'custom' },
      { id: 'm', provider: 'custom', contextWindow: 0 },
      { id: 'm', provider: 'custom', maxOutputTokens: 1.5 },
      { id: 'm', provider: 'custom', contextWindow: 1_000, maxOutputTokens: 2_000 },
      { id: 'm', provider: 'custom', capabilities: { tools: 'yes' as never } },
    ];
    for (const model of bad) expect(failure({ models: [model] }).code).toBe('LLM.INVALID_MODEL');
  });

  it('hands out frozen entries', () => {
    const catalog = new ModelCatalog({ models: [{ id: 'acme-1', provider: 'custom' }] });
    expect(Object.isFrozen(catalog.list())).toBe(true);
    expect(Object.isFrozen(catalog.get('acme-1'))).toBe(true);
    expect(Object.isFrozen(catalog.get('acme-1')?.capabilities)).toBe(true);
  });
});
