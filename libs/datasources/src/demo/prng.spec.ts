import { describe, expect, it } from '@jest/globals';
import {
  fmix32,
  hash2,
  hash3,
  hashString,
  hashTime,
  hashWords,
  hex8,
  Prng,
  unit,
  uuidFromKey,
  uuidFromWords,
} from './prng.js';

describe('hashing', () => {
  it('is a pure function of its inputs and order-sensitive', () => {
    expect(hash3(1, 2, 3)).toBe(hash3(1, 2, 3));
    expect(hash3(1, 2, 3)).not.toBe(hash3(3, 2, 1));
    expect(hash2(7, 8)).not.toBe(hash2(8, 7));
    expect(hashWords([1, 2, 3])).toBe(hashWords([1, 2, 3]));
    expect(hashWords([1, 2])).not.toBe(hashWords([1, 2, 0]));
  });

  it('returns unsigned 32-bit words', () => {
    for (let i = 0; i < 1000; i++) {
      const h = hash2(i, -i);
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
    }
    expect(fmix32(0)).toBe(0);
  });

  it('pins known values, so a change of the estate is a visible decision', () => {
    expect(hashString('payment-processor')).toBe(hashString('payment-processor'));
    expect([hash2(1, 2), hash3(1, 2, 3), hashString('abc')]).toEqual([2116853470, 2933665304, 482950588]);
  });

  it('folds both halves of large integers', () => {
    const t = 1_700_000_000_000;
    expect(hashTime(5, t)).not.toBe(hashTime(5, t + 2 ** 32));
    expect(hashTime(5, t)).toBe(hashTime(5, t));
  });

  it('spreads uniformly enough for simulation', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const b = Math.floor(unit(hash2(42, i)) * 10);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('ids', () => {
  it('formats 8 hex characters per word', () => {
    expect(hex8(0)).toBe('00000000');
    expect(hex8(0xdeadbeef)).toBe('deadbeef');
    expect(hex8(-1)).toBe('ffffffff');
  });

  it('builds version-4-shaped UUIDs from hash words', () => {
    const uuid = uuidFromWords(0x12345678, 0x9abcdef0, 0xfedcba98, 0x76543210);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFromKey(1)).toBe(uuidFromKey(1));
    expect(uuidFromKey(1)).not.toBe(uuidFromKey(2));
    const many = new Set(Array.from({ length: 10_000 }, (_, i) => uuidFromKey(hash2(9, i))));
    expect(many.size).toBe(10_000);
  });
});

describe('Prng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Prng(123);
    const b = new Prng(123);
    const c = new Prng(124);
    const seqA = Array.from({ length: 20 }, () => a.u32());
    expect(Array.from({ length: 20 }, () => b.u32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.u32())).not.toEqual(seqA);
  });

  it('draws within bounds', () => {
    const r = new Prng(5);
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = r.int(7);
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThan(7);
    }
  });

  it('has the expected means for normal, log-normal and Poisson draws', () => {
    const r = new Prng(99);
    const n = 50_000;
    let normal = 0;
    let poissonSmall = 0;
    let poissonLarge = 0;
    const logs: number[] = [];
    for (let i = 0; i < n; i++) {
      normal += r.normal();
      poissonSmall += r.poisson(3);
      poissonLarge += r.poisson(80);
      logs.push(r.lognormal(100, 0.35));
    }
    expect(Math.abs(normal / n)).toBeLessThan(0.03);
    expect(Math.abs(poissonSmall / n - 3)).toBeLessThan(0.05);
    expect(Math.abs(poissonLarge / n - 80)).toBeLessThan(0.5);
    logs.sort((x, y) => x - y);
    expect(Math.abs((logs[n / 2] as number) - 100)).toBeLessThan(2);
    expect(r.poisson(0)).toBe(0);
  });

  it('picks by weight', () => {
    const r = new Prng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const k = r.weighted([1, 2, 0]);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts[2]).toBe(0);
    expect(Math.abs((counts[1] as number) / (counts[0] as number) - 2)).toBeLessThan(0.1);
  });
});
