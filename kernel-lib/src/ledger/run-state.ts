/**
 * A run's state, derived from its attempt files alone (a pure function, so every process that reads the same
 * files agrees). Any done attempt makes the run done; otherwise the latest attempt decides: an error outcome →
 * error, no outcome → running, and running with a heartbeat older than the claimer's ttl → stale (reclaimable).
 */
import type { AttemptFiles } from "./ledger-folder";
import type { AttemptOutcome, RunStatus } from "./records";

/** One attempt at a run, as {@link RunState.attempts} lists it. */
export interface RunAttempt {
  attempt: number;
  status: "running" | "done" | "error";
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  host: string;
  pid: number;
  error?: AttemptOutcome["error"];
}

/** Everything the ledger knows about a run's progress. */
export interface RunState {
  status: RunStatus;
  /** Running, but its heartbeat is older than its ttl: the holder is gone and `start()` may reclaim the run. */
  stale: boolean;
  /** The attempt that decides the status (undefined while pending). */
  current?: RunAttempt;
  /** Every attempt, oldest first (a reclaimed or retried run has several). */
  attempts: RunAttempt[];
}

function toAttempt(files: AttemptFiles): RunAttempt {
  const claim = files.claim!;
  const outcome = files.outcome;
  return {
    attempt: files.attempt,
    status: outcome ? outcome.status : "running",
    startedAt: claim.startedAt,
    finishedAt: outcome?.finishedAt,
    durationMs: outcome?.durationMs,
    host: outcome?.host ?? claim.host,
    pid: outcome?.pid ?? claim.pid,
    error: outcome?.error,
  };
}

/** Age of an attempt's last sign of life (claim or heartbeat), on the file system's clock. */
export function lastSignOfLifeMs(files: AttemptFiles): number {
  return Math.max(files.beatMs ?? 0, files.claimMs ?? 0);
}

/**
 * Derives the state; `fileSystemNowMs` is called only when the latest attempt is running (it costs one write).
 */
export function deriveRunState(files: readonly AttemptFiles[], fileSystemNowMs: () => number): RunState {
  const attempts = files.map(toAttempt);
  if (attempts.length === 0) return { status: "pending", stale: false, attempts };
  const done = [...attempts].reverse().find((a) => a.status === "done");
  if (done) return { status: "done", stale: false, current: done, attempts };
  const latest = attempts[attempts.length - 1];
  if (latest.status === "error") return { status: "error", stale: false, current: latest, attempts };
  const latestFiles = files[files.length - 1];
  const stale = fileSystemNowMs() - lastSignOfLifeMs(latestFiles) > latestFiles.claim!.heartbeatTtlMs;
  return { status: "running", stale, current: latest, attempts };
}
