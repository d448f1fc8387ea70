/**
 * The footprint of a unit's electrical image: how large the spike is on every electrode (peak-to-peak over the
 * eimage window) as a heatmap, and the spike waveform of each electrode around the strongest one drawn at its place
 * on the array, so the spread and the shape changes (soma, axon) are seen at once. Rows and columns are 0-based
 * indices in the recorded block (chip row = first recorded row + index).
 */
import type { NdArray } from "../../hdf5/values";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { cellValue, requireNdArray, round, vegaLiteSpec } from "./spec-parts";

/** Options of {@link eimageFootprintSpec}. */
export interface EimageFootprintSpecOptions {
  /**
   * The eimage STA as `computeEimageSta` stores it (`features.eimage_sta.data`): window × columns × rows of the
   * recorded block — the vendor's sensor frame layout, row varying fastest.
   */
  eimage: NdArray;
  /** Electrodes drawn on each side of the strongest one in the waveform panel. Default 3 (a 7 × 7 block). */
  radius?: number;
  /** Unit of the values, for the legend. Default "µV". */
  valueUnit?: string;
  title?: string;
}

/** What the footprint view shows, as plain numbers. */
export interface EimageFootprintData {
  /** Peak-to-peak amplitude of every electrode (null where the eimage has no finite value). */
  amplitude: { row: number; col: number; value: number | null }[];
  /** The electrode with the largest peak-to-peak amplitude, or null for an all-NaN eimage. */
  strongest: { row: number; col: number; value: number } | null;
  /** The waveforms of the block around it, placed on the grid: x = col + time, y = row + scaled value. */
  traces: { electrode: string; x: number; y: number }[];
  /** Electrodes whose peak-to-peak amplitude is at least half the strongest one's. */
  electrodesAboveHalf: number;
}

/** Phase 1: peak-to-peak per electrode and the positioned waveforms around the strongest electrode. */
export function eimageFootprintData(options: EimageFootprintSpecOptions): EimageFootprintData {
  const eimage = requireNdArray(options.eimage, "eimage", 3, "window × columns × rows");
  const [window, cols, rows] = eimage.shape;
  const data = eimage.data as ArrayLike<number>;
  const frame = rows * cols;
  const ptp = new Float64Array(frame).fill(NaN);
  for (let e = 0; e < frame; e++) {
    let min = Infinity;
    let max = -Infinity;
    for (let t = 0; t < window; t++) {
      const v = Number(data[t * frame + e]);
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (max >= min) ptp[e] = max - min;
  }
  let best = -1;
  for (let e = 0; e < frame; e++) if (Number.isFinite(ptp[e]) && (best < 0 || ptp[e] > ptp[best])) best = e;
  const amplitude: EimageFootprintData["amplitude"] = [];
  // Electrode e of a frame sits at column floor(e / rows), row e % rows.
  for (let e = 0; e < frame; e++) amplitude.push({ row: e % rows, col: Math.floor(e / rows), value: cellValue(ptp[e]) });
  if (best < 0) return { amplitude, strongest: null, traces: [], electrodesAboveHalf: 0 };

  const strongest = { row: best % rows, col: Math.floor(best / rows), value: ptp[best] };
  let electrodesAboveHalf = 0;
  for (let e = 0; e < frame; e++) if (ptp[e] >= strongest.value / 2) electrodesAboveHalf++;
  const radius = Math.max(0, Math.floor(options.radius ?? 3));
  // One scale for every trace: the strongest electrode's swing fills most of one grid cell.
  const scale = strongest.value > 0 ? 0.9 / strongest.value : 0;
  const traces: EimageFootprintData["traces"] = [];
  for (let row = Math.max(0, strongest.row - radius); row <= Math.min(rows - 1, strongest.row + radius); row++) {
    for (let col = Math.max(0, strongest.col - radius); col <= Math.min(cols - 1, strongest.col + radius); col++) {
      const electrode = `r${row} c${col}`;
      for (let t = 0; t < window; t++) {
        const v = Number(data[t * frame + col * rows + row]);
        if (!Number.isFinite(v)) continue;
        const x = col - 0.42 + (window > 1 ? (0.84 * t) / (window - 1) : 0);
        traces.push({ electrode, x: round(x, 6), y: round(row - v * scale, 6) });
      }
    }
  }
  return { amplitude, strongest, traces, electrodesAboveHalf };
}

/** Phase 2: the amplitude heatmap beside the waveforms around the strongest electrode. */
export function eimageFootprintSpec(options: EimageFootprintSpecOptions): VegaLiteSpec {
  const { amplitude, strongest, traces } = eimageFootprintData(options);
  const unit = options.valueUnit ?? "µV";
  const [, cols, rows] = options.eimage.shape;
  const heatmap: ProtocolJson = {
    title: strongest === null ? "no finite values" : `peak-to-peak amplitude (largest at row ${strongest.row}, col ${strongest.col})`,
    data: { values: amplitude },
    width: 260,
    height: 260,
    mark: "rect",
    encoding: {
      x: { field: "col", type: "ordinal", title: "column index", axis: { values: gridTicks(cols) } },
      y: { field: "row", type: "ordinal", title: "row index", axis: { values: gridTicks(rows) } },
      color: { field: "value", type: "quantitative", scale: { scheme: "viridis" }, legend: { title: `${unit} p-p` } },
    },
  };
  const radius = Math.max(0, Math.floor(options.radius ?? 3));
  const waveforms: ProtocolJson = {
    title: strongest === null ? "no waveforms" : `waveforms around row ${strongest.row}, col ${strongest.col}`,
    data: { values: traces },
    width: 300,
    height: 300,
    mark: { type: "line", strokeWidth: 1, color: "#4c78a8" },
    encoding: {
      x: { field: "x", type: "quantitative", title: "column index", scale: { domain: blockDomain(strongest?.col, radius, cols) }, axis: { tickMinStep: 1 } },
      y: { field: "y", type: "quantitative", title: "row index", scale: { domain: blockDomain(strongest?.row, radius, rows), reverse: true }, axis: { tickMinStep: 1 } },
      detail: { field: "electrode", type: "nominal" },
    },
  };
  return vegaLiteSpec(options.title ?? "eimage footprint", { hconcat: [heatmap, waveforms] });
}

/** One line describing the footprint. */
export function eimageFootprintText(options: EimageFootprintSpecOptions): string {
  const { strongest, electrodesAboveHalf } = eimageFootprintData(options);
  const title = options.title ?? "eimage footprint";
  if (strongest === null) return `${title}: no finite values`;
  return (
    `${title}: largest at row ${strongest.row}, col ${strongest.col} (${round(strongest.value)} ${options.valueUnit ?? "µV"} peak to peak), ` +
    `${electrodesAboveHalf} electrode${electrodesAboveHalf === 1 ? "" : "s"} above half of it`
  );
}

function gridTicks(size: number): number[] {
  const step = size > 16 ? 16 : size > 8 ? 4 : 1;
  const ticks: number[] = [];
  for (let i = 0; i < size; i += step) ticks.push(i);
  return ticks;
}

function blockDomain(center: number | undefined, radius: number, size: number): number[] {
  if (center === undefined) return [-0.5, size - 0.5];
  return [Math.max(0, center - radius) - 0.5, Math.min(size - 1, center + radius) + 0.5];
}
