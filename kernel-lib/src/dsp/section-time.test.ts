import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { computeSectionTimes, movieNameFromFileName } from "./section-time";

// Fixture of reference §3.4 (tests/fixtures/section_time): test_playlist = [movie_a, movie_b, movie_c].
const lengths = { movie_a: 600, movie_b: 1200, movie_c: 900 };
const ts = Float64Array.from({ length: 5000 }, (_, k) => 333 * k);

function rows(array: { data: Float64Array; shape: readonly number[] }): number[][] {
  expect(array.shape[1]).toBe(2);
  return Array.from({ length: array.shape[0] }, (_, i) => [array.data[2 * i], array.data[2 * i + 1]]);
}

describe("computeSectionTimes — worked example §3.4 / A.9", () => {
  const lightReference = Float32Array.from({ length: 1_700_000 }, (_, i) => (i % 1000) / 1000);
  const result = computeSectionTimes({
    movieNames: ["movie_a", "movie_b", "movie_c"],
    movieLengths: lengths,
    frameTimestamps: ts,
    repeats: 2,
    lightReference,
  });

  it("section frames", () => {
    expect(result.frames.get("movie_a")).toEqual([[120, 901], [3903, 4684]]);
    expect(result.frames.get("movie_b")).toEqual([[1081, 2462], [4864, 6245]]);
    expect(result.frames.get("movie_c")).toEqual([[2642, 3723], [6425, 7506]]);
  });

  it("section_time in samples, clipped at the last frame (4999 · 333 = 1664667)", () => {
    expect([...result.sectionTime.keys()]).toEqual(["movie_a", "movie_b", "movie_c"]);
    expect(rows(result.sectionTime.get("movie_a")!)).toEqual([[39960, 300033], [1299699, 1559772]]);
    expect(rows(result.sectionTime.get("movie_b")!)).toEqual([[359973, 819846], [1619712, 1664667]]);
    expect(rows(result.sectionTime.get("movie_c")!)).toEqual([[879786, 1239759], [1664667, 1664667]]);
    expect(result.sectionTime.get("movie_a")!.data).toBeInstanceOf(Float64Array);
  });

  it("light templates: lengths 260073, 459873, 359973 and the NaN-padded mean of the pieces", () => {
    expect(result.lightTemplate.get("movie_a")!.length).toBe(260073);
    expect(result.lightTemplate.get("movie_b")!.length).toBe(459873);
    expect(result.lightTemplate.get("movie_c")!.length).toBe(359973);
    const a = result.lightTemplate.get("movie_a")!;
    expect(a).toBeInstanceOf(Float32Array);
    // Both occurrences overlap everywhere for movie_a: mean of the two pieces.
    expect(a[5]).toBeCloseTo((lightReference[39965] + lightReference[1299704]) / 2, 6);
    // movie_b's second piece is shorter (44955 samples); beyond it only the first occurrence counts.
    const b = result.lightTemplate.get("movie_b")!;
    expect(b[50000]).toBeCloseTo(lightReference[359973 + 50000], 6);
  });

  it("no missing movies", () => {
    expect(result.missingMovies).toEqual([]);
  });
});

describe("computeSectionTimes — edge cases", () => {
  it("a single movie with the defaults: start = fc + 120, end = fc + L + 301", () => {
    const single = computeSectionTimes({ movieNames: ["movie_a"], movieLengths: lengths, frameTimestamps: ts });
    expect(single.frames.get("movie_a")).toEqual([[120, 901]]);
    expect(single.lightTemplate.size).toBe(0);
  });

  it("skips a movie without a length without advancing the frame counter (reference quirk) and reports it", () => {
    const withGap = computeSectionTimes({
      movieNames: ["movie_a", "unknown_movie", "movie_b", "unknown_movie"],
      movieLengths: new Map(Object.entries(lengths)),
      frameTimestamps: ts,
    });
    expect(withGap.frames.get("movie_b")).toEqual([[1081, 2462]]);
    expect(withGap.missingMovies).toEqual(["unknown_movie"]);
    expect(withGap.sectionTime.has("unknown_movie")).toBe(false);
  });

  it("repeats ≤ 0 count as 1; custom padding moves the sections", () => {
    const zero = computeSectionTimes({ movieNames: ["movie_a"], movieLengths: lengths, frameTimestamps: ts, repeats: 0 });
    expect(zero.frames.get("movie_a")).toHaveLength(1);
    const custom = computeSectionTimes({
      movieNames: ["movie_a", "movie_b"],
      movieLengths: lengths,
      frameTimestamps: ts,
      padFrame: 10,
      preMarginFrameNum: 5,
      postMarginFrameNum: 7,
    });
    expect(custom.frames.get("movie_a")).toEqual([[5, 618]]);
    expect(custom.frames.get("movie_b")).toEqual([[626, 1839]]);
  });

  it("no template piece when the light reference is too short", () => {
    const short = computeSectionTimes({
      movieNames: ["movie_a"],
      movieLengths: lengths,
      frameTimestamps: ts,
      lightReference: new Float32Array(1000),
    });
    expect(short.lightTemplate.has("movie_a")).toBe(false);
  });

  it("rejects empty frame timestamps and bad lengths", () => {
    expect(() => computeSectionTimes({ movieNames: ["movie_a"], movieLengths: lengths, frameTimestamps: [] })).toThrow(
      ConfigurationError,
    );
    expect(() =>
      computeSectionTimes({ movieNames: ["m"], movieLengths: { m: -3 }, frameTimestamps: ts }),
    ).toThrow(/'m'/);
  });

  it("movie names are cut at the first dot", () => {
    expect(movieNameFromFileName({ fileName: "movie_a.mov" })).toBe("movie_a");
    expect(movieNameFromFileName({ fileName: "a.b.mov" })).toBe("a");
    expect(movieNameFromFileName({ fileName: "plain" })).toBe("plain");
  });
});
