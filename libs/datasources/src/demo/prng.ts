/**
 * Seeded randomness for the demo estate: 32-bit hashing (for values that must be a pure
 * function of their coordinates) and a small, fast sequential generator (for draws inside
 * one coordinate, e.g. the spans of one minute's traces).
 *
 * Invariants:
 * - Nothing here reads the clock or `Math.random`; the same inputs always give the same
 *   outputs, on every platform (only 32-bit integer arithmetic and IEEE doubles).
 * - Hash inputs are 32-bit integers. Larger numbers (millisecond timestamps) go through
 *   {@link hashTime}, which folds both halves; strings through {@link hashString}.
 * - Identifiers (UUIDs, trace and span ids) are built from hash words, so they are as
 *   reproducible as the values.
 *
 * Decisions: murmur3's mixing steps for hashing (good avalanche, cheap), sfc32 for the
 * sequential generator (passes PractRand at these sizes, four 32-bit words of state).
 */

const TWO_32 = 4_294_967_296;

/** murmur3's 32-bit finaliser: full avalanche of one word. */
export function fmix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function step(h: number, k: number): number {
  let x = Math.imul(k | 0, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

/** Order-sensitive hash of two 32-bit words. */
export function hash2(a: number, b: number): number {
  return fmix32(step(step(0x2545f491, a), b) ^ 2);
}

/** Order-sensitive hash of three 32-bit words. */
export function hash3(a: number, b: number, c: number): number {
  return fmix32(step(step(step(0x2545f491, a), b), c) ^ 3);
}

/** Order-sensitive hash of four 32-bit words. */
export function hash4(a: number, b: number, c: number, d: number): number {
  return fmix32(step(step(step(step(0x2545f491, a), b), c), d) ^ 4);
}

/** Order-sensitive hash of any number of 32-bit words. */
export function hashWords(words: readonly number[]): number {
  let h = 0x2545f491;
  for (const w of words) h = step(h, w);
  return fmix32(h ^ words.length);
}

/** Hash of a string (FNV-1a over UTF-16 code units, then the murmur3 finaliser). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Folds a non-negative integer up to 2^53 (e.g. epoch milliseconds) into one hash word. */
export function hashTime(base: number, value: number): number {
  return hash3(base, value >>> 0, Math.floor(value / TWO_32));
}

/** A hash word as a uniform number in [0, 1). */
export function unit(h: number): number {
  return (h >>> 0) / TWO_32;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A 32-bit word as 8 lowercase hex characters. */
export function hex8(word: number): string {
  const w = word >>> 0;
  return (
    (HEX[w >>> 24] as string) +
    (HEX[(w >>> 16) & 0xff] as string) +
    (HEX[(w >>> 8) & 0xff] as string) +
    (HEX[w & 0xff] as string)
  );
}

/** A version-4-shaped UUID whose 122 free bits come from four hash words. */
export function uuidFromWords(a: number, b: number, c: number, d: number): string {
  const hb = hex8(b);
  const hc = hex8(c);
  const variant = '89ab'[(c >>> 28) & 3] as string;
  return `${hex8(a)}-${hb.slice(0, 4)}-4${hb.slice(5, 8)}-${variant}${hc.slice(1, 4)}-${hc.slice(4, 8)}${hex8(d)}`;
}

/** A UUID that is a pure function of `key` (a hash word, e.g. from {@link hashWords}). */
export function uuidFromKey(key: number): string {
  return uuidFromWords(hash2(key, 1), hash2(key, 2), hash2(key, 3), hash2(key, 4));
}

/**
 * Sequential pseudo-random generator (sfc32) seeded from one 32-bit word. Use one per
 * coordinate (e.g. per organization and minute) so that draws stay reproducible when a
 * window is generated in pieces.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds the four state words from `seed` and discards the first outputs. */
  constructor(seed: number) {
    this.a = hash2(seed, 0x9e3779b9) | 0;
    this.b = hash2(seed, 0x7f4a7c15) | 0;
    this.c = hash2(seed, 0x94d049bb) | 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next uniform 32-bit word. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform number in [0, 1). */
  next(): number {
    return this.u32() / TWO_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform number in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal draw (Box-Muller, one value per call). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal draw with the given median and log-space spread. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson draw (Knuth below 30, rounded normal approximation above). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Index drawn with probability proportional to `weights[i]` (cumulative weights precomputed by the caller are not required). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] as number;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** `words` random 32-bit words as hex (8 characters each). */
  hex(words: number): string {
    let out = '';
    for (let i = 0; i < words; i++) out += hex8(this.u32());
    return out;
  }
}
