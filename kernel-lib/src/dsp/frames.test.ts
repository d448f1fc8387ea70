import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { floorFrame, framesToSamples, nearestFrame, samplesToFrames } from "./frames";

const ts333 = Float64Array.from({ length: 10 }, (_, k) => 333 * k);

describe("sample ↔ frame conversion (§3.10.6)", () => {
  it("floor: the last frame whose timestamp is ≤ the sample", () => {
    expect(Array.from(samplesToFrames({ samples: [0, 332, 333, 334, 1e9], frameTimestamps: ts333 }))).toEqual([0, 0, 1, 1, 9]);
    expect(floorFrame({ sample: -5, frameTimestamps: Float64Array.from([100, 200]) })).toBe(0);
    expect(floorFrame({ sample: 50, frameTimestamps: Float64Array.from([100, 200]) })).toBe(0);
    expect(floorFrame({ sample: 200, frameTimestamps: Float64Array.from([100, 200]) })).toBe(1);
  });

  it("floor recovers the frame of every frame timestamp and of every sample until the next one (property)", () => {
    const ts = Float64Array.from({ length: 200 }, (_, k) => 1000 + 331 * k + (k % 3));
    for (let k = 0; k < ts.length; k++) {
      expect(floorFrame({ sample: ts[k], frameTimestamps: ts })).toBe(k);
      if (k + 1 < ts.length) expect(floorFrame({ sample: ts[k + 1] - 1, frameTimestamps: ts })).toBe(k);
    }
  });

  it("frames → samples truncates and clips to the detected frames", () => {
    expect(Array.from(framesToSamples({ frames: [0, 1.9, -3, 9, 50], frameTimestamps: ts333 }))).toEqual([0, 333, 0, 2997, 2997]);
  });

  it("nearest frame: the reference's tests", () => {
    const ts = [0, 100, 200, 300, 400];
    expect(nearestFrame({ sample: 200, frameTimestamps: ts })).toBe(2);
    expect(nearestFrame({ sample: 149, frameTimestamps: ts })).toBe(1);
    expect(nearestFrame({ sample: 151, frameTimestamps: ts })).toBe(2);
    expect([50, 150, 250, 350].map((sample) => nearestFrame({ sample, frameTimestamps: ts }))).toEqual([0, 1, 2, 3]);
    expect(nearestFrame({ sample: 50, frameTimestamps: [100, 200, 300] })).toBe(0);
    expect(nearestFrame({ sample: 500, frameTimestamps: [100, 200, 300] })).toBe(2);
  });

  it("needs at least one frame timestamp", () => {
    expect(() => floorFrame({ sample: 1, frameTimestamps: [] })).toThrow(ConfigurationError);
    expect(() => samplesToFrames({ samples: [1], frameTimestamps: [] })).toThrow(/frame timestamp/);
  });
});
