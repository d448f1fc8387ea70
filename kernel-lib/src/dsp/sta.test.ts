import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { computeTrialBoundaries, sectionSpikeTrain } from "./trials";
import { computeUnitSta, movieContentStartFrame, prepareStaMovie, spikeSamplesToMovieFrames } from "./sta";

const BOTH = [true, false] as const;

function rampMovie(frames: number): Uint8Array {
  return Uint8Array.from({ length: frames }, (_, t) => t);
}

/** The reference's definition, summed directly in float64. */
function directSta(movie: Uint8Array, shape: [number, number, number], spikes: number[], [c0, c1]: [number, number]) {
  const [frames, h, w] = shape;
  const pixels = h * w;
  const sums = new Float64Array((c1 - c0) * pixels);
  let used = 0;
  for (const f of spikes) {
    if (f + c0 < 0 || f + c1 > frames) continue;
    used++;
    for (let t = 0; t < c1 - c0; t++) {
      for (let p = 0; p < pixels; p++) sums[t * pixels + p] += movie[(f + c0 + t) * pixels + p];
    }
  }
  return { sta: Float32Array.from(sums, (s) => (used === 0 ? NaN : s / used)), used };
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

describe("computeUnitSta — worked examples of §3.7 (A.11)", () => {
  for (const useWebAssembly of BOTH) {
    const label = useWebAssembly ? "WebAssembly kernel" : "plain loop";

    it(`movie[t] = t, spikes [3,5,10,19,20], cover [−3, 0] → [8.4, 9.4, 10.4] (${label})`, () => {
      const movie = prepareStaMovie({ movie: rampMovie(20), movieShape: [20, 1, 1], useWebAssembly });
      const result = computeUnitSta({ movie, spikeFrames: [3, 5, 10, 19, 20], coverRange: [-3, 0] });
      expect(Array.from(result.sta.data)).toEqual(Array.from(Float32Array.from([8.4, 9.4, 10.4])));
      expect(result.sta.shape).toEqual([3, 1, 1]);
      expect([result.nSpikesUsed, result.nSpikesExcluded]).toEqual([5, 0]);
    });

    it(`spikes [0, 17], cover [−1, 3] → [16, 17, 18, 19], one used, one excluded (${label})`, () => {
      const movie = prepareStaMovie({ movie: rampMovie(20), movieShape: [20, 1, 1], useWebAssembly });
      const result = computeUnitSta({ movie, spikeFrames: [0, 17], coverRange: [-1, 3] });
      expect(Array.from(result.sta.data)).toEqual([16, 17, 18, 19]);
      expect([result.nSpikesUsed, result.nSpikesExcluded]).toEqual([1, 1]);
    });

    it(`session example: frames 100·k, section [1000, 9000], config (0, 20, 1) → [4.333, 5.333, 6.333] (${label})`, () => {
      const ts = Float64Array.from({ length: 200 }, (_, k) => 100 * k);
      const startFrame = movieContentStartFrame({ sectionStartSample: 1000, frameTimestamps: ts });
      expect(startFrame).toBe(70);
      const { trialsStartEnd } = computeTrialBoundaries({
        sectionStartSample: 1000,
        frameTimestamps: ts,
        config: { startFrame: 0, trialLengthFrame: 20, repeat: 1, groupCount: 1, groupGap: 0 },
      });
      expect(Array.from(trialsStartEnd.data)).toEqual([7000, 9000]);
      const trial0 = sectionSpikeTrain({ spikeSamples: [7050, 7350, 7550, 8450, 9500], trialsStartEnd }).trialsSpikeTimes["0"];
      expect(Array.from(trial0)).toEqual([7050, 7350, 7550, 8450]);
      const spikeFrames = spikeSamplesToMovieFrames({ spikeSamples: trial0, frameTimestamps: ts, movieStartFrame: startFrame });
      expect(Array.from(spikeFrames)).toEqual([0, 3, 5, 14]);
      const movie = prepareStaMovie({ movie: rampMovie(20), movieShape: [20, 1, 1], useWebAssembly });
      const result = computeUnitSta({ movie, spikeFrames, coverRange: [-3, 0] });
      expect(Array.from(result.sta.data)).toEqual(Array.from(Float32Array.from([13 / 3, 16 / 3, 19 / 3])));
      expect([result.nSpikesUsed, result.nSpikesExcluded]).toEqual([3, 1]);
    });
  }
});

describe("computeUnitSta — equals the direct definition exactly (property)", () => {
  const cases: Array<{ name: string; pixel: (random: () => number) => number; hold: number }> = [
    { name: "binary 0/255 noise held 4 frames", pixel: (r) => (r() < 0.5 ? 0 : 255), hold: 4 },
    { name: "binary 30/200 noise, no hold", pixel: (r) => (r() < 0.5 ? 30 : 200), hold: 1 },
    { name: "grey-level noise held 3 frames", pixel: (r) => Math.floor(r() * 256), hold: 3 },
  ];
  for (const { name, pixel, hold } of cases) {
    for (const useWebAssembly of BOTH) {
      it(`${name} (${useWebAssembly ? "WebAssembly kernel" : "plain loop"})`, () => {
        const random = seeded(name.length * 7 + (useWebAssembly ? 1 : 2));
        const shape: [number, number, number] = [240, 5, 7];
        const pixels = 35;
        const data = new Uint8Array(shape[0] * pixels);
        for (let g = 0; g < shape[0]; g += hold) {
          const frame = Uint8Array.from({ length: pixels }, () => pixel(random));
          for (let k = 0; k < hold && g + k < shape[0]; k++) data.set(frame, (g + k) * pixels);
        }
        const movie = prepareStaMovie({ movie: data, movieShape: shape, useWebAssembly });
        for (const cover of [[-60, 0], [-7, 3], [0, 1], [-1, 25]] as Array<[number, number]>) {
          // Enough spikes that every lane is flushed several times, several on the same frame, some outside.
          const spikes = Array.from({ length: 900 }, () => Math.floor(random() * 300) - 30);
          const result = computeUnitSta({ movie, spikeFrames: spikes, coverRange: cover });
          const expected = directSta(data, shape, spikes, cover);
          expect(result.nSpikesUsed).toBe(expected.used);
          expect(result.nSpikesUsed + result.nSpikesExcluded).toBe(spikes.length);
          expect(Array.from(result.sta.data)).toEqual(Array.from(expected.sta));
        }
      });
    }
  }

  it("sums past the lane limits: 2000 spikes on one all-255 frame give exactly 255", () => {
    const data = new Uint8Array(10 * 4).fill(255);
    data.fill(0, 0, 4);
    for (const useWebAssembly of BOTH) {
      const movie = prepareStaMovie({ movie: data, movieShape: [10, 2, 2], useWebAssembly });
      const result = computeUnitSta({ movie, spikeFrames: new Array(2000).fill(5), coverRange: [-5, 0] });
      expect(Array.from(result.sta.data.slice(0, 4))).toEqual([0, 0, 0, 0]);
      expect(Array.from(result.sta.data.slice(4))).toEqual(new Array(16).fill(255));
    }
  });

  it("a one-level movie and a movie of all grey levels", () => {
    const flat = prepareStaMovie({ movie: new Uint8Array(50).fill(7), movieShape: [50, 1, 1] });
    expect(Array.from(computeUnitSta({ movie: flat, spikeFrames: [10, 20], coverRange: [-2, 0] }).sta.data)).toEqual([7, 7]);
    const ramp = Uint8Array.from({ length: 256 * 2 }, (_, i) => i >> 1);
    const movie = prepareStaMovie({ movie: ramp, movieShape: [256, 1, 2] });
    const spikes = Array.from({ length: 500 }, (_, i) => (i * 37) % 256);
    expect(Array.from(computeUnitSta({ movie, spikeFrames: spikes, coverRange: [-10, 0] }).sta.data)).toEqual(
      Array.from(directSta(ramp, [256, 1, 2], spikes, [-10, 0]).sta),
    );
  });
});

describe("computeUnitSta — edge cases", () => {
  const movie = prepareStaMovie({ movie: rampMovie(20), movieShape: [20, 1, 1] });

  it("gives NaN everywhere and counts all spikes as excluded when none is usable", () => {
    const result = computeUnitSta({ movie, spikeFrames: [0, 1, 25], coverRange: [-3, 0] });
    expect(Array.from(result.sta.data).every(Number.isNaN)).toBe(true);
    expect([result.nSpikesUsed, result.nSpikesExcluded]).toEqual([0, 3]);
    expect(computeUnitSta({ movie, spikeFrames: [], coverRange: [-3, 0] }).nSpikesUsed).toBe(0);
  });

  it("rejects inverted and non-integer cover ranges", () => {
    expect(() => computeUnitSta({ movie, spikeFrames: [5], coverRange: [0, -60] })).toThrow(ConfigurationError);
    expect(() => computeUnitSta({ movie, spikeFrames: [5], coverRange: [0, 0] })).toThrow(/Invalid coverRange \[0, 0\]/);
    expect(() => computeUnitSta({ movie, spikeFrames: [5], coverRange: [-1.5, 0] })).toThrow(/integers/);
  });

  it("rejects a movie whose shape does not fit its data", () => {
    expect(() => prepareStaMovie({ movie: new Uint8Array(10), movieShape: [3, 2, 2] })).toThrow(/3 × 2 × 2/);
    expect(() => prepareStaMovie({ movie: new Uint8Array(10), movieShape: [10, 1] })).toThrow(ConfigurationError);
  });

  it("uses the WebAssembly kernel on this Node, and reuses one prepared movie for many cover ranges", () => {
    expect(movie.usesWebAssembly).toBe(true);
    const a = computeUnitSta({ movie, spikeFrames: [10, 12], coverRange: [-4, 0] });
    const b = computeUnitSta({ movie, spikeFrames: [10, 12], coverRange: [-8, 2] });
    expect(Array.from(a.sta.data)).toEqual([7, 8, 9, 10]);
    expect(Array.from(b.sta.data)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe("spike samples → movie frames", () => {
  it("floors through the frame timestamps; spikes before the first frame land far before the movie", () => {
    const ts = Float64Array.from({ length: 100 }, (_, k) => 500 + 100 * k);
    const frames = spikeSamplesToMovieFrames({ spikeSamples: [0, 7000, 7099, 7100], frameTimestamps: ts, movieStartFrame: 60 });
    expect(Array.from(frames)).toEqual([-60, 5, 5, 6]);
  });
});
