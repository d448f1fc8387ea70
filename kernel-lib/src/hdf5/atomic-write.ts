/**
 * Crash-safe file replacement (reference §9 #1): write a temporary file in the target's directory, flush it to
 * disk, rename it over the target, flush the directory. A crash at any moment leaves the old file or the new one.
 * Temporary files of earlier writers that died (their process is gone) are removed on the next write.
 */
import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";

const TEMP_MARKER = ".hdmea-tmp-";

/** The temporary-file name prefix used for `target` (hidden, in the same directory, so rename is atomic). */
function tempPrefix(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TEMP_MARKER}`);
}

/**
 * Runs `write(tempPath)` and atomically puts its result at `target`. On failure the temporary file is removed and
 * the error is rethrown; `target` is untouched.
 */
export async function writeFileAtomically(target: string, write: (tempPath: string) => void | Promise<void>): Promise<void> {
  const absolute = path.resolve(target);
  removeStaleTempFiles(absolute);
  const tempPath = `${tempPrefix(absolute)}${process.pid}-${randomBytes(4).toString("hex")}`;
  let previous: number | undefined;
  try {
    await write(tempPath);
    syncFile(tempPath);
    previous = openIfExists(absolute);
    fs.renameSync(tempPath, absolute);
  } catch (error) {
    fs.rmSync(tempPath, { force: true });
    if (previous !== undefined) fs.closeSync(previous);
    throw error;
  }
  syncDirectory(path.dirname(absolute));
  // The version just replaced is still open here: the rename only unlinked it, and freeing its cached pages and
  // its blocks (60–90 ms for 256 MB here, inside the rename otherwise) happens at this close, in the thread pool,
  // after the save has returned.
  if (previous !== undefined) fs.close(previous, () => undefined);
}

/** A read-only descriptor of `file`, or undefined when there is none to open (no such file yet, or unreadable). */
function openIfExists(file: string): number | undefined {
  try {
    return fs.openSync(file, "r");
  } catch {
    return undefined;
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself has already happened.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Temporary files left for `target` by writers whose process no longer exists. */
export function staleTempFiles(target: string): string[] {
  const absolute = path.resolve(target);
  const prefix = path.basename(tempPrefix(absolute));
  const dir = path.dirname(absolute);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix))
    .filter((name) => !isAlive(Number.parseInt(name.slice(prefix.length), 10)))
    .map((name) => path.join(dir, name));
}

function removeStaleTempFiles(target: string): void {
  for (const file of staleTempFiles(target)) fs.rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Every temporary file for `target`, alive writers included (tests use it to check nothing is left behind). */
export function tempFilesFor(target: string): string[] {
  const absolute = path.resolve(target);
  const prefix = path.basename(tempPrefix(absolute));
  const dir = path.dirname(absolute);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.startsWith(prefix)).map((n) => path.join(dir, n)) : [];
}
