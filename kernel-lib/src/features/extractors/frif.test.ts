import { describe, expect, it } from "vitest";
import { MapAdapter } from "../adapters";
import { computeFrif, frifExtractor } from "./frif";

const frames = Float64Array.of(0, 1000, 2000, 3000);

function extract(unit: Record<string, unknown>, metadata: Record<string, unknown>) {
  return frifExtractor.extract({
    unitId: "unit_001",
    unit: new MapAdapter(unit as never, "units/unit_001"),
    stimulus: new MapAdapter({}, "stimulus"),
    metadata: new MapAdapter(metadata as never, "metadata"),
    config: {},
  });
}

describe("frif (§3.9.4 with the §9 #5 fix)", () => {
  it("golden: the reference's correct-semantics vector [40, 20, 40], with the µs spikes given as samples", () => {
    // Reference: spikes in µs [10000, 49999, 50000, 120000, 149999] → FRIF [40, 20, 40]. The same instants in
    // samples at 20 kHz are [200, 999.98, 1000, 2400, 2999.98]; on the sample grid: [200, 999, 1000, 2400, 2999].
    const result = computeFrif({ spikeSamples: [200, 999, 1000, 2400, 2999], frameTimestamps: frames, samplingRateHz: 20_000 });
    expect(Array.from(result.FRIF)).toEqual([40, 20, 40]);
    expect(Array.from(result.FRIF_x_axis)).toEqual([0, 0.05, 0.1]);
    expect(result.FRIF).toBeInstanceOf(Float32Array);
    expect(result.FRIF_x_axis).toBeInstanceOf(Float64Array);
  });

  it("decision §9 #5 changes the pipeline's value: stored samples [10, 999, 1000, 2500] give [40, 20, 20], not [80, 0, 0]", () => {
    // The reference compared these sample indices with frame times in µs (0, 50 000, 100 000, 150 000), so all
    // four spikes fell into the first interval and it reported [80, 0, 0]. Compared sample to sample: 2, 1 and 1.
    const result = computeFrif({ spikeSamples: [10, 999, 1000, 2500], frameTimestamps: frames, samplingRateHz: 20_000 });
    expect(Array.from(result.FRIF)).toEqual([40, 20, 20]);
  });

  it("spikes outside the frames are not counted; a zero-length interval gives 0; unequal intervals use their own duration", () => {
    const result = computeFrif({ spikeSamples: [5, 10, 30, 30, 45, 60], frameTimestamps: [10, 30, 30, 50], samplingRateHz: 1000 });
    // [10,30): 10 → 1 spike / 0.02 s; [30,30): empty → 0; [30,50): 30, 30, 45 → 3 / 0.02 s
    expect(Array.from(result.FRIF)).toEqual([50, 0, 150]);
  });

  it("empty cases as in the reference: no spikes → zeros; < 2 frames, no rate or no metadata → empty arrays", () => {
    expect(extract({ spike_times: new Float64Array(0) }, { frame_timestamps: frames, acquisition_rate: 20_000 })).toEqual({
      FRIF: new Float32Array(3),
      FRIF_x_axis: Float64Array.of(0, 0.05, 0.1),
    });
    const empty = { FRIF: new Float32Array(0), FRIF_x_axis: new Float64Array(0) };
    expect(extract({ spike_times: Float64Array.of(5) }, { frame_timestamps: Float64Array.of(0), acquisition_rate: 20_000 })).toEqual(empty);
    expect(extract({ spike_times: Float64Array.of(5) }, { frame_timestamps: frames, acquisition_rate: 0 })).toEqual(empty);
    expect(extract({ spike_times: Float64Array.of(5) }, {})).toEqual(empty);
  });

  it("the extractor reads unsorted spikes correctly and matches a brute-force count on random data", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const spikes = Array.from({ length: 500 }, () => Math.floor(random() * 40_000));
    const ts = Array.from({ length: 120 }, (_, i) => 100 + i * 333);
    const fromExtractor = extract({ spike_times: Float64Array.from(spikes) }, { frame_timestamps: Float64Array.from(ts), acquisition_rate: 20_000 });
    const expected = ts.slice(0, -1).map((t, i) => spikes.filter((s) => s >= t && s < ts[i + 1]).length / (333 / 20_000));
    expect(Array.from(fromExtractor.FRIF as Float32Array)).toEqual(Array.from(Float32Array.from(expected)));
  });
});
