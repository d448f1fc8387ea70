/**
 * The peak of a spike-triggered average: where (pixel) and when (frame) a unit's receptive field is strongest. One
 * definition for the units table (`sta_peak_*`), the STA chart and the extension's STA viewer (which reads it from
 * the STA payload).
 *
 * A plain maximum of |STA − mean| lands on noise: with few spikes a single noisy pixel in a single frame beats the
 * receptive field (and noise frames far from the spike are searched too). The robust peak z-scores every value
 * against the noise frames (the earliest third of the cover range, far from the spike, where the STA holds no
 * response: each pixel's own background, one noise level for all), leaves those frames out of the search, and finds
 * the window of 3 frames × 3 × 3 pixels with the most energy (Σ z²): a receptive field covers several pixels and its
 * temporal filter several frames, a noise outlier one value. Inside that window the peak is the pixel whose temporal
 * filter carries the most energy, at its frame with the largest |z|. On the simulator's demo recording this puts
 * every planted centre within about one pixel and the peak 3–5 frames before the spike, for cover ranges from
 * [−12, 2] to [−60, 0], where the plain maximum put some peaks 30+ frames before the spike on noise.
 */

/** The part of an STA (frames × rows × cols, frame-major) the peak needs; an `NdArray` is one. */
export interface StaFrames {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number | bigint>;
}

/** Where an STA is strongest. */
export interface StaPeak {
  /** Index of the peak frame in the STA (0 = the cover range's first frame); offset to the spike = frame + cover start. */
  frame: number;
  row: number;
  col: number;
  /** The STA value at the peak. */
  value: number;
  /** The peak pixel's mean over the noise frames: its background level. */
  baseline: number;
  /** (value − baseline) / the noise frames' standard deviation; its sign is the polarity. */
  zScore: number;
  /** +1 when the peak lies above the background (ON), −1 below (OFF). */
  polarity: 1 | -1;
  /** How many of the earliest frames served as noise. */
  noiseFrames: number;
}

/** Fraction of the cover range, from its start (farthest from the spike), taken as noise frames. */
export const STA_NOISE_FRACTION = 1 / 3;

/**
 * The robust peak of `sta` (frames × rows × cols), or null when it is not 3-D or holds no finite value. With fewer
 * than three frames there is no room for noise frames: every frame is then both noise and signal.
 */
export function staPeak(sta: StaFrames): StaPeak | null {
  if (sta.shape.length !== 3) return null;
  const [frames, rows, cols] = sta.shape;
  const pixels = rows * cols;
  if (frames === 0 || pixels === 0) return null;
  const value = (frame: number, pixel: number) => Number(sta.data[frame * pixels + pixel]);
  const noiseFrames = frames >= 3 ? Math.max(1, Math.floor(frames * STA_NOISE_FRACTION)) : frames;
  const firstSignal = noiseFrames < frames ? noiseFrames : 0;

  // Each pixel's background over the noise frames (the STA's mean when there are none), then one noise level.
  const baseline = new Float64Array(pixels);
  const counts = new Uint32Array(pixels);
  for (let f = 0; f < noiseFrames; f++) {
    for (let p = 0; p < pixels; p++) {
      const v = value(f, p);
      if (Number.isFinite(v)) (baseline[p] += v), (counts[p] += 1);
    }
  }
  if (firstSignal === 0) {
    const total = baseline.reduce((sum, v) => sum + v, 0);
    const count = counts.reduce((sum, c) => sum + c, 0);
    for (let p = 0; p < pixels; p++) baseline[p] = count > 0 && counts[p] > 0 ? total / count : Number.NaN;
  } else {
    for (let p = 0; p < pixels; p++) baseline[p] = counts[p] > 0 ? baseline[p] / counts[p] : Number.NaN;
  }
  let squares = 0;
  let n = 0;
  for (let f = 0; f < noiseFrames; f++) {
    for (let p = 0; p < pixels; p++) {
      const d = value(f, p) - baseline[p];
      if (Number.isFinite(d)) (squares += d * d), (n += 1);
    }
  }
  const sigma = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  // A noiseless STA (synthetic, or constant noise frames): deviations in the STA's own units rank the same way.
  const scale = sigma > 0 ? sigma : 1;

  // z² of every signal value, then the 3 frames × 3 × 3 pixels window with the most of it.
  const signalFrames = frames - firstSignal;
  const z2 = new Float64Array(signalFrames * pixels);
  for (let f = 0; f < signalFrames; f++) {
    for (let p = 0; p < pixels; p++) {
      const z = (value(f + firstSignal, p) - baseline[p]) / scale;
      z2[f * pixels + p] = Number.isFinite(z) ? z * z : 0;
    }
  }
  const windowEnergy = (f: number, row: number, col: number, frameRadius: number, pixelRadius: number) => {
    let sum = 0;
    for (let g = Math.max(0, f - frameRadius); g <= Math.min(signalFrames - 1, f + frameRadius); g++) {
      for (let r = Math.max(0, row - pixelRadius); r <= Math.min(rows - 1, row + pixelRadius); r++) {
        for (let c = Math.max(0, col - pixelRadius); c <= Math.min(cols - 1, col + pixelRadius); c++) sum += z2[g * pixels + r * cols + c];
      }
    }
    return sum;
  };
  let best = { energy: -1, frame: 0, row: 0, col: 0 };
  for (let f = 0; f < signalFrames; f++) {
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        if (!Number.isFinite(baseline[row * cols + col])) continue;
        const energy = windowEnergy(f, row, col, 1, 1);
        if (energy > best.energy) best = { energy, frame: f, row, col };
      }
    }
  }
  if (best.energy < 0) return null;
  // Inside the window: the pixel whose temporal filter carries the most energy, and its frame with the largest |z|.
  let bestPixel = best.row * cols + best.col;
  let bestPixelEnergy = -1;
  for (let r = Math.max(0, best.row - 1); r <= Math.min(rows - 1, best.row + 1); r++) {
    for (let c = Math.max(0, best.col - 1); c <= Math.min(cols - 1, best.col + 1); c++) {
      const energy = Number.isFinite(baseline[r * cols + c]) ? windowEnergy(best.frame, r, c, 1, 0) : -1;
      if (energy > bestPixelEnergy) (bestPixelEnergy = energy), (bestPixel = r * cols + c);
    }
  }
  let bestFrame = best.frame + firstSignal;
  let bestZ = 0;
  for (let f = Math.max(firstSignal, bestFrame - 1); f <= Math.min(frames - 1, bestFrame + 1); f++) {
    const z = (value(f, bestPixel) - baseline[bestPixel]) / scale;
    if (Number.isFinite(z) && Math.abs(z) > Math.abs(bestZ)) (bestZ = z), (bestFrame = f);
  }
  return {
    frame: bestFrame,
    row: Math.floor(bestPixel / cols),
    col: bestPixel % cols,
    value: value(bestFrame, bestPixel),
    baseline: baseline[bestPixel],
    zScore: sigma > 0 ? bestZ : 0,
    polarity: bestZ >= 0 ? 1 : -1,
    noiseFrames,
  };
}

/**
 * Offset, in stimulus frames relative to the spike, of an STA's first frame: the start of its `cover_range`
 * metadata, or −frames (the STA ends at the spike) when it has none. `sta_peak_frame` = peak frame index + this.
 */
export function staFirstFrameOffset(coverRange: unknown, frames: number): number {
  if (coverRange !== null && typeof coverRange === "object" && "length" in coverRange) {
    const start = Number((coverRange as ArrayLike<number | bigint>)[0]);
    if (Number.isFinite(start)) return start;
  }
  return -frames;
}
