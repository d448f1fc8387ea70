import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { analogSectionTimes, detectLightOnsets } from "./light-onsets";

/** A flat trace of `length` samples with `level` added from each step's first sample onwards until its end. */
function steps(length: number, pulses: ReadonlyArray<{ from: number; to?: number; level: number }>): Float32Array {
  const trace = new Float32Array(length);
  for (const { from, to = length, level } of pulses) for (let i = from; i < to; i++) trace[i] += level;
  return trace;
}

describe("detectLightOnsets (reference §3.5.1 step 4, §5.2 analog peaks)", () => {
  it("a single step at sample 500 gives onset 499", () => {
    expect(detectLightOnsets({ signal: steps(1000, [{ from: 500, level: 1e6 }]), threshold: 1e5 })).toEqual([499]);
  });

  it("three pulses give three onsets; falling edges never count", () => {
    const trace = steps(3000, [
      { from: 500, to: 800, level: 2e5 },
      { from: 1500, to: 1800, level: 2e5 },
      { from: 2500, to: 2800, level: 2e5 },
    ]);
    expect(detectLightOnsets({ signal: trace, threshold: 1e5 })).toEqual([499, 1499, 2499]);
  });

  it("a step under the threshold is ignored; a flat trace or a too-high threshold gives none", () => {
    const trace = steps(2000, [
      { from: 300, level: 1e4 },
      { from: 1200, level: 2e6 },
    ]);
    expect(detectLightOnsets({ signal: trace, threshold: 1e6 })).toEqual([1199]);
    expect(detectLightOnsets({ signal: new Float32Array(100), threshold: 1 })).toEqual([]);
    expect(detectLightOnsets({ signal: trace, threshold: 1e7 })).toEqual([]);
  });

  it("the threshold is inclusive and the difference is taken in float64", () => {
    // float32 cannot hold 16 777 217, but the trace values themselves are exact; the rise is exactly 1e5.
    const trace = Float32Array.of(16_000_000, 16_000_000, 16_100_000, 16_100_000);
    expect(detectLightOnsets({ signal: trace, threshold: 1e5 })).toEqual([1]);
    expect(detectLightOnsets({ signal: trace, threshold: 100_001 })).toEqual([]);
  });

  it("a minimum distance keeps the larger of two close rises", () => {
    const trace = steps(1000, [
      { from: 100, level: 2e5 },
      { from: 150, level: 5e5 },
      { from: 600, level: 2e5 },
    ]);
    expect(detectLightOnsets({ signal: trace, threshold: 1e5, distanceSamples: 100 })).toEqual([149, 599]);
    expect(() => detectLightOnsets({ signal: trace, threshold: Number.NaN })).toThrow(ConfigurationError);
  });
});

describe("analogSectionTimes (reference §3.5.1 steps 5–7)", () => {
  const rate = 1000;
  const trace = steps(40 * rate, [
    { from: 10 * rate, to: 12 * rate, level: 1e6 },
    { from: 20 * rate, to: 22 * rate, level: 1e6 },
    { from: 30 * rate, to: 32 * rate, level: 1e6 },
  ]);
  const onsets = detectLightOnsets({ signal: trace, threshold: 1e5 });

  it("three pulses at 10/20/30 s → 3 × 2 sections of exactly the duration, template of that length (float32)", () => {
    const result = analogSectionTimes({ signal: trace, onsets, durationSamples: 5 * rate });
    expect(result.sectionTime.shape).toEqual([3, 2]);
    expect(Array.from(result.sectionTime.data)).toEqual([9999, 14_999, 19_999, 24_999, 29_999, 34_999]);
    expect(result.lightTemplate).toBeInstanceOf(Float32Array);
    expect(result.lightTemplate.length).toBe(5 * rate);
    expect(result.lightTemplate[0]).toBe(0); // the onset sample is the last dark one
    expect(result.lightTemplate[1]).toBe(1e6);
    expect(result.lightTemplate[2 * rate + 1]).toBe(0);
    expect(result.truncatedCount).toBe(0);
  });

  it("repeat keeps the first sections but the template still averages all onsets", () => {
    const all = analogSectionTimes({ signal: trace, onsets, durationSamples: 5 * rate });
    const two = analogSectionTimes({ signal: trace, onsets, durationSamples: 5 * rate, repeat: 2 });
    expect(two.sectionTime.shape).toEqual([2, 2]);
    expect(Array.from(two.sectionTime.data)).toEqual([9999, 14_999, 19_999, 24_999]);
    expect(two.lightTemplate).toEqual(all.lightTemplate);
  });

  it("a section running past the end is clipped to the last sample and counted; the template is NaN-padded", () => {
    const short = steps(2500, [{ from: 1000, level: 7 }]);
    const found = detectLightOnsets({ signal: short, threshold: 1 });
    const result = analogSectionTimes({ signal: short, onsets: found, durationSamples: 5000 });
    expect(Array.from(result.sectionTime.data)).toEqual([999, 2499]);
    expect(result.truncatedCount).toBe(1);
    expect(result.lightTemplate.length).toBe(2499 - 999);

    const two = analogSectionTimes({ signal: short, onsets: [0, 2000], durationSamples: 1000 });
    // pieces [0, 1000) and [2000, 2499): positions ≥ 499 average the first piece only.
    expect(two.lightTemplate.length).toBe(1000);
    expect(two.lightTemplate[0]).toBe(7 / 2);
    expect(two.lightTemplate[600]).toBe(0);
    expect(two.truncatedCount).toBe(1);
    expect(() => analogSectionTimes({ signal: short, onsets: found, durationSamples: 0 })).toThrow(ConfigurationError);
  });
});
