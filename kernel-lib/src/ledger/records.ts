/**
 * The ledger's on-disk records. Every record is one small JSON file, written once and never rewritten, so no
 * status change rewrites anything shared and no lock is needed:
 *
 *     <root>/.hdmea-ledger/v1/<relpath>/          one folder per project folder (relpath "" is ".")
 *       uids/<n>                                 empty marker, created exclusively: uid n is taken (forever)
 *       runs/<uid>/run.json                      identity: identifier, uid, storage mode, full canonical params
 *       runs/<uid>/attempt-<k>.json              claim of attempt k (exclusive create): host, pid, start time
 *       runs/<uid>/attempt-<k>.beat              heartbeat of attempt k: rewritten by a timer, only its mtime counts
 *       runs/<uid>/attempt-<k>.done.json         outcome of attempt k (done / error, with time and duration)
 *       runs/<uid>/files-<t>-<token>.json        one attachFiles() call: name → path relative to the root
 *       runs/<uid>/discarded                     the uid lost a creation race and holds no run
 *       params/<identifier>/<hash>/primary.json  the run that resume returns for these params (exclusive create)
 *       params/<identifier>/<hash>/<uid>         every run of this identifier with these params
 *       clock/<host>-<pid>                       probe whose mtime gives the file system's own "now"
 */
import type { CanonicalParams } from "./canonical-params";

/** Where a run's files go: its own subfolder, or the project folder with the uid as a file-name prefix. */
export type StorageMode = "subfolder" | "prefix";

/** What `project.run()` does when a run with the same identifier and parameters exists. */
export type ExistingRunPolicy = "resume" | "new";

/** Status of a run. A run whose holder died stays "running" with `stale: true` until someone reclaims it. */
export type RunStatus = "pending" | "running" | "done" | "error";

export const LEDGER_SCHEMA = 1;

/** `runs/<uid>/run.json`. */
export interface RunRecord {
  schema: number;
  identifier: string;
  uid: string;
  uidNumber: number;
  relpath: string;
  storageMode: StorageMode;
  paramsHash: string;
  params: CanonicalParams;
  createdAt: string;
  host: string;
  pid: number;
}

/** `runs/<uid>/attempt-<k>.json`. */
export interface AttemptClaim {
  attempt: number;
  startedAt: string;
  host: string;
  pid: number;
  token: string;
  /** Heartbeat time-to-live of the claimer, so any reader judges staleness the same way. */
  heartbeatTtlMs: number;
}

/** `runs/<uid>/attempt-<k>.done.json` / `.error.json`. */
export interface AttemptOutcome {
  status: "done" | "error";
  attempt: number;
  finishedAt: string;
  durationMs: number;
  host: string;
  pid: number;
  error?: { name: string; message: string; code?: string; stack?: string };
}

/** `params/<identifier>/<hash>/primary.json`. */
export interface PrimaryRecord {
  uid: string;
}

/** `runs/<uid>/files-*.json`. */
export interface FilesRecord {
  attachedAt: string;
  files: Record<string, string>;
}
