/** Messages of `hdmea batch` (one catalogue, STYLE §2.5). */
import type { BatchEvent } from "../batch/local-scheduler";

export const batchCliMessages = {
  eventLine: (finished: number, total: number, event: BatchEvent) =>
    `[${finished}/${total}] ${event.recordingId} ${event.type}${event.type === "failed" ? `: ${event.error ?? ""}` : event.unitCount !== undefined ? ` (${event.unitCount} units)` : ""}`,
  stage1Summary: (computed: number, skipped: number, failed: number, busy: number) =>
    `Stage 1: ${computed} computed, ${skipped} already complete, ${failed} failed${busy > 0 ? `, ${busy} running elsewhere` : ""}.`,
  failure: (id: string, error: string) => `failed ${id}: ${error}`,
  interrupted: () => `Interrupted: finished recordings are kept; run the same command again to compute the rest.`,
  stage2Written: (table: string, rows: number, summary: string) => `Stage 2: ${rows} units → ${table} (summary ${summary}).`,
  taskDone: (id: string, units: number) => `${id}: done (${units} units).`,
  taskSkipped: (id: string) => `${id}: already complete, nothing to do.`,
  taskBusy: (id: string) => `${id}: running in another process, left alone.`,
  submittedArray: (jobId: string, count: number, offset: number, script: string) =>
    `Submitted stage 1 array job ${jobId}: ${count} recordings (manifest indices from ${offset}), script ${script}.`,
  submittedStage2: (jobId: string, after: readonly string[]) =>
    `Submitted stage 2 job ${jobId}${after.length > 0 ? ` (afterok:${after.join(":")})` : ""}.`,
  nothingToCompute: () => `Every recording is already complete; only stage 2 was submitted.`,
};
