/**
 * `batch status`: per recording of the manifest, one of done / failed / missing / stale / running, with the
 * reason or the recorded error. "done" is decided by the session file alone (completeness); the ledger tells
 * failures and live runs apart from never-run recordings.
 */
import { Table } from "apache-arrow";
import { float64Vector, int32Vector, utf8Vector } from "../arrow/columns";
import type { BatchConfig } from "./config";
import { checkCompleteness } from "./completeness";
import type { BatchManifest } from "./manifest";
import { sessionPathOf } from "./recording-pipeline";
import type { BatchRuns } from "./runs";

/** The state of one recording. */
export type RecordingState = "done" | "failed" | "missing" | "stale" | "running";

/** One row of the status. */
export interface RecordingStatus {
  readonly index: number;
  readonly recordingId: string;
  readonly state: RecordingState;
  /** Why it is stale, or the error it failed with; empty when done or missing. */
  readonly detail: string;
  readonly unitCount: number | null;
  readonly sessionPath: string;
  readonly host: string | null;
  readonly pid: number | null;
  readonly finishedAt: string | null;
}

/** The status of every recording of `manifest`. */
export async function batchStatus(config: BatchConfig, manifest: BatchManifest, runs: BatchRuns): Promise<RecordingStatus[]> {
  const rows: RecordingStatus[] = [];
  for (const entry of manifest.recordings) {
    const verdict = await checkCompleteness(config, entry);
    const last = runs.lastRecordingRun(entry);
    const base = {
      index: entry.index,
      recordingId: entry.recordingId,
      sessionPath: sessionPathOf(config, entry.recordingId),
      host: last?.host ?? null,
      pid: last?.pid ?? null,
      finishedAt: last?.finishedAt ?? null,
    };
    if (verdict.state === "complete") {
      rows.push({ ...base, state: "done", detail: "", unitCount: verdict.unitCount });
    } else if (last !== null && last.status === "running" && !last.stale) {
      rows.push({ ...base, state: "running", detail: "", unitCount: null });
    } else if (last !== null && last.status === "error") {
      rows.push({ ...base, state: "failed", detail: last.error ?? "", unitCount: null });
    } else if (verdict.state === "stale") {
      rows.push({ ...base, state: "stale", detail: verdict.reason, unitCount: null });
    } else {
      rows.push({ ...base, state: "missing", detail: "", unitCount: null });
    }
  }
  return rows;
}

/** Counts per state. */
export function countStates(rows: readonly RecordingStatus[]): Record<RecordingState, number> {
  const counts: Record<RecordingState, number> = { done: 0, failed: 0, missing: 0, stale: 0, running: 0 };
  for (const row of rows) counts[row.state]++;
  return counts;
}

/** The status as an Arrow table (one row per recording). */
export function statusTable(rows: readonly RecordingStatus[]): Table {
  return new Table({
    index: int32Vector(rows.map((row) => row.index)),
    recording_id: utf8Vector(rows.map((row) => row.recordingId)),
    state: utf8Vector(rows.map((row) => row.state)),
    detail: utf8Vector(rows.map((row) => row.detail)),
    unit_count: float64Vector(rows.map((row) => row.unitCount)),
    host: utf8Vector(rows.map((row) => row.host)),
    pid: float64Vector(rows.map((row) => row.pid)),
    finished_at: utf8Vector(rows.map((row) => row.finishedAt)),
  });
}

/** The status as text lines: a header, one line per recording, the counts. */
export function statusLines(rows: readonly RecordingStatus[]): string[] {
  const width = Math.max(12, ...rows.map((row) => row.recordingId.length));
  const lines = [`${"index".padStart(5)}  ${"recording".padEnd(width)}  ${"state".padEnd(8)}  detail`];
  for (const row of rows) {
    const detail = row.state === "done" ? `${row.unitCount ?? "?"} units` : row.detail;
    lines.push(`${String(row.index).padStart(5)}  ${row.recordingId.padEnd(width)}  ${row.state.padEnd(8)}  ${detail}`);
  }
  const counts = countStates(rows);
  lines.push(Object.entries(counts).map(([state, count]) => `${state} ${count}`).join(" · "));
  return lines;
}
