/**
 * `sectionSpikeTimes` (reference §3.6 with §9 #4 and #14): cuts every unit's spike train into the trials of each
 * sectioned movie.
 *
 *   section_time + frame timestamps + {movie}.json configs → trial boundaries from each movie's first occurrence
 *   → per unit and movie: trials_spike_times {"0", "1", …}, full_spike_times, trials_start_end, _attrs
 *
 * A movie without a usable stimulus config is skipped with a warning; the other movies are still sectioned (the
 * reference would section none).
 */
import * as path from "path";
import { padMarginToSamples, planSectioning, sectionSpikeTrain } from "../dsp/trials";
import { ConfigurationError, FileNotFoundError, HdmeaError } from "../errors";
import { isSessionMap, type SessionMap } from "../hdf5/values";
import { readStimulusConfig } from "../io/stimulus-configs";
import { frameTimestampsOf, numbersOf, sectionTimeOf } from "./add-section-time";
import { defineStep } from "./define-step";
import { unitIdsForStep } from "../quality/curation";
import { sectionMessages as messages } from "./section-messages";

/** Options of {@link sectionSpikeTimes}. */
export interface SectionSpikeTimesOptions {
  /** Seconds added before each trial start and after each trial end, `[before, after]`. */
  padMargin: readonly [number, number];
  /** Movies to section (names not in `section_time` are ignored); null sections every movie. */
  movieNames: readonly string[] | null;
  /** Folder of the `{movie}.json` stimulus configs (with `section_kwargs`). */
  configDir: string | null;
  /** Deprecated and ignored, as in the reference: the trial count comes from the stimulus config. */
  trialRepeats: number;
  /** Drop every unit's earlier `spike_times_sectioned` first; without it, only the movies sectioned now are replaced. */
  force: boolean;
  /** Also process units labelled "reject" (default false: they are skipped, with a warning). */
  includeRejected: boolean;
}

const DEFAULT_RATE_HZ = 20_000;
const DEPRECATED_TRIAL_REPEATS = 3;

/**
 * Stores, for every unit and sectioned movie, `units.<id>.spike_times_sectioned.<movie>` =
 * `{ full_spike_times, trials_spike_times: {"0": …, "1": …}, trials_start_end, _attrs }` with trial i holding the
 * spikes s with `max(0, start_i − pre) ≤ s < end_i + post` (pre/post = padMargin in samples).
 *
 * @example await sectionSpikeTimes({ configDir: "config/stimuli", padMargin: [0, 0], session })
 */
export const sectionSpikeTimes = defineStep<SectionSpikeTimesOptions>({
  name: "section_spike_times",
  requires: [{ anyOf: ["add_section_time"], ifMissing: "warn", message: messages.needsSectionTime() }],
  defaults: { padMargin: [0, 0], movieNames: null, configDir: null, trialRepeats: DEPRECATED_TRIAL_REPEATS, force: false, includeRejected: false },
  validate: (options) => {
    const { padMargin, movieNames, configDir } = options;
    if (!Array.isArray(padMargin) || padMargin.length !== 2 || !padMargin.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0)) {
      throw new ConfigurationError(messages.badPadMargin(padMargin));
    }
    if (movieNames !== null && (!Array.isArray(movieNames) || !movieNames.every((m) => typeof m === "string"))) {
      throw new ConfigurationError(messages.badMovieNames(movieNames));
    }
    if (typeof configDir !== "string" || configDir.trim() === "") throw new ConfigurationError(messages.configDirRequired());
  },
  run: ({ session, options, warn, skip, progress }) => {
    if (options.trialRepeats !== DEPRECATED_TRIAL_REPEATS) warn(messages.trialRepeatsDeprecated(options.trialRepeats));
    const frameTimestamps = frameTimestampsOf(session);
    if (frameTimestamps === undefined) return skip(messages.noFrameTimestamps());
    const sectionTime = sectionTimeOf(session);
    if (sectionTime === undefined || Object.keys(sectionTime).length === 0) return skip(messages.noSectionTimeData());

    const available = Object.keys(sectionTime);
    const wanted = options.movieNames === null ? available : unique(options.movieNames).filter((m) => available.includes(m));
    const unknown = (options.movieNames ?? []).filter((m) => !available.includes(m));
    if (unknown.length > 0) warn(messages.unknownMovies(unknown, available));
    if (wanted.length === 0) return skip(messages.noMovies());

    const configDir = path.resolve(options.configDir as string);
    const configs = new Map<string, unknown>();
    for (const movie of wanted) {
      try {
        const config = readStimulusConfig({ jsonPath: path.join(configDir, `${movie}.json`) });
        configs.set(movie, {
          section_kwargs: {
            start_frame: config.startFrame,
            trial_length_frame: config.trialLengthFrame,
            repeat: config.repeat,
            group_count: config.groupCount,
            group_gap: config.groupGap,
          },
        });
      } catch (error) {
        if (error instanceof FileNotFoundError) warn(messages.configValidationFailed(messages.missingConfig(movie, configDir)));
        else warn(messages.configValidationFailed(messages.invalidConfig(movie, describe(error))));
      }
    }
    const sectionRows: Record<string, ArrayLike<number>> = {};
    for (const movie of configs.keys()) sectionRows[movie] = numbersOf(sectionTime[movie]) ?? [];
    const plan = planSectioning({ sectionTime: sectionRows, frameTimestamps, configs, movieNames: [...configs.keys()] });
    for (const skipped of plan.skipped) warn(skipped.message);
    if (plan.movies.size === 0) return skip(messages.noMovies());

    const rate = session.metadata.acquisition_rate;
    const samplingRateHz = typeof rate === "number" && rate > 0 ? rate : DEFAULT_RATE_HZ;
    if (samplingRateHz !== rate) warn(messages.defaultRate());
    const { preSamples, postSamples } = padMarginToSamples({ padMarginS: options.padMargin, samplingRateHz });

    const updates: Record<string, SessionMap> = {};
    const unitIds = unitIdsForStep({ session, includeRejected: options.includeRejected, stepName: "section_spike_times", warn });
    unitIds.forEach((unitId, index) => {
      const unit = session.units[unitId];
      const spikes = numbersOf(unit.spike_times);
      if (spikes === undefined) {
        warn(messages.unitWithoutSpikes(unitId));
        return;
      }
      const sectioned: SessionMap = !options.force && isSessionMap(unit.spike_times_sectioned) ? { ...unit.spike_times_sectioned } : {};
      for (const [movie, trials] of plan.movies) {
        const train = sectionSpikeTrain({ spikeSamples: spikes, trialsStartEnd: trials.trialsStartEnd, preSamples, postSamples });
        sectioned[movie] = {
          full_spike_times: train.fullSpikeTimes,
          trials_spike_times: train.trialsSpikeTimes,
          trials_start_end: trials.trialsStartEnd,
          _attrs: {
            n_trials: trials.trialsStartEnd.shape[0],
            pad_margin: [options.padMargin[0], options.padMargin[1]],
            pre_samples: preSamples,
            post_samples: postSamples,
          },
        };
      }
      updates[unitId] = { spike_times_sectioned: sectioned };
      if ((index + 1) % 100 === 0 || index + 1 === unitIds.length) progress(index + 1, unitIds.length, "units sectioned");
    });
    session.addUnits(updates);
  },
});

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function describe(error: unknown): string {
  if (error instanceof HdmeaError) return error.message;
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}
