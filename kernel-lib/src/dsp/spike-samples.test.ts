import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { roundHalfEven, spikeTimesUsToSamples, spikeTimesUsToSamplesTruncated } from "./spike-samples";

describe("µs → sample conversion", () => {
  it("golden A.7: round half to even at 20 kHz, as Float64Array", () => {
    const samples = spikeTimesUsToSamples({ spikeTimesUs: [25, 50, 75, 125, 149, 150, 1000025], samplingRateHz: 20000 });
    expect(samples).toBeInstanceOf(Float64Array);
    expect(Array.from(samples)).toEqual([0, 1, 2, 2, 3, 3, 20000]);
  });

  it("golden A.7: the reference eimage path truncates (µs / 1e6) · rate", () => {
    expect(Array.from(spikeTimesUsToSamplesTruncated({ spikeTimesUs: [150, 350], samplingRateHz: 20000 }))).toEqual([2, 7]);
  });

  it("the two conversions differ by at most one sample (documents reference §9 #6)", () => {
    const us = Array.from({ length: 2000 }, (_, i) => i * 13 + 1);
    const rounded = spikeTimesUsToSamples({ spikeTimesUs: us, samplingRateHz: 20000 });
    const truncated = spikeTimesUsToSamplesTruncated({ spikeTimesUs: us, samplingRateHz: 20000 });
    let differ = 0;
    rounded.forEach((r, i) => {
      expect(r - truncated[i]).toBeGreaterThanOrEqual(0);
      expect(r - truncated[i]).toBeLessThanOrEqual(1);
      if (r !== truncated[i]) differ++;
    });
    expect(differ).toBeGreaterThan(0);
  });

  it("roundHalfEven sends ties to the even neighbour, like numpy", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3]);
  });

  it("rejects a non-positive sampling rate", () => {
    expect(() => spikeTimesUsToSamples({ spikeTimesUs: [1], samplingRateHz: 0 })).toThrow(ConfigurationError);
  });
});
