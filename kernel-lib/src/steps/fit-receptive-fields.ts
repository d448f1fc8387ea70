/**
 * `fitReceptiveFields`: a 2-D Gaussian receptive-field fit per unit from its STA, with a significance test against
 * shuffled spikes.
 *
 *   per unit with `sta_<movie>`: rank-1 split → temporal filter (ms axis) + spatial map → Gaussian fit
 *     (+ N STAs of circularly shifted spikes → z-score and p-value of the peak pixel energy)
 *   → feature `rf_fit_<movie>` = {data: {spatial_map, temporal_filter, temporal_filter_time_ms}, metadata: {…}}
 *
 * Stored keys (snake_case, under `units/<u>/features/rf_fit_<movie>/`):
 * - `data/spatial_map` float32 rows × cols: the STA projected on its temporal filter, grey levels (ON > 0, OFF < 0);
 * - `data/temporal_filter` float32 frames: the rank-1 STA deviation at the peak pixel, grey levels;
 * - `data/temporal_filter_time_ms` float64 frames: each STA frame's start relative to the spike frame, ms;
 * - `metadata/`: center_x, center_y (pixels: column and row of the stimulus grid, pixel centres at whole numbers),
 *   sigma_major, sigma_minor (pixels), angle_rad (major axis from +x towards +y), amplitude, offset, r_squared,
 *   converged, fit_valid (isPlausibleRf: centre on the grid, sizes between 0.3 px and a quarter of the grid side; a
 *   fit of noise wanders off, balloons or shrinks onto one pixel), polarity ("ON"/"OFF"), peak_row, peak_col, peak_frame_offset (frames relative to the spike),
 *   peak_time_ms, peak_energy (Σₜ (STA − pixel mean)² at the most energetic pixel), n_shuffles, shuffle_seed, null_mean, null_std, z_score, p_value,
 *   significant, min_z_score, max_p_value, frame_period_ms, cover_range, movie_name, sta_feature.
 *
 * A unit is `significant` when its z-score ≥ minZScore and its p-value ≤ maxPValue (needs shuffles > 0).
 */
import { ConfigurationError } from "../errors";
import { fitReceptiveField, isPlausibleRf } from "../dsp/receptive-field";
import { rfSignificance, type RfSignificance } from "../dsp/receptive-field";
import { movieContentStartFrame, spikeSamplesToMovieFrames, type StaMovie } from "../dsp/sta";
import { deriveSeed } from "../simulate/prng";
import { isNumericArray, isSessionMap, NdArray, type SessionMap } from "../hdf5/values";
import { frameTimestampsOf, mapOf, trialZeroOf } from "./compute-sta";
import { defineStep } from "./define-step";
import { rfMessages as messages } from "./rf-messages";
import { noiseMovieSource } from "./sta-movie-source";

/** Options of {@link fitReceptiveFields}. */
export interface FitReceptiveFieldsOptions {
  /** STAs of shuffled spikes per unit for the significance test (0 = no test). Default 20. */
  shuffles: number;
  /** Seed of the shuffles (whole number); each unit derives its own from it and its id. Default 0. */
  seed: number;
  /** Smallest z-score of a significant unit. Default 3. */
  minZScore: number;
  /** Largest shuffle p-value of a significant unit. Default 0.05. */
  maxPValue: number;
  /** The STA feature; default the units' first `sta_*` feature. */
  feature: string | null;
  /** Folder holding `<noise movie>.npy` (needed for shuffles). */
  stimuliDir: string | null;
  /** The noise movie as uint8 NdArray (frames × height × width), instead of `stimuliDir`. */
  movie: NdArray | null;
}

const PROGRESS_EVERY = 10;

/** Fits a 2-D Gaussian receptive field to every unit's STA and tests it against shuffled spikes. */
export const fitReceptiveFields = defineStep<FitReceptiveFieldsOptions>({
  name: "fit_receptive_fields",
  requires: [{ anyOf: ["compute_sta"], ifMissing: "warn", message: messages.noSta() }],
  defaults: { shuffles: 20, seed: 0, minZScore: 3, maxPValue: 0.05, feature: null, stimuliDir: null, movie: null },
  validate: (options) => {
    if (!Number.isInteger(options.shuffles) || options.shuffles < 0) throw new ConfigurationError(messages.shuffles(options.shuffles));
    if (!Number.isInteger(options.seed) || options.seed < 0) throw new ConfigurationError(messages.seed(options.seed));
    if (options.shuffles > 0 && options.movie === null && options.stimuliDir === null) throw new ConfigurationError(messages.noMovieSource());
  },
  run: (context) => {
    const { session, options, warn } = context;
    const unitIds = Object.keys(session.unitMaps);
    if (unitIds.length === 0) return warn(messages.noUnits());
    const staFeature = options.feature ?? firstStaFeature(session.unitMaps);
    if (staFeature === undefined) return context.skip(messages.noStaFeature());
    const frameTimestamps = frameTimestampsOf(session.stimulus, session.metadata);
    const rate = Number(session.metadata.acquisition_rate);
    const framePeriodMs = frameTimestamps !== undefined && rate > 0 ? medianStep(frameTimestamps) / rate * 1000 : NaN;
    if (!Number.isFinite(framePeriodMs)) warn(messages.noFramePeriod());

    const fits = new Map<string, { data: SessionMap; metadata: SessionMap }>();
    let done = 0;
    let movieName = "";
    let movie: StaMovie | undefined;
    for (const unitId of unitIds) {
      const entry = featureOf(session.unitMaps[unitId], staFeature);
      if (entry === undefined) continue;
      const coverRange = coverRangeOf(entry.metadata) ?? [-entry.sta.shape[0], 0];
      movieName = typeof entry.metadata.movie_name === "string" ? entry.metadata.movie_name : staFeature.replace(/^sta_/, "");
      const { decomposition, gaussian } = fitReceptiveField({ sta: entry.sta });
      let significance: RfSignificance = { shuffles: 0, nullMean: NaN, nullStd: NaN, zScore: NaN, pValue: 1 };
      if (options.shuffles > 0) {
        const spikeFrames = spikeFramesOf(session, unitId, movieName, frameTimestamps, warn);
        if (spikeFrames !== undefined) {
          movie ??= noiseMovieSource({ movieName, stimuliDir: options.stimuliDir, movie: options.movie }).movie;
          significance = rfSignificance({
            movie,
            spikeFrames,
            coverRange,
            peakEnergy: decomposition.peakEnergy,
            shuffles: options.shuffles,
            // Per-unit seeds (the simulator's derivation): adding a unit never changes another unit's shuffles.
            seed: deriveSeed(options.seed, unitId),
          });
        }
      }
      const frames = entry.sta.shape[0];
      const timeMs = Float64Array.from({ length: frames }, (_, t) => (coverRange[0] + t) * framePeriodMs);
      fits.set(unitId, {
        data: {
          spatial_map: new NdArray(Float32Array.from(decomposition.spatial), [decomposition.rows, decomposition.cols]),
          temporal_filter: Float32Array.from(decomposition.temporal),
          temporal_filter_time_ms: timeMs,
        },
        metadata: {
          center_x: gaussian.centerX,
          center_y: gaussian.centerY,
          sigma_major: gaussian.sigmaMajor,
          sigma_minor: gaussian.sigmaMinor,
          angle_rad: gaussian.angleRad,
          amplitude: gaussian.amplitude,
          offset: gaussian.offset,
          r_squared: gaussian.rSquared,
          converged: gaussian.converged,
          fit_valid: isPlausibleRf(gaussian, decomposition.rows, decomposition.cols),
          polarity: gaussian.amplitude >= 0 ? "ON" : "OFF",
          peak_row: decomposition.peakRow,
          peak_col: decomposition.peakCol,
          peak_frame_offset: coverRange[0] + decomposition.peakFrame,
          peak_time_ms: (coverRange[0] + decomposition.peakFrame) * framePeriodMs,
          peak_energy: decomposition.peakEnergy,
          n_shuffles: significance.shuffles,
          shuffle_seed: options.seed,
          null_mean: significance.nullMean,
          null_std: significance.nullStd,
          z_score: significance.zScore,
          p_value: significance.pValue,
          significant: significance.shuffles > 0 && significance.zScore >= options.minZScore && significance.pValue <= options.maxPValue,
          min_z_score: options.minZScore,
          max_p_value: options.maxPValue,
          frame_period_ms: framePeriodMs,
          cover_range: [coverRange[0], coverRange[1]],
          movie_name: movieName,
          sta_feature: staFeature,
        },
      });
      if (++done % PROGRESS_EVERY === 0) context.progress(done, unitIds.length, "units");
    }
    if (fits.size === 0) context.skip(messages.noUnitWithSta(staFeature));
    if (options.shuffles === 0) warn(messages.notTested());
    for (const [unitId, fit] of fits) session.addFeature(unitId, `rf_fit_${movieName}`, fit.data, fit.metadata);
    context.progress(unitIds.length, unitIds.length, "units");
  },
});

function firstStaFeature(units: Readonly<Record<string, Readonly<SessionMap>>>): string | undefined {
  for (const unit of Object.values(units)) {
    const features = isSessionMap(unit.features) ? unit.features : {};
    const name = Object.keys(features).find((key) => key.startsWith("sta_"));
    if (name !== undefined) return name;
  }
  return undefined;
}

function featureOf(unit: Readonly<SessionMap>, name: string): { sta: NdArray; metadata: SessionMap } | undefined {
  const entry = isSessionMap(unit.features) ? unit.features[name] : undefined;
  const data = isSessionMap(entry) ? entry.data : undefined;
  if (!(data instanceof NdArray) || data.ndim !== 3) return undefined;
  return { sta: data, metadata: isSessionMap(entry) && isSessionMap(entry.metadata) ? entry.metadata : {} };
}

function coverRangeOf(metadata: SessionMap): [number, number] | undefined {
  const range = metadata.cover_range;
  if ((Array.isArray(range) || isNumericArray(range)) && range.length === 2) return [Number(range[0]), Number(range[1])];
  return undefined;
}

/** The unit's noise spikes as movie frame offsets, as computeSta used them (or undefined with a warning). */
function spikeFramesOf(
  session: { stimulus: Readonly<SessionMap>; unitMaps: Readonly<Record<string, Readonly<SessionMap>>> },
  unitId: string,
  movieName: string,
  frameTimestamps: Float64Array | undefined,
  warn: (message: string) => void,
): Float64Array | undefined {
  const section = mapOf(session.stimulus.section_time)[movieName];
  const sectionStart = section instanceof NdArray ? Number(section.data[0]) : undefined;
  if (frameTimestamps === undefined || sectionStart === undefined) {
    warn(messages.noSpikeFrames(unitId, movieName));
    return undefined;
  }
  const trial = trialZeroOf(session.unitMaps[unitId], unitId, movieName, warn);
  if (trial === undefined) return undefined;
  const movieStartFrame = movieContentStartFrame({ sectionStartSample: sectionStart, frameTimestamps });
  return spikeSamplesToMovieFrames({ spikeSamples: trial.spikes, frameTimestamps, movieStartFrame });
}

function medianStep(values: Float64Array): number {
  if (values.length < 2) return NaN;
  const steps = new Float64Array(values.length - 1);
  for (let i = 1; i < values.length; i++) steps[i - 1] = values[i] - values[i - 1];
  steps.sort();
  return steps[Math.floor(steps.length / 2)];
}
