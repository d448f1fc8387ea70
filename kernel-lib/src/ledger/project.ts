/**
 * `Project`: a root folder plus a relative folder inside it, whose runs are recorded in the root's ledger
 * (`<root>/.hdmea-ledger`). Projects on the same root — in one process or in many, on one machine or several
 * sharing the folder over a network file system — see the same runs.
 */
import * as fs from "fs";
import * as path from "path";
import { HOST } from "./atomic-files";
import { canonicalJson, canonicalParams, differingKeys, type RunParams } from "./canonical-params";
import { createHash } from "crypto";
import { ConfigurationError } from "../errors";
import { LedgerCorruptError, ParamsMismatchError } from "./errors";
import { LedgerFolder } from "./ledger-folder";
import { messages } from "./messages";
import { LEDGER_SCHEMA, type ExistingRunPolicy, type RunRecord, type StorageMode } from "./records";
import { Run, type ResumeInfo, type RunContext } from "./run";
import { deriveRunState } from "./run-state";
import { DEFAULT_UID_WIDTH, formatUid } from "./uid";

/** Default heartbeat time-to-live: a running run whose heartbeat is older than this may be reclaimed. */
export const DEFAULT_HEARTBEAT_TTL_MS = 60_000;

/** Options of `new Project(root, options)`. */
export interface ProjectOptions {
  /** Folder of this project inside the root (POSIX or native separators). Default "" (the root itself). */
  relpath?: string;
  /** Default storage mode of new runs. Default "subfolder". */
  storageMode?: StorageMode;
  /** Default for `run()`: "resume" returns an existing run with the same parameters, "new" always makes one. */
  existing?: ExistingRunPolicy;
  /**
   * How long a running run's heartbeat may be silent before another process may reclaim it. Default 60 000 ms;
   * the heartbeat is written every quarter of it. Use seconds-scale values only in tests.
   */
  heartbeatTtlMs?: number;
  /** Digits of a uid ("0000" for 4). More digits are used when needed, never fewer. Default 4. */
  uidWidth?: number;
}

/** Options of {@link Project.run}. */
export interface RunOptions {
  /** The run's full parameters; stored in the ledger, and matched in canonical form on resume. Default {}. */
  params?: RunParams;
  /** Overrides the project's `existing` for this call. */
  existing?: ExistingRunPolicy;
  /** Overrides the project's `storageMode` for a new run (an existing run keeps its own). */
  storageMode?: StorageMode;
  /**
   * When resuming finds no run with exactly these parameters but runs of the identifier with others exist:
   * "new" (default) creates a run and reports the nearest one in `run.resume.nearMiss`; "error" throws
   * `ParamsMismatchError` naming the differing keys.
   */
  onNearMiss?: "new" | "error";
}

const STORAGE_MODES: readonly string[] = ["subfolder", "prefix"];
const EXISTING: readonly string[] = ["resume", "new"];

function checkIdentifier(identifier: string): void {
  if (typeof identifier !== "string" || identifier === "" || identifier === "." || identifier === ".." || /[/\\\0]/.test(identifier)) {
    throw new ConfigurationError(messages.badIdentifier(String(identifier)));
  }
}

function normaliseRelpath(relpath: string): string {
  const posix = relpath.split(path.sep).join("/");
  const normal = path.posix.normalize(posix === "" ? "." : posix);
  if (path.posix.isAbsolute(normal) || normal === ".." || normal.startsWith("../")) {
    throw new ConfigurationError(messages.badRelpath(relpath));
  }
  return normal === "." ? "" : normal.replace(/\/$/, "");
}

function checkChoice(name: string, value: string, allowed: readonly string[]): void {
  if (!allowed.includes(value)) throw new ConfigurationError(messages.badOption(name, value, allowed.map((a) => `"${a}"`).join(" or ")));
}

/** A folder of runs inside a root that holds the ledger. */
export class Project {
  /** Absolute root folder; the ledger lives in `<root>/.hdmea-ledger`. */
  readonly root: string;
  /** This project's folder relative to the root, POSIX separators ("" for the root). */
  readonly relpath: string;
  readonly storageMode: StorageMode;
  readonly existing: ExistingRunPolicy;
  readonly heartbeatTtlMs: number;
  readonly uidWidth: number;
  private readonly ledger: LedgerFolder;

  constructor(root: string, options: ProjectOptions = {}) {
    this.root = path.resolve(root);
    this.relpath = normaliseRelpath(options.relpath ?? "");
    this.storageMode = options.storageMode ?? "subfolder";
    this.existing = options.existing ?? "resume";
    this.heartbeatTtlMs = options.heartbeatTtlMs ?? DEFAULT_HEARTBEAT_TTL_MS;
    this.uidWidth = options.uidWidth ?? DEFAULT_UID_WIDTH;
    checkChoice("storageMode", this.storageMode, STORAGE_MODES);
    checkChoice("existing", this.existing, EXISTING);
    if (!(this.heartbeatTtlMs > 0)) throw new ConfigurationError(messages.badOption("heartbeatTtlMs", options.heartbeatTtlMs, "a positive number of ms"));
    if (!Number.isInteger(this.uidWidth) || this.uidWidth < 1) {
      throw new ConfigurationError(messages.badOption("uidWidth", options.uidWidth, "a positive integer"));
    }
    this.ledger = new LedgerFolder(this.root, this.relpath);
  }

  /** Absolute folder of this project (root + relpath). */
  get folder(): string {
    return path.join(this.root, this.relpath);
  }

  /** Creates the project folder (and parents); returns the project, so it chains. */
  ensureFolder(): this {
    fs.mkdirSync(this.folder, { recursive: true });
    return this;
  }

  /** A project one folder down (`relpath/name`) on the same root and ledger, with the same defaults; creates it. */
  sub(name: string): Project {
    checkIdentifier(name);
    return new Project(this.root, {
      relpath: this.relpath === "" ? name : `${this.relpath}/${name}`,
      storageMode: this.storageMode,
      existing: this.existing,
      heartbeatTtlMs: this.heartbeatTtlMs,
      uidWidth: this.uidWidth,
    }).ensureFolder();
  }

  private context(): RunContext {
    return { root: this.root, projectFolder: this.folder, ledger: this.ledger, heartbeatTtlMs: this.heartbeatTtlMs };
  }

  /**
   * A run of `identifier` with `params`. With existing "resume" (default): the newest done run with the same
   * canonical parameters (`run.resume.outcome` "reused" — skip the work), else the one not-done run with them
   * ("existing" — `tryStart()` it), else a new run ("created"). Of many processes asking at once for the same
   * new parameters, all get the same run. With "new": always a new run.
   */
  run(identifier: string, options: RunOptions = {}): Run {
    checkIdentifier(identifier);
    const existing = options.existing ?? this.existing;
    const storageMode = options.storageMode ?? this.storageMode;
    checkChoice("existing", existing, EXISTING);
    checkChoice("storageMode", storageMode, STORAGE_MODES);
    const params = canonicalParams(options.params);
    const hash = createHash("sha256").update(canonicalJson(params)).digest("hex");
    if (existing === "new") {
      const record = this.createRecord(identifier, params, hash, storageMode);
      this.ledger.addParamsMember(identifier, hash, record.uid);
      this.ledger.claimPrimary(identifier, hash, record.uid);
      return this.handle(record, { outcome: "created" });
    }
    const found = this.findResumable(identifier, hash);
    if (found) return found;
    const nearMiss = this.nearestParams(identifier, params);
    if (nearMiss && options.onNearMiss === "error") {
      throw new ParamsMismatchError(
        identifier,
        nearMiss.uid,
        nearMiss.differingKeys,
        messages.paramsMismatch(identifier, nearMiss.uid, nearMiss.differingKeys),
      );
    }
    const record = this.createRecord(identifier, params, hash, storageMode);
    const winner = this.ledger.claimPrimary(identifier, hash, record.uid);
    if (winner !== record.uid) {
      // Another process created a run with these parameters between our look-up and our claim: use theirs.
      this.ledger.discard(record.uid);
      return this.handle(this.readRecordOrThrow(winner), { outcome: "existing" });
    }
    this.ledger.addParamsMember(identifier, hash, record.uid);
    return this.handle(record, nearMiss ? { outcome: "created", nearMiss } : { outcome: "created" });
  }

  private findResumable(identifier: string, hash: string): Run | undefined {
    const members = this.ledger.paramsMembers(identifier, hash);
    for (const uid of [...members].reverse()) {
      const state = deriveRunState(this.ledger.readAttempts(uid), () => this.ledger.fileSystemNowMs());
      if (state.status === "done") return this.handle(this.readRecordOrThrow(uid), { outcome: "reused" });
    }
    const primary = this.ledger.readPrimary(identifier, hash);
    return primary === undefined ? undefined : this.handle(this.readRecordOrThrow(primary), { outcome: "existing" });
  }

  private nearestParams(identifier: string, params: RunRecord["params"]): ResumeInfo["nearMiss"] {
    let best: ResumeInfo["nearMiss"];
    for (const { uid } of this.ledger.paramsHashes(identifier)) {
      const record = this.ledger.readRecord(uid);
      if (!record) continue;
      const keys = differingKeys(record.params, params);
      if (keys.length > 0 && (!best || keys.length < best.differingKeys.length)) best = { uid, differingKeys: keys };
    }
    return best;
  }

  private createRecord(identifier: string, params: RunRecord["params"], hash: string, storageMode: StorageMode): RunRecord {
    const uidNumber = this.ledger.allocateUid();
    const record: RunRecord = {
      schema: LEDGER_SCHEMA,
      identifier,
      uid: formatUid(uidNumber, this.uidWidth),
      uidNumber,
      relpath: this.relpath,
      storageMode,
      paramsHash: hash,
      params,
      createdAt: new Date().toISOString(),
      host: HOST,
      pid: process.pid,
    };
    this.ledger.writeRecord(record);
    return record;
  }

  private readRecordOrThrow(uid: string): RunRecord {
    const record = this.ledger.readRecord(uid);
    if (!record) {
      const file = path.join(this.ledger.dir, "runs", uid, "run.json");
      throw new LedgerCorruptError(file, messages.corruptRecord(file, "the record is missing"));
    }
    return record;
  }

  private handle(record: RunRecord, resume: ResumeInfo): Run {
    return new Run(this.context(), record, resume);
  }

  /** Every run of `identifier` in this project folder (every run when omitted), in uid order. */
  findRuns(identifier?: string): Run[] {
    const runs: Run[] = [];
    for (const uid of this.ledger.listRunUids()) {
      const record = this.ledger.readRecord(uid);
      if (record && (identifier === undefined || record.identifier === identifier)) runs.push(this.handle(record, { outcome: "listed" }));
    }
    return runs;
  }

  /** `text/plain` summary for notebooks. */
  toString(): string {
    return `Project ${this.folder}`;
  }
}
