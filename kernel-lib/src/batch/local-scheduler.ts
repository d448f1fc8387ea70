/**
 * The local scheduler: at most `workers` worker processes at once, each computing one recording at a time and
 * replaced by a fresh process after a few (memory stays bounded; a crash takes only the recording it was on), each
 * with an optional heap limit.
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
import type { WorkerReply, WorkerRequest } from "./worker-protocol";

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
  const slots = new Set<WorkerSlot>();
  const onSigint = (): void => {
    if (interrupted) {
      for (const slot of slots) slot.child.kill("SIGKILL");
      return;
    }
    interrupted = true;
    for (const slot of slots) slot.child.kill("SIGINT");
  };
  const handleSigint = options.handleSigint ?? true;
  if (handleSigint) process.on("SIGINT", onSigint);
  try {
    await new Promise<void>((resolve) => {
      const record = (slot: WorkerSlot, reply: WorkerReply | null, code: number | null, signal: NodeJS.Signals | null): void => {
        const current = slot.current;
        if (current === null) return;
        slot.current = null;
        const outcome = finishRecording(config, current.entry, current.run, reply, code, signal, interrupted);
        if (outcome.error === null) {
          computed++;
          emit({ type: "done", index: current.entry.index, recordingId: current.entry.recordingId, unitCount: outcome.unitCount });
        } else {
          failed.push({ recordingId: current.entry.recordingId, error: outcome.error });
          emit({ type: "failed", index: current.entry.index, recordingId: current.entry.recordingId, error: outcome.error });
        }
      };
      const finished = (): boolean => slots.size === 0 && (queue.length === 0 || interrupted);
      /** Gives `slot` its next recording, or lets it go when there is none (or it has done its share). */
      const feed = (slot: WorkerSlot): void => {
        while (!interrupted && queue.length > 0 && slot.done < RECORDINGS_PER_WORKER) {
          const entry = queue.shift() as ManifestEntry;
          const run = runs.recordingRun(entry);
          if (!run.tryStart()) {
            busy++;
            emit({ type: "busy", index: entry.index, recordingId: entry.recordingId });
            continue;
          }
          slot.current = { entry, run };
          slot.done++;
          emit({ type: "started", index: entry.index, recordingId: entry.recordingId, pid: slot.child.pid });
          slot.child.send({ type: "run", index: entry.index } satisfies WorkerRequest);
          return;
        }
        if (slot.child.connected) slot.child.send({ type: "exit" } satisfies WorkerRequest);
      };
      const startSlot = (): void => {
        const slot: WorkerSlot = { child: startWorker(config, memoryMb), current: null, done: 0 };
        slots.add(slot);
        slot.child.on("message", (reply: WorkerReply) => {
          record(slot, reply, null, null);
          feed(slot);
        });
        const release = (code: number | null, signal: NodeJS.Signals | null): void => {
          if (!slots.delete(slot)) return;
          record(slot, null, code, signal);
          fill();
        };
        slot.child.on("exit", release);
        // A worker that dies before it reads its message (Ctrl+C reaches the whole process group at once) makes the
        // message fail with EPIPE; its recording is recorded as failed here or by "exit", whichever comes first —
        // an unhandled 'error' event would end the whole batch instead.
        slot.child.on("error", () => {
          if (slot.child.exitCode !== null || slot.child.signalCode !== null || !slot.child.connected) release(slot.child.exitCode, slot.child.signalCode);
        });
        feed(slot);
      };
      const fill = (): void => {
        while (!interrupted && slots.size < workers && queue.length > 0) startSlot();
        if (finished()) resolve();
      };
      fill();
    });
  } finally {
    if (handleSigint) process.removeListener("SIGINT", onSigint);
  }
  return { total: chosen.length, computed, skipped, failed, busy, interrupted };
}

/** A worker process and the recording it is computing. */
interface WorkerSlot {
  readonly child: ChildProcess;
  current: { readonly entry: ManifestEntry; readonly run: RecordingRun } | null;
  /** Recordings given to this worker so far. */
  done: number;
}

/**
 * A worker computes at most this many recordings, then a fresh process takes over: start-up is paid once per few
 * recordings, while whatever a recording leaves in memory (the WebAssembly heap only grows) is bounded.
 */
export const RECORDINGS_PER_WORKER = 8;

function startWorker(config: BatchConfig, memoryMb: number | null): ChildProcess {
  const execArgv = memoryMb === null ? [] : [`--max-old-space-size=${memoryMb}`];
  return fork(workerScript(), [config.filePath], { execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
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
