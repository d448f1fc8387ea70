/**
 * The simulator's own seeded random numbers: sfc32 (a small, fast 32-bit generator) seeded through splitmix32.
 * Every part of a simulation draws from its own stream, derived from the recipe seed and a fixed label, so adding
 * draws to one part never shifts another part's numbers.
 */

/** A seeded random stream. */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  integer(lo: number, hi: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Exponential with mean 1. */
  exponential(): number;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a text, used to turn a stream label into a number. */
function hashLabel(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The sub-seed of stream `label` under the recipe seed `seed` (a whole number in [0, 2^32)). */
export function deriveSeed(seed: number, label: string): number {
  const next = splitmix32((seed ^ hashLabel(label)) >>> 0);
  next();
  return next();
}

/** A random stream seeded with a 32-bit `seed`. */
export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  let spare: number | undefined;
  const uniform = (): number => next() / 4294967296;
  return {
    uniform,
    integer: (lo, hi) => lo + Math.floor(uniform() * (hi - lo + 1)),
    normal: () => {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      const u = 1 - uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    exponential: () => -Math.log(1 - uniform()),
  };
}

/** The random stream `label` of a simulation seeded with `seed`. */
export function streamFor(seed: number, label: string): Random {
  return createRandom(deriveSeed(seed, label));
}

/** A deterministic GUID-formatted text drawn from `random` (version-4 layout). */
export function randomGuid(random: Random): string {
  const hex = (digits: number) => {
    let text = "";
    for (let i = 0; i < digits; i++) text += random.integer(0, 15).toString(16);
    return text;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + random.integer(0, 3)).toString(16)}${hex(3)}-${hex(12)}`;
}
