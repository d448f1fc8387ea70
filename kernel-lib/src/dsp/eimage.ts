/**
 * Electrical-image STA (reference §3.2 with the fixes of §9 #6/#7): for each unit, the mean high-pass-filtered
 * sensor movie (window × rows × columns) around its spikes, streamed over the sensor data in bounded chunks.
 *
 * Differences from the reference, as decided in §9 #6: spikes near chunk boundaries are kept (each chunk is
 * filtered with enough overlap that its samples equal whole-trace filtering to float32 precision), the mean is
 * divided by the spikes actually used, and the result is float32. Choosing spikes (IncludePeak, spike limit,
 * µs → sample rounding) is the caller's job: pass sample indices.
 *
 * Overlap: scipy's `sosfiltfilt` is an IIR filter run forwards and backwards, so a chunk filtered on its own
 * starts from the wrong state. That error decays like r^n with the filter's largest pole radius r; each chunk is
 * therefore filtered with `overlapSamples = ⌈ln(1e-12) / ln r⌉` extra samples on both sides (1 244 samples for
 * the order-2, 100 Hz, 20 kHz default), and only its middle is used. At the recording's first and last samples
 * the chunk reaches the true ends, where the padding is exactly scipy's.
 *
 * Speed: the usual single-biquad filter runs in a WebAssembly SIMD kernel (`eimage-bands.ts`), by default on every
 * core (`eimage-pool.ts`: each worker thread owns a part of the grid, so the results do not depend on the thread
 * count); other filters, and engines without WebAssembly SIMD, take the plain loops below — all bit-identical.
 */
import * as os from "os";
import { ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import { createBandAccumulator, type BandAccumulator, type SensorBlockArray, type UnitMeans } from "./eimage-bands";
import { createWorkerBandAccumulator } from "./eimage-pool";
import { createFiltfiltPlan, FiltfiltPlan, runFiltfilt } from "./filtfilt";
import { messages } from "./messages";
import type { SosSection } from "./sos";

/** Reads samples [start, end) of all electrodes, sample-major: (end − start) × electrodes values. */
export type SensorSampleReader = (range: { start: number; end: number }) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Options of {@link computeEimageStas}. */
export interface EimageStaOptions {
  /** Source of the sensor data (e.g. slices of `/Acquisition/Sensor Data/SensorData 1 1`, cast from int16). */
  readSamples: SensorSampleReader;
  /** Number of samples analysed, from sample 0 (the reference's `total_samples`). */
  sampleCount: number;
  /** Electrode grid `[rows, columns]`; default `[65, 65]`. */
  gridShape?: readonly [number, number];
  /** Spike sample indices per unit id. Spikes outside [0, sampleCount) are ignored. */
  spikeSamples: ReadonlyMap<string, ArrayLike<number>> | Readonly<Record<string, ArrayLike<number>>>;
  /** Samples before each spike (the reference's `-window_range[0]`, default 10). */
  preSamples: number;
  /** Samples from the spike on (the reference's `window_range[1]`, default 40). */
  postSamples: number;
  /** The high-pass filter (from `designButterworthHighpass`); omit to skip filtering and subtract each electrode's mean instead. */
  sos?: readonly SosSection[];
  /** Samples per chunk (memory grows with it: about (chunk + 2·overlap) × electrodes × 4 bytes plus the reader's block). Default 20 000. */
  chunkSamples?: number;
  /** Use the WebAssembly SIMD kernel for the single-biquad filter when available (default true). */
  useWebAssembly?: boolean;
  /**
   * Threads that filter with the WebAssembly kernel, each over its own part of the grid (the results do not depend
   * on it). Default: the machine's cores (at most 4) from 0.2 s of full-chip data on (sampleCount × electrodes ≥
   * 16.9 M), else 1 (this thread only). Readers whose blocks are views of a SharedArrayBuffer spare one copy of
   * every block (and the memory for it).
   */
  threads?: number;
  /**
   * Factors the means are multiplied by, one per electrode (e.g. µV per ADC count when the blocks are raw counts:
   * filtering and averaging are linear). Each mean is rounded to float32 first, so the result equals scaling the
   * float32 eimage afterwards. Default: none.
   */
  electrodeScale?: ArrayLike<number>;
  /** Called after every chunk with the number of chunks done and the total. */
  onProgress?: (progress: { chunksDone: number; chunkCount: number }) => void;
}

/** One unit's eimage. */
export interface EimageStaResult {
  /** (preSamples + postSamples) × rows × columns, float32; NaN everywhere when no spike was usable. */
  eimage: NdArray<Float32Array>;
  /** Spikes whose whole window lies inside the analysed samples. */
  nSpikesUsed: number;
  /** Spikes inside the analysed samples whose window reaches past the recording's first or last sample. */
  nSpikesExcluded: number;
}

/** Result of {@link computeEimageStas}. */
export interface EimageStas {
  units: Map<string, EimageStaResult>;
  /**
   * Milliseconds spent filtering (the reference's `filter_time_seconds` × 1000); with worker threads, the time this
   * call waited for them, which excludes their work overlapping the reading of the next block.
   */
  filterMs: number;
  chunkCount: number;
  /** Extra samples filtered on each side of a chunk. */
  overlapSamples: number;
  /** Threads that filtered: worker threads, or 1 (this thread) when no worker could start or none was asked for. */
  threads: number;
}

/**
 * Streams the sensor data chunk by chunk, high-pass filters every electrode (zero phase, scipy's `sosfiltfilt`
 * up to float32 precision), and averages the windows `[s − preSamples, s + postSamples)` of each unit's spikes.
 * Memory stays bounded by the chunk size; accumulators take units × window × electrodes × 8 bytes.
 *
 * @throws ConfigurationError for a bad window, chunk size or data size.
 */
export async function computeEimageStas(options: EimageStaOptions): Promise<EimageStas> {
  const { readSamples, sampleCount, preSamples, postSamples } = options;
  const [gridRows, gridColumns] = options.gridShape ?? [65, 65];
  const electrodes = gridRows * gridColumns;
  const windowSamples = preSamples + postSamples;
  if (!Number.isInteger(preSamples) || !Number.isInteger(postSamples) || preSamples < 0 || postSamples < 0 || windowSamples < 1) {
    throw new ConfigurationError(messages.invalidWindow(preSamples, postSamples));
  }
  if (!Number.isInteger(sampleCount) || sampleCount < 0) {
    throw new ConfigurationError(messages.nonNegativeFinite("sampleCount (an integer)", sampleCount));
  }
  const plan = options.sos === undefined ? undefined : createFiltfiltPlan({ sos: options.sos });
  const chunkSamples = options.chunkSamples ?? 20_000;
  if (!Number.isInteger(chunkSamples) || chunkSamples < 1) {
    throw new ConfigurationError(messages.positiveInteger("chunkSamples", chunkSamples));
  }
  const overlapSamples = plan === undefined ? 0 : settlingSamples(plan);
  const scale = options.electrodeScale;
  if (scale !== undefined && scale.length !== electrodes) throw new ConfigurationError(messages.electrodeScaleLength(scale.length, electrodes));
  const threads = options.threads ?? (sampleCount * electrodes >= EIMAGE_THREADS_MIN_VALUES ? Math.min(4, availableCores()) : 1);
  if (!Number.isInteger(threads) || threads < 1) throw new ConfigurationError(messages.positiveInteger("threads", threads));

  const unitIds: string[] = [];
  const windowStarts: Float64Array[] = [];
  const considered: number[] = [];
  for (const [unitId, spikes] of entriesOf(options.spikeSamples)) {
    const starts: number[] = [];
    let inside = 0;
    for (let i = 0; i < spikes.length; i++) {
      const s = spikes[i];
      if (!(s >= 0 && s < sampleCount)) continue;
      inside++;
      if (Number.isInteger(s) && s - preSamples >= 0 && s + postSamples <= sampleCount) starts.push(s - preSamples);
    }
    unitIds.push(unitId);
    windowStarts.push(Float64Array.from(starts).sort());
    considered.push(inside);
  }

  const slab = windowSamples * electrodes;
  const chunkCount = Math.ceil(sampleCount / chunkSamples);
  const maxRows = Math.min(sampleCount, chunkSamples + windowSamples + 2 * overlapSamples);
  let bandAccumulator: BandAccumulator | undefined;
  let sums: Float64Array[] = [];
  let bandSums: UnitMeans | undefined;
  const electrodeTotals = plan === undefined ? new Float64Array(electrodes) : undefined;
  const cursors = new Int32Array(unitIds.length);
  let filterMs = 0;
  let threadsUsed = 1;
  const kernelWanted = plan !== undefined && plan.sectionCount === 1 && options.useWebAssembly !== false;
  const shape = { plan: plan!, electrodes, windowSamples, unitCount: unitIds.length, maxRows };
  // Worker threads start (and map their memory) while the first block is read.
  // Threads that cannot start leave the work to this one.
  const workersStarting = kernelWanted && threads > 1 ? createWorkerBandAccumulator({ ...shape, threads }).catch(() => undefined) : Promise.resolve(undefined);
  try {
    for (let c = 0; c < chunkCount; c++) {
      const chunkStart = c * chunkSamples;
      const chunkEnd = Math.min(chunkStart + chunkSamples, sampleCount);
      // Windows starting in [chunkStart, chunkEnd) reach up to chunkEnd + window − 1; the overlap lets the filter settle.
      const blockStart = Math.max(0, chunkStart - overlapSamples);
      const blockEnd = Math.min(sampleCount, chunkEnd + windowSamples + overlapSamples);
      const rows = blockEnd - blockStart;
      const raw = await readSamples({ start: blockStart, end: blockEnd });
      if (raw.length !== rows * electrodes) {
        throw new ConfigurationError(messages.providerShape(blockStart, blockEnd, raw.length, rows * electrodes));
      }
      // This chunk's windows per unit, as block rows.
      const chunkStarts = windowStarts.map((starts, u) => {
        let i = cursors[u];
        const from = i;
        while (i < starts.length && starts[i] < chunkEnd) i++;
        cursors[u] = i;
        return starts.subarray(from, i).map((start) => start - blockStart);
      });
      if (c === 0) {
        // The kernel holds blocks as int16 or float32, so it takes float32 and 16- and 8-bit blocks (the readers'
        // types) as they are; other blocks go through the plain loops. The choice is made on the first block.
        const exact = raw instanceof Float32Array || raw instanceof Int16Array || raw instanceof Uint16Array || raw instanceof Int8Array || raw instanceof Uint8Array;
        if (kernelWanted && exact) {
          bandAccumulator = await workersStarting;
          if (bandAccumulator !== undefined) threadsUsed = bandAccumulator.threads;
          bandAccumulator ??= createBandAccumulator(shape);
        } else {
          await (await workersStarting)?.close();
        }
        if (bandAccumulator === undefined) sums = unitIds.map(() => new Float64Array(slab));
      }
      if (bandAccumulator !== undefined) {
        if (rows <= plan!.padLength) throw new ConfigurationError(messages.signalTooShort(rows, plan!.padLength));
        const started = Date.now();
        // Resolves once the block has been copied; worker threads may still be filtering it while the next is read.
        await bandAccumulator.addBlock(raw as SensorBlockArray, rows, raw instanceof Float32Array, chunkStarts, chunkStart - blockStart);
        filterMs += Date.now() - started;
      } else {
        let block: ArrayLike<number>;
        if (plan !== undefined) {
          const started = Date.now();
          block = filterBlock(plan, raw, rows, electrodes);
          filterMs += Date.now() - started;
        } else {
          block = raw;
          // Totals over each sample exactly once: the chunk's own samples.
          for (let r = chunkStart - blockStart; r < chunkEnd - blockStart; r++) {
            for (let e = 0; e < electrodes; e++) electrodeTotals![e] += raw[r * electrodes + e];
          }
        }
        chunkStarts.forEach((starts, u) => {
          const sum = sums[u];
          for (let i = 0; i < starts.length; i++) {
            const from = starts[i] * electrodes;
            for (let k = 0; k < slab; k++) sum[k] += block[from + k];
          }
        });
      }
      options.onProgress?.({ chunksDone: c + 1, chunkCount });
    }
    if (bandAccumulator !== undefined) {
      const started = Date.now();
      bandSums = await bandAccumulator.finish(
        windowStarts.map((starts) => starts.length),
        scale,
      );
      filterMs += Date.now() - started;
    }
  } finally {
    // Also when the first read failed before the workers were taken over.
    if (bandAccumulator === undefined) await (await workersStarting)?.close();
    await bandAccumulator?.close();
  }

  const units = new Map<string, EimageStaResult>();
  unitIds.forEach((unitId, u) => {
    const used = windowStarts[u].length;
    const eimage = new Float32Array(slab);
    if (used === 0) {
      eimage.fill(NaN);
    } else if (bandSums !== undefined) {
      bandSums(u, eimage);
    } else {
      const sum = sums[u];
      for (let k = 0; k < slab; k++) {
        const mean = electrodeTotals === undefined ? 0 : electrodeTotals[k % electrodes] / sampleCount;
        eimage[k] = sum[k] / used - mean;
        if (scale !== undefined) eimage[k] *= scale[k % electrodes];
      }
    }
    units.set(unitId, {
      eimage: new NdArray(eimage, [windowSamples, gridRows, gridColumns]),
      nSpikesUsed: used,
      nSpikesExcluded: considered[u] - used,
    });
  });
  return { units, filterMs, chunkCount, overlapSamples, threads: threadsUsed };
}

/** Sample values (samples × electrodes) from which the default is to filter on every core: 0.2 s of the full chip. */
const EIMAGE_THREADS_MIN_VALUES = 4000 * 4225;

function availableCores(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/**
 * Samples after which a start-up error of the filter has decayed by 1e-12: ⌈ln(1e-12) / ln r⌉ with r the
 * largest pole radius of the sections (at least the pad length).
 */
export function settlingSamples(plan: FiltfiltPlan): number {
  let radius = 0;
  for (let s = 0; s < plan.sectionCount; s++) {
    const a1 = plan.coefficients[6 * s + 4];
    const a2 = plan.coefficients[6 * s + 5];
    const discriminant = a1 * a1 - 4 * a2;
    const r =
      discriminant < 0
        ? Math.sqrt(a2)
        : Math.max(Math.abs((-a1 + Math.sqrt(discriminant)) / 2), Math.abs((-a1 - Math.sqrt(discriminant)) / 2));
    radius = Math.max(radius, r);
  }
  if (radius <= 0) return plan.padLength;
  if (radius >= 1) throw new ConfigurationError(messages.unstableFilter(radius));
  return Math.max(plan.padLength, Math.ceil(Math.log(1e-12) / Math.log(radius)));
}

/**
 * Zero-phase filters every electrode of a (rows × electrodes) block with exactly the per-sample arithmetic of
 * `sosfiltfilt` (float64), and returns float32.
 *
 * An IIR filter is a chain of dependent multiply-adds, so one trace at a time leaves the processor waiting. For
 * the usual single biquad, four neighbouring electrodes are filtered together, interleaved in a small scratch
 * buffer, with their states in local variables: four independent chains run side by side. Other filters, and the
 * electrodes left over, go one trace at a time.
 */
function filterBlock(plan: FiltfiltPlan, raw: ArrayLike<number>, rows: number, electrodes: number): Float32Array {
  if (rows <= plan.padLength) throw new ConfigurationError(messages.signalTooShort(rows, plan.padLength));
  const out = new Float32Array(rows * electrodes);
  const pad = plan.padLength;
  const float32Padding = raw instanceof Float32Array;
  const extRows = rows + 2 * pad;
  let firstSingle = 0;
  if (plan.sectionCount === 1) {
    // A band of neighbouring electrodes is copied out row by row (sequential reads), regrouped four by four so
    // each quadruple's samples are contiguous, filtered, and copied back the same way.
    const fast = electrodes - (electrodes % 4);
    const quadLength = extRows * 4;
    const band = new Float64Array(quadLength * (BAND / 4));
    for (let bandStart = 0; bandStart < fast; bandStart += BAND) {
      const width = Math.min(BAND, fast - bandStart);
      for (let r0 = 0; r0 < rows; r0 += TILE_ROWS) {
        const r1 = Math.min(rows, r0 + TILE_ROWS);
        for (let q = 0; q < width; q += 4) {
          let to = q * extRows + (pad + r0) * 4;
          for (let r = r0, from = r0 * electrodes + bandStart + q; r < r1; r++, from += electrodes, to += 4) {
            band[to] = raw[from];
            band[to + 1] = raw[from + 1];
            band[to + 2] = raw[from + 2];
            band[to + 3] = raw[from + 3];
          }
        }
      }
      for (let q = 0; q < width / 4; q++) {
        filterFourInterleaved(plan, band.subarray(q * quadLength, (q + 1) * quadLength), 4, 0, rows, float32Padding);
      }
      for (let r0 = 0; r0 < rows; r0 += TILE_ROWS) {
        const r1 = Math.min(rows, r0 + TILE_ROWS);
        for (let q = 0; q < width; q += 4) {
          let from = q * extRows + (pad + r0) * 4;
          for (let r = r0, to = r0 * electrodes + bandStart + q; r < r1; r++, to += electrodes, from += 4) {
            out[to] = band[from];
            out[to + 1] = band[from + 1];
            out[to + 2] = band[from + 2];
            out[to + 3] = band[from + 3];
          }
        }
      }
    }
    firstSingle = fast;
  }
  // Filters without the fast path, and the electrodes after the last quadruple, go one trace at a time.
  const single = new Float64Array(extRows);
  for (let e = firstSingle; e < electrodes; e++) {
    runFiltfilt(plan, raw, e, electrodes, rows, float32Padding, single);
    for (let r = 0; r < rows; r++) out[r * electrodes + e] = single[pad + r];
  }
  return out;
}

/** Electrodes copied out together (a multiple of 4): 512 bytes of int16 per sample row. */
const BAND = 256;
/** Rows copied per tile, so a tile of the band stays in cache while it is regrouped. */
const TILE_ROWS = 64;

/**
 * `padOddAndFilter` for one biquad and the four traces in columns [column, column + 4) of a row-major buffer of
 * `width` columns (same arithmetic per trace).
 */
function filterFourInterleaved(
  plan: FiltfiltPlan,
  ext: Float64Array,
  width: number,
  column: number,
  length: number,
  float32Padding: boolean,
): void {
  const pad = plan.padLength;
  const n = length + 2 * pad;
  for (let c = column; c < column + 4; c++) {
    const twoFirst = 2 * ext[pad * width + c];
    const twoLast = 2 * ext[(pad + length - 1) * width + c];
    for (let j = 0; j < pad; j++) {
      const left = twoFirst - ext[(2 * pad - j) * width + c];
      const right = twoLast - ext[(pad + length - 2 - j) * width + c];
      ext[j * width + c] = float32Padding ? Math.fround(left) : left;
      ext[(pad + length + j) * width + c] = float32Padding ? Math.fround(right) : right;
    }
  }
  const co = plan.coefficients;
  const b0 = co[0], b1 = co[1], b2 = co[2], a1 = co[4], a2 = co[5];
  const zi0 = plan.zi[0], zi1 = plan.zi[1];
  for (let pass = 0; pass < 2; pass++) {
    const forward = pass === 0;
    const start = (forward ? 0 : n - 1) * width + column;
    const step = forward ? width : -width;
    let p0 = zi0 * ext[start], q0 = zi1 * ext[start];
    let p1 = zi0 * ext[start + 1], q1 = zi1 * ext[start + 1];
    let p2 = zi0 * ext[start + 2], q2 = zi1 * ext[start + 2];
    let p3 = zi0 * ext[start + 3], q3 = zi1 * ext[start + 3];
    for (let i = 0, k = start; i < n; i++, k += step) {
      const x0 = ext[k], x1 = ext[k + 1], x2 = ext[k + 2], x3 = ext[k + 3];
      const y0 = b0 * x0 + p0;
      const y1 = b0 * x1 + p1;
      const y2 = b0 * x2 + p2;
      const y3 = b0 * x3 + p3;
      p0 = b1 * x0 - a1 * y0 + q0;
      p1 = b1 * x1 - a1 * y1 + q1;
      p2 = b1 * x2 - a1 * y2 + q2;
      p3 = b1 * x3 - a1 * y3 + q3;
      q0 = b2 * x0 - a2 * y0;
      q1 = b2 * x1 - a2 * y1;
      q2 = b2 * x2 - a2 * y2;
      q3 = b2 * x3 - a2 * y3;
      ext[k] = y0;
      ext[k + 1] = y1;
      ext[k + 2] = y2;
      ext[k + 3] = y3;
    }
  }
}

function entriesOf<T>(source: ReadonlyMap<string, T> | Readonly<Record<string, T>>): Array<[string, T]> {
  return source instanceof Map ? [...source.entries()] : Object.entries(source as Record<string, T>);
}
