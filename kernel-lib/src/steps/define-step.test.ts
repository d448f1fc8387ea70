import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { useTempDir } from "../test-support/temp-dir";
import { defineStep } from "./define-step";

/**
 * The kind of step a lab member writes in a notebook cell: burst statistics per unit from the inter-spike
 * intervals, stored as a feature. About 30 lines with defineStep.
 */
const computeBurstStats = defineStep({
  name: "burst_stats",
  requires: [{ anyOf: ["load_recording", "load_recording_with_eimage_sta"], ifMissing: "warn", message: "Run loadRecording first." }],
  defaults: { maxIsiMs: 10, minSpikes: 3, samplingRateHz: 20_000 },
  validate: ({ maxIsiMs }) => {
    if (!(maxIsiMs > 0)) throw new ConfigurationError(`maxIsiMs must be > 0, got ${maxIsiMs}`);
  },
  run: ({ session, options, warn, progress }) => {
    const maxIsi = (options.maxIsiMs / 1000) * options.samplingRateHz;
    const results: [string, { burst_fraction: number; n_bursts: number }][] = [];
    const unitIds = Object.keys(session.units);
    unitIds.forEach((unitId, i) => {
      const spikes = session.units[unitId].spike_times;
      if (!(spikes instanceof Float64Array) || spikes.length < options.minSpikes) {
        warn(`Unit ${unitId} has fewer than ${options.minSpikes} spikes`);
        return;
      }
      let inBurst = 0;
      let bursts = 0;
      for (let k = 1; k < spikes.length; k++) {
        const short = spikes[k] - spikes[k - 1] <= maxIsi;
        if (short) inBurst++;
        if (short && (k === 1 || spikes[k - 1] - spikes[k - 2] > maxIsi)) bursts++;
      }
      results.push([unitId, { burst_fraction: inBurst / (spikes.length - 1), n_bursts: bursts }]);
      progress(i + 1, unitIds.length);
    });
    for (const [unitId, data] of results) session.addFeature(unitId, "burst_stats", data, { max_isi_ms: options.maxIsiMs });
  },
});

function loadedSession() {
  const logger = recordingLogger();
  const session = new PipelineSession({ datasetId: "rec", logger });
  session.addUnits({
    unit_001: { spike_times: Float64Array.of(0, 100, 150, 10_000, 10_100, 50_000) }, // ISIs ≤ 200 samples: 3 of 5
    unit_002: { spike_times: Float64Array.of(5) },
  });
  session.markStepComplete("load_recording");
  return { session, logger };
}

describe("defineStep", () => {
  const tempDir = useTempDir();

  it("session mode: runs on the session in place, returns it, and records the run", async () => {
    const { session } = loadedSession();
    const progress: number[] = [];
    session.onProgress((e) => progress.push(e.done));
    const returned = await computeBurstStats({ session, maxIsiMs: 10 });
    expect(returned).toBe(session);
    expect(session.units.unit_001.features).toEqual({
      burst_stats: { data: { burst_fraction: 3 / 5, n_bursts: 2 }, metadata: { max_isi_ms: 10 } },
    });
    expect(session.warnings).toEqual(["Unit unit_002 has fewer than 3 spikes"]);
    expect(session.completedSteps.has("burst_stats")).toBe(true);
    const record = session.stepRecords.at(-1)!;
    expect(record).toMatchObject({ name: "burst_stats", status: StepStatus.COMPLETED, params: { maxIsiMs: 10, minSpikes: 3, samplingRateHz: 20_000 } });
    expect(record.warnings).toEqual(["Unit unit_002 has fewer than 3 spikes"]);
    expect(progress).toEqual([1]);
    expect(computeBurstStats.stepName).toBe("burst_stats");
  });

  it("hdf5Path mode: loads the file, runs, saves it back atomically and returns a result record", async () => {
    const { session } = loadedSession();
    const file = await session.save(path.join(tempDir(), "rec.h5"));
    const result = await computeBurstStats({ hdf5Path: file, maxIsiMs: 4 }); // 80 samples: only the 50-sample ISI
    expect(result).toMatchObject({ hdf5Path: file, datasetId: "rec", warnings: ["Unit unit_002 has fewer than 3 spikes"] });
    expect(result.record.status).toBe(StepStatus.COMPLETED);
    const reloaded = await PipelineSession.load(file);
    expect(reloaded.units.unit_001.features).toEqual({
      burst_stats: { data: { burst_fraction: 1 / 5, n_bursts: 1 }, metadata: { max_isi_ms: 4 } },
    });
    expect(reloaded.stepRecords.map((r) => r.status)).toEqual([StepStatus.COMPLETED]);
    expect(fs.readdirSync(tempDir())).toEqual(["rec.h5"]);
  });

  it("a step's warnings also go to the logger (stderr under the cell), named by the step", async () => {
    const { session, logger } = loadedSession();
    await computeBurstStats({ session });
    expect(logger.lines).toEqual(["WARNING burst_stats: Unit unit_002 has fewer than 3 spikes"]);
  });

  it("a missing prerequisite in warn mode says plainly on the logger that the step was skipped, and why", async () => {
    const logger = recordingLogger();
    const session = new PipelineSession({ datasetId: "rec", logger });
    await computeBurstStats({ session });
    expect(logger.lines).toEqual([
      "WARNING burst_stats skipped: burst_stats needs one of 'load_recording', 'load_recording_with_eimage_sta' to have completed first. Run loadRecording first.",
    ]);
  });

  it("a step that skips itself (ctx.skip) says so on the logger", async () => {
    const skipping = defineStep({ name: "picky", defaults: {}, run: ({ skip }) => skip("no noise movie in the session") });
    const { session, logger } = loadedSession();
    await skipping({ session });
    expect(logger.lines).toEqual(["WARNING picky skipped: no noise movie in the session"]);
    expect(session.warnings.at(-1)).toBe("no noise movie in the session");
  });

  it("a missing prerequisite in warn mode adds the reference-style warning, records a failed run and changes no data", async () => {
    const session = new PipelineSession({ datasetId: "rec", logger: recordingLogger() });
    session.addUnits({ unit_001: { spike_times: Float64Array.of(0, 1, 2) } });
    await computeBurstStats({ session });
    expect(session.warnings).toEqual(["Run loadRecording first."]);
    expect(session.units.unit_001.features).toBeUndefined();
    expect(session.completedSteps.has("burst_stats")).toBe(false);
    expect(session.stepRecords.at(-1)!.status).toBe(StepStatus.FAILED);
  });

  it("a missing prerequisite in error mode is a ConfigurationError naming the steps to run", async () => {
    const strict = defineStep({
      name: "needs_sections",
      requires: [{ anyOf: ["section_spike_times"], ifMissing: "error", message: "Run sectionSpikeTimes first." }],
      defaults: {},
      run: () => undefined,
    });
    const { session } = loadedSession();
    await expect(strict({ session })).rejects.toThrow(ConfigurationError);
    await expect(strict({ session })).rejects.toThrow("needs_sections needs 'section_spike_times' to have completed first. Run sectionSpikeTimes first.");
    expect(session.stepRecords).toEqual([]);
  });

  it("bad options are ConfigurationErrors before anything runs; the session is left as it was", async () => {
    const { session } = loadedSession();
    await expect(computeBurstStats({ session, maxIsiMs: -1 })).rejects.toThrow("maxIsiMs must be > 0, got -1");
    await expect(computeBurstStats({ session, maxIsiMS: 3 } as never)).rejects.toThrow(
      "Did you mean 'maxIsiMs'? burst_stats: unknown option 'maxIsiMS'. Known options: maxIsiMs, minSpikes, samplingRateHz.",
    );
    await expect(computeBurstStats({} as never)).rejects.toThrow(/pass either \{ session \}/);
    expect(session.stepRecords).toEqual([]);
    expect(session.warnings).toEqual([]);
  });

  it("an error inside run is recorded as a failed step and rethrown", async () => {
    const failing = defineStep({
      name: "explodes",
      defaults: { x: 1 },
      run: () => {
        throw new Error("numerical trouble");
      },
    });
    const { session } = loadedSession();
    await expect(failing({ session })).rejects.toThrow("numerical trouble");
    expect(session.stepRecords.at(-1)).toMatchObject({ name: "explodes", status: StepStatus.FAILED, error: "numerical trouble" });
    expect(session.completedSteps.has("explodes")).toBe(false);
  });
});
