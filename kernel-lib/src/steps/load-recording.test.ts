/**
 * loadRecording on a simulated recording recovers the planted truth; bad input gives typed errors or the
 * reference's warnings, with nothing written and the process alive.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, FileNotFoundError } from "../errors";
import { Int64Numbers } from "../hdf5/values";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { buildCmcr, buildCmtr, writeH5 } from "../test-support/mcs-fixtures";
import { expectSameContents } from "../test-support/same-contents";
import { useTempDir } from "../test-support/temp-dir";
import { loadRecording } from "./load-recording";

function emptySession(datasetId = "sim") {
  return new PipelineSession({ datasetId, logger: recordingLogger() });
}

describe("loadRecording on a simulated recording", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let session: PipelineSession;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-load-"));
    rec = await simulateRecording({ outputDir: dir, durationS: 40, unitCount: 8, seed: 11 });
    session = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: emptySession() });
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("recovers every unit's included spike times exactly, in samples", () => {
    const truth = rec.groundTruth.units;
    expect(Object.keys(session.units)).toEqual(truth.map((u) => u.unitId));
    for (const unit of truth) {
      expect(session.units[unit.unitId].spike_times).toEqual(Float64Array.from(unit.spikeTimesSamples));
    }
  });

  it("leaves IncludePeak = 0 peaks out", () => {
    const excluded = rec.groundTruth.units.flatMap((u) => u.excludedPeakSamples.map((s) => [u.unitId, s] as const));
    expect(excluded.length).toBeGreaterThan(0);
    for (const [unitId, sample] of excluded) {
      expect(Array.from(session.units[unitId].spike_times as Float64Array)).not.toContain(sample);
    }
  });

  it("finds every simulated frame onset to the sample, and the acquisition rate", () => {
    expect(session.metadata.frame_timestamps).toEqual(Float64Array.from(rec.groundTruth.display.frameTimestamps));
    expect(session.stimulus.frame_times).toEqual({ default: Float64Array.from(rec.groundTruth.display.frameTimestamps) });
    expect(session.metadata.acquisition_rate).toBe(rec.groundTruth.samplingRateHz);
    expect(session.metadata.sample_interval).toBe(1 / rec.groundTruth.samplingRateHz);
    expect((session.metadata.frame_time as Float64Array)[1]).toBe(rec.groundTruth.display.frameTimestamps[1] / 20_000);
  });

  it("fills position from Unit Info, firing rates, waveforms, unit_meta, light reference and sys_meta", () => {
    const truth = rec.groundTruth.units[0];
    const unit = session.units[truth.unitId];
    expect([unit.row, unit.col, unit.global_id, unit.unit_num, unit.original_name]).toEqual([
      truth.row,
      truth.column,
      truth.sensorId,
      truth.unitNumber,
      `Unit_${truth.unitNumber}`,
    ]);
    expect((unit.firing_rate_10hz as Float32Array).length).toBe(Math.ceil(rec.groundTruth.recordingDurationUs / 100_000));
    const rates = unit.firing_rate_10hz as Float32Array;
    expect(rates.reduce((a, b) => a + b, 0) / 10).toBe(truth.spikeTimesSamples.length);
    expect((unit.waveform as Float32Array).length).toBe(rec.recipe.cutoutSamples);
    // As the reference writes unit_meta: 1-element int64 arrays (numbers in memory), so `meta.sensorid[0]` works.
    const meta = unit.unit_meta as Record<string, unknown>;
    expect(meta.sensorid).toBeInstanceOf(Int64Numbers);
    expect((meta.sensorid as Int64Numbers)[0]).toBe(truth.sensorId);
    expect(meta.snr).toBeInstanceOf(Float64Array);
    expect((meta.snr as Float64Array).length).toBe(1);
    const light = session.stimulus.light_reference as Record<string, Float32Array>;
    expect(Object.keys(light).sort()).toEqual(["10hz_ch1", "10hz_ch2", "1khz_ch1", "1khz_ch2", "raw_ch1", "raw_ch2"]);
    expect(light.raw_ch1.length).toBe(rec.groundTruth.sampleCount);
    expect(light["1khz_ch1"].length).toBe(Math.floor(rec.groundTruth.sampleCount / 20));
    const sysMeta = session.metadata.sys_meta as Record<string, unknown>;
    expect(sysMeta.recording_duration_s).toBe(rec.groundTruth.recordingDurationUs / 1e6);
    expect(session.metadata.dataset_id).toBe(path.basename(rec.cmtrPath, ".cmtr").replace(/-+$/, ""));
  });

  it("records the step and its source files, with no warnings for a clean recording", () => {
    expect(session.completedSteps.has("load_recording")).toBe(true);
    expect(session.stepRecords.at(-1)).toMatchObject({ name: "load_recording", status: StepStatus.COMPLETED });
    expect(session.sourceFiles).toEqual({ cmcr_path: rec.cmcrPath, cmtr_path: rec.cmtrPath });
    expect(session.warnings).toEqual([]);
  });

  it("hdf5Path mode creates the session file and a save → load round trip keeps everything", async () => {
    const file = path.join(dir, "out", "session.h5");
    fs.mkdirSync(path.dirname(file));
    const result = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, hdf5Path: file });
    expect(result.record.status).toBe(StepStatus.COMPLETED);
    const loaded = await PipelineSession.load(file);
    expectSameContents(loaded.units, session.units, "units");
    expectSameContents(loaded.metadata, session.metadata, "metadata");
    expectSameContents(loaded.stimulus, session.stimulus, "stimulus");
  });
});

describe("loadRecording on bad input", () => {
  const tempDir = useTempDir();

  async function cmtrWith(units: Parameters<typeof buildCmtr>[0], name = "rec-.cmtr"): Promise<string> {
    const file = path.join(tempDir(), name);
    await writeH5(file, buildCmtr(units));
    return file;
  }

  it("no input, a wrong extension and a missing file are typed errors; the session is left as it was", async () => {
    const session = emptySession();
    await expect(loadRecording({ session })).rejects.toThrow(ConfigurationError);
    await expect(loadRecording({ session, cmtrPath: path.join(tempDir(), "x.h5") })).rejects.toThrow(/Expected \.cmtr file, got: .*x\.h5/);
    await expect(loadRecording({ session, cmcrPath: path.join(tempDir(), "x.cmcr") })).rejects.toThrow(FileNotFoundError);
    await expect(loadRecording({ session, cmcrPath: path.join(tempDir(), "x.cmcr") })).rejects.toThrow(/CMCR file not found: .*x\.cmcr/);
    await expect(loadRecording({ session, cmtrPath: await cmtrWith([]), datasetId: "a/b" })).rejects.toThrow(/Invalid dataset_id/);
    expect(session.units).toEqual({});
    expect(session.stepRecords).toEqual([]);
    expect(fs.readdirSync(tempDir())).toEqual(["rec-.cmtr"]);
  });

  it("hdf5Path mode with a missing input writes no file", async () => {
    const file = path.join(tempDir(), "never.h5");
    await expect(loadRecording({ hdf5Path: file, cmtrPath: path.join(tempDir(), "missing.cmtr") })).rejects.toThrow(FileNotFoundError);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("a .cmtr without Spike Sorter → the reference's 'CMTR load failed' warning, no units", async () => {
    const file = path.join(tempDir(), "rec-.cmtr");
    await writeH5(file, (f) => f.create_group("Something Else"));
    const session = await loadRecording({ session: emptySession(), cmtrPath: file });
    expect(session.warnings).toEqual([
      expect.stringMatching(/^CMTR load failed: .*has no '\/Spike Sorter'/),
      "No CMCR file provided - light reference unavailable",
      "Using default acquisition_rate: 20000 Hz",
    ]);
    expect(session.unitCount).toBe(0);
  });

  it("a unit without Peaks and a Peaks table of the wrong type are skipped with warnings; good units load", async () => {
    const file = await cmtrWith([
      { number: 1, peaks: "ok", timestampsUs: [50, 150, 1_000_025], include: [1, 0, 1] },
      { number: 2, peaks: "none" },
      { number: 3, peaks: "array" },
    ]);
    const session = await loadRecording({ session: emptySession(), cmtrPath: file });
    expect(Object.keys(session.units)).toEqual(["unit_001"]);
    expect(session.units.unit_001.spike_times).toEqual(Float64Array.of(1, 20_000)); // A.7 half-even, IncludePeak honoured
    expect(session.warnings).toEqual(
      expect.arrayContaining([
        "No CMCR file provided - light reference unavailable",
        "Using default acquisition_rate: 20000 Hz",
        expect.stringMatching(/^Skipped Unit 2 of the CMTR: .*Peaks/),
        expect.stringMatching(/^Skipped Unit 3 of the CMTR: .*Peaks/),
      ]),
    );
  });

  it("a .cmcr without analog data → warning; a truncated .cmcr → 'CMCR load failed'; mismatched stems → warning", async () => {
    const cmtr = await cmtrWith([{ number: 1, peaks: "ok" }]);
    const noAnalog = path.join(tempDir(), "rec.cmcr");
    await writeH5(noAnalog, buildCmcr({ raw: new Int16Array(4 * 2 * 2), shape: [4, 2, 2] }));
    const first = await loadRecording({ session: emptySession(), cmcrPath: noAnalog, cmtrPath: cmtr });
    expect(first.warnings).toEqual([expect.stringMatching(/^No analog data in CMCR .*rec\.cmcr/)]);
    expect(first.metadata.frame_timestamps).toBeUndefined();

    const truncated = path.join(tempDir(), "other.cmcr");
    fs.writeFileSync(truncated, fs.readFileSync(noAnalog).subarray(0, 1000));
    const second = await loadRecording({ session: emptySession(), cmcrPath: truncated, cmtrPath: cmtr });
    expect(second.warnings).toEqual([
      expect.stringMatching(/^CMCR and CMTR file names do not match \(other\.cmcr vs rec-\.cmtr\)/),
      expect.stringMatching(/^CMCR load failed: .*other\.cmcr/),
      "Using default acquisition_rate: 20000 Hz",
    ]);
    expect(second.unitCount).toBe(1);
  });
});
