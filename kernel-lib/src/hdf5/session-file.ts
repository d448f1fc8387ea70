/**
 * The session file layout (reference §2.1–§2.4 with the §9 decisions, DESIGN §4):
 *
 *   collect (the session gives a snapshot) → encode (codec) → write temp (native writer, h5wasm for what it does
 *   not write) → flush → rename (atomic-write)
 *
 * and back. Reading also accepts the reference's immediate-mode layout (§2.5): shape-(1,) scalars stay 1-element
 * arrays, `stimulus/frame_time` becomes `frame_times`, flat feature groups become `{data, metadata}`, and the
 * root `source_files` JSON attribute fills the source files.
 */
import { DataLoadError, IntegrityError } from "../errors";
import { copyJson, type JsonValue } from "../json";
import { writeFileAtomically } from "./atomic-write";
import { h5ErrorSummary, openHdf5ReadOnly } from "./open-file";
import { loadH5wasm, writeDataset, type H5Dataset, type H5Group } from "./bridge";
import { decodeValue, encodeAttribute, encodeValue, int64ToFloat64, type Encoded } from "./codec";
import { CURRENT_SCHEME, type ChecksumScheme } from "./digest";
import { announcedScheme, checkedTreeSource, DigestRecorder, INTEGRITY_ATTRIBUTE, RECORD_GROUP_PATH, RECORD_NAME, startRecording, stopRecording } from "./integrity";
import { DamagedGlobalHeap } from "./format/global-heap";
import { messages } from "./messages";
import { openNativeTree, type NativeTree } from "./native-tree";
import { NativeFileBuilder, NativeWriteUnsupported, type NativeNode } from "./native-writer";
import { childNode, h5wasmTreeSource, h5wasmTreeWriter, readAttributesInto, readGroup, readMember, writeEntry, writeMap, type TreeNode, type TreeReading, type TreeSource, type TreeWriter } from "./tree";
import { Int64Numbers, isSessionMap, Uint64Numbers, type SessionMap, type SessionValue } from "./values";

/** Everything a session file holds, as plain data. */
export interface SessionSnapshot {
  readonly datasetId: string;
  readonly createdAt: string | null;
  readonly hdmeaVersion: string;
  readonly units: Readonly<Record<string, SessionMap>>;
  readonly metadata: SessionMap;
  readonly stimulus: SessionMap;
  readonly sourceFiles: Readonly<Record<string, string | null>>;
  readonly completedSteps: readonly string[];
  readonly warnings: readonly string[];
  /** `saved_at` of the file: the save time, or the checkpoint time for a checkpoint. */
  readonly savedAt: string | null;
  readonly checkpointName: string | null;
  readonly state: JsonValue;
  readonly context: JsonValue;
  readonly stepRecords: JsonValue;
}

/** What was read from a file besides the snapshot. */
export interface ReadResult {
  readonly snapshot: SessionSnapshot;
  readonly layout: "session" | "immediate";
  /** One sentence per member that could not be read and was left out. */
  readonly skipped: readonly string[];
  /** How the file was read: from its own structures, or through h5wasm (for what the native reader does not read). */
  readonly via: "native" | "h5wasm";
}

const SESSION_INFO = "pipeline/session_info";
const JSON_DATASETS = { state: "state_json", context: "context_json", stepRecords: "step_records_json" } as const;

/**
 * Writes `snapshot` to `target` atomically, with its integrity record (`integrity.ts`): natively
 * (`native-writer.ts`), or through h5wasm for what the native writer does not write (and when `via` asks for it).
 * `checksums` is the current record format's scheme; tests write files as an earlier hdmea did.
 */
export async function writeSessionFile(
  target: string,
  snapshot: SessionSnapshot,
  options: { via?: "h5wasm"; checksums?: ChecksumScheme } = {},
): Promise<void> {
  const scheme = options.checksums ?? CURRENT_SCHEME;
  const native = options.via === "h5wasm" ? undefined : buildNatively(snapshot, scheme);
  if (native !== undefined) {
    const { builder, recorder } = native;
    // The record's checksums are computed while the values are being written.
    const addRecord = () => builder.datasetUnrecorded(builder.groupAt(RECORD_GROUP_PATH), RECORD_NAME, recordEncoded(recorder));
    await writeFileAtomically(target, (tempPath) => builder.writeTo(tempPath, addRecord));
    return;
  }
  const h5 = await loadH5wasm();
  await writeFileAtomically(target, (tempPath) => {
    const file = new h5.File(tempPath, "w", { track_order: true });
    try {
      const recorder = startRecording(file.file_id, scheme);
      try {
        writeSnapshot(h5wasmTreeWriter, file as H5Group | H5Dataset, snapshot, scheme);
      } finally {
        stopRecording(file.file_id);
      }
      const recordGroup = new h5.Group(file.file_id, RECORD_GROUP_PATH);
      writeDataset(recordGroup, RECORD_NAME, recordEncoded(recorder));
      file.flush();
    } finally {
      file.close();
    }
  });
}

/** The snapshot as the native writer's tree and its integrity recorder, or undefined for what it does not write. */
function buildNatively(snapshot: SessionSnapshot, scheme: ChecksumScheme): { builder: NativeFileBuilder; recorder: DigestRecorder } | undefined {
  const recorder = new DigestRecorder(scheme);
  const builder = new NativeFileBuilder(recorder);
  try {
    writeSnapshot(builder, builder.root as NativeNode, snapshot, scheme);
  } catch (error) {
    if (error instanceof NativeWriteUnsupported) return undefined;
    throw error;
  }
  return { builder, recorder };
}

function recordEncoded(recorder: DigestRecorder): Encoded {
  return encodeValue(recorder.toJson(), [...RECORD_GROUP_PATH.split("/").slice(1), RECORD_NAME]);
}

function writeSnapshot<Node>(writer: TreeWriter<Node>, file: Node, snap: SessionSnapshot, scheme: ChecksumScheme): void {
  const attribute = (target: Node, name: string, value: Parameters<typeof encodeAttribute>[0], path: readonly string[]) =>
    writer.attribute(target, name, encodeAttribute(value, path));
  attribute(file, INTEGRITY_ATTRIBUTE, scheme.format, [INTEGRITY_ATTRIBUTE]);
  attribute(file, "dataset_id", snap.datasetId, ["dataset_id"]);
  attribute(file, "created_at", snap.createdAt ?? "", ["created_at"]);
  attribute(file, "hdmea_version", snap.hdmeaVersion, ["hdmea_version"]);

  const unitIds = Object.keys(snap.units);
  if (unitIds.length > 0) {
    const unitsGroup = writer.group(file, "units");
    for (const unitId of unitIds) writeUnit(writer, writer.group(unitsGroup, unitId), snap.units[unitId], ["units", unitId]);
  }
  if (Object.keys(snap.metadata).length > 0) writeMap(writer, writer.group(file, "metadata"), snap.metadata, ["metadata"]);
  if (Object.keys(snap.stimulus).length > 0) writeMap(writer, writer.group(file, "stimulus"), snap.stimulus, ["stimulus"]);

  const sources = Object.entries(snap.sourceFiles).filter((entry): entry is [string, string] => entry[1] !== null);
  if (sources.length > 0) {
    const group = writer.group(file, "source_files");
    for (const [key, value] of sources) attribute(group, key, value, ["source_files", key]);
  }

  const pipeline = writer.group(file, "pipeline");
  attribute(pipeline, "stage1_completed", true, ["pipeline", "stage1_completed"]);
  attribute(pipeline, "stage1_timestamp", snap.savedAt ?? "", ["pipeline", "stage1_timestamp"]);
  const info = writer.group(pipeline, "session_info");
  attribute(info, "saved_at", snap.savedAt ?? "", ["pipeline", "session_info", "saved_at"]);
  if (snap.checkpointName !== null) {
    attribute(info, "checkpoint_name", snap.checkpointName, ["pipeline", "session_info", "checkpoint_name"]);
  }
  const infoPath = ["pipeline", "session_info"];
  if (snap.completedSteps.length > 0) writeEntry(writer, info, "completed_steps", [...snap.completedSteps], infoPath);
  if (snap.warnings.length > 0) writeEntry(writer, info, "warnings", [...snap.warnings], infoPath);
  for (const [field, name] of Object.entries(JSON_DATASETS)) {
    const value = snap[field as keyof typeof JSON_DATASETS];
    writer.dataset(info, name, encodeValue(JSON.stringify(value), [...infoPath, name]));
  }
}

/**
 * A unit group (reference §2.2.2): arrays, booleans and maps are members; numbers, strings and lists of them are
 * attributes of the unit group (`row`, `col`, `original_name`, …). Booleans are datasets tagged `hdmea_type=bool`
 * because an attribute cannot carry the tag.
 */
function writeUnit<Node>(writer: TreeWriter<Node>, group: Node, unit: SessionMap, path: readonly string[]): void {
  for (const [key, value] of Object.entries(unit)) {
    if (isUnitAttribute(value)) {
      writer.attribute(group, key, encodeAttribute(value, [...path, key]));
    } else {
      writeEntry(writer, group, key, value, path, undefined, unit);
    }
  }
}

function isUnitAttribute(value: SessionValue): value is number | string | readonly number[] | readonly string[] {
  if (typeof value === "number" || typeof value === "string") return true;
  return Array.isArray(value) && value.length > 0 && typeof value[0] !== "boolean";
}

/**
 * Reads a session file (`via: "h5wasm"` skips the native reader; for tests). Throws `DataLoadError`s naming the
 * file and the problem for a
 * file that is not HDF5, cannot be opened (truncated, damaged) or is not a session file. The caller checks that
 * the file exists first.
 */
export async function readSessionFile(filePath: string, options: { via?: "h5wasm" } = {}): Promise<ReadResult> {
  const native = options.via === "h5wasm" ? undefined : await readNatively(filePath);
  if (native !== undefined) return native;
  const file = await openHdf5ReadOnly(filePath, messages);
  try {
    return { ...readSnapshot(h5wasmTreeSource(file, filePath), filePath), via: "h5wasm" };
  } catch (error) {
    if (error instanceof DataLoadError) throw error;
    throw new DataLoadError(filePath, messages.cannotRead(filePath, h5ErrorSummary(error)), { cause: error });
  } finally {
    try {
      file.close();
    } catch {
      // The read already failed or succeeded; a damaged file may also refuse to close cleanly.
    }
  }
}


/**
 * The session read from the file's own structures (`native-tree.ts`: a few cached reads per object instead of a
 * dozen path lookups inside WebAssembly HDF5), or undefined — for anything that reader does not read, and for
 * files that are damaged or not sessions — so that the h5wasm path reads it or gives its typed error. The larger
 * arrays are read ahead in the thread pool while their checksums are computed (`NativeTree.prefetch`), so the
 * integrity check makes no second pass over them.
 */
async function readNatively(filePath: string): Promise<ReadResult | undefined> {
  let tree: NativeTree | undefined;
  try {
    tree = openNativeTree(filePath);
    // The large arrays' bytes and their checksums (under the scheme of the record the file announces) first,
    // overlapped; the walk below takes them as it goes.
    await tree.prefetch(announcedScheme(tree.attributes(tree.root)));
    return { ...readSnapshot(tree, filePath), via: "native" };
  } catch (error) {
    // The same bytes read through h5wasm would differ from the record just the same.
    if (error instanceof IntegrityError) throw error;
    // HDF5 can loop forever on a damaged global heap: the file is not handed to h5wasm.
    if (error instanceof DamagedGlobalHeap) throw new DataLoadError(filePath, messages.cannotRead(filePath, error.message), { cause: error });
    return undefined;
  } finally {
    tree?.close();
  }
}

function readSnapshot(unchecked: TreeSource, filePath: string): Omit<ReadResult, "via"> {
  const source = checkedTreeSource(unchecked, filePath);
  const skipped: string[] = [];
  const reading: TreeReading = { source, onSkip: (path, reason) => skipped.push(`${path}: ${reason}`) };
  const root: SessionMap = {};
  readAttributesInto(root, source.root, [], reading);
  const datasetId = root.dataset_id;
  const members = new Map(source.members(source.root).map((m) => [m.name, m]));
  const groupNode = (name: string) => (members.get(name)?.kind === "group" ? (members.get(name)?.node ?? undefined) : undefined);
  const isSession = groupNode("pipeline") !== undefined;
  const isImmediate = root.hdmea_pipeline_version !== undefined;
  if (typeof datasetId !== "string" || datasetId.trim() === "" || (!isSession && !isImmediate)) {
    throw new DataLoadError(filePath, messages.notSession(filePath, typeof datasetId === "string" && datasetId.trim() !== ""));
  }

  const units: Record<string, SessionMap> = {};
  const unitsGroup = groupNode("units");
  if (unitsGroup !== undefined) {
    for (const { name, kind, node } of source.members(unitsGroup)) {
      if (kind !== "group" || node === null) continue;
      units[name] = readUnit(node, ["units", name], reading);
    }
  }
  const metadataGroup = groupNode("metadata");
  const stimulusGroup = groupNode("stimulus");
  const metadata = metadataGroup !== undefined ? readGroup(metadataGroup, ["metadata"], reading) : {};
  const stimulus = stimulusGroup !== undefined ? readGroup(stimulusGroup, ["stimulus"], reading) : {};
  if (stimulus.frame_time !== undefined && stimulus.frame_times === undefined) {
    stimulus.frame_times = remapSampleIndices(stimulus.frame_time);
    delete stimulus.frame_time;
  }

  const pipeline = groupNode("pipeline");
  const info = pipeline !== undefined ? readSessionInfo(pipeline, reading) : undefined;
  const sourceFiles = groupNode("source_files");
  return {
    layout: isSession ? "session" : "immediate",
    skipped,
    snapshot: {
      datasetId: datasetId.trim(),
      createdAt: typeof root.created_at === "string" && root.created_at !== "" ? root.created_at : null,
      hdmeaVersion: String(root.hdmea_version ?? root.hdmea_pipeline_version ?? ""),
      units,
      metadata,
      stimulus,
      sourceFiles: isSession ? readSourceFiles(sourceFiles, reading) : sourceFilesFromJson(root.source_files),
      completedSteps: info?.completedSteps ?? [],
      warnings: info?.warnings ?? [],
      savedAt: info?.savedAt ?? (typeof root.updated_at === "string" ? root.updated_at : null),
      checkpointName: info?.checkpointName ?? null,
      state: info?.state ?? {},
      context: info?.context ?? {},
      stepRecords: info?.stepRecords ?? [],
    },
  };
}

/** A unit group: attributes are entries; immediate-mode flat feature groups become `{data, metadata}`. */
function readUnit(group: TreeNode, path: readonly string[], reading: TreeReading): SessionMap {
  const unit = readGroup(group, path, reading);
  const features = unit.features;
  const featuresGroup = isSessionMap(features) ? childNode(reading, group, "features") : undefined;
  if (isSessionMap(features) && featuresGroup !== undefined) {
    for (const [name, entry] of Object.entries(features)) {
      if (!isSessionMap(entry)) continue;
      // The session writer gives a feature group exactly the members `data` and `metadata` and no attributes
      // (which readGroup would have turned into further entries); the immediate writer puts arrays as members and
      // scalars as attributes, so only then is the group read again to tell the two apart.
      const keys = Object.keys(entry);
      const isSessionLayout = keys.length > 0 && keys.every((key) => key === "data" || key === "metadata");
      const featureGroup = isSessionLayout ? undefined : childNode(reading, featuresGroup, name);
      if (featureGroup !== undefined) features[name] = immediateFeature(featureGroup, [...path, "features", name], reading);
    }
  }
  return unit;
}

/** Immediate layout: datasets (and nested groups) are the data, attributes are the metadata. */
function immediateFeature(group: TreeNode, path: readonly string[], reading: TreeReading): SessionMap {
  const metadata: SessionMap = {};
  readAttributesInto(metadata, group, path, reading);
  const data: SessionMap = {};
  for (const { name, kind, node } of reading.source.members(group)) {
    const value = readMember(node, kind, [...path, name], reading);
    if (value !== undefined) data[name] = value;
  }
  const names = Object.keys(data);
  return { data: names.length === 1 && names[0] === "data" ? data.data : data, metadata };
}

/** Immediate-mode frame times were read under the singular name, so the sample-index rule did not apply. */
function remapSampleIndices(value: SessionValue): SessionValue {
  if (!isSessionMap(value)) return value;
  const out: SessionMap = {};
  for (const [key, child] of Object.entries(value)) {
    if (child instanceof BigUint64Array || child instanceof BigInt64Array) out[key] = int64ToFloat64(child);
    else out[key] = child instanceof Int64Numbers || child instanceof Uint64Numbers ? Float64Array.from(child) : child;
  }
  return out;
}

function readSourceFiles(group: TreeNode | undefined, reading: TreeReading): Record<string, string | null> {
  const sources: Record<string, string | null> = {};
  if (group === undefined) return sources;
  const attrs: SessionMap = {};
  readAttributesInto(attrs, group, ["source_files"], reading);
  for (const [key, value] of Object.entries(attrs)) sources[key] = typeof value === "string" && value !== "" ? value : null;
  return sources;
}

function sourceFilesFromJson(value: SessionValue): Record<string, string | null> {
  if (typeof value !== "string") return {};
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const sources: Record<string, string | null> = {};
    for (const key of ["cmcr_path", "cmtr_path"]) {
      const path = parsed[key];
      if (typeof path === "string" && path !== "") sources[key] = path;
    }
    return sources;
  } catch {
    return {};
  }
}

interface SessionInfo {
  completedSteps: string[];
  warnings: string[];
  savedAt: string | null;
  checkpointName: string | null;
  state: JsonValue;
  context: JsonValue;
  stepRecords: JsonValue;
}

function readSessionInfo(pipeline: TreeNode, reading: TreeReading): SessionInfo | undefined {
  const infoPath = SESSION_INFO.split("/");
  const info = reading.source.members(pipeline).find((m) => m.name === infoPath[1] && m.kind === "group")?.node ?? undefined;
  if (info === undefined) return undefined;
  const attrs: SessionMap = {};
  readAttributesInto(attrs, info, infoPath, reading);
  const members = new Map(reading.source.members(info).map((m) => [m.name, m]));
  const readStrings = (name: string): string[] => {
    const member = members.get(name);
    if (member?.kind !== "dataset" || member.node === null) return [];
    const raw = reading.source.dataset(member.node);
    const value = raw === undefined ? undefined : decodeValue(raw, [...infoPath, name]);
    return typeof value === "string" ? [value] : Array.isArray(value) ? value.map(String) : [];
  };
  const readJson = (name: string, fallback: JsonValue): JsonValue => {
    const [text] = readStrings(name);
    return text === undefined ? fallback : copyJson(JSON.parse(text) as JsonValue);
  };
  return {
    completedSteps: readStrings("completed_steps"),
    warnings: readStrings("warnings"),
    savedAt: typeof attrs.saved_at === "string" && attrs.saved_at !== "" ? attrs.saved_at : null,
    checkpointName: typeof attrs.checkpoint_name === "string" ? attrs.checkpoint_name : null,
    state: readJson(JSON_DATASETS.state, {}),
    context: readJson(JSON_DATASETS.context, {}),
    stepRecords: readJson(JSON_DATASETS.stepRecords, []),
  };
}

