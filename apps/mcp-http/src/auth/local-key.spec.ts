/**
 * The local key against a fake of the ApiKeyStore port and hand-driven plane states: issued
 * once PostgreSQL is open, waiting for the demo estate to create the organization, and the
 * cases without a key (a PostgreSQL server, a closed plane, no organization, a wait that runs
 * out). The plain key never reaches the log.
 */
import { describe, it, expect } from '@jest/globals';
import {
  NotFoundError,
  type ApiKeyRecord,
  type ApiKeyStore,
  type Clock,
  type IssueApiKeyInput,
  type IssuedApiKey,
  type Logger,
} from '@tfo/domain';
import type { DemoStatus, EngineStatus } from '@tfo/datasources';
import { LOCAL_KEY_TTL_MS, issueLocalKey, type LocalKeyFile, type LocalKeyInputs } from './local-key.js';

const ORG = '33333333-3333-4333-8333-333333333333';
const PLAIN = 'tfo_' + 'L'.repeat(43);

class ManualClock implements Clock {
  ms = Date.UTC(2030, 0, 1);
  now(): Date {
    return new Date(this.ms);
  }
}

/** An ApiKeyStore port whose `issue` succeeds once `organizationExists`. */
class FakeApiKeyStore implements ApiKeyStore {
  issued: IssueApiKeyInput[] = [];
  organizationExists = true;

  /** Records by hash, for keys an earlier start issued. */
  known = new Map<string, ApiKeyRecord>();

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return this.known.get(hash);
  }

  async issue(input: IssueApiKeyInput): Promise<IssuedApiKey> {
    if (!this.organizationExists) {
      throw new NotFoundError(`Organization ${input.organizationId} does not exist`, {
        code: 'DATASOURCE.ORGANIZATION_NOT_FOUND',
      });
    }
    this.issued.push(input);
    return {
      plainKey: PLAIN,
      record: {
        id: '00000000-0000-4000-8000-000000000001',
        organizationId: input.organizationId,
        name: input.name,
        keyPrefix: PLAIN.slice(0, 13),
        keyHash: 'f'.repeat(64),
        scopes: input.scopes,
        createdAt: new Date(0),
        ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
      },
    };
  }

  async touch(): Promise<void> {}
}

/** A Logger port that keeps every line. */
function recordingLogger(lines: string[]): Logger {
  const log =
    (level: string) =>
    (fields: object | string, message?: string): void => {
      lines.push(`${level} ${JSON.stringify(fields)} ${message ?? ''}`);
    };
  const logger: Logger = {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    fatal: log('fatal'),
    child: () => logger,
  };
  return logger;
}

function setup(postgres: EngineStatus[], demo: DemoStatus['state'] = 'disabled') {
  const clock = new ManualClock();
  const store = new FakeApiKeyStore();
  const lines: string[] = [];
  let polls = 0;
  const inputs: LocalKeyInputs = {
    store,
    organizationId: ORG,
    postgres: () => postgres[Math.min(polls, postgres.length - 1)] ?? { state: 'starting', attempts: 0 },
    demo: () => ({ state: demo }),
    logger: recordingLogger(lines),
    clock,
    waitMs: 10_000,
    pollMs: 1_000,
    sleep: async (ms) => {
      polls += 1;
      clock.ms += ms;
    },
  };
  return { inputs, store, lines, clock, polls: () => polls };
}

const READY: EngineStatus = { state: 'ready', kind: 'embedded', attempts: 1 };
const STARTING: EngineStatus = { state: 'starting', attempts: 1 };

describe('issueLocalKey', () => {
  it('waits for PostgreSQL, then issues an mcp:* key for 30 days and logs only its id and prefix', async () => {
    const { inputs, store, lines, clock, polls } = setup([STARTING, STARTING, READY]);
    const key = await issueLocalKey(inputs);
    expect(key).toBe(PLAIN);
    expect(polls()).toBe(2);
    expect(store.issued).toEqual([
      {
        organizationId: ORG,
        name: `local-${clock.now().toISOString()}`,
        scopes: ['mcp:*'],
        expiresAt: new Date(clock.ms + LOCAL_KEY_TTL_MS),
      },
    ]);
    expect(lines.join('\n')).toContain(PLAIN.slice(0, 13));
    expect(lines.join('\n')).not.toContain(PLAIN.slice(13));
  });

  it('waits for the demo estate to create the organization', async () => {
    const { inputs, store } = setup([READY], 'loading');
    store.organizationExists = false;
    const original = inputs.sleep;
    inputs.sleep = async (ms) => {
      await original?.(ms);
      store.organizationExists = true;
    };
    expect(await issueLocalKey(inputs)).toBe(PLAIN);
  });

  it('gives up at once when the organization is missing and no demo estate is coming', async () => {
    const { inputs, store, lines, polls } = setup([READY], 'disabled');
    store.organizationExists = false;
    expect(await issueLocalKey(inputs)).toBeUndefined();
    expect(polls()).toBe(0);
    expect(lines.some((l) => l.startsWith('warn') && l.includes('could not issue a local API key'))).toBe(
      true,
    );
  });

  it('issues nothing for a PostgreSQL server or a closed plane', async () => {
    const server = setup([{ state: 'ready', kind: 'server', attempts: 1 }]);
    expect(await issueLocalKey(server.inputs)).toBeUndefined();
    expect(server.store.issued).toEqual([]);
    const closed = setup([{ state: 'closed', attempts: 1 }]);
    expect(await issueLocalKey(closed.inputs)).toBeUndefined();
  });

  it('gives up after the wait, saying what it waited for', async () => {
    const { inputs, lines, polls } = setup([{ state: 'failed', attempts: 3, reason: 'refused' }]);
    expect(await issueLocalKey(inputs)).toBeUndefined();
    expect(polls()).toBe(10);
    expect(lines.at(-1)).toMatch(/^warn .*no local API key: still waiting for PostgreSQL to open/);
  });

  describe('with a key file', () => {
    const EARLIER = 'tfo_' + 'E'.repeat(43);
    const hash = (plain: string) => `hash(${plain})`;
    const file = (content: string | undefined): LocalKeyFile & { written: string[] } => {
      const written: string[] = [];
      return { written, read: async () => content, write: async (key) => void written.push(key) };
    };
    const earlierRecord = (clock: ManualClock, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
      id: '00000000-0000-4000-8000-0000000000e1',
      organizationId: ORG,
      name: 'local-earlier',
      keyPrefix: EARLIER.slice(0, 13),
      keyHash: hash(EARLIER),
      scopes: ['mcp:*'],
      createdAt: new Date(0),
      expiresAt: new Date(clock.ms + 20 * 24 * 3_600_000),
      ...overrides,
    });

    it('uses the key of an earlier start again while it stays valid, issuing none', async () => {
      const { inputs, store, clock } = setup([READY]);
      store.known.set(hash(EARLIER), earlierRecord(clock));
      const keyFile = file(`${EARLIER}\n`);
      expect(await issueLocalKey({ ...inputs, keyFile, hash })).toBe(EARLIER);
      expect(store.issued).toEqual([]);
      expect(keyFile.written).toEqual([]);
    });

    it.each<[string, Partial<ApiKeyRecord>]>([
      ['close to expiry', { expiresAt: new Date(Date.UTC(2030, 0, 3)) }],
      ['revoked', { revokedAt: new Date(0) }],
      ['of another organization', { organizationId: '44444444-4444-4444-8444-444444444444' }],
      ['without every scope', { scopes: ['mcp:files:read'] }],
    ])('replaces a stored key %s with a new one and keeps that', async (_what, overrides) => {
      const { inputs, store, clock } = setup([READY]);
      store.known.set(hash(EARLIER), earlierRecord(clock, overrides));
      const keyFile = file(EARLIER);
      expect(await issueLocalKey({ ...inputs, keyFile, hash })).toBe(PLAIN);
      expect(store.issued).toHaveLength(1);
      expect(keyFile.written).toEqual([PLAIN]);
    });

    it('issues and keeps a key when the file holds none, or one the store does not know', async () => {
      for (const content of [undefined, 'tfo_unknown']) {
        const { inputs, store } = setup([READY]);
        const keyFile = file(content);
        expect(await issueLocalKey({ ...inputs, keyFile, hash })).toBe(PLAIN);
        expect(store.issued).toHaveLength(1);
        expect(keyFile.written).toEqual([PLAIN]);
      }
    });
  });
});
