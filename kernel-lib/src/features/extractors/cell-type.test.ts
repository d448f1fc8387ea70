import { describe, expect, it } from "vitest";
import { MapAdapter } from "../adapters";
import { cellTypeExtractor, guessCellType } from "./cell-type";

/** A trough at sample 5 and the peak `width` samples later. */
function waveform(width: number, length = 32): Float32Array {
  const w = new Float32Array(length);
  w[5] = -100;
  w[5 + width] = 40;
  return w;
}

describe("cell_type_classifier (§3.9.7 heuristic)", () => {
  it("fewer than 50 spikes → unknown, probability 0, no axon, NaN width", () => {
    const guess = guessCellType({ spikeCount: 49, waveform: waveform(4), samplingRateHz: 20_000 });
    expect(guess).toMatchObject({ cell_type: "unknown", rgc_probability: 0, has_axon: false });
    expect(guess.waveform_width_ms).toBeNaN();
  });

  it("narrow spike (< 0.4 ms) with > 100 spikes → RGC 0.8; wide → 0.6 above 500 spikes, else 0.3", () => {
    expect(guessCellType({ spikeCount: 101, waveform: waveform(7), samplingRateHz: 20_000 })).toEqual({
      cell_type: "RGC",
      rgc_probability: 0.8,
      has_axon: true,
      waveform_width_ms: 0.35,
    });
    // 8 samples = 0.4 ms is not < 0.4
    expect(guessCellType({ spikeCount: 101, waveform: waveform(8), samplingRateHz: 20_000 })).toMatchObject({ cell_type: "unknown", rgc_probability: 0.3, has_axon: false });
    expect(guessCellType({ spikeCount: 501, waveform: waveform(8), samplingRateHz: 20_000 })).toMatchObject({ cell_type: "RGC", rgc_probability: 0.6 });
    // the width follows the acquisition rate (the reference assumed 20 kHz): 8 samples at 40 kHz = 0.2 ms
    expect(guessCellType({ spikeCount: 101, waveform: waveform(8), samplingRateHz: 40_000 }).waveform_width_ms).toBe(0.2);
  });

  it("short or missing waveform → NaN width and no axon", () => {
    const unit = new MapAdapter({ spike_times: Float64Array.from({ length: 200 }, (_, i) => i * 100) }, "units/unit_001");
    const guess = cellTypeExtractor.extract({ unitId: "unit_001", unit, stimulus: new MapAdapter({}), metadata: new MapAdapter({ acquisition_rate: 20_000 }), config: {} });
    expect(guess).toMatchObject({ cell_type: "unknown", rgc_probability: 0.3, has_axon: false });
    expect(guess.waveform_width_ms).toBeNaN();
    expect(guessCellType({ spikeCount: 200, waveform: new Float32Array(10), samplingRateHz: 20_000 }).waveform_width_ms).toBeNaN();
  });
});
