/**
 * Auto- and cross-correlograms of spike trains: how many spikes of train B fall at each lag from the spikes of
 * train A, in bins of `binMs` over a window centred on lag 0. An auto-correlogram (B omitted) leaves out each
 * spike's pair with itself, so its centre bins show refractoriness: a clean unit has (almost) nothing within
 * ±1.5 ms.
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/** Options of {@link computeCorrelogram}. */
export interface CorrelogramOptions {
  /** Reference spike train: ascending sample indices. */
  spikesA: ArrayLike<number>;
  /** Target spike train (ascending sample indices); omitted → the auto-correlogram of `spikesA`. */
  spikesB?: ArrayLike<number>;
  /** Samples per second of both trains (`metadata.acquisition_rate`). */
  samplingRateHz: number;
  /** Bin width. Default 1 ms. */
  binMs?: number;
  /**
   * Total width of the lag window, centred on 0: lags in [−windowMs/2, +windowMs/2). Default 100 ms (±50 ms).
   * Must be a whole multiple of `binMs`.
   */
  windowMs?: number;
}

/** A correlogram: pair counts per lag bin. */
export interface Correlogram {
  readonly binMs: number;
  readonly windowMs: number;
  /** Left edge of every bin in ms, from −windowMs/2 upwards. */
  readonly lagsMs: Float64Array;
  /** Number of (A, B) spike pairs whose lag (B − A) falls into each bin. */
  readonly counts: Float64Array;
  /** Spikes in train A (to turn counts into a conditional rate: counts / (spikesA · binMs / 1000)). */
  readonly spikesA: number;
  readonly auto: boolean;
}

/** Default bin width and window of correlograms (SpikeInterface uses the same: 1 ms bins, ±50 ms). */
export const CORRELOGRAM_DEFAULTS = { binMs: 1, windowMs: 100 } as const;

/**
 * Counts spike pairs by lag in one pass over the two sorted trains (two pointers, so the cost grows with the
 * number of pairs inside the window, not with the product of the train lengths).
 *
 * @example computeCorrelogram({ spikesA: unit.spike_times, samplingRateHz: 20000, binMs: 1, windowMs: 100 })
 */
export function computeCorrelogram(options: CorrelogramOptions): Correlogram {
  const binMs = options.binMs ?? CORRELOGRAM_DEFAULTS.binMs;
  const windowMs = options.windowMs ?? CORRELOGRAM_DEFAULTS.windowMs;
  const rate = options.samplingRateHz;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new ConfigurationError(messages.samplingRate(rate));
  if (!(binMs > 0) || !Number.isFinite(binMs)) throw new ConfigurationError(messages.positiveFinite("binMs", binMs));
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) throw new ConfigurationError(messages.positiveFinite("windowMs", windowMs));
  const binCount = Math.round(windowMs / binMs);
  if (binCount < 1 || Math.abs(binCount * binMs - windowMs) > 1e-9 * windowMs) {
    throw new ConfigurationError(messages.windowNotBinMultiple(windowMs, binMs));
  }
  const a = options.spikesA;
  const auto = options.spikesB === undefined;
  const b = options.spikesB ?? a;
  checkAscending(a, "spikesA");
  if (!auto) checkAscending(b, "spikesB");

  const samplesPerMs = rate / 1000;
  const half = (windowMs / 2) * samplesPerMs;
  const binSamples = binMs * samplesPerMs;
  const counts = new Float64Array(binCount);
  let low = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i];
    while (low < b.length && b[low] - t < -half) low++;
    for (let j = low; j < b.length; j++) {
      const lag = b[j] - t;
      if (lag >= half) break;
      if (auto && j === i) continue;
      // Float division can land a lag exactly on an edge one bin off; clamp into the window's bins.
      const bin = Math.min(binCount - 1, Math.max(0, Math.floor((lag + half) / binSamples)));
      counts[bin]++;
    }
  }
  const lagsMs = new Float64Array(binCount);
  for (let k = 0; k < binCount; k++) lagsMs[k] = -windowMs / 2 + k * binMs;
  return { binMs, windowMs, lagsMs, counts, spikesA: a.length, auto };
}

function checkAscending(spikes: ArrayLike<number>, name: string): void {
  for (let i = 1; i < spikes.length; i++) {
    if (!(spikes[i] >= spikes[i - 1])) throw new ConfigurationError(messages.notAscending(name, i));
  }
}
