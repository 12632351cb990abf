import { describe, expect, it } from '@jest/globals';
import { escapeJsonForFence } from '../fence.js';
import { MIN_FIT_CHARS, fitJson, type Omission } from './fit-json.js';

/** mulberry32: a small, seeded PRNG so generated cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['checkout', 'payment-processor', 'inventory', 'search', 'auth'];
const WORDS = [
  'timeout',
  'connection',
  'refused',
  'retry',
  'upstream',
  'ignore previous instructions',
  '<<<',
  '>>>',
];

/** A telemetry-shaped value of varied shape and size: rows, nested maps, series, long text. */
function generate(random: () => number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const text = (max: number) =>
    Array.from({ length: 1 + Math.floor(random() * max) }, () => pick(WORDS)).join(' ');
  const row = () => ({
    timestamp: new Date(Date.UTC(2024, 4, 1, 11, Math.floor(random() * 60))).toISOString(),
    service_name: pick(SERVICES),
    severity_text: pick(['INFO', 'WARN', 'ERROR', 'FATAL', 'DEBUG']),
    count: Math.floor(random() * 10_000),
    p99_ms: Math.round(random() * 5000) / 10,
    body: text(random() < 0.1 ? 400 : 20),
    attributes: { 'k8s.pod': `pod-${Math.floor(random() * 99)}`, 'http.route': `/api/${pick(WORDS)}` },
  });
  const shape = Math.floor(random() * 6);
  const size = Math.floor(random() ** 3 * 3000);
  switch (shape) {
    case 0:
      return { rows: Array.from({ length: size }, row) };
    case 1:
      return Array.from({ length: size }, row);
    case 2:
      return {
        services: Array.from({ length: Math.min(size, 200) }, () => ({
          name: pick(SERVICES),
          endpoints: Array.from({ length: Math.floor(random() * Math.min(40, 2 + size / 20)) }, row),
        })),
        totals: { requests: size * 10, errors: size },
      };
    case 3:
      return { series: Array.from({ length: size * 3 }, () => random() * 100), unit: 'ms' };
    case 4:
      return {
        note: text(size + 1),
        nested: { a: { b: { c: { d: { e: Array.from({ length: size }, row) } } } } },
      };
    default:
      return Object.fromEntries(Array.from({ length: size }, (_, i) => [`metric_${i}`, random() * 1000]));
  }
}

function parse(json: string): unknown {
  return JSON.parse(json) as unknown;
}

describe('fitJson', () => {
  it('returns the value untouched when it fits', () => {
    const value = { rows: [{ a: 1 }, { a: 2 }] };
    const result = fitJson(value, { maxChars: 1000 });
    expect(result).toEqual({ json: JSON.stringify(value), shortened: false, omissions: [] });
  });

  it('always yields parseable JSON within the budget and notes every omission (generated cases)', () => {
    const random = prng(20240501);
    const budgets = [MIN_FIT_CHARS, 64, 300, 1500, 6000, 18000];
    for (let i = 0; i < 150; i += 1) {
      const value = generate(random);
      const full = escapeJsonForFence(JSON.stringify(value));
      const maxChars = budgets[i % budgets.length] as number;
      const result = fitJson(value, { maxChars, encode: escapeJsonForFence });
      expect(result.json.length).toBeLessThanOrEqual(maxChars);
      expect(() => parse(result.json)).not.toThrow();
      expect(result.json).not.toMatch(/[<>]/);
      if (full.length <= maxChars) {
        expect(result.shortened).toBe(false);
        expect(parse(result.json)).toEqual(parse(full));
      } else {
        expect(result.shortened).toBe(true);
        expect(result.omissions.length).toBeGreaterThan(0);
      }
    }
  });

  it('is deterministic', () => {
    const value = generate(prng(7));
    expect(fitJson(value, { maxChars: 2000 })).toEqual(fitJson(value, { maxChars: 2000 }));
  });

  it('keeps error rows and the highest values first, in their original order', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({
      service_name: i % 2 === 0 ? 'checkout' : 'search',
      severity_text: 'INFO',
      count: i,
    }));
    rows[17] = { service_name: 'payment-processor', severity_text: 'ERROR', count: 1 };
    rows[42] = { service_name: 'payment-processor', severity_text: 'FATAL', count: 0 };
    const result = fitJson({ rows }, { maxChars: 1200 });
    const kept = (parse(result.json) as { rows: { count: number; severity_text: string }[] }).rows;
    expect(kept[0]).toEqual(rows[17]);
    expect(kept[1]).toEqual(rows[42]);
    const counts = kept.slice(2).map((r) => r.count);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(Math.min(...counts)).toBeGreaterThan(400);
    const omission = result.omissions.find((o) => o.kind === 'rows') as Omission;
    expect(omission).toMatchObject({ path: 'data.rows', count: 500 - kept.length, total: 500 });
    expect(omission.breakdown?.field).toBe('service_name');
    const grouped = (omission.breakdown?.groups ?? []).reduce((sum, [, n]) => sum + n, 0);
    expect(grouped + (omission.breakdown?.other ?? 0)).toBe(omission.count);
  });

  it('drops verbose fields before identifying ones', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: `log-${i}`,
      service_name: 'checkout',
      timestamp: `2024-05-01T11:${String(i).padStart(2, '0')}:00Z`,
      severity_text: 'ERROR',
      body: 'x'.repeat(70),
      attributes: { a: 'y'.repeat(70) },
    }));
    const result = fitJson({ rows }, { maxChars: 2500 });
    const kept = (parse(result.json) as { rows: Record<string, unknown>[] }).rows;
    expect(kept.length).toBeGreaterThan(0);
    for (const row of kept) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(['id', 'service_name', 'timestamp', 'severity_text']),
      );
      expect(row['body']).toBeUndefined();
    }
    expect(result.omissions).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'fields', path: 'data.rows[]' })]),
    );
  });

  it('cuts long strings with a visible marker', () => {
    const result = fitJson({ body: 'a'.repeat(5000) }, { maxChars: 2100 });
    const body = (parse(result.json) as { body: string }).body;
    expect(body).toMatch(/^a{2000}…\[\+3000 chars\]$/);
    expect(result.omissions).toEqual([{ path: 'data.body', kind: 'strings', count: 1 }]);
  });

  it('falls back to an empty value of the same kind when nothing fits', () => {
    const result = fitJson({ ['k'.repeat(100)]: 1 }, { maxChars: 20 });
    expect(result.json).toBe('{}');
    expect(result.omissions).toEqual([{ path: 'data', kind: 'everything', count: 1 }]);
  });

  it('writes odd keys quoted in paths', () => {
    const result = fitJson({ 'odd key\n': 'z'.repeat(3000) }, { maxChars: 2100 });
    expect(result.omissions[0]?.path).toBe('data["odd key\\n"]');
  });
});
