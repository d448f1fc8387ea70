/**
 * The unit page and the receptive-field charts, on a small simulated recording taken through the pipeline (load →
 * sections → STA → RF fits): every section renders, missing inputs become notes, specs are plain data.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MissingInputError } from "../../errors";
import { NdArray } from "../../hdf5/values";
import { recordingLogger } from "../../session/logger";
import { PipelineSession } from "../../session/session";
import { simulateRecording, type SimulatedRecording } from "../../simulate/simulate-recording";
import { addSectionTime } from "../../steps/add-section-time";
import { computeSta } from "../../steps/compute-sta";
import { fitReceptiveFields } from "../../steps/fit-receptive-fields";
import { loadRecording } from "../../steps/load-recording";
import { sectionSpikeTimes } from "../../steps/section-spike-times";
import { xmlProblem } from "../../test-support/xml";
import { PLAIN_MIME, SVG_MIME, VEGALITE_MIME, type ProtocolJson, type VegaLiteSpec } from "../protocol";
import { RecordingSink } from "../writer";
import { plotRfMap, plotRfMosaic, plotTemporalFilter } from "./plot-receptive-field";
import { ellipsePoints, rfMosaicSpec } from "./receptive-field";
import { showUnitPage, unitPageSpec } from "./unit-page";

/** Every `title` text in a spec, depth first. */
function titles(spec: ProtocolJson): string[] {
  const found: string[] = [];
  const visit = (value: ProtocolJson): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") {
      const title = value.title;
      if (typeof title === "string") found.push(title);
      else if (title !== null && typeof title === "object" && !Array.isArray(title) && typeof title.text === "string") found.push(title.text);
      Object.values(value).forEach(visit);
    }
  };
  visit(spec);
  return found;
}

function notes(spec: ProtocolJson): string[] {
  const text = JSON.stringify(spec);
  return [...text.matchAll(/"note":"([^"]*)"/g)].map((m) => m[1]);
}

describe("unit page and RF charts on a simulated recording", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let loaded: PipelineSession;
  let session: PipelineSession;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-unit-page-"));
    rec = await simulateRecording({ outputDir: dir, durationS: 45, unitCount: 4, seed: 2, grid: { rows: [33, 34], columns: [33, 34] } });
    const load = () => loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
    loaded = await load();
    session = await load();
    await addSectionTime({ session, playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath });
    await sectionSpikeTimes({ session, configDir: rec.configDir });
    await computeSta({ session, stimuliDir: rec.moviesDir });
    await fitReceptiveFields({ session, stimuliDir: rec.moviesDir, shuffles: 10 });
  }, 180_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("shows waveform, ACG, raster/PSTH with the stimulus trace, STA and RF fit in one chart with a valid SVG", async () => {
    const sink = new RecordingSink();
    expect(await showUnitPage({ session, unitId: "unit_001", writer: sink })).toBeUndefined();
    expect(sink.messages).toHaveLength(1);
    expect(Object.keys(sink.messages[0].data).sort()).toEqual([PLAIN_MIME, SVG_MIME, VEGALITE_MIME].sort());
    const chart = await showUnitPage({ session, unitId: "unit_001", show: false });
    expect(sink.messages[0].data[PLAIN_MIME]).toBe(chart.text);
    expect(chart.warnings).toEqual([]);
    expect(xmlProblem(chart.svg)).toBeUndefined();
    const all = titles(chart.spec);
    for (const part of ["waveform", "auto-correlogram", "PSTH", "stimulus (light reference, trial 0)", "temporal filter (peak pixel)"]) {
      expect(all.some((t) => t.startsWith(part))).toBe(true);
    }
    const stepMovie = rec.groundTruth.playlist.movies.find((movie) => movie.kind === "step")!.name;
    expect(all).toContain(`raster · ${stepMovie}`);
    expect(all.some((t) => t.startsWith("STA · "))).toBe(true);
    expect(all.some((t) => /^RF fit: (ON|OFF) · centre/.test(t))).toBe(true);
    expect(notes(chart.spec)).toEqual([]);
    expect(chart.spec.$schema).toBeDefined();
    expect(JSON.stringify(chart.spec.vconcat)).not.toContain("$schema");
    expect(chart.svg).toContain("time relative to spike (ms)");
  });

  it("says which step to run for sections whose data is missing, instead of drawing empty charts", async () => {
    const chart = await showUnitPage({ session: loaded, unitId: "unit_002", show: false });
    expect(chart.warnings).toEqual([]);
    const text = notes(chart.spec).join("\n");
    expect(text).toMatch(/sectionSpikeTimes/);
    expect(text).toMatch(/computeSta/);
    expect(text).toMatch(/fitReceptiveFields/);
    expect(titles(chart.spec).some((t) => t === "waveform")).toBe(true);
    expect(chart.svg).toContain("fitReceptiveFields");
  });

  it("rejects an unknown unit with a MissingInputError listing the units", async () => {
    expect(() => showUnitPage({ session, unitId: "unit_999" })).toThrow(MissingInputError);
    expect(() => showUnitPage({ session, unitId: "unit_999" })).toThrow(/unit_001/);
  });

  it("plots the RF mosaic, a unit's RF map and its temporal filter without renderer warnings", async () => {
    const mosaic = await plotRfMosaic({ session, show: false, includeNotSignificant: true, sigmas: 2 });
    expect(mosaic.warnings).toEqual([]);
    expect(xmlProblem(mosaic.svg)).toBeUndefined();
    expect(mosaic.text).toMatch(/^RF mosaic: \d of 4 units significant/);
    const filter = await plotTemporalFilter({ session, unitId: "unit_001", show: false });
    expect(filter.warnings).toEqual([]);
    expect(filter.svg).toContain("time relative to spike (ms)");
    const map = await plotRfMap({ session, unitId: "unit_001", show: false });
    expect(map.warnings).toEqual([]);
    expect(map.text).toMatch(/centre \(x/);
    await expect(async () => plotRfMosaic({ session: loaded })).rejects.toThrow(MissingInputError);
    expect(() => plotTemporalFilter({ session: loaded, unitId: "unit_001" })).toThrow(/fitReceptiveFields/);
  });
});

describe("receptive-field spec builders", () => {
  it("draws the n-sigma ellipse: closed, at n·σ along the rotated axes", () => {
    const points = ellipsePoints({ centerX: 5, centerY: 7, sigmaMajor: 2, sigmaMinor: 1, angleRad: Math.PI / 2 }, 2);
    expect(points[0]).toMatchObject({ x: 5, y: 11 });
    expect(points.at(-1)!.x).toBeCloseTo(points[0].x, 6);
    expect(points.at(-1)!.y).toBeCloseTo(points[0].y, 6);
    const quarter = points[points.length >> 2];
    expect(quarter.x).toBeCloseTo(3, 4);
    expect(quarter.y).toBeCloseTo(7, 4);
  });

  it("keeps only significant units in the mosaic unless asked, and colours by polarity", () => {
    const units = [
      { unitId: "a", centerX: 3, centerY: 3, sigmaMajor: 1, sigmaMinor: 1, angleRad: 0, polarity: "ON" as const, significant: true },
      { unitId: "b", centerX: 8, centerY: 8, sigmaMajor: 1, sigmaMinor: 1, angleRad: 0, polarity: "OFF" as const, significant: false },
    ];
    const only = rfMosaicSpec({ units, gridShape: [15, 15] });
    expect(String(only.title)).toContain("1 of 2 units");
    expect(JSON.stringify(only)).not.toContain('"unitId":"b"');
    const both = rfMosaicSpec({ units, gridShape: [15, 15], includeNotSignificant: true });
    expect(JSON.stringify(both)).toContain('"group":"not significant"');
    const implausible = rfMosaicSpec({ units: [{ ...units[0], fitValid: false }, units[1]], gridShape: [15, 15], includeNotSignificant: true });
    expect(JSON.stringify(implausible)).not.toContain('"unitId":"a"');
  });

  it("builds a page spec whose missing sections are one-line notes", () => {
    const spec: VegaLiteSpec = unitPageSpec({ unitId: "u", rows: [[{ title: "waveform", missing: "no waveform" }], []] });
    expect(spec.vconcat).toHaveLength(1);
    expect(notes(spec)).toEqual(["no waveform"]);
    expect(new NdArray(new Float32Array(4), [2, 2]).ndim).toBe(2);
  });
});
