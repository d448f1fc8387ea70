/**
 * Sections found in the photodiode trace rather than in the playlist bookkeeping (reference §3.5): light onsets
 * are the rising edges of the light reference, and each onset opens a section of fixed duration.
 */
import { ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import { findPeaks } from "./find-peaks";
import { messages } from "./messages";
import { nanPaddedMean } from "./templates";

/** Options of {@link detectLightOnsets}. */
export interface DetectLightOnsetsOptions {
  /** The light reference (`stimulus.light_reference.raw_ch1`). */
  signal: ArrayLike<number>;
  /** Minimum rise between two consecutive samples, in the signal's units (inclusive). */
  threshold: number;
  /** Minimum distance between onsets in samples (≥ 1); larger rises win. None by default. */
  distanceSamples?: number;
}

/**
 * Indices of the local maxima of the signal's first difference (computed in float64) that are ≥ `threshold`.
 * Index k means the rise happens between samples k and k + 1, so a step whose first high sample is 500 gives 499.
 *
 * @example detectLightOnsets({ signal: [0, 0, 0, 5, 5, 5], threshold: 1 }) // [2]
 */
export function detectLightOnsets(options: DetectLightOnsetsOptions): number[] {
  const { signal, threshold, distanceSamples } = options;
  if (!Number.isFinite(threshold)) throw new ConfigurationError(messages.finiteNumber("threshold", threshold));
  if (signal.length < 2) return [];
  const difference = new Float64Array(signal.length - 1);
  for (let i = 0; i < difference.length; i++) difference[i] = Number(signal[i + 1]) - Number(signal[i]);
  return findPeaks({ signal: difference, height: threshold, distance: distanceSamples });
}

/** Options of {@link analogSectionTimes}. */
export interface AnalogSectionTimesOptions {
  /** The light reference the onsets were found in. */
  signal: ArrayLike<number>;
  /** Onset sample indices, ascending (from {@link detectLightOnsets}). */
  onsets: readonly number[];
  /** Section length in samples (the reference's `int(plot_duration · rate)`). */
  durationSamples: number;
  /** Keep only the first `repeat` onsets; null or 0 keeps all. The template always uses all onsets. */
  repeat?: number | null;
}

/** Result of {@link analogSectionTimes}. */
export interface AnalogSectionTimes {
  /** (sections × 2) `[onset, end]` sample indices; `end` is clipped to the last sample. */
  sectionTime: NdArray<Float64Array>;
  /** NaN-padded mean of the signal after every onset (float32). */
  lightTemplate: Float32Array;
  /** Number of kept sections whose end had to be clipped to the last sample. */
  truncatedCount: number;
}

/**
 * Section i = `[onset_i, min(onset_i + durationSamples, n − 1)]`; the template averages
 * `signal[onset : min(onset + durationSamples, n − 1))` over all onsets, before `repeat` is applied — both as
 * the reference's `add_section_time_analog`.
 */
export function analogSectionTimes(options: AnalogSectionTimesOptions): AnalogSectionTimes {
  const { signal, onsets, durationSamples } = options;
  if (!Number.isInteger(durationSamples) || durationSamples < 1) {
    throw new ConfigurationError(messages.positiveInteger("durationSamples", durationSamples));
  }
  const maxSample = signal.length - 1;
  const pieces = onsets.map((onset) => sliceOf(signal, onset, Math.min(onset + durationSamples, maxSample)));
  const lightTemplate = nanPaddedMean({ pieces });
  const repeat = options.repeat ?? 0;
  const kept = repeat > 0 ? onsets.slice(0, repeat) : onsets;
  const samples = new Float64Array(kept.length * 2);
  let truncatedCount = 0;
  kept.forEach((onset, i) => {
    const end = onset + durationSamples;
    if (end > maxSample) truncatedCount++;
    samples[2 * i] = onset;
    samples[2 * i + 1] = Math.min(Math.max(end, 0), maxSample);
  });
  return { sectionTime: new NdArray(samples, [kept.length, 2]), lightTemplate, truncatedCount };
}

function sliceOf(values: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  if (end <= start) return [];
  if (ArrayBuffer.isView(values)) return (values as unknown as Float32Array).subarray(start, end);
  return Array.prototype.slice.call(values, start, end) as number[];
}
