/** The light reference (photodiode trace) with the stimulus sections drawn over it. */
import type { NdArray, NumericArray } from "../../hdf5/values";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { cellValue, requireRate, round, vegaLiteSpec } from "./spec-parts";

/** Options of {@link lightReferenceSpec}. */
export interface LightReferenceSpecOptions {
  /** The trace, e.g. `stimulus.light_reference["10hz_ch1"]`. */
  trace: NumericArray;
  /** Samples per second of the trace (10 for `10hz_*`, 1000 for `1khz_*`, the acquisition rate for `raw_*`). */
  traceRateHz: number;
  /** `stimulus.section_time`: movie → (occurrences × 2) [start, end] in acquisition samples. */
  sectionTimes?: Readonly<Record<string, NdArray>>;
  /** Samples per second of the section times (`metadata.acquisition_rate`); needed with `sectionTimes`. */
  samplingRateHz?: number;
  /** Most points drawn; longer traces are reduced to the min and max of equal buckets. Default 2000. */
  maxPoints?: number;
  title?: string;
}

/** Phase 1: the trace reduced to min/max per bucket (so short flashes stay visible), in seconds. */
export function reduceTrace(trace: NumericArray, rateHz: number, maxPoints: number): { t: number; value: number | null }[] {
  const points: { t: number; value: number | null }[] = [];
  const n = trace.length;
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) points.push({ t: round(i / rateHz, 7), value: cellValue(Number(trace[i])) });
    return points;
  }
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    let minIndex = from;
    let maxIndex = from;
    for (let i = from; i < to; i++) {
      if (Number(trace[i]) < Number(trace[minIndex])) minIndex = i;
      if (Number(trace[i]) > Number(trace[maxIndex])) maxIndex = i;
    }
    for (const i of minIndex <= maxIndex ? [minIndex, maxIndex] : [maxIndex, minIndex]) {
      points.push({ t: round(i / rateHz, 7), value: cellValue(Number(trace[i])) });
    }
  }
  return points;
}

/** Phase 1: one band per section occurrence, in seconds. */
export function sectionBands(sectionTimes: Readonly<Record<string, NdArray>>, samplingRateHz: number): { movie: string; start: number; end: number }[] {
  const bands: { movie: string; start: number; end: number }[] = [];
  for (const [movie, times] of Object.entries(sectionTimes)) {
    if (times.shape.length !== 2 || times.shape[1] !== 2) continue;
    for (let i = 0; i < times.shape[0]; i++) {
      bands.push({ movie, start: round(Number(times.data[2 * i]) / samplingRateHz, 7), end: round(Number(times.data[2 * i + 1]) / samplingRateHz, 7) });
    }
  }
  return bands;
}

/** Phase 2: the trace as a line with the sections as coloured bands and labels. */
export function lightReferenceSpec(options: LightReferenceSpecOptions): VegaLiteSpec {
  const traceRate = requireRate(options.traceRateHz, "traceRateHz");
  const points = reduceTrace(options.trace, traceRate, options.maxPoints ?? 2000);
  const bands =
    options.sectionTimes === undefined ? [] : sectionBands(options.sectionTimes, requireRate(options.samplingRateHz, "samplingRateHz"));
  const layers: ProtocolJson[] = [];
  if (bands.length > 0) {
    layers.push({
      data: { values: bands },
      mark: { type: "rect", opacity: 0.18 },
      encoding: {
        x: { field: "start", type: "quantitative" },
        x2: { field: "end" },
        color: { field: "movie", type: "nominal", legend: { title: "section", orient: "bottom", columns: 2 } },
      },
    });
    layers.push({
      data: { values: bands },
      mark: { type: "text", angle: 270, align: "right", baseline: "top", dy: 2, fontSize: 9, y: 2 },
      encoding: { x: { field: "start", type: "quantitative" }, text: { field: "movie", type: "nominal" } },
    });
  }
  layers.push({
    data: { values: points },
    mark: { type: "line", strokeWidth: 1, color: "#333333" },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (s)" },
      // The trace is raw ADC counts of the photodiode (the files keep counts; no conversion factor is stored).
      y: { field: "value", type: "quantitative", title: "photodiode (raw ADC counts)", scale: { zero: false } },
    },
  });
  return vegaLiteSpec(options.title ?? "light reference", { width: 700, height: 200, layer: layers });
}
