/**
 * Pins the convention of every function that shows a chart or a table (issue 12): once shown it resolves to nothing,
 * so tslab prints no `Chart(…)` / `shown: …` line under the cell; with `show: false` it shows nothing and resolves
 * to the chart (for `saveFigure`). The table below must name every exported `plot*` / `show*` function, so a new one
 * cannot skip the convention silently.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tableFromArrays } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import * as hdmea from "../../index";
import { writeArrow } from "../../arrow/write";
import { openBatch } from "../../batch/open-batch";
import { stage2Paths } from "../../batch/stage2";
import { NdArray } from "../../hdf5/values";
import { recordingLogger } from "../../session/logger";
import { PipelineSession } from "../../session/session";
import { PLAIN_MIME, VEGALITE_MIME } from "../protocol";
import { RecordingSink } from "../writer";
import type { Chart, PlotOptions } from "./chart";

/** A session holding what every chart reads, for one unit (small arrays: the charts' own tests check their content). */
function fullSession(): PipelineSession {
  const session = new PipelineSession({ datasetId: "convention", logger: recordingLogger() });
  session.addMetadata({ acquisition_rate: 20000 });
  session.addStimulus({ light_reference: { "10hz_ch1": new Float32Array(200).map((_, i) => (i % 40 < 20 ? 0 : 1)) } });
  const spikes = Float64Array.from({ length: 100 }, (_, i) => 1000 + i * 300);
  const bump = (n: number, at: number) => new Float32Array(n).map((_, i) => -50 * Math.exp(-((i - at) ** 2) / 4));
  session.addUnits({
    unit_001: {
      spike_times: spikes,
      waveform: bump(32, 8),
      row: 3,
      col: 4,
      spike_times_sectioned: {
        step: { trials_spike_times: { "0": spikes.subarray(0, 20), "1": spikes.subarray(50, 70) }, trials_start_end: new NdArray(new Float64Array([1000, 7000, 16000, 22000]), [2, 2]) },
      },
    },
    unit_002: { spike_times: spikes.map((t) => t + 40), waveform: bump(32, 10), row: 6, col: 1 },
  });
  const sta = new Float32Array(10 * 5 * 5).map((_, i) => 127 + 60 * Math.exp(-((Math.floor(i / 25) - 7) ** 2) / 2 - ((i % 5) - 2) ** 2 - ((Math.floor(i / 5) % 5) - 2) ** 2));
  session.addFeature("unit_001", "sta_noise", new NdArray(sta, [10, 5, 5]), { cover_range: [-10, 0] });
  const eimage = new Float64Array(12 * 9 * 9).map((_, i) => -80 * Math.exp(-((Math.floor(i / 81) - 4) ** 2) / 2 - ((i % 9) - 4) ** 2 / 3));
  session.addFeature("unit_001", "eimage_sta", new NdArray(eimage, [12, 9, 9]), { pre_samples: 4, sampling_rate: 20000 });
  const spatialMap = new NdArray(new Float64Array(25).map((_, i) => Math.exp(-(((i % 5) - 2) ** 2 + (Math.floor(i / 5) - 2) ** 2) / 2)), [5, 5]);
  const fitData = { spatial_map: spatialMap, temporal_filter: new Float64Array([0, 0.1, 0.5, 1, 0.3]), temporal_filter_time_ms: new Float64Array([-267, -200, -133, -67, 0]) };
  const fitMetadata = {
    center_x: 2, center_y: 2, sigma_major: 1, sigma_minor: 0.8, angle_rad: 0, polarity: "ON", significant: true, fit_valid: true,
    peak_row: 2, peak_col: 2, peak_time_ms: -67, r_squared: 0.9, z_score: 8,
  };
  session.addFeature("unit_001", "rf_fit_noise", fitData, fitMetadata);
  return session;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-convention-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A batch whose stage-2 table exists (what `Batch.plotFeature` reads). */
async function batchWithTable(): Promise<ReturnType<typeof openBatch>> {
  const file = path.join(dir, "batch.toml");
  fs.writeFileSync(file, `name = "convention"\n[recordings]\nroot = "data"\npattern = "**/*.cmtr"\n[[pipeline]]\nstep = "load_recording"\n[output]\ndir = "out"\n`);
  const batch = openBatch(file);
  const { tablePath } = stage2Paths(batch.config);
  fs.mkdirSync(path.dirname(tablePath), { recursive: true });
  await writeArrow(tableFromArrays({ recording_id: ["a", "a", "b"], unit_id: ["unit_001", "unit_002", "unit_001"], rate_hz: new Float64Array([1, 2, 3]) }), tablePath);
  return batch;
}

type Call = (options: PlotOptions) => Promise<Chart | void>;
const session = fullSession();
const unit = { session, unitId: "unit_001" };

/** Every function that shows a chart, called with the options it needs plus the convention's `writer` / `show`. */
const CHART_FUNCTIONS: Record<string, Call> = {
  plotSta: (o) => hdmea.plotSta({ ...unit, ...o }),
  plotRaster: (o) => hdmea.plotRaster({ ...unit, movie: "step", ...o }),
  plotPsth: (o) => hdmea.plotPsth({ ...unit, movie: "step", ...o }),
  plotEimage: (o) => hdmea.plotEimage({ ...unit, ...o }),
  plotLightReference: (o) => hdmea.plotLightReference({ session, ...o }),
  plotUnitsMap: (o) => hdmea.plotUnitsMap({ session, ...o }),
  plotWaveform: (o) => hdmea.plotWaveform({ ...unit, ...o }),
  plotCorrelogram: (o) => hdmea.plotCorrelogram({ session, unitIds: ["unit_001", "unit_002"], ...o }),
  plotEimageFootprint: (o) => hdmea.plotEimageFootprint({ ...unit, ...o }),
  plotRfMosaic: (o) => hdmea.plotRfMosaic({ session, ...o }),
  plotRfMap: (o) => hdmea.plotRfMap({ ...unit, ...o }),
  plotTemporalFilter: (o) => hdmea.plotTemporalFilter({ ...unit, ...o }),
  showUnitPage: (o) => hdmea.showUnitPage({ ...unit, ...o }),
  "Batch.plotFeature": async (o) => (await batchWithTable()).plotFeature("rate_hz", o),
};

/** Exported `plot*` / `show*` functions that follow another rule, and why. */
const OTHER_RULES: Record<string, string> = {
  showTable: "shows a table and returns nothing (checked below)",
  showChart: "shows a chart it is given and returns nothing (checked below)",
  showSession: "returns the live session card, which notebooks keep in a variable to close it",
};

describe("the show/plot convention", () => {
  it("covers every exported plot*/show* function", () => {
    const exported = Object.entries(hdmea)
      .filter(([name, value]) => /^(plot|show)[A-Z]/.test(name) && typeof value === "function")
      .map(([name]) => name)
      .sort();
    const known = [...Object.keys(CHART_FUNCTIONS), ...Object.keys(OTHER_RULES)].filter((name) => !name.includes(".")).sort();
    expect(exported).toEqual(known);
  });

  it.each(Object.entries(CHART_FUNCTIONS))("%s resolves to nothing once shown and to the chart with show: false", async (name, call) => {
    const sink = new RecordingSink();
    expect(await call({ writer: sink })).toBeUndefined();
    expect(sink.messages).toHaveLength(1);
    const chart = await call({ writer: sink, show: false });
    expect(sink.messages).toHaveLength(1);
    expect(chart).toBeDefined();
    expect((chart as Chart).svg.startsWith("<svg")).toBe(true);
    // The SVG is rendered again (its gradient ids differ); the spec and the text are the same chart.
    expect(sink.messages[0].data[PLAIN_MIME]).toBe((chart as Chart).text);
    expect(sink.messages[0].data[VEGALITE_MIME]).toStrictEqual((chart as Chart).spec);
    const saved = await hdmea.saveFigure(chart as Chart, path.join(dir, `${name}.svg`));
    expect(fs.readFileSync(saved.path, "utf8")).toContain("<svg");
  });

  it("showChart and showTable show their argument and return nothing", async () => {
    const sink = new RecordingSink();
    const chart = await hdmea.plotWaveform({ ...unit, show: false });
    expect(hdmea.showChart(chart, { writer: sink })).toBeUndefined();
    expect(hdmea.showTable(session.unitsTable(), { writer: sink })).toBeUndefined();
    expect(sink.messages.map((message) => Object.keys(message.data).sort())).toEqual([
      Object.keys(chart.bundle).sort(),
      Object.keys(hdmea.tableToBundle(session.unitsTable())).sort(),
    ]);
  });
});
