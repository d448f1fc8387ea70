/**
 * The simulated neurons: where each sits on the chip, what its spike looks like on the electrodes around it, and
 * its centre–surround spatio-temporal receptive field on the noise grid.
 */
import { sensorIdOf } from "../io/sensor-ids";
import type { GridSubset } from "./options";
import type { Random } from "./prng";
import { NOISE_GRID } from "./stimulus-plan";

/** Samples in the spike waveform template. */
export const WAVEFORM_SAMPLES = 48;
/** Index of the template's trough (the spike time). */
export const WAVEFORM_TROUGH = 12;
/** Frames of the temporal receptive field (index k = k frames before the current one). */
export const TEMPORAL_TAPS = 30;

/** The receptive field of one unit. */
export interface ReceptiveField {
  /** False for a unit planted without a receptive field (see rf-free-units.ts): its spatial weights are all 0. */
  readonly planted: boolean;
  readonly polarity: "ON" | "OFF";
  /** Centre on the noise grid, 0-based (row = movie axis 1, column = movie axis 2). */
  readonly centerRow: number;
  readonly centerColumn: number;
  readonly sigmaCenter: number;
  readonly sigmaSurround: number;
  /** Surround volume relative to the centre volume. */
  readonly surroundWeight: number;
  /** 15 × 15 weights [row][column] including the polarity sign; Σ w² = 1. */
  readonly spatial: Float64Array;
  /** Temporal kernel; Σ h² = 1. */
  readonly temporal: Float64Array;
}

/** One simulated unit. */
export interface SimulatedUnit {
  readonly unitNumber: number;
  readonly sensorId: number;
  readonly row: number;
  readonly column: number;
  /** Trough amplitude at the soma electrode, µV (positive number; the trough is negative). */
  readonly amplitudeUv: number;
  /** Electrodes inside the recorded grid that see the spike, with their amplitude relative to the soma. */
  readonly footprint: { readonly sensorIds: readonly number[]; readonly weights: readonly number[] };
  /** Waveform template, minimum −1 at {@link WAVEFORM_TROUGH}. */
  readonly waveform: Float32Array;
  readonly rf: ReceptiveField;
  /** Firing rate in the dark steady state. */
  readonly baseRateHz: number;
  /** Gain of the exponential nonlinearity on the filtered stimulus. */
  readonly gain: number;
}

/** Places `count` units on distinct electrodes of `grid` and draws their properties. */
export function createUnits(count: number, grid: GridSubset, random: Random): SimulatedUnit[] {
  const electrodes: { row: number; column: number }[] = [];
  for (let column = grid.columns[0]; column <= grid.columns[1]; column++) {
    for (let row = grid.rows[0]; row <= grid.rows[1]; row++) electrodes.push({ row, column });
  }
  // Fisher–Yates on the electrode list, so somas are distinct while the grid has room; beyond that they share.
  for (let i = electrodes.length - 1; i > 0; i--) {
    const j = random.integer(0, i);
    [electrodes[i], electrodes[j]] = [electrodes[j], electrodes[i]];
  }
  const units: SimulatedUnit[] = [];
  for (let n = 0; n < count; n++) {
    const { row, column } = electrodes[n % electrodes.length];
    const spread = 0.8 + 0.5 * random.uniform();
    const sensorIds: number[] = [];
    const weights: number[] = [];
    for (let c = Math.max(grid.columns[0], column - 3); c <= Math.min(grid.columns[1], column + 3); c++) {
      for (let r = Math.max(grid.rows[0], row - 3); r <= Math.min(grid.rows[1], row + 3); r++) {
        const weight = Math.exp(-((r - row) ** 2 + (c - column) ** 2) / (2 * spread * spread));
        if (weight >= 0.05) {
          sensorIds.push(sensorIdOf(r, c));
          weights.push(round(weight, 6));
        }
      }
    }
    units.push({
      unitNumber: n + 1,
      sensorId: sensorIdOf(row, column),
      row,
      column,
      amplitudeUv: round(90 + 140 * random.uniform(), 3),
      footprint: { sensorIds, weights },
      waveform: spikeTemplate(1.3 + 0.6 * random.uniform(), 0.2 + 0.25 * random.uniform()),
      rf: receptiveField(n % 2 === 0 ? "ON" : "OFF", random),
      baseRateHz: round(4 + 6 * random.uniform(), 3),
      gain: round(0.7 + 0.4 * random.uniform(), 3),
    });
  }
  return units;
}

function spikeTemplate(width: number, reboundSize: number): Float32Array {
  const shape = new Float64Array(WAVEFORM_SAMPLES);
  for (let t = 0; t < WAVEFORM_SAMPLES; t++) {
    const trough = Math.exp(-(((t - WAVEFORM_TROUGH) / width) ** 2) / 2);
    const rebound = Math.exp(-(((t - WAVEFORM_TROUGH - 8) / 4) ** 2) / 2);
    shape[t] = -trough + reboundSize * rebound;
  }
  const scale = -shape[WAVEFORM_TROUGH];
  return Float32Array.from(shape, (v) => v / scale);
}

function receptiveField(polarity: "ON" | "OFF", random: Random): ReceptiveField {
  const centerRow = round(3 + (NOISE_GRID - 7) * random.uniform(), 3);
  const centerColumn = round(3 + (NOISE_GRID - 7) * random.uniform(), 3);
  const sigmaCenter = round(0.8 + 0.7 * random.uniform(), 3);
  const sigmaSurround = round(sigmaCenter * (2 + random.uniform()), 3);
  const surroundWeight = round(0.4 + 0.3 * random.uniform(), 3);
  const spatial = new Float64Array(NOISE_GRID * NOISE_GRID);
  const sign = polarity === "ON" ? 1 : -1;
  let norm = 0;
  for (let r = 0; r < NOISE_GRID; r++) {
    for (let c = 0; c < NOISE_GRID; c++) {
      const d2 = (r - centerRow) ** 2 + (c - centerColumn) ** 2;
      const centre = Math.exp(-d2 / (2 * sigmaCenter ** 2)) / sigmaCenter ** 2;
      const surround = (surroundWeight * Math.exp(-d2 / (2 * sigmaSurround ** 2))) / sigmaSurround ** 2;
      const w = sign * (centre - surround);
      spatial[r * NOISE_GRID + c] = w;
      norm += w * w;
    }
  }
  for (let i = 0; i < spatial.length; i++) spatial[i] /= Math.sqrt(norm);

  // Biphasic kernel: a fast lobe ~80 ms back and a slower, weaker opposite lobe.
  const tau = 2 + random.uniform();
  const temporal = new Float64Array(TEMPORAL_TAPS);
  let tnorm = 0;
  for (let k = 0; k < TEMPORAL_TAPS; k++) {
    const fast = (k / tau) ** 2 * Math.exp(-k / tau);
    const slow = 0.45 * (k / (2 * tau)) ** 2 * Math.exp(-k / (2 * tau));
    temporal[k] = fast - slow;
    tnorm += temporal[k] ** 2;
  }
  for (let k = 0; k < TEMPORAL_TAPS; k++) temporal[k] /= Math.sqrt(tnorm);
  return { planted: true, polarity, centerRow, centerColumn, sigmaCenter, sigmaSurround, surroundWeight, spatial, temporal };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
