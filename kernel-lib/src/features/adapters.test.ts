import { describe, expect, it } from "vitest";
import { MissingInputError } from "../errors";
import { NdArray } from "../hdf5/values";
import { MapAdapter, ValueAdapter } from "./adapters";

const unit = {
  spike_times: Float64Array.of(10, 20, 30),
  waveform: new Float32Array(0),
  row: 12,
  original_name: "Unit_1",
  big: BigInt64Array.of(5n, 6n),
  ranges: [1, 2, 3],
  empty: null,
  spike_times_sectioned: { step: { trials_start_end: new NdArray(Float64Array.of(0, 5, 5, 9), [2, 2]) } },
};

describe("MapAdapter / ValueAdapter (§3.9.3)", () => {
  const root = new MapAdapter(unit, "units/unit_001");

  it("get wraps maps as MapAdapter and everything else as ValueAdapter, with full paths", () => {
    const sectioned = root.get("spike_times_sectioned");
    expect(sectioned).toBeInstanceOf(MapAdapter);
    expect(sectioned.path).toBe("units/unit_001/spike_times_sectioned");
    const trials = root.resolve("spike_times_sectioned/step/trials_start_end");
    expect(trials).toBeInstanceOf(ValueAdapter);
    expect((trials as ValueAdapter).shape).toEqual([2, 2]);
    expect((trials as ValueAdapter).size).toBe(4);
    expect(Array.from((trials as ValueAdapter).numbers())).toEqual([0, 5, 5, 9]);
  });

  it("a missing key is a MissingInputError naming the path and what exists", () => {
    expect(() => root.get("features")).toThrow(MissingInputError);
    expect(() => root.get("features")).toThrow(/^'units\/unit_001\/features' not found \(available here: spike_times, waveform, row/);
    expect(() => root.get("empty")).toThrow(MissingInputError); // null entries are absent, as when saved
    expect(() => root.resolve("spike_times/x")).toThrow(/is a value, not a group/);
    expect(() => root.group("row")).toThrow(/is a value, not a group/);
    expect(() => root.dataset("spike_times_sectioned")).toThrow(/is a group, not a value/);
    try {
      root.resolve("spike_times_sectioned/noise/trials_spike_times");
    } catch (error) {
      expect((error as MissingInputError).missingInput).toBe("units/unit_001/spike_times_sectioned/noise");
    }
  });

  it("has, hasPath, keys, entries (raw values) and raw with a fallback", () => {
    expect(root.has("row")).toBe(true);
    expect(root.has("empty")).toBe(false);
    expect(root.hasPath("spike_times_sectioned/step/trials_start_end")).toBe(true);
    expect(root.hasPath("spike_times_sectioned/noise")).toBe(false);
    expect(root.hasPath("row/x")).toBe(false);
    expect(root.keys()).not.toContain("empty");
    expect(root.entries().find(([key]) => key === "spike_times")?.[1]).toBe(unit.spike_times);
    expect(root.raw("row")).toBe(12);
    expect(root.raw("features", "none")).toBe("none");
  });

  it("ValueAdapter: numbers() returns typed arrays without copying and converts the rest; scalars have shape []", () => {
    expect(root.dataset("spike_times").numbers()).toBe(unit.spike_times);
    expect(Array.from(root.dataset("big").numbers())).toEqual([5, 6]);
    expect(Array.from(root.dataset("ranges").numbers())).toEqual([1, 2, 3]);
    const row = root.dataset("row");
    expect(row.shape).toEqual([]);
    expect(row.size).toBe(1);
    expect(row.number()).toBe(12);
    expect(row.at(0)).toBe(12);
    expect(() => row.at(1)).toThrow(MissingInputError); // the reference's IndexError for scalars
    expect(root.dataset("spike_times").at(2)).toBe(30);
    expect(() => root.dataset("spike_times").number()).toThrow(/has shape \[3\]; expected a single number/);
    expect(() => root.dataset("original_name").numbers()).toThrow("'units/unit_001/original_name' holds text, not numbers.");
    expect(new ValueAdapter(Float64Array.of(20_000), "metadata/acquisition_rate").number()).toBe(20_000); // shape (1,) files
  });
});
