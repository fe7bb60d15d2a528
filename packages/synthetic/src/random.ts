import { createHash } from 'node:crypto';

/** A small seeded PRNG (mulberry32): the same seed gives the same partnership, every time. */
export class Random {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Normal-ish noise (sum of uniforms), mean 0, sd about `sd`. */
  noise(sd: number): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2 * sd;
  }

  /** A Poisson draw, for monthly counts. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > limit);
    return k - 1;
  }
}

export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const MASK = (1n << 50n) - 1n;
const MULTIPLIER = 0x9e3779b97f4a7c15n; // odd, so n -> n * M mod 2^50 is a bijection: no collisions

/** A pseudonymous id: a prefix and 10 base-32 characters scrambled from a number (no CPR, no name). */
export function pseudonym(prefix: string, n: number, salt: string): string {
  let x = ((BigInt(n) + BigInt(hashString(salt))) * MULTIPLIER) & MASK;
  x ^= x >> 23n; // xor-shift and odd multiply are bijections too: still no collisions
  x = (x * 0xbf58476d1ce4e5b9n) & MASK;
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[Number(x & 31n)]! + out;
    x >>= 5n;
  }
  return `${prefix}${out}`;
}

/**
 * An id for a record handed across owners (a decision, a referral, a case): a
 * prefix and 16 base-32 characters from a hash of the world's seed, the kind
 * and the index, so every owner's seed agrees on it and none is guessable from
 * another — the form the owners' own random ids take.
 */
export function hashedId(prefix: string, key: string): string {
  let bits = BigInt(`0x${createHash('sha256').update(key).digest('hex').slice(0, 20)}`);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `${prefix}${out}`;
}
