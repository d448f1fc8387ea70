import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../errors";
import { computeCorrelogram } from "../../dsp/correlogram";
import { NdArray } from "../../hdf5/values";
import { PipelineSession } from "../../session/session";
import { recordingLogger } from "../../session/logger";
import { xmlProblem } from "../../test-support/xml";
import { HTML_MIME, PLAIN_MIME, SVG_MIME, VEGALITE_MIME, VEGALITE_SCHEMA_URL, type VegaLiteSpec } from "../protocol";
import { RecordingSink } from "../writer";
import type { Chart } from "./chart";
import { correlogramBars, correlogramSpec, pairsWithin } from "./correlogram";
import { eimageFootprintData } from "./eimage-footprint";
import { plotCorrelogram, plotEimageFootprint, plotWaveform } from "./plot-unit";
import { waveformPoints, waveformSpec } from "./waveform";

// The vega-lite JupyterLab 4.6 bundles (5.6.1): every spec must compile with it cleanly (DESIGN §6: features ≤ 5.6).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jupyterLabVegaLite = require("vega-lite-jupyterlab") as { compile(spec: unknown, options: { logger: unknown }): { spec: unknown } };

function compileMessages(spec: VegaLiteSpec): string[] {
  const messages: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...args: unknown[]) => (messages.push(args.join(" ")), logger),
    error: (...args: unknown[]) => (messages.push(args.join(" ")), logger),
    info: () => logger,
    debug: () => logger,
  };
  jupyterLabVegaLite.compile(JSON.parse(JSON.stringify(spec)), { logger });
  return messages;
}

function expectChartBundle(chart: Chart): void {
  const bundle = chart.bundle;
  expect(Object.keys(bundle).sort()).toEqual([PLAIN_MIME, SVG_MIME, VEGALITE_MIME].sort());
  expect(bundle).not.toHaveProperty(HTML_MIME);
  const spec = bundle[VEGALITE_MIME];
  expect(spec.$schema).toBe(VEGALITE_SCHEMA_URL);
  expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
  expect(bundle[SVG_MIME].startsWith("<svg")).toBe(true);
  expect(xmlProblem(bundle[SVG_MIME])).toBeUndefined();
  expect(bundle[PLAIN_MIME]).not.toContain("\n");
  expect(chart.warnings).toEqual([]);
  expect(compileMessages(spec)).toEqual([]);
}

function session(): PipelineSession {
  const s = new PipelineSession({ datasetId: "units", logger: recordingLogger() });
  s.addMetadata({ acquisition_rate: 20000 });
  const waveform = new Float32Array(32).map((_, i) => -80 * Math.exp(-(((i - 8) / 1.5) ** 2) / 2) + 20 * Math.exp(-(((i - 16) / 4) ** 2) / 2));
  // unit_001 fires every 10 ms; unit_002 fires 2 ms after each unit_001 spike; unit_003 has no cut-outs.
  const a = Float64Array.from({ length: 200 }, (_, i) => 1000 + i * 200);
  s.addUnits({
    unit_001: { spike_times: a, waveform },
    unit_002: { spike_times: a.map((t) => t + 40), waveform: waveform.map((v) => v / 2) },
    unit_003: { spike_times: new Float64Array([5, 9]), waveform: new Float32Array(0) },
  });
  return s;
}

describe("waveform view", () => {
  it("puts time 0 at the sample of largest magnitude and converts samples to ms", () => {
    const { points, peakIndex } = waveformPoints({ waveform: [1, -2, -9, 3, 0], samplingRateHz: 20000 });
    expect(peakIndex).toBe(2);
    expect(points.map((p) => p.t)).toEqual([-0.1, -0.05, 0, 0.05, 0.1]);
    expect(points.map((p) => p.value)).toEqual([1, -2, -9, 3, 0]);
    expect(waveformPoints({ waveform: [0, 4, 1] }).points.map((p) => p.t)).toEqual([-1, 0, 1]);
  });

  it("keeps NaN samples as JSON nulls and rejects an empty waveform", () => {
    const spec = waveformSpec({ waveform: new Float32Array([1, NaN, -3]) });
    expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
    expect(() => waveformSpec({ waveform: [] })).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
  });

  it("plotWaveform renders the unit's stored waveform with a ms axis and shows it", async () => {
    const sink = new RecordingSink();
    expect(await plotWaveform({ session: session(), unitId: "unit_001", writer: sink })).toBeUndefined();
    expect(sink.messages).toHaveLength(1);
    const chart = await plotWaveform({ session: session(), unitId: "unit_001", show: false });
    expectChartBundle(chart);
    expect(sink.messages[0].data[PLAIN_MIME]).toBe(chart.text);
    expect(chart.text).toMatch(/^waveform unit_001: 32 samples \(1\.6 ms\), peak -77.2933 source units at sample 8$/);
    expect(JSON.stringify(chart.spec)).toContain("time from peak (ms)");
    expect(chart.svg).toContain("time from peak (ms)");
  });

  it("says what to do for a unit without cut-outs or an unknown unit", () => {
    expect(() => plotWaveform({ session: session(), unitId: "unit_003", show: false })).toThrow(/no cut-outs/);
    expect(() => plotWaveform({ session: session(), unitId: "unit_009", show: false })).toThrow(
      expect.objectContaining({ code: ErrorCode.MISSING_INPUT }),
    );
  });
});

describe("correlogram charts", () => {
  it("turns correlograms into bars in ms, one panel per pair", () => {
    const correlogram = computeCorrelogram({ spikesA: [0, 40], samplingRateHz: 20000, binMs: 1, windowMs: 4 });
    const bars = correlogramBars([{ unitA: "u1", unitB: "u1", correlogram }]);
    expect(bars).toEqual([
      { a: "u1", b: "u1", start: -2, end: -1, count: 1, first: true },
      { a: "u1", b: "u1", start: -1, end: 0, count: 0, first: false },
      { a: "u1", b: "u1", start: 0, end: 1, count: 0, first: false },
      { a: "u1", b: "u1", start: 1, end: 2, count: 0, first: false },
    ]);
    expect(pairsWithin(correlogram, 1)).toBe(0);
    expect(pairsWithin(correlogram, 2)).toBe(1);
    const single = correlogramSpec({ panels: [{ unitA: "u1", unitB: "u1", correlogram }], refractoryMs: 1.5 });
    expect(single.title).toBe("auto-correlogram u1");
    expect(single).not.toHaveProperty("facet");
  });

  it("plotCorrelogram of one unit shows its auto-correlogram with the refractory period shaded", async () => {
    const chart = await plotCorrelogram({ session: session(), unitIds: ["unit_001"], show: false });
    expectChartBundle(chart);
    expect(chart.text).toBe("auto-correlogram unit_001 (1 ms bins, ±50 ms): unit_001, 0 pairs within ±1.5 ms");
    // Every 10 ms: lags ±10 … ±40 ms and −50 ms (the window is [−50, +50) ms); 200 spikes → 199 pairs per side at 10 ms.
    const bars = (chart.spec.data as { values: { start: number; count: number }[] }).values;
    expect(bars.find((bar) => bar.start === 10)?.count).toBe(199);
    expect(bars.find((bar) => bar.start === -10)?.count).toBe(199);
    expect(bars.reduce((sum, bar) => sum + bar.count, 0)).toBe(2 * (199 + 198 + 197 + 196) + 195);
  });

  it("plotCorrelogram of several units shows the matrix, with the cross-correlogram peak at the planted lag", async () => {
    const chart = await plotCorrelogram({ session: session(), unitIds: ["unit_001", "unit_002"], binMs: 0.5, windowMs: 20, show: false });
    expectChartBundle(chart);
    expect(chart.spec.facet).toBeDefined();
    const bars = (chart.spec.data as { values: { a: string; b: string; start: number; count: number }[] }).values;
    expect(new Set(bars.map((bar) => `${bar.a}|${bar.b}`))).toEqual(new Set(["unit_001|unit_001", "unit_001|unit_002", "unit_002|unit_001", "unit_002|unit_002"]));
    const cross = bars.filter((bar) => bar.a === "unit_001" && bar.b === "unit_002");
    const top = cross.reduce((best, bar) => (bar.count > best.count ? bar : best));
    expect(top).toMatchObject({ start: 2, count: 200 });
    const back = bars.filter((bar) => bar.a === "unit_002" && bar.b === "unit_001").reduce((best, bar) => (bar.count > best.count ? bar : best));
    expect(back).toMatchObject({ start: -2, count: 200 });
  });

  it("rejects no units, too many units, and a session without an acquisition rate", () => {
    const s = session();
    expect(() => plotCorrelogram({ session: s, unitIds: [], show: false })).toThrow(/1 to 6 unit ids/);
    expect(() => plotCorrelogram({ session: s, unitIds: ["a", "b", "c"], maxUnits: 2, show: false })).toThrow(/maxUnits/);
    const bare = new PipelineSession({ datasetId: "bare", logger: recordingLogger() });
    bare.addUnits({ unit_001: { spike_times: new Float64Array([1]) } });
    expect(() => plotCorrelogram({ session: bare, unitIds: ["unit_001"], show: false })).toThrow(/acquisition_rate/);
  });
});

/**
 * An eimage stored as computeEimageSta stores it — 40 samples × 10 columns × 12 rows, row varying fastest — whose
 * spike is largest at row 4, column 6 and spreads over a few electrodes.
 */
function eimage(): NdArray<Float32Array> {
  const [window, cols, rows] = [40, 10, 12];
  const data = new Float32Array(window * rows * cols);
  for (let t = 0; t < window; t++)
    for (let c = 0; c < cols; c++)
      for (let r = 0; r < rows; r++) {
        const space = Math.exp(-((r - 4) ** 2 + (c - 6) ** 2) / 2);
        data[t * rows * cols + c * rows + r] = -100 * space * Math.exp(-((t - 10) ** 2) / 4) + 30 * space * Math.exp(-((t - 18) ** 2) / 20);
      }
  return new NdArray(data, [window, cols, rows]);
}

describe("eimage footprint", () => {
  it("finds the electrode with the largest peak-to-peak and places the block's waveforms on the grid", () => {
    const view = eimageFootprintData({ eimage: eimage(), radius: 1 });
    expect(view.strongest).toMatchObject({ row: 4, col: 6 });
    expect(view.strongest?.value).toBeGreaterThan(100);
    expect(view.amplitude).toHaveLength(120);
    expect(view.electrodesAboveHalf).toBe(5); // the centre and its four neighbours (e^-0.5 ≈ 0.61 of it)
    const electrodes = new Set(view.traces.map((p) => p.electrode));
    expect(electrodes.size).toBe(9);
    const centre = view.traces.filter((p) => p.electrode === "r4 c6");
    expect(Math.min(...centre.map((p) => p.x))).toBeCloseTo(5.58, 6);
    expect(Math.max(...centre.map((p) => p.x))).toBeCloseTo(6.42, 6);
    // The trough (negative) is drawn below the electrode's row line on the reversed y axis: y > row.
    expect(Math.max(...centre.map((p) => p.y))).toBeGreaterThan(4.5);
    const empty = eimageFootprintData({ eimage: new NdArray(new Float32Array(2 * 2 * 2).fill(NaN), [2, 2, 2]) });
    expect(empty).toMatchObject({ strongest: null, traces: [], electrodesAboveHalf: 0 });
  });

  it("plotEimageFootprint renders the unit's eimage_sta and says what to run when there is none", async () => {
    const s = session();
    s.addFeature("unit_001", "eimage_sta", eimage(), { pre_samples: 10 });
    const chart = await plotEimageFootprint({ session: s, unitId: "unit_001", show: false });
    expectChartBundle(chart);
    expect(chart.text).toMatch(/^eimage footprint unit_001: largest at row 4, col 6 \(\d+(\.\d+)? µV peak to peak\), 5 electrodes above half of it$/);
    expect(() => plotEimageFootprint({ session: s, unitId: "unit_002", show: false })).toThrow(/Run computeEimageSta/);
  });
});
