/**
 * The notebook-facing chart functions: each reads what it needs from the session, builds the spec with the pure
 * builder of its chart, renders the SVG and shows the bundle (`show: false` only returns the chart). Missing inputs
 * are `MissingInputError`s that name the step to run.
 */
import { MissingInputError } from "../../errors";
import { isNumericArray, isSessionMap, NdArray, type NumericArray, type SessionMap, type SessionValue } from "../../hdf5/values";
import type { PipelineSession } from "../../session/session";
import { unitsTable } from "../../arrow/units-table";
import { messages } from "../messages";
import { plotResult, plotSpec, type PlotOptions, type PlotResult } from "./chart";
import { eimageSpec, eimageText } from "./eimage";
import { lightReferenceSpec } from "./light-reference";
import { meanTrialStimulus, psthSpec, rasterSpec, type TrialSpikes } from "./raster";
import { staSpec, staText } from "./sta";
import { staPayload, type UnitSta } from "./sta-payload";
import { STA_MIME } from "../protocol";
import { unitsMapSpec, type ColumnTable } from "./units-map";

/** Options of {@link plotSta}. */
export interface PlotStaOptions extends PlotOptions {
  session: PipelineSession;
  unitId: string;
  /** Feature name; default the unit's first `sta_*` feature. */
  feature?: string;
  /** Frames shown on each side of the peak. Default 4. */
  framesAround?: number;
  /** Largest STA payload (the frames of every unit, base64) sent for the extension's viewer. Default 4 MiB. */
  maxStaPayloadBytes?: number;
}

/**
 * Shows a unit's STA: the frames around the peak as heatmaps and the peak pixel's time course (vega-lite + SVG). The
 * bundle also carries the STA frames of every unit with the same feature (the hdmea extension's STA viewer, with a
 * frame slider and a unit picker, shows them instead of the chart) unless they would take more than
 * `maxStaPayloadBytes`.
 */
export function plotSta<O extends PlotStaOptions>(options: O): Promise<PlotResult<O>> {
  const features = unitFeatures(options.session, options.unitId);
  const name = options.feature ?? Object.keys(features).find((key) => key.startsWith("sta_"));
  if (name === undefined) throw new MissingInputError(`units.${options.unitId}.features.sta_*`, messages.noStaFeature(options.unitId, Object.keys(features)));
  const { data, metadata } = featureEntry(features, options.unitId, name);
  const firstFrameOffset = coverRangeStart(metadata);
  const title = `STA ${options.unitId} · ${name.replace(/^sta_/, "")}`;
  const spec = { sta: data, framesAround: options.framesAround, firstFrameOffset, title };
  const payload = staPayload({
    selected: { unitId: options.unitId, sta: data },
    units: unitsWithSta(options.session, name, firstFrameOffset),
    feature: name,
    firstFrameOffset: firstFrameOffset ?? -data.shape[0],
    title: `STA · ${name.replace(/^sta_/, "")}`,
    maxBytes: options.maxStaPayloadBytes,
  });
  return plotResult(plotSpec(staSpec(spec), staText(spec), options, payload === null ? {} : { [STA_MIME]: payload }), options);
}

/** The start of a feature's `cover_range` metadata, or undefined when it has none. */
function coverRangeStart(metadata: SessionMap): number | undefined {
  const coverRange = metadata.cover_range;
  return Array.isArray(coverRange) || isNumericArray(coverRange) ? Number(coverRange[0]) : undefined;
}

/** Every unit whose feature `name` is an STA array with the same cover range start, in session order. */
function unitsWithSta(session: PipelineSession, name: string, firstFrameOffset: number | undefined): UnitSta[] {
  const found: UnitSta[] = [];
  for (const [unitId, unit] of Object.entries(session.units)) {
    const entry = isSessionMap(unit.features) ? unit.features[name] : undefined;
    const data = isSessionMap(entry) ? entry.data : entry;
    if (!(data instanceof NdArray)) continue;
    const metadata = isSessionMap(entry) && isSessionMap(entry.metadata) ? entry.metadata : {};
    if (coverRangeStart(metadata) === firstFrameOffset) found.push({ unitId, sta: data });
  }
  return found;
}

/** Options of {@link plotRaster} and {@link plotPsth}. */
export interface PlotTrialsOptions extends PlotOptions {
  session: PipelineSession;
  unitId: string;
  /** Movie name, a key of the unit's `spike_times_sectioned`. */
  movie: string;
  /** Samples per second of the spike times; default `metadata.acquisition_rate`. */
  samplingRateHz?: number;
  /**
   * The `stimulus.light_reference` channel drawn behind the spikes (mean over trials, grey), or false for none.
   * Default "1khz_ch1" when the session has it.
   */
  stimulusChannel?: string | false;
}

/** Shows the raster of a unit for one movie: spikes × trials, aligned to each trial's start. */
export function plotRaster<O extends PlotTrialsOptions & { maxPoints?: number }>(options: O): Promise<PlotResult<O>> {
  const input = trialInput(options);
  const count = Object.values(input.trials).reduce((sum, spikes) => sum + spikes.length, 0);
  const title = `raster ${options.unitId} · ${options.movie}`;
  return plotResult(plotSpec(rasterSpec({ ...input, title, maxPoints: options.maxPoints }), `${title}: ${count} spikes in ${input.trialsStartEnd.shape[0]} trials`, options), options);
}

/** Shows the PSTH of a unit for one movie (mean rate over trials). */
export function plotPsth<O extends PlotTrialsOptions & { binMs?: number }>(options: O): Promise<PlotResult<O>> {
  const input = trialInput(options);
  const title = `PSTH ${options.unitId} · ${options.movie} (${options.binMs ?? 50} ms bins)`;
  return plotResult(plotSpec(psthSpec({ ...input, binMs: options.binMs, title }), `${title}, ${input.trialsStartEnd.shape[0]} trials`, options), options);
}

/** Options of {@link plotEimage}. */
export interface PlotEimageOptions extends PlotOptions {
  session: PipelineSession;
  unitId: string;
  /** Feature name. Default "eimage_sta". */
  feature?: string;
  maxElectrodes?: number;
}

/** Shows a unit's electrical image: the peak frame on the electrode grid and the footprint over time. */
export function plotEimage<O extends PlotEimageOptions>(options: O): Promise<PlotResult<O>> {
  const name = options.feature ?? "eimage_sta";
  const { data, metadata } = featureEntry(unitFeatures(options.session, options.unitId), options.unitId, name);
  const samplingRateHz = numberOf(metadata.sampling_rate) ?? numberOf(options.session.metadata.acquisition_rate) ?? undefined;
  const spec = {
    eimage: data,
    samplingRateHz,
    preSamples: numberOf(metadata.pre_samples) ?? undefined,
    maxElectrodes: options.maxElectrodes,
    title: `electrical image ${options.unitId}`,
  };
  return plotResult(plotSpec(eimageSpec(spec), eimageText(spec), options), options);
}

/** Options of {@link plotLightReference}. */
export interface PlotLightReferenceOptions extends PlotOptions {
  session: PipelineSession;
  /** A key of `stimulus.light_reference`. Default "10hz_ch1". */
  channel?: string;
  /** Draw `stimulus.section_time` over the trace. Default true. */
  sections?: boolean;
}

/** Shows the light reference with the stimulus sections. */
export function plotLightReference<O extends PlotLightReferenceOptions>(options: O): Promise<PlotResult<O>> {
  const channel = options.channel ?? "10hz_ch1";
  const lightReference = options.session.stimulus.light_reference;
  const channels = isSessionMap(lightReference) ? lightReference : {};
  const trace = channels[channel];
  if (!isNumericArray(trace)) throw new MissingInputError(`stimulus.light_reference.${channel}`, messages.noLightReference(channel, Object.keys(channels)));
  const acquisitionRate = numberOf(options.session.metadata.acquisition_rate);
  const traceRateHz = channelRate(channel) ?? acquisitionRate;
  if (traceRateHz === null) throw new MissingInputError("metadata.acquisition_rate", messages.noAcquisitionRate());
  const sectionMap = options.session.stimulus.section_time;
  const sectionTimes: Record<string, NdArray> = {};
  if (options.sections !== false && isSessionMap(sectionMap)) {
    for (const [movie, times] of Object.entries(sectionMap)) if (times instanceof NdArray) sectionTimes[movie] = times;
  }
  const withSections = Object.keys(sectionTimes).length > 0 && acquisitionRate !== null;
  const title = `light reference ${channel}`;
  const spec = lightReferenceSpec({
    trace,
    traceRateHz,
    sectionTimes: withSections ? sectionTimes : undefined,
    samplingRateHz: acquisitionRate ?? undefined,
    title,
  });
  const text = `${title}: ${(trace.length / traceRateHz).toFixed(1)} s${withSections ? `, sections ${Object.keys(sectionTimes).join(", ")}` : ""}`;
  return plotResult(plotSpec(spec, text, options), options);
}

/** Options of {@link plotUnitsMap}. */
export interface PlotUnitsMapOptions extends PlotOptions {
  /** The session (its `unitsTable` is used) or a units table. */
  session?: PipelineSession;
  table?: ColumnTable;
  /** Column that gives the colour. Default "spike_count". */
  colorBy?: string;
}

/** Shows every unit at its array position, coloured by a column of the units table. */
export function plotUnitsMap<O extends PlotUnitsMapOptions>(options: O): Promise<PlotResult<O>> {
  const table = options.table ?? (options.session ? unitsTable(options.session) : undefined);
  if (table === undefined) throw new MissingInputError("session", messages.unitsMapNeedsInput());
  const colorBy = options.colorBy ?? "spike_count";
  return plotResult(plotSpec(unitsMapSpec({ table, colorBy }), `units map (${table.numRows} units) coloured by ${colorBy}`, options), options);
}

function unitFeatures(session: PipelineSession, unitId: string): SessionMap {
  const unit = session.units[unitId];
  if (unit === undefined) throw new MissingInputError(unitId, messages.unitNotFound(unitId, Object.keys(session.units)));
  return isSessionMap(unit.features) ? unit.features : {};
}

function featureEntry(features: SessionMap, unitId: string, name: string): { data: NdArray; metadata: SessionMap } {
  const entry = features[name];
  const data = isSessionMap(entry) ? entry.data : entry;
  if (!(data instanceof NdArray)) throw new MissingInputError(`units.${unitId}.features.${name}`, messages.featureMissing(unitId, name, Object.keys(features)));
  const metadata = isSessionMap(entry) && isSessionMap(entry.metadata) ? entry.metadata : {};
  return { data, metadata };
}

function trialInput(options: PlotTrialsOptions): TrialSpikes {
  const unit = options.session.units[options.unitId];
  if (unit === undefined) throw new MissingInputError(options.unitId, messages.unitNotFound(options.unitId, Object.keys(options.session.units)));
  const sectioned = isSessionMap(unit.spike_times_sectioned) ? unit.spike_times_sectioned : {};
  const movie = sectioned[options.movie];
  if (!isSessionMap(movie) || !isSessionMap(movie.trials_spike_times)) {
    throw new MissingInputError(
      `units.${options.unitId}.spike_times_sectioned.${options.movie}`,
      messages.noSectionedMovie(options.unitId, options.movie, Object.keys(sectioned)),
    );
  }
  if (!(movie.trials_start_end instanceof NdArray)) {
    throw new MissingInputError(
      `units.${options.unitId}.spike_times_sectioned.${options.movie}.trials_start_end`,
      messages.noTrialsStartEnd(options.unitId, options.movie),
    );
  }
  const trials: Record<string, NumericArray> = {};
  for (const [key, spikes] of Object.entries(movie.trials_spike_times)) if (isNumericArray(spikes)) trials[key] = spikes;
  const samplingRateHz = options.samplingRateHz ?? numberOf(options.session.metadata.acquisition_rate);
  if (samplingRateHz === null) throw new MissingInputError("metadata.acquisition_rate", messages.noAcquisitionRate());
  return { trials, trialsStartEnd: movie.trials_start_end, samplingRateHz, stimulus: trialStimulus(options, movie.trials_start_end, samplingRateHz) };
}

/** The light reference over the movie's trials, when the session has the channel (nothing otherwise). */
function trialStimulus(options: PlotTrialsOptions, trialsStartEnd: NdArray, samplingRateHz: number): { t: number; level: number }[] | undefined {
  if (options.stimulusChannel === false) return undefined;
  const channel = options.stimulusChannel ?? "1khz_ch1";
  const lightReference = options.session.stimulus.light_reference;
  const trace = isSessionMap(lightReference) ? lightReference[channel] : undefined;
  const traceRateHz = channelRate(channel);
  if (!isNumericArray(trace) || traceRateHz === null) return undefined;
  const stimulus = meanTrialStimulus({ trace, traceRateHz, trialsStartEnd, samplingRateHz });
  return stimulus.length > 0 ? stimulus : undefined;
}

function numberOf(value: SessionValue): number | null {
  if (typeof value === "number") return value;
  if (isNumericArray(value) && value.length === 1) return Number(value[0]);
  return null;
}

/** Samples per second named by a light-reference channel ("10hz_ch1" → 10, "1khz_ch2" → 1000); null for raw ones. */
function channelRate(channel: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(k?)hz_/i.exec(channel);
  if (match === null) return null;
  return Number(match[1]) * (match[2] ? 1000 : 1);
}
