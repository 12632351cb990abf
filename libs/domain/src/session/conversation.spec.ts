import { describe, expect, it } from '@jest/globals';
import { InvalidStateError, ValidationError } from '../errors/index.js';
import { Conversation } from './conversation.js';

const t0 = new Date('2026-01-01T00:00:00Z');
function ids() {
  let n = 0;
  return () => `id-${++n}`;
}

describe('Conversation', () => {
  it('keeps messages in order with token totals and events', () => {
    const c = Conversation.create({ id: 'c1', model: 'claude-sonnet-4-20250514', now: t0, newId: ids() });
    c.addMessage({ role: 'user', content: 'why is checkout slow?', inputTokens: 12 }, t0);
    c.addMessage(
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'p99 doubled at 10:02' }],
        inputTokens: 40,
        outputTokens: 9,
      },
      t0,
    );
    const snap = c.toSnapshot();
    expect(snap.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(snap.messages[0]?.content).toEqual([{ type: 'text', text: 'why is checkout slow?' }]);
    expect(snap.totalInputTokens).toBe(52);
    expect(snap.totalOutputTokens).toBe(9);
    expect(c.pullEvents().map((e) => e.type)).toEqual([
      'ConversationCreated',
      'MessageAdded',
      'MessageAdded',
    ]);
  });

  it('follows its status machine', () => {
    const c = Conversation.create({ id: 'c2', model: 'gpt-5', now: t0, newId: ids() });
    c.pause(t0);
    expect(() => c.addMessage({ role: 'user', content: 'hi' }, t0)).toThrow(InvalidStateError);
    c.resume(t0);
    c.complete(t0);
    expect(c.status).toBe('completed');
    expect(() => c.resume(t0)).toThrow(/cannot go from completed to active/);
    const d = Conversation.create({ id: 'c3', model: 'gpt-5', now: t0, newId: ids() });
    d.fail('provider down', t0);
    expect(d.toSnapshot()).toMatchObject({ status: 'error', errorMessage: 'provider down' });
  });

  it('rejects bad input', () => {
    expect(() => Conversation.create({ id: 'c4', model: ' ', now: t0, newId: ids() })).toThrow(
      ValidationError,
    );
    const c = Conversation.create({ id: 'c5', model: 'gpt-5', now: t0, newId: ids() });
    expect(() => c.addMessage({ role: 'user', content: 'x', inputTokens: -1 }, t0)).toThrow(
      /non-negative integer/,
    );
    expect(() => c.addMessage({ role: 'user', content: [] }, t0)).toThrow(/at least one content block/);
    expect(() => c.addMessage({ role: 'robot' as never, content: 'x' }, t0)).toThrow(
      /allowed: system, user, assistant, tool/,
    );
  });

  it('does not leak internal state through copies', () => {
    const c = Conversation.create({ id: 'c6', model: 'gpt-5', now: t0, newId: ids() });
    c.addMessage({ role: 'user', content: 'a' }, t0);
    const msgs = c.messages as unknown as { content: unknown[] }[];
    msgs[0]!.content.push({ type: 'text', text: 'tamper' });
    expect(c.toSnapshot().messages[0]?.content).toHaveLength(1);
  });
});
