/**
 * One project folder's part of the ledger (layout in `records.ts`): uid allocation, run records, claims,
 * outcomes, attachments and the params index. Plain synchronous file operations on small files; nothing here
 * knows about Run handles.
 */
import * as fs from "fs";
import * as path from "path";
import { createJsonExclusive, createMarker, HOST, listNames, readJson, writeJsonAtomic } from "./atomic-files";
import { LedgerCorruptError } from "./errors";
import { messages } from "./messages";
import type { AttemptClaim, AttemptOutcome, FilesRecord, PrimaryRecord, RunRecord } from "./records";
import { parseUid } from "./uid";

/** Folder (under the project root) holding every ledger record. */
export const LEDGER_DIR = ".hdmea-ledger";
const LAYOUT_VERSION = "v1";
const MAX_UID_TRIES = 100_000;

/** Everything known about one attempt of a run, read from its files. */
export interface AttemptFiles {
  attempt: number;
  claim?: AttemptClaim;
  outcome?: AttemptOutcome;
  /** mtime of the claim file (ms since epoch, on the file system's clock). */
  claimMs?: number;
  /** mtime of the heartbeat file, if there is one yet. */
  beatMs?: number;
}

function encodeName(name: string): string {
  // Keeps the name readable while making it one safe path segment on any file system.
  return encodeURIComponent(name).replace(/\./g, "%2E").replace(/\*/g, "%2A");
}

function attemptName(attempt: number): string {
  return `attempt-${String(attempt).padStart(4, "0")}`;
}

export class LedgerFolder {
  readonly dir: string;
  private nextUidHint = 0;
  private readonly recordCache = new Map<string, RunRecord>();
  private readonly primaryCache = new Map<string, string>();

  constructor(root: string, relpath: string) {
    this.dir = path.join(root, LEDGER_DIR, LAYOUT_VERSION, encodeName(relpath === "" ? "." : relpath));
  }

  private runDir(uid: string): string {
    return path.join(this.dir, "runs", uid);
  }

  private paramsDir(identifier: string, hash: string): string {
    return path.join(this.dir, "params", encodeName(identifier), hash);
  }

  /**
   * Takes the next unused uid number for good: one exclusive create of `uids/<n>`. Numbers are never handed out
   * twice, even after the run is deleted, because the marker stays.
   */
  allocateUid(): number {
    const uidsDir = path.join(this.dir, "uids");
    fs.mkdirSync(uidsDir, { recursive: true });
    let candidate = Math.max(this.nextUidHint, this.highestUid(uidsDir) + 1);
    for (let tries = 0; tries < MAX_UID_TRIES; tries += 1) {
      if (createMarker(path.join(uidsDir, String(candidate)))) {
        this.nextUidHint = candidate + 1;
        return candidate;
      }
      candidate += 1;
      // Many processes allocate together: jump past everything taken meanwhile instead of probing one by one.
      if (tries % 16 === 15) candidate = Math.max(candidate, this.highestUid(uidsDir) + 1);
    }
    throw new LedgerCorruptError(uidsDir, messages.uidsExhausted(uidsDir));
  }

  private highestUid(uidsDir: string): number {
    let highest = -1;
    for (const name of listNames(uidsDir)) {
      const value = parseUid(name);
      if (value !== undefined && value > highest) highest = value;
    }
    return highest;
  }

  writeRecord(record: RunRecord): void {
    fs.mkdirSync(this.runDir(record.uid), { recursive: true });
    writeJsonAtomic(path.join(this.runDir(record.uid), "run.json"), record);
    this.recordCache.set(record.uid, record);
  }

  /** The run record of `uid` (cached: it is written once and never changes), or undefined. */
  readRecord(uid: string): RunRecord | undefined {
    const cached = this.recordCache.get(uid);
    if (cached) return cached;
    const record = readJson<RunRecord>(path.join(this.runDir(uid), "run.json"));
    if (record) this.recordCache.set(uid, record);
    return record;
  }

  /** Every uid with a run record that was not discarded, in uid-number order. */
  listRunUids(): string[] {
    const runsDir = path.join(this.dir, "runs");
    return listNames(runsDir)
      .filter((uid) => parseUid(uid) !== undefined)
      .filter((uid) => !fs.existsSync(path.join(runsDir, uid, "discarded")) && fs.existsSync(path.join(runsDir, uid, "run.json")))
      .sort((a, b) => (parseUid(a) ?? 0) - (parseUid(b) ?? 0));
  }

  /** Marks a uid whose creation race was lost: it stays taken but holds no run. */
  discard(uid: string): void {
    fs.mkdirSync(this.runDir(uid), { recursive: true });
    createMarker(path.join(this.runDir(uid), "discarded"));
  }

  /** The run resume returns for these params (cached once seen: the primary record is never rewritten). */
  readPrimary(identifier: string, hash: string): string | undefined {
    const file = path.join(this.paramsDir(identifier, hash), "primary.json");
    const cached = this.primaryCache.get(file);
    if (cached !== undefined) return cached;
    const uid = readJson<PrimaryRecord>(file)?.uid;
    if (uid !== undefined) this.primaryCache.set(file, uid);
    return uid;
  }

  /** Makes `uid` the run resume returns for these params, unless another run already is; returns the winner. */
  claimPrimary(identifier: string, hash: string, uid: string): string {
    const dir = this.paramsDir(identifier, hash);
    fs.mkdirSync(dir, { recursive: true });
    if (createJsonExclusive(path.join(dir, "primary.json"), { uid } satisfies PrimaryRecord)) return uid;
    const winner = this.readPrimary(identifier, hash);
    if (winner === undefined) throw new LedgerCorruptError(dir, messages.corruptRecord(path.join(dir, "primary.json"), "vanished"));
    return winner;
  }

  addParamsMember(identifier: string, hash: string, uid: string): void {
    const dir = this.paramsDir(identifier, hash);
    fs.mkdirSync(dir, { recursive: true });
    createMarker(path.join(dir, uid));
  }

  /** Every uid recorded with these params (any status), in uid-number order. */
  paramsMembers(identifier: string, hash: string): string[] {
    return listNames(this.paramsDir(identifier, hash))
      .filter((name) => parseUid(name) !== undefined)
      .sort((a, b) => (parseUid(a) ?? 0) - (parseUid(b) ?? 0));
  }

  /** Every params hash used with this identifier, each with one run that has it (for near-miss reports). */
  paramsHashes(identifier: string): { hash: string; uid: string }[] {
    const dir = path.join(this.dir, "params", encodeName(identifier));
    const out: { hash: string; uid: string }[] = [];
    for (const hash of listNames(dir)) {
      const uid = this.readPrimary(identifier, hash) ?? this.paramsMembers(identifier, hash)[0];
      if (uid !== undefined) out.push({ hash, uid });
    }
    return out;
  }

  /** The attempts of a run, from its folder listing, in attempt order. */
  readAttempts(uid: string): AttemptFiles[] {
    const dir = this.runDir(uid);
    const byNumber = new Map<number, AttemptFiles>();
    const entry = (attempt: number): AttemptFiles => {
      let found = byNumber.get(attempt);
      if (!found) byNumber.set(attempt, (found = { attempt }));
      return found;
    };
    for (const name of listNames(dir)) {
      const match = /^attempt-(\d+)\.(json|beat|done\.json|error\.json)$/.exec(name);
      if (!match) continue;
      const attempt = Number(match[1]);
      const file = path.join(dir, name);
      if (match[2] === "json") {
        const claim = readJson<AttemptClaim>(file);
        if (claim) Object.assign(entry(attempt), { claim, claimMs: statMtimeMs(file) });
      } else if (match[2] === "beat") {
        const beatMs = statMtimeMs(file);
        if (beatMs !== undefined) entry(attempt).beatMs = beatMs;
      } else {
        const outcome = readJson<AttemptOutcome>(file);
        if (outcome) entry(attempt).outcome = outcome;
      }
    }
    return [...byNumber.values()].filter((a) => a.claim !== undefined).sort((a, b) => a.attempt - b.attempt);
  }

  /** Claims attempt `claim.attempt` of a run: false if another process claimed that attempt first. */
  claimAttempt(uid: string, claim: AttemptClaim): boolean {
    return createJsonExclusive(path.join(this.runDir(uid), `${attemptName(claim.attempt)}.json`), claim);
  }

  beatPath(uid: string, attempt: number): string {
    return path.join(this.runDir(uid), `${attemptName(attempt)}.beat`);
  }

  writeOutcome(uid: string, outcome: AttemptOutcome): void {
    writeJsonAtomic(path.join(this.runDir(uid), `${attemptName(outcome.attempt)}.${outcome.status}.json`), outcome);
  }

  writeFiles(uid: string, record: FilesRecord, token: string): void {
    const stamp = String(Date.now()).padStart(15, "0");
    createJsonExclusive(path.join(this.runDir(uid), `files-${stamp}-${token}.json`), record);
  }

  /** Attached files of a run, later attachments winning, as stored (relative to the project root). */
  readFiles(uid: string): Record<string, string> {
    const dir = this.runDir(uid);
    const merged: Record<string, string> = {};
    for (const name of listNames(dir).filter((n) => n.startsWith("files-") && n.endsWith(".json")).sort()) {
      Object.assign(merged, readJson<FilesRecord>(path.join(dir, name))?.files ?? {});
    }
    return merged;
  }

  /**
   * "Now" on the file system's clock: the mtime of a probe file this process rewrites. Heartbeat ages are
   * compared with it, so machines whose clocks disagree still agree on which heartbeats are stale.
   */
  fileSystemNowMs(): number {
    const clockDir = path.join(this.dir, "clock");
    fs.mkdirSync(clockDir, { recursive: true });
    const probe = path.join(clockDir, `${HOST}-${process.pid}`);
    fs.writeFileSync(probe, String(Date.now()));
    return fs.statSync(probe).mtimeMs;
  }
}

function statMtimeMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
