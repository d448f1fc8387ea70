import { describe, expect, it } from "vitest";
import { ErrorCode } from "../errors";
import { computeCorrelogram } from "./correlogram";
import { seededRandom as random } from "../test-support/seeded-random";


function poissonTrain(count: number, meanGapSamples: number, seed: number): Float64Array {
  const rand = random(seed);
  const out = new Float64Array(count);
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += Math.floor(-Math.log(1 - rand()) * meanGapSamples);
    out[i] = t;
  }
  return out;
}

/** Every pair, checked one by one: the definition the two-pointer pass must match. */
function bruteForce(a: Float64Array, b: Float64Array, auto: boolean, rate: number, binMs: number, windowMs: number): number[] {
  const counts = new Array<number>(Math.round(windowMs / binMs)).fill(0);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (auto && i === j) continue;
      const lagMs = ((b[j] - a[i]) / rate) * 1000;
      if (lagMs < -windowMs / 2 || lagMs >= windowMs / 2) continue;
      counts[Math.floor((lagMs + windowMs / 2) / binMs)]++;
    }
  }
  return counts;
}

describe("computeCorrelogram", () => {
  it("counts the pairs of two small trains by lag, with the window centred on 0", () => {
    // A at 0 and 100 samples; B at 20, 90, 130 samples; 20 kHz → 1 sample = 0.05 ms.
    const result = computeCorrelogram({
      spikesA: [0, 100],
      spikesB: [20, 90, 130],
      samplingRateHz: 20000,
      binMs: 1,
      windowMs: 4,
    });
    // lags: 0→20: +1 ms, 0→90: +4.5 (out), 100→20: −4 ms (in: first bin's left edge), 100→90: −0.5, 100→130: +1.5
    expect(Array.from(result.lagsMs)).toEqual([-2, -1, 0, 1]);
    expect(Array.from(result.counts)).toEqual([0, 1, 0, 2]);
    expect(result.auto).toBe(false);
    expect(result.spikesA).toBe(2);
  });

  it("leaves out each spike's pair with itself in an auto-correlogram, but keeps coincident distinct spikes", () => {
    const result = computeCorrelogram({ spikesA: [100, 100, 140], samplingRateHz: 20000, binMs: 1, windowMs: 4 });
    // pairs: (0,1) lag 0, (1,0) lag 0, (0,2) +2 ms → out, (1,2) +2 out, (2,0) −2 ms, (2,1) −2 ms
    expect(Array.from(result.counts)).toEqual([2, 0, 2, 0]);
    expect(result.auto).toBe(true);
  });

  it("matches the pair-by-pair definition on random trains (auto and cross, several bin sizes)", () => {
    const a = poissonTrain(400, 300, 1);
    const b = poissonTrain(350, 340, 2);
    for (const [binMs, windowMs] of [
      [1, 100],
      [0.5, 20],
      [2.5, 50],
    ]) {
      const cross = computeCorrelogram({ spikesA: a, spikesB: b, samplingRateHz: 20000, binMs, windowMs });
      expect(Array.from(cross.counts)).toEqual(bruteForce(a, b, false, 20000, binMs, windowMs));
      const auto = computeCorrelogram({ spikesA: a, samplingRateHz: 20000, binMs, windowMs });
      expect(Array.from(auto.counts)).toEqual(bruteForce(a, a, true, 20000, binMs, windowMs));
    }
  });

  it("is mirror-symmetric for an auto-correlogram and mirrors A↔B for a cross-correlogram", () => {
    const a = poissonTrain(300, 200, 3);
    const b = poissonTrain(300, 250, 4);
    // Bins are half-open, so a lag on a bin edge has no mirror bin; these edges (x.25 or x.75 samples) hold no lag.
    const bins = { samplingRateHz: 20000, binMs: 0.975, windowMs: 0.975 * 41 };
    const auto = computeCorrelogram({ spikesA: a, ...bins });
    expect(Array.from(auto.counts)).toEqual(Array.from(auto.counts).reverse());
    const ab = computeCorrelogram({ spikesA: a, spikesB: b, ...bins });
    const ba = computeCorrelogram({ spikesA: b, spikesB: a, ...bins });
    expect(Array.from(ab.counts)).toEqual(Array.from(ba.counts).reverse());
  });

  it("rejects a window that is not a whole number of bins, bad rates and unsorted trains", () => {
    const call = (options: Parameters<typeof computeCorrelogram>[0]) => () => computeCorrelogram(options);
    expect(call({ spikesA: [1, 2], samplingRateHz: 20000, binMs: 3, windowMs: 100 })).toThrow(/whole multiple of binMs/);
    expect(call({ spikesA: [1, 2], samplingRateHz: 0 })).toThrow(/samplingRateHz/);
    expect(call({ spikesA: [1, 2], samplingRateHz: 20000, binMs: -1 })).toThrow(/binMs/);
    expect(call({ spikesA: [5, 2], samplingRateHz: 20000 })).toThrow(/spikesA must be ascending/);
    try {
      computeCorrelogram({ spikesA: [1], spikesB: [3, 1], samplingRateHz: 20000 });
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe(ErrorCode.CONFIGURATION);
    }
  });
});
