/**
 * A unit's page: everything about one unit in one chart (a vega-lite `vconcat`, so it renders in JupyterLab and,
 * through its kernel-rendered SVG, on GitHub, nbviewer and in exported HTML):
 *
 *   session ──collect sections (pure builders; a missing input becomes a one-line note, never an empty chart)──▶
 *     waveform | auto-correlogram
 *     raster / PSTH / stimulus trace of one movie (shared time axis from the trial start)
 *     STA frames around the peak
 *     RF map with the fitted outline | temporal filter (ms)
 *   ──▶ unitPageSpec ──▶ render SVG ──▶ show
 */
import { MissingInputError } from "../../errors";
import { computeCorrelogram, CORRELOGRAM_DEFAULTS } from "../../dsp/correlogram";
import { isNumericArray, isSessionMap, NdArray, type NumericArray, type SessionMap, type SessionValue } from "../../hdf5/values";
import type { PipelineSession } from "../../session/session";
import { messages } from "../messages";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { plotResult, plotSpec, type PlotOptions, type PlotResult } from "./chart";
import { correlogramSpec } from "./correlogram";
import { reduceTrace } from "./light-reference";
import { psthSpec, rasterSpec } from "./raster";
import { rfMapSpec, rfOutlineOf, temporalFilterSpec } from "./receptive-field";
import { round, vegaLiteSpec } from "./spec-parts";
import { staSpec } from "./sta";
import { waveformSpec } from "./waveform";

/** One part of the page: a chart, or the reason it cannot be drawn. */
export type UnitPageSection = { title: string; spec: VegaLiteSpec } | { title: string; missing: string };

/** Options of {@link unitPageSpec}. */
export interface UnitPageSpecOptions {
  unitId: string;
  /** Rows of the page, each a list of sections shown side by side. */
  rows: readonly (readonly UnitPageSection[])[];
  /** A line under the title (spike count, position, …). */
  subtitle?: string;
}

/** Phase 2: the page as one vega-lite spec (sections keep their own data and scales). */
export function unitPageSpec(options: UnitPageSpecOptions): VegaLiteSpec {
  const rows: ProtocolJson[] = options.rows
    .filter((row) => row.length > 0)
    .map((row) => (row.length === 1 ? panelOf(row[0]) : { hconcat: row.map(panelOf), spacing: 30 }));
  return vegaLiteSpec(options.unitId, {
    title: options.subtitle === undefined ? options.unitId : { text: options.unitId, subtitle: options.subtitle, anchor: "start", fontSize: 16 },
    vconcat: rows,
    spacing: 25,
    resolve: { scale: { color: "independent", x: "independent", y: "independent" } },
  });
}

/** A section as a concat member: a chart without its top-level-only keys, or a one-line note. */
function panelOf(section: UnitPageSection): ProtocolJson {
  if ("missing" in section) {
    return {
      title: { text: section.title, anchor: "start" },
      width: 360,
      height: 24,
      data: { values: [{ note: section.missing }] },
      mark: { type: "text", align: "left", baseline: "middle", color: "#777", fontStyle: "italic", limit: 600 },
      encoding: { text: { field: "note" }, x: { value: 0 }, y: { value: 12 } },
    };
  }
  const panel: { [key: string]: ProtocolJson } = {};
  for (const [key, value] of Object.entries(section.spec)) if (key !== "$schema" && key !== "config") panel[key] = value;
  if (panel.title === undefined) panel.title = section.title;
  return panel;
}

/** Options of {@link showUnitPage}. */
export interface ShowUnitPageOptions extends PlotOptions {
  session: PipelineSession;
  unitId: string;
  /** Movie of the raster/PSTH; default the first sectioned movie that is not a noise movie (else the first one). */
  movie?: string;
}

/**
 * Shows one unit on one page: waveform, auto-correlogram, raster and PSTH with the stimulus trace, STA and
 * receptive-field fit. Sections whose data the session does not hold yet say which step makes it. Resolves to
 * nothing once shown; `show: false` only builds the page and resolves to its chart ({@link PlotResult}).
 *
 * @example await showUnitPage({ session, unitId: "unit_003" })
 */
export function showUnitPage<O extends ShowUnitPageOptions>(options: O): Promise<PlotResult<O>> {
  const { session, unitId } = options;
  const unit = session.unitMaps[unitId];
  if (unit === undefined) throw new MissingInputError(unitId, messages.unitNotFound(unitId, Object.keys(session.unitMaps)));
  const rate = numberOf(session.metadata.acquisition_rate);
  const features = isSessionMap(unit.features) ? unit.features : {};
  const spikes = unit.spike_times;
  const spikeCount = isNumericArray(spikes) ? spikes.length : 0;
  const position = typeof unit.row === "number" && typeof unit.col === "number" ? `, electrode row ${unit.row} col ${unit.col}` : "";
  const movie = options.movie ?? defaultMovie(unit);
  const rf = rfSections(features, unitId);
  const spec = unitPageSpec({
    unitId,
    subtitle: `${spikeCount} spikes${rate !== null ? ` in ${(lastSpike(spikes) / rate).toFixed(1)} s` : ""}${position}`,
    rows: [
      [waveformSection(unit, rate, unitId), acgSection(spikes, rate, unitId)],
      trialSections(session, unit, unitId, movie, rate),
      [staSection(features, unitId)],
      rf,
    ],
  });
  return plotResult(plotSpec(spec, `unit page ${unitId}: ${spikeCount} spikes`, options), options);
}

function waveformSection(unit: Readonly<SessionMap>, rate: number | null, unitId: string): UnitPageSection {
  const title = "waveform";
  const waveform = unit.waveform;
  if (!isNumericArray(waveform) || waveform.length === 0) return { title, missing: messages.noWaveform(unitId) };
  return { title, spec: waveformSpec({ waveform, samplingRateHz: rate ?? undefined, title }) };
}

function acgSection(spikes: SessionValue, rate: number | null, unitId: string): UnitPageSection {
  const title = "auto-correlogram";
  if (!isNumericArray(spikes) || spikes.length < 2) return { title, missing: "fewer than two spikes: no auto-correlogram." };
  if (rate === null) return { title, missing: messages.noAcquisitionRate() };
  const train = numbers(spikes);
  const correlogram = computeCorrelogram({ spikesA: train, samplingRateHz: rate, binMs: CORRELOGRAM_DEFAULTS.binMs, windowMs: CORRELOGRAM_DEFAULTS.windowMs });
  const spec = correlogramSpec({ panels: [{ unitA: unitId, unitB: unitId, correlogram }], refractoryMs: 1.5, title });
  return { title, spec };
}

function trialSections(session: PipelineSession, unit: Readonly<SessionMap>, unitId: string, movie: string | undefined, rate: number | null): UnitPageSection[] {
  const title = movie === undefined ? "raster and PSTH" : `raster · ${movie}`;
  const sectioned = isSessionMap(unit.spike_times_sectioned) ? unit.spike_times_sectioned : {};
  const entry = movie === undefined ? undefined : sectioned[movie];
  if (!isSessionMap(entry) || !isSessionMap(entry.trials_spike_times) || !(entry.trials_start_end instanceof NdArray)) {
    const reason =
      movie === undefined
        ? "no sectioned spikes yet: run addSectionTime and sectionSpikeTimes."
        : messages.noSectionedMovie(unitId, movie, Object.keys(sectioned));
    return [{ title, missing: reason }];
  }
  if (rate === null) return [{ title, missing: messages.noAcquisitionRate() }];
  const trials: Record<string, NumericArray> = {};
  for (const [key, value] of Object.entries(entry.trials_spike_times)) if (isNumericArray(value)) trials[key] = value;
  const input = { trials, trialsStartEnd: entry.trials_start_end, samplingRateHz: rate };
  const sections: UnitPageSection[] = [
    { title, spec: rasterSpec({ ...input, title, maxPoints: 3000 }) },
    { title: "PSTH", spec: psthSpec({ ...input, title: `PSTH · ${movie} (50 ms bins)` }) },
  ];
  sections.push(stimulusSection(session, entry.trials_start_end, rate));
  return [{ title: `${title}`, spec: stackedTrialCharts(sections) }];
}

/** Raster, PSTH and stimulus trace stacked on one time axis (each section keeps its own y scale). */
function stackedTrialCharts(sections: readonly UnitPageSection[]): VegaLiteSpec {
  return vegaLiteSpec("", { vconcat: sections.map(panelOf), spacing: 8, resolve: { scale: { y: "independent" } } });
}

/** The photodiode trace (`light_reference.1khz_ch1`) over the first trial, aligned to the trial start. */
function stimulusSection(session: PipelineSession, trialsStartEnd: NdArray, rate: number): UnitPageSection {
  const title = "stimulus (light reference, trial 0)";
  const channels = isSessionMap(session.stimulus.light_reference) ? session.stimulus.light_reference : {};
  const trace = channels["1khz_ch1"];
  if (!isNumericArray(trace) || trace.length === 0) return { title, missing: "no light_reference.1khz_ch1 in the session (loadRecording reads it from the .cmcr)." };
  const start = Number(trialsStartEnd.data[0]);
  const end = Number(trialsStartEnd.data[1]);
  const from = Math.max(0, Math.floor((start / rate) * 1000));
  const to = Math.min(trace.length, Math.ceil((end / rate) * 1000));
  if (!(to > from)) return { title, missing: "the light reference does not cover the first trial." };
  const points = reduceTrace(trace.subarray(from, to), 1000, 1500).map((p) => ({ t: round(p.t + (from / 1000 - start / rate), 7), value: p.value }));
  return {
    title,
    spec: vegaLiteSpec(title, {
      width: 500,
      height: 70,
      data: { values: points },
      mark: { type: "line", strokeWidth: 1, color: "#555" },
      encoding: {
        x: { field: "t", type: "quantitative", title: "time from trial start (s)", scale: { domain: [0, round((end - start) / rate, 6)], nice: false } },
        y: { field: "value", type: "quantitative", title: "light", scale: { zero: false }, axis: { tickCount: 3 } },
      },
    }),
  };
}

function staSection(features: SessionMap, unitId: string): UnitPageSection {
  const name = Object.keys(features).find((key) => key.startsWith("sta_"));
  const title = name === undefined ? "STA" : `STA · ${name.replace(/^sta_/, "")}`;
  if (name === undefined) return { title, missing: messages.noStaFeature(unitId, Object.keys(features)) };
  const entry = features[name];
  const data = isSessionMap(entry) ? entry.data : entry;
  if (!(data instanceof NdArray) || data.ndim !== 3) return { title, missing: messages.featureMissing(unitId, name, Object.keys(features)) };
  const metadata = isSessionMap(entry) && isSessionMap(entry.metadata) ? entry.metadata : {};
  const coverRange = metadata.cover_range;
  const firstFrameOffset = Array.isArray(coverRange) || isNumericArray(coverRange) ? Number(coverRange[0]) : undefined;
  return { title, spec: staSpec({ sta: data, framesAround: 3, firstFrameOffset, title }) };
}

function rfSections(features: SessionMap, unitId: string): UnitPageSection[] {
  const name = Object.keys(features).find((key) => key.startsWith("rf_fit_"));
  const entry = name === undefined ? undefined : features[name];
  if (!isSessionMap(entry) || !isSessionMap(entry.data) || !isSessionMap(entry.metadata)) {
    return [{ title: "receptive-field fit", missing: `${unitId} has no rf_fit_* feature: run fitReceptiveFields after computeSta.` }];
  }
  const { data, metadata } = entry;
  const map = data.spatial_map;
  const fit = rfOutlineOf(metadata);
  const verdict = metadata.significant === true ? "significant" : "not significant";
  const z = Number(metadata.z_score);
  const title = `RF fit: ${metadata.polarity} · centre (${fit.centerX.toFixed(1)}, ${fit.centerY.toFixed(1)}) · σ ${fit.sigmaMajor.toFixed(2)}×${fit.sigmaMinor.toFixed(2)} px · R² ${Number(metadata.r_squared).toFixed(2)} · ${verdict}${Number.isFinite(z) ? ` (z ${z.toFixed(1)})` : ""}`;
  const sections: UnitPageSection[] = [];
  sections.push(map instanceof NdArray ? { title, spec: rfMapSpec({ spatialMap: map, fit, title, size: 200 }) } : { title, missing: "the fit has no spatial_map." });
  const time = data.temporal_filter_time_ms;
  const values = data.temporal_filter;
  sections.push(
    isNumericArray(time) && isNumericArray(values)
      ? { title: "temporal filter", spec: temporalFilterSpec({ timeMs: numbers(time), values: numbers(values), title: "temporal filter (peak pixel)", width: 320, height: 160 }) }
      : { title: "temporal filter", missing: "the fit has no temporal_filter." },
  );
  return sections;
}

/**
 * The sectioned movie with the most trials that is not a noise movie (a raster of repeated trials shows the
 * responses; one of noise rarely does), else the first movie.
 */
function defaultMovie(unit: Readonly<SessionMap>): string | undefined {
  const sectioned = isSessionMap(unit.spike_times_sectioned) ? unit.spike_times_sectioned : {};
  const trialCount = (name: string): number => {
    const bounds = isSessionMap(sectioned[name]) ? (sectioned[name] as SessionMap).trials_start_end : undefined;
    return bounds instanceof NdArray ? bounds.shape[0] : 0;
  };
  const movies = Object.keys(sectioned);
  const candidates = movies.filter((name) => !name.toLowerCase().includes("noise")).sort((a, b) => trialCount(b) - trialCount(a));
  return candidates[0] ?? movies[0];
}

/** Sample indices and filters as plain numbers (64-bit integer arrays from other writers included). */
function numbers(values: NumericArray): ArrayLike<number> {
  return values instanceof BigInt64Array || values instanceof BigUint64Array ? Float64Array.from(values, Number) : values;
}

function lastSpike(spikes: SessionValue): number {
  return isNumericArray(spikes) && spikes.length > 0 ? Number(spikes[spikes.length - 1]) : 0;
}

function numberOf(value: SessionValue): number | null {
  if (typeof value === "number") return value;
  if (isNumericArray(value) && value.length === 1) return Number(value[0]);
  return null;
}
