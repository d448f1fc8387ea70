import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ensureBuiltPackage, KERNEL_LIB_DIR } from "../test-support/built-package";
import { designButterworthHighpass } from "./butterworth";
import { computeEimageStas, type EimageStaOptions, type EimageStas } from "./eimage";

const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 });

function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/** 270 electrodes = 16 full bands and a partial 17th, so ranges split inside the grid and end in a partial band. */
const [ROWS, COLUMNS] = [3, 90];
const ELECTRODES = ROWS * COLUMNS;
const SAMPLES = 7000;
const random = seeded(33);
const values = Float32Array.from({ length: SAMPLES * ELECTRODES }, (_, i) => Math.round(500 * Math.sin(i / 1777) + 90 * (random() - 0.5)));
const spikeSamples = {
  a: [10, 999, 1000, 1001, 1999, 2000, 2050, 3500, 6960],
  b: [1500, 4000, 4001],
  c: Array.from({ length: 40 }, (_, i) => 100 + i * 170),
  none: [],
};

function sharedCopy<T extends Float32Array | Int16Array>(data: T): T {
  const out = new (data.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(data.byteLength));
  out.set(data);
  return out;
}

async function run(data: Float32Array | Int16Array, threads: number, extra: Partial<EimageStaOptions> = {}): Promise<EimageStas> {
  return computeEimageStas({
    readSamples: ({ start, end }) => data.subarray(start * ELECTRODES, end * ELECTRODES),
    sampleCount: SAMPLES,
    gridShape: [ROWS, COLUMNS],
    spikeSamples,
    preSamples: 10,
    postSamples: 40,
    sos,
    chunkSamples: 1000,
    threads,
    ...extra,
  });
}

async function waitFor(condition: () => boolean): Promise<void> {
  // Thread exit is asynchronous after terminate() resolves; give the OS a moment.
  for (let i = 0; i < 50 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

function expectIdentical(x: EimageStas, y: EimageStas): void {
  expect(y.threads).toBe(1);
  expect(x.threads).toBeGreaterThan(1);
  expect([...x.units.keys()]).toEqual([...y.units.keys()]);
  for (const [id, unit] of x.units) {
    const other = y.units.get(id)!;
    expect([unit.nSpikesUsed, unit.nSpikesExcluded]).toEqual([other.nSpikesUsed, other.nSpikesExcluded]);
    expect(Buffer.from(unit.eimage.data.buffer).equals(Buffer.from(other.eimage.data.buffer))).toBe(true);
  }
}

describe("computeEimageStas on worker threads", () => {
  it("gives the single-thread results bit for bit (2 and 3 threads; blocks in shared memory or copied there)", async () => {
    const single = await run(values, 1);
    expect(single.units.get("a")!.nSpikesUsed).toBe(9);
    expectIdentical(await run(values, 2), single);
    expectIdentical(await run(sharedCopy(values), 2), single);
    const three = await run(sharedCopy(values), 3);
    expect(three.threads).toBe(3);
    expectIdentical(three, single);
  });

  it("takes int16 blocks as they are, also on worker threads", async () => {
    const int16 = Int16Array.from(values);
    const single = await run(int16, 1);
    expectIdentical(await run(sharedCopy(int16), 2), single);
    expectIdentical(await run(int16, 2), single);
  });

  it("multiplies the float32 means by electrodeScale (per electrode) in every path: workers, one thread, plain loops", async () => {
    const int16 = Int16Array.from(values);
    const scale = Float64Array.from({ length: ELECTRODES }, (_, e) => 0.195 + e / 997);
    for (const extra of [{ threads: 2 }, { threads: 1 }, { threads: 1, useWebAssembly: false }]) {
      const plain = await run(int16, extra.threads, extra);
      const scaled = await run(sharedCopy(int16), extra.threads, { ...extra, electrodeScale: scale });
      for (const [id, unit] of plain.units) {
        const expected = unit.eimage.data.map((value, k) => value * scale[k % ELECTRODES]);
        const got = scaled.units.get(id)!.eimage.data;
        if (unit.nSpikesUsed === 0) expect(got.every(Number.isNaN)).toBe(true);
        else expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      }
    }
    await expect(run(int16, 1, { electrodeScale: [1, 2] })).rejects.toThrow(/electrodeScale has 2 factors but the grid has 270/);
  });

  it("ends its threads when done, and when the reader fails part-way (the error reaches the caller)", async () => {
    // Linux lists a process's threads in /proc/self/task; worker threads are among them while they run.
    const threadCount = () => fs.readdirSync("/proc/self/task").length;
    await run(values, 1);
    const before = threadCount();
    const done = await run(sharedCopy(values), 3);
    expect(done.threads).toBe(3);
    await waitFor(() => threadCount() <= before);
    let reads = 0;
    const failing = run(values, 2, {
      readSamples: ({ start, end }) => {
        if (++reads === 3) throw new RangeError("disk gone");
        return values.subarray(start * ELECTRODES, end * ELECTRODES);
      },
    });
    await expect(failing).rejects.toThrow("disk gone");
    await waitFor(() => threadCount() <= before);
    expect(threadCount()).toBeLessThanOrEqual(before);
  });

  it("float64 blocks (not exact in the kernel's float32) take the plain loops in this thread, with the same result", async () => {
    const float64 = Float64Array.from(values);
    const read = (threads: number) =>
      computeEimageStas({
        readSamples: ({ start, end }) => float64.subarray(start * ELECTRODES, end * ELECTRODES),
        sampleCount: SAMPLES,
        gridShape: [ROWS, COLUMNS],
        spikeSamples,
        preSamples: 10,
        postSamples: 40,
        sos,
        chunkSamples: 1000,
        threads,
      });
    const [asked, single] = [await read(2), await read(1)];
    expect(asked.threads).toBe(1);
    for (const [id, unit] of asked.units) {
      expect(Buffer.from(unit.eimage.data.buffer).equals(Buffer.from(single.units.get(id)!.eimage.data.buffer))).toBe(true);
    }
  });

  it("rejects a thread count that is not a positive integer", async () => {
    await expect(run(values, 0)).rejects.toThrow(/threads/);
    await expect(run(values, 1.5)).rejects.toThrow(/threads/);
  });
});

describe("eimage worker threads from the built package (plain Node, CommonJS dist)", () => {
  it("start from dist and give the single-thread results bit for bit", () => {
    ensureBuiltPackage();
    const script = `
      const { computeEimageStas, designButterworthHighpass } = require(${JSON.stringify(path.join(KERNEL_LIB_DIR, "dist"))});
      const [rows, columns, samples] = [${ROWS}, ${COLUMNS}, 3000];
      const electrodes = rows * columns;
      const data = new Float32Array(new SharedArrayBuffer(samples * electrodes * 4));
      for (let i = 0; i < data.length; i++) data[i] = Math.round(300 * Math.sin(i / 911)) + (i % 17);
      const run = (threads) => computeEimageStas({
        readSamples: ({ start, end }) => data.subarray(start * electrodes, end * electrodes),
        sampleCount: samples, gridShape: [rows, columns], spikeSamples: { a: [10, 999, 1000, 2500], b: [1200] },
        preSamples: 10, postSamples: 40, chunkSamples: 1000, threads,
        sos: designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 }),
      });
      (async () => {
        const [x, y] = [await run(2), await run(1)];
        const same = ["a", "b"].every((id) => Buffer.from(x.units.get(id).eimage.data.buffer).equals(Buffer.from(y.units.get(id).eimage.data.buffer)));
        console.log(JSON.stringify({ same, threads: [x.threads, y.threads], used: x.units.get("a").nSpikesUsed }));
      })();`;
    const output = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(JSON.parse(output)).toEqual({ same: true, threads: [2, 1], used: 4 });
  });
});
