import { describe, expect, it } from "vitest";
import { ConfigurationError, MissingInputError } from "../../errors";
import { NdArray } from "../../hdf5/values";
import { stepUpTrainUs, usToSamples20k } from "../../test-support/reference-spike-trains";
import { MapAdapter } from "../adapters";
import { computeStepResponse, stepUpExtractor, type StepUpConfig } from "./step-up";

const DEFAULTS = stepUpExtractor.defaults;
const windows = {
  stepDurationS: DEFAULTS.stepDurationS,
  transientWindowS: DEFAULTS.transientWindowS,
  sustainedWindowS: DEFAULTS.sustainedWindowS,
  baselineWindowS: DEFAULTS.baselineWindowS,
  thresholdFactor: DEFAULTS.thresholdFactor,
};

function extractWith(trials: NdArray<Float64Array>, spikes: Float64Array, config: Partial<StepUpConfig> = {}) {
  const unit = { spike_times: spikes, spike_times_sectioned: { step_movie: { trials_start_end: trials } } };
  return stepUpExtractor.extract({
    unitId: "unit_001",
    unit: new MapAdapter(unit, "units/unit_001"),
    stimulus: new MapAdapter({}, "stimulus"),
    metadata: new MapAdapter({ acquisition_rate: 20_000 }, "metadata"),
    config: { ...DEFAULTS, movieName: "step_movie", ...config },
  });
}

describe("step_up (§3.9.5 with windows relative to the trials, §9 #8)", () => {
  it("golden: the reference's test train with its one trial starting where the reference's absolute onset was", () => {
    // The reference measured at absolute 5 s / 10 s. A trial [5 s, 15 s) with ON for its first half puts the
    // section-relative windows at the same instants, so the §3.9.5 values still apply.
    const result = computeStepResponse({ spikeSamples: usToSamples20k(stepUpTrainUs()), trials: [[100_000, 300_000]], samplingRateHz: 20_000, ...windows });
    expect(result).toMatchObject({
      on_peak_value: 100,
      off_peak_value: 6,
      on_sustained_response: 10,
      off_sustained_response: 5,
      baseline_rate: 5,
      on_response_flag: true,
      off_response_flag: false,
      response_quality: 1,
      on_latency_ms: 0,
      off_latency_ms: 0,
      n_trials: 1,
    });
    expect(result.on_off_ratio).toBeCloseTo(0.886792, 6);
  });

  it("decision §9 #8 changes the value for a shifted recording: the windows move with the trial, the reference's did not", () => {
    const shift = 7 * 20_000; // the same response 7 s later in the recording
    const spikes = usToSamples20k(stepUpTrainUs()).map((s) => s + shift);
    const shifted = computeStepResponse({ spikeSamples: spikes, trials: [[100_000 + shift, 300_000 + shift]], samplingRateHz: 20_000, ...windows });
    expect(shifted.on_peak_value).toBe(100);
    expect(shifted.on_response_flag).toBe(true);
    // At the reference's absolute windows (a trial [5 s, 15 s) that no longer matches the stimulus) the burst is missed.
    const absolute = computeStepResponse({ spikeSamples: spikes, trials: [[100_000, 300_000]], samplingRateHz: 20_000, ...windows });
    expect(absolute.on_peak_value).toBe(0);
  });

  it("pools several trials, averages latencies over the trials that have a spike, clips the OFF-sustained window at the trial end", () => {
    // Two 2-s trials (ON 1 s, OFF 1 s) at 1 kHz: trial 0 [1000, 3000), trial 1 [3000, 5000).
    const spikes = Float64Array.of(500, 1010, 1020, 1030, 2100, 2600, 2999, 3050, 4200, 4999);
    const result = computeStepResponse({
      spikeSamples: spikes,
      trials: [[1000, 3000], [3000, 5000]],
      samplingRateHz: 1000,
      stepDurationS: null,
      transientWindowS: 0.5,
      sustainedWindowS: 4,
      baselineWindowS: 1,
      thresholdFactor: 2,
    });
    // baseline [0,1000) ∪ [2000,3000): 500, 2100, 2600, 2999 → 4 / 2 s; ON transient [1000,1500) ∪ [3000,3500): 4 / 1 s
    expect(result.baseline_rate).toBe(2);
    expect(result.on_peak_value).toBe(4);
    expect(result.on_latency_ms).toBe((10 + 50) / 2);
    // OFF transient [2000,2500) ∪ [4000,4500): 2100, 4200 → 2 / 1 s; OFF sustained clipped to [2500,3000) ∪ [4500,5000)
    expect(result.off_peak_value).toBe(2);
    expect(result.off_latency_ms).toBe((100 + 200) / 2);
    expect(result.off_sustained_response).toBe(3);
    expect(result.on_response_flag).toBe(false); // 4 > 2 × 2 is false: strict, as in the reference
    expect(result.n_trials).toBe(2);
  });

  it("empty spike train → flags false, rates 0, latencies NaN (reference's empty result)", () => {
    const result = extractWith(new NdArray(Float64Array.of(100_000, 300_000), [1, 2]), new Float64Array(0));
    expect(result).toMatchObject({ on_response_flag: false, off_response_flag: false, on_peak_value: 0, response_quality: 0, on_off_ratio: 0, baseline_rate: 0 });
    expect(result.on_latency_ms).toBeNaN();
    expect(result.off_latency_ms).toBeNaN();
  });

  it("reads the trials from spike_times_sectioned.<movieName>; a missing movie is a MissingInputError naming it", () => {
    const trials = new NdArray(Float64Array.of(100_000, 300_000), [1, 2]);
    expect(extractWith(trials, usToSamples20k(stepUpTrainUs())).on_peak_value).toBe(100);
    expect(() => extractWith(trials, usToSamples20k(stepUpTrainUs()), { movieName: "step_up_5s_5i_b0_3x" })).toThrow(MissingInputError);
    expect(() => extractWith(trials, new Float64Array(0), { movieName: "other" })).toThrow(
      "'units/unit_001/spike_times_sectioned/other/trials_start_end' not found: the unit has no trials of 'other'",
    );
    expect(() => extractWith(new NdArray(Float64Array.of(1, 2, 3), [3, 1]), new Float64Array(0))).toThrow(/must be a \(trials × 2\) array/);
  });

  it("validateConfig names the bad option", () => {
    const check = (config: Partial<StepUpConfig>) => stepUpExtractor.validateConfig?.({ ...DEFAULTS, ...config });
    expect(() => check({})).not.toThrow();
    expect(() => check({ transientWindowS: -0.5 })).toThrow(ConfigurationError);
    expect(() => check({ transientWindowS: -0.5 })).toThrow("step_up: config option 'transientWindowS' must be a finite number > 0; got -0.5.");
    expect(() => check({ movieName: "" })).toThrow(/'movieName'/);
    expect(() => check({ stepDurationS: 0 })).toThrow(/'stepDurationS'/);
    expect(() => check({ thresholdFactor: Number.NaN })).toThrow(/'thresholdFactor'/);
  });
});
