/**
 * The local scheduler: at most `workers` worker processes at once, one fresh process per recording (so memory is
 * bounded by one recording and a crash takes only that recording), each with an optional heap limit.
 *
 *   check completeness (skip finished) → claim the ledger run → fork worker → done | failed (recorded) → next
 *
 * Ctrl+C (SIGINT) stops dispatching, lets workers remove their temporary files and exit, records the interrupted
 * recordings as failed ("interrupted"), and returns; a second Ctrl+C kills the workers. Session files are only ever
 * renamed into place complete, so nothing half-written is left either way.
 */
import { fork, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BatchError } from "../errors";
import { staleTempFiles } from "../hdf5/atomic-write";
import type { BatchConfig } from "./config";
import { checkCompleteness } from "./completeness";
import type { BatchManifest, ManifestEntry } from "./manifest";
import { batchMessages as messages } from "./messages";
import { sessionPathOf } from "./recording-pipeline";
import type { BatchRuns, RecordingRun } from "./runs";
import type { WorkerReply } from "./worker-protocol";

/** What happened to one recording, reported while the batch runs. */
export interface BatchEvent {
  readonly type: "skipped" | "started" | "done" | "failed" | "busy";
  readonly index: number;
  readonly recordingId: string;
  readonly error?: string;
  readonly unitCount?: number;
  /** The worker's process id (started events). */
  readonly pid?: number;
}

/** Options of {@link runLocal}. */
export interface RunLocalOptions {
  /** Worker processes at once. Default: the config's `local.workers`. */
  readonly workers?: number;
  /** Heap limit per worker in MB. Default: the config's `local.worker_memory_mb`. */
  readonly workerMemoryMb?: number | null;
  /** Only these manifest indices. Default: all. */
  readonly indices?: readonly number[];
  /** Called for every event, in order. */
  readonly onEvent?: (event: BatchEvent) => void;
  /** Stop on Ctrl+C as described above. Default true. */
  readonly handleSigint?: boolean;
}

/** The end of a local run. */
export interface LocalRunSummary {
  readonly total: number;
  readonly computed: number;
  readonly skipped: number;
  readonly failed: readonly { readonly recordingId: string; readonly error: string }[];
  readonly busy: number;
  readonly interrupted: boolean;
}

/** Runs stage 1 of every (or the chosen) recordings of `manifest` with local worker processes. */
export async function runLocal(config: BatchConfig, manifest: BatchManifest, runs: BatchRuns, options: RunLocalOptions = {}): Promise<LocalRunSummary> {
  const workers = options.workers ?? config.local.workers;
  if (!Number.isInteger(workers) || workers < 1) throw new BatchError(messages.badWorkers(workers));
  const memoryMb = options.workerMemoryMb === undefined ? config.local.workerMemoryMb : options.workerMemoryMb;
  const emit = options.onEvent ?? (() => undefined);
  const chosen = options.indices === undefined ? manifest.recordings : manifest.recordings.filter((entry) => options.indices?.includes(entry.index));

  const queue: ManifestEntry[] = [];
  let skipped = 0;
  for (const entry of chosen) {
    const verdict = await checkCompleteness(config, entry);
    if (verdict.state === "complete") {
      skipped++;
      emit({ type: "skipped", index: entry.index, recordingId: entry.recordingId, unitCount: verdict.unitCount });
    } else {
      queue.push(entry);
    }
  }

  const failed: { recordingId: string; error: string }[] = [];
  let computed = 0;
  let busy = 0;
  let interrupted = false;
  const active = new Map<ChildProcess, ManifestEntry>();
  const onSigint = (): void => {
    if (interrupted) {
      for (const child of active.keys()) child.kill("SIGKILL");
      return;
    }
    interrupted = true;
    for (const child of active.keys()) child.kill("SIGINT");
  };
  const handleSigint = options.handleSigint ?? true;
  if (handleSigint) process.on("SIGINT", onSigint);
  try {
    await new Promise<void>((resolve) => {
      const next = (): void => {
        while (!interrupted && active.size < workers && queue.length > 0) {
          const entry = queue.shift() as ManifestEntry;
          const run = runs.recordingRun(entry);
          if (!run.tryStart()) {
            busy++;
            emit({ type: "busy", index: entry.index, recordingId: entry.recordingId });
            continue;
          }
          const child = startWorker(config, entry, memoryMb);
          active.set(child, entry);
          emit({ type: "started", index: entry.index, recordingId: entry.recordingId, pid: child.pid });
          let reply: WorkerReply | null = null;
          child.on("message", (message: WorkerReply) => {
            reply = message;
          });
          child.on("exit", (code, signal) => {
            active.delete(child);
            const outcome = finishRecording(config, entry, run, reply, code, signal, interrupted);
            if (outcome.error === null) {
              computed++;
              emit({ type: "done", index: entry.index, recordingId: entry.recordingId, unitCount: outcome.unitCount });
            } else {
              failed.push({ recordingId: entry.recordingId, error: outcome.error });
              emit({ type: "failed", index: entry.index, recordingId: entry.recordingId, error: outcome.error });
            }
            next();
          });
        }
        if (active.size === 0 && (queue.length === 0 || interrupted)) resolve();
      };
      next();
    });
  } finally {
    if (handleSigint) process.removeListener("SIGINT", onSigint);
  }
  return { total: chosen.length, computed, skipped, failed, busy, interrupted };
}

function startWorker(config: BatchConfig, entry: ManifestEntry, memoryMb: number | null): ChildProcess {
  const execArgv = memoryMb === null ? [] : [`--max-old-space-size=${memoryMb}`];
  return fork(workerScript(), [config.filePath, String(entry.index)], { execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
}

/** Records the worker's result in the ledger run; removes what a dead worker left behind. */
function finishRecording(
  config: BatchConfig,
  entry: ManifestEntry,
  run: RecordingRun,
  reply: WorkerReply | null,
  code: number | null,
  signal: NodeJS.Signals | null,
  interrupted: boolean,
): { error: string | null; unitCount?: number } {
  if (reply !== null && reply.type === "done") {
    run.done(reply.sessionPath);
    return { error: null, unitCount: reply.unitCount };
  }
  if (reply !== null && reply.type === "failed") {
    run.error(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code, stack: reply.error.stack }));
    return { error: reply.error.message };
  }
  for (const file of staleTempFiles(sessionPathOf(config, entry.recordingId))) fs.rmSync(file, { force: true });
  const message = interrupted ? messages.interrupted(entry.recordingId) : messages.workerDied(entry.recordingId, signal, code);
  run.error(new BatchError(message));
  return { error: message };
}

/** The built worker script (beside this module in dist/, or dist/ when this module runs from src/ in tests). */
export function workerScript(): string {
  const beside = path.join(__dirname, "worker-main.js");
  return fs.existsSync(beside) ? beside : path.resolve(__dirname, "..", "..", "dist", "batch", "worker-main.js");
}
