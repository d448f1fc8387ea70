/**
 * `baseline_127` — firing statistics of a spike train in a time window (reference §3.9.6). The reference assumed
 * the spike train in µs; the session stores sample indices, so here samples are turned into seconds with
 * `metadata.acquisition_rate` and the window options are in seconds. With spikes given at the rate they were
 * recorded at, every number equals the reference's.
 */
import type { FeatureExtractor } from "../contract";
import { acquisitionRateOf, checkNumber, SPIKE_TIME_BASE, spikeSamplesOf } from "./inputs";
import { ConfigurationError } from "../../errors";
import { messages } from "../messages";

/** Configuration of `baseline_127`. */
export type BaselineConfig = {
  /** Window start, seconds from the start of the recording (reference `start_time_us`, default 0). */
  startS: number;
  /** Window end (exclusive), seconds; null = up to and including the last spike after `startS`. */
  endS: number | null;
};

/** Options of {@link computeBaselineStats}. */
export interface BaselineStatsOptions {
  /** Ascending spike times in seconds. */
  spikeTimesS: ArrayLike<number>;
  startS?: number;
  endS?: number | null;
}

/** The outputs of `baseline_127`. */
export type BaselineStats = {
  mean_firing_rate: number;
  std_firing_rate: number;
  cv_isi: number;
  median_isi_ms: number;
  spike_count: number;
  quality_index: number;
};

const EMPTY: Readonly<BaselineStats> = {
  mean_firing_rate: 0,
  std_firing_rate: 0,
  cv_isi: 0,
  median_isi_ms: Number.NaN,
  spike_count: 0,
  quality_index: 0,
};

/**
 * Mean rate, population std of the counts in ⌊duration⌋ one-second-ish bins, ISI CV and median, spike count and
 * a quality index (mean of a rate, a CV and a count score; 0 below 10 spikes).
 *
 * @example the reference's step-up test train with endS 10 → mean 12, std 14.525839, cv 0.868599, median 100 ms,
 * count 120, quality 1
 */
export function computeBaselineStats(options: BaselineStatsOptions): BaselineStats {
  const times = options.spikeTimesS;
  const start = options.startS ?? 0;
  if (times.length === 0) return { ...EMPTY };
  const kept: number[] = [];
  let end = options.endS ?? null;
  for (let i = 0; i < times.length; i++) {
    if (times[i] >= start && (end === null || times[i] < end)) kept.push(times[i]);
  }
  // Without an end the last kept spike closes the window (the reference's rule).
  if (end === null && kept.length > 0) end = kept[kept.length - 1];
  const durationS = end === null ? 0 : end - start;
  if (kept.length === 0 || !(durationS > 0)) return { ...EMPTY };

  const count = kept.length;
  const mean = count / durationS;
  let cv = 0;
  let median = Number.NaN;
  let std = 0;
  if (count > 1) {
    const isiMs = kept.slice(1).map((t, i) => (t - kept[i]) * 1000);
    median = medianOf(isiMs);
    const isiMean = isiMs.reduce((a, b) => a + b, 0) / isiMs.length;
    cv = isiMean === 0 ? 0 : populationStd(isiMs) / isiMean;
    std = populationStd(binCounts(kept, start, end as number, Math.max(1, Math.floor(durationS))));
  }
  return {
    mean_firing_rate: mean,
    std_firing_rate: std,
    cv_isi: cv,
    median_isi_ms: median,
    spike_count: count,
    quality_index: count < 10 ? 0 : (rateScore(mean) + cvScore(cv) + Math.min(1, count / 100)) / 3,
  };
}

/** Counts in `n` equal bins from `start` to `end` (edges by linear spacing; the last bin includes `end`). */
function binCounts(times: readonly number[], start: number, end: number, n: number): number[] {
  const edges = Array.from({ length: n + 1 }, (_, i) => (i === n ? end : start + ((end - start) * i) / n));
  const counts = new Array<number>(n).fill(0);
  for (const t of times) {
    if (t < start || t > end) continue;
    // Direct index, then nudged against the actual edges so rounding never moves a spike across one.
    let bin = Math.min(n - 1, Math.max(0, Math.floor(((t - start) / (end - start)) * n)));
    while (bin > 0 && t < edges[bin]) bin--;
    while (bin < n - 1 && t >= edges[bin + 1]) bin++;
    counts[bin]++;
  }
  return counts;
}

function rateScore(rate: number): number {
  if (rate < 0.5) return rate / 0.5;
  if (rate <= 50) return 1;
  return Math.max(0, 1 - (rate - 50) / 50);
}

function cvScore(cv: number): number {
  if (cv < 1) return 1;
  return cv < 2 ? 2 - cv : 0;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function populationStd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

/** The registry entry of `baseline_127`. */
export const baselineExtractor: FeatureExtractor<BaselineConfig> = {
  name: "baseline_127",
  version: "2.0.0",
  spikeTimeBase: SPIKE_TIME_BASE.SAMPLES_OVER_RATE,
  description: "Firing statistics (rate, rate variability, ISI CV and median, quality) of the spike train in a time window.",
  requiredInputs: ["spike_times", "metadata/acquisition_rate"],
  outputSchema: {
    mean_firing_rate: { dtype: "float64", unit: "Hz", description: "spikes in the window / its duration" },
    std_firing_rate: { dtype: "float64", unit: "spikes/bin", description: "population std of the counts in ⌊duration⌋ equal bins" },
    cv_isi: { dtype: "float64", description: "std / mean of the inter-spike intervals" },
    median_isi_ms: { dtype: "float64", unit: "ms", description: "median inter-spike interval (NaN below 2 spikes)" },
    spike_count: { dtype: "int64", description: "spikes in the window" },
    quality_index: { dtype: "float64", description: "mean of rate, CV and count scores in [0, 1]; 0 below 10 spikes" },
  },
  runtimeClass: "fast",
  defaults: { startS: 0, endS: null },
  validateConfig: (config) => {
    checkNumber("baseline_127", "startS", config.startS, { min: 0, inclusive: true });
    checkNumber("baseline_127", "endS", config.endS, { min: 0, inclusive: false, nullable: true });
    if (config.endS !== null && config.endS <= config.startS) {
      throw new ConfigurationError(messages.configWindowOrder("baseline_127", "startS", "endS"));
    }
  },
  extract: ({ unit, metadata, config }) => {
    const spikes = spikeSamplesOf(unit);
    const rate = acquisitionRateOf(metadata);
    return computeBaselineStats({ spikeTimesS: spikes.map((s) => s / rate), startS: config.startS, endS: config.endS });
  },
};
