import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, DataLoadError } from "../errors";
import { buildCmcr, writeH5 } from "../test-support/mcs-fixtures";
import { openSensorCounts, readAnalogChannel, readCmcrInfo, readSensorScale, readSensorWindow, sensorChunks, sensorCountChunks } from "./cmcr-reader";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** raw[t][x][y] = 100·t + 10·x + y, so every value tells where it came from. */
function rampRaw(t: number, x: number, y: number): Int16Array {
  const raw = new Int16Array(t * x * y);
  for (let a = 0; a < t; a++) for (let b = 0; b < x; b++) for (let c = 0; c < y; c++) raw[(a * x + b) * y + c] = 100 * a + 10 * b + c;
  return raw;
}

describe("readSensorWindow / sensorChunks", () => {
  it("converts to µV as (raw − ADZero) · CF · 10^(Exponent+6), conversion factors in MATLAB order (X fastest)", async () => {
    const file = path.join(dir, "conv.cmcr");
    // 2 columns (X) × 3 rows (Y); factors listed with X varying fastest: (x0,y0) (x1,y0) (x0,y1) (x1,y1) …
    await writeH5(file, buildCmcr({ raw: rampRaw(4, 2, 3), shape: [4, 2, 3], region: { left: 5, top: 7 }, conversionFactors: "100 200 300 400 500 600 ", exponent: -9, adZero: 3 }));
    const window = await readSensorWindow({ cmcrPath: file, startSample: 1, endSample: 3 });
    expect(window.shape).toEqual([2, 2, 3]);
    expect(window.columns).toEqual([5, 6]);
    expect(window.rows).toEqual([7, 9]);
    const cf = (x: number, y: number) => [100, 200, 300, 400, 500, 600][x + 2 * y];
    for (let t = 0; t < 2; t++) {
      for (let x = 0; x < 2; x++) {
        for (let y = 0; y < 3; y++) {
          const raw = 100 * (t + 1) + 10 * x + y;
          expect(window.data[(t * 2 + x) * 3 + y]).toBeCloseTo((raw - 3) * cf(x, y) * 1e-3, 3);
        }
      }
    }
  });

  it("selects rows and columns in chip coordinates, and chunks add up to the whole window", async () => {
    const file = path.join(dir, "grid.cmcr");
    await writeH5(file, buildCmcr({ raw: rampRaw(50, 4, 5), shape: [50, 4, 5], region: { left: 11, top: 21 } }));
    const sub = await readSensorWindow({ cmcrPath: file, startSample: 10, endSample: 12, rows: [22, 23], columns: [13, 13] });
    expect(sub.shape).toEqual([2, 1, 2]);
    // x = 13 − 11 = 2, y = 1, 2; µV = raw · 0.5
    expect(Array.from(sub.data)).toEqual([1021, 1022, 1121, 1122].map((raw) => raw * 0.5));
    const whole = await readSensorWindow({ cmcrPath: file, startSample: 0, endSample: 50 });
    const pieces: Float32Array[] = [];
    for await (const chunk of sensorChunks({ cmcrPath: file, chunkSamples: 7 })) pieces.push(chunk.data);
    expect(pieces).toHaveLength(8);
    const joined = new Float32Array(whole.data.length);
    let offset = 0;
    for (const piece of pieces) {
      joined.set(piece, offset);
      offset += piece.length;
    }
    expect(Array.from(joined)).toEqual(Array.from(whole.data));
  });

  it("raw counts with the selection's scale give the µV window, for the whole grid and a sub-grid", async () => {
    const file = path.join(dir, "counts.cmcr");
    await writeH5(file, buildCmcr({ raw: rampRaw(20, 2, 3), shape: [20, 2, 3], region: { left: 5, top: 7 }, conversionFactors: "100 200 300 400 500 600 ", exponent: -9, adZero: 3 }));
    expect((await readCmcrInfo({ cmcrPath: file })).sensor?.int16Samples).toBe(true);
    for (const selection of [{}, { rows: [8, 9] as [number, number], columns: [6, 6] as [number, number] }]) {
      const microvolts = await readSensorWindow({ cmcrPath: file, startSample: 0, endSample: 20, ...selection });
      const scale = await readSensorScale({ cmcrPath: file, ...selection });
      const counts: number[] = [];
      for await (const chunk of sensorCountChunks({ cmcrPath: file, chunkSamples: 6, ...selection })) {
        expect(chunk.data).toBeInstanceOf(Int16Array);
        counts.push(...chunk.data);
      }
      expect(counts).toHaveLength(microvolts.data.length);
      const electrodes = scale.factors.length;
      counts.forEach((count, i) => expect(microvolts.data[i]).toBeCloseTo((count - scale.adZero) * scale.factors[i % electrodes], 4));
    }
  });

  it("reads counts straight from the file for contiguous and whole-frame chunks, through HDF5 otherwise — same values", async () => {
    const raw = rampRaw(23, 4, 5);
    const cases: Array<{ name: string; chunks?: [number, number, number]; gzip?: boolean; direct: boolean }> = [
      { name: "contiguous", direct: true },
      { name: "whole-frame chunks, partial last", chunks: [5, 4, 5], direct: true },
      { name: "chunks splitting the frame", chunks: [5, 2, 5], direct: false },
      { name: "gzip", chunks: [5, 4, 5], gzip: true, direct: false },
    ];
    for (const { name, chunks, gzip, direct } of cases) {
      const file = path.join(dir, `${name.replace(/\W+/g, "-")}.cmcr`);
      await writeH5(file, buildCmcr({ raw, shape: [23, 4, 5], chunks, gzip }));
      const stream = await openSensorCounts({ cmcrPath: file });
      try {
        expect([name, stream.directFileReads]).toEqual([name, direct]);
        expect(stream.frameShape).toEqual([4, 5]);
        // Ranges across chunk boundaries, a single frame, the last frame, and everything.
        for (const [a, b] of [[3, 12], [7, 8], [22, 23], [0, 23]]) {
          const target = new Int16Array((b - a) * 20);
          stream.readInto(a, b, target);
          expect(Array.from(target)).toEqual(Array.from(raw.subarray(a * 20, b * 20)));
        }
        expect(() => stream.readInto(20, 24, new Int16Array(80))).toThrow(ConfigurationError);
      } finally {
        stream.close();
      }
    }
  });

  it("rejects windows outside the data with ConfigurationError", async () => {
    const file = path.join(dir, "grid.cmcr");
    await expect(readSensorWindow({ cmcrPath: file, startSample: 40, endSample: 51 })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(readSensorWindow({ cmcrPath: file, startSample: 0, endSample: 1, rows: [20, 22] })).rejects.toThrow(/row range \[20, 22\]/);
    const chunks = sensorChunks({ cmcrPath: file, chunkSamples: 0 });
    await expect(chunks.next()).rejects.toBeInstanceOf(ConfigurationError);
  });

  it("refuses µV conversion without SensorMeta", async () => {
    const file = path.join(dir, "nometa.cmcr");
    await writeH5(file, buildCmcr({ raw: rampRaw(3, 2, 2), shape: [3, 2, 2], sensorMeta: false }));
    const error = await readSensorWindow({ cmcrPath: file, startSample: 0, endSample: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLoadError);
    expect((error as Error).message).toMatch(/SensorMeta/);
  });
});

describe("readAnalogChannel / readCmcrInfo", () => {
  it("reads channel 1 (row 0) and channel 2 (row 1) of ChannelData 1", async () => {
    const file = path.join(dir, "analog.cmcr");
    const analog = new Int32Array(2 * 6);
    for (let i = 0; i < 6; i++) {
      analog[i] = 1000 + i;
      analog[6 + i] = 2000 + i;
    }
    await writeH5(file, buildCmcr({ raw: rampRaw(6, 1, 1), shape: [6, 1, 1], analog }));
    expect(Array.from((await readAnalogChannel({ cmcrPath: file, channel: 1 })).data)).toEqual([1000, 1001, 1002, 1003, 1004, 1005]);
    expect(Array.from((await readAnalogChannel({ cmcrPath: file, channel: 2, startSample: 2, endSample: 4 })).data)).toEqual([2002, 2003]);
    await expect(readAnalogChannel({ cmcrPath: file, channel: 3 })).rejects.toThrow(/channels 1…2/);
    const info = await readCmcrInfo({ cmcrPath: file });
    expect(info.recordingDurationUs).toBe(300);
    expect(info.analog?.sampleCount).toBe(6);
    expect(info.sensor?.samplingRateHz).toBe(20_000);
  });

  it("rejects a .cmcr without analog data with a DataLoadError", async () => {
    const file = path.join(dir, "noanalog.cmcr");
    await writeH5(file, buildCmcr({ raw: rampRaw(3, 1, 1), shape: [3, 1, 1] }));
    expect((await readCmcrInfo({ cmcrPath: file })).analog).toBeNull();
    const error = await readAnalogChannel({ cmcrPath: file, channel: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLoadError);
    expect((error as DataLoadError).filePath).toBe(file);
    expect((error as Error).message).toMatch(/Analog Data\/ChannelData 1/);
  });

  it("rejects a truncated .cmcr and a wrong extension", async () => {
    const good = path.join(dir, "big.cmcr");
    await writeH5(good, buildCmcr({ raw: rampRaw(2000, 4, 4), shape: [2000, 4, 4] }));
    const cut = path.join(dir, "cut.cmcr");
    fs.writeFileSync(cut, fs.readFileSync(good).subarray(0, 20_000));
    const error = await readCmcrInfo({ cmcrPath: cut }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLoadError);
    expect((error as Error).message).toMatch(/truncated or damaged/);
    await expect(readCmcrInfo({ cmcrPath: path.join(dir, "x.cmtr") })).rejects.toThrow(/Expected a \.cmcr file/);
    expect((await readCmcrInfo({ cmcrPath: good })).sensor?.sampleCount).toBe(2000);
  });
});
