import { describe, expect, it } from '@jest/globals';
import { TimeRange } from '@tfo/domain';
import { MAX_NESTING, toJsonValue } from './json-value.js';

describe('toJsonValue', () => {
  it('writes what JSON.stringify would, made total', () => {
    expect(
      toJsonValue({
        when: new Date('2024-05-01T12:00:00Z'),
        bad: new Date('nope'),
        big: 12345678901234567890n,
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        gone: undefined,
        fn: () => 1,
        list: [undefined, 1],
        map: new Map([['k', 1]]),
        set: new Set(['a']),
        bytes: new Uint8Array(4),
        range: TimeRange.of('2024-05-01T11:00:00Z', '2024-05-01T12:00:00Z'),
      }),
    ).toEqual({
      when: '2024-05-01T12:00:00.000Z',
      bad: null,
      big: '12345678901234567890',
      nan: null,
      inf: null,
      list: [null, 1],
      map: { k: 1 },
      set: ['a'],
      bytes: '[binary data, 4 bytes]',
      range: { from: '2024-05-01T11:00:00.000Z', to: '2024-05-01T12:00:00.000Z' },
    });
    expect(toJsonValue(undefined)).toBeUndefined();
  });

  it('turns cycles, deep nesting and throwing getters into notes instead of throwing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(toJsonValue(cyclic)).toEqual({ a: 1, self: '[circular]' });

    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_NESTING + 5; i += 1) deep = [deep];
    expect(JSON.stringify(toJsonValue(deep))).toContain('[nested too deeply]');

    const throwing = {
      get boom(): number {
        throw new Error('no');
      },
    };
    expect(toJsonValue({ x: throwing })).toEqual({ x: '[unreadable]' });
  });

  it('keeps a "__proto__" key as a field, not a prototype', () => {
    const value = toJsonValue(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
    expect(JSON.parse(JSON.stringify(value))).toEqual(
      JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'),
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('shares repeated (non-cyclic) objects without calling them circular', () => {
    const shared = { v: 1 };
    expect(toJsonValue([shared, shared])).toEqual([{ v: 1 }, { v: 1 }]);
  });
});
