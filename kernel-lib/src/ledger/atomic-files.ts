/**
 * The three file operations the ledger is built from, each safe on a network file system shared by many machines
 * without any lock: an atomic replace (temp + fsync + rename), an exclusive create whose content is complete the
 * moment the name appears (temp + fsync + link — link() is atomic and exclusive on NFS, unlike append or
 * read-modify-write), and a read that tells "absent" from "corrupt".
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { randomBytes } from "crypto";
import { LedgerCorruptError } from "./errors";
import { messages } from "./messages";

/** Host and process that write a record; pids alone mean nothing across machines. */
export const HOST = os.hostname();

function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${HOST}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

function writeSynced(file: string, text: string, flag: string): void {
  const fd = fs.openSync(file, flag);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `value` as JSON at `target` atomically: readers see the old record or the new one, never part of one. */
export function writeJsonAtomic(target: string, value: unknown): void {
  const temp = tempName(target);
  try {
    writeSynced(temp, JSON.stringify(value), "w");
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Creates `target` holding `value` as JSON only if no file of that name exists; returns false if one does. The
 * content is complete when the name appears, so a reader never sees an empty claim.
 */
export function createJsonExclusive(target: string, value: unknown): boolean {
  const temp = tempName(target);
  try {
    writeSynced(temp, JSON.stringify(value), "w");
    fs.linkSync(temp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Creates an empty marker file exclusively (O_EXCL, atomic on NFS v3+); false if it exists. */
export function createMarker(target: string): boolean {
  try {
    fs.closeSync(fs.openSync(target, "wx"));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Reads a JSON record; undefined when absent, `LedgerCorruptError` when present but unreadable as JSON. */
export function readJson<T>(file: string): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new LedgerCorruptError(file, messages.corruptRecord(file, (error as Error).message), { cause: error });
  }
}

/** Names in a directory, [] when it does not exist; temp files of writers in progress are left out. */
export function listNames(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((name) => !name.startsWith("."));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** A random token naming one claim, so a process can tell its own claim from another's with the same pid. */
export function newToken(): string {
  return randomBytes(8).toString("hex");
}
