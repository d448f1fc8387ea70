/**
 * Order and resume (issue 4): a checkpoint taken after any step, loaded in a fresh process, continues to exactly
 * the same final numbers as an uninterrupted run. Every run here is its own Node process using the built library.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { ensureBuiltPackage } from "../test-support/built-package";
import { expectSameContents } from "../test-support/same-contents";

const CHILD = path.join(__dirname, "..", "test-support", "pipeline-child.cjs");

function runChild(rec: SimulatedRecording, first: number, last: number, out: string, checkpointIn?: string): { steps: number } {
  const args = [CHILD, rec.groundTruthPath, String(first), String(last), out, ...(checkpointIn ? [checkpointIn] : [])];
  const stdout = execFileSync(process.execPath, args, { encoding: "utf8", timeout: 120_000 });
  return JSON.parse(stdout) as { steps: number };
}

async function load(file: string): Promise<PipelineSession> {
  return PipelineSession.load(file, { logger: recordingLogger() });
}

describe("checkpoint after any step, resume in a fresh process", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let stepCount: number;
  let uninterrupted: PipelineSession;

  beforeAll(async () => {
    ensureBuiltPackage();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-resume-"));
    rec = await simulateRecording({ outputDir: path.join(dir, "rec"), durationS: 45, unitCount: 6, seed: 21 });
    // Probe the pipeline length, then run it uninterrupted in one fresh process.
    stepCount = runChild(rec, 0, 0, path.join(dir, "empty.h5")).steps;
    runChild(rec, 0, stepCount, path.join(dir, "uninterrupted.h5"));
    uninterrupted = await load(path.join(dir, "uninterrupted.h5"));
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("gives the same final units, metadata and stimulus for a checkpoint after every step", async () => {
    for (let split = 1; split < stepCount; split++) {
      const checkpoint = path.join(dir, `after-${split}.h5`);
      const final = path.join(dir, `resumed-from-${split}.h5`);
      runChild(rec, 0, split, checkpoint);
      runChild(rec, split, stepCount, final, checkpoint);
      const resumed = await load(final);
      expectSameContents(resumed.units, uninterrupted.units, `units (resumed after step ${split})`, ["extracted_at"]);
      expectSameContents(resumed.metadata, uninterrupted.metadata, `metadata (resumed after step ${split})`);
      expectSameContents(resumed.stimulus, uninterrupted.stimulus, `stimulus (resumed after step ${split})`);
      expectSameContents([...resumed.completedSteps], [...uninterrupted.completedSteps], "completed steps");
      expectSameContents(
        resumed.stepRecords.map((r) => [r.name, r.status, r.params]),
        uninterrupted.stepRecords.map((r) => [r.name, r.status, r.params]),
        "step records",
      );
    }
  }, 300_000);
});
