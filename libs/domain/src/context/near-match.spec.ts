import { describe, expect, it } from '@jest/globals';
import { describeInput, editDistance, nearMatches, normalizeKey } from './near-match.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps', () => {
    expect(editDistance('metrics', 'metrics')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('metric', 'metrics')).toBe(1);
    expect(editDistance('logz', 'logs')).toBe(1);
    expect(editDistance('latnecy', 'latency')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('nearMatches', () => {
  const candidates = ['metrics', 'logs', 'traces', 'kubernetes-pods', 'kubernetes-nodes'];

  it('ranks by distance and keeps candidate order among ties', () => {
    expect(nearMatches('metric', candidates)).toEqual(['metrics']);
    expect(nearMatches('kubernetes-xods', candidates)).toEqual(['kubernetes-pods', 'kubernetes-nodes']);
  });

  it('matches a whole part of a key', () => {
    expect(nearMatches('pods', candidates)).toEqual(['kubernetes-pods']);
    expect(nearMatches('kubernetes', candidates)).toEqual(['kubernetes-pods', 'kubernetes-nodes']);
  });

  it('returns nothing for blank input, a zero limit or far misses', () => {
    expect(nearMatches('  ', candidates)).toEqual([]);
    expect(nearMatches('metric', candidates, 0)).toEqual([]);
    expect(nearMatches('zzzzzzzz', candidates)).toEqual([]);
  });
});

describe('describeInput and normalizeKey', () => {
  it('describes values of any type', () => {
    expect(describeInput('a')).toBe('"a"');
    expect(describeInput(1)).toBe('number 1');
    expect(describeInput({})).toBe('an object');
    expect(describeInput(() => 1)).toBe('a function');
    expect(describeInput(new Date(Number.NaN))).toBe('a Date (invalid)');
  });

  it('normalizes case, blanks and underscores', () => {
    expect(normalizeKey('  Root_Cause ')).toBe('root-cause');
    expect(normalizeKey('service map')).toBe('service-map');
  });
});
