/**
 * extractFeatures on a simulated recording: the step_up flags recover the planted polarity, the built-ins and a
 * notebook-style user extractor run through the registry, caching and force behave as in the reference, and bad
 * input or a missing prerequisite leaves the session as it was.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import type { SessionMap } from "../hdf5/values";
import type { ExtractInput, FeatureExtractor } from "../features/contract";
import { defaultFeatureRegistry } from "../features/default-registry";
import { FeatureRegistry } from "../features/registry";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { expectSameContents } from "../test-support/same-contents";
import { addSectionTime } from "./add-section-time";
import { sectionSpikeTimes } from "./section-spike-times";
import { useTempDir } from "../test-support/temp-dir";
import { extractFeatures } from "./extract-features";
import { loadRecording } from "./load-recording";

const STEP_MOVIE = "step_up_2s_b0_3x";
/**
 * The simulator's step movie is 2 s ON / 2 s OFF after a 1-s dark lead, so the reference's 4-s baseline window
 * (made for its 5 s / 5 s movie) is shortened to the 1 s of darkness before each onset.
 */
const STEP_CONFIG = { movieName: STEP_MOVIE, baselineWindowS: 1 };

function featureOf(session: PipelineSession, unitId: string, feature: string): { data: SessionMap; metadata: SessionMap } | undefined {
  const features = session.units[unitId].features as Record<string, { data: SessionMap; metadata: SessionMap }> | undefined;
  return features?.[feature];
}

function dataOf(session: PipelineSession, feature: string): Record<string, SessionMap | undefined> {
  return Object.fromEntries(Object.keys(session.units).map((unitId) => [unitId, featureOf(session, unitId, feature)?.data]));
}

/** A unit counter of the kind a lab member writes in a notebook cell. */
class BurstCountExtractor implements FeatureExtractor<{ maxIsiMs: number }> {
  readonly name = "burst_count";
  readonly version = "0.1.0";
  readonly description = "Number of inter-spike intervals shorter than maxIsiMs";
  readonly requiredInputs = ["spike_times", "metadata/acquisition_rate"];
  readonly outputSchema = { short_isis: { dtype: "int64", description: "ISIs < maxIsiMs" } };
  readonly runtimeClass = "fast" as const;
  readonly defaults = { maxIsiMs: 10 };
  calls = 0;

  extract({ unit, metadata, config }: ExtractInput<{ maxIsiMs: number }>) {
    this.calls++;
    const spikes = unit.dataset("spike_times").numbers();
    const maxIsi = (config.maxIsiMs / 1000) * metadata.dataset("acquisition_rate").number();
    let short = 0;
    for (let i = 1; i < spikes.length; i++) if (spikes[i] - spikes[i - 1] < maxIsi) short++;
    return { short_isis: short };
  }
}

describe("extractFeatures on a simulated recording (60 units)", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let sectioned: PipelineSession;

  async function loadedSession(): Promise<PipelineSession> {
    const session = await loadRecording({
      cmcrPath: rec.cmcrPath,
      cmtrPath: rec.cmtrPath,
      session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }),
    });
    await addSectionTime({ session, playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath });
    await sectionSpikeTimes({ session, configDir: rec.configDir });
    return session;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-features-"));
    rec = await simulateRecording({
      outputDir: dir,
      durationS: 30,
      unitCount: 60,
      seed: 5,
      stimuli: ["baseline", "step"],
      grid: { rows: [30, 32], columns: [30, 32] },
    });
    sectioned = await loadedSession();
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the simulator plays the step movie the config names, with its 3 trials sectioned", () => {
    expect(rec.groundTruth.playlist.movies.map((m) => m.name)).toEqual(["baseline_127", STEP_MOVIE]);
    const trials = (sectioned.units.unit_001.spike_times_sectioned as Record<string, SessionMap>)[STEP_MOVIE];
    expect(trials._attrs).toMatchObject({ n_trials: 3 });
  });

  it("ground truth: step_up ON/OFF flags match the planted polarity for ≥ 90 % of responsive units", async () => {
    const session = await loadedSession();
    // thresholdFactor 4 instead of the reference's 2: the simulated ON cells fire up to ~170 Hz while the light is
    // on, and that rate decays over the ~100 ms of their temporal kernel after light OFF, putting 3–5 × baseline
    // into the OFF transient window. Factor 2 flags them ON-OFF (checked in the next test).
    await extractFeatures({ session, features: ["step_up"], config: { step_up: { ...STEP_CONFIG, thresholdFactor: 4 } } });
    let responsive = 0;
    let matching = 0;
    for (const unit of rec.groundTruth.units) {
      const data = featureOf(session, unit.unitId, "step_up")!.data;
      if (!data.on_response_flag && !data.off_response_flag) continue;
      responsive++;
      const flagged = data.on_response_flag && !data.off_response_flag ? "ON" : !data.on_response_flag && data.off_response_flag ? "OFF" : "ON-OFF";
      if (flagged === unit.polarity) matching++;
    }
    expect(responsive).toBeGreaterThanOrEqual(54);
    expect(matching / responsive).toBeGreaterThanOrEqual(0.9);
    expect(session.warnings).toEqual([]);
  });

  it("with the reference's factor 2, every mismatch is an ON cell also flagged OFF, and on_off_ratio still has the planted sign", async () => {
    const session = await loadedSession();
    await extractFeatures({ session, features: ["step_up"], config: { step_up: STEP_CONFIG } });
    for (const unit of rec.groundTruth.units) {
      const data = featureOf(session, unit.unitId, "step_up")!.data;
      expect(Math.sign(data.on_off_ratio as number), unit.unitId).toBe(unit.polarity === "ON" ? 1 : -1);
      const matches = unit.polarity === "ON" ? data.on_response_flag && !data.off_response_flag : data.off_response_flag && !data.on_response_flag;
      if (!matches) expect([unit.polarity, data.on_response_flag, data.off_response_flag], unit.unitId).toEqual(["ON", true, true]);
    }
  });

  it("frif counts every planted spike between the first and the last frame; results carry version, time and params_hash", async () => {
    const session = await loadedSession();
    const progress: number[] = [];
    session.onProgress((event) => progress.push(event.done / event.total));
    await extractFeatures({ session, features: ["frif"] });
    const frames = rec.groundTruth.display.frameTimestamps;
    const rate = rec.groundTruth.samplingRateHz;
    for (const unit of rec.groundTruth.units) {
      const entry = featureOf(session, unit.unitId, "frif")!;
      const frif = entry.data.FRIF as Float32Array;
      expect(frif.length).toBe(frames.length - 1);
      let counted = 0;
      for (let i = 0; i < frif.length; i++) counted += (frif[i] * (frames[i + 1] - frames[i])) / rate;
      const expected = unit.spikeTimesSamples.filter((s) => s >= frames[0] && s < frames[frames.length - 1]).length;
      expect(counted).toBeCloseTo(expected, 2);
      expect(entry.metadata).toMatchObject({ extractor_version: "2.0.0", params_hash: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) });
      expect(entry.metadata.extracted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    }
    expect(progress.at(-1)).toBe(1);
    expect(session.stepRecords.at(-1)).toMatchObject({ name: "extract_features", status: StepStatus.COMPLETED, params: { features: ["frif"], force: false } });
  });

  it("all built-ins run on the recording without warnings", async () => {
    const session = await loadedSession();
    await extractFeatures({
      session,
      features: defaultFeatureRegistry.list(),
      config: { step_up: STEP_CONFIG, baseline_127: { startS: 0, endS: 10 } },
    });
    expect(session.warnings).toEqual([]);
    const unit = rec.groundTruth.units[0];
    expect(featureOf(session, unit.unitId, "example_feature")!.data.total_spikes).toBe(unit.spikeTimesSamples.length);
    expect(featureOf(session, unit.unitId, "baseline_127")!.data.spike_count).toBe(unit.spikeTimesSamples.filter((s) => s < 10 * 20_000).length);
    expect(featureOf(session, unit.unitId, "cell_type_classifier")!.data.waveform_width_ms).toBeGreaterThan(0);
  });

  it("caching: a feature every unit has is skipped; force, a changed config or a unit without it recomputes all units", async () => {
    const session = await loadedSession();
    await extractFeatures({ session, features: ["step_up"], config: { step_up: STEP_CONFIG } });
    const first = featureOf(session, "unit_001", "step_up");
    await extractFeatures({ session, features: ["step_up"], config: { step_up: STEP_CONFIG } });
    expect(featureOf(session, "unit_001", "step_up")).toBe(first); // not replaced: a cache hit

    await extractFeatures({ session, features: ["step_up"], force: true, config: { step_up: STEP_CONFIG } });
    const forced = featureOf(session, "unit_001", "step_up");
    expect(forced).not.toBe(first);
    expectSameContents(forced!.data, first!.data);

    await extractFeatures({ session, features: ["step_up"], config: { step_up: { ...STEP_CONFIG, thresholdFactor: 4 } } });
    const reconfigured = featureOf(session, "unit_001", "step_up");
    expect(reconfigured).not.toBe(forced);
    expect(reconfigured!.metadata.params_hash).not.toBe(forced!.metadata.params_hash);

    session.addUnits({ unit_002: { features: {} } }); // one unit without it → every unit is recomputed
    await extractFeatures({ session, features: ["step_up"], config: { step_up: { ...STEP_CONFIG, thresholdFactor: 4 } } });
    expect(featureOf(session, "unit_001", "step_up")).not.toBe(reconfigured);
    expect(featureOf(session, "unit_002", "step_up")).toBeDefined();
  });

  it("a user extractor registered in a notebook cell works like a built-in, in a fresh registry or the default one", async () => {
    const session = await loadedSession();
    const registry = new FeatureRegistry();
    const mine = new BurstCountExtractor();
    registry.register(mine);
    await extractFeatures({ session, features: ["burst_count"], registry, config: { burst_count: { maxIsiMs: 20 } } });
    expect(mine.calls).toBe(60);
    const spikes = rec.groundTruth.units[0].spikeTimesSamples;
    const short = spikes.slice(1).filter((s, i) => s - spikes[i] < 400).length;
    expect(featureOf(session, "unit_001", "burst_count")).toMatchObject({ data: { short_isis: short }, metadata: { extractor_version: "0.1.0" } });

    const registration = defaultFeatureRegistry.register(new BurstCountExtractor());
    try {
      await extractFeatures({ session, features: ["burst_count", "frif"], force: true });
      expect(featureOf(session, "unit_001", "burst_count")!.data.short_isis).toBe(spikes.slice(1).filter((s, i) => s - spikes[i] < 200).length);
    } finally {
      registration.dispose();
    }
    expect(defaultFeatureRegistry.has("burst_count")).toBe(false);
    await extractFeatures({ session, features: ["burst_count"] });
    expect(session.warnings.at(-1)).toMatch(/^Unknown feature: 'burst_count'\. Available features: baseline_127, /);
  });

  it("save → load keeps every feature; hdf5Path mode gives the same numbers as session mode", async () => {
    const features = ["frif", "step_up", "baseline_127", "example_feature", "cell_type_classifier"];
    const config = { step_up: STEP_CONFIG };
    const session = await loadedSession();
    const file = path.join(dir, "session.h5");
    await session.save(file);
    await extractFeatures({ session, features, config });

    // hdf5Path mode = load → extract → save; loading its file again is the save → load round trip.
    const result = await extractFeatures({ hdf5Path: file, features, config });
    expect(result.record.status).toBe(StepStatus.COMPLETED);
    expect(result.warnings).toEqual([]);
    const fromFile = await PipelineSession.load(file);
    for (const feature of features) expectSameContents(dataOf(fromFile, feature), dataOf(session, feature), feature);
    expect(featureOf(fromFile, "unit_001", "step_up")!.data.on_response_flag).toBeTypeOf("boolean");
    expect(featureOf(fromFile, "unit_001", "cell_type_classifier")!.data.cell_type).toBeTypeOf("string");
    expect(fromFile.completedSteps.has("extract_features")).toBe(true);
  });

  it("a checkpoint after one extraction, loaded again, continues to the same final numbers as an uninterrupted run", async () => {
    const config = { step_up: STEP_CONFIG };
    const straight = await loadedSession();
    await extractFeatures({ session: straight, features: ["frif"] });
    await extractFeatures({ session: straight, features: ["step_up", "baseline_127"], config });

    const interrupted = await loadedSession();
    await extractFeatures({ session: interrupted, features: ["frif"] });
    const checkpoint = path.join(dir, "checkpoint.h5");
    await interrupted.checkpoint(checkpoint, { checkpointName: "after_frif" });
    const resumed = await PipelineSession.load(checkpoint);
    await extractFeatures({ session: resumed, features: ["frif", "step_up", "baseline_127"], config }); // frif: cache hit
    for (const feature of ["frif", "step_up", "baseline_127"]) expectSameContents(dataOf(resumed, feature), dataOf(straight, feature), feature);
    expect(featureOf(resumed, "unit_001", "frif")!.metadata.extracted_at).toBe(featureOf(interrupted, "unit_001", "frif")!.metadata.extracted_at);
  });
});

describe("extractFeatures: order, failures and bad input", () => {
  const tempDir = useTempDir();

  function loaded(): PipelineSession {
    const session = new PipelineSession({ datasetId: "rec", logger: recordingLogger() });
    session.addUnits({
      unit_001: { spike_times: Float64Array.of(100, 200, 300, 5000) },
      unit_002: { spike_times: Float64Array.of(150, 250) },
    });
    session.addMetadata({ acquisition_rate: 1000, frame_timestamps: Float64Array.of(0, 1000, 2000) });
    session.markStepComplete("load_recording");
    return session;
  }

  function snapshot(session: PipelineSession) {
    return { units: session.units, warnings: [...session.warnings], records: session.stepRecords.length, steps: [...session.completedSteps] };
  }

  it("before loadRecording: ConfigurationError with the reference's text; the session is left as it was", async () => {
    const session = new PipelineSession({ datasetId: "rec", logger: recordingLogger() });
    session.addUnits({ unit_001: { spike_times: Float64Array.of(1) } });
    const before = snapshot(session);
    await expect(extractFeatures({ session, features: ["frif"] })).rejects.toThrow(ConfigurationError);
    await expect(extractFeatures({ session, features: ["frif"] })).rejects.toThrow(
      "Session does not contain loaded recording data. Run load_recording first.",
    );
    expect(snapshot(session)).toEqual(before);
  });

  it("no units → the reference's warning and the step completes; load_recording_with_eimage_sta also satisfies the prerequisite", async () => {
    const session = new PipelineSession({ datasetId: "rec", logger: recordingLogger() });
    session.markStepComplete("load_recording_with_eimage_sta");
    await extractFeatures({ session, features: ["frif"] });
    expect(session.warnings).toEqual(["No units found in session"]);
    expect(session.completedSteps.has("extract_features")).toBe(true);
  });

  it("unknown feature → the registry's text as a warning, the other features are still extracted", async () => {
    const session = loaded();
    await extractFeatures({ session, features: ["nope", "example_feature"] });
    expect(session.warnings).toEqual([
      "Unknown feature: 'nope'. Available features: baseline_127, cell_type_classifier, example_feature, frif, step_up",
    ]);
    expect(featureOf(session, "unit_002", "example_feature")!.data).toEqual({
      total_spikes: 2,
      first_spike_time_us: 150_000,
      last_spike_time_us: 250_000,
      mean_rate_hz: 20,
    });
    expect(session.completedSteps.has("extract_features")).toBe(true);
  });

  it("per-unit failures become 'Failed {feature} for {unit}: {e}' and the other units go on", async () => {
    const session = loaded();
    session.addUnits({ unit_003: { row: 4 } });
    const picky: FeatureExtractor<Record<string, never>> = {
      name: "picky",
      version: "1.0.0",
      description: "fails on unit_001, returns junk for unit_002",
      requiredInputs: [],
      outputSchema: {},
      runtimeClass: "fast",
      defaults: {},
      extract: ({ unitId }) => {
        if (unitId === "unit_001") throw new Error("numerical trouble");
        if (unitId === "unit_002") return new Map() as never;
        return { ok: true };
      },
    };
    const registration = defaultFeatureRegistry.register(picky);
    try {
      await extractFeatures({ session, features: ["example_feature", "step_up", "picky"] });
    } finally {
      registration.dispose();
    }
    expect(session.warnings).toEqual([
      "Failed example_feature for unit_003: missing required input 'spike_times'; run the step that produces it first",
      "Failed step_up for unit_001: missing required input 'spike_times_sectioned'; run the step that produces it first",
      "Failed step_up for unit_002: missing required input 'spike_times_sectioned'; run the step that produces it first",
      "Failed step_up for unit_003: missing required inputs 'spike_times', 'spike_times_sectioned'; run the step that produces them first",
      "Failed picky for unit_001: numerical trouble",
      "Failed picky for unit_002: extract() returned an object that is not a plain map; it must return an object of values, e.g. { rate_hz: 3.2 }",
    ]);
    expect(featureOf(session, "unit_003", "picky")!.data).toEqual({ ok: true });
    expect(featureOf(session, "unit_001", "example_feature")).toBeDefined();
    expect(featureOf(session, "unit_001", "step_up")).toBeUndefined();
  });

  it("a step movie that was not sectioned names the movie in each unit's warning", async () => {
    const session = loaded();
    session.addUnits({ unit_001: { spike_times_sectioned: { baseline_127: {} } }, unit_002: { spike_times_sectioned: {} } });
    await extractFeatures({ session, features: ["step_up"], config: { step_up: { movieName: STEP_MOVIE } } });
    expect(session.warnings[0]).toBe(
      `Failed step_up for unit_001: 'units/unit_001/spike_times_sectioned/${STEP_MOVIE}/trials_start_end' not found: the unit has no ` +
        `trials of '${STEP_MOVIE}'. Run sectionSpikeTimes for that movie first, or set the config option movieName to the step movie of this recording.`,
    );
    expect(session.warnings).toHaveLength(2);
  });

  it("bad options are ConfigurationErrors naming the option before anything runs; the session is left as it was", async () => {
    const session = loaded();
    await extractFeatures({ session, features: ["frif"] });
    const before = snapshot(session);
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [{ features: "frif" }, /features must be a list of feature names/],
      [{ features: ["frif"], force: "yes" }, "extractFeatures: force must be true or false; got string \"yes\"."],
      [{ features: ["frif"], config: [] }, /config must be an object keyed by feature name/],
      [{ features: ["frif"], config: { step_up: {} } }, "extractFeatures: config.step_up is given but 'step_up' is not among features [frif]; add it to features or remove its config."],
      [{ features: ["step_up"], config: { step_up: { movie: "x" } } }, /config\.step_up has no option 'movie'\. Known options: movieName, stepDurationS, /],
      [{ features: ["step_up"], config: { step_up: { baselineWindowS: -1 } } }, "step_up: config option 'baselineWindowS' must be a finite number > 0; got -1."],
      [{ features: ["baseline_127"], config: { baseline_127: { startS: 3, endS: 2 } } }, /'endS' must be greater than 'startS'/],
      [{ features: ["frif"], registry: {} }, /registry must be a FeatureRegistry/],
      [{ features: ["frif"], cutoff: 3 }, /unknown option 'cutoff'/],
    ];
    for (const [options, message] of cases) {
      await expect(extractFeatures({ session, ...options } as never)).rejects.toThrow(ConfigurationError);
      await expect(extractFeatures({ session, ...options } as never)).rejects.toThrow(message);
    }
    expect(snapshot(session)).toEqual(before);
  });

  it("hdf5Path mode refuses an unloaded file with the same ConfigurationError and leaves the file untouched", async () => {
    const session = new PipelineSession({ datasetId: "rec", logger: recordingLogger() });
    session.addUnits({ unit_001: { spike_times: Float64Array.of(1) } });
    const file = await session.save(path.join(tempDir(), "rec.h5"));
    const bytes = fs.readFileSync(file);
    await expect(extractFeatures({ hdf5Path: file, features: ["frif"] })).rejects.toThrow(/Run load_recording first/);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.readdirSync(tempDir())).toEqual(["rec.h5"]);
  });
});
