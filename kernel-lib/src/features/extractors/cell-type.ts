/**
 * `cell_type_classifier` — the reference's cell-type heuristic (§3.9.7): trough-to-peak width of the mean
 * waveform and the spike count decide "RGC" or "unknown". A heuristic, not a classifier; kept because downstream
 * tables expect its columns. The width uses `metadata.acquisition_rate` where the reference assumed 20 kHz.
 */
import type { FeatureExtractor } from "../contract";
import { acquisitionRateOf, spikeSamplesOf } from "./inputs";

/** The outputs of `cell_type_classifier`. */
export type CellTypeGuess = {
  cell_type: "RGC" | "unknown";
  rgc_probability: number;
  has_axon: boolean;
  waveform_width_ms: number;
};

const MIN_SPIKES = 50;
const MIN_WAVEFORM_SAMPLES = 11;
const AXON_WIDTH_MS = 0.4;

/**
 * Fewer than 50 spikes → unknown. Otherwise width = (argmax of the waveform from its trough on) / rate, in ms
 * (NaN for waveforms of ≤ 10 samples); has_axon = width < 0.4 ms; probability 0.8 with an axon and > 100 spikes,
 * else 0.6 above 500 spikes, else 0.3; "RGC" when the probability exceeds 0.5.
 */
export function guessCellType(options: { spikeCount: number; waveform: ArrayLike<number>; samplingRateHz: number }): CellTypeGuess {
  const { spikeCount, waveform, samplingRateHz } = options;
  if (spikeCount < MIN_SPIKES) return { cell_type: "unknown", rgc_probability: 0, has_axon: false, waveform_width_ms: Number.NaN };
  let width = Number.NaN;
  if (waveform.length >= MIN_WAVEFORM_SAMPLES) {
    let trough = 0;
    for (let i = 1; i < waveform.length; i++) if (waveform[i] < waveform[trough]) trough = i;
    let peak = trough;
    for (let i = trough + 1; i < waveform.length; i++) if (waveform[i] > waveform[peak]) peak = i;
    width = ((peak - trough) / samplingRateHz) * 1000;
  }
  const hasAxon = width < AXON_WIDTH_MS;
  const probability = hasAxon && spikeCount > 100 ? 0.8 : spikeCount > 500 ? 0.6 : 0.3;
  return { cell_type: probability > 0.5 ? "RGC" : "unknown", rgc_probability: probability, has_axon: hasAxon, waveform_width_ms: width };
}

/** The registry entry of `cell_type_classifier`. A unit without a waveform gets a NaN width. */
export const cellTypeExtractor: FeatureExtractor<Record<string, never>> = {
  name: "cell_type_classifier",
  version: "1.0.0",
  description: "Heuristic RGC guess from spike count and the mean waveform's trough-to-peak width.",
  // The reference also lists "waveform", but treats a missing one as empty; so does this port.
  requiredInputs: ["spike_times", "metadata/acquisition_rate"],
  outputSchema: {
    cell_type: { dtype: "str", description: "\"RGC\" or \"unknown\"" },
    rgc_probability: { dtype: "float64", description: "0, 0.3, 0.6 or 0.8" },
    has_axon: { dtype: "bool", description: "trough-to-peak width below 0.4 ms" },
    waveform_width_ms: { dtype: "float64", unit: "ms", description: "trough-to-peak width of the mean waveform" },
  },
  runtimeClass: "fast",
  defaults: {},
  extract: ({ unit, metadata }) => {
    const waveform = unit.has("waveform") ? unit.dataset("waveform").numbers() : [];
    return guessCellType({ spikeCount: spikeSamplesOf(unit).length, waveform, samplingRateHz: acquisitionRateOf(metadata) });
  },
};
