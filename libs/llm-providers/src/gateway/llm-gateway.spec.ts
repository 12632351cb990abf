import { describe, expect, it } from '@jest/globals';
import {
  ConfigurationError,
  DependencyError,
  ValidationError,
  noopActivityRecorder,
  noopLogger,
  type ActivityRecorder,
  type LlmProvider,
  type LlmRequest,
  type LlmResponse,
  type LlmUsageRecord,
  type Logger,
} from '@tfo/domain';
import { LlmGateway, SAMPLING_MODEL, type LlmGatewayDeps } from './llm-gateway.js';
import type { LlmGatewaySettings } from './provider-settings.js';

const KEY = 'sk-ant-unit-4b1d9e7c20a35f68-secret';
const AT = new Date('2026-03-01T12:00:00Z');
const MESSAGES = [{ role: 'user' as const, content: 'Why is checkout slow?' }];

const SETTINGS: LlmGatewaySettings = {
  defaultModel: 'claude-sonnet-4-20250514',
  maxTokens: 2048,
  temperature: 0.3,
  timeoutMs: 30_000,
  maxRetries: 1,
  providers: {},
};

/** An ActivityRecorder that keeps the LLM usage records. */
class RecordingActivity implements ActivityRecorder {
  readonly usage: LlmUsageRecord[] = [];
  toolCall = noopActivityRecorder.toolCall;
  resourceRead = noopActivityRecorder.resourceRead;
  error = noopActivityRecorder.error;
  session = noopActivityRecorder.session;
  llmUsage(record: LlmUsageRecord): void {
    this.usage.push(record);
  }
}

/** The client's model (MCP sampling) as the LLM port: answers from a script, keeps the requests. */
class FakeSampling implements LlmProvider {
  readonly id = 'sampling';
  readonly requests: LlmRequest[] = [];
  constructor(private readonly outcome: Error | undefined = undefined) {}

  async complete(request: LlmRequest): Promise<LlmResponse> {
    this.requests.push(request);
    if (this.outcome !== undefined) throw this.outcome;
    return {
      text: 'The checkout pods are CPU-throttled.',
      stopReason: 'end_turn',
      usage: { inputTokens: 120, outputTokens: 9 },
      model: 'client-model-x',
      provider: 'sampling',
      latencyMs: 5,
    };
  }
}

/** A fallback that also streams. */
class StreamingSampling extends FakeSampling {
  async stream(request: LlmRequest, onText: (delta: string) => void): Promise<LlmResponse> {
    onText('The checkout ');
    onText('pods are CPU-throttled.');
    return { ...(await this.complete(request)), usage: { inputTokens: 30, outputTokens: 4 } };
  }
}

function recordingLogger(
  lines: { level: string; fields: Record<string, unknown>; message?: string }[],
): Logger {
  const at =
    (level: string) =>
    (fields: object | string, message?: string): void => {
      if (typeof fields === 'string') lines.push({ level, fields: {}, message: fields });
      else lines.push({ level, fields: { ...fields }, message });
    };
  const logger: Logger = {
    ...noopLogger,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

function gateway(
  overrides: Partial<LlmGatewaySettings> = {},
  deps: LlmGatewayDeps = {},
): { gateway: LlmGateway; activity: RecordingActivity } {
  const activity = new RecordingActivity();
  return {
    gateway: new LlmGateway({ ...SETTINGS, ...overrides }, { activity, now: () => AT, ...deps }),
    activity,
  };
}

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to throw');
}

async function rejected(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('LlmGateway routing', () => {
  it('routes an omitted model to the default model and named ids through the catalog', () => {
    const { gateway: llm } = gateway({
      providers: { anthropic: { apiKey: KEY }, openai: { apiKey: 'sk-o' } },
    });
    expect(llm.route(undefined)).toMatchObject({
      kind: 'provider',
      modelId: 'claude-sonnet-4-20250514',
      provider: { id: 'anthropic', protocol: 'anthropic' },
    });
    expect(llm.route('claude-haiku-4-5')).toMatchObject({ kind: 'provider', provider: { id: 'anthropic' } });
    // Not in the catalog: the `gpt-` rule decides.
    expect(llm.route(' gpt-9-preview ')).toMatchObject({
      modelId: 'gpt-9-preview',
      provider: { id: 'openai' },
    });
  });

  it('rejects an unknown model with the catalog error naming the providers', () => {
    const { gateway: llm } = gateway({ providers: { anthropic: { apiKey: KEY } } });
    const error = thrown(() => llm.route('banana-7b')) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('LLM.UNKNOWN_MODEL');
    expect(error.message).toContain('anthropic, google, openai');
  });

  it('sends the reserved sampling id to the fallback, and explains when there is none', () => {
    const { gateway: llm } = gateway({ providers: { ollama: {} } });
    expect(SAMPLING_MODEL).toBe('sampling');
    expect(llm.route('sampling', { fallbackAvailable: true })).toEqual({ kind: 'sampling' });
    const error = thrown(() => llm.route('sampling')) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('LLM.SAMPLING_UNAVAILABLE');
    expect(error.message).toContain('does not support sampling');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(error.message).toContain('providers.anthropicApiKey');
    expect(error.message).toContain('Ollama');
    // Ollama and custom need no key, so they count as configured.
    expect(error.details).toMatchObject({ configured: ['ollama', 'custom'] });
  });

  it('lets the fallback stand in for a default model whose provider has no key', () => {
    const { gateway: llm } = gateway();
    expect(llm.route(undefined, { fallbackAvailable: true })).toEqual({
      kind: 'sampling',
      requestedModel: 'claude-sonnet-4-20250514',
    });
    const error = thrown(() => llm.route(undefined)) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.code).toBe('LLM.MISSING_API_KEY');
    expect(error.message).toContain('The default model "claude-sonnet-4-20250514"');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(error.message).toContain('providers.anthropicApiKey');
    expect(error.message).toContain('supports sampling');
  });

  it('refuses a named model whose provider has no key, even with a fallback, naming the variable', () => {
    const { gateway: llm } = gateway({ providers: { anthropic: { apiKey: KEY }, openai: { apiKey: '  ' } } });
    for (const fallbackAvailable of [false, true]) {
      const error = thrown(() => llm.route('gpt-4o', { fallbackAvailable })) as ConfigurationError;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.code).toBe('LLM.MISSING_API_KEY');
      expect(error.message).toBe(
        'Model "gpt-4o" is served by OpenAI, which needs an API key, and none is configured. ' +
          'Set OPENAI_API_KEY, or the configuration key providers.openaiApiKey.',
      );
      expect(error.details).toMatchObject({ provider: 'openai', variable: 'OPENAI_API_KEY' });
      expect(JSON.stringify(error.details)).not.toContain(KEY);
    }
  });

  it('routes keyless providers without settings: Ollama, custom, and added providers without a key variable', () => {
    const { gateway: llm } = gateway({
      customProviders: [
        { id: 'acme', baseUrl: 'https://llm.acme.example/v1', apiKeyVariable: 'ACME_LLM_KEY' },
        { id: 'lab', baseUrl: 'http://10.0.0.5:8000/v1' },
      ],
      models: [
        { id: 'acme-large', provider: 'acme' },
        { id: 'lab-small', provider: 'lab' },
      ],
    });
    expect(llm.route('qwen3:32b')).toMatchObject({ kind: 'provider', provider: { id: 'ollama' } });
    expect(llm.route('custom-model-v1')).toMatchObject({ kind: 'provider', provider: { id: 'custom' } });
    expect(llm.route('lab-small')).toMatchObject({ kind: 'provider', provider: { id: 'lab' } });
    const error = thrown(() => llm.route('acme-large'));
    expect(error.message).toContain('Set ACME_LLM_KEY, or the configuration key providers.acmeApiKey');
  });

  it('uses sampling as the default model when the settings say so', () => {
    const { gateway: llm } = gateway({ defaultModel: 'sampling' });
    expect(llm.route(undefined, { fallbackAvailable: true })).toEqual({ kind: 'sampling' });
    expect(thrown(() => llm.route(undefined))).toBeInstanceOf(ValidationError);
  });
});

describe('LlmGateway calls', () => {
  it('answers through the fallback with no key at all, with the default settings, and records usage', async () => {
    const { gateway: llm, activity } = gateway();
    const fallback = new FakeSampling();
    const controller = new AbortController();
    const response = await llm.complete(
      { system: 'You are an SRE.', messages: MESSAGES, stopSequences: ['END'] },
      {
        organizationId: 'org-1',
        sessionId: 'sess-1',
        caller: 'analyze_service',
        signal: controller.signal,
        fallback,
      },
    );
    expect(response.text).toBe('The checkout pods are CPU-throttled.');
    expect(fallback.requests).toEqual([
      {
        model: 'sampling',
        system: 'You are an SRE.',
        messages: MESSAGES,
        maxTokens: 2048,
        temperature: 0.3,
        stopSequences: ['END'],
        signal: controller.signal,
      },
    ]);
    expect(activity.usage).toHaveLength(1);
    const [record] = activity.usage;
    expect(record).toMatchObject({
      at: AT,
      organizationId: 'org-1',
      sessionId: 'sess-1',
      provider: 'sampling',
      model: 'client-model-x',
      operation: 'sampling',
      inputTokens: 120,
      outputTokens: 9,
      success: true,
    });
    expect(record?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('streams through a fallback that streams, recorded as sampling', async () => {
    const { gateway: llm, activity } = gateway();
    const deltas: string[] = [];
    const response = await llm.complete(
      { model: 'sampling', messages: MESSAGES, maxTokens: 100, temperature: 0 },
      { organizationId: '', fallback: new StreamingSampling(), onText: (delta) => deltas.push(delta) },
    );
    expect(deltas).toEqual(['The checkout ', 'pods are CPU-throttled.']);
    expect(response.usage).toEqual({ inputTokens: 30, outputTokens: 4 });
    expect(activity.usage).toEqual([
      expect.objectContaining({
        organizationId: '',
        provider: 'sampling',
        operation: 'sampling',
        inputTokens: 30,
        outputTokens: 4,
        success: true,
      }),
    ]);
    expect(activity.usage[0]).not.toHaveProperty('sessionId');
  });

  it('records a failed fallback call with no tokens and rethrows its error', async () => {
    const { gateway: llm, activity } = gateway();
    const failure = new DependencyError('The client declined the sampling request.');
    const error = await rejected(
      llm.complete({ messages: MESSAGES }, { organizationId: 'org-1', fallback: new FakeSampling(failure) }),
    );
    expect(error).toBe(failure);
    expect(activity.usage).toEqual([
      expect.objectContaining({
        provider: 'sampling',
        model: 'sampling',
        operation: 'sampling',
        inputTokens: 0,
        outputTokens: 0,
        success: false,
        organizationId: 'org-1',
      }),
    ]);
  });

  it('passes a deferral (an answer that comes in a later round) through without recording it', async () => {
    const { gateway: llm, activity } = gateway();
    const deferral = Object.assign(new Error('answer arrives with the retried call'), { deferred: true });
    const error = await rejected(
      llm.complete({ messages: MESSAGES }, { organizationId: 'org-1', fallback: new FakeSampling(deferral) }),
    );
    expect(error).toBe(deferral);
    expect(activity.usage).toEqual([]);
  });

  it('records a failed provider call with no tokens, and builds each adapter once', async () => {
    const lines: { level: string; fields: Record<string, unknown>; message?: string }[] = [];
    const { gateway: llm, activity } = gateway(
      { providers: { anthropic: { apiKey: KEY } } },
      { logger: recordingLogger(lines) },
    );
    const controller = new AbortController();
    controller.abort();
    // An aborted signal stops each call before anything is sent.
    for (const model of ['qwen3:32b', 'qwen3:32b', undefined]) {
      const error = await rejected(
        llm.complete(
          { model, messages: MESSAGES },
          { organizationId: 'org-2', sessionId: 's-2', signal: controller.signal },
        ),
      );
      expect(error).toBeInstanceOf(DependencyError);
      expect((error as DependencyError).code).toBe('LLM.CANCELLED');
    }
    expect(activity.usage.map((r) => [r.provider, r.model, r.operation, r.success, r.inputTokens])).toEqual([
      ['ollama', 'qwen3:32b', 'complete', false, 0],
      ['ollama', 'qwen3:32b', 'complete', false, 0],
      ['anthropic', 'claude-sonnet-4-20250514', 'complete', false, 0],
    ]);
    expect(activity.usage.every((r) => r.organizationId === 'org-2' && r.sessionId === 's-2')).toBe(true);
    const created = lines.filter((line) => line.message === 'LLM adapter created');
    expect(created.map((line) => line.fields.provider)).toEqual(['ollama', 'anthropic']);
    const failed = lines.filter((line) => line.message === 'LLM call failed');
    expect(failed).toHaveLength(3);
    expect(failed[0]?.fields).toMatchObject({ errorCode: 'LLM.CANCELLED', organizationId: 'org-2' });
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });

  it('validates temperature and maxTokens before any model is asked', async () => {
    const { gateway: llm, activity } = gateway();
    const fallback = new FakeSampling();
    const cases: [Partial<{ temperature: number; maxTokens: number }>, string][] = [
      [{ temperature: 2.5 }, 'temperature must be a number from 0 to 2; got 2.5.'],
      [{ temperature: -0.1 }, 'temperature must be a number from 0 to 2; got -0.1.'],
      [{ maxTokens: 0 }, 'maxTokens must be a whole number of at least 1; got 0.'],
      [{ maxTokens: 1.5 }, 'maxTokens must be a whole number of at least 1; got 1.5.'],
    ];
    for (const [extra, message] of cases) {
      const error = await rejected(
        llm.complete({ messages: MESSAGES, ...extra }, { organizationId: 'o', fallback }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toBe(message);
    }
    const empty = await rejected(llm.complete({ messages: [] }, { organizationId: 'o', fallback }));
    expect(empty).toBeInstanceOf(ValidationError);
    await llm.complete(
      { messages: MESSAGES, temperature: 2, maxTokens: 1 },
      { organizationId: 'o', fallback },
    );
    expect(fallback.requests.map((r) => [r.temperature, r.maxTokens])).toEqual([[2, 1]]);
    expect(activity.usage).toHaveLength(1);
  });
});

describe('LlmGateway settings and status', () => {
  it('refuses bad settings with a ConfigurationError naming the setting', () => {
    const cases: [Partial<LlmGatewaySettings>, RegExp][] = [
      [{ temperature: 3 }, /temperature must be a number from 0 to 2; got 3/],
      [{ maxTokens: 0 }, /maxTokens must be a whole number of at least 1/],
      [{ timeoutMs: 0 }, /timeoutMs must be a whole number of at least 1/],
      [{ maxRetries: -1 }, /maxRetries must be a whole number of at least 0/],
      [{ defaultModel: 'banana-7b' }, /defaultModel: Unknown model "banana-7b"/],
      [{ providers: { anthropc: { apiKey: KEY } } }, /provider "anthropc".*Did you mean "anthropic"/],
      [
        { providers: { ollama: { baseUrl: 'localhost:11434' } } },
        /providers.ollama has a baseUrl that is not/,
      ],
      [{ models: [{ id: 'sampling', provider: 'ollama' }] }, /"sampling" is reserved/],
    ];
    for (const [overrides, message] of cases) {
      const error = thrown(() => new LlmGateway({ ...SETTINGS, ...overrides }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(KEY);
    }
  });

  it('reports each provider without its key, base URLs without credentials', () => {
    const { gateway: llm } = gateway({
      providers: {
        anthropic: { apiKey: ` ${KEY} ` },
        ollama: { baseUrl: 'http://gpu-box:11434' },
        custom: { baseUrl: 'https://svc:hunter2@llm.internal.example/v1' },
      },
    });
    const status = llm.providerStatus();
    expect(status).toHaveLength(12);
    const byId = new Map(status.map((entry) => [entry.id, entry]));
    expect(byId.get('anthropic')).toEqual({
      id: 'anthropic',
      displayName: 'Anthropic',
      protocol: 'anthropic',
      configured: true,
      keyRequirement: 'required',
      keyConfigured: true,
      keyVariable: 'ANTHROPIC_API_KEY',
      baseUrl: 'https://api.anthropic.com',
    });
    expect(byId.get('openai')).toMatchObject({
      configured: false,
      keyConfigured: false,
      keyVariable: 'OPENAI_API_KEY',
    });
    expect(byId.get('ollama')).toMatchObject({
      configured: true,
      keyRequirement: 'none',
      baseUrl: 'http://gpu-box:11434',
    });
    expect(byId.get('custom')).toMatchObject({
      configured: true,
      keyRequirement: 'optional',
      keyConfigured: false,
      baseUrl: 'https://llm.internal.example/v1',
    });
    expect(JSON.stringify(status)).not.toContain(KEY);
    expect(JSON.stringify(status)).not.toContain('hunter2');
  });

  it('adds the providers and models of the settings to its catalog', () => {
    const { gateway: llm } = gateway({
      customProviders: [{ id: 'lab', baseUrl: 'http://10.0.0.5:8000/v1' }],
      models: [{ id: 'lab-small', provider: 'lab', maxOutputTokens: 512 }],
    });
    expect(llm.catalog.get('lab-small')?.maxOutputTokens).toBe(512);
    expect(llm.providerStatus().at(-1)).toMatchObject({
      id: 'lab',
      configured: true,
      keyRequirement: 'none',
    });
  });
});
