/**
 * A unit's spike waveform: the mean of its included cut-outs as the `.cmtr` stores them (`units.<id>.waveform`,
 * in the sorter's source units), drawn against time from the waveform's extremum.
 */
import { ConfigurationError } from "../../errors";
import type { NumericArray } from "../../hdf5/values";
import { messages } from "../messages";
import type { VegaLiteSpec } from "../protocol";
import { cellValue, round, vegaLiteSpec } from "./spec-parts";

/** Options of {@link waveformSpec}. */
export interface WaveformSpecOptions {
  /** The waveform samples (`units.<id>.waveform`). */
  waveform: NumericArray | readonly number[];
  /** Samples per second of the cut-out; with it the time axis is in ms, otherwise in samples. */
  samplingRateHz?: number;
  /** Unit of the values, for the y axis. Default "source units" (the `.cmtr` cut-outs are not in µV). */
  valueUnit?: string;
  title?: string;
}

/** Phase 1: one point per sample, `t` relative to the sample of largest magnitude (the spike's peak). */
export function waveformPoints(options: WaveformSpecOptions): { points: { t: number; value: number | null }[]; peakIndex: number } {
  const { waveform } = options;
  if (waveform.length === 0) throw new ConfigurationError(messages.emptyWaveform());
  let peakIndex = 0;
  for (let i = 1; i < waveform.length; i++) if (Math.abs(Number(waveform[i])) > Math.abs(Number(waveform[peakIndex]))) peakIndex = i;
  const rate = options.samplingRateHz;
  const inMs = rate !== undefined && rate > 0;
  const points: { t: number; value: number | null }[] = [];
  for (let i = 0; i < waveform.length; i++) {
    points.push({ t: inMs ? round(((i - peakIndex) / rate) * 1000, 6) : i - peakIndex, value: cellValue(Number(waveform[i]), 6) });
  }
  return { points, peakIndex };
}

/** Phase 2: the waveform as a line with its samples marked and a rule at the peak. */
export function waveformSpec(options: WaveformSpecOptions): VegaLiteSpec {
  const { points } = waveformPoints(options);
  const inMs = options.samplingRateHz !== undefined && options.samplingRateHz > 0;
  return vegaLiteSpec(options.title ?? "waveform", {
    width: 320,
    height: 200,
    data: { values: points },
    layer: [
      { mark: { type: "rule", color: "#bbbbbb" }, encoding: { x: { datum: 0, type: "quantitative" } } },
      {
        mark: { type: "line", point: { size: 12 } },
        encoding: {
          x: { field: "t", type: "quantitative", title: inMs ? "time from peak (ms)" : "samples from peak" },
          y: { field: "value", type: "quantitative", title: `amplitude (${options.valueUnit ?? "source units"})` },
        },
      },
    ],
  });
}

/** One line describing the waveform. */
export function waveformText(options: WaveformSpecOptions): string {
  const { points, peakIndex } = waveformPoints(options);
  const peak = points[peakIndex].value;
  const rate = options.samplingRateHz;
  const span = rate !== undefined && rate > 0 ? `${round((points.length / rate) * 1000, 3)} ms` : `${points.length} samples`;
  return `${options.title ?? "waveform"}: ${points.length} samples (${span}), peak ${peak} ${options.valueUnit ?? "source units"} at sample ${peakIndex}`;
}
