/**
 * Spike timestamps in µs → acquisition sample indices (reference §3.10.8).
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/** Options of the µs → sample conversions. */
export interface SpikeSamplesOptions {
  spikeTimesUs: ArrayLike<number>;
  samplingRateHz: number;
}

/**
 * `round(µs · rate / 1e6)` with round-half-to-even, in float64 in that order — the conversion the reference uses
 * for `spike_times` (25 µs → 0, 75 µs → 2, 150 µs → 3 at 20 kHz). Returns sample indices as Float64Array.
 */
export function spikeTimesUsToSamples(options: SpikeSamplesOptions): Float64Array {
  const { spikeTimesUs, samplingRateHz } = checkRate(options);
  const samples = new Float64Array(spikeTimesUs.length);
  for (let i = 0; i < samples.length; i++) samples[i] = roundHalfEven((spikeTimesUs[i] * samplingRateHz) / 1e6);
  return samples;
}

/**
 * The reference eimage path's conversion, `trunc((µs / 1e6) · rate)` (150 µs → 2, 350 µs → 7). Kept to document
 * and test the difference; hdmea's eimage uses {@link spikeTimesUsToSamples} (reference §9 #6).
 */
export function spikeTimesUsToSamplesTruncated(options: SpikeSamplesOptions): Float64Array {
  const { spikeTimesUs, samplingRateHz } = checkRate(options);
  return Float64Array.from(spikeTimesUs, (us) => Math.trunc((us / 1e6) * samplingRateHz));
}

/** Round to nearest, ties to even (numpy `round`); JS `Math.round` sends ties up. */
export function roundHalfEven(value: number): number {
  const rounded = Math.round(value);
  if (Math.abs(value % 1) === 0.5 && rounded % 2 !== 0) return rounded - 1;
  return rounded;
}

function checkRate(options: SpikeSamplesOptions): SpikeSamplesOptions {
  if (!(options.samplingRateHz > 0) || !Number.isFinite(options.samplingRateHz)) {
    throw new ConfigurationError(messages.samplingRate(options.samplingRateHz));
  }
  return options;
}
