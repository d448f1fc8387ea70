/**
 * Electrical image (eimage STA): the frame where the spike footprint is strongest as a heatmap on the 65 × 65
 * electrode grid, and the footprint over time — the traces of the electrodes that carry most of it.
 */
import type { NdArray } from "../../hdf5/values";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { findPeak, pixelTrace, type ArrayPeak } from "./peaks";
import { cellValue, requireNdArray, round, symmetricDomain, vegaLiteSpec } from "./spec-parts";

/** Options of {@link eimageSpec}. */
export interface EimageSpecOptions {
  /** The eimage STA, window × 65 × 65 (any rows × cols grid works). */
  eimage: NdArray;
  /** Samples per second of the window; with it the time axis is in ms. */
  samplingRateHz?: number;
  /** Samples before the spike in the window (`pre_samples`, default 10): time 0 is the spike. */
  preSamples?: number;
  /** Most electrodes drawn in the footprint-over-time panel. Default 8. */
  maxElectrodes?: number;
  title?: string;
}

/** Phase 1: the peak frame's grid and the strongest electrodes' traces. */
export function eimageViewData(options: EimageSpecOptions): {
  peak: ArrayPeak | null;
  grid: { row: number; col: number; value: number | null }[];
  traces: { electrode: string; t: number; value: number | null }[];
} {
  const eimage = requireNdArray(options.eimage, "eimage", 3, "window × rows × cols");
  const [, rows, cols] = eimage.shape;
  const peak = findPeak(eimage);
  const frame = peak?.frame ?? 0;
  const data = eimage.data as ArrayLike<number>;
  const grid: { row: number; col: number; value: number | null }[] = [];
  const strength: { row: number; col: number; abs: number }[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const value = Number(data[frame * rows * cols + row * cols + col]);
      grid.push({ row, col, value: cellValue(value) });
      if (Number.isFinite(value)) strength.push({ row, col, abs: Math.abs(value - (peak?.mean ?? 0)) });
    }
  }
  strength.sort((a, b) => b.abs - a.abs);
  const rate = options.samplingRateHz;
  const pre = options.preSamples ?? 10;
  const timeOf = (sample: number) => (rate !== undefined && rate > 0 ? round(((sample - pre) / rate) * 1000, 5) : sample - pre);
  const traces: { electrode: string; t: number; value: number | null }[] = [];
  for (const { row, col } of strength.slice(0, Math.max(1, options.maxElectrodes ?? 8))) {
    const electrode = `r${row} c${col}`;
    pixelTrace(eimage, row, col).forEach((value, sample) => traces.push({ electrode, t: timeOf(sample), value: cellValue(value) }));
  }
  return { peak, grid, traces };
}

/** Phase 2: the eimage spec (heatmap beside the footprint over time). */
export function eimageSpec(options: EimageSpecOptions): VegaLiteSpec {
  const { peak, grid, traces } = eimageViewData(options);
  const withTime = options.samplingRateHz !== undefined && options.samplingRateHz > 0;
  const heatmap: ProtocolJson = {
    title: peak === null ? "no finite values" : `frame ${peak.frame} (peak at row ${peak.row}, col ${peak.col})`,
    data: { values: grid },
    width: 260,
    height: 260,
    mark: "rect",
    encoding: {
      x: { field: "col", type: "ordinal", axis: { values: [0, 16, 32, 48, 64], title: "column" } },
      y: { field: "row", type: "ordinal", axis: { values: [0, 16, 32, 48, 64], title: "row" } },
      color: { field: "value", type: "quantitative", scale: { scheme: "blueorange", domain: symmetricDomain(0, peak === null ? 1 : Math.abs(peak.value)) }, legend: { title: "µV" } },
    },
  };
  const footprint: ProtocolJson = {
    title: "footprint over time (strongest electrodes)",
    data: { values: traces },
    width: 300,
    height: 260,
    mark: { type: "line" },
    encoding: {
      x: { field: "t", type: "quantitative", title: withTime ? "time from spike (ms)" : "samples from spike" },
      y: { field: "value", type: "quantitative", title: "µV" },
      color: { field: "electrode", type: "nominal", legend: { title: "electrode" } },
    },
  };
  return vegaLiteSpec(options.title ?? "electrical image", { hconcat: [heatmap, footprint], resolve: { scale: { color: "independent" } } });
}

/** One line describing the eimage. */
export function eimageText(options: EimageSpecOptions): string {
  const peak = findPeak(options.eimage);
  const title = options.title ?? "electrical image";
  if (peak === null) return `${title}: no finite values`;
  return `${title}: strongest at frame ${peak.frame}, electrode (row ${peak.row}, col ${peak.col}), ${round(peak.value)} µV`;
}
