/**
 * Display-frame timestamps from the frame-sync (or light) channel, as the reference's `get_frame_timestamps`:
 * normalise by the 99.9th percentile, take the first difference, keep rising edges above 0.1, drop the first
 * four.
 */
import { findPeaks } from "./find-peaks";
import { percentile } from "./percentile";

/** Options of {@link detectFrameTimestamps}. */
export interface DetectFrameTimestampsOptions {
  /** The analog channel (`raw_ch2`, or `raw_ch1` when there is no second channel), float32 in the recording. */
  signal: ArrayLike<number>;
  /** Leading detections dropped (the display's start-up frames); default 4. Kept all when there are fewer. */
  excludeInitialFrames?: number;
  /** Percentile used as the signal's full scale; default 99.9. */
  normalizePercentile?: number;
  /** Minimum rise of the normalised signal between two samples; default 0.1. */
  peakHeightThreshold?: number;
}

/**
 * Sample index of every display frame (ascending), as Float64Array. A frame at index k means the sync signal
 * rises between samples k and k+1. The normalised signal and its difference are computed in float32, like
 * numpy does for the float32 analog data.
 *
 * @example 12 pulses of 1000 starting at 333·k + 50 in 3996 samples → [1381, 1714, …, 3712]
 */
export function detectFrameTimestamps(options: DetectFrameTimestampsOptions): Float64Array {
  const { signal } = options;
  const excludeInitialFrames = options.excludeInitialFrames ?? 4;
  if (signal.length < 2) return new Float64Array(0);
  const scale = Math.fround(percentile({ values: signal, percent: options.normalizePercentile ?? 99.9 }));
  const normalized = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) normalized[i] = scale > 0 ? signal[i] / scale : signal[i];
  const difference = new Float32Array(signal.length - 1);
  for (let i = 0; i < difference.length; i++) difference[i] = normalized[i + 1] - normalized[i];
  const peaks = findPeaks({ signal: difference, height: options.peakHeightThreshold ?? 0.1 });
  const kept = peaks.length > excludeInitialFrames ? peaks.slice(excludeInitialFrames) : peaks;
  return Float64Array.from(kept);
}
