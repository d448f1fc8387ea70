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

  it("accumulate adds float64 runs for each (source, destination) pair, shifted by dstAdd", () => {
    const k = kernel!;
    const values = new Float64Array(k.memory.buffer, 0, 64);
    values.forEach((_, i) => (values[i] = i + 0.25));
    const sums = new Float64Array(k.memory.buffer, 1024, 16).fill(1);
    const pairs = new Int32Array(k.memory.buffer, 2048, 6);
    pairs.set([0, 1024 - 64, 8 * 8, 1024 - 64, 16 * 8, 1024]);
    k.accumulate(2048, 2048 + 24, 32, 64);
    expect(Array.from(sums.subarray(0, 4))).toEqual([1 + 0.25 + 8.25, 1 + 1.25 + 9.25, 1 + 2.25 + 10.25, 1 + 3.25 + 11.25]);
    expect(Array.from(sums.subarray(8, 12))).toEqual([17.25, 18.25, 19.25, 20.25]);
    expect(sums[4]).toBe(1);
  });
});
