/**
 * sectionSpikeTimes: the reference's worked examples (§3.6, A.10) through the step, the §9 #14 per-movie
 * tolerance, numeric trial keys (§9 #4), the reference's warnings, the simulator's ground truth through the whole
 * pipeline, checkpoint → load → continue, save → load and hdf5Path mode.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trialKeysInOrder } from "../dsp/trials";
import { ConfigurationError } from "../errors";
import { NdArray, type SessionMap } from "../hdf5/values";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { expectSameContents } from "../test-support/same-contents";
import { useTempDir } from "../test-support/temp-dir";
import { addSectionTime } from "./add-section-time";
import { loadRecording } from "./load-recording";
import { sectionSpikeTimes } from "./section-spike-times";

const FRAME_COUNT = 5000;
const ts333 = Float64Array.from({ length: FRAME_COUNT }, (_, k) => 333 * k);

type Sectioned = {
  full_spike_times: Float64Array;
  trials_spike_times: Record<string, Float64Array>;
  trials_start_end: NdArray<Float64Array>;
  _attrs: SessionMap;
};

function sectioned(session: PipelineSession, unitId: string, movie: string): Sectioned {
  return (session.units[unitId].spike_times_sectioned as Record<string, Sectioned>)[movie];
}

function pairs(array: NdArray<Float64Array>): number[][] {
  return Array.from({ length: array.shape[0] }, (_, i) => [array.data[2 * i], array.data[2 * i + 1]]);
}

function writeConfigs(dir: string, configs: Record<string, string | object>): string {
  for (const [movie, config] of Object.entries(configs)) {
    fs.writeFileSync(path.join(dir, `${movie}.json`), typeof config === "string" ? config : JSON.stringify(config));
  }
  return dir;
}

/** A session as after addSectionTime: frame timestamps 333·k, the given section starts and units. */
function sectionedSession(sectionStarts: Record<string, number[]>, units: Record<string, SessionMap>): PipelineSession {
  const session = new PipelineSession({ datasetId: "fixture", logger: recordingLogger() });
  session.addMetadata({ acquisition_rate: 20_000, frame_timestamps: ts333 });
  const sectionTime: SessionMap = {};
  for (const [movie, starts] of Object.entries(sectionStarts)) {
    sectionTime[movie] = new NdArray(Float64Array.from(starts.flatMap((s) => [s, s + 333_000])), [starts.length, 2]);
  }
  session.addStimulus({ section_time: sectionTime });
  session.addUnits(units);
  session.markStepComplete("load_recording").markStepComplete("add_section_time");
  return session;
}

describe("sectionSpikeTimes — reference worked examples", () => {
  const tempDir = useTempDir();

  it("grouped config (F0 = 120; 120, 720, 3 × 3 groups, gap 180) gives the verified trial frames", async () => {
    const configDir = writeConfigs(tempDir(), {
      grouped: { section_kwargs: { start_frame: 120, trial_length_frame: 720, repeat: 3, group_count: 3, group_gap: 180 } },
    });
    const spikes = Float64Array.from({ length: 500 }, (_, i) => i * 3331 + 7);
    const session = await sectionSpikeTimes({ configDir, session: sectionedSession({ grouped: [120 * 333] }, { unit_001: { spike_times: spikes } }) });
    const result = sectioned(session, "unit_001", "grouped");
    const frames = [[300, 1020], [1020, 1740], [1740, 2460], [2640, 3360], [3360, 4080], [4080, 4800], [4980, 4999], [4999, 4999], [4999, 4999]];
    expect(pairs(result.trials_start_end)).toEqual(frames.map(([a, b]) => [a * 333, b * 333]));
    frames.forEach(([a, b], n) => {
      expect(Array.from(result.trials_spike_times[String(n)])).toEqual(Array.from(spikes).filter((s) => s >= a * 333 && s < b * 333));
    });
    expect(result._attrs).toEqual({ n_trials: 9, pad_margin: [0, 0], pre_samples: 0, post_samples: 0 });
    expect(session.warnings).toEqual([]);
  });

  it("A.10: F0 = 4000 with 5000 frames, (0, 600, 3) → (4060, 4660), (4660, 4999), (4999, 4999)", async () => {
    const configDir = writeConfigs(tempDir(), { late: { section_kwargs: { start_frame: 0, trial_length_frame: 600, repeat: 3 } } });
    const session = await sectionSpikeTimes({
      configDir,
      session: sectionedSession({ late: [4000 * 333] }, { unit_001: { spike_times: Float64Array.of(4060 * 333, 4999 * 333 - 1, 4999 * 333) } }),
    });
    const result = sectioned(session, "unit_001", "late");
    expect(pairs(result.trials_start_end)).toEqual([[4060 * 333, 4660 * 333], [4660 * 333, 4999 * 333], [4999 * 333, 4999 * 333]]);
    expect(Array.from(result.trials_spike_times["0"])).toEqual([4060 * 333]);
    expect(Array.from(result.trials_spike_times["1"])).toEqual([4999 * 333 - 1]);
    expect(Array.from(result.trials_spike_times["2"])).toEqual([]); // zero-length trial at the clipped end
  });

  it("padding in seconds → samples (truncated), clamped at 0; overlapping padded trials share spikes, the full train is unique", async () => {
    // Trials (frames 60-61, 61-62) = samples [19980, 20313), [20313, 20646); pre 0.0151 s = int(302.00000000000006) = 302.
    const configDir = writeConfigs(tempDir(), { m: { section_kwargs: { start_frame: 0, trial_length_frame: 1, repeat: 2 } } });
    const spikes = Float64Array.of(5, 19_677, 19_678, 19_980, 20_100, 20_313, 20_645, 20_646, 20_700);
    const session = await sectionSpikeTimes({
      configDir,
      padMargin: [0.0151, 0.0028],
      session: sectionedSession({ m: [0] }, { unit_001: { spike_times: spikes } }),
    });
    const result = sectioned(session, "unit_001", "m");
    expect(result._attrs).toEqual({ n_trials: 2, pad_margin: [0.0151, 0.0028], pre_samples: 302, post_samples: 56 });
    expect(Array.from(result.trials_spike_times["0"])).toEqual([19_678, 19_980, 20_100, 20_313]);
    expect(Array.from(result.trials_spike_times["1"])).toEqual([20_100, 20_313, 20_645, 20_646, 20_700]);
    expect(Array.from(result.full_spike_times)).toEqual([19_678, 19_980, 20_100, 20_313, 20_645, 20_646, 20_700]);
    expect(pairs(result.trials_start_end)).toEqual([[19_980, 20_313], [20_313, 20_646]]); // unpadded
  });
});

describe("sectionSpikeTimes — per-movie tolerance (§9 #14), trial keys (§9 #4), warnings", () => {
  const tempDir = useTempDir();
  const units = { unit_001: { spike_times: Float64Array.from({ length: 2000 }, (_, i) => i * 800) }, unit_002: { spike_times: new Float64Array(0) } };

  it("a movie without a config and one with an invalid config only warn; the others are sectioned", async () => {
    const configDir = writeConfigs(tempDir(), {
      good: { section_kwargs: { start_frame: 0, trial_length_frame: 100, repeat: 2 } },
      floaty: '{"section_kwargs": {"start_frame": 0, "trial_length_frame": 100.0, "repeat": 2}}',
      texty: { section_kwargs: { start_frame: "0", trial_length_frame: 100, repeat: 2 } },
    });
    fs.mkdirSync(path.join(configDir, "folder.json"));
    const session = sectionedSession({ good: [0], missing: [1000 * 333], floaty: [2000 * 333], texty: [3000 * 333], folder: [4000 * 333] }, units);
    await sectionSpikeTimes({ configDir, session });
    expect(Object.keys(session.units.unit_001.spike_times_sectioned as object)).toEqual(["good"]);
    expect(session.warnings).toEqual([
      expect.stringMatching(/^Stimulus config validation failed: Missing stimulus config files: \['missing'\]\. Expected at .*'missing' was not sectioned/),
      expect.stringMatching(/^Stimulus config validation failed: Invalid config for 'floaty': .*floaty\.json': section_kwargs\.trial_length_frame/),
      expect.stringMatching(/^Stimulus config validation failed: Invalid config for 'texty': .*section_kwargs\.start_frame is "0"/),
      expect.stringMatching(/^Stimulus config validation failed: Invalid config for 'folder': .*EISDIR/),
    ]);
    expect(session.completedSteps.has("section_spike_times")).toBe(true);
    const empty = sectioned(session, "unit_002", "good");
    expect([empty.full_spike_times.length, empty.trials_spike_times["0"].length, empty.trials_spike_times["1"].length]).toEqual([0, 0, 0]);
  });

  it("only the first occurrence of a movie is sectioned; movieNames filters and unknown names warn", async () => {
    const configDir = writeConfigs(tempDir(), {
      a: { section_kwargs: { start_frame: 0, trial_length_frame: 10, repeat: 1 } },
      b: { section_kwargs: { start_frame: 0, trial_length_frame: 10, repeat: 1 } },
    });
    const session = sectionedSession({ a: [100 * 333, 2000 * 333], b: [500 * 333] }, units);
    await sectionSpikeTimes({ configDir, movieNames: ["a", "zzz"], session });
    expect(Object.keys(session.units.unit_001.spike_times_sectioned as object)).toEqual(["a"]);
    expect(pairs(sectioned(session, "unit_001", "a").trials_start_end)).toEqual([[160 * 333, 170 * 333]]);
    expect(session.warnings).toEqual([expect.stringMatching(/^movieNames 'zzz' are not in section_time/)]);

    const none = sectionedSession({ a: [0] }, units);
    await sectionSpikeTimes({ configDir, movieNames: ["zzz"], session: none });
    expect(none.warnings.at(-1)).toBe("No movies to process");
  });

  it("12 trials: keys '0'…'11' in numeric order in memory and after save → load", async () => {
    const configDir = writeConfigs(tempDir(), { many: { section_kwargs: { start_frame: 0, trial_length_frame: 30, repeat: 12 } } });
    const session = await sectionSpikeTimes({ configDir, session: sectionedSession({ many: [0] }, units) });
    const keys = Array.from({ length: 12 }, (_, i) => String(i));
    expect(Object.keys(sectioned(session, "unit_001", "many").trials_spike_times)).toEqual(keys);
    const loaded = await PipelineSession.load(await session.save(path.join(tempDir(), "many.h5")));
    const trials = sectioned(loaded, "unit_001", "many").trials_spike_times;
    expect(trialKeysInOrder({ trials })).toEqual(keys);
    expectSameContents(loaded.units, session.units, "units");
    const { default: h5 } = await import("h5wasm/node" as string);
    await h5.ready;
    const file = new h5.File(path.join(tempDir(), "many.h5"), "r");
    try {
      const base = "units/unit_001/spike_times_sectioned/many";
      expect(file.get(`${base}/trials_spike_times/10`).dtype).toBe("<q");
      expect(file.get(`${base}/full_spike_times`).dtype).toBe("<q");
      expect(file.get(`${base}/trials_start_end`).shape).toEqual([12, 2]);
      expect(file.get(`${base}/_attrs/n_trials`).dtype).toBe("<q");
    } finally {
      file.close();
    }
  });

  it("before addSectionTime: the reference's warning, a failed record, no data", async () => {
    const session = new PipelineSession({ datasetId: "x", logger: recordingLogger() });
    session.addUnits(units).markStepComplete("load_recording");
    await sectionSpikeTimes({ configDir: tempDir(), session });
    expect(session.warnings).toEqual(["Session does not contain section_time data. Run add_section_time first."]);
    expect(session.stepRecords.at(-1)!.status).toBe(StepStatus.FAILED);
    expect(session.units.unit_001.spike_times_sectioned).toBeUndefined();
  });

  it("no frame timestamps, no section_time, a unit without spike_times, a deprecated trialRepeats → the reference's warnings", async () => {
    const configDir = writeConfigs(tempDir(), { a: { section_kwargs: { start_frame: 0, trial_length_frame: 10, repeat: 1 } } });
    const noFrames = new PipelineSession({ datasetId: "x", logger: recordingLogger() }).markStepComplete("add_section_time");
    await sectionSpikeTimes({ configDir, session: noFrames });
    expect(noFrames.warnings).toEqual(["No frame_timestamps found in session"]);

    const noSections = new PipelineSession({ datasetId: "x", logger: recordingLogger() }).markStepComplete("add_section_time");
    noSections.addMetadata({ frame_timestamps: ts333 });
    await sectionSpikeTimes({ configDir, session: noSections });
    expect(noSections.warnings).toEqual(["No section_time data found in session"]);

    const session = sectionedSession({ a: [0] }, { ...units, unit_003: { waveform: new Float32Array(3) } });
    await sectionSpikeTimes({ configDir, trialRepeats: 30, session });
    expect(session.warnings).toEqual([expect.stringMatching(/^trialRepeats \(30\) is deprecated and ignored/), "Unit unit_003 has no spike_times"]);
    expect(session.units.unit_003.spike_times_sectioned).toBeUndefined();
  });

  it("bad options are ConfigurationErrors before anything runs", async () => {
    const session = sectionedSession({ a: [0] }, units);
    await expect(sectionSpikeTimes({ session })).rejects.toThrow(/configDir is required/);
    await expect(sectionSpikeTimes({ session, configDir: tempDir(), padMargin: [-1, 0] })).rejects.toThrow(/padMargin must be/);
    await expect(sectionSpikeTimes({ session, configDir: tempDir(), padMargin: [1] as never })).rejects.toThrow(ConfigurationError);
    await expect(sectionSpikeTimes({ session, configDir: tempDir(), movieNames: "a" as never })).rejects.toThrow(/movieNames must be/);
    expect(session.stepRecords).toEqual([]);
  });

  it("a re-run replaces the movies it sections and keeps the others; force drops earlier sectioning first", async () => {
    const configDir = writeConfigs(tempDir(), {
      a: { section_kwargs: { start_frame: 0, trial_length_frame: 10, repeat: 1 } },
      b: { section_kwargs: { start_frame: 0, trial_length_frame: 20, repeat: 1 } },
    });
    const session = sectionedSession({ a: [0], b: [400 * 333] }, units);
    await sectionSpikeTimes({ configDir, movieNames: ["a"], session });
    await sectionSpikeTimes({ configDir, movieNames: ["b"], session });
    expect(Object.keys(session.units.unit_001.spike_times_sectioned as object)).toEqual(["a", "b"]);
    await sectionSpikeTimes({ configDir, movieNames: ["b"], force: true, session });
    expect(Object.keys(session.units.unit_001.spike_times_sectioned as object)).toEqual(["b"]);
  });
});

describe("the pipeline on a simulated recording: loadRecording → addSectionTime → sectionSpikeTimes", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let afterLoad: PipelineSession;
  let session: PipelineSession;

  const sectionOptions = () => ({ playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-sectioning-"));
    rec = await simulateRecording({ outputDir: dir, durationS: 45, unitCount: 6, seed: 21, stepRepeats: 4 });
    afterLoad = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
    await afterLoad.checkpoint(path.join(dir, "after-load.h5"));
    session = afterLoad; // the uninterrupted run, all in memory
    await addSectionTime({ ...sectionOptions(), session });
    await sectionSpikeTimes({ configDir: rec.configDir, session });
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("sections every movie with the playlist's trial counts and trial bounds at the planted frames", () => {
    const ts = rec.groundTruth.display.frameTimestamps;
    const last = ts.length - 1;
    expect(session.warnings).toEqual([]);
    for (const truth of rec.groundTruth.units) {
      const movies = session.units[truth.unitId].spike_times_sectioned as Record<string, Sectioned>;
      expect(Object.keys(movies)).toEqual(rec.groundTruth.playlist.movies.map((m) => m.name));
      for (const movie of rec.groundTruth.playlist.movies) {
        const { start_frame, trial_length_frame, repeat } = movie.sectionKwargs;
        const expected = Array.from({ length: repeat }, (_, n) => {
          const start = movie.contentStartFrame + start_frame + n * trial_length_frame;
          return [ts[Math.min(start, last)], ts[Math.min(start + trial_length_frame, last)]];
        });
        const result = movies[movie.name];
        expect(pairs(result.trials_start_end), movie.name).toEqual(expected);
        expect(result._attrs.n_trials).toBe(repeat);
        expect(Object.keys(result.trials_spike_times)).toHaveLength(repeat);
      }
    }
    const step = rec.groundTruth.playlist.movies.find((m) => m.kind === "step")!;
    expect(step.sectionKwargs.repeat).toBe(4);
  });

  it("every trial holds exactly the planted spikes within its bounds", () => {
    let compared = 0;
    for (const truth of rec.groundTruth.units) {
      const movies = session.units[truth.unitId].spike_times_sectioned as Record<string, Sectioned>;
      for (const result of Object.values(movies)) {
        const bounds = pairs(result.trials_start_end);
        bounds.forEach(([start, end], n) => {
          const expected = truth.spikeTimesSamples.filter((s) => s >= start && s < end);
          expect(Array.from(result.trials_spike_times[String(n)])).toEqual(expected);
          compared += expected.length;
        });
        const union = [...new Set(bounds.flatMap(([start, end]) => truth.spikeTimesSamples.filter((s) => s >= start && s < end)))].sort((a, b) => a - b);
        expect(Array.from(result.full_spike_times)).toEqual(union);
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("a checkpoint after addSectionTime, loaded again, continues to exactly the same sectioning", async () => {
    const resumed = await PipelineSession.load(path.join(dir, "after-load.h5"), { logger: recordingLogger() });
    await addSectionTime({ ...sectionOptions(), session: resumed });
    const checkpoint = await resumed.checkpoint(path.join(dir, "after-sections.h5"));
    const continued = await PipelineSession.load(checkpoint, { logger: recordingLogger() });
    await sectionSpikeTimes({ configDir: rec.configDir, session: continued });
    expectSameContents(continued.units, session.units, "units");
    expectSameContents(continued.stimulus, session.stimulus, "stimulus");
    expect([...continued.completedSteps]).toEqual([...session.completedSteps]);
  });

  it("hdf5Path mode runs both steps on the file and matches the in-memory run", async () => {
    const file = path.join(dir, "immediate.h5");
    fs.copyFileSync(path.join(dir, "after-load.h5"), file);
    await addSectionTime({ ...sectionOptions(), hdf5Path: file });
    const result = await sectionSpikeTimes({ configDir: rec.configDir, hdf5Path: file });
    expect(result.record.status).toBe(StepStatus.COMPLETED);
    const loaded = await PipelineSession.load(file);
    expectSameContents(loaded.units, session.units, "units");
  });
});
