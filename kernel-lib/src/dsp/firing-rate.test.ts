import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { computeFiringRate } from "./firing-rate";

describe("computeFiringRate (10-Hz bins)", () => {
  it("golden A.6: half-open bins, last bin closed", () => {
    const rate = computeFiringRate({ spikeTimesUs: [0, 50000, 99999, 100000, 250000, 300000], durationUs: 300000 });
    expect(rate).toBeInstanceOf(Float32Array);
    expect(Array.from(rate)).toEqual([30, 10, 20]);
  });

  it("fallback duration (last spike + 1 s) gives 23 bins for a last spike at 1 234 567 µs", () => {
    const spikes = [10, 1234567];
    const rate = computeFiringRate({ spikeTimesUs: spikes, durationUs: 1234567 + 1e6 });
    expect(rate.length).toBe(23);
    expect(rate[0]).toBe(10);
    expect(rate[12]).toBe(10);
  });

  it("ignores spikes outside the bins; empty train or zero duration → empty", () => {
    expect(Array.from(computeFiringRate({ spikeTimesUs: [-1, 50, 200001], durationUs: 200000 }))).toEqual([10, 0]);
    expect(computeFiringRate({ spikeTimesUs: [], durationUs: 1e6 }).length).toBe(0);
    expect(computeFiringRate({ spikeTimesUs: [5], durationUs: 0 }).length).toBe(0);
  });

  it("conserves the spike count (property) and honours binRateHz", () => {
    const spikes = Array.from({ length: 500 }, (_, i) => (i * 7919) % 3_000_000);
    const rate = computeFiringRate({ spikeTimesUs: spikes, durationUs: 3_000_000, binRateHz: 4 });
    expect(rate.length).toBe(12);
    expect(rate.reduce((sum, r) => sum + r / 4, 0)).toBe(500);
    expect(() => computeFiringRate({ spikeTimesUs: spikes, durationUs: 1, binRateHz: 0 })).toThrow(ConfigurationError);
  });
});
