import { describe, expect, it } from "vitest";
import { designButterworthHighpass } from "./butterworth";
import { createEimageKernel } from "./eimage-kernel";
import { createFiltfiltPlan, padOddAndFilter } from "./filtfilt";

const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 });

describe("eimage WebAssembly kernel", () => {
  const kernel = createEimageKernel({ bytes: 1 << 20 });

  it("is available in this Node (WebAssembly SIMD)", () => {
    expect(kernel).toBeDefined();
  });

  it("gather + forward + backward equal padOddAndFilter per trace, bit for bit after the float32 cast", () => {
    const k = kernel!;
    const plan = createFiltfiltPlan({ sos });
    const [electrodes, width, rows, first] = [10, 6, 300, 3];
    const pad = plan.padLength;
    const src = 0;
    const ext = 65536;
    const state = 262144;
    const raw = new Float32Array(k.memory.buffer, src, rows * electrodes);
    for (let i = 0; i < raw.length; i++) raw[i] = Math.fround(200 * Math.sin(i * 0.37) + (i % electrodes) * 30 + ((i * 7919) % 13));
    k.gather(src + first * 4, electrodes * 4, rows, ext + pad * width * 8, width * 8);
    const band = new Float64Array(k.memory.buffer, ext, (rows + 2 * pad) * width);
    for (let c = 0; c < width; c++) {
      const twoFirst = 2 * band[pad * width + c];
      const twoLast = 2 * band[(pad + rows - 1) * width + c];
      for (let j = 0; j < pad; j++) {
        band[j * width + c] = Math.fround(twoFirst - band[(2 * pad - j) * width + c]);
        band[(pad + rows + j) * width + c] = Math.fround(twoLast - band[(pad + rows - 2 - j) * width + c]);
      }
    }
    const z = new Float64Array(k.memory.buffer, state, 2 * width);
    const [b0, b1, b2, , a1, a2] = sos[0];
    const total = rows + 2 * pad;
    for (let c = 0; c < width; c++) [z[c], z[width + c]] = [plan.zi[0] * band[c], plan.zi[1] * band[c]];
    k.forward(ext, total, width * 8, state, b0, b1, b2, a1, a2);
    for (let c = 0; c < width; c++) [z[c], z[width + c]] = [plan.zi[0] * band[(total - 1) * width + c], plan.zi[1] * band[(total - 1) * width + c]];
    k.backward(ext, total, width * 8, state, b0, b1, b2, a1, a2);
    for (let c = 0; c < width; c++) {
      const trace = new Float64Array(total);
      for (let r = 0; r < rows; r++) trace[pad + r] = raw[r * electrodes + first + c];
      padOddAndFilter(plan, trace, rows, true);
      for (let r = 0; r < rows; r++) expect(band[(pad + r) * width + c]).toBe(Math.fround(trace[pad + r]));
    }
  });

  it("forwardFrom (float32 source) equals gather + forward, bit for bit", () => {
    const k = kernel!;
    const [rows, width] = [200, 16];
    const [src, extA, extB, state] = [0, 65536, 131072, 262144];
    const raw = new Float32Array(k.memory.buffer, src, rows * (width / 2) * 2);
    raw.forEach((_, i) => (raw[i] = Math.fround(100 * Math.cos(i * 0.11) + (i % 7))));
    const [b0, b1, b2, , a1, a2] = sos[0];
    const z = new Float64Array(k.memory.buffer, state, 2 * width);
    z.fill(0.5);
    k.gather(src, width * 4, rows, extA, width * 8);
    k.forward(extA, rows, width * 8, state, b0, b1, b2, a1, a2);
    const zA = Float64Array.from(z);
    z.fill(0.5);
    k.forwardFrom(src, extB, rows, width * 8, state, b0, b1, b2, a1, a2);
    const a = new Float64Array(k.memory.buffer, extA, rows * width);
    const b = new Float64Array(k.memory.buffer, extB, rows * width);
    expect(Buffer.from(b.slice().buffer).equals(Buffer.from(a.slice().buffer))).toBe(true);
    expect(Array.from(z)).toEqual(Array.from(zA));
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
