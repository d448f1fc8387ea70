/**
 * Per-unit quality metrics of a sorted spike train, as plain functions of the train (SpikeInterface's
 * `quality_metrics` definitions where they exist, so numbers compare across tools):
 *
 * - ISI violations: intervals shorter than the refractory period, as a count, as a fraction of all intervals, as
 *   the ratio of Hill et al. (2011) and as the contamination that ratio implies;
 * - presence ratio: the fraction of time bins over the recording in which the unit fired at all;
 * - firing rate and the median amplitude of the included peaks.
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/** The unit feature the metrics are stored under (`units/<id>/features/quality_metrics`). */
export const QUALITY_FEATURE = "quality_metrics";

/** Default refractory period (the SpikeInterface/Hill default) and censored period. */
export const QUALITY_DEFAULTS = { refractoryMs: 1.5, censoredMs: 0, presenceBinS: 10 } as const;

/** Options of {@link isiViolations}. */
export interface IsiViolationsOptions {
  /** Ascending spike sample indices (`units.<id>.spike_times`). */
  spikeTimes: ArrayLike<number>;
  samplingRateHz: number;
  /** Recording length; the Hill ratio scales with it. */
  durationS: number;
  /** Intervals shorter than this are violations. Default 1.5 ms. */
  refractoryMs?: number;
  /**
   * The sorter's censored period: a second spike closer than this could not have been detected, so violations can
   * only be seen in [censoredMs, refractoryMs) and the Hill ratio uses that width. Default 0 ms.
   */
  censoredMs?: number;
}

/** ISI violations of one spike train. */
export interface IsiViolations {
  /** Intervals shorter than `refractoryMs`. */
  readonly count: number;
  /** `count` / number of intervals (n − 1): the fraction of intervals that violate; NaN with fewer than 2 spikes. */
  readonly rate: number;
  /**
   * Hill et al.'s ratio count · T / (2 · n² · (τr − τc)) = f(1 − f) for a contamination fraction f by an independent
   * Poisson train (SpikeInterface `isi_violations_ratio`); NaN without spikes.
   */
  readonly ratio: number;
  /** f from the ratio (the smaller root of f(1 − f) = ratio); 1 when the ratio exceeds 0.25, beyond the model. */
  readonly contamination: number;
}

/**
 * Counts refractory-period violations and estimates contamination (Hill, Mehta & Kleinfeld 2011, J Neurosci 31).
 *
 * @example isiViolations({ spikeTimes: unit.spike_times, samplingRateHz: 20000, durationS: 600, refractoryMs: 1.5 })
 */
export function isiViolations(options: IsiViolationsOptions): IsiViolations {
  const { spikeTimes, samplingRateHz, durationS } = options;
  const refractoryMs = options.refractoryMs ?? QUALITY_DEFAULTS.refractoryMs;
  const censoredMs = options.censoredMs ?? QUALITY_DEFAULTS.censoredMs;
  checkPositive("samplingRateHz", samplingRateHz);
  checkPositive("durationS", durationS);
  checkPositive("refractoryMs", refractoryMs);
  if (!(censoredMs >= 0 && censoredMs < refractoryMs)) throw new ConfigurationError(messages.censoredRange(censoredMs, refractoryMs));
  const n = spikeTimes.length;
  const limit = (refractoryMs / 1000) * samplingRateHz;
  let count = 0;
  for (let i = 1; i < n; i++) {
    const isi = spikeTimes[i] - spikeTimes[i - 1];
    if (!(isi >= 0)) throw new ConfigurationError(messages.notAscending(i));
    if (isi < limit) count++;
  }
  const rate = n >= 2 ? count / (n - 1) : NaN;
  const ratio = n === 0 ? NaN : (count * durationS) / (2 * n * n * ((refractoryMs - censoredMs) / 1000));
  return { count, rate, ratio, contamination: contaminationOf(ratio) };
}

/** The contamination fraction f with f(1 − f) = ratio (f ≤ 0.5); 1 when no such f exists. */
export function contaminationOf(ratio: number): number {
  if (Number.isNaN(ratio)) return NaN;
  if (ratio > 0.25) return 1;
  return (1 - Math.sqrt(1 - 4 * ratio)) / 2;
}

/** Options of {@link presenceRatio}. */
export interface PresenceRatioOptions {
  spikeTimes: ArrayLike<number>;
  samplingRateHz: number;
  durationS: number;
  /** Target bin length. Default 10 s. */
  binS?: number;
}

/**
 * The fraction of equal bins over [0, durationS) holding at least one spike. The recording is cut into
 * max(1, floor(durationS / binS)) bins of equal length (so each is between binS and 2 · binS long and no spike
 * falls outside them); spikes outside the recording are ignored.
 */
export function presenceRatio(options: PresenceRatioOptions): { ratio: number; bins: number } {
  const { spikeTimes, samplingRateHz, durationS } = options;
  const binS = options.binS ?? QUALITY_DEFAULTS.presenceBinS;
  checkPositive("samplingRateHz", samplingRateHz);
  checkPositive("durationS", durationS);
  checkPositive("presenceBinS", binS);
  const bins = Math.max(1, Math.floor(durationS / binS));
  const binSamples = (durationS * samplingRateHz) / bins;
  const seen = new Uint8Array(bins);
  let present = 0;
  for (let i = 0; i < spikeTimes.length; i++) {
    const bin = Math.floor(spikeTimes[i] / binSamples);
    if (bin < 0 || bin >= bins || seen[bin] === 1) continue;
    seen[bin] = 1;
    present++;
  }
  return { ratio: present / bins, bins };
}

/**
 * The median of the finite values (NaN when there are none); the mean of the two middle values for an even count.
 * Found by selection (linear time), not by sorting: a unit can have tens of thousands of peaks.
 */
export function medianOf(values: ArrayLike<number>): number {
  const finite = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite[n++] = values[i];
  if (n === 0) return NaN;
  const work = finite.subarray(0, n);
  const upper = selectKth(work, n >> 1);
  if (n % 2 === 1) return upper;
  // After selection every value left of the middle is ≤ it: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (work[i] > lower) lower = work[i];
  return (lower + upper) / 2;
}

/** The k-th smallest value (0-based) of `a`, reordering `a` in place (Hoare's selection with a middle pivot). */
function selectKth(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (left < right) {
    const pivot = a[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}

/** Options of {@link unitQualityMetrics}. */
export interface UnitQualityOptions extends IsiViolationsOptions {
  /** Amplitudes of the included peaks (`unit_meta.peak_amplitudes`); without them `amplitude_median` is NaN. */
  peakAmplitudes?: ArrayLike<number>;
  /** Presence-ratio bin length. Default 10 s. */
  presenceBinS?: number;
}

/**
 * The quality metrics of one unit under their stored (snake_case, SpikeInterface) names. `amplitude_median` is in
 * the units of the `.cmtr` peak amplitudes (the sorter's source units, not µV).
 */
export interface UnitQualityMetrics {
  num_spikes: number;
  firing_rate: number;
  presence_ratio: number;
  isi_violations_count: number;
  isi_violations_rate: number;
  isi_violations_ratio: number;
  isi_contamination: number;
  amplitude_median: number;
}

/** Every metric of one unit. */
export function unitQualityMetrics(options: UnitQualityOptions): UnitQualityMetrics {
  const isi = isiViolations(options);
  const presence = presenceRatio({ ...options, binS: options.presenceBinS });
  return {
    num_spikes: options.spikeTimes.length,
    firing_rate: options.spikeTimes.length / options.durationS,
    presence_ratio: presence.ratio,
    isi_violations_count: isi.count,
    isi_violations_rate: isi.rate,
    isi_violations_ratio: isi.ratio,
    isi_contamination: isi.contamination,
    amplitude_median: options.peakAmplitudes === undefined ? NaN : medianOf(options.peakAmplitudes),
  };
}

/** The stored metric names, in column order. */
export const QUALITY_METRIC_NAMES: readonly (keyof UnitQualityMetrics)[] = [
  "num_spikes",
  "firing_rate",
  "presence_ratio",
  "isi_violations_count",
  "isi_violations_rate",
  "isi_violations_ratio",
  "isi_contamination",
  "amplitude_median",
];

function checkPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new ConfigurationError(messages.positive(name, value));
}
