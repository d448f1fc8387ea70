/**
 * computeSta: the worked examples of reference §3.7, the planted receptive fields of a simulated recording,
 * order (before sectioning → the reference's warning), bad input (typed errors, session unchanged), save → load,
 * hdf5Path mode and checkpoint → load → continue.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, DataLoadError, FileNotFoundError } from "../errors";
import { computeTrialBoundaries, sectionSpikeTrain } from "../dsp/trials";
import { NdArray, type SessionMap } from "../hdf5/values";
import { encodeNpy } from "../io/npy-writer";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { expectSameContents } from "../test-support/same-contents";
import { addSectionTime } from "./add-section-time";
import { sectionSpikeTimes } from "./section-spike-times";
import { useTempDir } from "../test-support/temp-dir";
import { computeSta } from "./compute-sta";
import { loadRecording } from "./load-recording";

const MOVIE = "dense_noise_test";

/** movie[t] = t, one pixel: the STA is the mean frame index of each window. */
function rampMovie(frames: number): NdArray<Uint8Array> {
  return new NdArray(Uint8Array.from({ length: frames }, (_, t) => t), [frames, 1, 1]);
}

/**
 * The worked session example of §3.7: frame_timestamps = 100·k; section_time [[1000, 9000]] → F0 = 10, the movie
 * starts at frame 70; stimulus config (0, 20, 1) → trial 0 = [7000, 9000).
 */
function workedSession(spikeSamples: readonly number[][], postPadSamples = 0): PipelineSession {
  const session = new PipelineSession({ datasetId: "worked", logger: recordingLogger() });
  const frameTimestamps = Float64Array.from({ length: 200 }, (_, k) => 100 * k);
  const units: Record<string, SessionMap> = {};
  spikeSamples.forEach((spikes, i) => (units[`unit_00${i + 1}`] = { spike_times: Float64Array.from(spikes) }));
  session.addUnits(units).addMetadata({ acquisition_rate: 20_000, frame_timestamps: frameTimestamps });
  const sectionTime = new NdArray(Float64Array.of(1000, 9000), [1, 2]);
  session.addStimulus({ frame_times: { default: frameTimestamps }, section_time: { [MOVIE]: sectionTime } });
  const { trialsStartEnd } = computeTrialBoundaries({
    sectionStartSample: 1000,
    frameTimestamps,
    config: { startFrame: 0, trialLengthFrame: 20, repeat: 1, groupCount: 1, groupGap: 0 },
  });
  for (const [unitId, unit] of Object.entries(session.units)) {
    const train = sectionSpikeTrain({ spikeSamples: unit.spike_times as Float64Array, trialsStartEnd, postSamples: postPadSamples });
    session.addUnits({
      [unitId]: {
        spike_times_sectioned: {
          [MOVIE]: {
            full_spike_times: train.fullSpikeTimes,
            trials_spike_times: train.trialsSpikeTimes,
            trials_start_end: trialsStartEnd,
            _attrs: { n_trials: 1, pad_margin: [0, postPadSamples / 20_000], pre_samples: 0, post_samples: postPadSamples },
          },
        },
      },
    });
  }
  session.markStepComplete("load_recording").markStepComplete("add_section_time").markStepComplete("section_spike_times");
  return session;
}

function feature(session: PipelineSession, unitId: string, name = `sta_${MOVIE}`) {
  const features = session.units[unitId].features as Record<string, { data: NdArray<Float32Array>; metadata: SessionMap }>;
  return features[name];
}

describe("computeSta — worked examples of reference §3.7", () => {
  it("session example: spikes [7050, 7350, 7550, 8450, 9500] → trial 0 = first four, frames [0, 3, 5, 14] → [4.333, 5.333, 6.333]", async () => {
    const session = workedSession([[7050, 7350, 7550, 8450, 9500]]);
    await computeSta({ session, movie: rampMovie(20), coverRange: [-3, 0] });
    const { data, metadata } = feature(session, "unit_001");
    expect(data.shape).toEqual([3, 1, 1]);
    expect(data.data).toBeInstanceOf(Float32Array);
    expect(Array.from(data.data)).toEqual([13 / 3, 16 / 3, 19 / 3].map(Math.fround));
    expect(metadata).toEqual({ n_spikes_used: 3, n_spikes_excluded: 1, cover_range: [-3, 0], movie_name: MOVIE });
    expect(session.completedSteps.has("compute_sta")).toBe(true);
    expect(session.warnings).toEqual([]);
  });

  it("movie[t] = t, spikes at frames [3, 5, 10, 19, 20], cover (−3, 0) → [8.4, 9.4, 10.4]; frames [0, 17], cover (−1, 3) → [16 … 19]", async () => {
    const atFrame = (frames: number[]) => frames.map((f) => (70 + f) * 100 + 50);
    // Frame 20 lies just after trial 0; a post pad margin of one frame brings it into trial 0, as pad_margin does.
    const session = workedSession([atFrame([3, 5, 10, 19, 20]), atFrame([0, 17])], 100);
    await computeSta({ session, movie: rampMovie(20), coverRange: [-3, 0] });
    const first = feature(session, "unit_001");
    expect(Array.from(first.data.data)).toEqual([8.4, 9.4, 10.4].map(Math.fround));
    expect([first.metadata.n_spikes_used, first.metadata.n_spikes_excluded]).toEqual([5, 0]);

    await computeSta({ session, movie: rampMovie(20), coverRange: [-1, 3] });
    const second = feature(session, "unit_002");
    expect(Array.from(second.data.data)).toEqual([16, 17, 18, 19]);
    expect([second.metadata.n_spikes_used, second.metadata.n_spikes_excluded]).toEqual([1, 1]);
  });

  it("a unit without valid spikes gets an all-NaN float32 STA with n_spikes_used 0", async () => {
    const session = workedSession([[7050], []]);
    await computeSta({ session, movie: rampMovie(20), coverRange: [-3, 0] });
    for (const unitId of ["unit_001", "unit_002"]) {
      const { data, metadata } = feature(session, unitId);
      expect(data.data.every(Number.isNaN)).toBe(true);
      expect(metadata.n_spikes_used).toBe(0);
    }
    expect(feature(session, "unit_001").metadata.n_spikes_excluded).toBe(1);
  });
});

describe("computeSta — order and bad input", () => {
  const tempDir = useTempDir();

  it("before section_spike_times: the reference's warning, no features, the step recorded as failed", async () => {
    const session = workedSession([[7050]]);
    const fresh = new PipelineSession({ datasetId: "fresh", logger: recordingLogger() });
    fresh.addUnits({ unit_001: { spike_times: Float64Array.of(1) } });
    await computeSta({ session: fresh, movie: rampMovie(20) });
    expect(fresh.warnings).toEqual(["Session does not contain sectioned spike data. Run section_spike_times first."]);
    expect(fresh.units.unit_001.features).toBeUndefined();
    expect(fresh.completedSteps.has("compute_sta")).toBe(false);
    expect(session.completedSteps.has("compute_sta")).toBe(false);
  });

  it("no units, no noise movie, no frame timestamps, unsectioned units: the reference's warnings", async () => {
    const empty = new PipelineSession({ datasetId: "e", logger: recordingLogger() }).markStepComplete("section_spike_times");
    await computeSta({ session: empty, movie: rampMovie(20) });
    expect(empty.warnings).toEqual(["No units found in session"]);

    const renamed = new PipelineSession({ datasetId: "n", logger: recordingLogger() });
    renamed.addUnits({ unit_001: { spike_times: Float64Array.of(1) } }).addStimulus({ section_time: { step_up: new NdArray(Float64Array.of(0, 10), [1, 2]) } });
    renamed.markStepComplete("section_spike_times");
    await computeSta({ session: renamed, movie: rampMovie(20) });
    expect(renamed.warnings).toEqual(["No noise movie found in session section_time"]);

    const noFrames = workedSession([[7050]]);
    const bare = new PipelineSession({ datasetId: "b", logger: recordingLogger() });
    bare.addUnits({ unit_001: { spike_times: Float64Array.of(1) } }).addStimulus({ section_time: noFrames.stimulus.section_time as SessionMap });
    bare.markStepComplete("section_spike_times");
    await computeSta({ session: bare, movie: rampMovie(20) });
    expect(bare.warnings).toEqual(["No frame_timestamps found in session"]);

    const partly = workedSession([[7150, 7350]]);
    partly.addUnits({ unit_002: { spike_times: Float64Array.of(7050) }, unit_003: { spike_times: Float64Array.of(1), spike_times_sectioned: { other: {} } } });
    await computeSta({ session: partly, movie: rampMovie(20), coverRange: [-1, 0] });
    expect(partly.warnings).toEqual([`No spike_times_sectioned for unit_002`, `No sectioned data for unit_003/${MOVIE}`]);
    expect(feature(partly, "unit_001").metadata.n_spikes_used).toBe(2);
  });

  it("an inverted or non-integer cover range is a ConfigurationError naming cover_range; the session is left as it was", async () => {
    const session = workedSession([[7050]]);
    const records = session.stepRecords.length;
    await expect(computeSta({ session, movie: rampMovie(20), coverRange: [0, -60] })).rejects.toThrow(ConfigurationError);
    await expect(computeSta({ session, movie: rampMovie(20), coverRange: [0, 0] })).rejects.toThrow(/Invalid cover_range: \[0,0\]/);
    await expect(computeSta({ session, movie: rampMovie(20), coverRange: [-1.5, 0] })).rejects.toThrow(/Invalid cover_range/);
    await expect(computeSta({ session })).rejects.toThrow(/stimuliDir .* or movie/);
    expect(session.units.unit_001.features).toBeUndefined();
    expect(session.stepRecords.length).toBe(records);
  });

  it("a noise movie longer than the frames shown is used with a warning naming both counts (as the reference computes on the frames shown)", async () => {
    const session = workedSession([[7150]]);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, `${MOVIE}.npy`), encodeNpy(rampMovie(25).data, [25, 1, 1]));
    await computeSta({ session, stimuliDir: dir, coverRange: [-1, 0] });
    expect(session.completedSteps.has("compute_sta")).toBe(true);
    const warning = session.warnings.find((w) => w.includes("has 25 frames"));
    expect(warning).toMatch(new RegExp(`${MOVIE}\\.npy has 25 frames, but the recording showed 20 frames of it; the STA used the first 20 frames`));
    const longer = (session.units.unit_001.features as SessionMap)[`sta_${MOVIE}`] as SessionMap;
    const shortSession = workedSession([[7150]]);
    await computeSta({ session: shortSession, movie: rampMovie(20), coverRange: [-1, 0] });
    const exact = (shortSession.units.unit_001.features as SessionMap)[`sta_${MOVIE}`] as SessionMap;
    expect(longer.data).toEqual(exact.data);
  });

  it("movie files: missing → FileNotFoundError, not uint8 → DataLoadError, too few frames → an error naming both counts", async () => {
    const session = workedSession([[7150]]);
    const dir = tempDir();
    await expect(computeSta({ session, stimuliDir: dir })).rejects.toThrow(FileNotFoundError);
    const file = path.join(dir, `${MOVIE}.npy`);
    fs.writeFileSync(file, encodeNpy(new Float32Array(20), [20, 1, 1]));
    await expect(computeSta({ session, stimuliDir: dir })).rejects.toThrow(DataLoadError);
    await expect(computeSta({ session, stimuliDir: dir })).rejects.toThrow(/holds float32 values; computeSta needs uint8/);
    await expect(computeSta({ session, movie: rampMovie(19) })).rejects.toThrow(ConfigurationError);
    await expect(computeSta({ session, movie: rampMovie(19) })).rejects.toThrow(/has 19 frames, but the recording showed 20/);
    await expect(computeSta({ session, movie: new NdArray(new Int16Array(20), [20, 1, 1]) })).rejects.toThrow(/Int16Array/);
    expect(session.units.unit_001.features).toBeUndefined();
    expect(session.completedSteps.has("compute_sta")).toBe(false);

    fs.writeFileSync(file, encodeNpy(rampMovie(20).data, [20, 1, 1]));
    await computeSta({ session, stimuliDir: dir, coverRange: [-1, 0] });
    expect(Array.from(feature(session, "unit_001").data.data)).toEqual([0]);
  });
});

describe("computeSta on a simulated recording", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let session: PipelineSession;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-sta-"));
    // 64 units over 90 s of noise; a 2 × 2 sensor block keeps the raw file small (the STA never reads it).
    rec = await simulateRecording({
      outputDir: dir,
      durationS: 90,
      unitCount: 64,
      seed: 3,
      stimuli: ["noise"],
      grid: { rows: [33, 34], columns: [33, 34] },
    });
    session = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
    await addSectionTime({ session, playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath });
    await sectionSpikeTimes({ session, configDir: rec.configDir });
    await computeSta({ session, stimuliDir: rec.moviesDir });
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const movieName = () => rec.groundTruth.noise!.movieName;

  it("finds the planted receptive-field centre (± 1 pixel) with the planted sign for ≥ 95 % of units with ≥ 300 noise spikes", () => {
    let eligible = 0;
    let correct = 0;
    for (const truth of rec.groundTruth.units) {
      const { data, metadata } = feature(session, truth.unitId, `sta_${movieName()}`);
      if ((metadata.n_spikes_used as number) + (metadata.n_spikes_excluded as number) < 300) continue;
      eligible++;
      const [, height, width] = data.shape;
      let best = 0;
      for (let k = 1; k < data.data.length; k++) if (Math.abs(data.data[k] - 127.5) > Math.abs(data.data[best] - 127.5)) best = k;
      const pixel = best % (height * width);
      const row = Math.floor(pixel / width);
      const column = pixel % width;
      const sign = data.data[best] > 127.5 ? "ON" : "OFF";
      const rf = truth.receptiveField;
      if (Math.abs(row - Math.round(rf.centerRow)) <= 1 && Math.abs(column - Math.round(rf.centerColumn)) <= 1 && sign === truth.polarity) correct++;
    }
    expect(eligible).toBeGreaterThanOrEqual(45);
    expect(correct / eligible).toBeGreaterThanOrEqual(0.95);
  });

  it("stores sta_<movie> as float32 [60, 15, 15] with the reference's metadata for every unit, without warnings", () => {
    for (const truth of rec.groundTruth.units) {
      const { data, metadata } = feature(session, truth.unitId, `sta_${movieName()}`);
      expect(data.shape).toEqual([60, 15, 15]);
      expect(data.data).toBeInstanceOf(Float32Array);
      expect(metadata).toMatchObject({ cover_range: [-60, 0], movie_name: movieName() });
      const trial = ((session.units[truth.unitId].spike_times_sectioned as SessionMap)[movieName()] as SessionMap).trials_spike_times as SessionMap;
      expect((metadata.n_spikes_used as number) + (metadata.n_spikes_excluded as number)).toBe((trial["0"] as Float64Array).length);
    }
    expect(session.warnings).toEqual([]);
    expect(session.stepRecords.at(-1)).toMatchObject({ name: "compute_sta", status: StepStatus.COMPLETED });
  });

  it("save → load keeps the STAs; a checkpoint loaded and continued gives exactly the uninterrupted numbers", async () => {
    const file = path.join(dir, "after-sta.h5");
    await session.checkpoint(file, { checkpointName: "after_sta" });
    const loaded = await PipelineSession.load(file);
    expectSameContents(loaded.units, session.units, "units");

    // Continue both with another cover range (and the same movie, now from the cache) and compare.
    await computeSta({ session, stimuliDir: rec.moviesDir, coverRange: [-20, 5] });
    await computeSta({ session: loaded, stimuliDir: rec.moviesDir, coverRange: [-20, 5] });
    for (const unitId of Object.keys(session.units)) {
      expectSameContents(feature(loaded, unitId, `sta_${movieName()}`), feature(session, unitId, `sta_${movieName()}`), unitId);
      expect(feature(session, unitId, `sta_${movieName()}`).data.shape).toEqual([25, 15, 15]);
    }
  });

  it("hdf5Path mode computes the same STAs into the file; without force an STA of the same cover range is kept", async () => {
    const file = path.join(dir, "sectioned.h5");
    const plain = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
    await addSectionTime({ session: plain, playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath });
    await sectionSpikeTimes({ session: plain, configDir: rec.configDir });
    await plain.save(file);
    const result = await computeSta({ hdf5Path: file, stimuliDir: rec.moviesDir, coverRange: [-20, 5] });
    expect(result.record.status).toBe(StepStatus.COMPLETED);
    const loaded = await PipelineSession.load(file);
    const unitId = rec.groundTruth.units[0].unitId;
    expectSameContents(feature(loaded, unitId, `sta_${movieName()}`), feature(session, unitId, `sta_${movieName()}`), unitId);

    const kept = feature(loaded, unitId, `sta_${movieName()}`);
    const frames = rec.groundTruth.playlist.movies[0].lengthFrames;
    const black = new NdArray(new Uint8Array(frames * 225), [frames, 15, 15]);
    await computeSta({ session: loaded, movie: black, coverRange: [-20, 5] });
    expect(feature(loaded, unitId, `sta_${movieName()}`)).toBe(kept);
    await computeSta({ session: loaded, movie: black, coverRange: [-20, 5], force: true });
    expect(Array.from(feature(loaded, unitId, `sta_${movieName()}`).data.data.subarray(0, 3))).toEqual([0, 0, 0]);
  });
});
