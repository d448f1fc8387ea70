/** Small pieces shared by the chart builders: the spec frame and checks of their array inputs. */
import { ConfigurationError } from "../../errors";
import { NdArray, type NumericArray } from "../../hdf5/values";
import { messages } from "../messages";
import { VEGALITE_SCHEMA_URL, type ProtocolJson, type VegaLiteSpec } from "../protocol";

/** Grey that reads on a light and on a dark background: texts and axes of every chart. */
const NEUTRAL_INK = "#888888";
const NEUTRAL_GRID = "#88888840";

/**
 * The look of every chart: a transparent background and grey texts and axes, readable in JupyterLab's light and
 * dark themes alike, so a chart drawn before a theme switch still reads after it (JupyterLab does not redraw
 * outputs on a switch), and in the static SVG on any page.
 */
const THEME_NEUTRAL_CONFIG: { [key: string]: ProtocolJson } = {
  background: "transparent",
  view: { stroke: null },
  // No ARIA labels: one per mark would triple the SVG of a 65 × 65 heatmap, and the SVG is the static fallback.
  aria: false,
  title: { color: NEUTRAL_INK, subtitleColor: NEUTRAL_INK },
  axis: { labelColor: NEUTRAL_INK, titleColor: NEUTRAL_INK, domainColor: NEUTRAL_INK, tickColor: NEUTRAL_INK, gridColor: NEUTRAL_GRID, labelOverlap: true },
  // The first label of an x axis starting at 0 is otherwise pushed right into the second ("0.00.2").
  axisX: { labelFlush: false },
  legend: { labelColor: NEUTRAL_INK, titleColor: NEUTRAL_INK },
  header: { labelColor: NEUTRAL_INK, titleColor: NEUTRAL_INK },
  text: { color: NEUTRAL_INK },
};

/** A spec with the v5 `$schema`, a title, the theme-neutral config and the given body. */
export function vegaLiteSpec(title: string, body: { [key: string]: ProtocolJson }): VegaLiteSpec {
  return { $schema: VEGALITE_SCHEMA_URL, title, config: THEME_NEUTRAL_CONFIG, ...body };
}

/** `value` as an NdArray of `ndim` dimensions (`expected` describes the shape for the error message). */
export function requireNdArray(value: unknown, what: string, ndim: number, expected: string): NdArray {
  if (!(value instanceof NdArray)) throw new ConfigurationError(messages.notNdArray(what));
  if (value.ndim !== ndim || value.shape.some((dim) => dim === 0)) throw new ConfigurationError(messages.badShape(what, expected, value.shape));
  return value;
}

export function requireRate(value: unknown, name: string): number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) throw new ConfigurationError(messages.badRate(name, value));
  return value;
}

/** A number rounded to `digits` significant digits, so inline data stays small. */
export function round(value: number, digits = 4): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}

/** A colour domain [center − halfWidth, center + halfWidth] (never empty). */
export function symmetricDomain(center: number, halfWidth: number): number[] {
  const half = halfWidth > 0 && Number.isFinite(halfWidth) ? halfWidth : 1;
  return [round(center - half), round(center + half)];
}

/** A finite number rounded for inline data, or null (JSON has no NaN; vega skips nulls). */
export function cellValue(value: number, digits = 4): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : null;
}

/** Trials of a sectioned spike train in numeric order of their keys ("0", "1", …, "10"). */
export function sortedTrials(trials: Readonly<Record<string, NumericArray>>): { trial: number; spikes: NumericArray }[] {
  return Object.keys(trials)
    .map((key) => ({ trial: Number(key), spikes: trials[key] }))
    .filter((entry) => Number.isFinite(entry.trial))
    .sort((a, b) => a.trial - b.trial);
}

/** Start sample of each trial from a (trials × 2) `trials_start_end` array. */
export function trialStarts(trialsStartEnd: NdArray): number[] {
  const [n] = trialsStartEnd.shape;
  const starts: number[] = [];
  for (let i = 0; i < n; i++) starts.push(Number(trialsStartEnd.data[i * 2]));
  return starts;
}

/** Length in samples of each trial from a (trials × 2) `trials_start_end` array. */
export function trialLengths(trialsStartEnd: NdArray): number[] {
  const [n] = trialsStartEnd.shape;
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) lengths.push(Number(trialsStartEnd.data[i * 2 + 1]) - Number(trialsStartEnd.data[i * 2]));
  return lengths;
}
