import { describe, expect, it } from "vitest";
import { staFirstFrameOffset, staPeak } from "./sta-peak";

/** A 30 × 9 × 9 STA: Gaussian noise (seeded), a receptive field at (row 6, col 2) with a temporal filter near the end. */
function plantedSta(options: { polarity: 1 | -1; outlier?: boolean }) {
  const [frames, rows, cols] = [30, 9, 9];
  const data = new Float32Array(frames * rows * cols);
  let seed = 12345;
  const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) + 1) / (2 ** 31 + 1);
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  for (let i = 0; i < data.length; i++) data[i] = 0.5 + 0.02 * gauss();
  const filter = (f: number) => Math.exp(-((f - 26) ** 2) / 4); // strongest at frame 26
  for (let f = 0; f < frames; f++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const spatial = Math.exp(-((r - 6) ** 2 + (c - 2) ** 2) / 2);
        data[f * rows * cols + r * cols + c] += options.polarity * 0.12 * spatial * filter(f);
      }
    }
  }
  // One noisy value in one frame, farther from the mean than any value of the field: a plain maximum picks it.
  if (options.outlier) data[17 * rows * cols + 1 * cols + 7] = 0.5 + 0.18;
  return { shape: [frames, rows, cols], data };
}

describe("staPeak", () => {
  it("finds the receptive field's pixel and frame, not a single noisy outlier", () => {
    const sta = plantedSta({ polarity: 1, outlier: true });
    // The plain maximum of |STA − 0.5| is the outlier (frame 17, row 1, col 7): what the old peak picked.
    const plain = sta.data.reduce((best, v, i) => (Math.abs(v - 0.5) > Math.abs(sta.data[best] - 0.5) ? i : best), 0);
    expect(plain).toBe(17 * 81 + 1 * 9 + 7);
    const peak = staPeak(sta);
    expect(peak).toMatchObject({ row: 6, col: 2, polarity: 1, noiseFrames: 10 });
    expect(Math.abs(peak!.frame - 26)).toBeLessThanOrEqual(1);
    expect(peak!.zScore).toBeGreaterThan(2);
  });

  it("gives OFF fields a negative z-score and polarity", () => {
    const peak = staPeak(plantedSta({ polarity: -1 }));
    expect(peak).toMatchObject({ row: 6, col: 2, polarity: -1 });
    expect(peak!.zScore).toBeLessThan(-2);
  });

  it("handles NaN STAs, flat noise and short cover ranges", () => {
    expect(staPeak({ shape: [4, 2, 2], data: new Float32Array(16).fill(Number.NaN) })).toBeNull();
    expect(staPeak({ shape: [4, 4], data: new Float32Array(16) })).toBeNull();
    const flat = new Float32Array(6 * 4).fill(0.5);
    flat[5 * 4 + 3] = 0.9;
    expect(staPeak({ shape: [6, 2, 2], data: flat })).toMatchObject({ frame: 5, row: 1, col: 1, polarity: 1, zScore: 0 });
    const two = new Float32Array([0, 0, 0, 0, 0, 0, -1, 0]);
    expect(staPeak({ shape: [2, 2, 2], data: two })).toMatchObject({ frame: 1, row: 1, col: 0, polarity: -1, noiseFrames: 2 });
  });

  it("offsets frames by the cover range's start", () => {
    expect(staFirstFrameOffset([-45, 0], 45)).toBe(-45);
    expect(staFirstFrameOffset(new Int32Array([-12, 2]), 14)).toBe(-12);
    expect(staFirstFrameOffset(undefined, 60)).toBe(-60);
  });
});
