/**
 * `step_up` — ON/OFF response to a light step (reference §3.9.5 `step_up_5s_5i_3x`, with the port decision
 * §9 #8): the windows are measured in samples from each trial's onset, the trials being the movie's
 * `spike_times_sectioned.<movie>.trials_start_end` (light goes ON at the trial start and OFF `stepDurationS`
 * later). The reference placed its windows at absolute µs times from the recording start, so its numbers only
 * meant something for a recording that began with the step; the formulas inside the windows are the reference's.
 *
 * Spikes are counted in the unit's whole `spike_times`, not in the trial lists: the baseline window lies before
 * the trial onset, outside the trial lists unless sectioning was padded.
 */
import { ConfigurationError, MissingInputError } from "../../errors";
import { NdArray } from "../../hdf5/values";
import { ValueAdapter, type MapAdapter } from "../adapters";
import type { FeatureExtractor } from "../contract";
import { messages } from "../messages";
import { countInWindow, firstInWindow } from "../spike-windows";
import { acquisitionRateOf, checkNumber, SPIKE_TIME_BASE, spikeSamplesOf } from "./inputs";

/** Configuration of `step_up`. Window lengths in seconds; they are turned into samples with the acquisition rate. */
export type StepUpConfig = {
  /** The sectioned step movie (reference: `step_up_5s_5i_b0_3x`; the simulator plays `step_up_2s_b0_3x`). */
  movieName: string;
  /** Light-ON duration from the trial start; null = half of each trial (ON then an equally long OFF interval). */
  stepDurationS: number | null;
  /** Transient window after ON and after OFF (reference 0.5 s). */
  transientWindowS: number;
  /** OFF-sustained window after the OFF transient, clipped to the trial end (reference 4 s). */
  sustainedWindowS: number;
  /** Baseline window just before each trial onset (reference 4 s). */
  baselineWindowS: number;
  /** A response is flagged when its transient rate exceeds baseline × this factor (reference 2). */
  thresholdFactor: number;
};

/** The outputs of `step_up` (the reference's keys plus `n_trials`). */
export type StepResponse = {
  on_response_flag: boolean;
  off_response_flag: boolean;
  on_peak_value: number;
  off_peak_value: number;
  on_sustained_response: number;
  off_sustained_response: number;
  response_quality: number;
  on_latency_ms: number;
  off_latency_ms: number;
  on_off_ratio: number;
  baseline_rate: number;
  n_trials: number;
};

/** Options of {@link computeStepResponse}. */
export interface StepResponseOptions extends Omit<StepUpConfig, "movieName"> {
  /** Ascending spike sample indices of the whole recording. */
  spikeSamples: ArrayLike<number>;
  /** `[start, end)` sample indices of every trial; light ON at `start`. */
  trials: ReadonlyArray<readonly [number, number]>;
  samplingRateHz: number;
}

/**
 * Per trial, with on = trial start, off = on + step, tw/sw/bw the windows in samples: baseline = [on − bw, on),
 * ON transient [on, on + tw), ON sustained [on + tw, off), OFF transient [off, off + tw), OFF sustained
 * [off + tw, min(off + tw + sw, trial end)). Rates pool the counts and durations of all trials. Latency = mean over
 * trials of (first spike in the transient window − event), NaN when no trial has one. Flags, ratio and quality
 * follow the reference (strict `>`; quality = min(1, (max − baseline)/(baseline + 1)/10)).
 *
 * @example the reference's test train with one trial [5 s, 15 s) at 20 kHz and the default windows →
 *   on_peak 100, off_peak 6, on_sustained 10, off_sustained 5, baseline 5, ON flag only, quality 1, ratio 0.886792
 */
export function computeStepResponse(options: StepResponseOptions): StepResponse {
  const { spikeSamples: spikes, trials, samplingRateHz: rate } = options;
  const samples = (seconds: number) => Math.round(seconds * rate);
  const tw = samples(options.transientWindowS);
  const sw = samples(options.sustainedWindowS);
  const bw = samples(options.baselineWindowS);
  const sum = { base: [0, 0], onT: [0, 0], onS: [0, 0], offT: [0, 0], offS: [0, 0] };
  const add = (key: keyof typeof sum, start: number, end: number) => {
    if (end <= start) return;
    sum[key][0] += countInWindow(spikes, start, end);
    sum[key][1] += end - start;
  };
  const onLatencies: number[] = [];
  const offLatencies: number[] = [];
  for (const [start, end] of trials) {
    const on = start;
    const off = on + (options.stepDurationS === null ? Math.round((end - start) / 2) : samples(options.stepDurationS));
    add("base", Math.max(0, on - bw), on);
    add("onT", on, on + tw);
    add("onS", on + tw, off);
    add("offT", off, off + tw);
    add("offS", off + tw, Math.min(off + tw + sw, end));
    const firstOn = firstInWindow(spikes, on, on + tw);
    if (firstOn !== undefined) onLatencies.push(((firstOn - on) / rate) * 1000);
    const firstOff = firstInWindow(spikes, off, off + tw);
    if (firstOff !== undefined) offLatencies.push(((firstOff - off) / rate) * 1000);
  }
  const rateOf = (key: keyof typeof sum) => (sum[key][1] > 0 ? sum[key][0] / (sum[key][1] / rate) : 0);
  const baseline = rateOf("base");
  const onPeak = rateOf("onT");
  const offPeak = rateOf("offT");
  const strongest = Math.max(onPeak, offPeak);
  return {
    on_response_flag: onPeak > baseline * options.thresholdFactor,
    off_response_flag: offPeak > baseline * options.thresholdFactor,
    on_peak_value: onPeak,
    off_peak_value: offPeak,
    on_sustained_response: rateOf("onS"),
    off_sustained_response: rateOf("offS"),
    response_quality: strongest > 0 ? Math.min(1, (strongest - baseline) / (baseline + 1) / 10) : 0,
    on_latency_ms: meanOrNaN(onLatencies),
    off_latency_ms: meanOrNaN(offLatencies),
    on_off_ratio: onPeak + offPeak === 0 ? 0 : (onPeak - offPeak) / (onPeak + offPeak),
    baseline_rate: baseline,
    n_trials: trials.length,
  };
}

function meanOrNaN(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** `[start, end]` rows of `spike_times_sectioned.<movie>.trials_start_end` of one unit. */
export function stepTrialsOf(unit: MapAdapter, movieName: string): Array<[number, number]> {
  const path = `spike_times_sectioned/${movieName}/trials_start_end`;
  if (!unit.hasPath(path)) {
    const where = unit.path === "" ? path : `${unit.path}/${path}`;
    throw new MissingInputError(where, messages.noSectionedMovie(movieName, where));
  }
  const dataset = unit.resolve(path);
  if (!(dataset instanceof ValueAdapter)) throw new MissingInputError(dataset.path, messages.badTrials(dataset.path));
  const values = dataset.numbers();
  const raw = dataset.raw;
  const shapeOk = raw instanceof NdArray ? raw.shape.length === 2 && raw.shape[1] === 2 : values.length % 2 === 0;
  if (!shapeOk) throw new MissingInputError(dataset.path, messages.badTrials(dataset.path));
  const rows: Array<[number, number]> = [];
  for (let i = 0; i + 1 < values.length; i += 2) rows.push([values[i], values[i + 1]]);
  return rows;
}

const FEATURE = "step_up";

/** The registry entry of `step_up`. */
export const stepUpExtractor: FeatureExtractor<StepUpConfig> = {
  name: FEATURE,
  // 2.x: windows relative to the sectioned trials, in samples (§9 #8); not the reference's absolute-µs numbers.
  version: "2.0.0",
  spikeTimeBase: SPIKE_TIME_BASE.SAMPLE_INDEX,
  description: "ON/OFF response to a light step: transient, sustained and baseline rates per trial of the step movie, ON/OFF flags, latencies.",
  requiredInputs: ["spike_times", "spike_times_sectioned", "metadata/acquisition_rate"],
  outputSchema: {
    on_response_flag: { dtype: "bool", description: "ON transient rate > baseline × thresholdFactor" },
    off_response_flag: { dtype: "bool", description: "OFF transient rate > baseline × thresholdFactor" },
    on_peak_value: { dtype: "float64", unit: "Hz", description: "rate in the transient window after light ON" },
    off_peak_value: { dtype: "float64", unit: "Hz", description: "rate in the transient window after light OFF" },
    on_sustained_response: { dtype: "float64", unit: "Hz", description: "rate from the end of the ON transient to light OFF" },
    off_sustained_response: { dtype: "float64", unit: "Hz", description: "rate in the sustained window after the OFF transient" },
    response_quality: { dtype: "float64", description: "min(1, (max transient − baseline) / (baseline + 1) / 10)" },
    on_latency_ms: { dtype: "float64", unit: "ms", description: "mean first-spike latency after ON (NaN if none)" },
    off_latency_ms: { dtype: "float64", unit: "ms", description: "mean first-spike latency after OFF (NaN if none)" },
    on_off_ratio: { dtype: "float64", description: "(ON − OFF) / (ON + OFF) transient rates, 0 when both are 0" },
    baseline_rate: { dtype: "float64", unit: "Hz", description: "rate in the baseline window before each onset" },
    n_trials: { dtype: "int64", description: "trials of the step movie used" },
  },
  runtimeClass: "fast",
  defaults: {
    movieName: "step_up_5s_5i_b0_3x",
    stepDurationS: null,
    transientWindowS: 0.5,
    sustainedWindowS: 4,
    baselineWindowS: 4,
    thresholdFactor: 2,
  },
  validateConfig: (config) => {
    if (typeof config.movieName !== "string" || config.movieName.trim() === "") {
      throw new ConfigurationError(messages.configText(FEATURE, "movieName", config.movieName));
    }
    checkNumber(FEATURE, "stepDurationS", config.stepDurationS, { min: 0, inclusive: false, nullable: true });
    checkNumber(FEATURE, "transientWindowS", config.transientWindowS, { min: 0, inclusive: false });
    checkNumber(FEATURE, "sustainedWindowS", config.sustainedWindowS, { min: 0, inclusive: true });
    checkNumber(FEATURE, "baselineWindowS", config.baselineWindowS, { min: 0, inclusive: false });
    checkNumber(FEATURE, "thresholdFactor", config.thresholdFactor, { min: 0, inclusive: true });
  },
  extract: ({ unit, metadata, config }) =>
    computeStepResponse({
      spikeSamples: spikeSamplesOf(unit),
      trials: stepTrialsOf(unit, config.movieName),
      samplingRateHz: acquisitionRateOf(metadata),
      stepDurationS: config.stepDurationS,
      transientWindowS: config.transientWindowS,
      sustainedWindowS: config.sustainedWindowS,
      baselineWindowS: config.baselineWindowS,
      thresholdFactor: config.thresholdFactor,
    }),
};
