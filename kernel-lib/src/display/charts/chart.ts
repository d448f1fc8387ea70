/**
 * A rendered chart and its bundle. Every chart follows the same phases (STYLE §2.5):
 *
 *   prepare data (plain numbers) ──build spec (pure, vega-lite v5 object)──▶ renderSvg (vega in the kernel)
 *     ──▶ ChartBundle {vega-lite object, image/svg+xml, text/plain} — never text/html, which would outrank the chart
 *         (+ extras a viewer of the extension shows instead: the STA frames of STA charts)
 */
import { formatBytes } from "../html";
import { JUPYTER_DISPLAY, PLAIN_MIME, STA_MIME, SVG_MIME, VEGALITE_MIME, type ChartBundle, type VegaLiteSpec } from "../protocol";
import { defaultDisplayWriter, type DisplayWriter } from "../writer";
import { renderSvg } from "./render";

/** A chart: its spec, its SVG, one line of text, and the bundle made of them. */
export interface Chart {
  readonly spec: VegaLiteSpec;
  readonly svg: string;
  readonly text: string;
  /** Compiler and renderer warnings (empty for a clean chart). */
  readonly warnings: readonly string[];
  readonly bundle: ChartBundle;
  [JUPYTER_DISPLAY](): ChartBundle;
}

/** Mimetypes a chart may carry besides its spec, SVG and text (an interactive viewer's data). */
export type ChartExtras = Pick<ChartBundle, typeof STA_MIME>;

/** The bundle of a spec and its rendered SVG (and any extras, after them). */
export function chartBundle(spec: VegaLiteSpec, svg: string, text: string, extras: ChartExtras = {}): ChartBundle {
  return { [VEGALITE_MIME]: spec, [SVG_MIME]: svg, [PLAIN_MIME]: text, ...extras };
}

/** Renders `spec` to SVG and returns the chart (not shown; see {@link showChart}). */
export async function renderChart(options: { spec: VegaLiteSpec; text: string; extras?: ChartExtras }): Promise<Chart> {
  const { svg, warnings } = await renderSvg(options.spec);
  const bundle = chartBundle(options.spec, svg, options.text, options.extras);
  const inspect = () => `Chart(${options.text}; svg ${formatBytes(svg.length)})`;
  return {
    spec: options.spec,
    svg,
    text: options.text,
    warnings,
    bundle,
    [JUPYTER_DISPLAY]: () => bundle,
    toString: inspect,
    [Symbol.for("nodejs.util.inspect.custom")]: inspect,
  } as Chart;
}

/**
 * Shows a chart as a new output (one built with `show: false`, say). Returns nothing, like the `plot*` functions
 * once they showed their chart ({@link PlotResult}): a cell ending in `showChart(chart)` prints no `Chart(…)` line.
 */
export function showChart(chart: Chart, options: { writer?: DisplayWriter } = {}): void {
  (options.writer ?? defaultDisplayWriter()).write(chart.bundle);
}

/** Options every `plot*` function takes besides its data. */
export interface PlotOptions {
  /** Where the chart goes; default the kernel's writer (or the recording sink outside a kernel). */
  writer?: DisplayWriter;
  /** Set false to only build and render the chart without showing it. Default true. */
  show?: boolean;
}

/**
 * What a `plot*` function resolves to: the chart with `show: false`, nothing when it showed the chart. tslab prints
 * the value of a cell's last expression (`console.log`, so a returned chart would add a `Chart(…)` line under every
 * chart cell ending in `await plotRaster(...)`); a shown chart needs no handle, a chart built to be saved or
 * composed does.
 */
export type PlotResult<O extends PlotOptions> = O extends { show: false } ? Chart : void;

/** The tail of every `plot*` function: the chart for `show: false`, else nothing (it was shown). */
export async function plotResult<O extends PlotOptions>(chart: Promise<Chart>, options: O): Promise<PlotResult<O>> {
  const built = await chart;
  return (options.show === false ? built : undefined) as PlotResult<O>;
}

/** Renders and (unless `show: false`) shows a chart; the shared tail of the `plot*` functions. */
export async function plotSpec(spec: VegaLiteSpec, text: string, options: PlotOptions, extras?: ChartExtras): Promise<Chart> {
  const chart = await renderChart({ spec, text, extras });
  if (options.show !== false) showChart(chart, { writer: options.writer });
  return chart;
}
