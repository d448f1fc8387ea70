/**
 * `saveFigure`: a chart written to a file for a paper or a slide.
 *
 *   chart (its kernel-rendered SVG) ──size (width/height set on the root <svg>, the viewBox keeps the drawing)──▶
 *     svg: the text | png: rasterised by resvg (native, shipped inside its npm package; no browser) ──▶
 *     write temp file → flush → rename over the target (crash-safe, like every hdmea write)
 *
 * The format comes from the option or else the file's extension. PNG uses the machine's fonts (resvg loads the system
 * fonts; DejaVu Sans on Debian), so text looks like the SVG rendered in a browser with the same fonts.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigurationError } from "../errors";
import { writeFileAtomically } from "../hdf5/atomic-write";
import type { Chart } from "./charts/chart";
import { messages } from "./messages";

/** The file formats {@link saveFigure} writes. */
export type FigureFormat = "svg" | "png";

/** Options of {@link saveFigure}. */
export interface SaveFigureOptions {
  /** Default: the extension of `path` (`.svg` or `.png`). */
  format?: FigureFormat;
  /** Width in pixels (PNG) or CSS pixels (SVG). Default the chart's own width, or the one that keeps the aspect ratio with `height`. */
  width?: number;
  /** Height likewise. With both `width` and `height` the figure is scaled to fit inside both, keeping its aspect ratio. */
  height?: number;
  /** PNG only: the background colour (CSS). Default white (the chart's own background). */
  background?: string;
}

/** What {@link saveFigure} wrote. */
export interface SavedFigure {
  path: string;
  format: FigureFormat;
  width: number;
  height: number;
  bytes: number;
}

/**
 * Writes `chart` as an SVG or PNG file, atomically (a crash leaves the old file or the new one). Creates missing
 * parent folders.
 *
 * @example await saveFigure(await plotRfMosaic({ session, show: false }), "figures/mosaic.png", { format: "png", width: 1200 })
 * @throws ConfigurationError for an unknown format, a bad size, or a parent path that is a file.
 */
export async function saveFigure(chart: Chart, filePath: string, options: SaveFigureOptions = {}): Promise<SavedFigure> {
  const target = path.resolve(filePath);
  const format = figureFormat(target, options.format);
  const natural = svgSize(chart.svg);
  const size = targetSize(natural, options.width, options.height);
  const svg = resizedSvg(chart.svg, size);
  const bytes = format === "svg" ? Buffer.from(svg, "utf8") : rasterise(svg, size.width, options.background ?? "white");
  ensureParentFolder(target);
  await writeFileAtomically(target, (tempPath) => fs.writeFileSync(tempPath, bytes));
  return { path: target, format, width: size.width, height: size.height, bytes: bytes.length };
}

function figureFormat(target: string, format: unknown): FigureFormat {
  const chosen = format ?? path.extname(target).slice(1).toLowerCase();
  if (chosen === "svg" || chosen === "png") return chosen;
  throw new ConfigurationError(messages.unknownFigureFormat(String(chosen === "" ? "(no extension)" : chosen), target));
}

/** The root `<svg>`'s width and height (vega writes both, with a matching viewBox). */
function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0) || !(height > 0)) throw new ConfigurationError(messages.figureWithoutSize());
  return { width, height };
}

function targetSize(natural: { width: number; height: number }, width: unknown, height: unknown): { width: number; height: number } {
  for (const [name, value] of [["width", width], ["height", height]] as const) {
    if (value !== undefined && (typeof value !== "number" || !(value >= 1) || !(value <= 20000))) throw new ConfigurationError(messages.figureSize(name, value));
  }
  const w = width as number | undefined;
  const h = height as number | undefined;
  let scale = 1;
  if (w !== undefined && h !== undefined) scale = Math.min(w / natural.width, h / natural.height);
  else if (w !== undefined) scale = w / natural.width;
  else if (h !== undefined) scale = h / natural.height;
  return { width: Math.max(1, Math.round(natural.width * scale)), height: Math.max(1, Math.round(natural.height * scale)) };
}

/** The SVG with its root width/height replaced (a viewBox is added when missing, so the drawing scales). */
function resizedSvg(svg: string, size: { width: number; height: number }): string {
  return svg.replace(/<svg\b[^>]*>/, (root) => {
    const natural = svgSize(root + "</svg>");
    let out = root.replace(/\swidth="[\d.]+"/, ` width="${size.width}"`).replace(/\sheight="[\d.]+"/, ` height="${size.height}"`);
    if (!/\sviewBox=/.test(out)) out = out.replace(/^<svg\b/, `<svg viewBox="0 0 ${natural.width} ${natural.height}"`);
    return out;
  });
}

interface ResvgModule {
  Resvg: new (svg: string, options?: { fitTo?: { mode: "width"; value: number }; background?: string; font?: { loadSystemFonts?: boolean; defaultFontFamily?: string } }) => {
    render(): { asPng(): Buffer; width: number; height: number };
  };
}

/** PNG bytes of an SVG at `width` pixels (resvg, loaded on first use: a native module many sessions never need). */
function rasterise(svg: string, width: number, background: string): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Resvg } = require("@resvg/resvg-js") as ResvgModule;
  const rendered = new Resvg(svg, { fitTo: { mode: "width", value: width }, background, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render();
  return rendered.asPng();
}

function ensureParentFolder(target: string): void {
  const parent = path.dirname(target);
  // Walk up to the first existing ancestor: a file there (or at the parent) cannot hold the figure.
  let probe = parent;
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  if (fs.existsSync(probe) && !fs.statSync(probe).isDirectory()) throw new ConfigurationError(messages.figureParentIsFile(probe, target));
  fs.mkdirSync(parent, { recursive: true });
}
