/**
 * Receptive-field charts from `fitReceptiveFields` results: the spatial map with the fitted Gaussian's outline, the
 * temporal filter on a time axis in ms, and the outlines of all units together as a mosaic on the stimulus grid.
 * Pure spec builders; x is the stimulus column and y the row (row 0 at the top, as the movie is shown).
 */
import type { NdArray } from "../../hdf5/values";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { cellValue, requireNdArray, round, symmetricDomain, vegaLiteSpec } from "./spec-parts";

/** The Gaussian parameters a chart needs (the `rf_fit_*` metadata). */
export interface RfOutline {
  centerX: number;
  centerY: number;
  sigmaMajor: number;
  sigmaMinor: number;
  angleRad: number;
}

/** The Gaussian outline stored in a unit's `rf_fit_*` metadata (`center_x`, `center_y`, `sigma_*`, `angle_rad`). */
export function rfOutlineOf(metadata: Readonly<Record<string, unknown>>): RfOutline {
  return {
    centerX: Number(metadata.center_x),
    centerY: Number(metadata.center_y),
    sigmaMajor: Number(metadata.sigma_major),
    sigmaMinor: Number(metadata.sigma_minor),
    angleRad: Number(metadata.angle_rad),
  };
}

/** One unit in a mosaic. */
export interface MosaicUnit extends RfOutline {
  unitId: string;
  polarity: "ON" | "OFF";
  significant: boolean;
  /** Whether the fit is plausible (`fit_valid`); implausible fits are left out of the mosaic. Default true. */
  fitValid?: boolean;
}

const ELLIPSE_POINTS = 48;

/** Points of the `sigmas`-sigma ellipse of a Gaussian, closed (first point repeated), in drawing order. */
export function ellipsePoints(outline: RfOutline, sigmas: number): { x: number; y: number; order: number }[] {
  const c = Math.cos(outline.angleRad);
  const s = Math.sin(outline.angleRad);
  const points: { x: number; y: number; order: number }[] = [];
  for (let k = 0; k <= ELLIPSE_POINTS; k++) {
    const phi = (2 * Math.PI * k) / ELLIPSE_POINTS;
    const u = sigmas * outline.sigmaMajor * Math.cos(phi);
    const v = sigmas * outline.sigmaMinor * Math.sin(phi);
    points.push({ x: round(outline.centerX + c * u - s * v, 5), y: round(outline.centerY + s * u + c * v, 5), order: k });
  }
  return points;
}

/** Quantitative x (column) and y (row, reversed) axes spanning the stimulus grid's pixel edges. */
function gridAxes(rows: number, cols: number): { x: ProtocolJson; y: ProtocolJson } {
  return {
    x: { field: "x", type: "quantitative", title: "stimulus column", scale: { domain: [-0.5, cols - 0.5], nice: false, zero: false } },
    y: {
      field: "y",
      type: "quantitative",
      title: "stimulus row",
      scale: { domain: [-0.5, rows - 0.5], nice: false, zero: false, reverse: true },
      axis: { tickMinStep: 1 },
    },
  };
}

/** Options of {@link rfMapSpec}. */
export interface RfMapSpecOptions {
  /** rows × cols spatial map (the `spatial_map` of an `rf_fit_*` feature). */
  spatialMap: NdArray;
  /** The fitted Gaussian; its 1- and 2-sigma outlines are drawn over the map. */
  fit?: RfOutline;
  title?: string;
  /** Width and height in pixels. Default 220. */
  size?: number;
}

/** The spatial map as a heatmap (red ON, blue OFF) with the fit's 1σ (solid) and 2σ (dashed) outlines. */
export function rfMapSpec(options: RfMapSpecOptions): VegaLiteSpec {
  const map = requireNdArray(options.spatialMap, "spatialMap", 2, "rows × cols");
  const [rows, cols] = map.shape;
  const size = options.size ?? 220;
  const cells: { x: number; x2: number; y: number; y2: number; value: number | null }[] = [];
  let largest = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const value = Number(map.data[y * cols + x]);
      if (Number.isFinite(value)) largest = Math.max(largest, Math.abs(value));
      cells.push({ x: x - 0.5, x2: x + 0.5, y: y - 0.5, y2: y + 0.5, value: cellValue(value) });
    }
  }
  const axes = gridAxes(rows, cols);
  const layers: ProtocolJson[] = [
    {
      data: { values: cells },
      mark: "rect",
      encoding: {
        x: axes.x,
        x2: { field: "x2" },
        y: axes.y,
        y2: { field: "y2" },
        color: { field: "value", type: "quantitative", scale: { scheme: "redblue", reverse: true, domain: symmetricDomain(0, largest) }, legend: { title: "grey levels" } },
      },
    },
  ];
  if (options.fit !== undefined) {
    for (const [sigmas, dash] of [[1, []], [2, [4, 3]]] as const) {
      layers.push({
        data: { values: ellipsePoints(options.fit, sigmas) },
        mark: { type: "line", stroke: "black", strokeWidth: 1.5, strokeDash: [...dash] },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, order: { field: "order" } },
      });
    }
  }
  return vegaLiteSpec(options.title ?? "receptive field", { width: size, height: Math.round((size * rows) / cols), layer: layers });
}

/** Options of {@link temporalFilterSpec}. */
export interface TemporalFilterSpecOptions {
  /** Time of each value relative to the spike, ms (`temporal_filter_time_ms`). */
  timeMs: ArrayLike<number>;
  /** The filter (`temporal_filter`, grey levels relative to the pixel's mean). */
  values: ArrayLike<number>;
  title?: string;
  width?: number;
  height?: number;
}

/** The temporal filter as a line over time before the spike (ms), with the zero level and the peak marked. */
export function temporalFilterSpec(options: TemporalFilterSpecOptions): VegaLiteSpec {
  const n = Math.min(options.timeMs.length, options.values.length);
  const rows: { timeMs: number; value: number | null }[] = [];
  let peak = -1;
  for (let i = 0; i < n; i++) {
    const value = Number(options.values[i]);
    rows.push({ timeMs: round(Number(options.timeMs[i]), 6), value: cellValue(value) });
    if (Number.isFinite(value) && (peak < 0 || Math.abs(value) > Math.abs(Number(options.values[peak])))) peak = i;
  }
  const layers: ProtocolJson[] = [
    { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#999" }, encoding: { y: { field: "zero", type: "quantitative" } } },
    {
      data: { values: rows },
      mark: { type: "line", point: { size: 12 } },
      encoding: {
        x: { field: "timeMs", type: "quantitative", title: "time relative to spike (ms)" },
        y: { field: "value", type: "quantitative", title: "STA − mean (grey levels)" },
      },
    },
  ];
  if (peak >= 0) {
    layers.push({
      data: { values: [{ timeMs: rows[peak].timeMs, label: `peak ${rows[peak].timeMs.toFixed(0)} ms` }] },
      layer: [
        { mark: { type: "rule", strokeDash: [4, 3] }, encoding: { x: { field: "timeMs", type: "quantitative" } } },
        { mark: { type: "text", align: "left", dx: 4, dy: -4, baseline: "bottom" }, encoding: { x: { field: "timeMs", type: "quantitative" }, y: { datum: 0 }, text: { field: "label" } } },
      ],
    });
  }
  return vegaLiteSpec(options.title ?? "temporal filter", { width: options.width ?? 360, height: options.height ?? 160, layer: layers });
}

/** Options of {@link rfMosaicSpec}. */
export interface RfMosaicSpecOptions {
  units: readonly MosaicUnit[];
  /** The stimulus grid, `[rows, cols]` (e.g. [15, 15]). */
  gridShape: readonly [number, number];
  /** Outline at this many sigmas. Default 1. */
  sigmas?: number;
  /** Draw units that are not significant too (dotted, grey). Default false. */
  includeNotSignificant?: boolean;
  title?: string;
  size?: number;
}

/**
 * Every unit's receptive-field outline on the stimulus grid, coloured by polarity, with a tooltip of the unit id.
 * Units whose fit is not plausible (`fitValid: false`) are left out; the title counts the units drawn.
 */
export function rfMosaicSpec(options: RfMosaicSpecOptions): VegaLiteSpec {
  const [rows, cols] = options.gridShape;
  const sigmas = options.sigmas ?? 1;
  const size = options.size ?? 420;
  const shown = options.units.filter((unit) => unit.fitValid !== false && (unit.significant || options.includeNotSignificant === true));
  const points: ProtocolJson[] = [];
  const centres: ProtocolJson[] = [];
  for (const unit of shown) {
    const group = unit.significant ? unit.polarity : "not significant";
    for (const point of ellipsePoints(unit, sigmas)) points.push({ ...point, unitId: unit.unitId, group });
    centres.push({ x: round(unit.centerX, 5), y: round(unit.centerY, 5), unitId: unit.unitId, group });
  }
  const axes = gridAxes(rows, cols);
  const color = {
    field: "group",
    type: "nominal",
    title: "polarity",
    scale: { domain: ["ON", "OFF", "not significant"], range: ["#d62728", "#1f77b4", "#aaaaaa"] },
  };
  const title = `${options.title ?? "receptive-field mosaic"} (${sigmas}σ outlines, ${shown.length} of ${options.units.length} units)`;
  return vegaLiteSpec(title, {
    width: size,
    height: Math.round((size * rows) / cols),
    layer: [
      {
        data: { values: [{ x: -0.5, x2: cols - 0.5, y: -0.5, y2: rows - 0.5 }] },
        mark: { type: "rect", fill: "#f4f4f4", stroke: "#cccccc" },
        encoding: { x: axes.x, x2: { field: "x2" }, y: axes.y, y2: { field: "y2" } },
      },
      {
        data: { values: points },
        mark: { type: "line", strokeWidth: 1.5, clip: true },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          detail: { field: "unitId", type: "nominal" },
          order: { field: "order" },
          color,
          strokeDash: { condition: { test: "datum.group === 'not significant'", value: [2, 2] }, value: [1, 0] },
        },
      },
      {
        data: { values: centres },
        mark: { type: "point", filled: true, size: 14, clip: true },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          color: { ...color, legend: null },
          tooltip: [{ field: "unitId", type: "nominal", title: "unit" }],
        },
      },
    ],
  });
}
