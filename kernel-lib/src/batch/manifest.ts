/**
 * The manifest: the list of recordings frozen when a batch is first run or submitted, mapping array index →
 * recording. Array tasks read it and never look at the folder again, so a file added (or removed) later shifts no
 * index; running or submitting again appends newly found recordings at the end and keeps every existing index.
 */
import * as fs from "fs";
import * as path from "path";
import { BatchError } from "../errors";
import { writeFileAtomically } from "../hdf5/atomic-write";
import { nowIso } from "../session/time";
import type { BatchConfig } from "./config";
import { discoverRecordings, type FoundRecording } from "./discover";
import { batchMessages as messages } from "./messages";

/** One recording of the manifest. */
export interface ManifestEntry extends FoundRecording {
  /** Its array index (0-based, stable). */
  readonly index: number;
}

/** The frozen recording list of a batch (`<output>/manifest.json`). */
export interface BatchManifest {
  readonly schema: 1;
  readonly batchName: string;
  readonly configPath: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly recordings: readonly ManifestEntry[];
}

/** Where the manifest of `config` lives. */
export function manifestPath(config: BatchConfig): string {
  return path.join(config.outputDir, "manifest.json");
}

/** The saved manifest, or null when the batch has not been frozen yet. */
export function readManifest(config: BatchConfig): BatchManifest | null {
  const file = manifestPath(config);
  if (!fs.existsSync(file)) return null;
  try {
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as BatchManifest;
    if (manifest.schema !== 1 || !Array.isArray(manifest.recordings)) throw new Error("not a version-1 batch manifest");
    return manifest;
  } catch (error) {
    throw new BatchError(messages.manifestUnreadable(file, error instanceof Error ? error.message : String(error)), { cause: error });
  }
}

/** The saved manifest; throws `BatchError` saying to run or submit first when there is none. */
export function requireManifest(config: BatchConfig): BatchManifest {
  const manifest = readManifest(config);
  if (manifest === null) throw new BatchError(messages.noManifest(manifestPath(config), config.filePath));
  return manifest;
}

/**
 * Discovers the recordings and saves the manifest: the existing entries keep their indices, new recordings are
 * appended in sorted order. Written atomically.
 */
export async function freezeManifest(config: BatchConfig): Promise<BatchManifest> {
  const found = discoverRecordings(config);
  const ids = new Set(found.map((recording) => recording.recordingId));
  config.overrides.forEach((override, index) => {
    if (!ids.has(override.recordingId)) throw config.errorAt(["override", index, "recording"], messages.overrideUnknownRecording(config.filePath, index, override.recordingId));
  });
  const existing = readManifest(config);
  const entries: ManifestEntry[] = existing === null ? [] : [...existing.recordings];
  const known = new Set(entries.map((entry) => entry.recordingId));
  for (const recording of found) {
    if (!known.has(recording.recordingId)) entries.push({ index: entries.length, ...recording });
  }
  if (existing !== null && entries.length === existing.recordings.length) return existing;
  const now = nowIso();
  const manifest: BatchManifest = {
    schema: 1,
    batchName: config.name,
    configPath: config.filePath,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    recordings: entries,
  };
  fs.mkdirSync(config.outputDir, { recursive: true });
  await writeFileAtomically(manifestPath(config), (temp) => fs.writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`));
  return manifest;
}

/** The entry at array index `index`; throws `BatchError` naming the range when it is out of it. */
export function manifestEntry(manifest: BatchManifest, index: number, source: string): ManifestEntry {
  if (!Number.isInteger(index) || index < 0 || index >= manifest.recordings.length) {
    throw new BatchError(messages.indexOutOfRange(index, source, manifest.recordings.length));
  }
  return manifest.recordings[index];
}
