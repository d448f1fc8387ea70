/**
 * Trials of a sectioned movie and the spike trains cut into them (reference §3.6): trial boundaries from the
 * movie's stimulus config (`section_kwargs`) and its first occurrence in `section_time`, then each unit's spikes
 * per trial, with the port decisions §9 #4 (trial keys "0", "1", … iterated numerically) and #14 (a movie
 * without a usable config is skipped on its own).
 */
import { ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import { clipFrame, floorFrameIndex } from "./frames";
import { messages } from "./messages";
import { lowerBound } from "./sorted-search";
import { SECTION_PADDING_FRAMES } from "./section-time";

/** The `section_kwargs` of a stimulus config, in display frames. */
export interface SectionConfig {
  /** First trial start relative to the movie content start (≥ 0). */
  startFrame: number;
  /** Trial duration (> 0). */
  trialLengthFrame: number;
  /** Trials per group (≥ 1). */
  repeat: number;
  /** Number of groups (≥ 1, default 1). */
  groupCount: number;
  /** Frames between consecutive groups (≥ 0, default 0). */
  groupGap: number;
}

/**
 * Validates a parsed stimulus-config JSON object (`{ section_kwargs: { start_frame, trial_length_frame, repeat,
 * group_count?, group_gap? } }`) with the reference's strict integer checks.
 *
 * JSON `1.0` parses to the integer 1 in JavaScript, so unlike the reference it is accepted here.
 * @throws ConfigurationError "Invalid config for '<movie>': …" naming the field.
 */
export function parseSectionConfig(options: { movieName: string; json: unknown }): SectionConfig {
  const { movieName, json } = options;
  const fail = (problem: string): never => {
    throw new ConfigurationError(messages.invalidStimulusConfig(movieName, problem));
  };
  if (!isObject(json)) return fail("the config must be a JSON object");
  const kwargs = json.section_kwargs;
  if (!isObject(kwargs)) return fail("missing 'section_kwargs' object");
  const integer = (field: string, minimum: number, fallback?: number): number => {
    const value = kwargs[field];
    if (value === undefined && fallback !== undefined) return fallback;
    if (value === undefined) return fail(`section_kwargs.${field} is required`);
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return fail(`section_kwargs.${field} must be int, got ${JSON.stringify(value)}`);
    }
    if (value < minimum) return fail(`section_kwargs.${field} must be >= ${minimum}, got ${value}`);
    return value;
  };
  return {
    startFrame: integer("start_frame", 0),
    trialLengthFrame: integer("trial_length_frame", 1),
    repeat: integer("repeat", 1),
    groupCount: integer("group_count", 1, 1),
    groupGap: integer("group_gap", 0, 0),
  };
}

/** Options of {@link computeTrialBoundaries}. */
export interface TrialBoundariesOptions {
  /** Start sample of the movie's first occurrence (`section_time[movie][0][0]`). */
  sectionStartSample: number;
  frameTimestamps: ArrayLike<number>;
  config: SectionConfig;
}

/** Trial boundaries of one movie. */
export interface TrialBoundaries {
  /** `[startFrame, endFrame]` per trial, clipped to the detected frames. */
  frames: Array<[number, number]>;
  /** `trials_start_end`: (trials × 2) sample indices `[start, end)`. */
  trialsStartEnd: NdArray<Float64Array>;
}

/**
 * Trial n (of groupCount · repeat, group g = ⌊n / repeat⌋) starts at frame
 * `F0 + 60 + startFrame + n·trialLengthFrame + g·groupGap` and lasts trialLengthFrame frames, where
 * F0 = floorFrame(section start) is the section's first frame and 60 the reference's hard-wired pre-margin.
 * Frames past the last detected one are clipped to it, so late trials can collapse to zero length.
 *
 * @example F0 = 120, config (120, 720, 3, 3 groups, gap 180) → frames (300,1020), (1020,1740), (1740,2460), (2640,3360), …
 */
export function computeTrialBoundaries(options: TrialBoundariesOptions): TrialBoundaries {
  const { frameTimestamps: ts, config } = options;
  if (ts.length === 0) throw new ConfigurationError(messages.noFrameTimestamps("computeTrialBoundaries"));
  const firstFrame = floorFrameIndex(ts, options.sectionStartSample);
  const total = config.groupCount * config.repeat;
  const frames: Array<[number, number]> = [];
  const samples = new Float64Array(total * 2);
  for (let n = 0; n < total; n++) {
    const group = Math.floor(n / config.repeat);
    const start =
      firstFrame + SECTION_PADDING_FRAMES.preMargin + config.startFrame + n * config.trialLengthFrame + group * config.groupGap;
    const startClipped = clipFrame(start, ts.length);
    const endClipped = clipFrame(start + config.trialLengthFrame, ts.length);
    frames.push([startClipped, endClipped]);
    samples[2 * n] = ts[startClipped];
    samples[2 * n + 1] = ts[endClipped];
  }
  return { frames, trialsStartEnd: new NdArray(samples, [total, 2]) };
}

/** `pad_margin` seconds → samples, truncated toward zero like the reference's `int(s · rate)`. */
export function padMarginToSamples(options: {
  padMarginS: readonly [number, number];
  samplingRateHz: number;
}): { preSamples: number; postSamples: number } {
  const { padMarginS, samplingRateHz } = options;
  if (!(samplingRateHz > 0)) throw new ConfigurationError(messages.samplingRate(samplingRateHz));
  padMarginS.forEach((value, i) => {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new ConfigurationError(messages.nonNegativeFinite(`padMarginS[${i}]`, value));
    }
  });
  return {
    preSamples: Math.trunc(padMarginS[0] * samplingRateHz),
    postSamples: Math.trunc(padMarginS[1] * samplingRateHz),
  };
}

/** Options of {@link sectionSpikeTrain}. */
export interface SectionSpikeTrainOptions {
  /** One unit's spike times as sample indices (any order; sorted trains are sectioned by binary search). */
  spikeSamples: ArrayLike<number>;
  /** (trials × 2) `[start, end)` sample indices, e.g. `computeTrialBoundaries(...).trialsStartEnd`. */
  trialsStartEnd: NdArray<Float64Array> | ReadonlyArray<readonly [number, number]>;
  /** Samples added before each trial start (not below sample 0). */
  preSamples?: number;
  /** Samples added after each trial end. */
  postSamples?: number;
}

/** One unit's spikes cut into trials. */
export interface SectionedSpikeTrain {
  /** Trial i's spikes (absolute sample indices, ascending) under the text key `String(i)`. */
  trialsSpikeTimes: Record<string, Float64Array>;
  /** Sorted union of all trials without duplicates (padded windows may overlap). */
  fullSpikeTimes: Float64Array;
}

/**
 * Trial i holds the spikes s with `max(0, start_i − preSamples) ≤ s < end_i + postSamples`.
 *
 * @example spikes [5,100,150,200,250,300], trials [(100,200),(150,300)], pre 60
 *   → "0": [100,150], "1": [100,150,200,250], full [100,150,200,250]
 */
export function sectionSpikeTrain(options: SectionSpikeTrainOptions): SectionedSpikeTrain {
  const pre = options.preSamples ?? 0;
  const post = options.postSamples ?? 0;
  const spikes = sortedCopy(options.spikeSamples);
  const bounds = boundsOf(options.trialsStartEnd);
  const trialsSpikeTimes: Record<string, Float64Array> = {};
  for (let i = 0; i < bounds.length; i++) {
    const low = lowerBound(spikes, Math.max(0, bounds[i][0] - pre));
    const high = lowerBound(spikes, bounds[i][1] + post);
    trialsSpikeTimes[String(i)] = spikes.slice(low, Math.max(low, high));
  }
  return { trialsSpikeTimes, fullSpikeTimes: uniqueUnion(Object.values(trialsSpikeTimes)) };
}

/** Options of {@link planSectioning}. */
export interface PlanSectioningOptions {
  /** `stimulus.section_time`: per movie (occurrences × 2) sample indices. */
  sectionTime: ReadonlyMap<string, NdArray | ArrayLike<number>> | Readonly<Record<string, NdArray | ArrayLike<number>>>;
  frameTimestamps: ArrayLike<number>;
  /** Parsed stimulus-config JSON per movie; `undefined` when the movie has no config file. */
  configs: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
  /** Only these movies (unknown names are ignored, as the reference does); all of `sectionTime` when omitted. */
  movieNames?: readonly string[];
}

/** Why a movie was not sectioned. */
export interface SkippedMovie {
  movie: string;
  reason: "missing-config" | "invalid-config" | "empty-section";
  /** A sentence for the session warning. */
  message: string;
}

/** Trial boundaries for every movie that can be sectioned, and the movies that cannot. */
export interface SectioningPlan {
  movies: Map<string, TrialBoundaries & { config: SectionConfig }>;
  skipped: SkippedMovie[];
}

/**
 * Decides the trials of every sectioned movie from its first occurrence. A movie without a config, with an
 * invalid config, or with no section rows is skipped on its own and listed in `skipped` (reference §9 #14:
 * the reference would refuse to section any movie).
 */
export function planSectioning(options: PlanSectioningOptions): SectioningPlan {
  const sectionTime = toMap(options.sectionTime);
  const configs = toMap(options.configs);
  const wanted = options.movieNames === undefined ? [...sectionTime.keys()] : options.movieNames.filter((m) => sectionTime.has(m));
  const movies = new Map<string, TrialBoundaries & { config: SectionConfig }>();
  const skipped: SkippedMovie[] = [];
  for (const movie of wanted) {
    const json = configs.get(movie);
    if (json === undefined) {
      skipped.push({ movie, reason: "missing-config", message: messages.missingStimulusConfig(movie) });
      continue;
    }
    let config: SectionConfig;
    try {
      config = parseSectionConfig({ movieName: movie, json });
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      skipped.push({ movie, reason: "invalid-config", message: error.message });
      continue;
    }
    const rows = sectionTime.get(movie);
    const data = rows instanceof NdArray ? rows.data : rows;
    if (data === undefined || data.length < 2) {
      skipped.push({ movie, reason: "empty-section", message: messages.emptySectionTime(movie) });
      continue;
    }
    const boundaries = computeTrialBoundaries({
      sectionStartSample: Number(data[0]),
      frameTimestamps: options.frameTimestamps,
      config,
    });
    movies.set(movie, { ...boundaries, config });
  }
  return { movies, skipped };
}

/**
 * Trial keys in numeric order ("0", "1", …, "10"), whatever order they were stored in (HDF5 lists "10" before
 * "2"; reference §9 #4).
 */
export function trialKeysInOrder(options: { trials: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown> }): string[] {
  const keys = options.trials instanceof Map ? [...options.trials.keys()] : Object.keys(options.trials);
  return keys.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toMap<T>(source: ReadonlyMap<string, T> | Readonly<Record<string, T>>): ReadonlyMap<string, T> {
  return source instanceof Map ? source : new Map(Object.entries(source as Record<string, T>));
}

function boundsOf(trials: NdArray<Float64Array> | ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  if (trials instanceof NdArray) {
    const rows: Array<[number, number]> = [];
    for (let i = 0; i + 1 < trials.data.length; i += 2) rows.push([trials.data[i], trials.data[i + 1]]);
    return rows;
  }
  return trials.map(([start, end]) => [start, end]);
}

/** The spikes in ascending order; a sorted Float64Array is used as it is (only read, and every trial is a copy). */
function sortedCopy(values: ArrayLike<number>): Float64Array {
  if (values instanceof Float64Array && isNonDecreasing(values)) return values;
  const copy = Float64Array.from(values);
  for (let i = 1; i < copy.length; i++) {
    if (copy[i] < copy[i - 1]) return copy.sort();
  }
  return copy;
}


function uniqueUnion(parts: Float64Array[]): Float64Array {
  const total = parts.reduce((n, part) => n + part.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  // Unpadded trials follow each other, so their concatenation is already in order; only overlapping padded
  // windows need the sort.
  if (!isNonDecreasing(all)) all.sort();
  let unique = 0;
  for (let i = 0; i < all.length; i++) {
    if (i === 0 || all[i] !== all[i - 1]) all[unique++] = all[i];
  }
  return unique === all.length ? all : all.slice(0, unique);
}

function isNonDecreasing(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1]) return false;
  return true;
}
