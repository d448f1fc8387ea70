/**
 * Notebook-facing views of single units: the spike waveform, auto-/cross-correlograms and the eimage footprint. Each reads what it needs
 * from the session, builds the spec with the pure builder of its chart, renders the SVG and shows the bundle
 * (resolving to nothing, so a cell ending in one prints no `Chart(…)` line; `show: false` only builds the chart and
 * resolves to it, for `saveFigure`: {@link PlotResult}). Missing inputs are `MissingInputError`s that name what to run.
 */
import { ConfigurationError, MissingInputError } from "../../errors";
import { computeCorrelogram, CORRELOGRAM_DEFAULTS } from "../../dsp/correlogram";
import { isNumericArray, isSessionMap, NdArray, type NumericArray, type SessionMap, type SessionValue } from "../../hdf5/values";
import type { PipelineSession } from "../../session/session";
import { messages } from "../messages";
import { plotResult, plotSpec, type PlotOptions, type PlotResult } from "./chart";
import { correlogramSpec, correlogramText, type CorrelogramPanel } from "./correlogram";
import { eimageFootprintSpec, eimageFootprintText } from "./eimage-footprint";
import { waveformSpec, waveformText } from "./waveform";

/** Options of {@link plotWaveform}. */
export interface PlotWaveformOptions extends PlotOptions {
  session: PipelineSession;
  unitId: string;
}

/**
 * Shows a unit's spike waveform (the mean of its included `.cmtr` cut-outs, in the sorter's source units) against
 * time from its peak, in ms at the session's acquisition rate.
 */
export function plotWaveform<O extends PlotWaveformOptions>(options: O): Promise<PlotResult<O>> {
  const unit = unitOf(options.session, options.unitId);
  const waveform = unit.waveform;
  if (!isNumericArray(waveform) || waveform.length === 0) {
    throw new MissingInputError(`units.${options.unitId}.waveform`, messages.noWaveform(options.unitId));
  }
  const spec = { waveform, samplingRateHz: numberOf(options.session.metadata.acquisition_rate) ?? undefined, title: `waveform ${options.unitId}` };
  return plotResult(plotSpec(waveformSpec(spec), waveformText(spec), options), options);
}

/** Options of {@link plotCorrelogram}. */
export interface PlotCorrelogramOptions extends PlotOptions {
  session: PipelineSession;
  /** One unit → its auto-correlogram; several → the matrix of every pair (auto-correlograms on the diagonal). */
  unitIds: readonly string[];
  /** Bin width. Default 1 ms. */
  binMs?: number;
  /** Total lag window centred on 0 (a whole multiple of binMs). Default 100 ms (±50 ms). */
  windowMs?: number;
  /** Lags shaded as the refractory period, ±refractoryMs; 0 turns the shading off. Default 1.5 ms. */
  refractoryMs?: number;
  /** Most units in the matrix. Default 6. */
  maxUnits?: number;
}

/**
 * Shows the auto-correlogram of one unit, or the correlogram matrix of several (row = reference unit, column =
 * target unit), with the refractory period shaded.
 *
 * @example await plotCorrelogram({ session, unitIds: ["unit_001", "unit_002"], binMs: 1, windowMs: 100 })
 */
export function plotCorrelogram<O extends PlotCorrelogramOptions>(options: O): Promise<PlotResult<O>> {
  const maxUnits = options.maxUnits ?? 6;
  const unitIds = [...(options.unitIds ?? [])];
  if (unitIds.length === 0 || unitIds.length > maxUnits) throw new ConfigurationError(messages.correlogramUnits(unitIds.length, maxUnits));
  const rate = numberOf(options.session.metadata.acquisition_rate);
  if (rate === null) throw new MissingInputError("metadata.acquisition_rate", messages.noAcquisitionRate());
  const trains = unitIds.map((unitId) => spikeTimesOf(options.session, unitId));
  const bins = { samplingRateHz: rate, binMs: options.binMs ?? CORRELOGRAM_DEFAULTS.binMs, windowMs: options.windowMs ?? CORRELOGRAM_DEFAULTS.windowMs };
  const panels: CorrelogramPanel[] = [];
  unitIds.forEach((unitA, a) =>
    unitIds.forEach((unitB, b) => {
      const correlogram = computeCorrelogram({ spikesA: trains[a], spikesB: a === b ? undefined : trains[b], ...bins });
      panels.push({ unitA, unitB, correlogram });
    }),
  );
  const refractoryMs = options.refractoryMs ?? 1.5;
  const spec = { panels, refractoryMs: refractoryMs > 0 ? refractoryMs : undefined };
  return plotResult(plotSpec(correlogramSpec(spec), correlogramText(spec), options), options);
}

/** Options of {@link plotEimageFootprint}. */
export interface PlotEimageFootprintOptions extends PlotOptions {
  session: PipelineSession;
  unitId: string;
  /** Feature holding the electrical image. Default "eimage_sta". */
  feature?: string;
  /** Electrodes on each side of the strongest one in the waveform panel. Default 3 (7 × 7). */
  radius?: number;
}

/**
 * Shows the footprint of a unit's electrical image (`computeEimageSta` / `loadRecordingWithEimageSta`): the
 * peak-to-peak amplitude on every electrode, and the waveforms of the electrodes around the strongest one drawn at
 * their places on the array.
 */
export function plotEimageFootprint<O extends PlotEimageFootprintOptions>(options: O): Promise<PlotResult<O>> {
  const name = options.feature ?? "eimage_sta";
  const features = unitOf(options.session, options.unitId).features;
  const entry = isSessionMap(features) ? features[name] : undefined;
  const data = isSessionMap(entry) ? entry.data : entry;
  if (!(data instanceof NdArray) || data.ndim !== 3) {
    const known = isSessionMap(features) ? Object.keys(features) : [];
    throw new MissingInputError(`units.${options.unitId}.features.${name}`, messages.noEimage(options.unitId, name, known));
  }
  const spec = { eimage: data, radius: options.radius, title: `eimage footprint ${options.unitId}` };
  return plotResult(plotSpec(eimageFootprintSpec(spec), eimageFootprintText(spec), options), options);
}

function unitOf(session: PipelineSession, unitId: string): Readonly<SessionMap> {
  const unit = session.unitMaps[unitId];
  if (unit === undefined) throw new MissingInputError(unitId, messages.unitNotFound(unitId, Object.keys(session.unitMaps)));
  return unit;
}

function spikeTimesOf(session: PipelineSession, unitId: string): ArrayLike<number> {
  const spikes: NumericArray | SessionValue = unitOf(session, unitId).spike_times;
  if (!isNumericArray(spikes)) throw new MissingInputError(`units.${unitId}.spike_times`, messages.noSpikeTimes(unitId));
  // Sample indices are Float64Array in memory (DESIGN §3); a 64-bit integer array from elsewhere is converted.
  return spikes instanceof BigInt64Array || spikes instanceof BigUint64Array ? Float64Array.from(spikes, Number) : spikes;
}

function numberOf(value: SessionValue): number | null {
  if (typeof value === "number") return value;
  if (isNumericArray(value) && value.length === 1) return Number(value[0]);
  return null;
}
