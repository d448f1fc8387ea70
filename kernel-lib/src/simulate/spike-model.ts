/**
 * Linear–nonlinear–Poisson spiking driven by the actual stimulus:
 *
 *   frame contrast → spatial RF projection → temporal filter → r = r0 · exp(gain · (g − g_dark)) → Poisson with a
 *   refractory dead time
 *
 * Uniform frames (pads, baseline, steps) project as contrast × ΣRF, so steps drive each unit through its polarity
 * and its temporal kernel. Rates are constant within a display frame.
 */
import type { Random } from "./prng";
import type { StimulusPlan } from "./stimulus-plan";
import { NOISE_GRID } from "./stimulus-plan";
import type { SimulatedUnit } from "./units-model";

/** Absolute refractory period. */
export const REFRACTORY_S = 0.002;
const MAX_RATE_HZ = 250;
/** Fraction of sub-threshold (IncludePeak = 0) peaks per included spike. */
const EXCLUDED_FRACTION = 0.2;

/** Spike trains of one unit, in samples. */
export interface UnitSpikes {
  /** Included spikes (IncludePeak = 1), ascending. */
  readonly spikeSamples: Float64Array;
  /** Sub-threshold peaks (IncludePeak = 0), ascending, never equal to a spike sample. */
  readonly excludedSamples: Float64Array;
}

/**
 * Draws the spike train of `unit`. Spikes are kept `marginSamples` away from both ends of the recording so that
 * every spike's footprint and cut-out lie inside the data.
 */
export function simulateSpikes(unit: SimulatedUnit, plan: StimulusPlan, samplingRateHz: number, marginSamples: number, random: Random): UnitSpikes {
  const rates = frameRates(unit, plan);
  const perSample = 1 / samplingRateHz;
  const refractory = Math.round(REFRACTORY_S * samplingRateHz);
  const total = plan.sampleCount;
  const spikes: number[] = [];
  // Piecewise-constant rate: [0, start of frame 0) and [end of last frame, total) at the dark rate.
  const frameStart = (f: number) => plan.frameOnsets[f] + 1;
  const edges: number[] = [0];
  const values: number[] = [unit.baseRateHz];
  for (let f = 0; f < plan.frameOnsets.length; f++) {
    edges.push(frameStart(f));
    values.push(rates[f]);
  }
  edges.push(plan.frameOnsets.length > 0 ? frameStart(plan.frameOnsets.length - 1) + plan.framePeriodSamples : 0);
  values.push(unit.baseRateHz);
  edges.push(total);

  let t = 0; // continuous time in samples at which the process is "alive" again
  for (let i = 0; i < values.length; i++) {
    const a = edges[i];
    const b = Math.min(edges[i + 1], total);
    if (b <= a) continue;
    const lambda = values[i] * perSample; // spikes per sample
    if (t < a) t = a;
    while (lambda > 0) {
      t += random.exponential() / lambda;
      if (t >= b) {
        // Memoryless: the next interval starts afresh at its own edge.
        t = b;
        break;
      }
      const sample = Math.floor(t);
      if (sample >= marginSamples && sample < total - marginSamples) spikes.push(sample);
      t = sample + refractory + 1;
      if (t >= b) break;
    }
  }
  const spikeSamples = Float64Array.from(spikes);
  return { spikeSamples, excludedSamples: excludedPeaks(spikeSamples, total, marginSamples, random) };
}

function excludedPeaks(spikes: Float64Array, total: number, margin: number, random: Random): Float64Array {
  const taken = new Set<number>(spikes);
  const count = Math.round(EXCLUDED_FRACTION * spikes.length) + 3;
  const picked: number[] = [];
  for (let attempts = 0; picked.length < count && attempts < count * 20; attempts++) {
    const sample = random.integer(margin, total - margin - 1);
    if (!taken.has(sample)) {
      taken.add(sample);
      picked.push(sample);
    }
  }
  return Float64Array.from(picked.sort((a, b) => a - b));
}

/** The firing rate (Hz) of `unit` during every playlist frame. */
export function frameRates(unit: SimulatedUnit, plan: StimulusPlan): Float64Array {
  const { spatial, temporal } = unit.rf;
  const cells = NOISE_GRID * NOISE_GRID;
  let spatialSum = 0;
  for (let i = 0; i < cells; i++) spatialSum += spatial[i];
  const patternCount = plan.noisePatterns.length / cells;
  const patternDrive = new Float64Array(patternCount);
  for (let p = 0; p < patternCount; p++) {
    let sum = 0;
    for (let i = 0; i < cells; i++) sum += spatial[i] * (plan.noisePatterns[p * cells + i] / 127.5 - 1);
    patternDrive[p] = sum;
  }
  const frames = plan.frameOnsets.length;
  const projection = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    const level = plan.frameLevel[f];
    projection[f] = level >= 0 ? (level / 127.5 - 1) * spatialSum : patternDrive[plan.framePattern[f]];
  }
  const dark = -spatialSum;
  let kernelSum = 0;
  for (const h of temporal) kernelSum += h;
  const darkDrive = dark * kernelSum;
  const rates = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let g = 0;
    for (let k = 0; k < temporal.length; k++) g += temporal[k] * (f - k >= 0 ? projection[f - k] : dark);
    rates[f] = Math.min(MAX_RATE_HZ, unit.baseRateHz * Math.exp(unit.gain * (g - darkDrive)));
  }
  return rates;
}
