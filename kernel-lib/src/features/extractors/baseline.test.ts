import { describe, expect, it } from "vitest";
import { ConfigurationError, MissingInputError } from "../../errors";
import { stepUpTrainUs, usToSamples20k } from "../../test-support/reference-spike-trains";
import { MapAdapter } from "../adapters";
import { baselineExtractor, computeBaselineStats, type BaselineConfig } from "./baseline";

function extract(spikes: Float64Array, config: Partial<BaselineConfig> = {}, rate: number | null = 20_000) {
  return baselineExtractor.extract({
    unitId: "unit_001",
    unit: new MapAdapter({ spike_times: spikes }, "units/unit_001"),
    stimulus: new MapAdapter({}, "stimulus"),
    metadata: new MapAdapter(rate === null ? {} : { acquisition_rate: rate }, "metadata"),
    config: { ...baselineExtractor.defaults, ...config },
  });
}

describe("baseline_127 (§3.9.6; spikes in samples, windows in seconds)", () => {
  it("golden: the step-up train with end 10 s → mean 12, std 14.525839, cv 0.868599, median 100 ms, count 120, quality 1", () => {
    // The reference took these spikes in µs; the session holds samples, converted with acquisition_rate, so the
    // same instants give the same numbers.
    const stats = extract(usToSamples20k(stepUpTrainUs()), { endS: 10 });
    expect(stats.mean_firing_rate).toBeCloseTo(12, 9);
    expect(stats.std_firing_rate).toBeCloseTo(14.525839, 6);
    expect(stats.cv_isi).toBeCloseTo(0.868599, 6);
    expect(stats.median_isi_ms).toBeCloseTo(100, 9);
    expect(stats.spike_count).toBe(120);
    expect(stats.quality_index).toBe(1);
  });

  it("golden: without an end the last spike closes the window → mean 9.797297, count 145", () => {
    const stats = extract(usToSamples20k(stepUpTrainUs()));
    expect(stats.mean_firing_rate).toBeCloseTo(9.797297, 6);
    expect(stats.spike_count).toBe(145);
  });

  it("reference test: 100 regular spikes every 100 ms over [0, 10 s) → ≈ 10 Hz, cv < 0.1, quality > 0", () => {
    const spikes = Float64Array.from({ length: 100 }, (_, k) => k * 2000);
    const stats = extract(spikes, { endS: 10 });
    expect(stats.mean_firing_rate).toBeGreaterThan(9);
    expect(stats.mean_firing_rate).toBeLessThan(11);
    expect(stats.spike_count).toBe(100);
    expect(stats.cv_isi).toBeLessThan(0.1);
    expect(stats.quality_index).toBeGreaterThan(0);
  });

  it("empty train → zeros and NaN median; a window without spikes → the same empty result", () => {
    const empty = { mean_firing_rate: 0, std_firing_rate: 0, cv_isi: 0, spike_count: 0, quality_index: 0 };
    expect(extract(new Float64Array(0))).toMatchObject(empty);
    expect(extract(new Float64Array(0)).median_isi_ms).toBeNaN();
    expect(computeBaselineStats({ spikeTimesS: [1, 2, 3], startS: 5, endS: 9 })).toMatchObject(empty);
    // a single spike after start: the window [start, that spike] has length 0 → empty
    expect(computeBaselineStats({ spikeTimesS: [5], startS: 5 })).toMatchObject(empty);
  });

  it("startS and endS select [start, end); fewer than 10 spikes give quality 0", () => {
    const stats = computeBaselineStats({ spikeTimesS: [0.5, 1, 1.5, 2, 2.5, 3], startS: 1, endS: 3 });
    expect(stats.spike_count).toBe(4);
    expect(stats.mean_firing_rate).toBe(2);
    expect(stats.quality_index).toBe(0);
  });

  it("needs the acquisition rate; bad window options are ConfigurationErrors naming the option", () => {
    expect(() => extract(Float64Array.of(1, 2), {}, null)).toThrow(MissingInputError);
    const check = (config: Partial<BaselineConfig>) => baselineExtractor.validateConfig?.({ ...baselineExtractor.defaults, ...config });
    expect(() => check({ startS: -1 })).toThrow(ConfigurationError);
    expect(() => check({ startS: -1 })).toThrow(/'startS'/);
    expect(() => check({ startS: 5, endS: 5 })).toThrow("baseline_127: config option 'endS' must be greater than 'startS'.");
  });
});
