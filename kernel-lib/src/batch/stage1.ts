/**
 * Stage 1 of one recording inside the current process (an array task, `--index`, or the local scheduler's
 * sequential fallback): skip it when its session file is complete, otherwise claim its ledger run, compute, and
 * record done or the error. A failure is recorded and returned, never thrown, so other recordings go on.
 */
import type { BatchConfig } from "./config";
import { checkCompleteness } from "./completeness";
import type { ManifestEntry } from "./manifest";
import { runRecordingPipeline } from "./recording-pipeline";
import type { BatchRuns } from "./runs";

/** How one recording's stage 1 ended. */
export type RecordingOutcome =
  | { readonly recordingId: string; readonly state: "done"; readonly skipped: boolean; readonly unitCount: number; readonly sessionPath?: string }
  | { readonly recordingId: string; readonly state: "failed"; readonly error: string }
  | { readonly recordingId: string; readonly state: "busy" };

/** Runs stage 1 for `entry` here and now, unless its session file is already complete. */
export async function runRecordingHere(config: BatchConfig, entry: ManifestEntry, runs: BatchRuns): Promise<RecordingOutcome> {
  const verdict = await checkCompleteness(config, entry);
  if (verdict.state === "complete") return { recordingId: entry.recordingId, state: "done", skipped: true, unitCount: verdict.unitCount };
  const run = runs.recordingRun(entry);
  if (!run.tryStart()) return { recordingId: entry.recordingId, state: "busy" };
  try {
    const result = await runRecordingPipeline(config, entry);
    run.done(result.sessionPath);
    return { recordingId: entry.recordingId, state: "done", skipped: false, unitCount: result.unitCount, sessionPath: result.sessionPath };
  } catch (error) {
    run.error(error);
    return { recordingId: entry.recordingId, state: "failed", error: error instanceof Error ? error.message : String(error) };
  }
}
