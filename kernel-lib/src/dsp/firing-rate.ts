/**
 * Binned firing rate of a spike train given in microseconds (the reference's `compute_firing_rate`, stored as
 * `firing_rate_10hz`).
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/** Options of {@link computeFiringRate}. */
export interface FiringRateOptions {
  /** Spike times in µs (the raw CMTR timestamps). */
  spikeTimesUs: ArrayLike<number>;
  /** Recording duration in µs; the bins cover [0, ceil(duration / bin) · bin]. */
  durationUs: number;
  /** Bins per second; default 10 (100 ms bins). */
  binRateHz?: number;
}

/**
 * Spike count per bin times `binRateHz` (spikes/s), as float32. Bins are half-open except the last, which also
 * holds its right edge (numpy `histogram`); spikes outside the bins are ignored. Empty train → empty array.
 *
 * @example computeFiringRate({ spikeTimesUs: [0, 50000, 99999, 100000, 250000, 300000], durationUs: 300000 })
 *   // Float32Array [30, 10, 20]
 */
export function computeFiringRate(options: FiringRateOptions): Float32Array {
  const { spikeTimesUs, durationUs } = options;
  const binRateHz = options.binRateHz ?? 10;
  if (!(binRateHz > 0) || !Number.isFinite(binRateHz)) {
    throw new ConfigurationError(messages.positiveFinite("binRateHz", binRateHz));
  }
  if (Number.isNaN(durationUs)) throw new ConfigurationError(messages.nonNegativeFinite("durationUs", durationUs));
  if (spikeTimesUs.length === 0) return new Float32Array(0);
  const binUs = 1e6 / binRateHz;
  const binCount = Math.ceil(durationUs / binUs);
  if (!(binCount > 0)) return new Float32Array(0);
  const lastEdge = binCount * binUs;
  const counts = new Float64Array(binCount);
  for (let i = 0; i < spikeTimesUs.length; i++) {
    const t = spikeTimesUs[i];
    if (!(t >= 0 && t <= lastEdge)) continue;
    counts[binOf(t, binUs, binCount)]++;
  }
  return Float32Array.from(counts, (count) => count * binRateHz);
}

/** Bin k holds edge(k) ≤ t < edge(k+1) with edge(k) = k · bin; the last bin includes its right edge. */
function binOf(t: number, binUs: number, binCount: number): number {
  let k = Math.min(Math.floor(t / binUs), binCount - 1);
  // t / bin can round across an edge; settle against the edges themselves.
  while (k > 0 && t < k * binUs) k--;
  while (k < binCount - 1 && t >= (k + 1) * binUs) k++;
  return k;
}
