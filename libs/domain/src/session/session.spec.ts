import { describe, expect, it } from '@jest/globals';
import { InvalidStateError } from '../errors/index.js';
import { Session } from './session.js';

const t0 = new Date('2026-01-01T00:00:00Z');
function ids() {
  let n = 0;
  return () => `id-${++n}`;
}

describe('Session', () => {
  it('walks the lifecycle created → initializing → ready → closing → closed with events', () => {
    const s = Session.create({ id: 's1', transport: 'stdio', now: t0, newId: ids() });
    expect(s.state).toBe('created');
    s.beginInitialize({ name: 'claude', version: '1', protocolVersion: '2025-11-25' }, t0);
    expect(s.state).toBe('initializing');
    s.markReady(t0);
    s.recordToolCall({ tool: 'echo', durationMs: 3, outcome: 'success' }, t0);
    s.recordToolCall(
      { tool: 'read_file', durationMs: 5, outcome: 'error', errorCode: 'PERMISSION.DENIED' },
      t0,
    );
    s.close('client disconnected', t0);
    expect(s.state).toBe('closed');
    const events = s.pullEvents();
    expect(events.map((e) => e.type)).toEqual([
      'SessionCreated',
      'SessionInitialized',
      'ToolExecuted',
      'ToolExecuted',
      'SessionClosed',
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.every((e) => e.aggregateId === 's1' && e.occurredAt === t0)).toBe(true);
    expect(events[1]?.payload).toEqual({
      clientName: 'claude',
      clientVersion: '1',
      protocolVersion: '2025-11-25',
    });
    expect(s.toSnapshot()).toMatchObject({ toolCalls: 2, toolErrors: 1, closedAt: t0 });
    expect(s.pullEvents()).toEqual([]);
  });

  it('rejects invalid transitions with the allowed ones in the message', () => {
    const s = Session.create({ id: 's2', transport: 'stdio', now: t0, newId: ids() });
    expect(() => s.markReady(t0)).toThrow(InvalidStateError);
    expect(() => s.markReady(t0)).toThrow(
      /cannot go from created to ready; allowed from created: initializing, closing/,
    );
    expect(() => s.recordToolCall({ tool: 'echo', durationMs: 1, outcome: 'success' }, t0)).toThrow(
      /only when it is ready/,
    );
  });

  it('closes from any open state and is idempotent once closed', () => {
    const s = Session.create({ id: 's3', transport: 'stdio', now: t0, newId: ids() });
    s.close('early', t0);
    s.close('again', t0);
    expect(s.state).toBe('closed');
    expect(s.pullEvents().filter((e) => e.type === 'SessionClosed')).toHaveLength(1);
    expect(() => s.beginInitialize({}, t0)).toThrow(InvalidStateError);
  });

  it('restores from a snapshot without events', () => {
    const s = Session.create({ id: 's4', transport: 'http', now: t0, newId: ids(), organizationId: 'org-a' });
    const copy = Session.restore(s.toSnapshot(), ids());
    expect(copy.toSnapshot()).toEqual(s.toSnapshot());
    expect(copy.pullEvents()).toEqual([]);
  });
});
