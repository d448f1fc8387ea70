/**
 * The fast path of the eimage for the usual single-biquad filter: each sensor block is processed in bands of 16
 * neighbouring electrodes inside the WebAssembly kernel (`eimage-kernel.ts`):
 *
 *   copy the block into kernel memory tile by tile, regrouped band-major → per band: odd extension → forward pass
 *   reading the band's rows (int16 counts or float32 → float64, 16 lanes) → backward pass (rounded to float32) → add every
 *   spike window of every unit straight from the band buffer into that band's accumulators, in start-row order
 *
 * A band's filter buffer (about 2.9 MB for a 1 s block) and accumulators stay in cache while they are used, where
 * filtering whole electrode columns would stream the block through memory again for every step. Reading a band
 * straight from the time-major block would touch a new memory page every row, which no prefetcher follows.
 *
 * A {@link BandRange} owns a contiguous range of bands with its own kernel memory, so that several of them can run
 * side by side in worker threads (`eimage-pool.ts`); {@link createBandAccumulator} is the single-thread version.
 * Every band's arithmetic is the same whichever range or thread holds it, so the results are identical.
 * @internal
 */
import type { FiltfiltPlan } from "./filtfilt";
import { createEimageKernel, type EimageKernel } from "./eimage-kernel";

/** Electrodes per band (lanes of 16 float64 = one 128-byte row). */
export const BAND = 16;
const ROW_BYTES = BAND * 8;
/** Rows copied into kernel memory at a time before they are regrouped band by band. */
const TILE_ROWS = 128;

/** Sample-major sensor blocks the kernel takes as they are (their values are exact in float32). */
export type SensorBlockArray = Float32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** What a band range needs to know; plain data, so it can be posted to a worker. */
export interface BandRangeOptions {
  /** `coefficients` (first section), `zi` and `padLength` of the filter. */
  plan: Pick<FiltfiltPlan, "coefficients" | "zi" | "padLength">;
  electrodes: number;
  firstBand: number;
  bandCount: number;
  windowSamples: number;
  unitCount: number;
  /** The longest block (rows) that will be staged. */
  maxRows: number;
  /** The compiled kernel to instantiate (a worker is given the caller's); default: compile or reuse this thread's. */
  module?: object;
}

/** A contiguous range of bands with its kernel, block copy and accumulators. */
export interface BandRange {
  /** Copies this range's electrodes of `raw` (rows × electrodes, sample-major) into the kernel, band-major. */
  stage(raw: SensorBlockArray, rows: number): void;
  /**
   * Filters the staged block and adds the windows listed in `windows` — (block row of the window start, unit)
   * pairs — into the accumulators. Rows before `firstNeededRow` are not filtered backwards (no window reads them).
   */
  filter(rows: number, float32Padding: boolean, windows: Int32Array, firstNeededRow: number): void;
  /** The sums: band × unit × window × 16 lanes (float64), bands of this range in order; a view of kernel memory. */
  sums(): Float64Array;
  /**
   * Writes sum / counts[u] (rounded to float32, then times `scale[e]` when given) of this range's electrodes e
   * for every unit with a nonzero count into `out`, unit u's
   * window × electrodes values from u × window × electrodes on (float32).
   */
  writeMeans(out: Float32Array, counts: ArrayLike<number>, scale?: ArrayLike<number>): void;
}

/** Bands needed for `electrodes` electrodes. */
export function bandCountOf(electrodes: number): number {
  return Math.ceil(electrodes / BAND);
}

/** Creates a band range, or undefined without WebAssembly SIMD. */
export function createBandRange(options: BandRangeOptions): BandRange | undefined {
  const { plan, electrodes, firstBand, bandCount, windowSamples, unitCount, maxRows } = options;
  const pad = plan.padLength;
  // Tiles are staged as whole rows, however few bands the range has: one copy per tile costs less than one per
  // row of the range's part. The last band reads past the last electrode, into the next row or the zeroed tail;
  // those lanes are never read back.
  const stagingBytes = align(TILE_ROWS * electrodes * 4 + BAND * 4);
  // Room for float32 rows (64 bytes); int16 rows use the first half of it.
  const bandStride = align(maxRows * 64);
  const blockOffset = stagingBytes;
  const extOffset = blockOffset + bandCount * bandStride;
  const extBytes = align((maxRows + 2 * pad) * ROW_BYTES);
  const stateOffset = extOffset + extBytes;
  const accOffset = stateOffset + 2 * ROW_BYTES;
  const unitBytes = windowSamples * ROW_BYTES;
  const accBytes = bandCount * unitCount * unitBytes;
  const pairsOffset = accOffset + accBytes;
  const kernel = createEimageKernel({ bytes: pairsOffset + 65536, module: options.module });
  if (kernel === undefined) return undefined;
  const k: EimageKernel = kernel;
  // Written once now, so that its pages are mapped by writes: the accumulation reads each sum before writing it,
  // and a first read maps the shared zero page, which the write then has to replace — a second fault, and in a
  // process with several threads a TLB flush on every core. Measured: 3–4× the cost of this fill.
  new Float64Array(k.memory.buffer, accOffset, accBytes / 8).fill(0);
  const [b0, b1, b2, , a1, a2] = Array.from(plan.coefficients.subarray(0, 6));
  const zi0 = plan.zi[0];
  const zi1 = plan.zi[1];
  // The type of the block staged last: int16 bands hold 32 bytes per row, float32 bands 64.
  let stagedInt16 = false;

  return {
    stage(raw, rows) {
      // int16 counts (the .cmcr's own type) stay int16 — staged by a plain copy, regrouped into half the bytes,
      // converted exactly by the forward pass; other types are converted to float32 by the staging copy.
      stagedInt16 = raw instanceof Int16Array;
      const Staging = stagedInt16 ? Int16Array : Float32Array;
      const bytes = Staging.BYTES_PER_ELEMENT;
      const staging = new Staging(k.memory.buffer, 0, TILE_ROWS * electrodes + BAND);
      const regroup = stagedInt16 ? k.regroup16 : k.regroup;
      for (let r0 = 0; r0 < rows; r0 += TILE_ROWS) {
        const r1 = Math.min(rows, r0 + TILE_ROWS);
        staging.set(raw.subarray(r0 * electrodes, r1 * electrodes));
        staging.fill(0, (r1 - r0) * electrodes, (r1 - r0) * electrodes + BAND);
        regroup(firstBand * BAND * bytes, r1 - r0, electrodes * bytes, bandCount, blockOffset + r0 * BAND * bytes, bandStride);
      }
    },
    filter(rows, float32Padding, windows, firstNeededRow) {
      const pairCount = windows.length / 2;
      k.ensure(pairsOffset + pairCount * 8 + 64);
      const buffer = k.memory.buffer;
      const pairs = new Int32Array(buffer, pairsOffset, pairCount * 2);
      for (let p = 0; p < pairCount; p++) {
        pairs[2 * p] = extOffset + (pad + windows[2 * p]) * ROW_BYTES;
        pairs[2 * p + 1] = accOffset + windows[2 * p + 1] * unitBytes;
      }
      const total = rows + 2 * pad;
      const ext = new Float64Array(buffer, extOffset, total * BAND);
      const block = stagedInt16 ? new Int16Array(buffer, blockOffset, (bandCount * bandStride) / 2) : new Float32Array(buffer, blockOffset, (bandCount * bandStride) / 4);
      const forwardFrom = stagedInt16 ? k.forwardFrom16 : k.forwardFrom;
      const state = new Float64Array(buffer, stateOffset, 2 * BAND);
      const firstBackwardRow = Math.max(0, pad + firstNeededRow);
      for (let band = 0; band < bandCount; band++) {
        // The odd extension from the band's rows (row r, lane c at base + 16 r + c).
        const base = (band * bandStride) / block.BYTES_PER_ELEMENT;
        for (let c = 0; c < BAND; c++) {
          const twoFirst = 2 * block[base + c];
          const twoLast = 2 * block[base + (rows - 1) * BAND + c];
          for (let j = 0; j < pad; j++) {
            const left = twoFirst - block[base + (pad - j) * BAND + c];
            const right = twoLast - block[base + (rows - 2 - j) * BAND + c];
            ext[j * BAND + c] = float32Padding ? Math.fround(left) : left;
            ext[(pad + rows + j) * BAND + c] = float32Padding ? Math.fround(right) : right;
          }
          state[c] = zi0 * ext[c];
          state[BAND + c] = zi1 * ext[c];
        }
        if (pad > 0) k.forward(extOffset, pad, stateOffset, b0, b1, b2, a1, a2);
        forwardFrom(blockOffset + band * bandStride, extOffset + pad * ROW_BYTES, rows, stateOffset, b0, b1, b2, a1, a2);
        if (pad > 0) k.forward(extOffset + (pad + rows) * ROW_BYTES, pad, stateOffset, b0, b1, b2, a1, a2);
        for (let c = 0; c < BAND; c++) {
          const last = ext[(total - 1) * BAND + c];
          state[c] = zi0 * last;
          state[BAND + c] = zi1 * last;
        }
        // Rows before the first window are never read: the backward pass stops there.
        k.backward(extOffset + firstBackwardRow * ROW_BYTES, total - firstBackwardRow, stateOffset, b0, b1, b2, a1, a2);
        if (pairCount > 0) k.accumulate(pairsOffset, pairsOffset + pairCount * 8, unitBytes, band * unitCount * unitBytes);
      }
    },
    sums() {
      return new Float64Array(k.memory.buffer, accOffset, accBytes / 8);
    },
    writeMeans(out, counts, scale) {
      const sums = new Float64Array(k.memory.buffer, accOffset, accBytes / 8);
      const slab = windowSamples * electrodes;
      for (let u = 0; u < unitCount; u++) {
        if (counts[u] > 0) writeUnitMeans(sums, { firstBand, electrodes, windowSamples, unitCount }, u, out, u * slab, counts[u], scale);
      }
    },
  };
}

/** Accumulates unit windows over sensor blocks, in this thread or in worker threads. */
export interface BandAccumulator {
  /** Threads filtering (1 = the caller's). */
  readonly threads: number;
  /**
   * Filters `raw` (rows × electrodes, sample-major) and adds the windows starting at `starts[u]` (block rows).
   * Resolves once `raw` has been copied and may be overwritten; the filtering may still be running then.
   */
  addBlock(raw: SensorBlockArray, rows: number, float32Padding: boolean, starts: readonly ArrayLike<number>[], firstNeededRow: number): Promise<void>;
  /**
   * Waits for every block; the function then writes unit u's means (its sums divided by `counts[u]` > 0, rounded
   * to float32, then times `scale[e]` per electrode when given) into `out` (window × electrodes, sample-major), one
   * unit at a time.
   */
  finish(counts: ArrayLike<number>, scale?: ArrayLike<number>): Promise<UnitMeans>;
  /** Releases threads and memory; safe to call more than once. */
  close(): Promise<void>;
}

/** The options of a whole grid's accumulator. */
export interface BandAccumulatorOptions {
  plan: FiltfiltPlan;
  electrodes: number;
  windowSamples: number;
  unitCount: number;
  maxRows: number;
}

/** The single-thread accumulator over every band, or undefined without WebAssembly SIMD. */
export function createBandAccumulator(options: BandAccumulatorOptions): BandAccumulator | undefined {
  const { electrodes, windowSamples, unitCount } = options;
  const range = createBandRange({ ...options, firstBand: 0, bandCount: bandCountOf(electrodes) });
  if (range === undefined) return undefined;
  return {
    threads: 1,
    async addBlock(raw, rows, float32Padding, starts, firstNeededRow) {
      range.stage(raw, rows);
      range.filter(rows, float32Padding, windowPairs(starts), firstNeededRow);
    },
    async finish(counts, scale) {
      const sums = range.sums();
      return (u, out) => writeUnitMeans(sums, { firstBand: 0, electrodes, windowSamples, unitCount }, u, out, 0, counts[u], scale);
    },
    async close() {},
  };
}

/**
 * (window start row, unit) pairs in order of the start row, so that the accumulation sweeps the band buffer once
 * from top to bottom (neighbouring windows overlap and are still in cache). Each unit's windows stay in spike
 * order, which is the order its sums are added in.
 */
export function windowPairs(starts: readonly ArrayLike<number>[]): Int32Array {
  let count = 0;
  for (const s of starts) count += s.length;
  const order = new Float64Array(count);
  let p = 0;
  // Start rows are below 2^31 and units below 2^21: one float64 key sorts by row, then unit, exactly.
  starts.forEach((unitStarts, u) => {
    for (let i = 0; i < unitStarts.length; i++) order[p++] = unitStarts[i] * 2 ** 21 + u;
  });
  order.sort();
  const pairs = new Int32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const row = Math.floor(order[i] / 2 ** 21);
    pairs[2 * i] = row;
    pairs[2 * i + 1] = order[i] - row * 2 ** 21;
  }
  return pairs;
}

/** Writes unit u's means into `out` (window × electrodes, sample-major). */
export type UnitMeans = (u: number, out: Float32Array) => void;

/**
 * Unit u's sums of one range divided by `count` (and rounded to float32, then times the electrode's `scale` when
 * given: the same values as scaling the float32 means afterwards), into `out` from `offset` on (window ×
 * electrodes, sample-major).
 */
function writeUnitMeans(
  sums: Float64Array,
  shape: { firstBand: number; electrodes: number; windowSamples: number; unitCount: number },
  u: number,
  out: Float32Array,
  offset: number,
  count: number,
  scale?: ArrayLike<number>,
): void {
  const { firstBand, electrodes, windowSamples, unitCount } = shape;
  const bandCount = sums.length / (unitCount * windowSamples * BAND);
  for (let b = 0; b < bandCount; b++) {
    const first = offset + (firstBand + b) * BAND;
    const width = Math.min(BAND, electrodes - (firstBand + b) * BAND);
    const base = (b * unitCount + u) * windowSamples * BAND;
    for (let t = 0; t < windowSamples; t++) {
      const to = first + t * electrodes;
      const from = base + t * BAND;
      if (scale === undefined) {
        for (let c = 0; c < width; c++) out[to + c] = sums[from + c] / count;
      } else {
        const e = (firstBand + b) * BAND;
        for (let c = 0; c < width; c++) out[to + c] = Math.fround(sums[from + c] / count) * scale[e + c];
      }
    }
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
