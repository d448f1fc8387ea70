/**
 * Notebook-facing receptive-field charts: they read the `rf_fit_*` features `fitReceptiveFields` stored, build the
 * spec with the pure builders of receptive-field.ts, render the SVG and show the bundle (resolving to nothing;
 * `show: false` only builds the chart and resolves to it, for `saveFigure`: {@link PlotResult}). Missing fits are `MissingInputError`s that name the step to run.
 */
import { MissingInputError } from "../../errors";
import { isNumericArray, isSessionMap, NdArray, type NumericArray, type SessionMap } from "../../hdf5/values";
import type { PipelineSession } from "../../session/session";
import { messages } from "../messages";
import { plotResult, plotSpec, type PlotOptions, type PlotResult } from "./chart";
import { rfMapSpec, rfMosaicSpec, rfOutlineOf, temporalFilterSpec, type MosaicUnit } from "./receptive-field";

/** Options of {@link plotRfMosaic}. */
export interface PlotRfMosaicOptions extends PlotOptions {
  session: PipelineSession;
  /** The fit feature; default the first `rf_fit_*` feature found. */
  feature?: string;
  /** Outline at this many sigmas (1 or 2 are usual). Default 1. */
  sigmas?: number;
  /** Also draw units whose RF is not significant (dotted, grey). Default false. */
  includeNotSignificant?: boolean;
}

/**
 * Shows the receptive-field outlines of all units together on the stimulus grid (a mosaic), coloured by polarity.
 *
 * @example await plotRfMosaic({ session, sigmas: 2 })
 * @example const mosaic = await plotRfMosaic({ session, show: false }); await saveFigure(mosaic, "figures/mosaic.svg")
 */
export function plotRfMosaic<O extends PlotRfMosaicOptions>(options: O): Promise<PlotResult<O>> {
  const name = options.feature ?? firstFitFeature(options.session);
  const units: MosaicUnit[] = [];
  let gridShape: [number, number] | undefined;
  for (const [unitId, unit] of Object.entries(options.session.unitMaps)) {
    const fit = fitOf(unit, name);
    if (fit === undefined) continue;
    const { data, metadata } = fit;
    if (gridShape === undefined && data.spatial_map instanceof NdArray) gridShape = [data.spatial_map.shape[0], data.spatial_map.shape[1]];
    units.push({
      unitId,
      ...rfOutlineOf(metadata),
      polarity: metadata.polarity === "OFF" ? "OFF" : "ON",
      significant: metadata.significant === true,
      fitValid: metadata.fit_valid !== false,
    });
  }
  if (units.length === 0 || gridShape === undefined || name === undefined) throw new MissingInputError(`units.*.features.${name ?? "rf_fit_*"}`, messages.noRfFits());
  const spec = rfMosaicSpec({ units, gridShape, sigmas: options.sigmas, includeNotSignificant: options.includeNotSignificant, title: `RF mosaic · ${name.replace(/^rf_fit_/, "")}` });
  const significant = units.filter((unit) => unit.significant).length;
  const on = units.filter((u) => u.significant && u.polarity === "ON").length;
  const implausible = units.filter((u) => u.fitValid === false).length;
  const text = `RF mosaic: ${significant} of ${units.length} units significant (${on} ON, ${significant - on} OFF)${implausible > 0 ? `; ${implausible} implausible fits left out` : ""}`;
  return plotResult(plotSpec(spec, text, options), options);
}

/** Options of {@link plotTemporalFilter} and {@link plotRfMap}. */
export interface PlotUnitRfOptions extends PlotOptions {
  session: PipelineSession;
  unitId: string;
  /** The fit feature; default the unit's first `rf_fit_*` feature. */
  feature?: string;
}

/** Shows a unit's temporal filter (the STA at its RF's peak pixel) against time before the spike, in ms. */
export function plotTemporalFilter<O extends PlotUnitRfOptions>(options: O): Promise<PlotResult<O>> {
  const { data, metadata } = unitFit(options);
  const time = data.temporal_filter_time_ms;
  const values = data.temporal_filter;
  if (!isNumericArray(time) || !isNumericArray(values)) throw new MissingInputError(`units.${options.unitId}.features.rf_fit_*.data.temporal_filter`, messages.noRfFit(options.unitId));
  const title = `temporal filter ${options.unitId} (pixel row ${String(metadata.peak_row)}, col ${String(metadata.peak_col)})`;
  return plotResult(plotSpec(temporalFilterSpec({ timeMs: numbers(time), values: numbers(values), title }), `${title}: peak at ${Number(metadata.peak_time_ms).toFixed(0)} ms`, options), options);
}

/** Shows a unit's RF spatial map with the fitted Gaussian's 1σ and 2σ outlines. */
export function plotRfMap<O extends PlotUnitRfOptions>(options: O): Promise<PlotResult<O>> {
  const { data, metadata } = unitFit(options);
  if (!(data.spatial_map instanceof NdArray)) throw new MissingInputError(`units.${options.unitId}.features.rf_fit_*.data.spatial_map`, messages.noRfFit(options.unitId));
  const fit = rfOutlineOf(metadata);
  const title = `RF ${options.unitId}: ${String(metadata.polarity)}, ${metadata.significant === true ? "significant" : "not significant"}`;
  const text = `${title}, centre (x ${fit.centerX.toFixed(2)}, y ${fit.centerY.toFixed(2)}), σ ${fit.sigmaMajor.toFixed(2)} × ${fit.sigmaMinor.toFixed(2)} px, R² ${Number(metadata.r_squared).toFixed(2)}`;
  return plotResult(plotSpec(rfMapSpec({ spatialMap: data.spatial_map, fit, title }), text, options), options);
}

function unitFit(options: PlotUnitRfOptions): { data: SessionMap; metadata: SessionMap } {
  const unit = options.session.unitMaps[options.unitId];
  if (unit === undefined) throw new MissingInputError(options.unitId, messages.unitNotFound(options.unitId, Object.keys(options.session.unitMaps)));
  const features = isSessionMap(unit.features) ? unit.features : {};
  const name = options.feature ?? Object.keys(features).find((key) => key.startsWith("rf_fit_"));
  const fit = fitOf(unit, name);
  if (fit === undefined) throw new MissingInputError(`units.${options.unitId}.features.${name ?? "rf_fit_*"}`, messages.noRfFit(options.unitId));
  return fit;
}

function fitOf(unit: Readonly<SessionMap>, name: string | undefined): { data: SessionMap; metadata: SessionMap } | undefined {
  if (name === undefined) return undefined;
  const entry = isSessionMap(unit.features) ? unit.features[name] : undefined;
  if (!isSessionMap(entry) || !isSessionMap(entry.data) || !isSessionMap(entry.metadata)) return undefined;
  return { data: entry.data, metadata: entry.metadata };
}

function firstFitFeature(session: PipelineSession): string | undefined {
  for (const unit of Object.values(session.unitMaps)) {
    const name = Object.keys(isSessionMap(unit.features) ? unit.features : {}).find((key) => key.startsWith("rf_fit_"));
    if (name !== undefined) return name;
  }
  return undefined;
}

function numbers(values: NumericArray): ArrayLike<number> {
  return values instanceof BigInt64Array || values instanceof BigUint64Array ? Float64Array.from(values, Number) : values;
}
