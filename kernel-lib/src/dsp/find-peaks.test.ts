import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { findPeaks } from "./find-peaks";
import * as fs from "fs";
import * as path from "path";
import type { ScipyFixtures } from "./fixtures/scipy-fixtures";

function loadScipyFixtures(): ScipyFixtures {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "scipy-fixtures.json"), "utf8"));
}

describe("findPeaks (scipy find_peaks)", () => {
  it("golden A.3: plateaus report their middle, the height is inclusive", () => {
    expect(findPeaks({ signal: [0, 0.5, 0.5, 0.5, 0, 0.2, 0, 1, 1, 0, 0.05, 0, 0.3], height: 0.1 })).toEqual([2, 5, 7]);
  });

  it("never reports the first or last sample, nor a plateau running into the end", () => {
    expect(findPeaks({ signal: [5, 1, 2, 1, 6] })).toEqual([2]);
    expect(findPeaks({ signal: [0, 1, 1, 1] })).toEqual([]);
    expect(findPeaks({ signal: [] })).toEqual([]);
    expect(findPeaks({ signal: [1, 2] })).toEqual([]);
    expect(findPeaks({ signal: [0, 2, 2], height: 0 })).toEqual([]);
  });

  it("height keeps peaks at exactly the threshold", () => {
    expect(findPeaks({ signal: [0, 0.1, 0, 0.09, 0], height: 0.1 })).toEqual([1]);
  });

  it("distance keeps the higher peak and, on equal heights, the later one", () => {
    expect(findPeaks({ signal: [0, 3, 0, 5, 0, 1, 0], distance: 3 })).toEqual([3]);
    expect(findPeaks({ signal: [0, 4, 0, 4, 0], distance: 2.5 })).toEqual([3]);
    expect(findPeaks({ signal: [0, 4, 0, 4, 0], distance: 2 })).toEqual([1, 3]);
  });

  it("equals scipy on quantised noise with plateaus, heights and distances", () => {
    for (const fixture of loadScipyFixtures().peaks) {
      const found = findPeaks({
        signal: fixture.signal,
        height: fixture.height ?? undefined,
        distance: fixture.distance ?? undefined,
      });
      expect(found).toEqual(fixture.expected);
    }
  });

  it("rejects a distance below 1", () => {
    expect(() => findPeaks({ signal: [0, 1, 0], distance: 0.5 })).toThrow(ConfigurationError);
  });
});
