/**
 * Stage 1 for one recording: a new session, every configured step in order, then one atomic save to
 * `<output>/sessions/<recording_id>.h5`. A step that stops without completing (a recoverable input problem the step
 * records as a warning) fails the recording here, so a session file only ever exists with every step completed.
 */
import * as fs from "fs";
import * as path from "path";
import { BatchError } from "../errors";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { recordParams, type RecordedParam } from "../session/step-records";
import { RECORDING_DIR_PLACEHOLDER, type BatchConfig } from "./config";
import type { FoundRecording } from "./discover";
import { batchMessages as messages } from "./messages";
import { BATCH_STEPS, type RecordingInputs, type StimulusKey } from "./pipeline-steps";

/** The session file of a recording. */
export function sessionPathOf(config: BatchConfig, recordingId: string): string {
  return path.join(config.outputDir, "sessions", `${recordingId}.h5`);
}

/** The recording with its stimulus paths resolved (`{recording_dir}` = the folder of its `.cmcr`). */
export function recordingInputs(config: BatchConfig, recording: FoundRecording): RecordingInputs {
  const stimulus: Partial<Record<StimulusKey, string>> = {};
  for (const [key, value] of Object.entries(config.stimulus) as [StimulusKey, string][]) {
    stimulus[key] = value.startsWith(RECORDING_DIR_PLACEHOLDER)
      ? path.join(path.dirname(recording.cmcrPath), value.slice(RECORDING_DIR_PLACEHOLDER.length))
      : value;
  }
  return { recordingId: recording.recordingId, cmcrPath: recording.cmcrPath, cmtrPath: recording.cmtrPath, stimulus };
}

/** A planned step: its name, the options it is called with, and the parameters its step record will hold. */
export interface PlannedStep {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly expectedParams: { readonly [key: string]: RecordedParam };
}

/** The steps of `config` for one recording, with their options and expected step-record parameters. */
export function planRecording(config: BatchConfig, inputs: RecordingInputs): PlannedStep[] {
  return config.pipeline.map((entry) => {
    const step = BATCH_STEPS.get(entry.step);
    if (step === undefined) throw new BatchError(messages.unknownStepAtRun(entry.step));
    const override = config.overrides.find((o) => o.recordingId === inputs.recordingId && o.step === entry.step);
    const options = { ...entry.options, ...(override?.options ?? {}), ...step.fill(inputs) };
    return { name: step.name, options, expectedParams: recordParams({ ...step.defaults, ...options }) };
  });
}

/** What one recording's stage 1 produced. */
export interface RecordingResult {
  readonly recordingId: string;
  readonly sessionPath: string;
  readonly unitCount: number;
  readonly warnings: readonly string[];
}

/** Runs the configured pipeline on one recording and saves its session atomically (replacing an older one). */
export async function runRecordingPipeline(config: BatchConfig, recording: FoundRecording): Promise<RecordingResult> {
  const inputs = recordingInputs(config, recording);
  const session = new PipelineSession({ datasetId: recording.recordingId, logger: recordingLogger(), outputDir: path.join(config.outputDir, "sessions") });
  for (const planned of planRecording(config, inputs)) {
    const step = BATCH_STEPS.get(planned.name);
    if (step === undefined) throw new BatchError(messages.unknownStepAtRun(planned.name));
    await step.run({ ...planned.options }, session);
    const record = [...session.stepRecords].reverse().find((r) => r.name === planned.name);
    if (record === undefined || record.status !== "completed") {
      throw new BatchError(messages.stepDidNotComplete(recording.recordingId, planned.name, record?.error ?? record?.warnings.join("; ") ?? ""));
    }
  }
  const sessionPath = sessionPathOf(config, recording.recordingId);
  fs.mkdirSync(path.dirname(sessionPath), { recursive: true });
  await session.save(sessionPath, { overwrite: true });
  return { recordingId: recording.recordingId, sessionPath, unitCount: session.unitCount, warnings: [...session.warnings] };
}
