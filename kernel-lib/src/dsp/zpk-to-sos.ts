/**
 * Zeros/poles/gain → second-order sections with scipy's default digital pairing ("nearest"): poles closest to
 * the unit circle go into the last sections, each paired with its nearest zeros, and the overall gain goes into
 * the first section. Written for the digital filters `butterworth.ts` designs; the order of operations follows
 * scipy's so the coefficients round the same way.
 * @internal
 */
import { abs, Complex, complex, conj, isReal, mul, neg, sub } from "./complex";
import type { SosSection } from "./sos";

/** Relative tolerance scipy uses to call a root real: 100 · float64 epsilon. */
const REAL_TOLERANCE = 100 * Number.EPSILON;

/**
 * Split roots into one representative of each conjugate pair (positive imaginary part, averaged with its
 * partner) followed by the real roots, both sorted by real part as scipy's `_cplxreal` does.
 */
function splitConjugatePairs(roots: readonly Complex[]): Complex[] {
  const sorted = roots
    .map((root, index) => ({ root, index }))
    .sort(
      (x, y) =>
        x.root.re - y.root.re || Math.abs(x.root.im) - Math.abs(y.root.im) || x.index - y.index,
    )
    .map((entry) => entry.root);
  const isRealRoot = (root: Complex): boolean => Math.abs(root.im) <= REAL_TOLERANCE * abs(root);
  const reals = sorted.filter(isRealRoot).map((root) => complex(root.re));
  const rest = sorted.filter((root) => !isRealRoot(root));
  const positive = rest.filter((root) => root.im > 0);
  const negative = rest.filter((root) => root.im < 0);
  if (positive.length !== negative.length) {
    throw new RangeError("Complex root without a matching conjugate in the filter design.");
  }
  // Runs of (almost) equal real parts are ordered by |imaginary part| so partners line up.
  let start = 0;
  while (start < positive.length) {
    let stop = start + 1;
    while (
      stop < positive.length &&
      positive[stop].re - positive[stop - 1].re <= REAL_TOLERANCE * abs(positive[stop - 1])
    ) {
      stop++;
    }
    for (const half of [positive, negative]) {
      const run = half.slice(start, stop).sort((x, y) => Math.abs(x.im) - Math.abs(y.im));
      half.splice(start, run.length, ...run);
    }
    start = stop;
  }
  const pairs = positive.map((p, i) => {
    const n = conj(negative[i]);
    return complex((p.re + n.re) / 2, (p.im + n.im) / 2);
  });
  return [...pairs, ...reals];
}

/** Index of the root closest to the unit circle (first on ties, like numpy's argmin). */
function indexOfWorst(roots: readonly Complex[]): number {
  let best = 0;
  let bestDistance = Infinity;
  roots.forEach((root, index) => {
    const distance = Math.abs(1 - abs(root));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index;
    }
  });
  return best;
}

function indexOfNearest(from: readonly Complex[], to: Complex, which: "real" | "complex" | "any"): number {
  const order = from
    .map((root, index) => ({ index, distance: abs(sub(root, to)), real: isReal(root) }))
    .sort((x, y) => x.distance - y.distance || x.index - y.index);
  const match = order.find((entry) => which === "any" || (which === "real") === entry.real);
  if (match === undefined) throw new RangeError(`No ${which} zero left to pair with a pole.`);
  return match.index;
}

/** Coefficients of ∏(x − root), real when the roots come in conjugate pairs (numpy `poly`). */
function polynomial(roots: readonly Complex[]): number[] {
  let coefficients: Complex[] = [complex(1)];
  for (const root of roots) {
    const next: Complex[] = [];
    const factor = [complex(1), neg(root)];
    for (let k = 0; k < coefficients.length + 1; k++) {
      let sum: Complex | undefined;
      for (let j = 0; j < factor.length; j++) {
        const i = k - j;
        if (i < 0 || i >= coefficients.length) continue;
        const term = mul(coefficients[i], factor[j]);
        sum = sum === undefined ? term : complex(sum.re + term.re, sum.im + term.im);
      }
      next.push(sum ?? complex(0));
    }
    coefficients = next;
  }
  return coefficients.map((c) => c.re);
}

function singleSection(zeros: readonly Complex[], poles: readonly Complex[]): number[] {
  const section = [0, 0, 0, 0, 0, 0];
  const b = polynomial(zeros);
  const a = polynomial(poles);
  b.forEach((value, i) => (section[3 - b.length + i] = value));
  a.forEach((value, i) => (section[6 - a.length + i] = value));
  return section;
}

function take<T>(list: T[], index: number): T {
  return list.splice(index, 1)[0];
}

/** scipy `zpk2sos(z, p, k)` for digital filters with the default "nearest" pairing. */
export function zpkToSos(options: { zeros: readonly Complex[]; poles: readonly Complex[]; gain: number }): SosSection[] {
  let zeros = [...options.zeros];
  let poles = [...options.poles];
  if (zeros.length === 0 && poles.length === 0) return [[options.gain, 0, 0, 1, 0, 0]];
  while (poles.length < zeros.length) poles.push(complex(0));
  while (zeros.length < poles.length) zeros.push(complex(0));
  const sectionCount = Math.floor((poles.length + 1) / 2);
  if (poles.length % 2 === 1) {
    poles.push(complex(0));
    zeros.push(complex(0));
  }
  zeros = splitConjugatePairs(zeros);
  poles = splitConjugatePairs(poles);

  const sections: number[][] = new Array(sectionCount);
  for (let si = sectionCount - 1; si >= 0; si--) {
    const p1 = take(poles, indexOfWorst(poles));
    const realPolesLeft = poles.filter(isReal).length;
    if (isReal(p1) && realPolesLeft === 0) {
      const z1 = take(zeros, indexOfNearest(zeros, p1, "real"));
      sections[si] = singleSection([z1, complex(0)], [p1, complex(0)]);
    } else if (
      poles.length + 1 === zeros.length &&
      !isReal(p1) &&
      realPolesLeft === 1 &&
      zeros.filter(isReal).length === 1
    ) {
      const z1 = take(zeros, indexOfNearest(zeros, p1, "complex"));
      sections[si] = singleSection([z1, conj(z1)], [p1, conj(p1)]);
    } else {
      let p2: Complex;
      if (isReal(p1)) {
        const realIndices = poles.flatMap((pole, index) => (isReal(pole) ? [index] : []));
        p2 = take(poles, realIndices[indexOfWorst(realIndices.map((index) => poles[index]))]);
      } else {
        p2 = conj(p1);
      }
      if (zeros.length > 0) {
        const z1 = take(zeros, indexOfNearest(zeros, p1, "any"));
        if (!isReal(z1)) {
          sections[si] = singleSection([z1, conj(z1)], [p1, p2]);
        } else if (zeros.length > 0) {
          const z2 = take(zeros, indexOfNearest(zeros, p1, "real"));
          sections[si] = singleSection([z1, z2], [p1, p2]);
        } else {
          sections[si] = singleSection([z1], [p1, p2]);
        }
      } else {
        sections[si] = singleSection([], [p1, p2]);
      }
    }
  }
  const first = sections[0];
  for (let i = 0; i < 3; i++) first[i] *= options.gain;
  return sections.map((s) => [s[0], s[1], s[2], s[3], s[4], s[5]] as const);
}
