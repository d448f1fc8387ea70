import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import { createRandom } from "../simulate/prng";
import { decomposeSta, fitReceptiveField, isPlausibleRf, rfSignificance, staPeakEnergy } from "./receptive-field";
import { computeUnitSta, prepareStaMovie } from "./sta";

/** A separable STA: 127.5 + temporal[t] · gaussian(x, y), plus optional noise. */
function separableSta(frames: number, side: number, cx: number, cy: number, sigma: number, noise = 0, seed = 1): { sta: NdArray; temporal: number[] } {
  const random = createRandom(seed);
  const temporal = Array.from({ length: frames }, (_, t) => (t === frames - 5 ? 40 : t === frames - 9 ? -15 : t > frames - 12 ? 10 : 0));
  const data = new Float32Array(frames * side * side);
  for (let t = 0; t < frames; t++) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const g = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma));
        data[(t * side + y) * side + x] = 127.5 + temporal[t] * g + noise * random.normal();
      }
    }
  }
  return { sta: new NdArray(data, [frames, side, side]), temporal };
}

describe("decomposeSta and fitReceptiveField", () => {
  it("recovers the centre, size and the temporal shape of a separable STA", () => {
    const { sta, temporal } = separableSta(30, 15, 9.3, 4.6, 1.2);
    const { decomposition, gaussian } = fitReceptiveField({ sta });
    expect(decomposition.peakRow).toBe(5);
    expect(decomposition.peakCol).toBe(9);
    expect(decomposition.peakFrame).toBe(25);
    expect(gaussian.centerX).toBeCloseTo(9.3, 1);
    expect(gaussian.centerY).toBeCloseTo(4.6, 1);
    expect(Math.sqrt(gaussian.sigmaMajor * gaussian.sigmaMinor)).toBeCloseTo(1.2, 1);
    expect(gaussian.amplitude).toBeGreaterThan(0);
    // The temporal filter is proportional to the planted one (after removing its mean, as every pixel's mean is).
    const mean = temporal.reduce((a, b) => a + b, 0) / temporal.length;
    const ratio = decomposition.temporal[25] / (temporal[25] - mean);
    decomposition.temporal.forEach((value, t) => expect(value).toBeCloseTo(ratio * (temporal[t] - mean), 3));
    expect(isPlausibleRf(gaussian, 15, 15)).toBe(true);
  });

  it("gives an OFF field a negative map and amplitude, and ignores a constant per-pixel offset", () => {
    const { sta } = separableSta(30, 15, 4, 10, 1, 0.5, 2);
    const data = sta.data as Float32Array;
    for (let t = 0; t < 30; t++) data[t * 225 + 3] += 25; // a pixel whose mean is off, at every frame
    for (let i = 0; i < data.length; i++) data[i] = 255 - data[i];
    const { decomposition, gaussian } = fitReceptiveField({ sta });
    expect(gaussian.amplitude).toBeLessThan(0);
    expect(decomposition.spatial[10 * 15 + 4]).toBeLessThan(0);
    expect(Math.hypot(gaussian.centerX - 4, gaussian.centerY - 10)).toBeLessThan(0.2);
  });

  it("rejects an STA that is not frames × rows × cols", () => {
    expect(() => decomposeSta({ sta: new NdArray(new Float32Array(4), [2, 2]) })).toThrow(ConfigurationError);
  });
});

describe("rfSignificance", () => {
  const frames = 2000;
  const random = createRandom(5);
  const movieBytes = new Uint8Array(frames * 9 * 9);
  for (let g = 0; g < frames; g += 4) {
    const pattern = Array.from({ length: 81 }, () => (random.uniform() < 0.5 ? 0 : 255));
    for (let k = 0; k < 4; k++) movieBytes.set(pattern, (g + k) * 81);
  }
  const movie = prepareStaMovie({ movie: movieBytes, movieShape: [frames, 9, 9] });
  const coverRange: [number, number] = [-20, 0];

  it("finds spikes that follow a pixel significant, random spikes not, and repeats itself for a seed", () => {
    const driven: number[] = [];
    const unrelated: number[] = [];
    for (let f = 20; f < frames; f++) {
      if (movieBytes[(f - 3) * 81 + 40] === 255 && random.uniform() < 0.5) driven.push(f);
      if (random.uniform() < 0.25) unrelated.push(f);
    }
    const test = (spikeFrames: number[], seed: number) => {
      const { sta } = computeUnitSta({ movie, spikeFrames, coverRange });
      return rfSignificance({ movie, spikeFrames, coverRange, peakEnergy: staPeakEnergy(sta), shuffles: 19, seed });
    };
    const strong = test(driven, 1);
    expect(strong.zScore).toBeGreaterThan(10);
    expect(strong.pValue).toBeCloseTo(1 / 20, 10);
    const none = test(unrelated, 1);
    expect(none.zScore).toBeLessThan(3);
    expect(test(unrelated, 1)).toEqual(none);
    expect(test(unrelated, 2)).not.toEqual(none);
  });

  it("returns p = 1 without shuffles and rejects a negative count", () => {
    expect(rfSignificance({ movie, spikeFrames: [100, 200], coverRange, peakEnergy: 1, shuffles: 0, seed: 0 })).toMatchObject({ shuffles: 0, pValue: 1 });
    expect(() => rfSignificance({ movie, spikeFrames: [], coverRange, peakEnergy: 1, shuffles: -1, seed: 0 })).toThrow(ConfigurationError);
  });
});
