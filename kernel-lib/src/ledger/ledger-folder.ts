/**
 * One project folder's part of the ledger (layout in `records.ts`): uid allocation, run records, claims,
 * outcomes, attachments and the params index. Plain synchronous file operations on small files; nothing here
 * knows about Run handles.
 */
import * as fs from "fs";
import * as path from "path";
import { createJsonExclusive, createMarker, HOST, linkExclusive, listNames, readJson, withSyncedTemp, writeJsonAtomic } from "./atomic-files";
import { LedgerCorruptError } from "./errors";
import { messages } from "./messages";
import type { AttemptClaim, AttemptOutcome, FilesRecord, RunRecord } from "./records";
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
  private readonly primaryCache = new Map<string, RunRecord>();

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
    // Listing the folder is what costs when many processes allocate in it, so list only on the first allocation
    // and after a collision (then jump past everything taken meanwhile instead of probing one by one).
    let candidate = this.nextUidHint > 0 ? this.nextUidHint : this.highestUid(uidsDir) + 1;
    for (let tries = 0; tries < MAX_UID_TRIES; tries += 1) {
      if (createMarker(path.join(uidsDir, String(candidate)))) {
        this.nextUidHint = candidate + 1;
        return candidate;
      }
      candidate = Math.max(candidate + 1, this.highestUid(uidsDir) + 1);
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

  /**
   * Writes a new run's record. With `primaryOf`, first makes it the run resume returns for those params — unless
   * another run already is: then nothing is written and the other run's record is returned. The record is
   * written and synced once, then hard-linked as `primary.json` (exclusive) and as `runs/<uid>/run.json`.
   */
  createRun(record: RunRecord, primaryOf?: { identifier: string; hash: string }): RunRecord {
    const runDir = this.runDir(record.uid);
    fs.mkdirSync(runDir, { recursive: true });
    return withSyncedTemp(path.join(runDir, "run.json"), record, (temp) => {
      if (primaryOf) {
        const dir = this.paramsDir(primaryOf.identifier, primaryOf.hash);
        fs.mkdirSync(dir, { recursive: true });
        if (!linkExclusive(temp, path.join(dir, "primary.json"))) {
          const winner = this.readPrimary(primaryOf.identifier, primaryOf.hash);
          if (!winner) throw new LedgerCorruptError(dir, messages.corruptRecord(path.join(dir, "primary.json"), "vanished"));
          return winner;
        }
      }
      linkExclusive(temp, path.join(runDir, "run.json"));
      this.recordCache.set(record.uid, record);
      return record;
    });
  }

  /**
   * Makes sure `runs/<uid>/run.json` exists for a run known from its primary record (its creator may have died
   * between the two links).
   */
  ensureRecord(record: RunRecord): void {
    const file = path.join(this.runDir(record.uid), "run.json");
    if (this.recordCache.has(record.uid) || fs.existsSync(file)) return;
    fs.mkdirSync(this.runDir(record.uid), { recursive: true });
    writeJsonAtomic(file, record);
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

  /** The record of the run resume returns for these params (cached once seen: it is never rewritten). */
  readPrimary(identifier: string, hash: string): RunRecord | undefined {
    const file = path.join(this.paramsDir(identifier, hash), "primary.json");
    const cached = this.primaryCache.get(file);
    if (cached !== undefined) return cached;
    const record = readJson<RunRecord>(file);
    if (record !== undefined) this.primaryCache.set(file, record);
    return record;
  }

  /** Makes an existing run the one resume returns for these params if none is yet ("new" runs). */
  offerPrimary(identifier: string, hash: string, record: RunRecord): void {
    const dir = this.paramsDir(identifier, hash);
    fs.mkdirSync(dir, { recursive: true });
    linkExclusive(path.join(this.runDir(record.uid), "run.json"), path.join(dir, "primary.json"));
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

  /** One run record per params hash used with this identifier (for near-miss reports). */
  paramsRecords(identifier: string): RunRecord[] {
    const dir = path.join(this.dir, "params", encodeName(identifier));
    const out: RunRecord[] = [];
    for (const hash of listNames(dir)) {
      let record = this.readPrimary(identifier, hash);
      if (record === undefined) {
        const member = this.paramsMembers(identifier, hash)[0];
        record = member === undefined ? undefined : this.readRecord(member);
      }
      if (record !== undefined) out.push(record);
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
    const fd = fs.openSync(path.join(clockDir, `${HOST}-${process.pid}`), "w");
    try {
      fs.writeSync(fd, String(Date.now()));
      // The server stamps the write; fstat after it returns the server's mtime.
      return fs.fstatSync(fd).mtimeMs;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * mtime of a file, read through an open descriptor: opening revalidates a network file system's cached attributes
 * (NFS close-to-open), where a bare stat() may return attributes up to a minute old and make a live heartbeat
 * look stale.
 */
function statMtimeMs(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    return fs.fstatSync(fd).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
