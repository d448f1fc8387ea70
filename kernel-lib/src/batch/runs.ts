/**
 * The batch's runs in the ledger (kernel-lib/src/ledger): stage 1 of each recording is the run
 * `stage1-<recording_id>` and stage 2 the run `stage2`, in the project `<output>/runs`. A run's parameters are the
 * recording and every step's full parameters, so changed step options make a new run; the session file is attached
 * to its run. Status, failures with their errors, and the hosts/pids come from here.
 */
import * as path from "path";
import { Project } from "../ledger/project";
import type { Run } from "../ledger/run";
import type { BatchConfig } from "./config";
import type { FoundRecording } from "./discover";
import { planRecording, recordingInputs } from "./recording-pipeline";

/** A recording's (or stage 2's) ledger run, as the schedulers use it. */
export interface RecordingRun {
  /** Claims the run for this process; false when another live process holds it. */
  tryStart(): boolean;
  /** Records success and attaches the output file. */
  done(outputPath: string): void;
  /** Records the failure with its error. */
  error(error: unknown): void;
}

/** What the ledger last recorded for a recording. */
export interface LastRun {
  readonly uid: string;
  readonly status: "pending" | "running" | "done" | "error";
  /** Running, but its heartbeat expired: the process holding it is gone. */
  readonly stale: boolean;
  readonly error: string | null;
  readonly host: string | null;
  readonly pid: number | null;
  readonly finishedAt: string | null;
}

/** The ledger side of a batch. */
export interface BatchRuns {
  readonly project: Project;
  /** The run for computing `recording` now (a new one when the matching run is done but its output is not). */
  recordingRun(recording: FoundRecording): RecordingRun;
  /** The latest run recorded for `recording`, whatever its parameters; null when it never ran. */
  lastRecordingRun(recording: FoundRecording): LastRun | null;
  /** The run of stage 2 over `recordingIds`. */
  stage2Run(recordingIds: readonly string[]): RecordingRun;
}

/** The ledger identifier of a recording's stage 1. */
export function stage1Identifier(recordingId: string): string {
  return `stage1-${recordingId.replace(/[/\\\0]/g, "_")}`;
}

/** Opens the batch's ledger project (`<output>/runs`). */
export function batchRuns(config: BatchConfig): BatchRuns {
  const project = new Project(config.outputDir, { relpath: "runs" }).ensureFolder();
  const paramsOf = (recording: FoundRecording): Record<string, unknown> => ({
    batch: config.name,
    recording: { id: recording.recordingId, cmcrPath: recording.cmcrPath, cmtrPath: recording.cmtrPath },
    steps: planRecording(config, recordingInputs(config, recording)).map((step) => ({ name: step.name, params: step.expectedParams })),
  });
  return {
    project,
    recordingRun(recording) {
      const identifier = stage1Identifier(recording.recordingId);
      let run = project.run(identifier, { params: paramsOf(recording), existing: "resume" });
      // Done in the ledger but the file is not complete (truncated, deleted): that result is gone, compute anew.
      if (run.isDone()) run = project.run(identifier, { params: paramsOf(recording), existing: "new" });
      return handle(run, "session");
    },
    lastRecordingRun(recording) {
      const runs = project.findRuns(stage1Identifier(recording.recordingId));
      if (runs.length === 0) return null;
      const last = runs[runs.length - 1];
      const state = last.state();
      const attempt = state.current;
      return {
        uid: last.uid,
        status: state.status,
        stale: state.stale,
        error: attempt?.error?.message ?? null,
        host: attempt?.host ?? null,
        pid: attempt?.pid ?? null,
        finishedAt: attempt?.finishedAt ?? null,
      };
    },
    stage2Run(recordingIds) {
      const params = { batch: config.name, recordings: [...recordingIds], pipeline: config.pipeline.map((entry) => ({ ...entry })) };
      let run = project.run("stage2", { params, existing: "resume" });
      if (run.isDone()) run = project.run("stage2", { params, existing: "new" });
      return handle(run, "table");
    },
  };
}

function handle(run: Run, fileName: string): RecordingRun {
  return {
    tryStart: () => run.tryStart(),
    done: (outputPath) => {
      run.attachFiles({ [fileName]: path.resolve(outputPath) });
      run.done();
    },
    error: (error) => {
      run.error(error);
    },
  };
}
