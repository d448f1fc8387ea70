/**
 * `Run`: a handle on one ledger run. It holds no status of its own — every read goes to the run's record files —
 * and it changes status only by writing new files: a claim to start, an outcome to finish.
 */
import * as path from "path";
import { performance } from "perf_hooks";
import { HOST, newToken } from "./atomic-files";
import type { CanonicalParams } from "./canonical-params";
import { RunBusyError, RunStateError } from "./errors";
import { startHeartbeat, stopHeartbeat } from "./heartbeat";
import type { LedgerFolder } from "./ledger-folder";
import { messages } from "./messages";
import type { AttemptOutcome, RunRecord, RunStatus, StorageMode } from "./records";
import { deriveRunState, type RunState } from "./run-state";
import * as fs from "fs";

/** How `project.run()` came to return this run. */
export interface ResumeInfo {
  /**
   * "created": a new run; "reused": a done run with the same parameters (skip the work); "existing": a run with the
   * same parameters that is not done (pending, failed, or running elsewhere) — `tryStart()` it to (re)try;
   * "listed": returned by `findRuns`.
   */
  outcome: "created" | "reused" | "existing" | "listed";
  /** For a created run: the run of the same identifier whose parameters are nearest, and the keys that differ. */
  nearMiss?: { uid: string; differingKeys: string[] };
}

/** Options of {@link Run.path}. */
export interface RunPathOptions {
  /** Put the run identifier in the file name (`<identifier>_<name>`). Default true. */
  includeIdentifier?: boolean;
}

/** What a run handle needs from its project. */
export interface RunContext {
  /** Absolute project root; attached paths are stored relative to it. */
  root: string;
  /** Absolute folder of the project (root + relpath). */
  projectFolder: string;
  ledger: LedgerFolder;
  heartbeatTtlMs: number;
}

interface HeldAttempt {
  attempt: number;
  startedMs: number;
  beatFile: string;
}

/** One run of the ledger: identity, parameters, status, files. Created by `Project.run()` / `findRuns()`. */
export class Run {
  /** Name of what is run ("sta", "batch", …); several runs share it. */
  readonly identifier: string;
  /** Zero-padded run number, unique in its project folder and never reused ("0007"). */
  readonly uid: string;
  /** The uid as a number; order runs by this, not by the uid text. */
  readonly uidNumber: number;
  /** Project folder of the run, relative to the root (POSIX separators, "" for the root). */
  readonly relpath: string;
  readonly storageMode: StorageMode;
  /** The run's full parameters in canonical form, as stored in the ledger. */
  readonly params: CanonicalParams;
  /** SHA-256 of the canonical parameters. */
  readonly paramsHash: string;
  readonly resume: ResumeInfo;
  private readonly context: RunContext;
  private held: HeldAttempt | undefined;

  /** @internal Use `Project.run()` or `Project.findRuns()`. */
  constructor(context: RunContext, record: RunRecord, resume: ResumeInfo) {
    this.context = context;
    this.identifier = record.identifier;
    this.uid = record.uid;
    this.uidNumber = record.uidNumber;
    this.relpath = record.relpath;
    this.storageMode = record.storageMode;
    this.params = record.params;
    this.paramsHash = record.paramsHash;
    this.resume = resume;
  }

  /** Reads the run's state from the ledger (attempts, times, host, pid, duration, error). */
  state(): RunState {
    const ledger = this.context.ledger;
    return deriveRunState(ledger.readAttempts(this.uid), () => ledger.fileSystemNowMs());
  }

  /** "pending" → "running" → "done" | "error", read from the ledger on every access. */
  get status(): RunStatus {
    return this.state().status;
  }

  isDone(): boolean {
    return this.status === "done";
  }

  /** True while this handle holds a started attempt (between start() and done()/error()). */
  get isHeld(): boolean {
    return this.held !== undefined;
  }

  /**
   * Claims the run for this process and starts its heartbeat: a pending or failed run, or a running one whose
   * holder's heartbeat has expired. Returns false — without throwing — if the run is done or another live process
   * holds it. The claim is one exclusive file create, so of many processes exactly one gets each attempt.
   */
  tryStart(): boolean {
    if (this.held) return true;
    const ledger = this.context.ledger;
    for (let round = 0; round < 8; round += 1) {
      const files = ledger.readAttempts(this.uid);
      const state = deriveRunState(files, () => ledger.fileSystemNowMs());
      if (state.status === "done") return false;
      if (state.status === "running" && !state.stale) return false;
      const attempt = (files.length > 0 ? files[files.length - 1].attempt : 0) + 1;
      const claimed = ledger.claimAttempt(this.uid, {
        attempt,
        startedAt: new Date().toISOString(),
        host: HOST,
        pid: process.pid,
        token: newToken(),
        heartbeatTtlMs: this.context.heartbeatTtlMs,
      });
      if (claimed) {
        fs.mkdirSync(this.folder, { recursive: true });
        const beatFile = ledger.beatPath(this.uid, attempt);
        startHeartbeat(beatFile, this.context.heartbeatTtlMs / 4);
        this.held = { attempt, startedMs: performance.now(), beatFile };
        return true;
      }
      // Another process took this attempt number a moment ago: look again at what it left.
    }
    return false;
  }

  /**
   * Like {@link tryStart} but throws: `RunStateError` if the run is done, `RunBusyError` if a live process holds it.
   * Creates the run's folder.
   */
  start(): this {
    if (this.tryStart()) return this;
    const state = this.state();
    if (state.status === "done") throw new RunStateError(this.uid, messages.runAlreadyDone(this.uid, this.identifier));
    const holder = { host: state.current?.host ?? "?", pid: state.current?.pid ?? -1 };
    throw new RunBusyError(
      this.uid,
      holder,
      messages.runBusy(this.uid, this.identifier, holder.host, holder.pid, this.context.heartbeatTtlMs),
    );
  }

  /** Records the held attempt as done (time, host, pid, duration) and stops its heartbeat. */
  done(): this {
    this.finish("done");
    return this;
  }

  /** Records the held attempt as failed with `err`'s name, message, code and stack, and stops its heartbeat. */
  error(err: unknown): this {
    this.finish("error", err);
    return this;
  }

  private finish(status: "done" | "error", err?: unknown): void {
    const held = this.held;
    if (!held) throw new RunStateError(this.uid, messages.notStarted(this.uid, this.identifier, status));
    const outcome: AttemptOutcome = {
      status,
      attempt: held.attempt,
      finishedAt: new Date().toISOString(),
      durationMs: performance.now() - held.startedMs,
      host: HOST,
      pid: process.pid,
    };
    if (status === "error") outcome.error = describeError(err);
    try {
      this.context.ledger.writeOutcome(this.uid, outcome);
    } finally {
      stopHeartbeat(held.beatFile);
      this.held = undefined;
    }
  }

  /**
   * Folder of the run's files (not created by reading it; `start()` creates it): `<project>/<identifier>/<uid>` in
   * subfolder mode, the project folder itself in prefix mode.
   */
  get folder(): string {
    return this.storageMode === "subfolder"
      ? path.join(this.context.projectFolder, this.identifier, this.uid)
      : this.context.projectFolder;
  }

  /**
   * Absolute path of a file of this run: subfolder mode `<folder>/<identifier>_<name>`, prefix mode
   * `<project>/<uid>_<identifier>_<name>`; without the identifier part when `includeIdentifier` is false.
   */
  path(name: string, options: RunPathOptions = {}): string {
    const parts = this.storageMode === "prefix" ? [this.uid] : [];
    if (options.includeIdentifier ?? true) parts.push(this.identifier);
    parts.push(name);
    return path.join(this.folder, parts.join("_"));
  }

  /** Records files of the run by name (e.g. `{ sta: run.path("sta.h5") }`), stored relative to the project root. */
  attachFiles(files: Record<string, string>): this {
    const relative: Record<string, string> = {};
    for (const [name, file] of Object.entries(files)) {
      relative[name] = path.relative(this.context.root, path.resolve(this.context.projectFolder, file)).split(path.sep).join("/");
    }
    this.context.ledger.writeFiles(this.uid, { attachedAt: new Date().toISOString(), files: relative }, newToken());
    return this;
  }

  /** Attached files, name → absolute path (resolved against the project root, wherever it is now). */
  get files(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, file] of Object.entries(this.context.ledger.readFiles(this.uid))) {
      out[name] = path.resolve(this.context.root, file);
    }
    return out;
  }

  /** Attached files as stored: name → path relative to the project root, with "/" separators. */
  get relativeFiles(): Record<string, string> {
    return this.context.ledger.readFiles(this.uid);
  }

  /** `text/plain` summary for notebooks. */
  toString(): string {
    return `Run ${this.identifier} ${this.uid} (${this.status})`;
  }
}

function describeError(err: unknown): NonNullable<AttemptOutcome["error"]> {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message,
      ...(typeof code === "string" ? { code } : {}),
      ...(err.stack ? { stack: err.stack.split("\n").slice(0, 20).join("\n") } : {}),
    };
  }
  return { name: "Error", message: String(err) };
}
