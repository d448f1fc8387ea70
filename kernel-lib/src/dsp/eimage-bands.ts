/**
 * The fast path of the eimage for the usual single-biquad filter: each sensor block is processed in bands of 16
 * neighbouring electrodes inside the WebAssembly kernel (`eimage-kernel.ts`):
 *
 *   copy the block into kernel memory tile by tile, regrouped band-major → per band: gather (float32 → float64, time-major, 16 lanes) → odd
 *   extension → forward pass → backward pass (rounded to float32) → add every spike window of every unit
 *   straight from the band buffer into that band's accumulators
 *
 * A band's filter buffer (about 2.9 MB for a 1 s block) and accumulators stay in cache while they are used, where
 * filtering whole electrode columns would stream the block through memory again for every step. The last band
 * reads past the last electrode into the next row (or a zeroed tail); those lanes are never read back. Reading a
 * band straight from the time-major block would touch a new memory page every row, which no prefetcher follows.
 * @internal
 */
import type { FiltfiltPlan } from "./filtfilt";
import { createEimageKernel, type EimageKernel } from "./eimage-kernel";

/** Electrodes per band (lanes of 16 float64 = one 128-byte row). */
const BAND = 16;
const ROW_BYTES = BAND * 8;
/** Rows copied into kernel memory at a time before they are regrouped band by band. */
const TILE_ROWS = 128;

/** Accumulates unit windows over sensor blocks; undefined when the kernel is unavailable. */
export interface BandAccumulator {
  /** Filters `raw` (rows × electrodes, sample-major) and adds the windows starting at `starts[u]` (block rows). */
  addBlock(raw: Float32Array | Int16Array | Uint16Array | Int8Array | Uint8Array, rows: number, float32Padding: boolean, starts: readonly ArrayLike<number>[], firstNeededRow: number): void;
  /** Unit u's sums, window × electrodes, sample-major. */
  sumsOf(u: number): Float64Array;
}

/** Creates the accumulator for `unitCount` units, or undefined without WebAssembly SIMD. */
export function createBandAccumulator(options: {
  plan: FiltfiltPlan;
  electrodes: number;
  windowSamples: number;
  unitCount: number;
  maxRows: number;
}): BandAccumulator | undefined {
  const { plan, electrodes, windowSamples, unitCount, maxRows } = options;
  const pad = plan.padLength;
  const bands = Math.ceil(electrodes / BAND);
  // Staging tile (rows copied in from JavaScript) → band-major float32 block → one band at a time in float64.
  const stagingBytes = align(TILE_ROWS * electrodes * 4 + 64);
  const bandStride = align(maxRows * 64);
  const blockOffset = stagingBytes;
  const extOffset = blockOffset + bands * bandStride;
  const extBytes = align((maxRows + 2 * pad) * ROW_BYTES);
  const stateOffset = extOffset + extBytes;
  const accOffset = stateOffset + 2 * ROW_BYTES;
  const unitBytes = windowSamples * ROW_BYTES;
  const accBytes = bands * unitCount * unitBytes;
  const pairsOffset = accOffset + accBytes;
  const kernel = createEimageKernel({ bytes: pairsOffset + 65536 });
  if (kernel === undefined) return undefined;
  const k: EimageKernel = kernel;
  const [b0, b1, b2, , a1, a2] = Array.from(plan.coefficients.subarray(0, 6));
  const zi0 = plan.zi[0];
  const zi1 = plan.zi[1];

  return {
    addBlock(raw, rows, float32Padding, starts, firstNeededRow) {
      let pairCount = 0;
      for (const s of starts) pairCount += s.length;
      k.ensure(pairsOffset + pairCount * 8 + 64);
      const buffer = k.memory.buffer;
      const staging = new Float32Array(buffer, 0, TILE_ROWS * electrodes + BAND);
      const source = raw;
      for (let r0 = 0; r0 < rows; r0 += TILE_ROWS) {
        const r1 = Math.min(rows, r0 + TILE_ROWS);
        staging.set(source.subarray(r0 * electrodes, r1 * electrodes));
        staging.fill(0, (r1 - r0) * electrodes, (r1 - r0) * electrodes + BAND);
        k.regroup(0, r1 - r0, electrodes * 4, bands, blockOffset + r0 * 64, bandStride);
      }
      const pairs = new Int32Array(buffer, pairsOffset, pairCount * 2);
      let p = 0;
      starts.forEach((unitStarts, u) => {
        for (let i = 0; i < unitStarts.length; i++) {
          pairs[p++] = extOffset + (pad + unitStarts[i]) * ROW_BYTES;
          pairs[p++] = accOffset + u * unitBytes;
        }
      });
      const total = rows + 2 * pad;
      const ext = new Float64Array(buffer, extOffset, total * BAND);
      const state = new Float64Array(buffer, stateOffset, 2 * BAND);
      const firstBackwardRow = Math.max(0, pad + firstNeededRow);
      for (let band = 0; band < bands; band++) {
        k.gather(blockOffset + band * bandStride, 64, rows, extOffset + pad * ROW_BYTES, ROW_BYTES);
        for (let c = 0; c < BAND; c++) {
          const twoFirst = 2 * ext[pad * BAND + c];
          const twoLast = 2 * ext[(pad + rows - 1) * BAND + c];
          for (let j = 0; j < pad; j++) {
            const left = twoFirst - ext[(2 * pad - j) * BAND + c];
            const right = twoLast - ext[(pad + rows - 2 - j) * BAND + c];
            ext[j * BAND + c] = float32Padding ? Math.fround(left) : left;
            ext[(pad + rows + j) * BAND + c] = float32Padding ? Math.fround(right) : right;
          }
          state[c] = zi0 * ext[c];
          state[BAND + c] = zi1 * ext[c];
        }
        k.forward(extOffset, total, ROW_BYTES, stateOffset, b0, b1, b2, a1, a2);
        for (let c = 0; c < BAND; c++) {
          const last = ext[(total - 1) * BAND + c];
          state[c] = zi0 * last;
          state[BAND + c] = zi1 * last;
        }
        // Rows before the first window are never read: the backward pass stops there.
        k.backward(extOffset + firstBackwardRow * ROW_BYTES, total - firstBackwardRow, ROW_BYTES, stateOffset, b0, b1, b2, a1, a2);
        if (pairCount > 0) k.accumulate(pairsOffset, pairsOffset + pairCount * 8, unitBytes, band * unitCount * unitBytes);
      }
    },
    sumsOf(u) {
      const acc = new Float64Array(k.memory.buffer, accOffset, bands * unitCount * windowSamples * BAND);
      const out = new Float64Array(windowSamples * electrodes);
      for (let band = 0; band < bands; band++) {
        const width = Math.min(BAND, electrodes - band * BAND);
        const base = (band * unitCount + u) * windowSamples * BAND;
        for (let t = 0; t < windowSamples; t++) {
          for (let c = 0; c < width; c++) out[t * electrodes + band * BAND + c] = acc[base + t * BAND + c];
        }
      }
      return out;
    },
  };
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
