/**
 * The few complex-number operations the filter design needs, written to round exactly like numpy's complex128
 * loops (Smith's division with a reciprocal scale), so designed coefficients agree with scipy to the last bits.
 * @internal
 */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

export function complex(re: number, im = 0): Complex {
  return { re, im };
}

export function add(a: Complex, b: Complex): Complex {
  return { re: a.re + b.re, im: a.im + b.im };
}

export function sub(a: Complex, b: Complex): Complex {
  return { re: a.re - b.re, im: a.im - b.im };
}

export function mul(a: Complex, b: Complex): Complex {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

export function neg(a: Complex): Complex {
  return { re: -a.re, im: -a.im };
}

export function conj(a: Complex): Complex {
  return { re: a.re, im: -a.im };
}

/** numpy's complex division (Smith's algorithm, scaled by the reciprocal of the denominator). */
export function div(a: Complex, b: Complex): Complex {
  const absRe = Math.abs(b.re);
  const absIm = Math.abs(b.im);
  if (absRe >= absIm) {
    const rat = b.im / b.re;
    const scl = 1.0 / (b.re + b.im * rat);
    return { re: (a.re + a.im * rat) * scl, im: (a.im - a.re * rat) * scl };
  }
  const rat = b.re / b.im;
  const scl = 1.0 / (b.im + b.re * rat);
  return { re: (a.re * rat + a.im) * scl, im: (a.im * rat - a.re) * scl };
}

export function abs(a: Complex): number {
  return Math.hypot(a.re, a.im);
}

export function isReal(a: Complex): boolean {
  return a.im === 0;
}

/** Sequential product like numpy's `prod` (multiply.reduce); 1 for an empty list. */
export function prod(values: readonly Complex[]): Complex {
  if (values.length === 0) return complex(1);
  let result = values[0];
  for (let i = 1; i < values.length; i++) result = mul(result, values[i]);
  return result;
}
