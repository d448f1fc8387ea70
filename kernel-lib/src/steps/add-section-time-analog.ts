/**
 * `addSectionTimeAnalog` (reference §3.5.1): sections of a stimulus shown outside the playlist bookkeeping (e.g.
 * the "iprgc_test" light steps after the movies), found as light onsets in the photodiode trace.
 *
 *   raw_ch1 + acquisition_rate → onsets (rises ≥ thresholdValue) → [onset, onset + plotDuration·rate] per onset
 *   → stimulus.section_time.<movie>, stimulus.light_template.<movie>, metadata.section_time_analog_<movie>
 *
 * Other movies in `section_time` are kept. Frame timestamps are not needed.
 */
import { analogSectionTimes, detectLightOnsets } from "../dsp/light-onsets";
import { ConfigurationError, MissingInputError } from "../errors";
import { isSessionMap } from "../hdf5/values";
import { numbersOf, sectionTimeOf } from "./add-section-time";
import { defineStep } from "./define-step";
import { sectionMessages as messages } from "./section-messages";

/** Options of {@link addSectionTimeAnalog}. */
export interface AddSectionTimeAnalogOptions {
  /** Minimum rise of raw_ch1 between consecutive samples that counts as a light onset (required, e.g. 1e5). */
  thresholdValue: number | null;
  /** Name under which the sections are stored in `stimulus.section_time`. */
  movieName: string;
  /** Length of every section in seconds. */
  plotDuration: number;
  /** Keep only the first `repeat` onsets as sections; null or 0 keeps all. */
  repeat: number | null;
  /** Detect again although `section_time.<movieName>` exists. */
  force: boolean;
}

/**
 * Finds light onsets in `stimulus.light_reference.raw_ch1` and stores one section of `plotDuration` seconds per
 * onset as `stimulus.section_time.<movieName>`, with the mean trace after every onset as its light template.
 *
 * @throws MissingInputError when the light reference, its raw_ch1 or `metadata.acquisition_rate` is missing.
 * @example await addSectionTimeAnalog({ thresholdValue: 1e5, movieName: "iprgc_test", plotDuration: 120, session })
 */
export const addSectionTimeAnalog = defineStep<AddSectionTimeAnalogOptions>({
  name: "add_section_time_analog",
  defaults: { thresholdValue: null, movieName: "iprgc_test", plotDuration: 120, repeat: null, force: false },
  validate: (options) => {
    const { thresholdValue, plotDuration, movieName, repeat } = options;
    if (typeof thresholdValue !== "number" || !Number.isFinite(thresholdValue)) {
      throw new ConfigurationError(messages.thresholdRequired(thresholdValue));
    }
    if (typeof plotDuration !== "number" || !(plotDuration > 0) || !Number.isFinite(plotDuration)) {
      throw new ConfigurationError(messages.plotDurationPositive(plotDuration));
    }
    if (typeof movieName !== "string" || movieName.trim() === "" || movieName.includes("/")) {
      throw new ConfigurationError(messages.movieNameRequired(movieName));
    }
    if (repeat !== null && (!Number.isInteger(repeat) || repeat < 0)) throw new ConfigurationError(messages.badRepeat(repeat));
  },
  run: ({ session, options, warn, skip }) => {
    const light = session.stimulus.light_reference;
    if (!isSessionMap(light)) throw new MissingInputError("stimulus/light_reference", messages.missingLightReference());
    const raw = numbersOf(light.raw_ch1);
    if (raw === undefined) throw new MissingInputError("stimulus/light_reference/raw_ch1", messages.missingRawCh1());
    const rate = session.metadata.acquisition_rate;
    if (typeof rate !== "number" || !(rate > 0)) throw new MissingInputError("metadata/acquisition_rate", messages.missingRate());

    const { movieName } = options;
    if (sectionTimeOf(session)?.[movieName] !== undefined && !options.force) return warn(messages.analogExists(movieName));

    const threshold = options.thresholdValue as number;
    const onsets = detectLightOnsets({ signal: raw, threshold });
    if (onsets.length === 0) return skip(messages.noOnsets(threshold));
    const result = analogSectionTimes({
      signal: raw,
      onsets,
      durationSamples: Math.trunc(options.plotDuration * rate),
      repeat: options.repeat,
    });
    if (result.truncatedCount > 0) warn(messages.analogTruncated(movieName, result.truncatedCount));

    session.addStimulus({ section_time: { [movieName]: result.sectionTime }, light_template: { [movieName]: result.lightTemplate } });
    session.addMetadata({
      [`section_time_analog_${movieName}`]: JSON.stringify({
        threshold_value: threshold,
        plot_duration: options.plotDuration,
        n_trials: result.sectionTime.shape[0],
      }),
    });
  },
});
