import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ConfigurationError } from "../errors";
import * as fs from "fs";
import * as path from "path";
import type { ScipyFixtures } from "./fixtures/scipy-fixtures";
import { percentile } from "./percentile";

function loadScipyFixtures(): ScipyFixtures {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "scipy-fixtures.json"), "utf8"));
}

describe("percentile (numpy linear)", () => {
  it("golden A.5", () => {
    expect(percentile({ values: Array.from({ length: 1001 }, (_, i) => i), percent: 99.9 })).toBe(999.0000000000001);
    expect(percentile({ values: [0, 0, 0, 10], percent: 99.9 })).toBeCloseTo(9.97, 12);
  });

  it("equals numpy.percentile bit for bit on random data", () => {
    for (const fixture of loadScipyFixtures().percentiles) {
      expect(percentile(fixture)).toBe(fixture.expected);
    }
  });

  it("does not depend on input order and hits the extremes at 0 and 100", () => {
    const values = [5, -2, 9, 3, 3, 0.5];
    expect(percentile({ values, percent: 0 })).toBe(-2);
    expect(percentile({ values, percent: 100 })).toBe(9);
    expect(percentile({ values: values.slice().reverse(), percent: 42 })).toBe(percentile({ values, percent: 42 }));
  });

  it("gives NaN when a value is NaN, and rejects empty input and bad percents", () => {
    expect(percentile({ values: [1, NaN, 3], percent: 50 })).toBeNaN();
    expect(() => percentile({ values: [], percent: 50 })).toThrow(ConfigurationError);
    expect(() => percentile({ values: [1], percent: 101 })).toThrow(/between 0 and 100/);
  });
});

describe("percentile by selection", () => {
  /** numpy's linear method on a fully sorted copy: what the selection must reproduce exactly. */
  function bySorting(values: number[], percent: number): number {
    const sorted = Float64Array.from(values).sort();
    const position = (sorted.length - 1) * (percent / 100);
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    const t = position - below;
    const difference = sorted[above] - sorted[below];
    return t >= 0.5 ? sorted[above] - difference * (1 - t) : sorted[below] + difference * t;
  }

  it("equals the sorted-copy result for arrays with many ties (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, percent) => {
          expect(percentile({ values, percent })).toBe(bySorting(values, percent));
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });
});
