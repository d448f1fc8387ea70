/**
 * Averages of analog pieces: the NaN-padded mean of unequal-length light-reference pieces (light templates) and
 * the block means that make the 1-kHz and 10-Hz copies of the light reference.
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/**
 * Position-wise mean of pieces of different lengths: position j averages the pieces long enough to have it
 * (the reference pads with NaN and ignores NaN). Length = the longest piece; float32. No pieces → empty.
 *
 * @example nanPaddedMean({ pieces: [[1, 2, 3], [3, 4]] }) // Float32Array [2, 3, 3]
 */
export function nanPaddedMean(options: { pieces: ReadonlyArray<ArrayLike<number>> }): Float32Array {
  const { pieces } = options;
  const length = pieces.reduce((longest, piece) => Math.max(longest, piece.length), 0);
  const sums = new Float64Array(length);
  const counts = new Float64Array(length);
  for (const piece of pieces) {
    for (let j = 0; j < piece.length; j++) {
      const value = piece[j];
      if (Number.isNaN(value)) continue;
      sums[j] += value;
      counts[j]++;
    }
  }
  return Float32Array.from(sums, (sum, j) => (counts[j] > 0 ? sum / counts[j] : NaN));
}

/** Options of {@link blockMean}. */
export interface BlockMeanOptions {
  signal: ArrayLike<number>;
  /** Samples per block (20 for 20 kHz → 1 kHz, 2000 for 20 kHz → 10 Hz). */
  factor: number;
}

/**
 * Mean of consecutive blocks of `factor` samples; a trailing partial block is dropped. Float32 result (summed in
 * float64, so the last bits may differ from numpy's float32 pairwise sum).
 *
 * @example blockMean({ signal: 0..44, factor: 20 }) // Float32Array [9.5, 29.5]
 */
export function blockMean(options: BlockMeanOptions): Float32Array {
  const { signal, factor } = options;
  if (!Number.isInteger(factor) || factor < 1) throw new ConfigurationError(messages.positiveInteger("factor", factor));
  const blocks = Math.floor(signal.length / factor);
  const out = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let sum = 0;
    for (let i = b * factor; i < (b + 1) * factor; i++) sum += signal[i];
    out[b] = sum / factor;
  }
  return out;
}

/**
 * The reference's down-sampled light-reference copy (`1khz_chX`, `10hz_chX`): block mean with
 * `factor = floor(samplingRateHz / targetRateHz)`; when the target is not below the rate the signal is returned
 * unchanged (as float32).
 */
export function downsampleByBlockMean(options: {
  signal: ArrayLike<number>;
  samplingRateHz: number;
  targetRateHz: number;
}): Float32Array {
  const { signal, samplingRateHz, targetRateHz } = options;
  if (!(samplingRateHz > 0)) throw new ConfigurationError(messages.samplingRate(samplingRateHz));
  if (!(targetRateHz > 0)) throw new ConfigurationError(messages.positiveFinite("targetRateHz", targetRateHz));
  if (targetRateHz >= samplingRateHz) return Float32Array.from(signal);
  return blockMean({ signal, factor: Math.floor(samplingRateHz / targetRateHz) });
}
