import { describe, expect, it } from "vitest";
import { designButterworthHighpass } from "./butterworth";
import { createEimageKernel, type EimageKernel } from "./eimage-kernel";
import { createFiltfiltPlan, padOddAndFilter } from "./filtfilt";

const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 });

/**
 * Runs two biquad passes from the same filter state (all `start`), writing rows to extA and extB: the rows (not
 * all zero) and the final states must be bit-equal.
 */
function expectSamePasses(
  k: EimageKernel,
  at: { rows: number; extA: number; extB: number; state: number; start: number },
  [passA, passB]: [() => void, () => void],
): void {
  const z = new Float64Array(k.memory.buffer, at.state, 32);
  z.fill(at.start);
  passA();
  const zA = Float64Array.from(z);
  z.fill(at.start);
  passB();
  const a = new Float64Array(k.memory.buffer, at.extA, at.rows * 16);
  const b = new Float64Array(k.memory.buffer, at.extB, at.rows * 16);
  expect(Buffer.from(b.slice().buffer).equals(Buffer.from(a.slice().buffer))).toBe(true);
  expect(Array.from(z)).toEqual(Array.from(zA));
  expect(a.some((v) => v !== 0)).toBe(true);
}

describe("eimage WebAssembly kernel", () => {
  const kernel = createEimageKernel({ bytes: 1 << 20 });

  it("is available in this Node (WebAssembly SIMD)", () => {
    expect(kernel).toBeDefined();
  });

  it("regroup + forwardFrom + forward (padding) + backward equal padOddAndFilter per trace, bit for bit after the float32 cast", () => {
    const k = kernel!;
    const plan = createFiltfiltPlan({ sos });
    // 20 electrodes: one full band (electrodes 0…15) and one partial band whose lanes past 19 read the next row.
    const [electrodes, rows, bands] = [20, 300, 2];
    const pad = plan.padLength;
    const [src, block, ext, state] = [0, 65536, 262144, 786432];
    const bandStride = rows * 64;
    const raw = new Float32Array(k.memory.buffer, src, rows * electrodes + 16);
    for (let i = 0; i < rows * electrodes; i++) raw[i] = Math.fround(200 * Math.sin(i * 0.37) + (i % electrodes) * 30 + ((i * 7919) % 13));
    k.regroup(src, rows, electrodes * 4, bands, block, bandStride);
    const [b0, b1, b2, , a1, a2] = sos[0];
    const total = rows + 2 * pad;
    for (let band = 0; band < bands; band++) {
      const f = new Float32Array(k.memory.buffer, block + band * bandStride, rows * 16);
      const e = new Float64Array(k.memory.buffer, ext, total * 16);
      const z = new Float64Array(k.memory.buffer, state, 32);
      for (let c = 0; c < 16; c++) {
        for (let j = 0; j < pad; j++) {
          e[j * 16 + c] = Math.fround(2 * f[c] - f[(pad - j) * 16 + c]);
          e[(pad + rows + j) * 16 + c] = Math.fround(2 * f[(rows - 1) * 16 + c] - f[(rows - 2 - j) * 16 + c]);
        }
        [z[c], z[16 + c]] = [plan.zi[0] * e[c], plan.zi[1] * e[c]];
      }
      k.forward(ext, pad, state, b0, b1, b2, a1, a2);
      k.forwardFrom(block + band * bandStride, ext + pad * 128, rows, state, b0, b1, b2, a1, a2);
      k.forward(ext + (pad + rows) * 128, pad, state, b0, b1, b2, a1, a2);
      for (let c = 0; c < 16; c++) [z[c], z[16 + c]] = [plan.zi[0] * e[(total - 1) * 16 + c], plan.zi[1] * e[(total - 1) * 16 + c]];
      k.backward(ext, total, state, b0, b1, b2, a1, a2);
      for (let c = 0; c < Math.min(16, electrodes - band * 16); c++) {
        const trace = new Float64Array(total);
        for (let r = 0; r < rows; r++) trace[pad + r] = raw[r * electrodes + band * 16 + c];
        padOddAndFilter(plan, trace, rows, true);
        for (let r = 0; r < rows; r++) expect(e[(pad + r) * 16 + c]).toBe(Math.fround(trace[pad + r]));
      }
    }
  });

  it("forwardFrom (float32 rows) equals forward over the same values as float64, state included", () => {
    const k = kernel!;
    const rows = 200;
    const [src, extA, extB, state] = [0, 65536, 131072, 262144];
    const raw = new Float32Array(k.memory.buffer, src, rows * 16);
    raw.forEach((_, i) => (raw[i] = Math.fround(100 * Math.cos(i * 0.11) + (i % 7))));
    const [b0, b1, b2, , a1, a2] = sos[0];
    new Float64Array(k.memory.buffer, extA, rows * 16).set(raw);
    expectSamePasses(k, { rows, extA, extB, state, start: 0.5 }, [
      () => k.forward(extA, rows, state, b0, b1, b2, a1, a2),
      () => k.forwardFrom(src, extB, rows, state, b0, b1, b2, a1, a2),
    ]);
  });

  it("regroup16 moves int16 rows into band-major order like regroup does float32 rows", () => {
    const k = kernel!;
    // 37 electrodes: two full bands and a partial third, whose lanes past 36 read the next row (or the tail).
    const [electrodes, rows, bands] = [37, 50, 3];
    const [src16, src32, dst16, dst32] = [0, 16384, 65536, 196608];
    const counts = new Int16Array(k.memory.buffer, src16, rows * electrodes + 16);
    counts.forEach((_, i) => (counts[i] = ((i * 7919) % 65536) - 32768));
    new Float32Array(k.memory.buffer, src32, rows * electrodes + 16).set(counts);
    k.regroup16(src16, rows, electrodes * 2, bands, dst16, rows * 32);
    k.regroup(src32, rows, electrodes * 4, bands, dst32, rows * 64);
    const moved = new Int16Array(k.memory.buffer, dst16, bands * rows * 16);
    const copied = new Float32Array(k.memory.buffer, dst32, bands * rows * 16);
    expect(Array.from(moved)).toEqual(Array.from(copied));
    expect(Math.min(...moved)).toBe(-32768);
  });

  it("forwardFrom16 (int16 rows) equals forwardFrom over the same values as float32, state included", () => {
    const k = kernel!;
    const rows = 200;
    const [src16, src32, extA, extB, state] = [0, 16384, 65536, 131072, 262144];
    const counts = new Int16Array(k.memory.buffer, src16, rows * 16 + 16);
    counts.forEach((_, i) => (counts[i] = Math.round(30000 * Math.sin(i * 0.013)) + (i % 5)));
    new Float32Array(k.memory.buffer, src32, rows * 16).set(counts.subarray(0, rows * 16));
    const [b0, b1, b2, , a1, a2] = sos[0];
    expectSamePasses(k, { rows, extA, extB, state, start: 0.25 }, [
      () => k.forwardFrom(src32, extA, rows, state, b0, b1, b2, a1, a2),
      () => k.forwardFrom16(src16, extB, rows, state, b0, b1, b2, a1, a2),
    ]);
  });

  it("accumulate adds float64 runs (whole 128-byte rows) for each (source, destination) pair, shifted by dstAdd", () => {
    const k = kernel!;
    const values = new Float64Array(k.memory.buffer, 0, 96);
    values.forEach((_, i) => (values[i] = i + 0.25));
    const sums = new Float64Array(k.memory.buffer, 4096, 64).fill(1);
    const pairs = new Int32Array(k.memory.buffer, 8192, 6);
    // Two runs of 32 values into sums[0…32), one into sums[16…48) (dstAdd = 64 bytes shifts every destination).
    pairs.set([0, 4096 - 64, 8 * 8, 4096 - 64, 32 * 8, 4096 + 128 - 64]);
    k.accumulate(8192, 8192 + 24, 256, 64);
    const expected = new Float64Array(64).fill(1);
    for (let i = 0; i < 32; i++) expected[i] += values[i] + values[8 + i];
    for (let i = 0; i < 32; i++) expected[16 + i] += values[32 + i];
    expect(Array.from(sums)).toEqual(Array.from(expected));
  });
});
