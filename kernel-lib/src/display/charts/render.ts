/**
 * The last phase of every chart: compile a vega-lite v5 spec with vega-lite 5 and render it to SVG with vega 5, in
 * the kernel, without a canvas (the CommonJS builds load with plain `require`, reference jupyter-integration §A3).
 * Warnings of the compiler and the renderer are collected, never printed: stderr output in a notebook reads as an
 * error.
 */
import type * as VegaModule from "vega";
import type * as VegaLiteModule from "vega-lite";
import type { VegaLiteSpec } from "../protocol";

interface ChartLibraries {
  vega: typeof VegaModule;
  vegaLite: typeof VegaLiteModule;
}

// Lazily cached library handles: loading vega and vega-lite takes ~100 ms, once.
let libraries: ChartLibraries | undefined;

function loadLibraries(): ChartLibraries {
  if (libraries === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vega = require("vega") as typeof VegaModule;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vegaLite = require("vega-lite") as typeof VegaLiteModule;
    libraries = { vega, vegaLite };
  }
  return libraries;
}

/** The SVG text of a rendered spec and the warnings met on the way. */
export interface RenderedSvg {
  svg: string;
  warnings: string[];
}

/** Renders a vega-lite v5 spec object to SVG text. */
export async function renderSvg(spec: VegaLiteSpec): Promise<RenderedSvg> {
  const { vega, vegaLite } = loadLibraries();
  const warnings: string[] = [];
  const logger = collectingLogger(vega, warnings);
  // vega tags inline data rows in place (a symbol id per row); render a copy so the caller's spec stays plain JSON.
  const copy = JSON.parse(JSON.stringify(spec)) as VegaLiteModule.TopLevelSpec;
  const compiled = vegaLite.compile(copy, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  try {
    const svg = await view.toSVG();
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}

function collectingLogger(vega: typeof VegaModule, warnings: string[]): VegaModule.LoggerInterface {
  let level = vega.Warn;
  const record = (...args: readonly unknown[]) => {
    warnings.push(args.map(String).join(" "));
  };
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]) {
      record(...args);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      if (level >= vega.Warn) record(...args);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger as unknown as VegaModule.LoggerInterface;
}
