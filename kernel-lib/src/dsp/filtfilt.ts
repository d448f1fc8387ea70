/**
 * Zero-phase filtering with second-order sections, identical to scipy's `sosfiltfilt(sos, x)` with its default
 * arguments: odd extension of `padlen` samples at both ends, a forward pass started from `sosfilt_zi` scaled by
 * the first padded sample, a backward pass started from the steady state of the last forward output, then the
 * padding is cut off. All arithmetic is float64 in scipy's order of operations (transposed direct form II).
 */
import { ConfigurationError } from "../errors";
import { sosfiltZi } from "./butterworth";
import { messages } from "./messages";
import { checkSos, SosSection, sosfiltfiltPadLength } from "./sos";

/** Options of {@link sosfiltfilt}. */
export interface SosfiltfiltOptions {
  /** The filter, e.g. from `designButterworthHighpass`. */
  sos: readonly SosSection[];
  /** The signal; its length must exceed the pad length (9 for one biquad). */
  signal: ArrayLike<number>;
}

/**
 * Filters a signal forward and backward (zero phase) exactly like scipy's `sosfiltfilt` with default arguments.
 * A Float32Array signal is padded in float32 like numpy does; the filtering itself is float64.
 *
 * @returns the filtered signal as float64, same length as the input.
 * @throws ConfigurationError when the signal is not longer than the pad length, naming both.
 */
export function sosfiltfilt(options: SosfiltfiltOptions): Float64Array {
  const plan = createFiltfiltPlan({ sos: options.sos });
  const { signal } = options;
  checkLength(signal.length, plan.padLength);
  const ext = new Float64Array(signal.length + 2 * plan.padLength);
  runFiltfilt(plan, signal, 0, 1, signal.length, signal instanceof Float32Array, ext);
  return ext.slice(plan.padLength, plan.padLength + signal.length);
}

/** Options of {@link sosfiltfiltColumn}. */
export interface SosfiltfiltColumnOptions<T extends Float32Array | Float64Array> {
  sos: readonly SosSection[];
  /** One trace, e.g. one electrode's samples. */
  column: T;
  /** Where to write the result (same length as `column`, may be `column` itself); a new array when omitted. */
  out?: T;
}

/**
 * Zero-phase filters one Float32Array or Float64Array trace and returns the result in the same element type
 * (float64 internally, then cast — what the reference does with its float32 sensor data).
 */
export function sosfiltfiltColumn<T extends Float32Array | Float64Array>(options: SosfiltfiltColumnOptions<T>): T {
  const { column } = options;
  const plan = createFiltfiltPlan({ sos: options.sos });
  checkLength(column.length, plan.padLength);
  const out = options.out ?? (new (column.constructor as { new (n: number): T })(column.length) as T);
  if (out.length !== column.length) {
    throw new ConfigurationError(messages.outLength(out.length, column.length));
  }
  const ext = new Float64Array(column.length + 2 * plan.padLength);
  runFiltfilt(plan, column, 0, 1, column.length, column instanceof Float32Array, ext);
  for (let i = 0; i < column.length; i++) out[i] = ext[plan.padLength + i];
  return out;
}

/**
 * A filter prepared for repeated zero-phase runs: coefficients as a flat array, the steady-state initial
 * conditions and the pad length. Reusing one plan (and one scratch buffer) per chunk keeps streaming cheap.
 * @internal
 */
export interface FiltfiltPlan {
  readonly coefficients: Float64Array;
  readonly zi: Float64Array;
  readonly sectionCount: number;
  readonly padLength: number;
}

/** @internal */
export function createFiltfiltPlan(options: { sos: readonly SosSection[] }): FiltfiltPlan {
  const { sos } = options;
  checkSos(sos);
  const coefficients = new Float64Array(sos.length * 6);
  sos.forEach((section, s) => coefficients.set(section, s * 6));
  const zi = new Float64Array(sos.length * 2);
  sosfiltZi({ sos }).forEach((pair, s) => zi.set(pair, s * 2));
  return { coefficients, zi, sectionCount: sos.length, padLength: sosfiltfiltPadLength({ sos }) };
}

/** @internal */
export function checkLength(length: number, padLength: number): void {
  if (length <= padLength) throw new ConfigurationError(messages.signalTooShort(length, padLength));
}

/**
 * Zero-phase filters `length` samples read from `source[offset + k·stride]` into `ext`, which must hold
 * `length + 2·padLength` values; the result is left in `ext[padLength … padLength + length)`. Strided input lets
 * the eimage code filter one electrode of a (samples × electrodes) block without copying it out first.
 * @internal
 */
export function runFiltfilt(
  plan: FiltfiltPlan,
  source: ArrayLike<number>,
  offset: number,
  stride: number,
  length: number,
  float32Padding: boolean,
  ext: Float64Array,
): void {
  const pad = plan.padLength;
  for (let k = 0, i = offset; k < length; k++, i += stride) ext[pad + k] = source[i];
  padOddAndFilter(plan, ext, length, float32Padding);
}

/**
 * `ext` holds a signal of `length` samples at [padLength, padLength + length); writes the odd extension around it
 * (rounded to float32 when the signal is float32, as numpy pads float32 arrays in float32), then runs the forward
 * and backward passes in place.
 * @internal
 */
export function padOddAndFilter(plan: FiltfiltPlan, ext: Float64Array, length: number, float32Padding: boolean): void {
  const pad = plan.padLength;
  const twoFirst = 2 * ext[pad];
  const twoLast = 2 * ext[pad + length - 1];
  for (let j = 0; j < pad; j++) {
    const left = twoFirst - ext[2 * pad - j];
    const right = twoLast - ext[pad + length - 2 - j];
    ext[j] = float32Padding ? Math.fround(left) : left;
    ext[pad + length + j] = float32Padding ? Math.fround(right) : right;
  }
  if (plan.sectionCount === 1) {
    forwardBiquad(plan, ext);
    backwardBiquad(plan, ext);
  } else {
    forwardSections(plan, ext);
    backwardSections(plan, ext);
  }
}

// One biquad (the reference's order-2 filter) is the hot path: coefficients and state live in locals.
function forwardBiquad(plan: FiltfiltPlan, ext: Float64Array): void {
  const c = plan.coefficients;
  const b0 = c[0], b1 = c[1], b2 = c[2], a1 = c[4], a2 = c[5];
  const x0 = ext[0];
  let z0 = plan.zi[0] * x0;
  let z1 = plan.zi[1] * x0;
  const n = ext.length;
  for (let i = 0; i < n; i++) {
    const x = ext[i];
    const y = b0 * x + z0;
    z0 = b1 * x - a1 * y + z1;
    z1 = b2 * x - a2 * y;
    ext[i] = y;
  }
}

function backwardBiquad(plan: FiltfiltPlan, ext: Float64Array): void {
  const c = plan.coefficients;
  const b0 = c[0], b1 = c[1], b2 = c[2], a1 = c[4], a2 = c[5];
  const y0 = ext[ext.length - 1];
  let z0 = plan.zi[0] * y0;
  let z1 = plan.zi[1] * y0;
  for (let i = ext.length - 1; i >= 0; i--) {
    const x = ext[i];
    const y = b0 * x + z0;
    z0 = b1 * x - a1 * y + z1;
    z1 = b2 * x - a2 * y;
    ext[i] = y;
  }
}

function forwardSections(plan: FiltfiltPlan, ext: Float64Array): void {
  const state = scaledState(plan, ext[0]);
  for (let i = 0; i < ext.length; i++) ext[i] = stepSections(plan.coefficients, state, plan.sectionCount, ext[i]);
}

function backwardSections(plan: FiltfiltPlan, ext: Float64Array): void {
  const state = scaledState(plan, ext[ext.length - 1]);
  for (let i = ext.length - 1; i >= 0; i--) {
    ext[i] = stepSections(plan.coefficients, state, plan.sectionCount, ext[i]);
  }
}

function scaledState(plan: FiltfiltPlan, value: number): Float64Array {
  const state = new Float64Array(plan.zi.length);
  for (let i = 0; i < state.length; i++) state[i] = plan.zi[i] * value;
  return state;
}

function stepSections(c: Float64Array, state: Float64Array, sectionCount: number, input: number): number {
  let x = input;
  for (let s = 0; s < sectionCount; s++) {
    const o = s * 6;
    const y = c[o] * x + state[2 * s];
    state[2 * s] = c[o + 1] * x - c[o + 4] * y + state[2 * s + 1];
    state[2 * s + 1] = c[o + 2] * x - c[o + 5] * y;
    x = y;
  }
  return x;
}
