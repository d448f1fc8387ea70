/** Binary searches over ascending arrays (spike trains, frame timestamps), shared by dsp, steps and extractors. */

/** First index of `sorted` whose value is ≥ `target` (numpy `searchsorted(side="left")`). */
export function lowerBound(sorted: ArrayLike<number>, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index of `sorted` whose value is > `target` (numpy `searchsorted(side="right")`). */
export function upperBound(sorted: ArrayLike<number>, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] <= target) low = mid + 1;
    else high = mid;
  }
  return low;
}
