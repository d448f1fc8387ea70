/**
 * Conversions between acquisition samples and display frames through the detected frame timestamps
 * (reference §3.10.6). The pipeline maps samples to frames with the floor rule: the frame being shown.
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";
import { upperBound } from "./sorted-search";

/**
 * Index of the last frame whose timestamp is ≤ `sample` (0 before the first frame), i.e. the reference's
 * `floor_frame`. `frameTimestamps` must be ascending and non-empty.
 */
export function floorFrame(options: { sample: number; frameTimestamps: ArrayLike<number> }): number {
  const { frameTimestamps } = options;
  if (frameTimestamps.length === 0) throw new ConfigurationError(messages.noFrameTimestamps("floorFrame"));
  return floorFrameIndex(frameTimestamps, options.sample);
}

/** Hot-loop form of {@link floorFrame} without checks. @internal */
export function floorFrameIndex(frameTimestamps: ArrayLike<number>, sample: number): number {
  // Count timestamps ≤ sample ("right" side), minus one, clipped to [0, N − 1].
  const count = upperBound(frameTimestamps, sample);
  return count === 0 ? 0 : count - 1;
}

/** {@link floorFrame} for many samples, as Float64Array. */
export function samplesToFrames(options: { samples: ArrayLike<number>; frameTimestamps: ArrayLike<number> }): Float64Array {
  const { samples, frameTimestamps } = options;
  if (frameTimestamps.length === 0) throw new ConfigurationError(messages.noFrameTimestamps("samplesToFrames"));
  const frames = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) frames[i] = floorFrameIndex(frameTimestamps, samples[i]);
  return frames;
}

/**
 * Sample index of each frame number: frames are truncated to integers and clipped to [0, N − 1], so frames
 * past the last detected one give the last timestamp (the reference's `convert_frame_to_sample_index`).
 */
export function framesToSamples(options: { frames: ArrayLike<number>; frameTimestamps: ArrayLike<number> }): Float64Array {
  const { frames, frameTimestamps } = options;
  if (frameTimestamps.length === 0) throw new ConfigurationError(messages.noFrameTimestamps("framesToSamples"));
  const samples = new Float64Array(frames.length);
  for (let i = 0; i < frames.length; i++) samples[i] = frameTimestamps[clipFrame(frames[i], frameTimestamps.length)];
  return samples;
}

/** Truncates a frame number and clips it to [0, frameCount − 1]. @internal */
export function clipFrame(frame: number, frameCount: number): number {
  return Math.min(Math.max(Math.trunc(frame), 0), frameCount - 1);
}

/**
 * The frame whose timestamp is nearest to `sample` (ties to the earlier frame; before the first → 0, after the
 * last → N − 1). Not used by the pipeline, which floors; kept for analyses that want the nearest frame.
 */
export function nearestFrame(options: { sample: number; frameTimestamps: ArrayLike<number> }): number {
  const { sample, frameTimestamps: ts } = options;
  if (ts.length === 0) throw new ConfigurationError(messages.noFrameTimestamps("nearestFrame"));
  if (sample <= ts[0]) return 0;
  if (sample >= ts[ts.length - 1]) return ts.length - 1;
  const below = floorFrameIndex(ts, sample);
  if (ts[below] === sample) return below;
  return sample - ts[below] <= ts[below + 1] - sample ? below : below + 1;
}
