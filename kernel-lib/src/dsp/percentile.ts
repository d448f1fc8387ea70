/**
 * Percentile with numpy's default "linear" method (`np.percentile(values, percent)`).
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/** Options of {@link percentile}. */
export interface PercentileOptions {
  values: ArrayLike<number>;
  /** Percent in [0, 100], e.g. 99.9. */
  percent: number;
}

/**
 * The `percent`-th percentile by linear interpolation between order statistics at position
 * `percent/100 · (n − 1)`, rounded like numpy (interpolating from the nearer neighbour). NaN if any value is NaN.
 *
 * @example percentile({ values: [0, 0, 0, 10], percent: 99.9 }) // 9.970000000000002
 * @throws ConfigurationError for an empty array or a percent outside [0, 100].
 */
export function percentile(options: PercentileOptions): number {
  const { values, percent } = options;
  if (!(percent >= 0 && percent <= 100)) throw new ConfigurationError(messages.percentRange(percent));
  if (values.length === 0) throw new ConfigurationError(messages.emptyValues("percentile"));
  const work = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Number.isNaN(value)) return NaN;
    work[i] = value;
  }
  const position = (work.length - 1) * (percent / 100);
  const below = Math.floor(position);
  // Selection instead of a full sort: the light reference has tens of millions of samples.
  const low = selectInPlace(work, below);
  let high = low;
  if (below + 1 < work.length) {
    high = work[below + 1];
    for (let i = below + 2; i < work.length; i++) if (work[i] < high) high = work[i];
  }
  return lerp(low, high, position - below);
}

/**
 * Rearranges `data` so that `data[k]` is the value a full ascending sort would put there, everything before it is
 * ≤ and everything after it is ≥ (quickselect with a median-of-three pivot); returns `data[k]`.
 */
function selectInPlace(data: Float64Array, k: number): number {
  let left = 0;
  let right = data.length - 1;
  while (right > left) {
    const middle = (left + right) >>> 1;
    const pivot = medianOfThree(data[left], data[middle], data[right]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (data[i] < pivot) i++;
      while (data[j] > pivot) j--;
      if (i <= j) {
        const swap = data[i];
        data[i] = data[j];
        data[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return data[k];
}

function medianOfThree(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

/** numpy's `_lerp`: a + (b − a)·t, computed from b when t ≥ 0.5 so the ends are exact. */
function lerp(a: number, b: number, t: number): number {
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}
