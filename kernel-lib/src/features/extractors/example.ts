/**
 * `example_feature` — the template extractor (reference §3.9.7): spike count, first and last spike and the mean
 * rate between them. Spike samples are turned into µs with `metadata.acquisition_rate`, so the output keys keep
 * the reference's µs meaning.
 */
import type { FeatureExtractor } from "../contract";
import { acquisitionRateOf, SPIKE_TIME_BASE, spikeSamplesOf } from "./inputs";

/** The outputs of `example_feature`. */
export type ExampleStats = {
  total_spikes: number;
  mean_rate_hz: number;
  first_spike_time_us: number;
  last_spike_time_us: number;
};

/**
 * `mean_rate_hz` = count / ((last − first) s), with a duration of 1 s when first = last; zeros when empty.
 *
 * @example spikes at 1000, 2000, …, 5000 µs → total 5, first 1000, last 5000, rate 1250 Hz
 */
export function computeExampleStats(options: { spikeTimesUs: ArrayLike<number> }): ExampleStats {
  const times = options.spikeTimesUs;
  if (times.length === 0) return { total_spikes: 0, mean_rate_hz: 0, first_spike_time_us: 0, last_spike_time_us: 0 };
  const first = times[0];
  const last = times[times.length - 1];
  const durationS = last - first === 0 ? 1 : (last - first) / 1e6;
  return { total_spikes: times.length, mean_rate_hz: times.length / durationS, first_spike_time_us: first, last_spike_time_us: last };
}

/** The registry entry of `example_feature`: copy it to start a new extractor. */
export const exampleExtractor: FeatureExtractor<Record<string, never>> = {
  name: "example_feature",
  version: "2.0.0",
  spikeTimeBase: SPIKE_TIME_BASE.SAMPLES_OVER_RATE,
  description: "Template extractor: spike count, first/last spike time and mean rate between them.",
  requiredInputs: ["spike_times", "metadata/acquisition_rate"],
  outputSchema: {
    total_spikes: { dtype: "int64", description: "number of spikes" },
    mean_rate_hz: { dtype: "float64", unit: "Hz", description: "spikes / (last − first spike), 1 s when they coincide" },
    first_spike_time_us: { dtype: "float64", unit: "µs", description: "first spike" },
    last_spike_time_us: { dtype: "float64", unit: "µs", description: "last spike" },
  },
  runtimeClass: "fast",
  defaults: {},
  extract: ({ unit, metadata }) => {
    const rate = acquisitionRateOf(metadata);
    return computeExampleStats({ spikeTimesUs: spikeSamplesOf(unit).map((s) => (s * 1e6) / rate) });
  },
};
