import { describe, expect, it } from "vitest";
import { MapAdapter } from "../adapters";
import { exampleExtractor } from "./example";

function extract(spikes: Float64Array, rate = 20_000) {
  return exampleExtractor.extract({
    unitId: "unit_001",
    unit: new MapAdapter({ spike_times: spikes }, "units/unit_001"),
    stimulus: new MapAdapter({}, "stimulus"),
    metadata: new MapAdapter({ acquisition_rate: rate }, "metadata"),
    config: {},
  });
}

describe("example_feature (§3.9.7; spike samples reported in µs)", () => {
  it("reference test: spikes at 1000…5000 µs → total 5, first 1000, last 5000, rate > 0", () => {
    const stats = extract(Float64Array.of(20, 40, 60, 80, 100)); // 1000…5000 µs at 20 kHz
    expect(stats).toEqual({ total_spikes: 5, first_spike_time_us: 1000, last_spike_time_us: 5000, mean_rate_hz: 5 / 0.004 });
  });

  it("one spike uses a 1-s duration; empty gives zeros", () => {
    expect(extract(Float64Array.of(20_000))).toEqual({ total_spikes: 1, first_spike_time_us: 1e6, last_spike_time_us: 1e6, mean_rate_hz: 1 });
    expect(extract(new Float64Array(0))).toEqual({ total_spikes: 0, first_spike_time_us: 0, last_spike_time_us: 0, mean_rate_hz: 0 });
  });
});
