import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { blockMean, downsampleByBlockMean, nanPaddedMean } from "./templates";

describe("nanPaddedMean", () => {
  it("golden A.8: [1,2,3] and [3,4] → [2,3,3]", () => {
    const mean = nanPaddedMean({ pieces: [[1, 2, 3], [3, 4]] });
    expect(mean).toBeInstanceOf(Float32Array);
    expect(Array.from(mean)).toEqual([2, 3, 3]);
  });

  it("ignores NaN values, and gives an empty array for no pieces", () => {
    expect(Array.from(nanPaddedMean({ pieces: [Float32Array.from([1, NaN]), [3, 5]] }))).toEqual([2, 5]);
    expect(nanPaddedMean({ pieces: [] }).length).toBe(0);
  });

  it("equals the plain mean when all pieces have the same length (property)", () => {
    const pieces = [0, 1, 2].map((k) => Float32Array.from({ length: 50 }, (_, j) => Math.sin(j + k)));
    const mean = nanPaddedMean({ pieces });
    mean.forEach((value, j) => expect(value).toBeCloseTo((pieces[0][j] + pieces[1][j] + pieces[2][j]) / 3, 6));
  });
});

describe("block means (light-reference copies)", () => {
  it("golden A.8: 0..44 with factor 20 → [9.5, 29.5]", () => {
    const signal = Float32Array.from({ length: 45 }, (_, i) => i);
    expect(Array.from(blockMean({ signal, factor: 20 }))).toEqual([9.5, 29.5]);
    expect(Array.from(downsampleByBlockMean({ signal, samplingRateHz: 20000, targetRateHz: 1000 }))).toEqual([9.5, 29.5]);
  });

  it("uses factor floor(rate / target) and returns the signal unchanged when the target is not lower", () => {
    const signal = Float32Array.from({ length: 4000 }, (_, i) => i % 2000);
    expect(Array.from(downsampleByBlockMean({ signal, samplingRateHz: 20000, targetRateHz: 10 }))).toEqual([999.5, 999.5]);
    expect(Array.from(downsampleByBlockMean({ signal: [1, 2], samplingRateHz: 100, targetRateHz: 100 }))).toEqual([1, 2]);
    expect(() => blockMean({ signal, factor: 0 })).toThrow(ConfigurationError);
  });
});
