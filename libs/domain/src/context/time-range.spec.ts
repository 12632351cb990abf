import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../errors/index.js';
import { DEFAULT_WINDOW_MS, TimeRange, parseWindow } from './time-range.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

describe('TimeRange.of', () => {
  it('accepts Dates, ISO strings and epoch milliseconds', () => {
    const range = TimeRange.of(new Date('2024-05-01T10:00:00Z'), '2024-05-01T11:00:00Z');
    expect(range.from.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(range.to.toISOString()).toBe('2024-05-01T11:00:00.000Z');
    expect(range.durationMs).toBe(3_600_000);
    expect(TimeRange.of(0, 1_000).toJSON()).toEqual({
      from: '1970-01-01T00:00:00.000Z',
      to: '1970-01-01T00:00:01.000Z',
    });
  });

  it('reads zone offsets, and zoneless or date-only strings as UTC', () => {
    expect(TimeRange.of('2024-05-01T12:00:00+02:00', '2024-05-01T12:00:00+0200').from.toISOString()).toBe(
      '2024-05-01T10:00:00.000Z',
    );
    expect(TimeRange.of('2024-05-01', '2024-05-01T00:00').toJSON()).toEqual({
      from: '2024-05-01T00:00:00.000Z',
      to: '2024-05-01T00:00:00.000Z',
    });
    expect(TimeRange.of('2024-05-01T00:00:00.123456Z', '2024-05-01T01:00:00-05').toJSON()).toEqual({
      from: '2024-05-01T00:00:00.123Z',
      to: '2024-05-01T06:00:00.000Z',
    });
  });

  it('allows an empty range (from equal to to)', () => {
    expect(TimeRange.of(NOW, NOW).durationMs).toBe(0);
  });

  it('rejects from after to, naming both ends', () => {
    expect(() => TimeRange.of('2024-05-02T00:00:00Z', '2024-05-01T00:00:00Z')).toThrow(ValidationError);
    expect(() => TimeRange.of('2024-05-02T00:00:00Z', '2024-05-01T00:00:00Z')).toThrow(
      'Invalid time range: "from" (2024-05-02T00:00:00.000Z) is after "to" (2024-05-01T00:00:00.000Z).',
    );
  });

  it.each([
    ['yesterday'],
    [''],
    ['2024-13-01'],
    ['2024-02-30'],
    ['2023-02-29T00:00:00Z'],
    ['2024-05-01T24:00:00Z'],
    ['2024-05-01T12:00:00+25:00'],
    ['May 1, 2024'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [9e15],
    [new Date('garbage')],
  ])('rejects the invalid "from" value %p and names it', (bad) => {
    expect(() => TimeRange.of(bad, NOW)).toThrow(ValidationError);
    expect(() => TimeRange.of(bad, NOW)).toThrow('Invalid "from" time');
  });

  it('names the bad value in the message', () => {
    expect(() => TimeRange.of(NOW, 'soon')).toThrow('Invalid "to" time "soon"');
    expect(() => TimeRange.of(null as unknown as string, NOW)).toThrow('Invalid "from" time null');
  });

  it('accepts 29 February in a leap year', () => {
    expect(TimeRange.of('2024-02-29', '2024-03-01').durationMs).toBe(86_400_000);
  });

  it('is immutable: the dates it hands out are copies', () => {
    const range = TimeRange.of('2024-05-01T10:00:00Z', '2024-05-01T11:00:00Z');
    range.from.setTime(0);
    expect(range.from.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(Object.isFrozen(range)).toBe(true);
  });

  it('serializes to ISO strings through JSON.stringify and toString', () => {
    const range = TimeRange.of('2024-05-01T10:00:00Z', '2024-05-01T11:00:00Z');
    expect(JSON.parse(JSON.stringify({ range }))).toEqual({
      range: { from: '2024-05-01T10:00:00.000Z', to: '2024-05-01T11:00:00.000Z' },
    });
    expect(String(range)).toBe('2024-05-01T10:00:00.000Z/2024-05-01T11:00:00.000Z');
  });
});

describe('defaults and relative ranges', () => {
  it('defaults to the last hour', () => {
    expect(DEFAULT_WINDOW_MS).toBe(3_600_000);
    const range = TimeRange.lastHour(NOW);
    expect(range.toJSON()).toEqual({ from: '2024-05-01T11:00:00.000Z', to: '2024-05-01T12:00:00.000Z' });
    expect(range.durationMs).toBe(DEFAULT_WINDOW_MS);
  });

  it('builds the last N milliseconds before now', () => {
    expect(TimeRange.last(parseWindow('15m'), NOW).from.toISOString()).toBe('2024-05-01T11:45:00.000Z');
    expect(() => TimeRange.last(0, NOW)).toThrow('Invalid duration number 0');
    expect(() => TimeRange.last(-5, NOW)).toThrow(ValidationError);
    expect(() => TimeRange.last(1_000, 'later')).toThrow('Invalid "now" time "later"');
  });

  it('resolve fills gaps: to defaults to now, from to to minus the window, the window to one hour', () => {
    expect(TimeRange.resolve({}, NOW)).toEqual(TimeRange.lastHour(NOW));
    expect(TimeRange.resolve({ from: null, to: null, window: null }, NOW)).toEqual(TimeRange.lastHour(NOW));
    expect(TimeRange.resolve({ window: '24h' }, NOW).from.toISOString()).toBe('2024-04-30T12:00:00.000Z');
    expect(TimeRange.resolve({ window: 60_000 }, NOW).durationMs).toBe(60_000);
    expect(TimeRange.resolve({ to: '2024-01-01T01:00:00Z' }, NOW).toJSON()).toEqual({
      from: '2024-01-01T00:00:00.000Z',
      to: '2024-01-01T01:00:00.000Z',
    });
    expect(TimeRange.resolve({ from: '2024-05-01T00:00:00Z' }, NOW).durationMs).toBe(12 * 3_600_000);
  });

  it('resolve rejects from together with window, and from in the future', () => {
    expect(() => TimeRange.resolve({ from: NOW, window: '1h' }, NOW)).toThrow(
      'Give either "from" or "window"',
    );
    expect(() => TimeRange.resolve({ from: '2024-06-01' }, NOW)).toThrow('is after "to"');
    expect(() => TimeRange.resolve({ window: 'forever' }, NOW)).toThrow('Invalid window "forever"');
  });
});

describe('contains', () => {
  it('includes both ends', () => {
    const range = TimeRange.of('2024-05-01T10:00:00Z', '2024-05-01T11:00:00Z');
    expect(range.contains('2024-05-01T10:00:00Z')).toBe(true);
    expect(range.contains(new Date('2024-05-01T10:30:00Z'))).toBe(true);
    expect(range.contains(Date.parse('2024-05-01T11:00:00Z'))).toBe(true);
    expect(range.contains('2024-05-01T11:00:00.001Z')).toBe(false);
    expect(range.contains('2024-05-01T09:59:59Z')).toBe(false);
    expect(() => range.contains('noon')).toThrow('Invalid "date" time "noon"');
  });
});

describe('parseWindow', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    [' 6 h ', 21_600_000],
  ])('parses %p', (text, ms) => {
    expect(parseWindow(text)).toBe(ms);
  });

  it.each([
    ['0h'],
    ['1.5h'],
    ['-1h'],
    ['1y'],
    ['1H'],
    ['h'],
    ['60'],
    [''],
    [3600],
    [null],
    ['999999999999999w'],
  ])('rejects %p and shows the accepted forms', (bad) => {
    expect(() => parseWindow(bad)).toThrow(ValidationError);
    expect(() => parseWindow(bad)).toThrow('for example 15m, 1h, 24h, 7d or 30d');
  });
});
