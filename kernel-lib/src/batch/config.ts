/**
 * `BatchConfig.fromFile("batch.toml")`: a batch file (TOML or YAML) checked key by key. Every problem is a
 * `BatchConfigError` naming the file, the key and its line; paths are resolved relative to the file.
 *
 *   read + parse (config-source) → check sections and keys → resolve paths → BatchConfig
 */
import * as path from "path";
import { BatchConfigError } from "../errors";
import type { JsonValue } from "../json";
import { readConfigSource, type ConfigSource, type KeySegment } from "./config-source";
import { batchMessages as messages } from "./messages";
import { BATCH_STEPS, type StimulusKey } from "./pipeline-steps";

/** Where the recordings are: `.cmcr`/`.cmtr` pairs under a folder, or a CSV list. */
export type RecordingsSpec =
  | { readonly kind: "folder"; readonly root: string; readonly pattern: string }
  | { readonly kind: "list"; readonly listPath: string };

/** One pipeline entry: a step name and the options the user set. */
export interface PipelineEntry {
  readonly step: string;
  readonly options: Readonly<Record<string, JsonValue>>;
}

/** Step options for one recording that replace the pipeline's (`[[override]]`: recording, step, options). */
export interface RecordingOverride {
  readonly recordingId: string;
  readonly step: string;
  readonly options: Readonly<Record<string, JsonValue>>;
}

/** SLURM resources (`[resources]`). */
export interface BatchResources {
  readonly partition: string | null;
  readonly account: string | null;
  /** Time limit per recording, SLURM syntax (`"01:00:00"`). */
  readonly time: string | null;
  readonly cpusPerTask: number;
  /** Memory per task, SLURM syntax (`"4G"`). */
  readonly memory: string | null;
  /** At most this many array tasks at once (`%N`); null = no throttle. */
  readonly maxParallel: number | null;
  /** The site's array size limit; null = ask `scontrol show config`. */
  readonly maxArraySize: number | null;
  /** Further `#SBATCH` arguments, verbatim. */
  readonly sbatchArgs: readonly string[];
  /** The Node.js executable the jobs run. Default: the one running now. */
  readonly nodePath: string | null;
}

/** Local scheduler settings (`[local]`). */
export interface LocalSettings {
  readonly workers: number;
  /** Heap limit of each worker process in MB (`--max-old-space-size`); null = Node's default. */
  readonly workerMemoryMb: number | null;
}

const TOP_KEYS = ["name", "recordings", "stimulus", "pipeline", "override", "output", "resources", "local"];
const RECORDINGS_KEYS = ["root", "pattern", "list"];
const STIMULUS_KEYS: readonly StimulusKey[] = ["playlist", "movie_length", "playlist_name", "config_dir", "movies_dir"];
const OUTPUT_KEYS = ["dir"];
const RESOURCES_KEYS = ["partition", "account", "time", "cpus_per_task", "memory", "max_parallel", "max_array_size", "sbatch_args", "node"];
const LOCAL_KEYS = ["workers", "worker_memory_mb"];
/** Stimulus values that are not paths. */
const NON_PATH_STIMULUS: readonly StimulusKey[] = ["playlist_name"];
/** Placeholder in stimulus paths for the folder of each recording's .cmcr. */
export const RECORDING_DIR_PLACEHOLDER = "{recording_dir}";

/** A validated batch configuration. */
export class BatchConfig {
  /** Absolute path of the batch file. */
  readonly filePath: string;
  /** Name of the batch (job names, displays). Default: the file's stem. */
  readonly name: string;
  readonly recordings: RecordingsSpec;
  /** Stimulus paths (absolute, or starting with `{recording_dir}`) and the playlist name. */
  readonly stimulus: Readonly<Partial<Record<StimulusKey, string>>>;
  readonly pipeline: readonly PipelineEntry[];
  /** Per-recording step options (`[[override]]`), applied over the pipeline's. */
  readonly overrides: readonly RecordingOverride[];
  /** Absolute output folder: sessions/, manifest.json, units.arrow, summary.json, runs/. */
  readonly outputDir: string;
  readonly resources: BatchResources;
  readonly local: LocalSettings;
  private readonly source: ConfigSource;

  private constructor(parts: BatchConfigParts) {
    this.filePath = parts.source.filePath;
    this.name = parts.name;
    this.recordings = parts.recordings;
    this.stimulus = parts.stimulus;
    this.pipeline = parts.pipeline;
    this.overrides = parts.overrides;
    this.outputDir = parts.outputDir;
    this.resources = parts.resources;
    this.local = parts.local;
    this.source = parts.source;
  }

  /** Reads and checks a batch file (`.toml`, `.yaml` or `.yml`). */
  static fromFile(filePath: string): BatchConfig {
    return new BatchConfig(buildConfig(new ConfigReader(readConfigSource(filePath))));
  }

  /** Creates a `BatchConfigError` about a key of this file, with its line. */
  errorAt(keyPath: readonly KeySegment[], message: string): BatchConfigError {
    return new ConfigReader(this.source).error(keyPath, message);
  }
}

interface BatchConfigParts {
  name: string;
  recordings: RecordingsSpec;
  stimulus: Partial<Record<StimulusKey, string>>;
  pipeline: PipelineEntry[];
  overrides: RecordingOverride[];
  outputDir: string;
  resources: BatchResources;
  local: LocalSettings;
  source: ConfigSource;
}

function buildConfig(reader: ConfigReader): BatchConfigParts {
  const top = reader.table([], true) as Record<string, unknown>;
  reader.onlyKeys(top, TOP_KEYS, []);
  const dir = path.dirname(reader.source.filePath);
  const name = reader.string(["name"], false) ?? path.basename(reader.source.filePath, path.extname(reader.source.filePath));

  const recordingsTable = reader.table(["recordings"], true) as Record<string, unknown>;
  reader.onlyKeys(recordingsTable, RECORDINGS_KEYS, ["recordings"]);
  const root = reader.string(["recordings", "root"], false);
  const list = reader.string(["recordings", "list"], false);
  const pattern = reader.string(["recordings", "pattern"], false);
  let recordings: RecordingsSpec;
  if ((root === null) === (list === null)) throw reader.error(["recordings"], messages.rootOrList(reader.source.filePath));
  if (list !== null) {
    if (pattern !== null) throw reader.error(["recordings", "pattern"], messages.patternWithList(reader.source.filePath));
    recordings = { kind: "list", listPath: path.resolve(dir, list) };
  } else {
    if (pattern !== null && pattern.trim() === "") throw reader.error(["recordings", "pattern"], messages.emptyPattern(reader.source.filePath));
    recordings = { kind: "folder", root: path.resolve(dir, root as string), pattern: pattern ?? "*" };
  }

  const stimulusTable = (reader.table(["stimulus"], false) ?? {}) as Record<string, unknown>;
  reader.onlyKeys(stimulusTable, STIMULUS_KEYS, ["stimulus"]);
  const stimulus: Partial<Record<StimulusKey, string>> = {};
  for (const key of STIMULUS_KEYS) {
    const value = reader.string(["stimulus", key], false);
    if (value === null) continue;
    stimulus[key] = NON_PATH_STIMULUS.includes(key) || value.startsWith(RECORDING_DIR_PLACEHOLDER) ? value : path.resolve(dir, value);
  }

  const pipeline = readPipeline(reader, stimulus);
  const overrides = readOverrides(reader, pipeline);

  const outputTable = (reader.table(["output"], false) ?? {}) as Record<string, unknown>;
  reader.onlyKeys(outputTable, OUTPUT_KEYS, ["output"]);
  const outputDir = path.resolve(dir, reader.string(["output", "dir"], false) ?? "batch-output");

  const resourcesTable = (reader.table(["resources"], false) ?? {}) as Record<string, unknown>;
  reader.onlyKeys(resourcesTable, RESOURCES_KEYS, ["resources"]);
  const resources: BatchResources = {
    partition: reader.string(["resources", "partition"], false),
    account: reader.string(["resources", "account"], false),
    time: reader.string(["resources", "time"], false),
    cpusPerTask: reader.wholeNumber(["resources", "cpus_per_task"], 1) ?? 1,
    memory: reader.string(["resources", "memory"], false),
    maxParallel: reader.wholeNumber(["resources", "max_parallel"], 1),
    maxArraySize: reader.wholeNumber(["resources", "max_array_size"], 1),
    sbatchArgs: reader.stringList(["resources", "sbatch_args"]),
    nodePath: reader.string(["resources", "node"], false),
  };

  const localTable = (reader.table(["local"], false) ?? {}) as Record<string, unknown>;
  reader.onlyKeys(localTable, LOCAL_KEYS, ["local"]);
  const local: LocalSettings = {
    workers: reader.wholeNumber(["local", "workers"], 1) ?? 1,
    workerMemoryMb: reader.wholeNumber(["local", "worker_memory_mb"], 64),
  };
  return { name, recordings, stimulus, pipeline, overrides, outputDir, resources, local, source: reader.source };
}

function readPipeline(reader: ConfigReader, stimulus: Partial<Record<StimulusKey, string>>): PipelineEntry[] {
  const file = reader.source.filePath;
  const raw = reader.value(["pipeline"]);
  if (!Array.isArray(raw) || raw.length === 0) throw reader.error(["pipeline"], messages.pipelineMissing(file));
  const seen = new Set<string>();
  return raw.map((entry: unknown, index) => {
    const at: KeySegment[] = ["pipeline", index];
    if (!isTable(entry)) throw reader.error(at, messages.pipelineEntryNotTable(file, index));
    const stepName = entry.step;
    if (typeof stepName !== "string") throw reader.error([...at, "step"], messages.stepNameMissing(file, index));
    const step = BATCH_STEPS.get(stepName);
    if (step === undefined) throw reader.error([...at, "step"], messages.unknownStep(file, index, stepName, [...BATCH_STEPS.keys()]));
    if (seen.has(stepName)) throw reader.error([...at, "step"], messages.duplicateStep(file, index, stepName));
    seen.add(stepName);
    const options: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (key === "step") continue;
      if (step.filledOptions.includes(key)) throw reader.error([...at, key], messages.filledOption(file, index, stepName, key));
      if (step.forbiddenOptions.includes(key) || !(key in step.defaults)) {
        const allowed = Object.keys(step.defaults).filter((k) => !step.filledOptions.includes(k) && !step.forbiddenOptions.includes(k));
        throw reader.error([...at, key], messages.unknownStepOption(file, index, stepName, key, allowed));
      }
      options[key] = value as JsonValue;
    }
    for (const key of step.needsStimulus) {
      if (stimulus[key] === undefined) throw reader.error([...at, "step"], messages.stimulusNeeded(file, index, stepName, key));
    }
    return { step: stepName, options };
  });
}

function readOverrides(reader: ConfigReader, pipeline: readonly PipelineEntry[]): RecordingOverride[] {
  const file = reader.source.filePath;
  const raw = reader.value(["override"]);
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw reader.error(["override"], messages.overrideNotList(file));
  return raw.map((entry: unknown, index) => {
    const at: KeySegment[] = ["override", index];
    if (!isTable(entry)) throw reader.error(at, messages.overrideNotList(file));
    const recordingId = entry.recording;
    if (typeof recordingId !== "string" || recordingId === "") throw reader.error([...at, "recording"], messages.overrideNeedsRecording(file, index));
    const stepName = entry.step;
    const inPipeline = pipeline.find((p) => p.step === stepName);
    if (typeof stepName !== "string" || inPipeline === undefined) {
      throw reader.error([...at, "step"], messages.overrideStep(file, index, String(stepName), pipeline.map((p) => p.step)));
    }
    const step = BATCH_STEPS.get(stepName);
    const options: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (key === "recording" || key === "step") continue;
      if (step === undefined || step.filledOptions.includes(key) || step.forbiddenOptions.includes(key) || !(key in step.defaults)) {
        throw reader.error([...at, key], messages.overrideOption(file, index, stepName, key));
      }
      options[key] = value as JsonValue;
    }
    return { recordingId, step: stepName, options };
  });
}

/** Reads values out of the parsed file, failing with errors that name the key and line. */
class ConfigReader {
  constructor(readonly source: ConfigSource) {}

  error(keyPath: readonly KeySegment[], message: string): BatchConfigError {
    const line = this.source.lineOf(keyPath);
    return new BatchConfigError(this.source.filePath, keyName(keyPath), line, line === null ? message : `${message} (line ${line})`);
  }

  value(keyPath: readonly KeySegment[]): unknown {
    let node: unknown = this.source.data;
    for (const segment of keyPath) {
      if (node === null || typeof node !== "object") return undefined;
      node = (node as Record<string, unknown>)[segment as string];
    }
    return node;
  }

  table(keyPath: readonly KeySegment[], required: boolean): Record<string, unknown> | null {
    const node = this.value(keyPath);
    if (node === undefined || node === null) {
      if (!required) return null;
      throw this.error(keyPath, keyPath.length === 0 ? messages.emptyFile(this.source.filePath) : messages.missingKey(this.source.filePath, keyName(keyPath)));
    }
    if (!isTable(node)) throw this.error(keyPath, messages.notATable(this.source.filePath, keyName(keyPath)));
    return node;
  }

  onlyKeys(table: Record<string, unknown>, allowed: readonly string[], at: readonly KeySegment[]): void {
    for (const key of Object.keys(table)) {
      if (!allowed.includes(key)) throw this.error([...at, key], messages.unknownKey(this.source.filePath, keyName([...at, key]), allowed));
    }
  }

  string(keyPath: readonly KeySegment[], required: boolean): string | null {
    const node = this.value(keyPath);
    if (node === undefined || node === null) {
      if (required) throw this.error(keyPath, messages.missingKey(this.source.filePath, keyName(keyPath)));
      return null;
    }
    if (typeof node !== "string") throw this.error(keyPath, messages.notAString(this.source.filePath, keyName(keyPath), node));
    return node;
  }

  wholeNumber(keyPath: readonly KeySegment[], min: number): number | null {
    const node = this.value(keyPath);
    if (node === undefined || node === null) return null;
    if (typeof node !== "number" || !Number.isInteger(node) || node < min) {
      throw this.error(keyPath, messages.notAWholeNumber(this.source.filePath, keyName(keyPath), node, min));
    }
    return node;
  }

  stringList(keyPath: readonly KeySegment[]): string[] {
    const node = this.value(keyPath);
    if (node === undefined || node === null) return [];
    if (!Array.isArray(node) || node.some((item) => typeof item !== "string")) {
      throw this.error(keyPath, messages.notAStringList(this.source.filePath, keyName(keyPath)));
    }
    return node as string[];
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** `["pipeline", 2, "coverRange"]` → `pipeline[2].coverRange`. */
export function keyName(keyPath: readonly KeySegment[]): string {
  return keyPath.reduce<string>((name, segment) => (typeof segment === "number" ? `${name}[${segment}]` : name === "" ? segment : `${name}.${segment}`), "");
}
