/**
 * The visual spike-triggered average of reference §3.7: for each valid spike, the movie frames
 * `[f + c0, f + c1)` around its frame f, averaged. A plain mean in stimulus units (0–255), no normalisation.
 *
 * Speed: a direct sum costs spikes × window × pixels (300 units × 3000 spikes × 60 × 225 ≈ 12·10⁹ additions).
 * Two exact shortcuts bring this down:
 * 1. Noise movies hold each pattern for several display frames, so most frames equal the previous one. We sum,
 *    per spike, the first window frame and then only the frame-to-frame *changes* that fall inside the window,
 *    and integrate the changes over the lags at the end (a prefix sum). Work drops by the hold factor (×4 for
 *    the 15 Hz noise shown at 60 Hz).
 * 2. The row additions run in a small WebAssembly SIMD kernel (`sta-kernel.ts`) on packed integer lanes: 8-bit
 *    lanes for a binary movie (two grey levels, summed as 0/1 and ±1), 16-bit lanes otherwise. Lanes are flushed
 *    into float64 sums before they can overflow. Without WebAssembly SIMD a plain loop does the same sums.
 * Both give exactly the integer sums of the direct method, so the means are identical to the reference's.
 */
import { ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import { floorFrameIndex } from "./frames";
import { messages } from "./messages";
import { SECTION_PADDING_FRAMES } from "./section-time";
import { createStaKernel, LaneBits, StaKernel } from "./sta-kernel";

/** Options of {@link prepareStaMovie}. */
export interface PrepareStaMovieOptions {
  /** Frames × height × width bytes in C order (e.g. the 10 800 × 15 × 15 dense-noise movie). */
  movie: Uint8Array;
  /** `[frames, height, width]`. */
  movieShape: readonly number[];
  /** Use the WebAssembly kernel when available (default true); false forces the plain loop. */
  useWebAssembly?: boolean;
}

/**
 * A movie prepared once for many STAs (its frame-to-frame changes and packed tables). Create it with
 * {@link prepareStaMovie}; reuse it for every unit and every cover range.
 */
export class StaMovie {
  readonly frameCount: number;
  readonly height: number;
  readonly width: number;
  /** The frames, frame-major (C order), one byte per pixel. */
  readonly data: Uint8Array;
  /** Frames that differ from the previous one, ascending. */
  private readonly changeFrames: Int32Array;
  /** For each frame g (and g = frameCount), the index in changeFrames of the first change frame ≥ g. */
  private readonly nextChange: Int32Array;
  private readonly engine: SimdEngine | undefined;

  /** @internal Use {@link prepareStaMovie}. */
  constructor(movie: Uint8Array, shape: readonly [number, number, number], useWebAssembly: boolean) {
    [this.frameCount, this.height, this.width] = shape;
    this.data = movie;
    const pixels = this.height * this.width;
    const changes: number[] = [];
    for (let g = 1; g < this.frameCount; g++) {
      const base = g * pixels;
      for (let p = 0; p < pixels; p++) {
        if (movie[base + p] !== movie[base - pixels + p]) {
          changes.push(g);
          break;
        }
      }
    }
    this.changeFrames = Int32Array.from(changes);
    this.nextChange = new Int32Array(this.frameCount + 1);
    for (let g = this.frameCount, next = changes.length; g >= 0; g--) {
      while (next > 0 && changes[next - 1] >= g) next--;
      this.nextChange[g] = next;
    }
    this.engine = useWebAssembly ? createSimdEngine(movie, this.frameCount, pixels, this.changeFrames) : undefined;
  }

  /** Whether the WebAssembly SIMD kernel is in use (false: plain loop). */
  get usesWebAssembly(): boolean {
    return this.engine !== undefined;
  }

  /** @internal Σ first window frame into sums[0], Σ changes entering at lag t into sums[t]; returns spikes used. */
  sumWindows(spikeFrames: ArrayLike<number>, c0: number, c1: number, sums: Float64Array): number {
    return this.engine !== undefined
      ? this.sumWithEngine(this.engine, spikeFrames, c0, c1, sums)
      : this.sumWithLoop(spikeFrames, c0, c1, sums);
  }

  private isValid(f: number, c0: number, c1: number): boolean {
    return Number.isInteger(f) && f + c0 >= 0 && f + c1 <= this.frameCount;
  }

  private sumWithLoop(spikeFrames: ArrayLike<number>, c0: number, c1: number, sums: Float64Array): number {
    const pixels = this.height * this.width;
    const { data, changeFrames, nextChange } = this;
    let used = 0;
    for (let i = 0; i < spikeFrames.length; i++) {
      const f = spikeFrames[i];
      if (!this.isValid(f, c0, c1)) continue;
      used++;
      const start = f + c0;
      const first = start * pixels;
      for (let p = 0; p < pixels; p++) sums[p] += data[first + p];
      for (let row = nextChange[start + 1]; row < changeFrames.length && changeFrames[row] < f + c1; row++) {
        const now = changeFrames[row] * pixels;
        const to = (changeFrames[row] - start) * pixels;
        for (let p = 0; p < pixels; p++) sums[to + p] += data[now + p] - data[now - pixels + p];
      }
    }
    return used;
  }

  private sumWithEngine(
    engine: SimdEngine,
    spikeFrames: ArrayLike<number>,
    c0: number,
    c1: number,
    sums: Float64Array,
  ): number {
    const windowFrames = c1 - c0;
    const pixels = this.height * this.width;
    const { rowBytes, flushEvery } = engine;
    const layout = engine.reserve(windowFrames);
    const { changeFrames, nextChange } = this;
    const pairs = new Int32Array(engine.kernel.memory.buffer, layout.pairsOffset, layout.pairCapacity * 2);
    const lanes = engine.laneView(layout.accumulatorOffset, windowFrames);
    const lanesPerRow = rowBytes / (engine.laneBits / 8);
    lanes.fill(0);
    // pending[t] = additions into accumulator row t since its last flush; a batch holds at most `limit` spikes,
    // and each spike adds at most once to each row, so no row exceeds flushEvery additions.
    const pending = new Int32Array(windowFrames);
    const raw = new Float64Array(windowFrames * pixels);
    let pairCount = 0;
    let spikesInBatch = 0;
    let limit = flushEvery;
    const flushRow = (t: number): void => {
      const from = t * lanesPerRow;
      const to = t * pixels;
      for (let p = 0; p < pixels; p++) raw[to + p] += lanes[from + p];
      lanes.fill(0, from, from + lanesPerRow);
      pending[t] = 0;
    };
    const runBatch = (final: boolean): void => {
      if (pairCount > 0) engine.kernel.accumulate(layout.pairsOffset, layout.pairsOffset + pairCount * 8, rowBytes);
      pairCount = 0;
      spikesInBatch = 0;
      let highest = 0;
      for (let t = 0; t < windowFrames; t++) {
        if (final || t === 0 || pending[t] * 2 > flushEvery) flushRow(t);
        else highest = Math.max(highest, pending[t]);
      }
      limit = flushEvery - highest;
    };
    let used = 0;
    for (let i = 0; i < spikeFrames.length; i++) {
      const f = spikeFrames[i];
      if (!this.isValid(f, c0, c1)) continue;
      used++;
      const start = f + c0;
      pairs[2 * pairCount] = engine.firstRowOffset + start * rowBytes;
      pairs[2 * pairCount + 1] = layout.accumulatorOffset;
      pairCount++;
      pending[0]++;
      for (let row = nextChange[start + 1]; row < changeFrames.length && changeFrames[row] < f + c1; row++) {
        const t = changeFrames[row] - start;
        pairs[2 * pairCount] = engine.changeRowOffset + row * rowBytes;
        pairs[2 * pairCount + 1] = layout.accumulatorOffset + t * rowBytes;
        pairCount++;
        pending[t]++;
      }
      if (++spikesInBatch === limit) runBatch(false);
    }
    runBatch(true);
    engine.restore(raw, used, sums);
    return used;
  }
}

/** Packed tables of a movie inside a WebAssembly memory, and how to read the accumulators back. */
interface SimdEngine {
  readonly kernel: StaKernel;
  readonly laneBits: LaneBits;
  readonly rowBytes: number;
  /** Additions a lane takes before it must be flushed. */
  readonly flushEvery: number;
  readonly firstRowOffset: number;
  readonly changeRowOffset: number;
  /** Makes room for the accumulator rows and the pair list of a window; returns their byte offsets. */
  reserve(windowFrames: number): { accumulatorOffset: number; pairsOffset: number; pairCapacity: number };
  laneView(byteOffset: number, rows: number): Int8Array | Int16Array;
  /** Turns lane sums back into grey-level sums. */
  restore(raw: Float64Array, used: number, sums: Float64Array): void;
}

function createSimdEngine(
  movie: Uint8Array,
  frameCount: number,
  pixels: number,
  changeFrames: Int32Array,
): SimdEngine | undefined {
  const levels = greyLevels(movie);
  // Binary movies: 0/1 first frames and −1/0/+1 changes in 8-bit lanes (127 additions fit). Otherwise grey levels
  // 0…255 and changes −255…255 in 16-bit lanes (128 · 255 < 2^15).
  const laneBits: LaneBits = levels !== undefined ? 8 : 16;
  const laneBytes = laneBits / 8;
  const flushEvery = laneBits === 8 ? 127 : 128;
  const rowBytes = Math.ceil((pixels * laneBytes) / 16) * 16;
  const tableBytes = (frameCount + changeFrames.length) * rowBytes;
  const kernel = createStaKernel({ laneBits, bytes: tableBytes + 65536 });
  if (kernel === undefined) return undefined;
  const firstRowOffset = 0;
  const changeRowOffset = frameCount * rowBytes;
  const level = (value: number): number => (levels === undefined ? value : value === levels.low ? 0 : 1);
  const table = laneBits === 8 ? new Int8Array(kernel.memory.buffer) : new Int16Array(kernel.memory.buffer);
  const lanesPerRow = rowBytes / laneBytes;
  for (let g = 0; g < frameCount; g++) {
    for (let p = 0; p < pixels; p++) table[g * lanesPerRow + p] = level(movie[g * pixels + p]);
  }
  changeFrames.forEach((g, row) => {
    const out = (frameCount + row) * lanesPerRow;
    for (let p = 0; p < pixels; p++) table[out + p] = level(movie[g * pixels + p]) - level(movie[(g - 1) * pixels + p]);
  });
  return {
    kernel,
    laneBits,
    rowBytes,
    flushEvery,
    firstRowOffset,
    changeRowOffset,
    reserve(windowFrames) {
      const accumulatorOffset = tableBytes;
      const pairsOffset = accumulatorOffset + windowFrames * rowBytes;
      const pairCapacity = flushEvery * windowFrames;
      const needed = pairsOffset + pairCapacity * 8;
      const have = kernel.memory.buffer.byteLength;
      if (needed > have) kernel.memory.grow(Math.ceil((needed - have) / 65536));
      return { accumulatorOffset, pairsOffset, pairCapacity };
    },
    laneView(byteOffset, rows) {
      const buffer = kernel.memory.buffer;
      return laneBits === 8
        ? new Int8Array(buffer, byteOffset, rows * lanesPerRow)
        : new Int16Array(buffer, byteOffset, rows * lanesPerRow);
    },
    restore(raw, used, sums) {
      if (levels === undefined) {
        sums.set(raw);
        return;
      }
      const step = levels.high - levels.low;
      for (let p = 0; p < pixels; p++) sums[p] = used * levels.low + step * raw[p];
      for (let k = pixels; k < sums.length; k++) sums[k] = step * raw[k];
    },
  };
}

/** The two grey levels of a movie with at most two, or undefined. */
function greyLevels(movie: Uint8Array): { low: number; high: number } | undefined {
  const first = movie.length > 0 ? movie[0] : 0;
  let other = first;
  for (let i = 0; i < movie.length; i++) {
    const v = movie[i];
    if (v === first || v === other) continue;
    if (other !== first) return undefined;
    other = v;
  }
  return { low: Math.min(first, other), high: Math.max(first, other) };
}

/**
 * Checks the movie's shape and prepares it for {@link computeUnitSta} (O(frames × pixels), done once per movie).
 * @throws ConfigurationError when the shape does not describe the data.
 */
export function prepareStaMovie(options: PrepareStaMovieOptions): StaMovie {
  const { movie, movieShape } = options;
  if (movieShape.length !== 3 || movieShape.some((dim) => !Number.isInteger(dim) || dim < 1)) {
    throw new ConfigurationError(messages.movieDimensions(movieShape));
  }
  const [frameCount, height, width] = movieShape;
  if (movie.length !== frameCount * height * width) {
    throw new ConfigurationError(messages.movieShape(movie.length, frameCount, height, width));
  }
  return new StaMovie(movie, [frameCount, height, width], options.useWebAssembly ?? true);
}

/** Options of {@link computeUnitSta}. */
export interface UnitStaOptions {
  movie: StaMovie;
  /** Each spike's frame offset into the movie (see {@link spikeSamplesToMovieFrames}). */
  spikeFrames: ArrayLike<number>;
  /** `[c0, c1)` in frames relative to the spike frame, c0 < c1; the reference default is [−60, 0]. */
  coverRange: readonly [number, number];
}

/** One unit's STA. */
export interface StaResult {
  /** (c1 − c0) × height × width float32; all NaN when no spike was usable. */
  sta: NdArray<Float32Array>;
  /** Spikes whose whole window lies inside the movie (`f + c0 ≥ 0` and `f + c1 ≤ frames`). */
  nSpikesUsed: number;
  nSpikesExcluded: number;
}

/**
 * `STA[t] = mean over valid spikes f of movie[f + c0 + t]`, t = 0 … c1 − c0 − 1; with [−60, 0] the last frame
 * (t = 59) is the one just before the spike's frame. Sums are exact integers, the mean is taken in float64 and
 * stored as float32, as the reference does.
 *
 * @example movie[t] = t (20 frames), spikes [3, 5, 10, 19, 20], coverRange [−3, 0] → [8.4, 9.4, 10.4], 5 used
 * @throws ConfigurationError for an inverted or non-integer cover range.
 */
export function computeUnitSta(options: UnitStaOptions): StaResult {
  const { movie, spikeFrames } = options;
  const [c0, c1] = checkCoverRange(options.coverRange);
  const windowFrames = c1 - c0;
  const pixels = movie.height * movie.width;
  const shape = [windowFrames, movie.height, movie.width];
  // sums[0] = Σ first window frame; sums[t] = Σ changes entering the window at lag t (integrated below).
  const sums = new Float64Array(windowFrames * pixels);
  const used = movie.sumWindows(spikeFrames, c0, c1, sums);
  const nSpikesExcluded = spikeFrames.length - used;
  const sta = new Float32Array(windowFrames * pixels);
  if (used === 0) {
    sta.fill(NaN);
    return { sta: new NdArray(sta, shape), nSpikesUsed: 0, nSpikesExcluded };
  }
  for (let t = 1; t < windowFrames; t++) {
    const to = t * pixels;
    for (let p = 0; p < pixels; p++) sums[to + p] += sums[to - pixels + p];
  }
  for (let k = 0; k < sums.length; k++) sta[k] = sums[k] / used;
  return { sta: new NdArray(sta, shape), nSpikesUsed: used, nSpikesExcluded };
}

/** Options of {@link spikeSamplesToMovieFrames}. */
export interface SpikeSamplesToMovieFramesOptions {
  /** Spike sample indices (e.g. trial 0 of the noise movie). */
  spikeSamples: ArrayLike<number>;
  frameTimestamps: ArrayLike<number>;
  /** Display frame at which the movie content starts (see {@link movieContentStartFrame}). */
  movieStartFrame: number;
}

/**
 * Frame offset of each spike into the movie: `floorFrame(sample) − movieStartFrame` (the reference floors through
 * the frame timestamps; spikes before the first frame map to frame 0, far before the movie, and are excluded
 * later by the cover-range check).
 */
export function spikeSamplesToMovieFrames(options: SpikeSamplesToMovieFramesOptions): Float64Array {
  const { spikeSamples, frameTimestamps, movieStartFrame } = options;
  if (frameTimestamps.length === 0) throw new ConfigurationError(messages.noFrameTimestamps("spikeSamplesToMovieFrames"));
  const frames = new Float64Array(spikeSamples.length);
  for (let i = 0; i < spikeSamples.length; i++) {
    frames[i] = floorFrameIndex(frameTimestamps, spikeSamples[i]) - movieStartFrame;
  }
  return frames;
}

/**
 * First content frame of a movie: the section's first frame (`floorFrame(section_time[movie][0][0])`) plus the
 * 60-frame pre-margin.
 */
export function movieContentStartFrame(options: { sectionStartSample: number; frameTimestamps: ArrayLike<number> }): number {
  const { frameTimestamps } = options;
  if (frameTimestamps.length === 0) throw new ConfigurationError(messages.noFrameTimestamps("movieContentStartFrame"));
  return floorFrameIndex(frameTimestamps, options.sectionStartSample) + SECTION_PADDING_FRAMES.preMargin;
}

function checkCoverRange(range: readonly [number, number]): [number, number] {
  const [c0, c1] = range;
  if (!Number.isInteger(c0) || !Number.isInteger(c1)) throw new ConfigurationError(messages.coverRangeNotInteger(c0, c1));
  if (c0 >= c1) throw new ConfigurationError(messages.invertedCoverRange(c0, c1));
  return [c0, c1];
}
