/**
 * Butterworth high-pass design as second-order sections, reproducing scipy's
 * `butter(N, Wn, 'highpass', fs=fs, output='sos')`: analog prototype poles, high-pass transform, bilinear
 * transform with pre-warping (fs = 2 convention), then pairing into sections. Also the steady-state initial
 * conditions of `sosfilt_zi` that `sosfiltfilt` starts from.
 */
import { ConfigurationError } from "../errors";
import { Complex, complex, div, neg, prod, sub } from "./complex";
import { messages } from "./messages";
import { checkSos, SosSection } from "./sos";
import { zpkToSos } from "./zpk-to-sos";

/** Options of {@link designButterworthHighpass}. */
export interface ButterworthHighpassOptions {
  /** Filter order N (the reference's `filter_order`, default 2). */
  order: number;
  /** −3 dB cutoff in Hz (the reference's `cutoff_hz`, default 100). Must be below samplingRateHz / 2. */
  cutoffHz: number;
  /** Sampling rate of the signal in Hz (20000 for the MEA). */
  samplingRateHz: number;
}

/**
 * Designs an order-N digital Butterworth high-pass as second-order sections, equal to scipy's
 * `butter(order, cutoffHz, 'highpass', fs=samplingRateHz, output='sos')` to within a few float64 ulps.
 * Odd orders get a first-order section padded with a zero pole and zero, as scipy does.
 *
 * @example designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 })
 *   // [[0.97803…, -1.95606…, 0.97803…, 1, -1.95557…, 0.95654…]]
 * @throws ConfigurationError for a non-integer or non-positive order, a bad rate, or a cutoff outside (0, Nyquist).
 */
export function designButterworthHighpass(options: ButterworthHighpassOptions): SosSection[] {
  const { order, cutoffHz, samplingRateHz } = options;
  if (!Number.isInteger(order) || order < 1) throw new ConfigurationError(messages.filterOrder(order));
  if (!Number.isFinite(samplingRateHz) || samplingRateHz <= 0) {
    throw new ConfigurationError(messages.samplingRate(samplingRateHz));
  }
  const nyquistHz = samplingRateHz / 2;
  const wn = cutoffHz / nyquistHz;
  if (!Number.isFinite(wn) || wn <= 0 || wn >= 1) {
    throw new ConfigurationError(messages.cutoffRange(cutoffHz, nyquistHz));
  }

  // Analog prototype: poles −exp(iπm/(2N)), m = −N+1, −N+3, …, N−1 (numpy computes iπ·m as a complex product
  // and divides by 2N with complex division, i.e. multiplies by 1/(2N)).
  const prototypePoles: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const angle = div(complex(0 * m - Math.PI * 0, Math.PI * m), complex(2 * order)).im;
    prototypePoles.push(neg(complex(Math.cos(angle), Math.sin(angle))));
  }

  // Pre-warp the normalised cutoff with fs = 2, then the low-pass → high-pass transform p → ω/p.
  const fs = 2.0;
  const warped = 2 * fs * Math.tan((Math.PI * wn) / fs);
  const highpassPoles = prototypePoles.map((p) => div(complex(warped), p));
  const highpassZeros = prototypePoles.map(() => complex(0));
  const highpassGain = div(complex(1.0), prod(prototypePoles.map(neg))).re;

  // Bilinear transform z = (2fs + s) / (2fs − s).
  const fs2 = complex(2.0 * fs);
  const digitalZeros = highpassZeros.map((z) => div(complexSum(fs2, z), sub(fs2, z)));
  const digitalPoles = highpassPoles.map((p) => div(complexSum(fs2, p), sub(fs2, p)));
  const digitalGain =
    highpassGain * div(prod(highpassZeros.map((z) => sub(fs2, z))), prod(highpassPoles.map((p) => sub(fs2, p)))).re;

  return zpkToSos({ zeros: digitalZeros, poles: digitalPoles, gain: digitalGain });
}

function complexSum(a: Complex, b: Complex): Complex {
  return complex(a.re + b.re, a.im + b.im);
}

/**
 * Steady-state initial conditions of every section for a unit-step input, like scipy's `sosfilt_zi`: the state
 * of section k is its `lfilter_zi` scaled by the DC gain of the sections before it. Multiply by the first
 * input sample to start a filter without a transient.
 *
 * @returns one `[z0, z1]` pair per section.
 */
export function sosfiltZi(options: { sos: readonly SosSection[] }): Array<[number, number]> {
  const { sos } = options;
  checkSos(sos);
  let scale = 1.0;
  return sos.map((section) => {
    const zi = biquadStepState(section);
    const result: [number, number] = [scale * zi[0], scale * zi[1]];
    scale *= (section[0] + section[1] + section[2]) / (section[3] + section[4] + section[5]);
    return result;
  });
}

/**
 * Solves zi = A·zi + B for one normalised biquad (scipy's `lfilter_zi`), by Gaussian elimination with partial
 * pivoting on the 2 × 2 system (I − Aᵀ) — the same steps LAPACK takes, hence the same rounding.
 */
function biquadStepState(section: SosSection): [number, number] {
  const a0 = section[3];
  const b0 = section[0] / a0;
  const b1 = section[1] / a0;
  const b2 = section[2] / a0;
  const a1 = section[4] / a0;
  const a2 = section[5] / a0;
  // (I − companion(a)ᵀ) = [[1 + a1, −1], [a2, 1]], right-hand side B = b[1:] − a[1:]·b0.
  let m00 = 1 + a1;
  let m01 = -1;
  let m10 = a2;
  let m11 = 1;
  let r0 = b1 - a1 * b0;
  let r1 = b2 - a2 * b0;
  if (Math.abs(m10) > Math.abs(m00)) {
    [m00, m01, m10, m11] = [m10, m11, m00, m01];
    [r0, r1] = [r1, r0];
  }
  const factor = m10 * (1 / m00);
  const u11 = m11 - factor * m01;
  const y1 = r1 - factor * r0;
  const z1 = y1 / u11;
  const z0 = (r0 - m01 * z1) / m00;
  return [z0, z1];
}
