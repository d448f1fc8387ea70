import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../errors";
import { NdArray } from "../../hdf5/values";
import { PipelineSession } from "../../session/session";
import { recordingLogger } from "../../session/logger";
import { unitsTable } from "../../arrow/units-table";
import { xmlProblem } from "../../test-support/xml";
import { HTML_MIME, JUPYTER_DISPLAY, PLAIN_MIME, STA_MIME, SVG_MIME, VEGALITE_MIME, VEGALITE_SCHEMA_URL, type VegaLiteSpec } from "../protocol";
import { RecordingSink } from "../writer";
import type { Chart } from "./chart";
import { eimageViewData } from "./eimage";
import { lightReferenceSpec, reduceTrace, sectionBands } from "./light-reference";
import { plotEimage, plotLightReference, plotPsth, plotRaster, plotSta, plotUnitsMap } from "./plot";
import { alignedSpikes, meanTrialStimulus, psthBins, psthSpec, rasterSpec } from "./raster";
import { staSpec, staViewData } from "./sta";
import { unitsMapPoints } from "./units-map";
import { seededRandom as random } from "../../test-support/seeded-random";


function sta(peak: { frame: number; row: number; col: number; sign: 1 | -1 }, seed = 1): NdArray<Float32Array> {
  const rand = random(seed);
  const data = new Float32Array(60 * 15 * 15);
  for (let f = 0; f < 60; f++)
    for (let y = 0; y < 15; y++)
      for (let x = 0; x < 15; x++) {
        const bump = Math.exp(-((x - peak.col) ** 2 + (y - peak.row) ** 2) / 3 - (f - peak.frame) ** 2 / 6);
        data[f * 225 + y * 15 + x] = 127.5 + peak.sign * 80 * bump + (rand() - 0.5) * 6;
      }
  return new NdArray(data, [60, 15, 15]);
}

function eimage(): NdArray<Float64Array> {
  const rand = random(7);
  const data = new Float64Array(50 * 65 * 65);
  for (let t = 0; t < 50; t++)
    for (let r = 0; r < 65; r++)
      for (let c = 0; c < 65; c++) {
        const bump = Math.exp(-((r - 30) ** 2 + (c - 12) ** 2) / 8 - (t - 11) ** 2 / 4);
        data[t * 4225 + r * 65 + c] = -120 * bump + (rand() - 0.5) * 2;
      }
  return new NdArray(data, [50, 65, 65]);
}

function demoSession(): PipelineSession {
  const session = new PipelineSession({ datasetId: "demo", logger: recordingLogger() });
  const rate = 20000;
  session.addMetadata({ acquisition_rate: rate });
  const lightTrace = new Float32Array(600).map((_, i) => (Math.floor(i / 50) % 2 === 0 ? 0.1 : 0.9));
  session.addStimulus({
    light_reference: { "10hz_ch1": lightTrace },
    section_time: {
      step_up_5s_5i_b0_3x: new NdArray(new Float64Array([100_000, 400_000]), [1, 2]),
      baseline_127: new NdArray(new Float64Array([500_000, 700_000, 800_000, 900_000]), [2, 2]),
    },
  });
  session.addUnits({
    unit_001: {
      spike_times: new Float64Array([120_000, 130_000, 250_000]),
      row: 10,
      col: 20,
      spike_times_sectioned: {
        step_up_5s_5i_b0_3x: {
          trials_spike_times: {
            "0": new Float64Array([100_100, 101_000, 110_000]),
            "1": new Float64Array([200_500]),
            "10": new Float64Array([]),
            "2": new Float64Array([300_000, 300_020, 310_000, 319_999]),
          },
          trials_start_end: new NdArray(new Float64Array([100_000, 120_000, 200_000, 220_000, 300_000, 320_000]), [3, 2]),
        },
      },
    },
    unit_002: { spike_times: new Float64Array([1, 2, 3, 4, 5]), row: 40, col: 3 },
  });
  session.addFeature("unit_001", "sta_perfect_dense_noise_15x15_15hz_r42_3min", sta({ frame: 55, row: 4, col: 9, sign: 1 }), { cover_range: [-60, 0] });
  session.addFeature("unit_001", "eimage_sta", eimage(), { pre_samples: 10, sampling_rate: rate });
  return session;
}

// The vega-lite JupyterLab 4.6 bundles (5.6.1): every spec must compile with it cleanly (DESIGN §6: features ≤ 5.6).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jupyterLabVegaLite = require("vega-lite-jupyterlab") as { version: string; compile(spec: unknown, options: { logger: unknown }): { spec: unknown } };

function compileWithJupyterLabVegaLite(spec: VegaLiteSpec): string[] {
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

/** What every chart bundle must satisfy (DESIGN §6); `extras` are the mimetypes it carries besides the fallbacks. */
function expectChartBundle(chart: Chart, extras: string[] = []): void {
  const bundle = chart.bundle;
  expect(Object.keys(bundle).sort()).toEqual([PLAIN_MIME, SVG_MIME, VEGALITE_MIME, ...extras].sort());
  expect(bundle).not.toHaveProperty(HTML_MIME);
  const spec = bundle[VEGALITE_MIME];
  expect(typeof spec).toBe("object");
  expect(spec.$schema).toBe(VEGALITE_SCHEMA_URL);
  expect(spec.$schema).toMatch(/\/vega-lite\/v5\.json$/);
  // Plain JSON (no NaN, typed arrays or undefined) so the spec survives the Jupyter message unchanged.
  expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
  const svg = bundle[SVG_MIME];
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  expect(xmlProblem(svg)).toBeUndefined();
  expect(bundle[PLAIN_MIME]).not.toContain("\n");
  expect(chart.warnings).toEqual([]);
  expect(chart[JUPYTER_DISPLAY]()).toBe(bundle);
  expect(jupyterLabVegaLite.version).toBe("5.6.1");
  expect(compileWithJupyterLabVegaLite(spec)).toEqual([]);
}

describe("STA viewer", () => {
  it("shows nine frames around the peak, marks the peak pixel and gives its time course", () => {
    const data = staViewData({ sta: sta({ frame: 55, row: 4, col: 9, sign: -1 }), firstFrameOffset: -60 });
    expect(data.peak).toMatchObject({ frame: 55, row: 4, col: 9, polarity: -1 });
    const offsets = [...new Set(data.cells.map((c) => c.offset))];
    expect(offsets).toEqual([-9, -8, -7, -6, -5, -4, -3, -2, -1]); // frames 51..59: clamped to the end of the STA
    expect(data.cells).toHaveLength(9 * 225);
    expect(data.cells.filter((c) => c.peak)).toEqual([expect.objectContaining({ offset: -5, x: 9, y: 4 })]);
    expect(data.trace).toHaveLength(60);
    expect(data.trace[55].value).toBeLessThan(60);
  });

  it("keeps an all-NaN STA (no valid spikes) drawable as JSON nulls", async () => {
    const empty = new NdArray(new Float32Array(60 * 225).fill(NaN), [60, 15, 15]);
    const spec = staSpec({ sta: empty });
    expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
  });

  it("rejects an input that is not frames × rows × cols", () => {
    expect(() => staSpec({ sta: new NdArray(new Float32Array(4), [2, 2]) })).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
  });

  it("renders a chart bundle from the session and shows it, returning nothing (tslab would print a returned chart)", async () => {
    const sink = new RecordingSink();
    const shown = await plotSta({ session: demoSession(), unitId: "unit_001", writer: sink });
    expect(shown).toBeUndefined();
    const chart = await plotSta({ session: demoSession(), unitId: "unit_001", show: false });
    expectChartBundle(chart, [STA_MIME]);
    expect(chart.text).toBe("STA unit_001 · perfect_dense_noise_15x15_15hz_r42_3min: peak at frame -5 relative to the spike, pixel (row 4, col 9), ON, z 45.6");
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]).toMatchObject({ type: "display_data", displayId: null });
    expect(sink.messages[0].data).toMatchObject({ "text/plain": chart.text, "image/svg+xml": expect.stringMatching(/^<svg/) });
    expect(chart.svg.match(/<path/g)?.length ?? 0).toBeGreaterThanOrEqual(9 * 225);
  });
});

describe("STA payload of the extension's viewer", () => {
  function decode(base64: string): Float32Array {
    const bytes = Buffer.from(base64, "base64");
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }

  it("carries the frames of every unit with the feature, little-endian float32, the plotted unit selected", async () => {
    const session = demoSession();
    const feature = "sta_perfect_dense_noise_15x15_15hz_r42_3min";
    const off = sta({ frame: 50, row: 10, col: 2, sign: -1 }, 5);
    session.addFeature("unit_002", feature, off, { cover_range: [-60, 0] });
    session.addUnits({ unit_003: { spike_times: new Float64Array([7]), row: 1, col: 1 } });
    session.addFeature("unit_003", feature, new NdArray(new Float32Array(2 * 15 * 15), [2, 15, 15]), { cover_range: [-60, 0] }); // other shape
    const chart = await plotSta({ session, unitId: "unit_002", show: false });
    const payload = chart.bundle[STA_MIME];
    expect(payload).toMatchObject({ schema: 1, shape: [60, 15, 15], firstFrameOffset: -60, feature, selectedUnitId: "unit_002" });
    expect(payload?.units.map((unit) => unit.unitId)).toEqual(["unit_001", "unit_002"]);
    expect(decode(payload!.units[1].base64)).toEqual(off.data);
    expect(decode(payload!.units[0].base64)).toEqual((session.units.unit_001.features as Record<string, { data: NdArray }>)[feature].data.data);
    // The vega-lite spec and the SVG stay: they are what viewers without the extension show.
    expect(chart.bundle[SVG_MIME].startsWith("<svg")).toBe(true);
    expect(JSON.parse(JSON.stringify(payload))).toStrictEqual(payload);
  });

  it("is left out when the frames would exceed the cap", async () => {
    const chart = await plotSta({ session: demoSession(), unitId: "unit_001", show: false, maxStaPayloadBytes: 60 * 225 * 4 });
    expectChartBundle(chart);
    expect(chart.bundle).not.toHaveProperty(STA_MIME);
  });
});

describe("raster and PSTH", () => {
  const session = demoSession();
  const movie = session.units.unit_001.spike_times_sectioned as Record<string, Record<string, unknown>>;
  const input = {
    trials: movie.step_up_5s_5i_b0_3x.trials_spike_times as Record<string, Float64Array>,
    trialsStartEnd: movie.step_up_5s_5i_b0_3x.trials_start_end as NdArray,
    samplingRateHz: 20000,
  };

  it("aligns spikes to their trial start, in numeric trial order, ignoring trials without bounds", () => {
    const { rows, total, stride } = alignedSpikes(input);
    expect(stride).toBe(1);
    expect(total).toBe(8);
    expect(rows).toEqual([
      { trial: 0, t: 0.005 },
      { trial: 0, t: 0.05 },
      { trial: 0, t: 0.5 },
      { trial: 1, t: 0.025 },
      { trial: 2, t: 0 },
      { trial: 2, t: 0.001 },
      { trial: 2, t: 0.5 },
      { trial: 2, t: 0.99995 },
    ]);
  });

  it("thins a large raster and says so", () => {
    const spec = rasterSpec({ ...input, maxPoints: 3 });
    expect((spec.data as { values: unknown[] }).values).toHaveLength(3);
    expect(spec.title).toMatch(/1 in 3 of 8 spikes shown/);
  });

  it("averages the light reference over the trials, scaled to [0, 1], and draws it behind raster and PSTH", () => {
    // 1 kHz trace: dark, then light from 0.5 s after each trial start (trials start at samples 0 and 40000 at 20 kHz).
    const trace = new Float32Array(4000).map((_, i) => ((i % 2000) >= 500 && (i % 2000) < 1500 ? 300 : 100));
    const trialsStartEnd = new NdArray(new Float64Array([0, 20000, 40000, 60000]), [2, 2]);
    const stimulus = meanTrialStimulus({ trace, traceRateHz: 1000, trialsStartEnd, samplingRateHz: 20000 });
    expect(stimulus.length).toBeGreaterThan(100);
    expect(stimulus.find((p) => p.t >= 0.2)!.level).toBe(0);
    expect(stimulus.find((p) => p.t >= 0.7)!.level).toBe(1);
    const spec = rasterSpec({ trials: { "0": new Float64Array([100]), "1": new Float64Array([40100]) }, trialsStartEnd, samplingRateHz: 20000, stimulus });
    const layers = (spec as unknown as { layer: { mark: { type: string } }[] }).layer;
    expect(layers.map((layer) => layer.mark.type)).toEqual(["area", "tick"]);
    const psth = psthSpec({ trials: { "0": new Float64Array([100]) }, trialsStartEnd, samplingRateHz: 20000, stimulus });
    expect((psth as unknown as { layer: { mark: { type: string } }[] }).layer.map((layer) => layer.mark.type)).toEqual(["area", "rect"]);
  });

  it("bins the PSTH as mean rate over trials", () => {
    const bins = psthBins({ ...input, binMs: 250 });
    expect(bins.map((b) => b.start)).toEqual([0, 0.25, 0.5, 0.75]);
    // 3 trials × 0.25 s per bin: 5 spikes in [0, 0.25) → 5 / 0.75 spikes/s
    expect(bins.map((b) => b.rateHz)).toEqual([6.6667, 0, 2.6667, 1.3333]);
  });

  it("renders both from the session", async () => {
    const raster = await plotRaster({ session, unitId: "unit_001", movie: "step_up_5s_5i_b0_3x", show: false });
    expectChartBundle(raster);
    expect(raster.text).toContain("8 spikes in 3 trials");
    const psth = await plotPsth({ session, unitId: "unit_001", movie: "step_up_5s_5i_b0_3x", binMs: 100, show: false });
    expectChartBundle(psth);
    // One time range for both, so a unit's raster and PSTH line up; a theme-neutral look (transparent, grey text).
    const domain = (chart: { spec: unknown }) => (chart.spec as { encoding: { x: { scale: { domain: number[] } } } }).encoding.x.scale.domain;
    expect(domain(psth)).toEqual(domain(raster));
    expect((raster.spec as unknown as { config: { background: string } }).config.background).toBe("transparent");
  });

  it("names the missing movie and the step to run", async () => {
    expect(() => plotRaster({ session, unitId: "unit_001", movie: "chirp", show: false })).toThrow(/sectionSpikeTimes/);
    expect(() => plotRaster({ session, unitId: "unit_002", movie: "chirp", show: false })).toThrow(
      expect.objectContaining({ code: ErrorCode.MISSING_INPUT }),
    );
  });
});

describe("eimage", () => {
  it("finds the peak frame and the strongest electrodes", () => {
    const data = eimageViewData({ eimage: eimage(), samplingRateHz: 20000, preSamples: 10, maxElectrodes: 4 });
    expect(data.peak).toMatchObject({ frame: 11, row: 30, col: 12, polarity: -1 });
    expect(data.grid).toHaveLength(65 * 65);
    const electrodes = [...new Set(data.traces.map((t) => t.electrode))];
    expect(electrodes).toHaveLength(4);
    expect(electrodes[0]).toBe("r30 c12");
    expect(data.traces.slice(0, 2).map((t) => t.t)).toEqual([-0.5, -0.45]); // ms from the spike
  });

  it("renders from the session", async () => {
    const chart = await plotEimage({ session: demoSession(), unitId: "unit_001", show: false });
    expectChartBundle(chart);
    expect(chart.text).toMatch(/frame 11, electrode \(row 30, col 12\)/);
  });
});

describe("light reference", () => {
  it("reduces long traces to min/max buckets so flashes survive", () => {
    const trace = new Float32Array(10_000);
    trace[5_003] = 1;
    const points = reduceTrace(trace, 1000, 100);
    expect(points.length).toBeLessThanOrEqual(100);
    expect(points.some((p) => p.value === 1 && p.t === 5.003)).toBe(true);
  });

  it("turns section times into bands in seconds", () => {
    const bands = sectionBands({ m: new NdArray(new Float64Array([20000, 60000, 80000, 100000]), [2, 2]) }, 20000);
    expect(bands).toEqual([
      { movie: "m", start: 1, end: 3 },
      { movie: "m", start: 4, end: 5 },
    ]);
  });

  it("renders from the session with sections", async () => {
    const chart = await plotLightReference({ session: demoSession(), show: false });
    expectChartBundle(chart);
    expect(chart.text).toBe("light reference 10hz_ch1: 60.0 s, sections step_up_5s_5i_b0_3x, baseline_127");
    expect(JSON.stringify(chart.spec)).toContain("baseline_127");
  });

  it("needs a rate for section times", () => {
    expect(() => lightReferenceSpec({ trace: new Float32Array(3), traceRateHz: 10, sectionTimes: {} })).toThrow(/samplingRateHz/);
  });
});

describe("units map", () => {
  it("places units by row and column and colours them by any column", async () => {
    const session = demoSession();
    const points = unitsMapPoints({ table: unitsTable(session), colorBy: "spike_count" });
    expect(points).toEqual([
      { unit: "unit_001", row: 10, col: 20, value: 3 },
      { unit: "unit_002", row: 40, col: 3, value: 5 },
    ]);
    const chart = await plotUnitsMap({ session, colorBy: "sta_polarity", show: false });
    expectChartBundle(chart);
    const layers = (chart.spec as VegaLiteSpec & { layer: { mark: { type: string }; encoding: { color?: { type: string } } }[] }).layer;
    expect(layers[0].encoding.color?.type).toBe("nominal");
    // Few units: each is named beside its square, and the axes say what they are.
    expect(layers.map((layer) => layer.mark.type)).toEqual(["square", "text"]);
    expect(chart.svg).toContain("electrode column");
    expect(chart.svg).toMatch(/<text[^>]*>1<\/text>/);
  });

  it("lists the columns when asked for an unknown one", () => {
    expect(() => unitsMapPoints({ table: unitsTable(demoSession()), colorBy: "nope" })).toThrow(/Pick one of: unit_id, spike_count/);
  });
});
