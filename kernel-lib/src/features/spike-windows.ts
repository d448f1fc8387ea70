/**
 * Counting spikes in sample windows: the small pure core every window-based extractor shares. Spike trains are
 * ascending sample indices; windows are half-open `[start, end)` as in the reference.
 */
import { lowerBound } from "../dsp/sorted-search";

/** Number of spikes s with `start ≤ s < end` (0 for an empty or inverted window). */
export function countInWindow(sorted: ArrayLike<number>, start: number, end: number): number {
  if (!(end > start)) return 0;
  return lowerBound(sorted, end) - lowerBound(sorted, start);
}

/** The first spike s with `start ≤ s < end`, or `undefined`. */
export function firstInWindow(sorted: ArrayLike<number>, start: number, end: number): number | undefined {
  const i = lowerBound(sorted, start);
  return i < sorted.length && sorted[i] < end ? sorted[i] : undefined;
}

/** `values` as an ascending Float64Array (no copy when it already is one and is sorted). */
export function ascending(values: ArrayLike<number>): Float64Array {
  const out = values instanceof Float64Array ? values : Float64Array.from(values);
  for (let i = 1; i < out.length; i++) {
    if (out[i] < out[i - 1]) return Float64Array.from(out).sort();
  }
  return out;
}
