/**
 * `frif` — firing rate per display-frame interval (reference §3.9.4), with the port decision §9 #5: spike times
 * are sample indices and are compared with `frame_timestamps` directly. (The reference converted the frame
 * timestamps to µs but left the spikes in samples, so every spike looked 50× earlier at 20 kHz.)
 */
import type { FeatureExtractor } from "../contract";
import { lowerBound } from "../../dsp/sorted-search";
import { SPIKE_TIME_BASE, spikeSamplesOf } from "./inputs";

/** Options of {@link computeFrif}. */
export interface FrifOptions {
  /** One unit's spikes, ascending sample indices. */
  spikeSamples: ArrayLike<number>;
  /** Sample index of every display frame, ascending. */
  frameTimestamps: ArrayLike<number>;
  samplingRateHz: number;
}

/** FRIF and its time axis. */
export interface FrifResult {
  /** `FRIF[i]` = spikes in `[frame_i, frame_{i+1})` / interval duration (Hz), float32, length N − 1. */
  FRIF: Float32Array;
  /** `frame_timestamps[i] / rate` (s), float64, length N − 1. */
  FRIF_x_axis: Float64Array;
}

/**
 * The rate in every inter-frame interval. Fewer than 2 frames or a rate that is not positive give empty arrays;
 * a zero-length interval gives 0. One pass over the frames with a binary search per frame (the reference scanned
 * every spike for every interval).
 *
 * @example frames [0, 1000, 2000, 3000] at 20 kHz, spikes [200, 999, 1000, 2400, 2999] → FRIF [40, 20, 40]
 */
export function computeFrif(options: FrifOptions): FrifResult {
  const { spikeSamples: spikes, frameTimestamps: frames, samplingRateHz: rate } = options;
  if (frames.length < 2 || !(rate > 0)) return { FRIF: new Float32Array(0), FRIF_x_axis: new Float64Array(0) };
  const intervals = frames.length - 1;
  const frif = new Float32Array(intervals);
  const xAxis = new Float64Array(intervals);
  let low = lowerBound(spikes, frames[0]);
  for (let i = 0; i < intervals; i++) {
    xAxis[i] = frames[i] / rate;
    const high = lowerBound(spikes, frames[i + 1]);
    const durationS = (frames[i + 1] - frames[i]) / rate;
    frif[i] = durationS > 0 ? Math.max(0, high - low) / durationS : 0;
    low = Math.max(low, high);
  }
  return { FRIF: frif, FRIF_x_axis: xAxis };
}

/** The registry entry of `frif`. Missing metadata gives empty arrays, as in the reference. */
export const frifExtractor: FeatureExtractor<Record<string, never>> = {
  name: "frif",
  // 2.x: sample-index semantics (§9 #5); the reference's 1.0.0 numbers were off by the µs/sample mix-up.
  version: "2.0.0",
  spikeTimeBase: SPIKE_TIME_BASE.SAMPLE_INDEX,
  description: "Firing rate in every inter-frame interval of the display (Hz), spikes compared with frame_timestamps in samples.",
  requiredInputs: [],
  outputSchema: {
    FRIF: { dtype: "float32[n_frames-1]", unit: "Hz", description: "spikes per inter-frame interval / its duration" },
    FRIF_x_axis: { dtype: "float64[n_frames-1]", unit: "s", description: "start of each interval (frame_timestamps / acquisition_rate)" },
  },
  runtimeClass: "fast",
  defaults: {},
  extract: ({ unit, metadata }) => {
    const frames = metadata.has("frame_timestamps") ? metadata.dataset("frame_timestamps").numbers() : [];
    const rate = metadata.has("acquisition_rate") ? metadata.dataset("acquisition_rate").number() : Number.NaN;
    const result = computeFrif({ spikeSamples: spikeSamplesOf(unit), frameTimestamps: frames, samplingRateHz: rate });
    return { FRIF: result.FRIF, FRIF_x_axis: result.FRIF_x_axis };
  },
};
