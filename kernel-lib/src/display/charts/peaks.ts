/** Peaks of STA and electrical-image arrays: where a receptive field or a spike footprint is strongest. */
import { NdArray } from "../../hdf5/values";

/** The strongest deviation of a (frames × rows × cols) array from its mean. */
export interface ArrayPeak {
  frame: number;
  row: number;
  col: number;
  /** The value at the peak. */
  value: number;
  /** Mean of all finite values (the STA's background level). */
  mean: number;
  /** +1 when the peak lies above the mean (ON), −1 below (OFF). */
  polarity: 1 | -1;
}

/**
 * The frame and pixel of `array` (frames × rows × cols) farthest from the mean of all finite values, or null when
 * the array has no finite value (an STA without valid spikes is all NaN).
 */
export function findPeak(array: NdArray): ArrayPeak | null {
  if (array.shape.length !== 3) return null;
  const [, rows, cols] = array.shape;
  const data = array.data as ArrayLike<number>;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  if (count === 0) return null;
  const mean = sum / count;
  let best = -1;
  let bestDistance = -1;
  for (let i = 0; i < data.length; i++) {
    const distance = Math.abs(Number(data[i]) - mean);
    if (distance > bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  const frameSize = rows * cols;
  const value = Number(data[best]);
  return {
    frame: Math.floor(best / frameSize),
    row: Math.floor((best % frameSize) / cols),
    col: best % cols,
    value,
    mean,
    polarity: value >= mean ? 1 : -1,
  };
}

/** Values of one pixel over all frames of a (frames × rows × cols) array. */
export function pixelTrace(array: NdArray, row: number, col: number): number[] {
  const [frames, rows, cols] = array.shape;
  const data = array.data as ArrayLike<number>;
  const trace: number[] = [];
  for (let f = 0; f < frames; f++) trace.push(Number(data[f * rows * cols + row * cols + col]));
  return trace;
}
