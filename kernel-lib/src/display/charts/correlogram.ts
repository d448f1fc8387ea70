/**
 * Auto- and cross-correlograms as bar charts: one panel for one pair, a matrix (reference unit × target unit, the
 * auto-correlograms on the diagonal) for several. The refractory period can be shaded, so a unit whose centre bins
 * are not empty stands out.
 */
import type { Correlogram } from "../../dsp/correlogram";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { round, vegaLiteSpec } from "./spec-parts";

/** One correlogram and the units it belongs to (the same unit twice for an auto-correlogram). */
export interface CorrelogramPanel {
  readonly unitA: string;
  readonly unitB: string;
  readonly correlogram: Correlogram;
}

/** Options of {@link correlogramSpec}. */
export interface CorrelogramSpecOptions {
  /** The panels, in the order their units should appear (rows and columns follow the order of first appearance). */
  panels: readonly CorrelogramPanel[];
  /** Shade lags within ±refractoryMs (e.g. 1.5); default no shading. */
  refractoryMs?: number;
  title?: string;
}

/** A bar of a correlogram panel. */
export interface CorrelogramBar {
  a: string;
  b: string;
  start: number;
  end: number;
  count: number;
  /** True for the first bar of each panel (the shading layer draws once per panel from it). */
  first: boolean;
}

/** Phase 1: one row per bin of every panel, lags in ms. */
export function correlogramBars(panels: readonly CorrelogramPanel[]): CorrelogramBar[] {
  const bars: CorrelogramBar[] = [];
  for (const { unitA, unitB, correlogram } of panels) {
    const { lagsMs, counts, binMs } = correlogram;
    for (let k = 0; k < counts.length; k++) {
      bars.push({ a: unitA, b: unitB, start: round(lagsMs[k], 8), end: round(lagsMs[k] + binMs, 8), count: counts[k], first: k === 0 });
    }
  }
  return bars;
}

/** Phase 2: the spec — a single chart for one panel, a faceted matrix for several. */
export function correlogramSpec(options: CorrelogramSpecOptions): VegaLiteSpec {
  const bars = correlogramBars(options.panels);
  const layer: ProtocolJson[] = [];
  const refractory = options.refractoryMs;
  if (refractory !== undefined && refractory > 0) {
    layer.push({
      transform: [{ filter: { field: "first", equal: true } }],
      mark: { type: "rect", color: "#f4cccc", opacity: 0.7 },
      encoding: { x: { datum: -refractory, type: "quantitative" }, x2: { datum: refractory } },
    });
  }
  layer.push({
    mark: { type: "rect", color: "#4c78a8" },
    encoding: {
      x: { field: "start", type: "quantitative", title: "lag (ms)" },
      x2: { field: "end" },
      y: { field: "count", type: "quantitative", title: "spike pairs" },
      y2: { datum: 0 },
    },
  });
  const title = options.title ?? defaultTitle(options.panels);
  const units = unitOrder(options.panels);
  if (options.panels.length <= 1) return vegaLiteSpec(title, { width: 320, height: 160, data: { values: bars as unknown as ProtocolJson[] }, layer });
  const side = units.length <= 2 ? 200 : units.length <= 4 ? 140 : 100;
  return vegaLiteSpec(title, {
    data: { values: bars as unknown as ProtocolJson[] },
    facet: {
      row: { field: "a", type: "nominal", title: "reference unit", sort: units },
      column: { field: "b", type: "nominal", title: "target unit", sort: units },
    },
    spec: { width: side, height: Math.round(side * 0.6), layer },
    resolve: { scale: { y: "independent" } },
  });
}

/** One line describing the correlograms: spikes, bins, and the pairs inside the refractory period. */
export function correlogramText(options: CorrelogramSpecOptions): string {
  const title = options.title ?? defaultTitle(options.panels);
  const first = options.panels[0]?.correlogram;
  if (first === undefined) return `${title}: no units`;
  const bins = `${first.binMs} ms bins, ±${first.windowMs / 2} ms`;
  const refractory = options.refractoryMs;
  const parts = options.panels.map(({ unitA, unitB, correlogram }) => {
    const pairs = refractory !== undefined ? `, ${pairsWithin(correlogram, refractory)} pairs within ±${refractory} ms` : "";
    return `${unitA === unitB ? unitA : `${unitA}→${unitB}`}${pairs}`;
  });
  return `${title} (${bins}): ${parts.join("; ")}`;
}

/** Pairs whose bin lies entirely inside ±`limitMs`. */
export function pairsWithin(correlogram: Correlogram, limitMs: number): number {
  let total = 0;
  for (let k = 0; k < correlogram.counts.length; k++) {
    const start = correlogram.lagsMs[k];
    if (start >= -limitMs - 1e-9 && start + correlogram.binMs <= limitMs + 1e-9) total += correlogram.counts[k];
  }
  return total;
}

function unitOrder(panels: readonly CorrelogramPanel[]): string[] {
  const order: string[] = [];
  for (const { unitA, unitB } of panels) for (const unit of [unitA, unitB]) if (!order.includes(unit)) order.push(unit);
  return order;
}

function defaultTitle(panels: readonly CorrelogramPanel[]): string {
  if (panels.length === 1) {
    const { unitA, unitB } = panels[0];
    return unitA === unitB ? `auto-correlogram ${unitA}` : `cross-correlogram ${unitA} → ${unitB}`;
  }
  return `correlograms of ${unitOrder(panels).join(", ")}`;
}
