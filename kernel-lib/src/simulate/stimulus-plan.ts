/**
 * The simulated display: which frame shows what, and when. The playlist follows the reference's bookkeeping
 * (hdmea-pipeline.md §3.4): every movie is surrounded by `padFrames` dark frames and one extra frame, so movie m's
 * content starts at frame `fc + padFrames` where `fc` grows by `2·pad + length + 1` per movie. Four warm-up frames
 * precede frame 0 because the reference's frame detector drops the first four sync pulses (§3.10.5).
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";
import type { SimulatedStimulus, SimulationRecipe } from "./options";
import type { Random } from "./prng";

/** Side of the dense-noise checkerboard. */
export const NOISE_GRID = 15;
/** Display frames each noise pattern is held (60 Hz display, 15 Hz noise). */
export const NOISE_HOLD_FRAMES = 4;
/** Sync pulses the reference's frame detector drops. */
export const WARMUP_FRAMES = 4;
const MIN_NOISE_PATTERNS = 15;
const LEAD_S = 0.2;
const TAIL_S = 0.2;
const GREY = 127;
const WHITE = 255;
const DARK = 0;

/** One movie of the playlist. */
export interface PlannedMovie {
  readonly name: string;
  readonly kind: SimulatedStimulus;
  /** The playlist entry (the reference cuts it at the first dot). */
  readonly fileName: string;
  readonly lengthFrames: number;
  /** Display frame (index into the detected frame timestamps) of the first content frame. */
  readonly contentStartFrame: number;
  /** `section_kwargs` of the movie's stimulus config. */
  readonly sectionKwargs: { readonly start_frame: number; readonly trial_length_frame: number; readonly repeat: number };
}

/** The display timeline of a simulated recording. */
export interface StimulusPlan {
  readonly sampleCount: number;
  readonly framePeriodSamples: number;
  /** Samples the sync pulse stays high. */
  readonly pulseWidthSamples: number;
  /** Onsets of the four dropped warm-up frames. */
  readonly warmupOnsets: readonly number[];
  /**
   * Onset of every playlist frame: the last sample before its sync pulse rises, i.e. exactly the sample index the
   * reference's frame detector reports. The frame is on screen from `onset + 1` to the next onset.
   */
  readonly frameOnsets: Float64Array;
  readonly movies: readonly PlannedMovie[];
  /** Uniform level (0…255) of every playlist frame, or −1 for a noise frame. */
  readonly frameLevel: Int16Array;
  /** Noise pattern shown by every playlist frame, or −1. */
  readonly framePattern: Int32Array;
  /** Noise patterns, `patternCount × 225` values 0/255, row-major [row][column]. */
  readonly noisePatterns: Uint8Array;
  readonly noiseMovieName: string | null;
}

/** Lays out the playlist and draws the noise patterns. Throws `ConfigurationError` when the recording is too short. */
export function planStimulus(recipe: SimulationRecipe, random: Random): StimulusPlan {
  const rate = recipe.samplingRateHz;
  const sampleCount = Math.round(recipe.durationS * rate);
  const period = Math.round(rate / recipe.displayRateHz);
  const firstOnset = Math.round(LEAD_S * rate);
  const tail = Math.round(TAIL_S * rate);
  const available = Math.floor((sampleCount - tail - firstOnset) / period) - WARMUP_FRAMES - 1;
  const block = (length: number) => 2 * recipe.padFrames + length + 1;

  const fixedLengths = recipe.stimuli.filter((s) => s !== "noise").map((kind) => movieLength(kind, recipe, 0));
  const fixedFrames = fixedLengths.reduce((sum, length) => sum + block(length), 0);
  let noiseFrames = 0;
  if (recipe.stimuli.includes("noise")) {
    const room = available - fixedFrames - block(0);
    noiseFrames = Math.floor(room / NOISE_HOLD_FRAMES) * NOISE_HOLD_FRAMES;
    noiseFrames = Math.min(noiseFrames, NOISE_HOLD_FRAMES * 1_000_000);
  }
  const minNoise = recipe.stimuli.includes("noise") ? block(MIN_NOISE_PATTERNS * NOISE_HOLD_FRAMES) : 0;
  if (available < fixedFrames + minNoise || (recipe.stimuli.includes("noise") && noiseFrames < MIN_NOISE_PATTERNS * NOISE_HOLD_FRAMES)) {
    const neededFrames = WARMUP_FRAMES + 1 + fixedFrames + minNoise;
    throw new ConfigurationError(messages.tooShort(recipe.durationS, (firstOnset + tail + neededFrames * period + 1) / rate));
  }

  const movies: PlannedMovie[] = [];
  let fc = 0;
  for (const kind of recipe.stimuli) {
    const length = movieLength(kind, recipe, noiseFrames);
    movies.push(describeMovie(kind, recipe, length, fc + recipe.padFrames));
    fc += block(length);
  }
  const frameCount = fc;
  const frameOnsets = new Float64Array(frameCount);
  for (let f = 0; f < frameCount; f++) frameOnsets[f] = firstOnset + (WARMUP_FRAMES + f) * period;
  const warmupOnsets = Array.from({ length: WARMUP_FRAMES }, (_, k) => firstOnset + k * period);

  const frameLevel = new Int16Array(frameCount).fill(DARK);
  const framePattern = new Int32Array(frameCount).fill(-1);
  const patternCount = noiseFrames / NOISE_HOLD_FRAMES;
  const noisePatterns = new Uint8Array(patternCount * NOISE_GRID * NOISE_GRID);
  for (let i = 0; i < noisePatterns.length; i++) noisePatterns[i] = random.uniform() < 0.5 ? DARK : WHITE;
  for (const movie of movies) {
    for (let k = 0; k < movie.lengthFrames; k++) {
      const f = movie.contentStartFrame + k;
      if (movie.kind === "baseline") frameLevel[f] = GREY;
      else if (movie.kind === "step") frameLevel[f] = stepLevel(k, recipe);
      else {
        frameLevel[f] = -1;
        framePattern[f] = Math.floor(k / NOISE_HOLD_FRAMES);
      }
    }
  }
  return {
    sampleCount,
    framePeriodSamples: period,
    pulseWidthSamples: Math.max(1, Math.floor(period / 2)),
    warmupOnsets,
    frameOnsets,
    movies,
    frameLevel,
    framePattern,
    noisePatterns,
    noiseMovieName: movies.find((m) => m.kind === "noise")?.name ?? null,
  };
}

function movieLength(kind: SimulatedStimulus, recipe: SimulationRecipe, noiseFrames: number): number {
  if (kind === "baseline") return recipe.baselineFrames;
  if (kind === "step") return recipe.stepLeadFrames + 2 * recipe.stepFrames * recipe.stepRepeats;
  return noiseFrames;
}

function stepLevel(k: number, recipe: SimulationRecipe): number {
  if (k < recipe.stepLeadFrames) return DARK;
  return (k - recipe.stepLeadFrames) % (2 * recipe.stepFrames) < recipe.stepFrames ? WHITE : DARK;
}

function describeMovie(kind: SimulatedStimulus, recipe: SimulationRecipe, length: number, start: number): PlannedMovie {
  if (kind === "baseline") {
    return {
      name: "baseline_127",
      kind,
      fileName: "baseline_127.mov",
      lengthFrames: length,
      contentStartFrame: start,
      sectionKwargs: { start_frame: 0, trial_length_frame: length, repeat: 1 },
    };
  }
  if (kind === "step") {
    const seconds = recipe.stepFrames / recipe.displayRateHz;
    const duration = Number.isInteger(seconds) ? `${seconds}s` : `${recipe.stepFrames}f`;
    const name = `step_up_${duration}_b0_${recipe.stepRepeats}x`;
    return {
      name,
      kind,
      fileName: `${name}.mov`,
      lengthFrames: length,
      contentStartFrame: start,
      sectionKwargs: { start_frame: recipe.stepLeadFrames, trial_length_frame: 2 * recipe.stepFrames, repeat: recipe.stepRepeats },
    };
  }
  const name = "dense_noise_15x15_15hz";
  return {
    name,
    kind,
    fileName: `${name}.npy`,
    lengthFrames: length,
    contentStartFrame: start,
    sectionKwargs: { start_frame: 0, trial_length_frame: length, repeat: 1 },
  };
}

/** The noise movie as stored in its .npy: (frames, 15, 15) uint8, each pattern repeated for its hold frames. */
export function noiseMovieFrames(plan: StimulusPlan): Uint8Array {
  const cells = NOISE_GRID * NOISE_GRID;
  const patternCount = plan.noisePatterns.length / cells;
  const movie = new Uint8Array(patternCount * NOISE_HOLD_FRAMES * cells);
  for (let p = 0; p < patternCount; p++) {
    const pattern = plan.noisePatterns.subarray(p * cells, (p + 1) * cells);
    for (let h = 0; h < NOISE_HOLD_FRAMES; h++) movie.set(pattern, (p * NOISE_HOLD_FRAMES + h) * cells);
  }
  return movie;
}

/** Mean light level (0…1) of playlist frame `f`. */
export function frameBrightness(plan: StimulusPlan, f: number): number {
  const level = plan.frameLevel[f];
  if (level >= 0) return level / 255;
  const cells = NOISE_GRID * NOISE_GRID;
  const pattern = plan.noisePatterns.subarray(plan.framePattern[f] * cells, (plan.framePattern[f] + 1) * cells);
  let sum = 0;
  for (let i = 0; i < cells; i++) sum += pattern[i];
  return sum / (255 * cells);
}
