/**
 * STA viewer: the frames around the STA's peak as 15 × 15 heatmaps (one colour scale, centred on the peak pixel's
 * background) and the peak pixel's time course with the peak frame marked. The peak is `staPeak` (dsp/sta-peak.ts),
 * the same the units table and the extension's viewer show.
 */
import type { NdArray } from "../../hdf5/values";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { staPeak, type StaPeak } from "../../dsp/sta-peak";
import { pixelTrace } from "./peaks";
import { cellValue, requireNdArray, symmetricDomain, vegaLiteSpec } from "./spec-parts";

/** Options of {@link staSpec}. */
export interface StaSpecOptions {
  /** The STA, frames × rows × cols (e.g. 60 × 15 × 15). */
  sta: NdArray;
  /** Frames shown on each side of the peak frame. Default 4 (nine heatmaps). */
  framesAround?: number;
  /** Offset (in stimulus frames, relative to the spike) of the STA's first frame, e.g. `coverRange[0]`. Default −frames. */
  firstFrameOffset?: number;
  title?: string;
}

/** The prepared data of the STA viewer. */
export interface StaViewData {
  peak: StaPeak | null;
  /** One entry per pixel of each shown frame. */
  cells: { offset: number; x: number; y: number; value: number | null; peak: boolean }[];
  /** The peak pixel over all frames. */
  trace: { offset: number; value: number | null }[];
}

/** Phase 1: the frames around the peak and the peak pixel's trace as plain rows. */
export function staViewData(options: StaSpecOptions): StaViewData {
  const sta = requireNdArray(options.sta, "sta", 3, "frames × rows × cols");
  const [frames, rows, cols] = sta.shape;
  const firstOffset = options.firstFrameOffset ?? -frames;
  const peak = staPeak(sta);
  const around = Math.max(0, options.framesAround ?? 4);
  const center = peak?.frame ?? frames - 1;
  const from = Math.max(0, Math.min(center - around, frames - (2 * around + 1)));
  const to = Math.min(frames - 1, from + 2 * around);
  const data = sta.data as ArrayLike<number>;
  const cells: StaViewData["cells"] = [];
  for (let f = from; f <= to; f++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const value = Number(data[f * rows * cols + y * cols + x]);
        cells.push({ offset: f + firstOffset, x, y, value: cellValue(value), peak: peak !== null && f === peak.frame && y === peak.row && x === peak.col });
      }
    }
  }
  const trace = peak === null ? [] : pixelTrace(sta, peak.row, peak.col).map((value, f) => ({ offset: f + firstOffset, value: cellValue(value) }));
  return { peak, cells, trace };
}

/** Phase 2: the vega-lite spec of the STA viewer. */
export function staSpec(options: StaSpecOptions): VegaLiteSpec {
  const { peak, cells, trace } = staViewData(options);
  const firstOffset = options.firstFrameOffset ?? -options.sta.shape[0];
  const heatmaps: ProtocolJson = {
    data: { values: cells },
    facet: { column: { field: "offset", type: "ordinal", header: { title: "frame relative to spike", labelFontSize: 10 } } },
    spec: {
      width: 75,
      height: 75,
      layer: [
        {
          mark: "rect",
          encoding: {
            x: { field: "x", type: "ordinal", axis: null },
            y: { field: "y", type: "ordinal", axis: null },
            color: {
              field: "value",
              type: "quantitative",
              // Symmetric around the background level, so noise stays pale and ON/OFF read as red/blue.
              scale:
                peak === null
                  ? { scheme: "redblue", reverse: true }
                  : { scheme: "redblue", reverse: true, domain: symmetricDomain(peak.baseline, Math.abs(peak.value - peak.baseline)) },
              legend: { title: "STA" },
            },
          },
        },
        {
          transform: [{ filter: "datum.peak" }],
          mark: { type: "rect", fill: null, stroke: "black", strokeWidth: 1.5 },
          encoding: { x: { field: "x", type: "ordinal" }, y: { field: "y", type: "ordinal" } },
        },
      ],
    },
    resolve: { scale: { color: "shared" } },
  };
  const timeCourse: ProtocolJson = {
    data: { values: trace },
    width: 500,
    height: 120,
    title: peak === null ? "no finite STA values" : `peak pixel (row ${peak.row}, col ${peak.col})`,
    layer: [
      {
        mark: { type: "line", point: false },
        encoding: {
          x: { field: "offset", type: "quantitative", title: "frame relative to spike" },
          y: { field: "value", type: "quantitative", scale: { zero: false }, title: "STA" },
        },
      },
      ...(peak === null
        ? []
        : [{ data: { values: [{ offset: peak.frame + firstOffset }] }, mark: { type: "rule", strokeDash: [4, 3] }, encoding: { x: { field: "offset", type: "quantitative" } } }]),
    ],
  };
  return vegaLiteSpec(options.title ?? "STA", { vconcat: [heatmaps, timeCourse] });
}

/** One line describing the STA's peak. */
export function staText(options: StaSpecOptions): string {
  const peak = staPeak(options.sta);
  const title = options.title ?? "STA";
  if (peak === null) return `${title}: no finite values (no valid spikes?)`;
  const offset = peak.frame + (options.firstFrameOffset ?? -options.sta.shape[0]);
  return `${title}: peak at frame ${offset} relative to the spike, pixel (row ${peak.row}, col ${peak.col}), ${peak.polarity > 0 ? "ON" : "OFF"}, z ${peak.zScore.toFixed(1)}`;
}
