import { describe, expect, it, jest } from '@jest/globals';
import {
  noopActivityRecorder,
  type ActivityRecorder,
  type Clock,
  type DomainEvent,
  type EventPublisher,
  type IdSource,
  type LogFn,
  type Logger,
  type LogLevel,
  type SessionActivityRecord,
  type SessionSnapshot,
  type SessionStore,
} from '@tfo/domain';
import { InMemorySessionStore, noopEventPublisher, SessionRegistry } from './session-registry.js';

interface Line {
  level: LogLevel;
  fields: Record<string, unknown>;
  message: string | undefined;
}

function recordingLogger(lines: Line[] = []): Logger & { lines: Line[] } {
  const at =
    (level: LogLevel): LogFn =>
    (first: object | string, message?: string) => {
      if (typeof first === 'string') lines.push({ level, fields: {}, message: first });
      else lines.push({ level, fields: { ...first }, message });
    };
  const logger: Logger & { lines: Line[] } = {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: () => logger,
  };
  return logger;
}

/** A clock that moves only when told. */
function manualClock(start = Date.parse('2026-01-01T00:00:00.000Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

function counterIds(): IdSource {
  let n = 0;
  return { newId: () => `id-${++n}` };
}

function recordingPublisher(): EventPublisher & { events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  return { events, publish: async (batch) => void events.push(...batch) };
}

/** Lets the fire-and-forget saves and publishes settle. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function recordingActivity(): ActivityRecorder & { sessions: SessionActivityRecord[] } {
  const sessions: SessionActivityRecord[] = [];
  return { ...noopActivityRecorder, sessions, session: (record) => void sessions.push(record) };
}

function setup(overrides: { store?: SessionStore; publisher?: EventPublisher } = {}) {
  const store = new InMemorySessionStore();
  const clock = manualClock();
  const logger = recordingLogger();
  const publisher = recordingPublisher();
  const activity = recordingActivity();
  const registry = new SessionRegistry(
    overrides.store ?? store,
    clock,
    counterIds(),
    logger,
    overrides.publisher ?? publisher,
    activity,
  );
  return { registry, store, clock, logger, publisher, activity };
}

describe('SessionRegistry activity', () => {
  it('records the opening and, once, the closing with duration and tool calls', () => {
    const { registry, clock, activity } = setup();
    const session = registry.start('stdio', { name: 'claude-code', version: '2.0' }, 'org-1');
    clock.advance(1_500);
    registry.recordToolCall(session, { tool: 'echo', durationMs: 1, outcome: 'success' });
    registry.close(session, 'bye');
    registry.close(session, 'again');
    expect(
      activity.sessions.map((r) => [r.event, r.organizationId, r.clientName, r.durationMs, r.toolCallCount]),
    ).toEqual([
      ['opened', 'org-1', 'claude-code', undefined, undefined],
      ['closed', 'org-1', 'claude-code', 1_500, 1],
    ]);
  });
});

describe('InMemorySessionStore', () => {
  const snapshot = (id: string, createdAt: string, state: SessionSnapshot['state']): SessionSnapshot => ({
    id,
    transport: 'stdio',
    state,
    client: { name: 'c' },
    createdAt: new Date(createdAt),
    updatedAt: new Date(createdAt),
    toolCalls: 0,
    toolErrors: 0,
  });

  it('keeps a copy, lists newest first, filters by state and limits', async () => {
    const store = new InMemorySessionStore();
    const first = snapshot('a', '2026-01-01T00:00:00Z', 'ready');
    await store.save(first);
    await store.save(snapshot('b', '2026-01-02T00:00:00Z', 'closed'));
    await store.save(snapshot('c', '2026-01-03T00:00:00Z', 'ready'));
    first.client.name = 'changed after save';
    expect((await store.get('a'))?.client.name).toBe('c');
    expect(await store.get('missing')).toBeUndefined();
    expect((await store.list()).map((s) => s.id)).toEqual(['c', 'b', 'a']);
    expect((await store.list({ state: 'ready' })).map((s) => s.id)).toEqual(['c', 'a']);
    expect((await store.list({ limit: 1 })).map((s) => s.id)).toEqual(['c']);
  });

  it('has a publisher that accepts and drops events', async () => {
    await expect(noopEventPublisher.publish([])).resolves.toBeUndefined();
  });
});

describe('SessionRegistry', () => {
  it('starts a session through the handshake to ready and stores it', async () => {
    const { registry, store } = setup();
    const session = registry.start(
      'stdio',
      { name: 'client', version: '1.2.3', protocolVersion: 'legacy' },
      'org-1',
    );
    expect(session.state).toBe('ready');
    expect(session.id).toBe('id-1');
    expect(registry.activeCount).toBe(1);
    await settle();
    expect(await store.get(session.id)).toMatchObject({
      id: 'id-1',
      transport: 'stdio',
      state: 'ready',
      organizationId: 'org-1',
      client: { name: 'client', version: '1.2.3', protocolVersion: 'legacy' },
      toolCalls: 0,
      toolErrors: 0,
    });
  });

  it('leaves organizationId out when none is given', async () => {
    const { registry, store } = setup();
    const session = registry.start('stdio', {});
    await settle();
    expect(await store.get(session.id)).not.toHaveProperty('organizationId');
  });

  it('counts tool calls and errors and stores them (coalesced, flushed on demand)', async () => {
    const { registry, store, clock } = setup();
    const session = registry.start('stdio', { name: 'client' });
    clock.advance(1000);
    registry.recordToolCall(session, { tool: 'echo', durationMs: 1, outcome: 'success' });
    registry.recordToolCall(session, {
      tool: 'read_file',
      durationMs: 2,
      outcome: 'error',
      errorCode: 'NOT_FOUND',
    });
    await settle();
    // Not written yet: saves after tool calls wait up to saveEveryMs.
    expect((await store.get(session.id))?.toolCalls).toBe(0);
    registry.flushPendingSaves();
    await settle();
    const stored = await store.get(session.id);
    expect(stored?.toolCalls).toBe(2);
    expect(stored?.toolErrors).toBe(1);
    expect(stored?.updatedAt.toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });

  it('writes at most one save per session per interval after tool calls', async () => {
    jest.useFakeTimers();
    try {
      const saves: SessionSnapshot[] = [];
      const counting: SessionStore = {
        save: async (snapshot) => void saves.push(snapshot),
        get: async () => undefined,
        list: async () => [],
      };
      const { registry } = setup({ store: counting });
      const session = registry.start('stdio', {});
      for (let i = 0; i < 50; i++)
        registry.recordToolCall(session, { tool: 'echo', durationMs: 1, outcome: 'success' });
      expect(saves.map((s) => s.toolCalls)).toEqual([0]);
      jest.advanceTimersByTime(registry.saveEveryMs);
      expect(saves.map((s) => s.toolCalls)).toEqual([0, 50]);
      registry.recordToolCall(session, { tool: 'echo', durationMs: 1, outcome: 'success' });
      registry.close(session, 'bye');
      jest.advanceTimersByTime(registry.saveEveryMs);
      expect(saves.map((s) => [s.toolCalls, s.state])).toEqual([
        [0, 'ready'],
        [50, 'ready'],
        [51, 'closed'],
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('publishes the domain events of every change and logs them at debug', async () => {
    const { registry, publisher, logger } = setup();
    const session = registry.start('stdio', { name: 'client' });
    registry.recordToolCall(session, { tool: 'echo', durationMs: 1, outcome: 'success' });
    registry.close(session, 'bye');
    await settle();
    expect(publisher.events.map((e) => e.type)).toEqual([
      'SessionCreated',
      'SessionInitialized',
      'ToolExecuted',
      'SessionClosed',
    ]);
    expect(publisher.events.every((e) => e.aggregateId === session.id)).toBe(true);
    expect(publisher.events[2]?.payload).toEqual({ tool: 'echo', durationMs: 1, outcome: 'success' });
    expect(publisher.events[3]?.payload).toEqual({ reason: 'bye', toolCalls: 1 });
    const debug = logger.lines.filter((l) => l.level === 'debug');
    expect(debug.map((l) => l.fields['event'])).toEqual(publisher.events.map((e) => e.type));
  });

  it('closes a session idempotently', async () => {
    const { registry, store, publisher } = setup();
    const session = registry.start('stdio', {});
    registry.close(session, 'first');
    registry.close(session, 'second');
    expect(registry.activeCount).toBe(0);
    expect(session.state).toBe('closed');
    await settle();
    const stored = await store.get(session.id);
    expect(stored?.state).toBe('closed');
    expect(stored?.closedAt).toBeInstanceOf(Date);
    const closed = publisher.events.filter((e) => e.type === 'SessionClosed');
    expect(closed).toHaveLength(1);
    expect(closed[0]?.payload).toEqual({ reason: 'first', toolCalls: 0 });
  });

  it('ignores tool calls on a closed session', async () => {
    const { registry, store } = setup();
    const session = registry.start('stdio', {});
    registry.close(session, 'done');
    expect(() =>
      registry.recordToolCall(session, { tool: 'echo', durationMs: 1, outcome: 'success' }),
    ).not.toThrow();
    await settle();
    expect((await store.get(session.id))?.toolCalls).toBe(0);
  });

  it('closes every open session with closeAll', async () => {
    const { registry, store } = setup();
    const a = registry.start('stdio', {});
    const b = registry.start('stdio', {});
    const c = registry.start('stdio', {});
    registry.close(b, 'early');
    expect(registry.activeCount).toBe(2);
    registry.closeAll('shutdown');
    expect(registry.activeCount).toBe(0);
    expect([a.state, b.state, c.state]).toEqual(['closed', 'closed', 'closed']);
    await settle();
    expect((await store.list({ state: 'closed' })).map((s) => s.id).sort()).toEqual(
      [a.id, b.id, c.id].sort(),
    );
    registry.closeAll('again');
    expect(registry.activeCount).toBe(0);
  });

  it('does not throw when the store fails, and logs a warning', async () => {
    const failure = new Error('database is down');
    const failingStore: SessionStore = {
      save: () => Promise.reject(failure),
      get: async () => undefined,
      list: async () => [],
    };
    const { registry, logger } = setup({ store: failingStore });
    let session: ReturnType<SessionRegistry['start']> | undefined;
    expect(() => {
      session = registry.start('stdio', {});
    }).not.toThrow();
    expect(session?.state).toBe('ready');
    expect(() =>
      registry.recordToolCall(session!, { tool: 'echo', durationMs: 1, outcome: 'success' }),
    ).not.toThrow();
    expect(() => registry.close(session!, 'done')).not.toThrow();
    await settle();
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    // The opening and the closing (the tool call's save is coalesced into the closing).
    expect(warnings).toHaveLength(2);
    for (const warning of warnings) {
      expect(warning.message).toBe('could not persist session');
      expect(warning.fields).toEqual({ err: failure, sessionId: session!.id });
    }
  });

  it('does not throw when the publisher fails, and logs a warning', async () => {
    const failure = new Error('broker is down');
    const { registry, logger, store } = setup({ publisher: { publish: () => Promise.reject(failure) } });
    const session = registry.start('stdio', {});
    await settle();
    expect(await store.get(session.id)).toBeDefined();
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    expect(warnings).toEqual([
      { level: 'warn', fields: { err: failure }, message: 'could not publish domain events' },
    ]);
  });
});
