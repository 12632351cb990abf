import { describe, it, expect } from '@jest/globals';
import { argumentsDigest } from './arguments-digest.js';

describe('argumentsDigest', () => {
  it('ignores key order at every depth', () => {
    expect(argumentsDigest({ a: 1, b: { y: 2, x: [1, { q: 1, p: 2 }] } })).toBe(
      argumentsDigest({ b: { x: [1, { p: 2, q: 1 }], y: 2 }, a: 1 }),
    );
  });
  it('differs when a value differs, and never contains the arguments', () => {
    const digest = argumentsDigest({ query: 'SELECT secret' });
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toBe(argumentsDigest({ query: 'SELECT secreT' }));
  });
  it('digests missing arguments like null', () => {
    expect(argumentsDigest(undefined)).toBe(argumentsDigest(null));
  });
});
