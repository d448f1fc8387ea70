/**
 * `computeSta` (reference §3.7): the visual spike-triggered average of every unit over the dense-noise movie —
 * the receptive-field map.
 *
 *   find the noise movie in section_time → load + prepare the movie (cached) → per unit: trial 0 of its sectioned
 *   spikes → frame offsets (floor through the frame timestamps) → mean of the cover-range frames → feature
 *   `sta_<movie>` {data: float32 [W, H, Wd], metadata: n_spikes_used, n_spikes_excluded, cover_range, movie_name}
 *
 * Recoverable gaps (no units, no noise movie, no frame timestamps, a unit without sectioned spikes) are the
 * reference's warnings. A missing movie file, a movie of the wrong type or length, and an inverted cover range are
 * typed errors, thrown before the session changes.
 *
 * Decision not in the reference: without `force`, a unit whose `sta_<movie>` was already computed with the same
 * cover range is kept as it is (the reference's immediate mode skips every existing STA, even one computed with
 * another cover range; its session mode always recomputes).
 */
import { ConfigurationError, DataLoadError } from "../errors";
import { NdArray, type SessionMap, type SessionValue } from "../hdf5/values";
import { floorFrameIndex } from "../dsp/frames";
import { computeUnitSta, movieContentStartFrame, spikeSamplesToMovieFrames, type StaResult } from "../dsp/sta";
import { defineStep } from "./define-step";
import { unitIdsForStep } from "../quality/curation";
import { staMessages as messages } from "./sta-messages";
import { noiseMovieSource, type NoiseMovieSource } from "./sta-movie-source";

/** Options of {@link computeSta}. */
export interface ComputeStaOptions {
  /** `[start, end)` in display frames relative to the spike's frame; default `[-60, 0]` (the 60 frames before it). */
  coverRange: readonly [number, number];
  /** Folder holding `<noise movie name>.npy` (uint8, frames × height × width). */
  stimuliDir: string | null;
  /** The noise movie itself (uint8 NdArray, frames × height × width); used instead of `stimuliDir` when given. */
  movie: NdArray | null;
  /** Recompute STAs that already exist with the same cover range (default false: keep them). */
  force: boolean;
  /** Also process units labelled "reject" (default false: they are skipped, with a warning). */
  includeRejected: boolean;
}

const PROGRESS_EVERY = 25;

/** Computes the receptive-field STA of every unit over the session's dense-noise movie. */
export const computeSta = defineStep<ComputeStaOptions>({
  name: "compute_sta",
  requires: [{ anyOf: ["section_spike_times"], ifMissing: "warn", message: messages.notSectioned() }],
  defaults: { coverRange: [-60, 0], stimuliDir: null, movie: null, force: false, includeRejected: false },
  validate: (options) => {
    const range = options.coverRange as unknown;
    const ok =
      Array.isArray(range) && range.length === 2 && range.every((v) => Number.isInteger(v)) && (range[0] as number) < (range[1] as number);
    if (!ok) throw new ConfigurationError(messages.coverRange(range));
    if (options.movie === null && options.stimuliDir === null) throw new ConfigurationError(messages.noMovieSource());
  },
  run: (context) => {
    const { session, options, warn } = context;
    if (session.unitCount === 0) return warn(messages.noUnits());
    const unitIds = unitIdsForStep({ session, includeRejected: options.includeRejected, stepName: "compute_sta", warn });
    const sectionTime = mapOf(session.stimulus.section_time);
    const noiseMovies = Object.keys(sectionTime).filter((name) => name.toLowerCase().includes("noise"));
    if (noiseMovies.length === 0) return warn(messages.noNoiseMovie());
    if (noiseMovies.length > 1) warn(messages.severalNoiseMovies(noiseMovies));
    const movieName = noiseMovies[0];
    const frameTimestamps = frameTimestampsOf(session.stimulus, session.metadata);
    if (frameTimestamps === undefined) return warn(messages.noFrameTimestamps());
    const section = sectionTime[movieName];
    const sectionStart = section instanceof NdArray ? section.data[0] : ArrayBuffer.isView(section) ? (section as Float64Array)[0] : undefined;
    if (sectionStart === undefined) return warn(messages.noSectionTime(movieName));

    const source = noiseMovieSource({ movieName, stimuliDir: options.stimuliDir, movie: options.movie });
    const movieStartFrame = movieContentStartFrame({ sectionStartSample: Number(sectionStart), frameTimestamps });
    const coverRange: [number, number] = [options.coverRange[0], options.coverRange[1]];
    const featureName = `sta_${movieName}`;

    const trials = new Map<string, { spikes: Float64Array; bounds: NdArray | undefined }>();
    for (const unitId of unitIds) {
      const trial = trialZeroOf(session.unitMaps[unitId], unitId, movieName, warn);
      if (trial !== undefined) trials.set(unitId, trial);
    }
    checkFrameCount(source, trials, frameTimestamps, warn);

    const results = new Map<string, StaResult>();
    let done = 0;
    for (const [unitId, { spikes }] of trials) {
      if (!options.force && hasSta(session.unitMaps[unitId], featureName, coverRange)) continue;
      const spikeFrames = spikeSamplesToMovieFrames({ spikeSamples: spikes, frameTimestamps, movieStartFrame });
      results.set(unitId, computeUnitSta({ movie: source.movie, spikeFrames, coverRange }));
      if (++done % PROGRESS_EVERY === 0) context.progress(done, trials.size, "units");
    }
    for (const [unitId, result] of results) {
      session.addFeature(unitId, featureName, result.sta, {
        n_spikes_used: result.nSpikesUsed,
        n_spikes_excluded: result.nSpikesExcluded,
        cover_range: coverRange,
        movie_name: movieName,
      });
    }
    context.progress(trials.size, trials.size, "units");
  },
});

export function mapOf(value: SessionValue): Readonly<Record<string, SessionValue>> {
  return isMap(value) ? value : {};
}

function isMap(value: SessionValue): value is SessionMap {
  return typeof value === "object" && value !== null && !ArrayBuffer.isView(value) && !Array.isArray(value) && !(value instanceof NdArray);
}

/** `stimulus.frame_times.default` (our layout), the reference's `frame_times.frame_timestamps`, else `metadata.frame_timestamps`. */
export function frameTimestampsOf(stimulus: Readonly<SessionMap>, metadata: Readonly<SessionMap>): Float64Array | undefined {
  const frameTimes = mapOf(stimulus.frame_times);
  for (const candidate of [frameTimes.default, frameTimes.frame_timestamps, metadata.frame_timestamps]) {
    if (candidate instanceof Float64Array && candidate.length > 0) return candidate;
  }
  return undefined;
}

/** Trial "0" of the unit's sectioned noise spikes (§9 #4: the text key), or a per-unit warning. */
export function trialZeroOf(
  unit: Readonly<SessionMap>,
  unitId: string,
  movieName: string,
  warn: (message: string) => void,
): { spikes: Float64Array; bounds: NdArray | undefined } | undefined {
  if (!isMap(unit.spike_times_sectioned)) {
    warn(messages.noSectioned(unitId));
    return undefined;
  }
  const sectioned = unit.spike_times_sectioned[movieName];
  if (!isMap(sectioned)) {
    warn(messages.noSectionedMovie(unitId, movieName));
    return undefined;
  }
  const trials = sectioned.trials_spike_times;
  const first = isMap(trials) ? trials["0"] : undefined;
  if (!(first instanceof Float64Array)) {
    warn(messages.noTrials(unitId, movieName));
    return undefined;
  }
  const bounds = sectioned.trials_start_end instanceof NdArray ? sectioned.trials_start_end : undefined;
  return { spikes: first, bounds };
}

/**
 * The movie must have at least as many frames as trial 0 of the noise movie spans (the whole movie for a noise
 * config with one trial); a longer one is accepted with a warning that says how many frames were shown.
 */
function checkFrameCount(
  source: NoiseMovieSource,
  trials: ReadonlyMap<string, { bounds: NdArray | undefined }>,
  frameTimestamps: Float64Array,
  warn: (message: string) => void,
): void {
  let bounds: NdArray | undefined;
  for (const trial of trials.values()) if ((bounds = trial.bounds) !== undefined && bounds.data.length >= 2) break;
  if (bounds === undefined || bounds.data.length < 2) return;
  const startFrame = floorFrameIndex(frameTimestamps, Number(bounds.data[0]));
  const endFrame = floorFrameIndex(frameTimestamps, Number(bounds.data[1]));
  const shown = endFrame - startFrame;
  const clipped = endFrame >= frameTimestamps.length - 1;
  const frames = source.movie.frameCount;
  if (shown > 0 && frames < shown) {
    const message = messages.movieFrameCount(source.description, frames, shown, clipped);
    throw source.filePath === null ? new ConfigurationError(message) : new DataLoadError(source.filePath, message);
  }
  // As the reference: a longer movie is used as far as it was shown (spikes exist only there); say so.
  if (shown > 0 && frames > shown && !clipped) warn(messages.movieLongerThanShown(source.description, frames, shown));
}

function hasSta(unit: Readonly<SessionMap>, featureName: string, coverRange: readonly [number, number]): boolean {
  const entry = isMap(unit.features) ? unit.features[featureName] : undefined;
  const metadata = isMap(entry) && isMap(entry.metadata) ? entry.metadata : undefined;
  const range = metadata?.cover_range as readonly number[] | undefined;
  return Array.isArray(range) && range[0] === coverRange[0] && range[1] === coverRange[1];
}
