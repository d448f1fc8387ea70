/**
 * Files written by h5py in the reference implementation's two layouts (reference §2.5) load here with the right
 * values. The fixtures come from test-fixtures/make_reference_fixtures.py.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DataLoadError } from "../errors";
import { readSessionFile } from "./session-file";
import { NdArray, Int64Numbers } from "./values";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { FIXTURES_DIR } from "../test-support/temp-dir";

describe("a session-layout file written by the reference (h5py)", async () => {
  const session = await PipelineSession.load(path.join(FIXTURES_DIR, "reference-session-layout.h5"), { logger: recordingLogger() });
  const unit = session.units.unit_001;

  it("restores the root attributes and the saved state", () => {
    expect(session.datasetId).toBe("2024.08.08-10.40.20-Rec");
    expect(session.createdAt).toBe("2025-12-28T10:00:00.123456+00:00");
    expect(session.savedAt).toBe("2025-12-28T11:00:00.000001+00:00");
    expect(session.isSaved).toBe(true);
    expect(session.hdf5Path).toBe(path.join(FIXTURES_DIR, "reference-session-layout.h5"));
  });

  it("decodes completed steps and warnings as text (§9 #2: the reference returned bytes)", () => {
    expect([...session.completedSteps]).toEqual(["load_recording", "add_section_time"]);
    expect(session.warnings).toEqual(["Using default acquisition_rate: 20000 Hz"]);
  });

  it("reads unit attributes as entries, h5py enum booleans as booleans", () => {
    expect(unit.row).toBe(12);
    expect(unit.col).toBe(40);
    expect(unit.global_id).toBe(820);
    expect(unit.original_name).toBe("Unit_1");
    expect(unit.flag).toBe(true);
    expect(unit.lst).toEqual([1, 2, 3]);
    expect(unit.strlist).toEqual(["a", "bé"]);
  });

  it("reads uint64 spike times as exact Float64Array sample indices", () => {
    expect(unit.spike_times).toEqual(Float64Array.of(10, 20, 2 ** 40 + 7));
    expect(unit.firing_rate_10hz).toEqual(Float32Array.of(30, 10, 20));
    expect(unit.waveform).toEqual(new Float32Array(0));
  });

  it("iterates ≥ 10 trial keys numerically, not in HDF5 name order (§2.3.4, §9 #4)", () => {
    const sectioned = unit.spike_times_sectioned as Record<string, Record<string, unknown>>;
    const movie = sectioned.step_up_5s_5i_b0_30x;
    const trials = movie.trials_spike_times as Record<string, Float64Array>;
    expect(Object.keys(trials)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]);
    expect(trials["10"]).toEqual(Float64Array.of(1000, 1005));
    expect(movie.trials_start_end).toEqual(new NdArray(Float64Array.from({ length: 24 }, (_, i) => i), [12, 2]));
    expect(movie._attrs).toEqual({ n_trials: 12, pad_margin: Float64Array.of(0, 0), pre_samples: 0, post_samples: 0 });
  });

  it("reads feature entries; A.13 values under our decisions", () => {
    const features = unit.features as Record<string, { data: Record<string, unknown>; metadata: Record<string, unknown> }>;
    const frif = features.frif;
    // The reference stored a numpy bool scalar inside a map as the text "False" (§9 #9 fixes this for files we write);
    // a file that already holds the text keeps it.
    expect(frif.data.npflag).toBe("False");
    expect(frif.data.flag).toBe(true);
    expect(frif.data.bools).toEqual([true, false, true]);
    expect(frif.data.lst).toEqual(Float64Array.of(1.5, 2.5));
    // int64 values that fit ±2^53 come back as numbers that remember their disk type (DESIGN §3).
    expect(frif.data.tup).toBeInstanceOf(Int64Numbers);
    expect(Array.from(frif.data.tup as Int64Numbers)).toEqual([1, 2]);
    expect(frif.data.f32).toBe(0.25);
    expect(frif.data.i32).toBe(7);
    expect(frif.metadata).toEqual({});
    const sta = features.sta_perfect_dense_noise_15x15_15hz_r42_3min;
    expect(sta.data).toEqual(new NdArray(Float32Array.from({ length: 36 }, (_, i) => i), [4, 3, 3]));
    expect(sta.metadata).toEqual({
      n_spikes_used: 2,
      n_spikes_excluded: 1,
      cover_range: [-60, 0], // a known integer path: a number list in memory
      movie_name: "perfect_dense_noise_15x15_15hz_r42_3min",
    });
  });

  it("reads metadata, stimulus and source files", () => {
    expect(session.metadata.acquisition_rate).toBe(20000);
    expect(session.metadata.frame_timestamps).toEqual(Float64Array.of(0, 333, 666, 1000));
    expect(session.metadata.section_time_repeats).toBe(2);
    // A '/' in a key became nested groups in the reference (A.13); they load as nested maps.
    expect(session.metadata.sys_meta).toEqual({ key: { with: { slash: 1 } }, "LB.RecordingDuration": 60000000 });
    expect(session.stimulus.frame_times).toEqual({ default: Float64Array.of(0, 333, 666, 1000) });
    expect(session.stimulus.section_time).toEqual({ step_up_5s_5i_b0_30x: new NdArray(Float64Array.of(100, 900, 1000, 1900), [2, 2]) });
    expect(session.sourceFiles).toEqual({
      cmcr_path: "O:\\data\\2024.08.08-10.40.20-Rec.cmcr",
      cmtr_path: "O:\\data\\2024.08.08-10.40.20-Rec-.cmtr",
    });
  });
});

describe("an immediate-layout file written by the reference (h5py)", async () => {
  const session = await PipelineSession.load(path.join(FIXTURES_DIR, "reference-immediate-layout.h5"), { logger: recordingLogger() });

  it("loads with its dataset id and source files from the root JSON attribute", () => {
    expect(session.datasetId).toBe("2023.01.01-00.00.00-Rec");
    expect(session.sourceFiles).toEqual({ cmcr_path: "/data/x.cmcr", cmtr_path: "/data/x-.cmtr" });
    expect(session.completedSteps.size).toBe(0);
    expect(session.savedAt).toBe("2023-01-02T00:00:00.000000+00:00");
  });

  it("keeps shape-(1,) scalars as 1-element arrays (§9 #3, #11)", () => {
    expect(session.metadata.acquisition_rate).toEqual(Float64Array.of(20000));
    expect(session.metadata.dataset_id).toEqual(["2023.01.01-00.00.00-Rec"]);
  });

  it("reads stimulus/frame_time as frame_times with sample indices (§9 #12)", () => {
    expect(session.stimulus).toEqual({ frame_times: { default: Float64Array.of(5, 338, 671) } });
  });

  it("wraps flat feature groups as {data, metadata}", () => {
    const unit = session.units.unit_002;
    expect(unit.spike_times).toEqual(Float64Array.of(7, 9));
    expect(unit.spike_count).toBe(2);
    const features = unit.features as Record<string, unknown>;
    expect(features.perfect_dense_noise_15x15_15hz_r42_3min).toEqual({
      data: { sta: new NdArray(new Float32Array(18).fill(1), [2, 3, 3]) },
      metadata: { n_spikes: 2, cover_range: [-60, 0], dtype_warning: true },
    });
    expect(features.eimage_sta).toEqual({ data: new NdArray(new Float32Array(12), [3, 2, 2]), metadata: { version: "1.0.0" } });
  });
});

describe("the reference's files read from their own structures and through h5wasm", () => {
  it("give the same snapshot either way (h5py writes old-style groups, which the native reader also reads)", async () => {
    for (const name of ["reference-session-layout.h5", "reference-immediate-layout.h5"]) {
      const file = path.join(FIXTURES_DIR, name);
      const native = await readSessionFile(file);
      const viaH5wasm = await readSessionFile(file, { via: "h5wasm" });
      expect([name, native.via, viaH5wasm.via]).toEqual([name, "native", "h5wasm"]);
      expect(native.snapshot).toStrictEqual(viaH5wasm.snapshot);
      expect([native.layout, native.skipped]).toEqual([viaH5wasm.layout, viaH5wasm.skipped]);
    }
  });

  it("falls back to h5wasm for what the native reader refuses (here a truncated copy), which gives the typed error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
    try {
      const copy = path.join(dir, "cut.h5");
      const bytes = fs.readFileSync(path.join(FIXTURES_DIR, "reference-session-layout.h5"));
      fs.writeFileSync(copy, bytes.subarray(0, bytes.length - 1));
      await expect(readSessionFile(copy)).rejects.toBeInstanceOf(DataLoadError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
