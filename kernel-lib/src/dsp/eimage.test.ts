import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { designButterworthHighpass } from "./butterworth";
import { computeEimageStas, settlingSamples } from "./eimage";
import { createFiltfiltPlan, sosfiltfiltColumn } from "./filtfilt";

const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 });
const GRID: [number, number] = [3, 4];
const ELECTRODES = 12;

function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/** int16 sensor data (samples × electrodes) with per-electrode DC offsets, slow drift, noise and spike bumps. */
function makeRecording(samples: number, spikes: number[]): Int16Array {
  const random = seeded(5);
  const data = new Int16Array(samples * ELECTRODES);
  for (let t = 0; t < samples; t++) {
    for (let e = 0; e < ELECTRODES; e++) {
      const drift = 300 * Math.sin((2 * Math.PI * t) / 4000 + e);
      data[t * ELECTRODES + e] = Math.round(500 + 40 * e + drift + 20 * (random() - 0.5));
    }
  }
  for (const s of spikes) {
    for (let k = -3; k < 6; k++) {
      if (s + k < 0 || s + k >= samples) continue;
      for (let e = 0; e < ELECTRODES; e++) data[(s + k) * ELECTRODES + e] -= Math.round((200 / (1 + e)) * Math.exp(-k * k / 4));
    }
  }
  return data;
}

function readerOf(data: Int16Array, ranges: Array<[number, number]> = []) {
  return ({ start, end }: { start: number; end: number }) => {
    ranges.push([start, end]);
    return Float32Array.from(data.subarray(start * ELECTRODES, end * ELECTRODES));
  };
}

/** Whole-trace filtering of every electrode, as the reference would do it without chunks. */
function filterWhole(data: Int16Array, samples: number): Float32Array[] {
  return Array.from({ length: ELECTRODES }, (_, e) => {
    const column = Float32Array.from({ length: samples }, (_, t) => data[t * ELECTRODES + e]);
    return sosfiltfiltColumn({ sos, column });
  });
}

function directEimage(traces: ArrayLike<number>[], spikes: number[], pre: number, post: number, samples: number) {
  const valid = spikes.filter((s) => s - pre >= 0 && s + post <= samples);
  const out = new Float32Array((pre + post) * ELECTRODES);
  for (let t = 0; t < pre + post; t++) {
    for (let e = 0; e < ELECTRODES; e++) {
      let sum = 0;
      for (const s of valid) sum += traces[e][s - pre + t];
      out[t * ELECTRODES + e] = valid.length === 0 ? NaN : sum / valid.length;
    }
  }
  return out;
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

describe("computeEimageStas — chunked filtering equals whole-trace filtering", () => {
  const samples = 6000;
  const pre = 10;
  const post = 40;
  const chunk = 1000;
  // Spikes whose windows start, end or straddle chunk boundaries, plus the first and last usable positions.
  const boundarySpikes = [pre, 990, 1000, 1009, 1010, 1011, 1960, 2000, 2039, 2041, 3000, 4999, 5000, 5010, samples - post];
  const data = makeRecording(samples, boundarySpikes);
  const whole = filterWhole(data, samples);

  it("single-spike units reproduce the whole-trace filtered window to float32 precision", async () => {
    const spikeSamples = new Map(boundarySpikes.map((s) => [`unit_${s}`, [s]]));
    const ranges: Array<[number, number]> = [];
    const result = await computeEimageStas({
      readSamples: readerOf(data, ranges),
      sampleCount: samples,
      gridShape: GRID,
      spikeSamples,
      preSamples: pre,
      postSamples: post,
      sos,
      chunkSamples: chunk,
    });
    expect(result.chunkCount).toBe(6);
    expect(result.overlapSamples).toBe(settlingSamples(createFiltfiltPlan({ sos })));
    // The middle chunks are filtered on their own (the overlap does not reach either end of the recording).
    expect(ranges.some(([start, end]) => start > 0 && end < samples)).toBe(true);
    for (const s of boundarySpikes) {
      const unit = result.units.get(`unit_${s}`)!;
      expect(unit.nSpikesUsed).toBe(1);
      expect(unit.eimage.shape).toEqual([50, 3, 4]);
      const expected = directEimage(whole, [s], pre, post, samples);
      const scale = maxAbs(expected);
      for (let k = 0; k < expected.length; k++) {
        expect(Math.abs(unit.eimage.data[k] - expected[k])).toBeLessThanOrEqual(scale * 2 ** -22);
      }
    }
  });

  it("averages over the spikes actually used; windows past the recording's edges are excluded, spikes past the end ignored", async () => {
    const spikes = [...boundarySpikes, pre - 1, samples - post + 1, samples + 100];
    const result = await computeEimageStas({
      readSamples: readerOf(data),
      sampleCount: samples,
      gridShape: GRID,
      spikeSamples: { unit_all: spikes },
      preSamples: pre,
      postSamples: post,
      sos,
      chunkSamples: chunk,
    });
    const unit = result.units.get("unit_all")!;
    expect([unit.nSpikesUsed, unit.nSpikesExcluded]).toEqual([boundarySpikes.length, 2]);
    const expected = directEimage(whole, spikes, pre, post, samples);
    const scale = maxAbs(expected);
    unit.eimage.data.forEach((value, k) => expect(Math.abs(value - expected[k])).toBeLessThanOrEqual(scale * 1e-6));
  });

  it("does not depend on the chunk size, and reads blocks of bounded length", async () => {
    const spikeSamples = { a: boundarySpikes, b: [2500, 2600] };
    const run = async (chunkSamples: number, ranges: Array<[number, number]>) =>
      computeEimageStas({
        readSamples: async (range) => readerOf(data, ranges)(range),
        sampleCount: samples,
        gridShape: GRID,
        spikeSamples,
        preSamples: pre,
        postSamples: post,
        sos,
        chunkSamples,
      });
    const smallRanges: Array<[number, number]> = [];
    const small = await run(300, smallRanges);
    const single = await run(samples, []);
    for (const id of ["a", "b"]) {
      const x = small.units.get(id)!.eimage.data;
      const y = single.units.get(id)!.eimage.data;
      const scale = maxAbs(y);
      x.forEach((value, k) => expect(Math.abs(value - y[k])).toBeLessThanOrEqual(scale * 1e-6));
    }
    const overlap = small.overlapSamples;
    for (const [start, end] of smallRanges) expect(end - start).toBeLessThanOrEqual(300 + 50 + 2 * overlap);
  });

  it("other filter orders (several sections) are filtered trace by trace with the same result", async () => {
    const sos4 = designButterworthHighpass({ order: 3, cutoffHz: 300, samplingRateHz: 20000 });
    const result = await computeEimageStas({
      readSamples: readerOf(data),
      sampleCount: samples,
      gridShape: GRID,
      spikeSamples: { u: [2041] },
      preSamples: pre,
      postSamples: post,
      sos: sos4,
      chunkSamples: chunk,
    });
    const traces = Array.from({ length: ELECTRODES }, (_, e) =>
      sosfiltfiltColumn({ sos: sos4, column: Float32Array.from({ length: samples }, (_, t) => data[t * ELECTRODES + e]) }),
    );
    const expected = directEimage(traces, [2041], pre, post, samples);
    const scale = maxAbs(expected);
    result.units.get("u")!.eimage.data.forEach((value, k) => expect(Math.abs(value - expected[k])).toBeLessThanOrEqual(scale * 2 ** -22));
  });

  it("a constant recording filters to ~0 (high-pass property)", async () => {
    const flat = new Int16Array(3000 * ELECTRODES).fill(1234);
    const result = await computeEimageStas({
      readSamples: readerOf(flat),
      sampleCount: 3000,
      gridShape: GRID,
      spikeSamples: { u: [100, 1500, 2900] },
      preSamples: 10,
      postSamples: 40,
      sos,
      chunkSamples: 700,
    });
    expect(maxAbs(result.units.get("u")!.eimage.data)).toBeLessThan(1e-6);
  });
});

describe("computeEimageStas — grids wider than one band and not a multiple of four", () => {
  it("every electrode equals its own whole-trace filtering (270 electrodes: bands of 256, quadruples, leftovers)", async () => {
    const [rows, columns] = [3, 90];
    const electrodes = rows * columns;
    const samples = 1600;
    const random = seeded(9);
    const data = Float32Array.from({ length: samples * electrodes }, (_, i) => Math.round(300 * Math.sin(i / 977) + 50 * (random() - 0.5)) + (i % electrodes));
    const spike = 700;
    const result = await computeEimageStas({
      readSamples: ({ start, end }) => data.subarray(start * electrodes, end * electrodes),
      sampleCount: samples,
      gridShape: [rows, columns],
      spikeSamples: { u: [spike] },
      preSamples: 2,
      postSamples: 3,
      sos,
      chunkSamples: 400,
    });
    const eimage = result.units.get("u")!.eimage.data;
    for (let e = 0; e < electrodes; e++) {
      const column = Float32Array.from({ length: samples }, (_, t) => data[t * electrodes + e]);
      const filtered = sosfiltfiltColumn({ sos, column });
      const scale = maxAbs(filtered.subarray(spike - 2, spike + 3));
      for (let t = 0; t < 5; t++) {
        expect(Math.abs(eimage[t * electrodes + e] - filtered[spike - 2 + t])).toBeLessThanOrEqual(scale * 2 ** -22 + 1e-9);
      }
    }
  });
});

describe("computeEimageStas — other cases", () => {
  const samples = 2000;
  const data = makeRecording(samples, [500, 1500]);

  it("without a filter subtracts each electrode's mean over the analysed samples", async () => {
    const result = await computeEimageStas({
      readSamples: readerOf(data),
      sampleCount: samples,
      gridShape: GRID,
      spikeSamples: { u: [500, 1500] },
      preSamples: 5,
      postSamples: 5,
      chunkSamples: 600,
    });
    const traces = Array.from({ length: ELECTRODES }, (_, e) => Float64Array.from({ length: samples }, (_, t) => data[t * ELECTRODES + e]));
    const means = traces.map((trace) => trace.reduce((a, b) => a + b, 0) / samples);
    const raw = directEimage(traces, [500, 1500], 5, 5, samples);
    const eimage = result.units.get("u")!.eimage.data;
    eimage.forEach((value, k) => expect(value).toBeCloseTo(raw[k] - means[k % ELECTRODES], 3));
    expect(result.overlapSamples).toBe(0);
  });

  it("gives NaN for a unit without usable spikes, and uses the 65 × 65 grid by default", async () => {
    const grid = new Int16Array(100 * 4225);
    const result = await computeEimageStas({
      readSamples: ({ start, end }) => grid.subarray(start * 4225, end * 4225),
      sampleCount: 100,
      spikeSamples: { none: [1, 99], empty: [] },
      preSamples: 10,
      postSamples: 40,
      sos,
      chunkSamples: 50,
    });
    const none = result.units.get("none")!;
    expect(none.eimage.shape).toEqual([50, 65, 65]);
    expect(none.eimage.data).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(none.eimage.data[0])).toBe(true);
    expect([none.nSpikesUsed, none.nSpikesExcluded]).toEqual([0, 2]);
    expect(result.units.get("empty")!.nSpikesExcluded).toBe(0);
  });

  it("rejects bad windows, chunk sizes and readers that return the wrong amount of data", async () => {
    const base = { readSamples: readerOf(data), sampleCount: samples, gridShape: GRID, spikeSamples: { u: [500] }, sos };
    await expect(computeEimageStas({ ...base, preSamples: -1, postSamples: 40 })).rejects.toThrow(/Invalid window/);
    await expect(computeEimageStas({ ...base, preSamples: 0, postSamples: 0 })).rejects.toThrow(ConfigurationError);
    await expect(computeEimageStas({ ...base, preSamples: 10, postSamples: 40, chunkSamples: 0 })).rejects.toThrow(/chunkSamples/);
    await expect(
      computeEimageStas({ ...base, readSamples: () => new Float32Array(7), preSamples: 10, postSamples: 40 }),
    ).rejects.toThrow(/returned 7 values/);
  });

  it("reports progress once per chunk", async () => {
    const seen: number[] = [];
    await computeEimageStas({
      readSamples: readerOf(data),
      sampleCount: samples,
      gridShape: GRID,
      spikeSamples: { u: [500] },
      preSamples: 10,
      postSamples: 40,
      sos,
      chunkSamples: 500,
      onProgress: ({ chunksDone, chunkCount }) => seen.push(chunksDone / chunkCount),
    });
    expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it("settles after ⌈ln 1e-12 / ln r⌉ samples: 1244 for the default filter, more for a lower cutoff", () => {
    expect(settlingSamples(createFiltfiltPlan({ sos }))).toBe(1244);
    const low = designButterworthHighpass({ order: 2, cutoffHz: 10, samplingRateHz: 20000 });
    expect(settlingSamples(createFiltfiltPlan({ sos: low }))).toBeGreaterThan(10000);
  });
});

describe("computeEimageStas — WebAssembly band kernel", () => {
  it("gives exactly the results of the plain loops (270 electrodes: full bands and a partial last band)", async () => {
    const [rows, columns] = [3, 90];
    const electrodes = rows * columns;
    const samples = 5000;
    const random = seeded(21);
    const data = Float32Array.from({ length: samples * electrodes }, (_, i) => Math.round(400 * Math.sin(i / 1313) + 80 * (random() - 0.5)));
    const run = (useWebAssembly: boolean) =>
      computeEimageStas({
        readSamples: ({ start, end }) => data.subarray(start * electrodes, end * electrodes),
        sampleCount: samples,
        gridShape: [rows, columns],
        spikeSamples: { a: [10, 999, 1000, 1001, 2500, 4960], b: [3000], none: [] },
        preSamples: 10,
        postSamples: 40,
        sos,
        chunkSamples: 1000,
        useWebAssembly,
      });
    const [fast, plain] = [await run(true), await run(false)];
    for (const id of ["a", "b", "none"]) {
      const x = fast.units.get(id)!;
      const y = plain.units.get(id)!;
      expect([x.nSpikesUsed, x.nSpikesExcluded]).toEqual([y.nSpikesUsed, y.nSpikesExcluded]);
      expect(Buffer.from(x.eimage.data.buffer).equals(Buffer.from(y.eimage.data.buffer))).toBe(true);
    }
  });
});
