import { describe, expect, it } from "vitest";
import { SessionError } from "../errors";
import { decodeValue, encodeValue, int64ToFloat64, WholeNumbers, type Raw } from "./codec";
import { NdArray, type NumericArray } from "./values";

/** Encodes at `path`, then decodes what would be read back (the payload is what h5wasm writes and returns). */
function roundTrip(value: Parameters<typeof encodeValue>[0], path: string[]) {
  const encoded = encodeValue(value, path);
  // Whole numbers are converted where they are written; writers that take whole arrays convert them all at once.
  const data = encoded.data instanceof WholeNumbers ? encoded.data.toArray() : encoded.data;
  const raw: Raw = { dtype: encoded.dtype, shape: encoded.shape, data, hdmeaType: encoded.hdmeaType };
  return { encoded, decoded: decodeValue(raw, path) };
}

const TYPED_CASES: [string, NumericArray][] = [
  ["int8", Int8Array.of(-128, 0, 127)],
  ["uint8", Uint8Array.of(0, 255)],
  ["int16", Int16Array.of(-32768, 32767)],
  ["uint16", Uint16Array.of(65535)],
  ["int32", Int32Array.of(-(2 ** 31), 2 ** 31 - 1)],
  ["uint32", Uint32Array.of(2 ** 32 - 1)],
  ["float32", Float32Array.of(1.5, Number.NaN, Number.NEGATIVE_INFINITY)],
  ["float64", Float64Array.of(Math.PI, Number.POSITIVE_INFINITY)],
  ["int64", BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n)],
  ["uint64", BigUint64Array.of(2n ** 64n - 1n)],
];

describe("codec", () => {
  it.each(TYPED_CASES)("stores %s arrays one to one", (dtype, array) => {
    const { encoded, decoded } = roundTrip(array, ["metadata", "x"]);
    expect(encoded.dtype).toBe(dtype);
    expect(decoded).toEqual(array);
  });

  it.each([
    [["units", "u", "spike_times"], "uint64"],
    [["metadata", "frame_timestamps"], "uint64"],
    [["stimulus", "frame_times", "default"], "uint64"],
    [["stimulus", "section_time", "movie"], "int64"],
    [["units", "u", "spike_times_sectioned", "m", "trials_spike_times", "12"], "int64"],
  ])("stores Float64Array sample indices at %j as %s and reads them back exactly", (path, dtype) => {
    const samples = Float64Array.of(0, 1, 2 ** 32, 2 ** 53);
    const { encoded, decoded } = roundTrip(samples, path);
    expect(encoded.dtype).toBe(dtype);
    expect(decoded).toEqual(samples);
  });

  it("keeps the shape of n-d sample-index arrays", () => {
    const sections = new NdArray(Float64Array.of(0, 100, 200, 300), [2, 2]);
    expect(roundTrip(sections, ["stimulus", "section_time", "m"]).decoded).toEqual(sections);
  });

  it("rejects fractional or negative sample indices with a SessionError naming the path", () => {
    expect(() => encodeValue(Float64Array.of(1.5), ["units", "u", "spike_times"])).toThrow(SessionError);
    expect(() => encodeValue(Float64Array.of(1.5), ["units", "u", "spike_times"])).toThrow(/'units\/u\/spike_times': element 0 is 1.5/);
    expect(() => encodeValue(Float64Array.of(-1), ["metadata", "frame_timestamps"])).toThrow(/≥ 0/);
  });

  it("converts int64 sign and magnitude exactly", () => {
    expect(int64ToFloat64(BigInt64Array.of(-1n, -(2n ** 53n), 2n ** 53n, 0n))).toEqual(Float64Array.of(-1, -(2 ** 53), 2 ** 53, 0));
    expect(roundTrip(Float64Array.of(-5, -(2 ** 40)), ["stimulus", "section_time", "m"]).decoded).toEqual(Float64Array.of(-5, -(2 ** 40)));
  });

  it("stores scalars as shape (): numbers float64 (int64 at known counters), strings, booleans as tagged int8", () => {
    expect(roundTrip(3.25, ["metadata", "a"]).encoded).toMatchObject({ dtype: "float64", shape: [] });
    expect(roundTrip(12, ["metadata", "section_time_repeats"]).encoded).toMatchObject({ dtype: "int64", shape: [] });
    expect(roundTrip(12.5, ["metadata", "section_time_repeats"]).encoded).toMatchObject({ dtype: "float64" });
    expect(roundTrip("héllo ✓", ["metadata", "s"]).decoded).toBe("héllo ✓");
    expect(roundTrip(true, ["metadata", "flag"]).encoded).toMatchObject({ dtype: "int8", shape: [], hdmeaType: "bool" });
    expect(roundTrip(false, ["metadata", "flag"]).decoded).toBe(false);
    expect(roundTrip(Number.NaN, ["metadata", "n"]).decoded).toBeNaN();
  });

  it("stores lists: numbers (tagged, int64 at known ranges), strings as vlen strings, booleans", () => {
    expect(roundTrip([1.5, 2], ["metadata", "l"])).toMatchObject({ encoded: { dtype: "float64", hdmeaType: "list" }, decoded: [1.5, 2] });
    expect(roundTrip([-60, 0], ["units", "u", "features", "sta", "metadata", "cover_range"])).toMatchObject({
      encoded: { dtype: "int64" },
      decoded: [-60, 0],
    });
    expect(roundTrip(["a", "b"], ["metadata", "l"])).toMatchObject({ encoded: { dtype: "string", shape: [2] }, decoded: ["a", "b"] });
    expect(roundTrip([true, false], ["metadata", "l"]).decoded).toEqual([true, false]);
    expect(roundTrip([], ["metadata", "l"]).decoded).toEqual([]);
  });
});
