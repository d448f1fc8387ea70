/**
 * Local maxima of a 1-D signal, like scipy's `find_peaks(x, height=…, distance=…)` for the two conditions the
 * reference uses.
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/** Options of {@link findPeaks}. */
export interface FindPeaksOptions {
  signal: ArrayLike<number>;
  /** Keep peaks whose value is ≥ this (inclusive, as scipy). */
  height?: number;
  /** Minimum index distance between kept peaks (≥ 1); higher peaks win. */
  distance?: number;
}

/**
 * Indices of the local maxima of `signal`: a sample higher than its left neighbour and than the first different
 * sample to its right. A flat top reports its middle sample (the left one of the two middles), and the first and
 * last samples are never peaks — all as scipy. With `distance`, peaks are kept in order of decreasing height and
 * each kept peak removes lower peaks closer than `ceil(distance)`; equal heights favour the later index.
 *
 * @example findPeaks({ signal: [0, .5, .5, .5, 0, .2, 0, 1, 1, 0, .05, 0, .3], height: 0.1 }) // [2, 5, 7]
 */
export function findPeaks(options: FindPeaksOptions): number[] {
  const { signal: x, height, distance } = options;
  if (distance !== undefined && !(distance >= 1)) {
    throw new ConfigurationError(messages.positiveFinite("distance (≥ 1)", distance));
  }
  let peaks = localMaxima(x);
  if (height !== undefined) peaks = peaks.filter((index) => x[index] >= height);
  if (distance !== undefined && peaks.length > 1) peaks = selectByDistance(x, peaks, Math.ceil(distance));
  return peaks;
}

function localMaxima(x: ArrayLike<number>): number[] {
  const peaks: number[] = [];
  const last = x.length - 1;
  let i = 1;
  while (i < last) {
    if (x[i - 1] < x[i]) {
      let ahead = i + 1;
      while (ahead < last && x[ahead] === x[i]) ahead++;
      if (x[ahead] < x[i]) {
        peaks.push(Math.floor((i + ahead - 1) / 2));
        i = ahead;
      }
    }
    i++;
  }
  return peaks;
}

function selectByDistance(x: ArrayLike<number>, peaks: number[], distance: number): number[] {
  const keep = new Uint8Array(peaks.length).fill(1);
  // Ascending by height, ties by position, then processed from the back: highest first, later index first.
  const order = peaks.map((_, j) => j).sort((a, b) => x[peaks[a]] - x[peaks[b]] || a - b);
  for (let i = order.length - 1; i >= 0; i--) {
    const j = order[i];
    if (keep[j] === 0) continue;
    for (let k = j - 1; k >= 0 && peaks[j] - peaks[k] < distance; k--) keep[k] = 0;
    for (let k = j + 1; k < peaks.length && peaks[k] - peaks[j] < distance; k++) keep[k] = 0;
  }
  return peaks.filter((_, j) => keep[j] === 1);
}
