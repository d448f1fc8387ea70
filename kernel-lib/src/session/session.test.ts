/** The PipelineSession API contract (reference §1 with the §9 decisions, DESIGN §3). */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ErrorCode, FileExistsError, MissingInputError, SessionError, ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import { createSession, deriveDatasetId } from "./create-session";
import { recordingLogger } from "./logger";
import { PipelineSession, SaveState } from "./session";
import { StepStatus, type StepRecord } from "./step-records";
import { useTempDir } from "../test-support/temp-dir";

const ISO_PYTHON = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

function quietSession(datasetId = "2025.04.10-11.12.57-Rec", outputDir?: string) {
  const logger = recordingLogger();
  return { session: new PipelineSession({ datasetId, logger, outputDir }), logger };
}

describe("construction", () => {
  it("trims the dataset id and starts DEFERRED with the defaults of the contract", () => {
    const { session } = quietSession("  rec-1  ");
    expect(session.datasetId).toBe("rec-1");
    expect(session.saveState).toBe(SaveState.DEFERRED);
    expect(session.isDeferred).toBe(true);
    expect(session.isSaved).toBe(false);
    expect(session.hdf5Path).toBeNull();
    expect(session.outputDir).toBe("artifacts");
    expect(session.units).toEqual({});
    expect(session.metadata).toEqual({});
    expect(session.stimulus).toEqual({});
    expect(session.sourceFiles).toEqual({});
    expect([...session.completedSteps]).toEqual([]);
    expect(session.warnings).toEqual([]);
    expect(session.savedAt).toBeNull();
    expect(session.createdAt).toMatch(ISO_PYTHON);
    expect(session.unitCount).toBe(0);
    expect(session.memoryEstimateGb).toBe(0);
  });

  it.each(["", "   ", "\t\n"])("rejects the empty dataset id %j with a typed error", (datasetId) => {
    expect(() => new PipelineSession({ datasetId })).toThrow(SessionError);
    expect(() => new PipelineSession({ datasetId })).toThrow(/dataset_id cannot be empty/);
  });

  it("keeps an explicit createdAt, including null", () => {
    expect(new PipelineSession({ datasetId: "a", createdAt: "2025-01-01T00:00:00.000000+00:00" }).createdAt).toBe(
      "2025-01-01T00:00:00.000000+00:00",
    );
    expect(new PipelineSession({ datasetId: "a", createdAt: null }).createdAt).toBeNull();
  });

  it("prints a one-line summary instead of its data", () => {
    const { session } = quietSession("rec");
    session.addUnits({ unit_001: { spike_times: new Float64Array(100_000) } });
    expect(String(session)).toBe("PipelineSession(rec: 1 units, 0 steps completed, 0 warnings, deferred)");
  });
});

describe("createSession", () => {
  it("derives the dataset id from the cmtr stem without trailing hyphens, else from the cmcr", () => {
    expect(createSession({ cmtrPath: "/x/2025.04.10-11.12.57-Rec-.cmtr", cmcrPath: "/x/other.cmcr" }).datasetId).toBe(
      "2025.04.10-11.12.57-Rec",
    );
    expect(createSession({ cmcrPath: "/x/2025.04.10-11.12.57-Rec.cmcr" }).datasetId).toBe("2025.04.10-11.12.57-Rec");
    expect(deriveDatasetId("C:/a/b/rec--.cmtr")).toBe("rec");
  });

  it("records the given paths as source files without checking they exist", () => {
    const session = createSession({ cmcrPath: "/nope/r.cmcr", cmtrPath: "/nope/r-.cmtr", outputDir: "out" });
    expect(session.sourceFiles).toEqual({ cmcr_path: "/nope/r.cmcr", cmtr_path: "/nope/r-.cmtr" });
    expect(session.outputDir).toBe("out");
    expect(session.isDeferred).toBe(true);
  });

  it("fails with a ConfigurationError when there is nothing to derive the id from", () => {
    expect(() => createSession({})).toThrow(ConfigurationError);
    expect(() => createSession({})).toThrow(/Cannot derive dataset_id: no file path provided/);
  });
});

describe("mutators and their merge rules (§1.3)", () => {
  it("addUnits stores a shallow copy of a new unit and shallowly updates an existing one", () => {
    const { session } = quietSession();
    const info = { spike_times: Float64Array.of(1, 2), row: 3, features: { a: { data: 1, metadata: {} } } };
    session.addUnits({ unit_001: info });
    info.row = 99; // the session holds its own copy of the unit map
    expect(session.units.unit_001.row).toBe(3);
    session.addUnits({ unit_001: { row: 4, features: { b: { data: 2, metadata: {} } } }, unit_002: {} });
    expect(session.units.unit_001.row).toBe(4);
    expect(session.units.unit_001.spike_times).toEqual(Float64Array.of(1, 2));
    expect(session.units.unit_001.features).toEqual({ b: { data: 2, metadata: {} } }); // nested map replaced whole
    expect(session.unitCount).toBe(2);
  });

  it("addMetadata replaces top-level keys and nested maps whole", () => {
    const { session } = quietSession();
    session.addMetadata({ acquisition_rate: 20000, sys_meta: { a: 1, b: 2 } });
    session.addMetadata({ sys_meta: { c: 3 } });
    expect(session.metadata).toEqual({ acquisition_rate: 20000, sys_meta: { c: 3 } });
  });

  it("addStimulus merges maps one level deep without touching the caller's maps", () => {
    const { session } = quietSession();
    const first = { raw_ch1: new Float32Array(5) };
    session.addStimulus({ light_reference: first, frame_times: { default: Float64Array.of(0, 333) } });
    session.addStimulus({ light_reference: { raw_ch2: new Float32Array(5) }, frame_times: Float64Array.of(1) });
    expect(Object.keys(session.stimulus.light_reference as object)).toEqual(["raw_ch1", "raw_ch2"]);
    expect(session.stimulus.frame_times).toEqual(Float64Array.of(1)); // not both maps → replaced
    expect(Object.keys(first)).toEqual(["raw_ch1"]);
  });

  it("addFeature wraps {data, metadata} and replaces an earlier entry of the same name", () => {
    const { session } = quietSession();
    session.addUnits({ unit_001: {} });
    session.addFeature("unit_001", "frif", Float32Array.of(1), { version: "1" });
    session.addFeature("unit_001", "frif", { on: true });
    session.addFeature("unit_001", "sta", new NdArray(new Float32Array(8), [2, 2, 2]));
    expect(session.units.unit_001.features).toEqual({
      frif: { data: { on: true }, metadata: {} },
      sta: { data: new NdArray(new Float32Array(8), [2, 2, 2]), metadata: {} },
    });
  });

  it("addFeature on an unknown unit is a MissingInputError naming the unit and what to do", () => {
    const { session } = quietSession();
    session.addUnits({ unit_001: {} });
    const call = () => session.addFeature("unit_999", "frif", 1);
    expect(call).toThrow(MissingInputError);
    expect(call).toThrow(/Unit unit_999 not found in session \(1 units: unit_001\)\. Add it with session\.addUnits\(\)/);
    try {
      call();
    } catch (error) {
      expect((error as MissingInputError).code).toBe(ErrorCode.MISSING_INPUT);
    }
  });

  it.each([
    ["a function", { f: () => 1 }, /'units.u.f' is a function/],
    ["a class instance", { d: new Date() }, /'units.u.d' is an instance of Date/],
    ["a bigint", { n: 1n }, /'units.u.n' is a bigint/],
    ["a mixed list", { l: [1, "a"] }, /mixes numbers and a strings/],
    ["a key with a slash", { "a/b": 1 }, /key 'units.u.a\/b' cannot be stored: it contains '\/'/],
    ["a NUL in a string", { s: "a\u0000b" }, /NUL character/],
  ])("add* rejects %s with a SessionError that names the key, and changes nothing", (_label, value, message) => {
    const { session } = quietSession();
    expect(() => session.addUnits({ u: value as never })).toThrow(message);
    expect(() => session.addUnits({ u: value as never })).toThrow(SessionError);
    expect(session.unitCount).toBe(0);
  });

  it("rejects a cyclic map", () => {
    const { session } = quietSession();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => session.addMetadata(cyclic as never)).toThrow(/a cycle/);
  });

  it("markStepComplete, addWarning and setSourceFiles (falsy arguments never delete)", () => {
    const { session } = quietSession();
    session.markStepComplete("load_recording").markStepComplete("load_recording");
    session.addWarning("Using default acquisition_rate: 20000 Hz");
    session.setSourceFiles({ cmcrPath: "/a.cmcr" });
    session.setSourceFiles({ cmcrPath: "", cmtrPath: "/a-.cmtr" });
    expect([...session.completedSteps]).toEqual(["load_recording"]);
    expect(session.warnings).toEqual(["Using default acquisition_rate: 20000 Hz"]);
    expect(session.sourceFiles).toEqual({ cmcr_path: "/a.cmcr", cmtr_path: "/a-.cmtr" });
  });

  it("a mutator after a save makes the session deferred again (issue 12 fixes the reference's §1.3 quirk)", async () => {
    const { session } = quietSession();
    const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "hdmea-"));
    try {
      await session.save(path.join(dir, "s.h5"));
      expect(session.isSaved).toBe(true);
      session.addMetadata({ x: 1 });
      expect(session.isDeferred).toBe(true);
      expect(session.hdf5Path).toBe(path.join(dir, "s.h5"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("memory estimate (§1.2 with §9 #13: every typed array at any depth)", () => {
  it("reproduces the reference's verified 96-byte example", () => {
    const { session } = quietSession();
    session.addUnits({ u: { a: new BigUint64Array(3), b: new Float32Array(0), c: new BigInt64Array(1) } });
    session.addStimulus({ x: new Float32Array(5), y: new Float32Array(5), z: new BigUint64Array(3) });
    expect(session.memoryEstimateBytes).toBe(96);
  });

  it("counts depth ≥ 3 (features, sectioned spikes), NdArrays and strings", () => {
    const { session } = quietSession();
    session.addUnits({
      u: {
        spike_times_sectioned: { m: { trials_spike_times: { "0": new Float64Array(10) } } },
        features: { sta: { data: new NdArray(new Float32Array(60 * 15 * 15), [60, 15, 15]), metadata: { name: "abcd" } } },
      },
    });
    session.addMetadata({ frame_timestamps: new Float64Array(4) });
    expect(session.memoryBreakdown).toEqual({ units: 80 + 60 * 15 * 15 * 4 + 8, metadata: 32, stimulus: 0 });
    expect(session.memoryEstimateGb).toBe(session.memoryEstimateBytes / 1024 ** 3);
  });
});

describe("save, checkpoint, load, ensureSaved (§1.5–§1.9 with §9 #1, #15)", () => {
  const tempDir = useTempDir();

  it("save() without a path writes <outputDir>/<datasetId>.h5, becomes SAVED and returns the absolute path", async () => {
    const { session } = quietSession("rec", path.join(tempDir(), "nested", "out"));
    const written = await session.save();
    expect(written).toBe(path.join(tempDir(), "nested", "out", "rec.h5"));
    expect(fs.existsSync(written)).toBe(true);
    expect(session.saveState).toBe(SaveState.SAVED);
    expect(session.hdf5Path).toBe(written);
    expect(session.savedAt).toMatch(ISO_PYTHON);
  });

  it("save() overwrites by default with a logged warning; overwrite:false throws FileExistsError and keeps the file", async () => {
    const { session, logger } = quietSession("rec");
    const target = path.join(tempDir(), "s.h5");
    await session.save(target);
    expect(logger.lines).toEqual([]);
    session.addMetadata({ second: 2 });
    await session.save(target);
    expect(logger.lines).toEqual([`WARNING Overwriting existing file: ${target}`]);
    const before = fs.readFileSync(target);
    session.addMetadata({ third: 3 });
    await expect(session.save(target, { overwrite: false })).rejects.toThrow(FileExistsError);
    await expect(session.save(target, { overwrite: false })).rejects.toThrow(/File already exists: .*s\.h5\. Use overwrite: true/);
    expect(fs.readFileSync(target).equals(before)).toBe(true);
    expect((await PipelineSession.load(target)).metadata).toEqual({ second: 2 });
  });

  it("checkpoint() writes the checkpoint time and name, and leaves state, hdf5Path and savedAt alone", async () => {
    const { session, logger } = quietSession("rec");
    const saved = await session.save(path.join(tempDir(), "s.h5"));
    const savedAt = session.savedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const cp = await session.checkpoint(path.join(tempDir(), "cp", "after.h5"), { checkpointName: "after-sta" });
    expect(session.hdf5Path).toBe(saved);
    expect(session.savedAt).toBe(savedAt);
    expect(session.isSaved).toBe(true);
    const loaded = await PipelineSession.load(cp);
    expect(loaded.checkpointName).toBe("after-sta");
    // §9 #15: the file carries the checkpoint's own time, not the earlier save time.
    expect(loaded.savedAt).not.toBe(savedAt);
    expect(loaded.savedAt! > savedAt!).toBe(true);
    await session.checkpoint(cp);
    expect(logger.lines).toEqual([`WARNING Overwriting existing checkpoint: ${cp}`]);
    await expect(session.checkpoint(cp, { overwrite: false })).rejects.toThrow(/Checkpoint file already exists/);
  });

  it("a checkpoint of a DEFERRED session keeps it DEFERRED", async () => {
    const { session } = quietSession("rec");
    await session.checkpoint(path.join(tempDir(), "c.h5"));
    expect(session.isDeferred).toBe(true);
    expect(session.hdf5Path).toBeNull();
  });

  it("load() gives a SAVED session with hdf5Path, and everything that was saved", async () => {
    const { session } = quietSession("rec");
    session.addUnits({ unit_001: { spike_times: Float64Array.of(5, 10), row: 2, original_name: "Unit_1" } });
    session.addMetadata({ acquisition_rate: 20000, frame_timestamps: Float64Array.of(0, 333) });
    session.addStimulus({ section_time: { m: new NdArray(Float64Array.of(0, 10), [1, 2]) } });
    session.addFeature("unit_001", "sta_m", new NdArray(Float32Array.of(1, 2, 3, 4), [1, 2, 2]), { cover_range: [-60, 0] });
    session.setSourceFiles({ cmcrPath: "/r.cmcr" });
    session.markStepComplete("load_recording");
    session.addWarning("w");
    session.state.set("chosen", { coverRange: [-30, 0] });
    const file = await session.checkpoint(path.join(tempDir(), "c.h5"));
    const loaded = await PipelineSession.load(file);
    expect(loaded.saveState).toBe(SaveState.SAVED);
    expect(loaded.hdf5Path).toBe(file);
    expect(loaded.datasetId).toBe("rec");
    expect(loaded.createdAt).toBe(session.createdAt);
    expect(loaded.units).toEqual(session.units);
    expect(loaded.metadata).toEqual(session.metadata);
    expect(loaded.stimulus).toEqual(session.stimulus);
    expect(loaded.sourceFiles).toEqual({ cmcr_path: "/r.cmcr" });
    expect([...loaded.completedSteps]).toEqual(["load_recording"]);
    expect(loaded.warnings).toEqual(["w"]);
    expect(loaded.state.get("chosen")).toEqual({ coverRange: [-30, 0] });
    expect(loaded.context).toEqual(session.context);
  });

  it("ensureSaved() returns hdf5Path when saved, else saves with a logged warning and never overwrites", async () => {
    const { session, logger } = quietSession("rec", tempDir());
    const first = await session.ensureSaved();
    expect(first).toBe(path.join(tempDir(), "rec.h5"));
    expect(logger.lines).toEqual([
      "WARNING Auto-saving deferred session to satisfy HDF5-path requirement. Consider calling session.save() explicitly.",
    ]);
    expect(await session.ensureSaved()).toBe(first);
    const { session: other } = quietSession("rec", tempDir());
    await expect(other.ensureSaved()).rejects.toThrow(FileExistsError);
  });
});

describe("state store, context and step records are saved and restored", () => {
  const tempDir = useTempDir();

  it("step records: started before the step, completed after; hooks see both; completedSteps lists completed only", async () => {
    const { session } = quietSession("rec");
    const seen: string[] = [];
    session.onStepStart((r) => seen.push(`start ${r.name} ${r.status}`));
    const remove = session.onStepFinish((r) => seen.push(`finish ${r.name} ${r.status}`));
    const run = session.beginStep("compute_sta", { coverRange: [-60, 0], movie: new Uint8Array(9) });
    expect(session.stepRecords[0].status).toBe(StepStatus.STARTED);
    expect(session.completedSteps.has("compute_sta")).toBe(false);
    run.warn("No sectioned data for unit_001/m");
    const done = run.complete();
    expect(done.status).toBe(StepStatus.COMPLETED);
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect(done.params).toEqual({ coverRange: [-60, 0], movie: "<Uint8Array(9)>" });
    expect(done.warnings).toEqual(["No sectioned data for unit_001/m"]);
    expect(session.warnings).toEqual(["No sectioned data for unit_001/m"]);
    remove();
    session.beginStep("extract_features", {}).fail(new Error("boom"));
    expect(seen).toEqual(["start compute_sta started", "finish compute_sta completed", "start extract_features started"]);
    expect([...session.completedSteps]).toEqual(["compute_sta"]);
    expect(session.stepRecords.map((r: StepRecord) => [r.name, r.status, r.error])).toEqual([
      ["compute_sta", "completed", undefined],
      ["extract_features", "failed", "boom"],
    ]);
    const loaded = await PipelineSession.load(await session.checkpoint(path.join(tempDir(), "c.h5")));
    expect(loaded.stepRecords).toEqual(session.stepRecords);
  });

  it("a hook that throws is reported as a warning and logged, not swallowed", () => {
    const { session, logger } = quietSession("rec");
    session.onStepStart(() => {
      throw new Error("hook broke");
    });
    session.beginStep("s", {}).complete();
    expect(session.warnings).toEqual(["onStepStart hook failed for step 's': hook broke"]);
    expect(logger.lines).toEqual(["ERROR onStepStart hook failed for step 's': hook broke"]);
    expect(session.completedSteps.has("s")).toBe(true);
  });

  it("context: dataset id, creation time, source files, versions; frozen; restored from the file", async () => {
    const { session } = quietSession("rec");
    session.setSourceFiles({ cmtrPath: "/r-.cmtr" });
    session.setContextEntry("recipe", { seed: 7 });
    const context = session.context;
    expect(context.datasetId).toBe("rec");
    expect(context.createdAt).toBe(session.createdAt);
    expect(context.sourceFiles).toEqual({ cmtr_path: "/r-.cmtr" });
    expect(Object.keys(context.versions)).toEqual(["hdmea", "h5wasm", "node"]);
    expect(context.recipe).toEqual({ seed: 7 });
    expect(Object.isFrozen(context)).toBe(true);
    expect(() => session.setContextEntry("datasetId", "x")).toThrow(SessionError);
    const loaded = await PipelineSession.load(await session.checkpoint(path.join(tempDir(), "c.h5")));
    expect(loaded.context).toEqual(context);
  });

  it("onChange listeners hear every change and can be removed", () => {
    const { session } = quietSession("rec");
    let calls = 0;
    const remove = session.onChange(() => calls++);
    session.addMetadata({ a: 1 });
    session.state.set("k", 1);
    session.addWarning("w");
    remove();
    session.addWarning("w2");
    expect(calls).toBe(3);
  });
});

describe("tables and self-display", () => {
  it("unitsTable, spikesTable and Symbol.for('Jupyter.display') read the session", () => {
    const { session } = quietSession("rec");
    session.addUnits({ unit_001: { spike_times: Float64Array.of(0, 20000, 40000), row: 3, col: 4 }, unit_002: { spike_times: new Float64Array(0) } });
    const table = session.unitsTable();
    expect(table.numRows).toBe(2);
    expect(session.spikesTable("unit_001").numRows).toBe(3);
    expect(() => session.spikesTable("unit_404")).toThrow(MissingInputError);
    const bundle = (session as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for("Jupyter.display")]();
    expect(Object.keys(bundle).sort()).toEqual(["application/vnd.hdmea.session.v1+json", "text/html", "text/plain"]);
  });
});
