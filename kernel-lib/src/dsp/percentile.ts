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
  const sorted = Float64Array.from(values);
  sorted.sort();
  if (Number.isNaN(sorted[sorted.length - 1])) return NaN;
  const position = (sorted.length - 1) * (percent / 100);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return lerp(sorted[below], sorted[above], position - below);
}

/** numpy's `_lerp`: a + (b − a)·t, computed from b when t ≥ 0.5 so the ends are exact. */
function lerp(a: number, b: number, t: number): number {
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}
