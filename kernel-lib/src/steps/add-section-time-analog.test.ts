/**
 * addSectionTimeAnalog: synthetic light traces with known onsets (reference §5.2 analog cases), the simulator's
 * planted light steps, typed errors for missing inputs (session unchanged), skip / force, save → load, hdf5Path.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ConfigurationError, MissingInputError } from "../errors";
import { NdArray } from "../hdf5/values";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { simulateRecording } from "../simulate/simulate-recording";
import { expectSameContents } from "../test-support/same-contents";
import { useTempDir } from "../test-support/temp-dir";
import { addSectionTimeAnalog } from "./add-section-time-analog";
import { loadRecording } from "./load-recording";

const RATE = 2000;

/** A trace of `seconds` with 2-s pulses of `level` starting at each of `pulseStartsS`. */
function pulses(seconds: number, pulseStartsS: readonly number[], level = 1e6): Float32Array {
  const trace = new Float32Array(seconds * RATE);
  for (const start of pulseStartsS) trace.fill(level, start * RATE, (start + 2) * RATE);
  return trace;
}

function sessionWith(trace: Float32Array | null, options: { rate?: number | null } = {}): PipelineSession {
  const session = new PipelineSession({ datasetId: "analog", logger: recordingLogger() });
  if (options.rate !== null) session.addMetadata({ acquisition_rate: options.rate ?? RATE });
  if (trace !== null) session.addStimulus({ light_reference: { raw_ch1: trace } });
  return session;
}

function rows(value: unknown): number[][] {
  const array = value as NdArray<Float64Array>;
  expect(array).toBeInstanceOf(NdArray);
  return Array.from({ length: array.shape[0] }, (_, i) => [array.data[2 * i], array.data[2 * i + 1]]);
}

describe("addSectionTimeAnalog on synthetic light traces", () => {
  const tempDir = useTempDir();
  const trace = pulses(40, [10, 20, 30]);

  it("three pulses at 10/20/30 s → three sections of plotDuration from each onset, a float32 template", async () => {
    const session = await addSectionTimeAnalog({ session: sessionWith(trace), thresholdValue: 1e5, plotDuration: 5 });
    expect(rows((session.stimulus.section_time as Record<string, unknown>).iprgc_test)).toEqual([
      [10 * RATE - 1, 15 * RATE - 1],
      [20 * RATE - 1, 25 * RATE - 1],
      [30 * RATE - 1, 35 * RATE - 1],
    ]);
    const template = (session.stimulus.light_template as Record<string, Float32Array>).iprgc_test;
    expect(template).toBeInstanceOf(Float32Array);
    expect(template.length).toBe(5 * RATE);
    expect([template[0], template[1], template[2 * RATE], template[2 * RATE + 1]]).toEqual([0, 1e6, 1e6, 0]);
    expect(JSON.parse(session.metadata.section_time_analog_iprgc_test as string)).toEqual({ threshold_value: 1e5, plot_duration: 5, n_trials: 3 });
    expect(session.completedSteps.has("add_section_time_analog")).toBe(true);
    expect(session.warnings).toEqual([]);
  });

  it("repeat keeps the first onsets; plotDuration sets the span; a movieName stores under that name", async () => {
    const two = await addSectionTimeAnalog({ session: sessionWith(trace), thresholdValue: 1e5, repeat: 2, plotDuration: 1, movieName: "flash" });
    const sections = rows((two.stimulus.section_time as Record<string, unknown>).flash);
    expect(sections).toHaveLength(2);
    expect(sections.map(([s, e]) => e - s)).toEqual([RATE, RATE]);
    const long = await addSectionTimeAnalog({ session: sessionWith(pulses(38, [10, 20, 30])), thresholdValue: 1e5, plotDuration: 10 });
    expect(rows((long.stimulus.section_time as Record<string, unknown>).iprgc_test).map(([s, e]) => e - s)).toEqual([
      10 * RATE,
      10 * RATE,
      8 * RATE, // 30 s + 10 s runs past the 38-s trace: cut at its last sample
    ]);
    expect(long.warnings).toEqual(["1 section(s) of 'iprgc_test' end past the recording and were cut at its last sample."]);
  });

  it("a 5-s window on a 2.5-s signal ends at the last sample", async () => {
    const short = new Float32Array(2.5 * RATE);
    short.fill(5e5, RATE);
    const session = await addSectionTimeAnalog({ session: sessionWith(short), thresholdValue: 1e5, plotDuration: 5 });
    expect(rows((session.stimulus.section_time as Record<string, unknown>).iprgc_test)).toEqual([[RATE - 1, short.length - 1]]);
  });

  it("a pulse under the threshold is missed; no onset at all → warning, nothing stored", async () => {
    const small = pulses(20, [5], 1e5);
    const session = await addSectionTimeAnalog({ session: sessionWith(small), thresholdValue: 1e6 });
    expect(session.warnings).toEqual([expect.stringMatching(/^No light onsets found in raw_ch1 with threshold_value 1000000/)]);
    expect(session.stimulus.section_time).toBeUndefined();
  });

  it("missing light reference, raw_ch1 or acquisition_rate → MissingInputError naming it; the session is left as it was", async () => {
    const cases: Array<[PipelineSession, string]> = [
      [sessionWith(null), "stimulus/light_reference"],
      [sessionWith(trace, { rate: null }), "metadata/acquisition_rate"],
    ];
    const noRaw = sessionWith(null);
    noRaw.addStimulus({ light_reference: { raw_ch2: trace } });
    cases.push([noRaw, "stimulus/light_reference/raw_ch1"]);
    for (const [session, input] of cases) {
      const stimulus = session.stimulus;
      const error = await addSectionTimeAnalog({ session, thresholdValue: 1e5 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingInputError);
      expect((error as MissingInputError).missingInput).toBe(input);
      expect(session.stimulus).toBe(stimulus);
      expect(session.stepRecords.at(-1)!.status).toBe(StepStatus.FAILED);
    }
  });

  it("bad parameters are ConfigurationErrors naming them, before anything runs", async () => {
    const session = sessionWith(trace);
    await expect(addSectionTimeAnalog({ session })).rejects.toThrow(/thresholdValue is required/);
    await expect(addSectionTimeAnalog({ session, thresholdValue: 1e5, plotDuration: -1 })).rejects.toThrow(/plotDuration must be/);
    await expect(addSectionTimeAnalog({ session, thresholdValue: 1e5, movieName: "" })).rejects.toThrow(ConfigurationError);
    await expect(addSectionTimeAnalog({ session, thresholdValue: 1e5, repeat: 1.5 })).rejects.toThrow(/repeat must be/);
    expect(session.stepRecords).toEqual([]);
  });

  it("an existing analog section is kept unless force; other movies in section_time are never touched", async () => {
    const session = sessionWith(trace);
    session.addStimulus({ section_time: { movie_a: new NdArray(Float64Array.of(1, 2), [1, 2]) } });
    await addSectionTimeAnalog({ session, thresholdValue: 1e5, plotDuration: 1 });
    const first = (session.stimulus.section_time as Record<string, unknown>).iprgc_test;
    await addSectionTimeAnalog({ session, thresholdValue: 1e5, plotDuration: 2 });
    expect((session.stimulus.section_time as Record<string, unknown>).iprgc_test).toBe(first);
    expect(session.warnings).toEqual([expect.stringMatching(/^section_time for 'iprgc_test' already exists.*force: true/)]);
    await addSectionTimeAnalog({ session, thresholdValue: 1e5, plotDuration: 2, force: true });
    expect(rows((session.stimulus.section_time as Record<string, unknown>).iprgc_test)[0]).toEqual([10 * RATE - 1, 12 * RATE - 1]);
    expect(Object.keys(session.stimulus.section_time as object)).toEqual(["movie_a", "iprgc_test"]);
  });

  it("hdf5Path mode and save → load keep everything", async () => {
    const file = await sessionWith(trace).save(path.join(tempDir(), "a.h5"));
    const result = await addSectionTimeAnalog({ hdf5Path: file, thresholdValue: 1e5, plotDuration: 3 });
    expect(result.record.status).toBe(StepStatus.COMPLETED);
    const loaded = await PipelineSession.load(file);
    const inMemory = await addSectionTimeAnalog({ session: sessionWith(trace), thresholdValue: 1e5, plotDuration: 3 });
    expectSameContents(loaded.stimulus.section_time, inMemory.stimulus.section_time, "section_time");
    expectSameContents(loaded.stimulus.light_template, inMemory.stimulus.light_template, "light_template");
    expect(loaded.metadata.section_time_analog_iprgc_test).toBe(inMemory.metadata.section_time_analog_iprgc_test);
  });
});

describe("addSectionTimeAnalog on a simulated recording", () => {
  it("finds the planted light-step onsets of the step movie, to the sample", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-analog-"));
    try {
      const rec = await simulateRecording({ outputDir: dir, durationS: 36, unitCount: 2, seed: 3 });
      const session = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
      // Full white is 1e7 above dark; grey (127) and noise onsets rise about half of that.
      await addSectionTimeAnalog({ session, thresholdValue: 7.5e6, movieName: "steps", plotDuration: rec.recipe.stepFrames / rec.recipe.displayRateHz });
      const step = rec.groundTruth.playlist.movies.find((m) => m.kind === "step")!;
      const ts = rec.groundTruth.display.frameTimestamps;
      const expected = Array.from({ length: rec.recipe.stepRepeats }, (_, k) => {
        const onset = ts[step.contentStartFrame + rec.recipe.stepLeadFrames + 2 * k * rec.recipe.stepFrames];
        return [onset, onset + Math.trunc((rec.recipe.stepFrames / rec.recipe.displayRateHz) * rec.groundTruth.samplingRateHz)];
      });
      expect(rows((session.stimulus.section_time as Record<string, unknown>).steps)).toEqual(expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
