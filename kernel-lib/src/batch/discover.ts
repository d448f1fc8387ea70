/**
 * Finds the recordings a batch file names: `.cmcr`/`.cmtr` pairs under `recordings.root` matched by `pattern`
 * (paired by file name in the same folder: `X.cmcr` with `X.cmtr` or the lab's `X-.cmtr`), or the rows of a CSV
 * list with `cmcr_path` and `cmtr_path` columns (and optionally `recording_id`). Sorted by recording id, so the
 * same files always give the same order.
 */
import * as fs from "fs";
import * as path from "path";
import { DataLoadError } from "../errors";
import { parseCsv } from "../io/stimulus-configs";
import type { BatchConfig } from "./config";
import { batchMessages as messages } from "./messages";

/** A recording found on disk, before stimulus paths are resolved. */
export interface FoundRecording {
  readonly recordingId: string;
  readonly cmcrPath: string;
  readonly cmtrPath: string;
}

const RAW = ".cmcr";
const SORTED = ".cmtr";

/** The recordings `config` names; throws `BatchConfigError` naming the key when there are none or they do not pair. */
export function discoverRecordings(config: BatchConfig): FoundRecording[] {
  const found = config.recordings.kind === "folder" ? fromFolder(config) : fromList(config);
  const byId = new Map<string, FoundRecording>();
  for (const recording of found) {
    const other = byId.get(recording.recordingId);
    if (other !== undefined) {
      const key = config.recordings.kind === "folder" ? ["recordings", "pattern"] : ["recordings", "list"];
      throw config.errorAt(key, messages.duplicateRecordingId(config.filePath, recording.recordingId, other.cmcrPath, recording.cmcrPath));
    }
    byId.set(recording.recordingId, recording);
  }
  return [...byId.values()].sort((a, b) => (a.recordingId < b.recordingId ? -1 : a.recordingId > b.recordingId ? 1 : 0));
}

function fromFolder(config: BatchConfig): FoundRecording[] {
  if (config.recordings.kind !== "folder") return [];
  const { root, pattern } = config.recordings;
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw config.errorAt(["recordings", "root"], messages.rootMissing(config.filePath, root));
  }
  const matcher = globToRegExp(pattern);
  const matched = listFiles(root, config.outputDir)
    .filter((relative) => matcher.test(relative))
    .filter((relative) => [RAW, SORTED].includes(path.extname(relative).toLowerCase()));
  if (matched.length === 0) throw config.errorAt(["recordings", "pattern"], messages.noRecordings(config.filePath, root, pattern));

  const pairs = new Map<string, { cmcr?: string; cmtr?: string }>();
  for (const relative of matched) {
    const key = path.join(path.dirname(relative), pairStem(relative));
    const pair = pairs.get(key) ?? {};
    if (path.extname(relative).toLowerCase() === RAW) pair.cmcr = relative;
    else pair.cmtr = relative;
    pairs.set(key, pair);
  }
  const unmatched = [...pairs.values()].filter((pair) => pair.cmcr === undefined || pair.cmtr === undefined);
  if (unmatched.length > 0) {
    const names = unmatched.map((pair) => (pair.cmcr ?? pair.cmtr) as string);
    throw config.errorAt(["recordings", "pattern"], messages.unmatchedPairs(config.filePath, root, names));
  }
  return [...pairs.values()].map((pair) => ({
    recordingId: path.basename(pair.cmcr as string, path.extname(pair.cmcr as string)),
    cmcrPath: path.join(root, pair.cmcr as string),
    cmtrPath: path.join(root, pair.cmtr as string),
  }));
}

function fromList(config: BatchConfig): FoundRecording[] {
  if (config.recordings.kind !== "list") return [];
  const listPath = config.recordings.listPath;
  if (!fs.existsSync(listPath)) throw config.errorAt(["recordings", "list"], messages.listMissing(config.filePath, listPath));
  let records: { line: number; fields: string[] }[];
  try {
    records = parseCsv(fs.readFileSync(listPath, "utf8").replace(/^\uFEFF/, ""), listPath);
  } catch (error) {
    if (error instanceof DataLoadError) throw config.errorAt(["recordings", "list"], error.message);
    throw error;
  }
  const header = (records[0]?.fields ?? []).map((name) => name.trim());
  const cmcrColumn = header.indexOf("cmcr_path");
  const cmtrColumn = header.indexOf("cmtr_path");
  const idColumn = header.indexOf("recording_id");
  if (cmcrColumn < 0 || cmtrColumn < 0) throw config.errorAt(["recordings", "list"], messages.listColumns(config.filePath, listPath, header));
  const base = path.dirname(listPath);
  const rows = records.slice(1).filter((record) => !(record.fields.length === 1 && record.fields[0].trim() === ""));
  if (rows.length === 0) throw config.errorAt(["recordings", "list"], messages.listEmpty(config.filePath, listPath));
  return rows.map((record) => {
    const cmcr = (record.fields[cmcrColumn] ?? "").trim();
    const cmtr = (record.fields[cmtrColumn] ?? "").trim();
    if (cmcr === "" || cmtr === "") throw config.errorAt(["recordings", "list"], messages.listRowIncomplete(config.filePath, listPath, record.line));
    const cmcrPath = path.resolve(base, cmcr);
    const cmtrPath = path.resolve(base, cmtr);
    for (const file of [cmcrPath, cmtrPath]) {
      if (!fs.existsSync(file)) throw config.errorAt(["recordings", "list"], messages.listFileMissing(config.filePath, listPath, record.line, file));
    }
    const id = idColumn >= 0 ? (record.fields[idColumn] ?? "").trim() : "";
    return { recordingId: id !== "" ? id : path.basename(cmcrPath, path.extname(cmcrPath)), cmcrPath, cmtrPath };
  });
}

/** The name two files of one recording share: the lab's sorter files end in `-` (`X.cmcr`, `X-.cmtr`). */
function pairStem(relative: string): string {
  return path.basename(relative, path.extname(relative)).replace(/-+$/, "").toLowerCase();
}

/** Every file below `root` as a POSIX path relative to it, skipping hidden folders and the batch's own output. */
function listFiles(root: string, skipDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (path.resolve(full) !== path.resolve(skipDir)) walk(full, relative);
      } else if (entry.isFile()) {
        out.push(relative);
      }
    }
  };
  walk(root, "");
  return out.sort();
}

/** A glob over POSIX relative paths: `*` and `?` stay within a folder, `**` crosses folders, `[…]` is a class. */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (ch === "*") {
      source += "[^/]*";
    } else if (ch === "?") {
      source += "[^/]";
    } else if (ch === "[") {
      const close = pattern.indexOf("]", i + 1);
      if (close < 0) source += "\\[";
      else {
        source += `[${pattern.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = close;
      }
    } else {
      source += ch.replace(/[.+^${}()|\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`, "i");
}
