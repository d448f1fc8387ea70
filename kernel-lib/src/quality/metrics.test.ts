import { describe, expect, it } from "vitest";
import { ErrorCode } from "../errors";
import { contaminationOf, isiViolations, medianOf, presenceRatio, unitQualityMetrics } from "./metrics";
import { seededRandom as random } from "../test-support/seeded-random";


/** A Poisson train with a dead time (samples), over [0, durationS) at 20 kHz. */
function train(rateHz: number, durationS: number, deadSamples: number, seed: number): number[] {
  const rand = random(seed);
  const out: number[] = [];
  let t = 0;
  const end = durationS * 20000;
  for (;;) {
    t += -Math.log(1 - rand()) * (20000 / rateHz);
    if (t >= end) break;
    out.push(Math.floor(t));
    t = Math.floor(t) + deadSamples;
  }
  return out;
}

describe("isiViolations", () => {
  it("counts intervals shorter than the refractory period and gives their fraction", () => {
    // ISIs in samples at 20 kHz: 10 (0.5 ms), 40 (2 ms), 29 (1.45 ms), 30 (1.5 ms: not a violation), 1000.
    const spikeTimes = [0, 10, 50, 79, 109, 1109];
    const result = isiViolations({ spikeTimes, samplingRateHz: 20000, durationS: 10, refractoryMs: 1.5 });
    expect(result.count).toBe(2);
    expect(result.rate).toBeCloseTo(2 / 5, 12);
    // Hill: count · T / (2 n² (τr − τc)) = 2 · 10 / (2 · 36 · 0.0015)
    expect(result.ratio).toBeCloseTo((2 * 10) / (2 * 36 * 0.0015), 9);
    expect(result.contamination).toBe(1); // far beyond f(1 − f) ≤ 0.25
    const censored = isiViolations({ spikeTimes, samplingRateHz: 20000, durationS: 10, refractoryMs: 1.5, censoredMs: 0.5 });
    expect(censored.count).toBe(2);
    expect(censored.ratio).toBeCloseTo((2 * 10) / (2 * 36 * 0.001), 9);
  });

  it("recovers the contamination of a clean train merged with an independent Poisson train (Hill et al.)", () => {
    // 20 Hz clean unit with a 2 ms dead time over 1000 s, plus 10 % contaminating spikes from an independent train.
    const clean = train(20, 1000, 40, 1);
    const contaminating = train(20 * 0.1 / 0.9, 1000, 0, 2);
    const merged = [...clean, ...contaminating].sort((a, b) => a - b);
    const result = isiViolations({ spikeTimes: merged, samplingRateHz: 20000, durationS: 1000, refractoryMs: 1.5 });
    const planted = contaminating.length / merged.length;
    expect(result.contamination).toBeGreaterThan(planted * 0.8);
    expect(result.contamination).toBeLessThan(planted * 1.2);
    const cleanResult = isiViolations({ spikeTimes: clean, samplingRateHz: 20000, durationS: 1000 });
    expect(cleanResult).toMatchObject({ count: 0, rate: 0, ratio: 0, contamination: 0 });
  });

  it("gives NaN rates where they are undefined and rejects bad options", () => {
    expect(isiViolations({ spikeTimes: [], samplingRateHz: 20000, durationS: 1 })).toMatchObject({ count: 0 });
    expect(isiViolations({ spikeTimes: [], samplingRateHz: 20000, durationS: 1 }).ratio).toBeNaN();
    expect(isiViolations({ spikeTimes: [5], samplingRateHz: 20000, durationS: 1 }).rate).toBeNaN();
    expect(isiViolations({ spikeTimes: [5], samplingRateHz: 20000, durationS: 1 }).ratio).toBe(0);
    const bad = (extra: object) => () => isiViolations({ spikeTimes: [1, 2], samplingRateHz: 20000, durationS: 1, ...extra });
    expect(bad({ refractoryMs: 0 })).toThrow(/refractoryMs/);
    expect(bad({ censoredMs: 2 })).toThrow(/censoredMs/);
    expect(bad({ durationS: -1 })).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
    expect(() => isiViolations({ spikeTimes: [5, 1], samplingRateHz: 20000, durationS: 1 })).toThrow(/ascending/);
  });

  it("inverts f(1 − f) on [0, 0.5]", () => {
    for (const f of [0, 0.01, 0.1, 0.3, 0.5]) expect(contaminationOf(f * (1 - f))).toBeCloseTo(f, 9);
    expect(contaminationOf(0.3)).toBe(1);
  });
});

describe("presenceRatio", () => {
  it("is the fraction of equal bins over the recording that hold a spike", () => {
    // 100 s, 10 s bins; spikes in bins 0, 0, 3 and 9 (the last sample of the recording).
    const spikeTimes = [10, 20, 35 * 20000, 100 * 20000 - 1];
    expect(presenceRatio({ spikeTimes, samplingRateHz: 20000, durationS: 100, binS: 10 })).toEqual({ ratio: 0.3, bins: 10 });
    // 25 s with 10 s bins → 2 bins of 12.5 s (no spike left outside).
    expect(presenceRatio({ spikeTimes: [24.9 * 20000], samplingRateHz: 20000, durationS: 25, binS: 10 })).toEqual({ ratio: 0.5, bins: 2 });
    // shorter than one bin: one bin
    expect(presenceRatio({ spikeTimes: [1], samplingRateHz: 20000, durationS: 5, binS: 10 })).toEqual({ ratio: 1, bins: 1 });
    expect(presenceRatio({ spikeTimes: [], samplingRateHz: 20000, durationS: 5 })).toEqual({ ratio: 0, bins: 1 });
  });

  it("drops to the active fraction for a unit that stops firing half-way", () => {
    const spikeTimes = train(10, 300, 40, 3).filter((t) => t < 150 * 20000);
    expect(presenceRatio({ spikeTimes, samplingRateHz: 20000, durationS: 300, binS: 10 }).ratio).toBe(0.5);
  });
});

describe("unitQualityMetrics", () => {
  it("gathers every metric under its stored name", () => {
    const metrics = unitQualityMetrics({
      spikeTimes: [0, 10, 50, 20000 * 15],
      samplingRateHz: 20000,
      durationS: 20,
      presenceBinS: 10,
      peakAmplitudes: new Float32Array([7, 9, NaN, 8, 100]),
    });
    expect(metrics).toMatchObject({
      num_spikes: 4,
      firing_rate: 0.2,
      presence_ratio: 1,
      isi_violations_count: 1,
      isi_violations_rate: 1 / 3,
      amplitude_median: 8.5,
    });
    expect(unitQualityMetrics({ spikeTimes: [1], samplingRateHz: 20000, durationS: 1 }).amplitude_median).toBeNaN();
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([])).toBeNaN();
    expect(medianOf([NaN, Infinity])).toBeNaN();
    // Selection must agree with sorting, duplicates and odd/even counts included.
    const rand = random(9);
    for (const length of [1, 2, 5, 6, 101, 1000]) {
      const values = Array.from({ length }, () => Math.floor(rand() * 20) - 10 + (rand() < 0.3 ? 0.5 : 0));
      const sorted = [...values].sort((a, b) => a - b);
      const half = length >> 1;
      expect(medianOf(values)).toBe(length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2);
    }
  });
});
