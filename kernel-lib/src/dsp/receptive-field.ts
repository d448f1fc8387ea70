/**
 * A unit's receptive field from its STA:
 *
 *   STA (frames × rows × cols) − each pixel's mean over the frames ──rank-1 (power iteration on D·Dᵀ)──▶ unit temporal vector u
 *     ──▶ spatial map Dᵀu (grey levels; sign = polarity) ──▶ peak pixel = largest |map| ──▶ temporal filter at it
 *     ──▶ 2-D Gaussian fit of the spatial map (gaussian-fit.ts)
 *
 * and its significance against shuffled spikes: the same STA from spike trains circularly shifted against the
 * movie (the spike count and interval structure stay, the stimulus relation goes), N seeded shuffles, the peak
 * pixel energy Σₜ (STA − pixel mean)² compared with their distribution as a z-score and a rank p-value.
 *
 * Each pixel's own mean is subtracted, not the movie's grey level: a noise movie of a few thousand patterns has pixels
 * whose mean lies several grey levels off (±3σ among 225 pixels), and that constant offset, summed over 60 frames,
 * outweighs a real receptive field's energy.
 *
 * The peak pixel here is this module's own (the largest |rank-1 spatial map|), so it does not depend on the STA
 * viewer's peak choice.
 */
import { ConfigurationError } from "../errors";
import type { NdArray } from "../hdf5/values";
import { createRandom } from "../simulate/prng";
import { fitGaussian2d, type Gaussian2dFit } from "./gaussian-fit";
import { messages } from "./messages";
import { computeUnitSta, type StaMovie } from "./sta";

/** The rank-1 split of an STA into a temporal filter and a spatial map. */
export interface StaDecomposition {
  /** rows × cols, row-major: the STA deviations projected on the unit temporal vector; ON positive, OFF negative. */
  spatial: Float64Array;
  rows: number;
  cols: number;
  /** The pixel with the largest |spatial|. */
  peakRow: number;
  peakCol: number;
  /** The rank-1 STA deviation at the peak pixel, one value per STA frame (grey levels). */
  temporal: Float64Array;
  /** Index (into the STA frames) of the largest |temporal|. */
  peakFrame: number;
  /** Largest per-pixel energy Σₜ (STA − pixel mean)² (the significance statistic). */
  peakEnergy: number;
}

/** Options of {@link decomposeSta}. */
export interface DecomposeStaOptions {
  /** frames × rows × cols. */
  sta: NdArray;
}

/** Splits an STA into its temporal filter and spatial map. @throws ConfigurationError for a non-3-D STA. */
export function decomposeSta(options: DecomposeStaOptions): StaDecomposition {
  const { sta } = options;
  if (sta.ndim !== 3 || sta.shape[0] < 2 || sta.shape[1] < 1 || sta.shape[2] < 1) throw new ConfigurationError(messages.rfStaShape(sta.shape));
  const [frames, rows, cols] = sta.shape;
  const pixels = rows * cols;
  const d = pixelDeviations(sta);
  const energies = pixelEnergies(d, frames, pixels);
  let peakEnergy = 0;
  let energyPixel = 0;
  for (let p = 0; p < pixels; p++) {
    if (energies[p] > peakEnergy) {
      peakEnergy = energies[p];
      energyPixel = p;
    }
  }
  const u = topTemporalVector(d, frames, pixels, energyPixel);
  const spatial = new Float64Array(pixels);
  for (let t = 0; t < frames; t++) {
    const ut = u[t];
    if (ut === 0) continue;
    for (let p = 0; p < pixels; p++) spatial[p] += ut * d[t * pixels + p];
  }
  let peak = 0;
  for (let p = 1; p < pixels; p++) if (Math.abs(spatial[p]) > Math.abs(spatial[peak])) peak = p;
  const temporal = Float64Array.from(u, (ut) => ut * spatial[peak]);
  let peakFrame = 0;
  for (let t = 1; t < frames; t++) if (Math.abs(temporal[t]) > Math.abs(temporal[peakFrame])) peakFrame = t;
  return { spatial, rows, cols, peakRow: Math.floor(peak / cols), peakCol: peak % cols, temporal, peakFrame, peakEnergy };
}

/** STA − each pixel's mean over the frames (frames × pixels, non-finite values as 0). */
function pixelDeviations(sta: NdArray): Float64Array {
  const [frames, rows, cols] = sta.shape;
  const pixels = rows * cols;
  const data = sta.data as ArrayLike<number>;
  const d = new Float64Array(frames * pixels);
  for (let p = 0; p < pixels; p++) {
    let sum = 0;
    let count = 0;
    for (let t = 0; t < frames; t++) {
      const v = Number(data[t * pixels + p]);
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    const mean = count > 0 ? sum / count : 0;
    for (let t = 0; t < frames; t++) {
      const v = Number(data[t * pixels + p]) - mean;
      d[t * pixels + p] = Number.isFinite(v) ? v : 0;
    }
  }
  return d;
}

/** Σₜ d[t, p]² for every pixel p. */
function pixelEnergies(d: Float64Array, frames: number, pixels: number): Float64Array {
  const energies = new Float64Array(pixels);
  for (let t = 0; t < frames; t++) for (let p = 0; p < pixels; p++) energies[p] += d[t * pixels + p] ** 2;
  return energies;
}

/**
 * The leading left singular vector of D (frames × pixels), by power iteration on the small frames × frames matrix
 * D·Dᵀ, started from the most energetic pixel's trace; signed so that its largest-magnitude entry is positive.
 */
function topTemporalVector(d: Float64Array, frames: number, pixels: number, startPixel: number): Float64Array {
  const c = new Float64Array(frames * frames);
  for (let i = 0; i < frames; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      const a = i * pixels;
      const b = j * pixels;
      for (let p = 0; p < pixels; p++) sum += d[a + p] * d[b + p];
      c[i * frames + j] = sum;
      c[j * frames + i] = sum;
    }
  }
  let u = new Float64Array(frames);
  for (let t = 0; t < frames; t++) u[t] = d[t * pixels + startPixel];
  if (!normalise(u)) u.fill(1 / Math.sqrt(frames));
  for (let iteration = 0; iteration < 200; iteration++) {
    const next = new Float64Array(frames);
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let j = 0; j < frames; j++) sum += c[i * frames + j] * u[j];
      next[i] = sum;
    }
    if (!normalise(next)) break;
    let change = 0;
    for (let t = 0; t < frames; t++) change = Math.max(change, Math.abs(next[t] - u[t]));
    u = next;
    if (change < 1e-10) break;
  }
  let largest = 0;
  for (let t = 1; t < frames; t++) if (Math.abs(u[t]) > Math.abs(u[largest])) largest = t;
  if (u[largest] < 0) for (let t = 0; t < frames; t++) u[t] = -u[t];
  return u;
}

function normalise(v: Float64Array): boolean {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  if (!(norm > 0) || !Number.isFinite(norm)) return false;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return true;
}

/** The largest per-pixel energy Σₜ (STA − pixel mean)² of an STA. */
export function staPeakEnergy(sta: NdArray): number {
  const [frames, rows, cols] = sta.shape;
  const energies = pixelEnergies(pixelDeviations(sta), frames, rows * cols);
  let best = 0;
  for (let p = 0; p < energies.length; p++) if (energies[p] > best) best = energies[p];
  return best;
}

/** A receptive field: the STA's split and the Gaussian fitted to its spatial map. */
export interface ReceptiveFieldFit {
  decomposition: StaDecomposition;
  gaussian: Gaussian2dFit;
}

/** Splits `sta` and fits a 2-D Gaussian to its spatial map. */
export function fitReceptiveField(options: DecomposeStaOptions): ReceptiveFieldFit {
  const decomposition = decomposeSta(options);
  const gaussian = fitGaussian2d({ map: decomposition.spatial, height: decomposition.rows, width: decomposition.cols });
  return { decomposition, gaussian };
}

/** Options of {@link rfSignificance}. */
export interface RfSignificanceOptions {
  movie: StaMovie;
  /** The spike frames the STA was computed from. */
  spikeFrames: ArrayLike<number>;
  coverRange: readonly [number, number];
  /** The observed statistic (the STA's {@link StaDecomposition.peakEnergy}). */
  peakEnergy: number;
  /** Number of shuffled STAs. */
  shuffles: number;
  /** Seed of the shifts (a whole number); the same seed gives the same shifts. */
  seed: number;
}

/** The observed statistic against its shuffle distribution. */
export interface RfSignificance {
  shuffles: number;
  nullMean: number;
  nullStd: number;
  /** (observed − null mean) / null std; NaN without shuffles or with a constant null. */
  zScore: number;
  /** (1 + shuffles at least as large) / (1 + shuffles); 1 without shuffles. */
  pValue: number;
}

/**
 * Compares an STA's peak energy with the peak energies of STAs of the same spikes circularly shifted in time: every
 * usable spike frame f moves to lo + ((f − lo + s) mod L) over the L frames where a whole window fits, with one
 * shift s per shuffle drawn uniformly from [2 · window, L − 2 · window] (so no shifted window overlaps its own).
 */
export function rfSignificance(options: RfSignificanceOptions): RfSignificance {
  const { movie, spikeFrames, coverRange, shuffles } = options;
  if (!Number.isInteger(shuffles) || shuffles < 0) throw new ConfigurationError(messages.shuffleCount(shuffles));
  const [c0, c1] = coverRange;
  const window = c1 - c0;
  const lo = -c0;
  const span = movie.frameCount - c1 + c0 + 1;
  const usable: number[] = [];
  for (let i = 0; i < spikeFrames.length; i++) {
    const f = spikeFrames[i];
    if (Number.isInteger(f) && f >= lo && f < lo + span) usable.push(f);
  }
  const minShift = Math.min(2 * window, Math.floor(span / 2));
  const random = createRandom(options.seed >>> 0);
  const nulls: number[] = [];
  const shifted = new Float64Array(usable.length);
  for (let n = 0; n < shuffles && usable.length > 0 && span > 1; n++) {
    const shift = random.integer(minShift, Math.max(minShift, span - minShift));
    for (let i = 0; i < usable.length; i++) shifted[i] = lo + ((usable[i] - lo + shift) % span);
    const { sta } = computeUnitSta({ movie, spikeFrames: shifted, coverRange });
    nulls.push(staPeakEnergy(sta));
  }
  if (nulls.length === 0) return { shuffles: 0, nullMean: NaN, nullStd: NaN, zScore: NaN, pValue: 1 };
  const mean = nulls.reduce((a, b) => a + b, 0) / nulls.length;
  const variance = nulls.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, nulls.length - 1);
  const std = Math.sqrt(variance);
  const atLeast = nulls.filter((value) => value >= options.peakEnergy).length;
  return {
    shuffles: nulls.length,
    nullMean: mean,
    nullStd: std,
    zScore: std > 0 ? (options.peakEnergy - mean) / std : NaN,
    pValue: (1 + atLeast) / (1 + nulls.length),
  };
}
