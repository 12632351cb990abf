import { describe, expect, it } from '@jest/globals';
import { toJsonSafe } from './json-safe.js';

describe('toJsonSafe', () => {
  it('keeps plain JSON values as they are', () => {
    const value = { a: 1, b: 'x', c: [true, null, { d: 2.5 }] };
    expect(toJsonSafe(value)).toEqual(value);
  });

  it('turns driver values into JSON: BigInt, Date, binary, NaN, Infinity, undefined', () => {
    const out = toJsonSafe({
      big: 2n ** 70n,
      negative: -5n,
      at: new Date('2026-01-02T03:04:05.678Z'),
      invalid: new Date('nope'),
      buffer: Buffer.from([0, 1, 0xab, 0xff]),
      typed: new Uint16Array([1]),
      raw: new Uint8Array([0x0a]).buffer,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ninf: Number.NEGATIVE_INFINITY,
      missing: undefined,
      list: [1n, undefined, Number.NaN],
      map: new Map<unknown, unknown>([[1, 2n]]),
      set: new Set([3]),
    });
    expect(out).toEqual({
      big: '1180591620717411303424',
      negative: '-5',
      at: '2026-01-02T03:04:05.678Z',
      invalid: null,
      buffer: '\\x0001abff',
      typed: '\\x0100',
      raw: '\\x0a',
      nan: null,
      inf: null,
      ninf: null,
      missing: null,
      list: ['1', null, null],
      map: { '1': '2' },
      set: [3],
    });
    expect(() => JSON.parse(JSON.stringify(out))).not.toThrow();
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('converts objects with toJSON through it, and cuts cycles', () => {
    const interval = { hours: 2, toJSON: () => ({ hours: 2, minutes: 0 }) };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(toJsonSafe({ interval, cyclic })).toEqual({
      interval: { hours: 2, minutes: 0 },
      cyclic: { name: 'loop', self: '[circular]' },
    });
  });

  it('repeats a shared (non-cyclic) object rather than calling it circular', () => {
    const shared = { n: 1 };
    expect(toJsonSafe([shared, shared])).toEqual([{ n: 1 }, { n: 1 }]);
  });
});
