/**
 * Options of the recording simulator: every option has a default, bad values are rejected up front with a
 * `ConfigurationError` quoting them, and the resolved options (the recipe) are written into the ground truth so a
 * recording can be made again byte for byte.
 */
import { ConfigurationError } from "../errors";
import { CHIP_SIDE } from "../io/sensor-ids";
import { messages } from "./messages";

/** The stimuli a simulated playlist can show, in playlist order. */
export type SimulatedStimulus = "baseline" | "step" | "noise";

/** A block of the chip, 1-based inclusive chip coordinates. */
export interface GridSubset {
  readonly rows: readonly [number, number];
  readonly columns: readonly [number, number];
}

/** Options of {@link simulateRecording}. All but `outputDir` have defaults (the demo recording). */
export interface SimulateRecordingOptions {
  /** Folder the recording is written to (created if missing). */
  readonly outputDir: string;
  /** File stem of the .cmcr/.cmtr pair. Default `sim-seed<seed>`. */
  readonly datasetName?: string;
  /** Recording length in seconds. Default 60. */
  readonly durationS?: number;
  /** Number of sorted units. Somas sit on distinct electrodes of the grid while there are enough. Default 6. */
  readonly unitCount?: number;
  /** Recipe seed, a whole number in [0, 2^32). Default 1. */
  readonly seed?: number;
  /**
   * Recorded sensor block: `"full"` (65 × 65) or a subset. Default: the 8 × 8 block at rows/columns 29…36, which
   * keeps the demo small (full-chip data is 169 MB per second).
   */
  readonly grid?: "full" | GridSubset;
  /** Acquisition rate; 1e6 / rate must be a whole number of µs. Default 20 000. */
  readonly samplingRateHz?: number;
  /** Display refresh rate; the frame period is rounded to whole samples. Default 60. */
  readonly displayRateHz?: number;
  /** Stimuli in the playlist, in order. Default ["baseline", "step", "noise"]. */
  readonly stimuli?: readonly SimulatedStimulus[];
  /** Dark frames before and after every movie (the reference's pad_frame). Default 180. */
  readonly padFrames?: number;
  /** Length of the grey (127) baseline movie in frames. Default 180. */
  readonly baselineFrames?: number;
  /** Frames of light ON and, after it, OFF in each step trial. Default 120. */
  readonly stepFrames?: number;
  /** Number of step trials. Default 3. */
  readonly stepRepeats?: number;
  /** Dark frames at the start of the step movie, before the first trial. Default 60. */
  readonly stepLeadFrames?: number;
  /** Samples per cut-out in the .cmtr Peaks table. Default 32. */
  readonly cutoutSamples?: number;
  /** Number of units (the last ones) planted without a receptive field; they ignore the stimulus. Default 0. */
  readonly unitsWithoutRf?: number;
  /** Replace existing files. Default false. */
  readonly overwrite?: boolean;
}

/** The resolved options: what the recording was made from. */
export interface SimulationRecipe {
  readonly simulatorVersion: number;
  readonly datasetName: string;
  readonly durationS: number;
  readonly unitCount: number;
  readonly seed: number;
  readonly grid: GridSubset;
  readonly samplingRateHz: number;
  readonly displayRateHz: number;
  readonly stimuli: readonly SimulatedStimulus[];
  readonly padFrames: number;
  readonly baselineFrames: number;
  readonly stepFrames: number;
  readonly stepRepeats: number;
  readonly stepLeadFrames: number;
  readonly cutoutSamples: number;
  readonly unitsWithoutRf: number;
}

/** Bumped whenever the same recipe would produce different data. */
export const SIMULATOR_VERSION = 1;

const DEFAULTS = {
  durationS: 60,
  unitCount: 6,
  seed: 1,
  grid: { rows: [29, 36], columns: [29, 36] } as GridSubset,
  samplingRateHz: 20_000,
  displayRateHz: 60,
  stimuli: ["baseline", "step", "noise"] as readonly SimulatedStimulus[],
  padFrames: 180,
  baselineFrames: 180,
  stepFrames: 120,
  stepRepeats: 3,
  stepLeadFrames: 60,
  cutoutSamples: 32,
  unitsWithoutRf: 0,
};

const KNOWN = [
  "outputDir",
  "datasetName",
  "durationS",
  "unitCount",
  "seed",
  "grid",
  "samplingRateHz",
  "displayRateHz",
  "stimuli",
  "padFrames",
  "baselineFrames",
  "stepFrames",
  "stepRepeats",
  "stepLeadFrames",
  "cutoutSamples",
  "unitsWithoutRf",
  "overwrite",
];

/** Checks `options` and fills in the defaults. Throws `ConfigurationError` naming the first bad value. */
export function resolveOptions(options: SimulateRecordingOptions): { recipe: SimulationRecipe; outputDir: string; overwrite: boolean } {
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new ConfigurationError(messages.notAnObject(options));
  for (const key of Object.keys(options)) if (!KNOWN.includes(key)) throw new ConfigurationError(messages.unknownOption(key, KNOWN));
  if (typeof options.outputDir !== "string" || options.outputDir.trim() === "") throw new ConfigurationError(messages.missingOutputDir());

  const seed = integer("seed", options.seed ?? DEFAULTS.seed, 0, 2 ** 32 - 1);
  const durationS = number("durationS", options.durationS ?? DEFAULTS.durationS, 0.1, 24 * 3600);
  const unitCount = integer("unitCount", options.unitCount ?? DEFAULTS.unitCount, 1, 4225);
  const samplingRateHz = number("samplingRateHz", options.samplingRateHz ?? DEFAULTS.samplingRateHz, 1000, 100_000);
  if (!Number.isInteger(1e6 / samplingRateHz)) throw new ConfigurationError(messages.rateNotTick(samplingRateHz));
  const displayRateHz = number("displayRateHz", options.displayRateHz ?? DEFAULTS.displayRateHz, 10, 240);
  const datasetName = options.datasetName ?? `sim-seed${seed}`;
  if (typeof datasetName !== "string" || datasetName.trim() === "" || /[/\\:*?"<>|.]/.test(datasetName)) {
    throw new ConfigurationError(messages.badName(options.datasetName));
  }
  const grid = resolveGrid(options.grid ?? DEFAULTS.grid);
  const stimuli = options.stimuli ?? DEFAULTS.stimuli;
  const allowed: readonly string[] = ["baseline", "step", "noise"];
  if (!Array.isArray(stimuli) || stimuli.length === 0 || new Set(stimuli).size !== stimuli.length || stimuli.some((s) => !allowed.includes(s))) {
    throw new ConfigurationError(messages.badStimuli(options.stimuli));
  }
  const recipe: SimulationRecipe = {
    simulatorVersion: SIMULATOR_VERSION,
    datasetName,
    durationS,
    unitCount,
    seed,
    grid,
    samplingRateHz,
    displayRateHz,
    stimuli: [...stimuli],
    padFrames: integer("padFrames", options.padFrames ?? DEFAULTS.padFrames, 0, 10_000),
    baselineFrames: integer("baselineFrames", options.baselineFrames ?? DEFAULTS.baselineFrames, 1, 1_000_000),
    stepFrames: integer("stepFrames", options.stepFrames ?? DEFAULTS.stepFrames, 1, 100_000),
    stepRepeats: integer("stepRepeats", options.stepRepeats ?? DEFAULTS.stepRepeats, 1, 1000),
    stepLeadFrames: integer("stepLeadFrames", options.stepLeadFrames ?? DEFAULTS.stepLeadFrames, 0, 100_000),
    cutoutSamples: integer("cutoutSamples", options.cutoutSamples ?? DEFAULTS.cutoutSamples, 0, 1000),
    unitsWithoutRf: integer("unitsWithoutRf", options.unitsWithoutRf ?? DEFAULTS.unitsWithoutRf, 0, unitCount),
  };
  const overwrite = options.overwrite ?? false;
  if (typeof overwrite !== "boolean") throw new ConfigurationError(messages.notInteger("overwrite", overwrite, 0, 1));
  return { recipe, outputDir: options.outputDir, overwrite };
}

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(messages.notInteger(name, value, min, max));
  }
  return value;
}

function number(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigurationError(messages.notNumber(name, value, min, max));
  }
  return value;
}

function resolveGrid(grid: unknown): GridSubset {
  if (grid === "full") return { rows: [1, CHIP_SIDE], columns: [1, CHIP_SIDE] };
  const candidate = grid as Partial<GridSubset> | null;
  const ok = (range: unknown): range is [number, number] =>
    Array.isArray(range) &&
    range.length === 2 &&
    range.every((v) => Number.isInteger(v) && v >= 1 && v <= CHIP_SIDE) &&
    range[0] <= range[1];
  if (typeof candidate !== "object" || candidate === null || !ok(candidate.rows) || !ok(candidate.columns)) {
    throw new ConfigurationError(messages.badGrid(grid));
  }
  return { rows: [candidate.rows[0], candidate.rows[1]], columns: [candidate.columns[0], candidate.columns[1]] };
}
