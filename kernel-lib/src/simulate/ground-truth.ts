/** The ground truth a simulated recording carries: what was planted, for tests and notebooks to check against. */
import type { SimulationRecipe } from "./options";
import type { UnitSpikes } from "./spike-model";
import type { StimulusPlan } from "./stimulus-plan";
import { NOISE_GRID, NOISE_HOLD_FRAMES } from "./stimulus-plan";
import type { SimulatedUnit } from "./units-model";
import { WAVEFORM_TROUGH } from "./units-model";

/** One unit of the ground truth. */
export interface GroundTruthUnit {
  readonly unitNumber: number;
  /** The id `loadRecording` gives the unit (`unit_NNN`). */
  readonly unitId: string;
  readonly sensorId: number;
  readonly row: number;
  readonly column: number;
  readonly amplitudeUv: number;
  readonly footprint: { readonly sensorIds: readonly number[]; readonly weights: readonly number[] };
  readonly waveform: { readonly samples: readonly number[]; readonly troughIndex: number };
  readonly polarity: "ON" | "OFF";
  readonly receptiveField: {
    /** False for a unit planted without a receptive field (option `unitsWithoutRf`): the centre and sizes below were drawn but not used. */
    readonly planted: boolean;
    readonly centerRow: number;
    readonly centerColumn: number;
    readonly sigmaCenter: number;
    readonly sigmaSurround: number;
    readonly surroundWeight: number;
    /** [row][column] on the 15 × 15 noise grid (movie axes 1 and 2), sign included. */
    readonly spatial: readonly (readonly number[])[];
    /** Weight of the frame k frames before the current one, k = 0, 1, … */
    readonly temporal: readonly number[];
    readonly baseRateHz: number;
    readonly gain: number;
  };
  /** Included spikes (IncludePeak = 1), sample indices. */
  readonly spikeTimesSamples: readonly number[];
  /** Peaks with IncludePeak = 0, sample indices. */
  readonly excludedPeakSamples: readonly number[];
}

/** The ground-truth document (`<name>.ground-truth.json`). */
export interface GroundTruth {
  readonly recipe: SimulationRecipe;
  readonly files: { readonly cmcr: string; readonly cmtr: string };
  readonly samplingRateHz: number;
  readonly tickUs: number;
  readonly sampleCount: number;
  readonly recordingDurationUs: number;
  readonly display: {
    readonly framePeriodSamples: number;
    readonly pulseWidthSamples: number;
    /** Onsets of the four warm-up frames the reference's detector drops. */
    readonly warmupOnsetSamples: readonly number[];
    /** Onset of every playlist frame = what frame detection must return, sample for sample. */
    readonly frameTimestamps: readonly number[];
  };
  readonly playlist: {
    readonly name: string;
    readonly padFrames: number;
    readonly movies: readonly {
      readonly name: string;
      readonly kind: string;
      readonly lengthFrames: number;
      readonly contentStartFrame: number;
      readonly sectionKwargs: { readonly start_frame: number; readonly trial_length_frame: number; readonly repeat: number };
    }[];
  };
  readonly noise: { readonly movieName: string; readonly grid: number; readonly holdFrames: number; readonly patternCount: number } | null;
  readonly sensor: { readonly microvoltsPerCount: number; readonly noiseUv: number };
  readonly units: readonly GroundTruthUnit[];
}

/** Assembles the ground truth from the simulation's parts. */
export function buildGroundTruth(args: {
  recipe: SimulationRecipe;
  files: { cmcr: string; cmtr: string };
  plan: StimulusPlan;
  playlistName: string;
  units: readonly SimulatedUnit[];
  spikes: readonly UnitSpikes[];
  microvoltsPerCount: number;
  noiseUv: number;
}): GroundTruth {
  const { recipe, plan } = args;
  const tickUs = 1e6 / recipe.samplingRateHz;
  return {
    recipe,
    files: args.files,
    samplingRateHz: recipe.samplingRateHz,
    tickUs,
    sampleCount: plan.sampleCount,
    recordingDurationUs: plan.sampleCount * tickUs,
    display: {
      framePeriodSamples: plan.framePeriodSamples,
      pulseWidthSamples: plan.pulseWidthSamples,
      warmupOnsetSamples: [...plan.warmupOnsets],
      frameTimestamps: Array.from(plan.frameOnsets),
    },
    playlist: {
      name: args.playlistName,
      padFrames: recipe.padFrames,
      movies: plan.movies.map((movie) => ({
        name: movie.name,
        kind: movie.kind,
        lengthFrames: movie.lengthFrames,
        contentStartFrame: movie.contentStartFrame,
        sectionKwargs: movie.sectionKwargs,
      })),
    },
    noise:
      plan.noiseMovieName === null
        ? null
        : {
            movieName: plan.noiseMovieName,
            grid: NOISE_GRID,
            holdFrames: NOISE_HOLD_FRAMES,
            patternCount: plan.noisePatterns.length / (NOISE_GRID * NOISE_GRID),
          },
    sensor: { microvoltsPerCount: args.microvoltsPerCount, noiseUv: args.noiseUv },
    units: args.units.map((unit, u) => ({
      unitNumber: unit.unitNumber,
      unitId: `unit_${String(unit.unitNumber).padStart(3, "0")}`,
      sensorId: unit.sensorId,
      row: unit.row,
      column: unit.column,
      amplitudeUv: unit.amplitudeUv,
      footprint: unit.footprint,
      waveform: { samples: Array.from(unit.waveform, (v) => Math.round(v * 1e6) / 1e6), troughIndex: WAVEFORM_TROUGH },
      polarity: unit.rf.polarity,
      receptiveField: {
        planted: unit.rf.planted,
        centerRow: unit.rf.centerRow,
        centerColumn: unit.rf.centerColumn,
        sigmaCenter: unit.rf.sigmaCenter,
        sigmaSurround: unit.rf.sigmaSurround,
        surroundWeight: unit.rf.surroundWeight,
        spatial: Array.from({ length: NOISE_GRID }, (_, r) =>
          Array.from(unit.rf.spatial.subarray(r * NOISE_GRID, (r + 1) * NOISE_GRID), (v) => Math.round(v * 1e6) / 1e6),
        ),
        temporal: Array.from(unit.rf.temporal, (v) => Math.round(v * 1e6) / 1e6),
        baseRateHz: unit.baseRateHz,
        gain: unit.gain,
      },
      spikeTimesSamples: Array.from(args.spikes[u].spikeSamples),
      excludedPeakSamples: Array.from(args.spikes[u].excludedSamples),
    })),
  };
}
