import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lowerBound, upperBound } from "./sorted-search";

describe("sorted search", () => {
  it("matches a linear scan on sorted arrays with ties (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 })), fc.integer({ min: -25, max: 25 }), (values, target) => {
        const sorted = Float64Array.from(values).sort();
        expect(lowerBound(sorted, target)).toBe(sorted.filter((v) => v < target).length);
        expect(upperBound(sorted, target)).toBe(sorted.filter((v) => v <= target).length);
      }),
      { seed: 3 },
    );
  });
});
