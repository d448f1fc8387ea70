/**
 * loadRecordingWithEimageSta / computeEimageSta on a simulated recording: the eimage peaks at the planted soma
 * electrode, equals a direct whole-trace computation, and bad input gives typed errors naming the parameter with
 * the session left as it was; save → load, hdf5Path mode, checkpoint → continue.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, FileNotFoundError } from "../errors";
import { designButterworthHighpass } from "../dsp/butterworth";
import { sosfiltfiltColumn } from "../dsp/filtfilt";
import { Int64Numbers, type NdArray, type SessionMap } from "../hdf5/values";
import { readSensorWindow } from "../io/cmcr-reader";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { expectSameContents } from "../test-support/same-contents";
import { computeEimageSta, loadRecordingWithEimageSta } from "./eimage-sta";
import { loadRecording } from "./load-recording";

const ROWS: [number, number] = [29, 36];
const COLUMNS: [number, number] = [29, 36];

function emptySession() {
  return new PipelineSession({ datasetId: "sim", logger: recordingLogger() });
}

function eimageOf(session: PipelineSession, unitId: string) {
  return (session.units[unitId].features as Record<string, { data: NdArray<Float32Array>; metadata: SessionMap }>).eimage_sta;
}

describe("eimage STA on a simulated recording", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let session: PipelineSession;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-eimage-"));
    // 60 units with distinct somas on an 8 × 8 electrode block, 8 s: small, and every soma is recorded.
    rec = await simulateRecording({ outputDir: dir, durationS: 8, unitCount: 60, seed: 5, stimuli: ["noise"], grid: { rows: ROWS, columns: COLUMNS } });
    session = await loadRecordingWithEimageSta({
      cmcrPath: rec.cmcrPath,
      cmtrPath: rec.cmtrPath,
      chunkDurationS: 0.5,
      session: emptySession(),
    });
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the strongest electrode is the planted soma electrode for ≥ 95 % of units", () => {
    const nRows = ROWS[1] - ROWS[0] + 1;
    let correct = 0;
    for (const truth of rec.groundTruth.units) {
      const { data } = eimageOf(session, truth.unitId);
      const electrodes = data.shape[1] * data.shape[2];
      let best = 0;
      for (let k = 1; k < data.data.length; k++) if (Math.abs(data.data[k]) > Math.abs(data.data[best])) best = k;
      const expected = (truth.column - COLUMNS[0]) * nRows + (truth.row - ROWS[0]);
      if (best % electrodes === expected) correct++;
    }
    expect(correct / rec.groundTruth.units.length).toBeGreaterThanOrEqual(0.95);
  });

  it("stores float32 [50, columns, rows] with the reference's metadata; n_spikes_used = spikes whose window fits", () => {
    const truth = rec.groundTruth.units[0];
    const { data, metadata } = eimageOf(session, truth.unitId);
    expect(data.shape).toEqual([50, 8, 8]);
    expect(data.data).toBeInstanceOf(Float32Array);
    const spikes = truth.spikeTimesSamples;
    expect(metadata).toMatchObject({
      n_spikes_used: spikes.filter((s) => s >= 10 && s + 40 <= rec.groundTruth.sampleCount).length,
      cutoff_hz: 100,
      filter_order: 2,
      pre_samples: 10,
      post_samples: 40,
      spike_limit: 10_000,
      duration_s: 120,
      skip_highpass: false,
      sampling_rate: 20_000,
      window_range: [-10, 40],
      unit: "counts",
    });
    expect(metadata.n_spikes_used).toBe(spikes.length);
  });

  it("with eimageUnit \"uV\" equals the whole-trace computation in µV (sosfiltfilt per electrode, mean over the spikes) to float32 precision, and is the counts eimage × the µV per count", async () => {
    const truth = rec.groundTruth.units[3];
    const total = rec.groundTruth.sampleCount;
    const window = await readSensorWindow({ cmcrPath: rec.cmcrPath, startSample: 0, endSample: total });
    const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20_000 });
    const inUv = await loadRecordingWithEimageSta({
      cmcrPath: rec.cmcrPath,
      cmtrPath: rec.cmtrPath,
      chunkDurationS: 0.5,
      unitIds: [truth.unitId],
      eimageUnit: "uV",
      session: emptySession(),
    });
    const { data, metadata } = eimageOf(inUv, truth.unitId);
    expect(metadata.unit).toBe("uV");
    const counts = eimageOf(session, truth.unitId).data;
    const k = data.data.findIndex((value, i) => Math.abs(counts.data[i]) > 10 && Math.abs(value) > 0);
    const factor = data.data[k] / counts.data[k];
    expect(factor).not.toBeCloseTo(1, 3);
    for (let i = 0; i < data.data.length; i += 97) expect(Math.abs(data.data[i] - counts.data[i] * factor)).toBeLessThanOrEqual(1e-3 + Math.abs(data.data[i]) * 1e-5);
    const spikes = truth.spikeTimesSamples;
    for (const electrode of [0, 17, 63]) {
      const column = Float32Array.from({ length: total }, (_, t) => window.data[t * 64 + electrode]);
      const filtered = sosfiltfiltColumn({ sos, column });
      for (let t = 0; t < 50; t++) {
        let sum = 0;
        for (const s of spikes) sum += filtered[s - 10 + t];
        const expected = sum / spikes.length;
        expect(Math.abs(data.data[t * 64 + electrode] - expected)).toBeLessThanOrEqual(1e-3 + Math.abs(expected) * 1e-5);
      }
    }
  });

  it("adds unit_meta.peaks_data, cmcr_meta / cmtr_meta, light reference and frame timestamps, and marks the §3.3 steps", () => {
    const truth = rec.groundTruth.units[0];
    const meta = session.units[truth.unitId].unit_meta as SessionMap;
    const peaks = meta.peaks_data as SessionMap;
    expect((peaks.includepeak as Int32Array).length).toBe(truth.spikeTimesSamples.length + truth.excludedPeakSamples.length);
    // The reference's types: Peaks columns keep theirs (Timestamp int64 → numbers saved as int64), Unit Info fields
    // are 1-element int64/float64 arrays, RoiSTAs / Unmixing float32; cut-out columns only with peakCutouts.
    expect(Object.keys(peaks)).toEqual(["timestamp", "peakamplitude", "includepeak"]);
    expect(peaks.timestamp).toBeInstanceOf(Int64Numbers);
    expect(meta.row).toBeInstanceOf(Int64Numbers);
    expect(Array.from(meta.row as Int64Numbers)).toEqual([truth.row]);
    expect((meta.snr as Float64Array).length).toBe(1);
    expect((meta.roi_stas as NdArray).data).toBeInstanceOf(Float32Array);
    expect((meta.unmixing_matrix as NdArray).data).toBeInstanceOf(Float32Array);
    expect((session.metadata.cmcr_meta as SessionMap).recording_duration_s).toBe(8);
    expect(Object.keys(session.metadata.cmtr_meta as SessionMap).length).toBeGreaterThan(0);
    expect(session.metadata.frame_timestamps).toEqual(Float64Array.from(rec.groundTruth.display.frameTimestamps));
    expect([...session.completedSteps].sort()).toEqual(["add_cmtr_unit_info", "add_sys_meta_info", "load_recording_with_eimage_sta"]);
    expect(session.warnings).toEqual([]);
  });

  it("computeEimageSta on a loaded session gives the same eimages; unitIds and spikeLimit select spikes; checkpoint → continue", async () => {
    const loaded = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: emptySession() });
    const ids = rec.groundTruth.units.slice(0, 3).map((u) => u.unitNumber);
    await computeEimageSta({ session: loaded, unitIds: [ids[0], String(ids[1]), `unit_${String(ids[2]).padStart(3, "0")}`, 999], chunkDurationS: 0.3 });
    for (const n of ids) {
      const unitId = `unit_${String(n).padStart(3, "0")}`;
      const a = eimageOf(loaded, unitId).data.data;
      const b = eimageOf(session, unitId).data.data;
      const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      a.forEach((v, k) => expect(Math.abs(v - b[k])).toBeLessThanOrEqual(scale * 1e-6));
    }
    expect(loaded.warnings).toEqual(["unit_999 is not a unit of this session; it was skipped (run loadRecording with the same .cmtr first)."]);
    expect(Object.values(loaded.units).filter((u) => u.features !== undefined).length).toBe(3);

    const file = path.join(dir, "checkpoint.h5");
    await loaded.checkpoint(file, { checkpointName: "eimage" });
    const resumed = await PipelineSession.load(file);
    expectSameContents(resumed.units, loaded.units, "units");
    const unitId = rec.groundTruth.units[4].unitId;
    for (const target of [loaded, resumed]) await computeEimageSta({ session: target, unitIds: [unitId], spikeLimit: 5 });
    expectSameContents(eimageOf(resumed, unitId), eimageOf(loaded, unitId), unitId);
    expect(eimageOf(loaded, unitId).metadata.n_spikes_used).toBe(5);
  });

  it("hdf5Path mode writes the session file; save → load keeps everything", async () => {
    const file = path.join(dir, "eimage.h5");
    const result = await loadRecordingWithEimageSta({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, unitIds: [1, 2], hdf5Path: file });
    expect(result.record.status).toBe(StepStatus.COMPLETED);
    const loaded = await PipelineSession.load(file);
    expectSameContents(eimageOf(loaded, "unit_001").data, eimageOf(session, "unit_001").data, "eimage");
    expect(loaded.units.unit_003.features).toBeUndefined();
  });

  it("bad input: negative window parts, cutoff above Nyquist, missing files → typed errors naming the parameter; session unchanged", async () => {
    const target = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: emptySession() });
    const before = target.stepRecords.length;
    await expect(computeEimageSta({ session: target, windowRange: [5, 40] })).rejects.toThrow(/Invalid window_range: \[5,40\]/);
    await expect(computeEimageSta({ session: target, windowRange: [-10, -1] })).rejects.toThrow(ConfigurationError);
    await expect(computeEimageSta({ session: target, cutoffHz: 10_000 })).rejects.toThrow(/cutoffHz 10000 Hz is not below the Nyquist frequency 10000 Hz/);
    await expect(computeEimageSta({ session: target, cmcrPath: path.join(dir, "missing.cmcr") })).rejects.toThrow(FileNotFoundError);
    await expect(computeEimageSta({ session: target, unitIds: ["x"] })).rejects.toThrow(/unitIds/);
    await expect(computeEimageSta({ session: emptySession() })).rejects.toThrow(/needs one of 'load_recording'/);
    await expect(loadRecordingWithEimageSta({ session: emptySession(), cmcrPath: rec.cmcrPath, cmtrPath: null })).rejects.toThrow(/needs both files/);
    expect(Object.values(target.units).every((u) => u.features === undefined)).toBe(true);
    expect(target.stepRecords.filter((r) => r.status === StepStatus.COMPLETED).length).toBe(before);
  });
});
