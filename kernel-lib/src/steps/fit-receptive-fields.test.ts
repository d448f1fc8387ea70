/**
 * fitReceptiveFields on the simulator's ground truth (60 units with a planted centre–surround RF, 30 without any),
 * the stored layout and its save → load round trip, order and option errors.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { NdArray, type SessionMap } from "../hdf5/values";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { expectSameContents } from "../test-support/same-contents";
import { addSectionTime } from "./add-section-time";
import { computeSta } from "./compute-sta";
import { fitReceptiveFields } from "./fit-receptive-fields";
import { loadRecording } from "./load-recording";
import { sectionSpikeTimes } from "./section-spike-times";

function rfFit(session: PipelineSession, unitId: string, name: string): { data: SessionMap; metadata: SessionMap } {
  const entry = (session.units[unitId].features as SessionMap)[name] as SessionMap;
  return { data: entry.data as SessionMap, metadata: entry.metadata as SessionMap };
}

describe("fitReceptiveFields on a simulated recording", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let session: PipelineSession;
  const name = () => `rf_fit_${rec.groundTruth.noise!.movieName}`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-rf-"));
    // 90 units over 90 s of noise, the last 30 planted without a receptive field; a 2 × 2 sensor block keeps the
    // raw file small (nothing here reads it).
    rec = await simulateRecording({
      outputDir: dir,
      durationS: 90,
      unitCount: 90,
      unitsWithoutRf: 30,
      seed: 5,
      stimuli: ["noise"],
      grid: { rows: [33, 34], columns: [33, 34] },
    });
    session = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
    await addSectionTime({ session, playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath });
    await sectionSpikeTimes({ session, configDir: rec.configDir });
    await computeSta({ session, stimuliDir: rec.moviesDir });
    await fitReceptiveFields({ session, stimuliDir: rec.moviesDir, shuffles: 20, seed: 1 });
  }, 300_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("records which units were planted without a receptive field", () => {
    const planted = rec.groundTruth.units.filter((u) => u.receptiveField.planted);
    expect(planted.length).toBe(60);
    expect(rec.groundTruth.units.slice(60).every((u) => !u.receptiveField.planted && u.receptiveField.spatial.flat().every((w) => w === 0))).toBe(true);
  });

  it("finds the planted centre within 1 pixel and the planted size within 20 % for ≥ 95 % of units with ≥ 300 noise spikes", () => {
    let eligible = 0;
    let centred = 0;
    let sized = 0;
    let significant = 0;
    for (const truth of rec.groundTruth.units.filter((u) => u.receptiveField.planted)) {
      const { metadata } = rfFit(session, truth.unitId, name());
      const staMeta = ((session.units[truth.unitId].features as SessionMap)[`sta_${rec.groundTruth.noise!.movieName}`] as SessionMap).metadata as SessionMap;
      if ((staMeta.n_spikes_used as number) < 300) continue;
      eligible++;
      const rf = truth.receptiveField;
      const distance = Math.hypot((metadata.center_x as number) - rf.centerColumn, (metadata.center_y as number) - rf.centerRow);
      if (distance <= 1) centred++;
      const size = Math.sqrt((metadata.sigma_major as number) * (metadata.sigma_minor as number));
      if (Math.abs(size / rf.sigmaCenter - 1) <= 0.2) sized++;
      if (metadata.significant === true && metadata.fit_valid === true && metadata.polarity === truth.polarity) significant++;
    }
    expect(eligible).toBeGreaterThanOrEqual(45);
    expect(centred / eligible).toBeGreaterThanOrEqual(0.95);
    expect(sized / eligible).toBeGreaterThanOrEqual(0.95);
    expect(significant / eligible).toBeGreaterThanOrEqual(0.95);
  });

  it("finds units without a planted receptive field not significant in ≥ 95 % of cases", () => {
    const without = rec.groundTruth.units.filter((u) => !u.receptiveField.planted);
    const flagged = without.filter((truth) => rfFit(session, truth.unitId, name()).metadata.significant === true);
    expect(without.length).toBe(30);
    expect(1 - flagged.length / without.length).toBeGreaterThanOrEqual(0.95);
  });

  it("stores the spatial map, the temporal filter with its ms axis and the fit for every unit", () => {
    for (const truth of rec.groundTruth.units) {
      const { data, metadata } = rfFit(session, truth.unitId, name());
      expect(data.spatial_map).toBeInstanceOf(NdArray);
      expect((data.spatial_map as NdArray).shape).toEqual([15, 15]);
      expect(data.temporal_filter).toBeInstanceOf(Float32Array);
      const time = data.temporal_filter_time_ms as Float64Array;
      expect(time.length).toBe(60);
      expect(time[0]).toBeCloseTo(-60 * (metadata.frame_period_ms as number), 6);
      expect(time[59]).toBeCloseTo(-(metadata.frame_period_ms as number), 6);
      expect(metadata).toMatchObject({ n_shuffles: 20, shuffle_seed: 1, cover_range: [-60, 0], movie_name: rec.groundTruth.noise!.movieName });
      expect(metadata.frame_period_ms as number).toBeCloseTo(1000 / 60, 1);
    }
    expect(session.stepRecords.at(-1)).toMatchObject({ name: "fit_receptive_fields", status: StepStatus.COMPLETED });
  });

  it("gives the same numbers for the same seed, and save → load keeps them exactly", async () => {
    const unitId = rec.groundTruth.units[70].unitId;
    const before = rfFit(session, unitId, name());
    await fitReceptiveFields({ session, stimuliDir: rec.moviesDir, shuffles: 20, seed: 1 });
    expectSameContents(rfFit(session, unitId, name()), before, unitId);
    const file = path.join(dir, "rf.h5");
    await session.save(file);
    const loaded = await PipelineSession.load(file);
    for (const truth of rec.groundTruth.units) expectSameContents(rfFit(loaded, truth.unitId, name()), rfFit(session, truth.unitId, name()), truth.unitId);
  });

  it("without shuffles fits the same Gaussians, marks nothing significant and says why", async () => {
    const copy = await PipelineSession.load(path.join(dir, "rf.h5"));
    await fitReceptiveFields({ session: copy, shuffles: 0 });
    const unitId = rec.groundTruth.units[0].unitId;
    expect(rfFit(copy, unitId, name()).metadata.center_x).toBe(rfFit(session, unitId, name()).metadata.center_x);
    expect(rfFit(copy, unitId, name()).metadata.significant).toBe(false);
    expect(copy.warnings.at(-1)).toMatch(/shuffles: 0/);
  });

  it("rejects bad options before changing the session, and warns when run before computeSta", async () => {
    await expect(fitReceptiveFields({ session, shuffles: -1 })).rejects.toThrow(ConfigurationError);
    await expect(fitReceptiveFields({ session, shuffles: 5 })).rejects.toThrow(/stimuliDir/);
    const fresh = new PipelineSession({ datasetId: "fresh", logger: recordingLogger() });
    fresh.addUnits({ unit_001: { spike_times: Float64Array.of(1, 2) } });
    await fitReceptiveFields({ session: fresh, shuffles: 0 });
    expect(fresh.warnings.join("\n")).toMatch(/computeSta/);
    expect(fresh.completedSteps.has("fit_receptive_fields")).toBe(false);
  });
});
