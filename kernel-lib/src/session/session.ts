/**
 * `PipelineSession`: the one place where a recording's analysis state lives while a notebook works on it
 * (reference §1 under the TypeScript names of DESIGN §3). Data maps mirror the HDF5 layout with its snake_case
 * keys; they are read through getters and changed only through the `add*` methods, which check that every value
 * can be saved. `save()` and `checkpoint()` write one HDF5 file atomically; `PipelineSession.load()` resumes.
 */
import * as fs from "fs";
import * as path from "path";
import { CheckpointError, FileExistsError, FileNotFoundError, HdmeaError, MissingInputError, SessionError } from "../errors";
import { copyJson, type JsonValue } from "../json";
import { readSessionFile, writeSessionFile, type SessionSnapshot } from "../hdf5/session-file";
import { findUnstorable, isSessionMap, keyProblem, type SessionMap, type SessionValue } from "../hdf5/values";
import { consoleLogger, type Logger } from "./logger";
import { estimateBytes, type MemoryBreakdown } from "./memory";
import { messages } from "./messages";
import { nextSessionId, registerSession } from "./registry";
import { StateStore } from "./state-store";
import { recordParams, StepStatus, type StepHook, type StepRecord } from "./step-records";
import { nowIso } from "./time";
import type { Table } from "apache-arrow";
import { unitsTable, type UnitsTableOptions } from "../arrow/units-table";
import { spikesTable } from "../arrow/spikes-table";
import { sessionBundle } from "../display/session-card";
import type { SessionBundle } from "../display/protocol";

/** Persistence state of a session (reference §1.4). */
export const SaveState = {
  /** Only in memory (or only checkpointed): `save()` has not succeeded yet. */
  DEFERRED: "deferred",
  /** `save()` succeeded (or the session was loaded from a file); `hdf5Path` names the file. */
  SAVED: "saved",
} as const;

export type SaveState = (typeof SaveState)[keyof typeof SaveState];

/**
 * Whether the session's file (`hdf5Path`) is still the one it saved or loaded: `"unchanged"`; `"changed"` (another
 * writer replaced or modified it, e.g. a step run with `hdf5Path` on it, or h5py); `"missing"` (deleted or moved);
 * `"none"` (the session has no file yet).
 */
export type FileStatus = "unchanged" | "changed" | "missing" | "none";

/** Options of the `PipelineSession` constructor. */
export interface SessionOptions {
  /** Recording id, e.g. `2025.04.10-11.12.57-Rec`; surrounding whitespace is trimmed; must not be empty. */
  datasetId: string;
  /** Folder for `save()` without a path. Default `"artifacts"` (relative to the working directory). */
  outputDir?: string;
  /** Creation time; default now, in the reference's ISO form. */
  createdAt?: string | null;
  /** Where logged warnings go (overwrites, auto-saves). Default: stderr with an `[hdmea]` prefix. */
  logger?: Logger;
}

/**
 * One unit as `session.units[unitId]` gives it: the reference's HDF5 names, snake_case (DESIGN §3). The keys the
 * library writes are typed, any other key reads as lower case, so a camelCase name such as `spikeTimes` is a type
 * error in a cell instead of `undefined` and a crash later.
 */
export interface UnitData {
  /** Spike times in samples (`loadRecording`: the .cmtr's µs × acquisition rate). */
  readonly spike_times?: SessionValue;
  /** Mean waveform of the included cut-outs. */
  readonly waveform?: SessionValue;
  readonly firing_rate_10hz?: SessionValue;
  /** Electrode row and column (-1 when the .cmtr does not say). */
  readonly row?: number;
  readonly col?: number;
  readonly global_id?: number;
  readonly unit_num?: number;
  readonly original_name?: string;
  /** The .cmtr's own unit info and scores. */
  readonly unit_meta?: SessionMap;
  /** `features[name] = { data, metadata }` ({@link FeatureEntry}). */
  readonly features?: SessionMap;
  /** `spike_times_sectioned[movie]`: per-movie trial spike times (`sectionSpikeTimes`). */
  readonly spike_times_sectioned?: SessionMap;
  /** Any other key a step or a reference file stored: lower case, as in the HDF5 file. */
  readonly [key: Lowercase<string>]: SessionValue | undefined;
}

/** One feature of one unit, as `addFeature` stores it. */
export interface FeatureEntry extends SessionMap {
  data: SessionValue;
  metadata: SessionMap;
}

/** Source file paths of the recording (`cmcr_path`, `cmtr_path`). */
export interface SourceFiles {
  readonly cmcrPath?: string | null;
  readonly cmtrPath?: string | null;
}

/** The read-only description of where a session comes from (DESIGN §3), saved with it. */
export interface SessionContext {
  readonly datasetId: string;
  readonly createdAt: string | null;
  readonly sourceFiles: Readonly<Record<string, string | null>>;
  /** Versions of hdmea, h5wasm and Node that created the session. */
  readonly versions: Readonly<Record<string, string>>;
  /** Further entries recorded by the library, e.g. the simulator's recipe. */
  readonly [key: string]: JsonValue | Readonly<Record<string, string | null>> | undefined;
}

/** Options of `save()`. */
export interface SaveOptions {
  /** Replace an existing file (with a logged warning). Default true; false throws `FileExistsError`. */
  overwrite?: boolean;
  /** @internal The file is this session's own file being updated in place (a step's `hdf5Path` mode): no warning. */
  inPlace?: boolean;
}

/** Progress of long work inside a step, reported to `onProgress` listeners (the progress display). */
export interface ProgressEvent {
  readonly step: string;
  readonly done: number;
  readonly total: number;
  readonly label?: string;
}

/** Options of `checkpoint()`. */
export interface CheckpointOptions extends SaveOptions {
  /** A name stored in the file (`/pipeline/session_info` attribute `checkpoint_name`). */
  checkpointName?: string;
}

/** Handle of a running step, returned by {@link PipelineSession.beginStep}. */
export interface StepRun {
  readonly name: string;
  /** Adds a warning to the session and to this step's record. */
  warn(message: string): void;
  /** Marks the step completed (and adds it to `completedSteps`). */
  complete(): StepRecord;
  /** Marks the step failed with the error's message. */
  fail(error: unknown): StepRecord;
  /**
   * Marks the step as skipped (recorded as failed with `reason`, not completed): `warning` (default the reason)
   * becomes a session warning, and a plain "<step> skipped: <reason>" line goes to the logger (stderr under the cell).
   */
  skip(reason: string, warning?: string): StepRecord;
}

const DEFAULT_OUTPUT_DIR = "artifacts";
const BYTES_PER_GB = 1024 ** 3;
const LIVE_CONTEXT_KEYS = new Set(["datasetId", "createdAt", "sourceFiles"]);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const packageJson = require("../../package.json") as { version: string; dependencies?: Record<string, string> };

/** The hdmea version written into session files (root attribute `hdmea_version`). */
export const HDMEA_VERSION: string = packageJson.version;

export class PipelineSession {
  /**
   * The id of this in-memory session in this kernel, `<dataset>-<n>` (display ids and `sessionById` use it); not
   * saved. See `sessionById` for why it is not random.
   */
  readonly sessionId: string;
  /** The session's key–value state store (JSON values only), saved and restored with the session. */
  readonly state: StateStore;

  private readonly _datasetId: string;
  private readonly _outputDir: string;
  private readonly _createdAt: string | null;
  private readonly logger: Logger;
  private _saveState: SaveState = SaveState.DEFERRED;
  private _hdf5Path: string | null = null;
  private _savedAt: string | null = null;
  private _checkpointName: string | null = null;
  /** What `hdf5Path` looked like right after this session wrote or read it; see `checkFile`. */
  private _fileStamp: FileStamp | null = null;
  private _units: Record<string, SessionMap> = {};
  private _metadata: SessionMap = {};
  private _stimulus: SessionMap = {};
  private _sourceFiles: Record<string, string | null> = {};
  private readonly _completedSteps = new Set<string>();
  private readonly _warnings: string[] = [];
  private readonly _stepRecords: StepRecord[] = [];
  private _contextExtra: Record<string, JsonValue> = {
    versions: { hdmea: HDMEA_VERSION, h5wasm: packageJson.dependencies?.h5wasm ?? "unknown", node: process.version },
  };
  private readonly startHooks = new Set<StepHook>();
  private readonly finishHooks = new Set<StepHook>();
  private readonly changeListeners = new Set<(session: PipelineSession) => void>();
  private readonly progressListeners = new Set<(event: ProgressEvent) => void>();

  constructor(options: SessionOptions) {
    const datasetId = typeof options?.datasetId === "string" ? options.datasetId.trim() : "";
    if (datasetId === "") throw new SessionError(messages.emptyDatasetId());
    this._datasetId = datasetId;
    this.sessionId = nextSessionId(datasetId);
    this._outputDir = options.outputDir ?? DEFAULT_OUTPUT_DIR;
    this._createdAt = options.createdAt === undefined ? nowIso() : options.createdAt;
    this.logger = options.logger ?? consoleLogger;
    this.state = new StateStore(() => this.modified());
    registerSession(this);
  }

  get datasetId(): string {
    return this._datasetId;
  }
  get saveState(): SaveState {
    return this._saveState;
  }
  /** File of the last successful `save()`, or the file the session was loaded from; null before. */
  get hdf5Path(): string | null {
    return this._hdf5Path;
  }
  get outputDir(): string {
    return this._outputDir;
  }
  /**
   * Per-unit data keyed by unit id (`unit_001`, …), under the reference's snake_case names ({@link UnitData}):
   * `units[u].spike_times`, never `units[u].spikeTimes` (a type error). Change it through `addUnits` / `addFeature`.
   */
  get units(): Readonly<Record<string, UnitData>> {
    return this._units as Record<string, UnitData>;
  }
  /** @internal The units as plain session maps, for library code that walks any key (adapters, copies). */
  get unitMaps(): Readonly<Record<string, Readonly<SessionMap>>> {
    return this._units;
  }
  /** Recording metadata (`acquisition_rate`, `frame_timestamps`, `sys_meta`, …). Change it through `addMetadata`. */
  get metadata(): Readonly<SessionMap> {
    return this._metadata;
  }
  /** Light reference, frame times, section times, templates. Change it through `addStimulus`. */
  get stimulus(): Readonly<SessionMap> {
    return this._stimulus;
  }
  /** `cmcr_path` / `cmtr_path` of the recording. */
  get sourceFiles(): Readonly<Record<string, string | null>> {
    return this._sourceFiles;
  }
  /** Names of the steps that completed (reference §1.12). */
  get completedSteps(): ReadonlySet<string> {
    return this._completedSteps;
  }
  /** Warnings of the steps, in the order they happened. */
  get warnings(): readonly string[] {
    return this._warnings;
  }
  /** One record per step run, started, completed or failed. */
  get stepRecords(): readonly StepRecord[] {
    return this._stepRecords;
  }
  get createdAt(): string | null {
    return this._createdAt;
  }
  /** Time of the last successful `save()` (or the saved time of the loaded file); null before. */
  get savedAt(): string | null {
    return this._savedAt;
  }
  /** Name of the checkpoint this session was loaded from, if it was loaded from a named checkpoint. */
  get checkpointName(): string | null {
    return this._checkpointName;
  }
  get isSaved(): boolean {
    return this._saveState === SaveState.SAVED;
  }
  get isDeferred(): boolean {
    return this._saveState === SaveState.DEFERRED;
  }

  /**
   * Compares the session's file with what this session last wrote to it or read from it (size, modification time,
   * inode). A file changed or removed by another writer is reported once: the session becomes deferred (the file
   * no longer holds what the session holds) and gets a warning saying what to do. The session card checks this on
   * every update, `save()` and `ensureSaved()` before writing.
   */
  checkFile(): FileStatus {
    const stamp = this._fileStamp;
    if (stamp === null) return "none";
    const now = statStamp(stamp.path);
    const status: FileStatus = now === null ? "missing" : sameStamp(now, stamp) ? "unchanged" : "changed";
    if (status !== "unchanged" && !stamp.reported) {
      stamp.reported = true;
      const text = status === "missing" ? messages.fileMissingUnderSession(stamp.path) : messages.fileChangedUnderSession(stamp.path);
      this._warnings.push(text);
      this.logger.warn(text);
      this.modified();
    }
    return status;
  }

  get unitCount(): number {
    return Object.keys(this._units).length;
  }
  /** Bytes held by typed arrays (at any depth) and strings, per part of the session. */
  get memoryBreakdown(): MemoryBreakdown {
    return {
      units: estimateBytes(this._units),
      metadata: estimateBytes(this._metadata),
      stimulus: estimateBytes(this._stimulus),
    };
  }
  /** Total of {@link memoryBreakdown} in bytes. */
  get memoryEstimateBytes(): number {
    const { units, metadata, stimulus } = this.memoryBreakdown;
    return units + metadata + stimulus;
  }
  /** {@link memoryEstimateBytes} in GiB (1024³ bytes), as the reference reports it. */
  get memoryEstimateGb(): number {
    return this.memoryEstimateBytes / BYTES_PER_GB;
  }
  /** Where the session comes from: dataset id, creation time, source files, versions. A frozen copy. */
  get context(): SessionContext {
    return deepFreeze({
      ...copyJson(this._contextExtra as JsonValue as Record<string, JsonValue>),
      datasetId: this._datasetId,
      createdAt: this._createdAt,
      sourceFiles: { ...this._sourceFiles },
    }) as unknown as SessionContext;
  }

  /**
   * Adds units or updates existing ones. A new unit is stored as a shallow copy; for an existing unit the given
   * keys replace the old ones (a nested map such as `features` is replaced whole). Throws `SessionError` when a
   * value cannot be saved.
   */
  addUnits(units: Readonly<Record<string, SessionMap>>): this {
    for (const [unitId, info] of Object.entries(units)) {
      const keyIssue = keyProblem(unitId);
      if (keyIssue) throw new SessionError(messages.unstorable(`unit '${unitId}'`, `its id cannot be an HDF5 name: ${keyIssue}`));
      this.assertStorable(info, `units.${unitId}`, `unit '${unitId}'`);
    }
    for (const [unitId, info] of Object.entries(units)) {
      this._units[unitId] = { ...(this._units[unitId] ?? {}), ...info };
    }
    return this.modified();
  }

  /** Merges `metadata` into the session's metadata (top-level keys replace, nested maps replace whole). */
  addMetadata(metadata: Readonly<SessionMap>): this {
    this.assertStorable(metadata, "metadata", "metadata");
    this._metadata = { ...this._metadata, ...metadata };
    return this.modified();
  }

  /**
   * Merges `stimulus` one level deep: when both the old and the new value of a key are maps, their entries are
   * merged (so `light_reference.raw_ch1` and later `light_reference.raw_ch2` are both kept); otherwise the new
   * value replaces the old. The caller's maps are not modified.
   */
  addStimulus(stimulus: Readonly<SessionMap>): this {
    this.assertStorable(stimulus, "stimulus", "stimulus");
    const merged: SessionMap = { ...this._stimulus };
    for (const [key, value] of Object.entries(stimulus)) {
      const old = merged[key];
      merged[key] = isSessionMap(old) && isSessionMap(value) ? { ...old, ...value } : value;
    }
    this._stimulus = merged;
    return this.modified();
  }

  /**
   * Stores `units[unitId].features[featureName] = {data, metadata}`, replacing an earlier entry of that name.
   * Throws `MissingInputError` when the unit does not exist.
   */
  addFeature(unitId: string, featureName: string, data: SessionValue, metadata: SessionMap = {}): this {
    const unit = this._units[unitId];
    if (unit === undefined) throw new MissingInputError(unitId, messages.unitNotFound(unitId, Object.keys(this._units)));
    const entry: FeatureEntry = { data, metadata: { ...metadata } };
    this.assertStorable({ [featureName]: entry }, `units.${unitId}.features`, `feature '${featureName}' of ${unitId}`);
    const features = isSessionMap(unit.features) ? unit.features : {};
    this._units[unitId] = { ...unit, features: { ...features, [featureName]: entry } };
    return this.modified();
  }

  /** Adds a warning (recoverable problem) to the session. */
  addWarning(message: string): this {
    this._warnings.push(String(message));
    return this.modified();
  }

  /** Adds `name` to `completedSteps`. */
  markStepComplete(name: string): this {
    this._completedSteps.add(name);
    return this.modified();
  }

  /** Records source file paths; a missing or empty argument leaves the existing entry as it is. */
  setSourceFiles(files: SourceFiles): this {
    if (files.cmcrPath) this._sourceFiles.cmcr_path = files.cmcrPath;
    if (files.cmtrPath) this._sourceFiles.cmtr_path = files.cmtrPath;
    return this.modified();
  }

  /** @internal Records a context entry (e.g. the simulator recipe); the library calls this, notebooks read `context`. */
  setContextEntry(key: string, value: JsonValue): this {
    if (LIVE_CONTEXT_KEYS.has(key)) throw new SessionError(`context.${key} is derived from the session and cannot be set`);
    this._contextExtra = { ...this._contextExtra, [key]: copyJson(value) };
    return this.modified();
  }

  /**
   * Saves the whole session to `outputPath` (default `<outputDir>/<datasetId>.h5`) atomically and returns the
   * absolute path. The session becomes SAVED with `hdf5Path` set. An existing file is replaced with a logged
   * warning, unless `overwrite: false`, which throws `FileExistsError`.
   */
  async save(outputPath?: string, options: SaveOptions = {}): Promise<string> {
    const target = path.resolve(outputPath ?? path.join(this._outputDir, `${this._datasetId}.h5`));
    if (this._fileStamp !== null && this._fileStamp.path === target) this.checkFile();
    this.prepareTarget(target, options.overwrite ?? true, messages.fileExists, options.inPlace ? undefined : messages.overwriting);
    const savedAt = nowIso();
    await this.writeTo(target, savedAt, null);
    this._savedAt = savedAt;
    this._saveState = SaveState.SAVED;
    this._hdf5Path = target;
    this._fileStamp = statStamp(target);
    this.changed();
    announceWrite(this, target);
    return target;
  }

  /**
   * Writes the whole session to `checkpointPath` atomically without changing the save state, `hdf5Path` or
   * `savedAt`; returns the absolute path. The file carries the checkpoint time and `checkpointName`.
   */
  async checkpoint(checkpointPath: string, options: CheckpointOptions = {}): Promise<string> {
    const target = path.resolve(checkpointPath);
    this.prepareTarget(target, options.overwrite ?? true, messages.checkpointExists, messages.overwritingCheckpoint);
    await this.writeTo(target, nowIso(), options.checkpointName ?? null);
    this.changed();
    announceWrite(this, target);
    return target;
  }

  /**
   * Returns `hdf5Path` when the session is saved. A session changed since its save is written to its own file again
   * (when no other writer changed that file). Otherwise it is saved to `defaultPath` or the default path with a
   * logged warning, never replacing an existing file (`FileExistsError`).
   */
  async ensureSaved(defaultPath?: string): Promise<string> {
    const file = this.checkFile();
    if (this.isSaved && this._hdf5Path !== null) return this._hdf5Path;
    // Changed since its save, and its file is still the one it wrote: bring that file up to date.
    if (file === "unchanged" && this._hdf5Path !== null) return this.save(this._hdf5Path, { inPlace: true });
    this.logger.warn(messages.autoSaving());
    return this.save(defaultPath, { overwrite: false });
  }

  /**
   * Loads a session file written by `save()`/`checkpoint()` (or by the reference implementation, in either of its
   * layouts). The session is SAVED with `hdf5Path` = the file. Throws `FileNotFoundError` for a missing file and
   * `DataLoadError` for a file that is not a readable session file; nothing is modified.
   */
  static async load(filePath: string, options: { logger?: Logger; outputDir?: string } = {}): Promise<PipelineSession> {
    const absolute = path.resolve(filePath);
    if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
      throw new FileNotFoundError(absolute, messages.sessionFileNotFound(absolute));
    }
    const { snapshot, skipped } = await readSessionFile(absolute);
    const session = new PipelineSession({
      datasetId: snapshot.datasetId,
      createdAt: snapshot.createdAt,
      logger: options.logger,
      outputDir: options.outputDir,
    });
    session.restore(snapshot, absolute);
    for (const detail of skipped) session._warnings.push(messages.skippedOnLoad(detail));
    session._fileStamp = statStamp(absolute);
    watchWrites(session);
    return session;
  }

  /** Registers a hook called with the record of every step as it starts; returns a function that removes it. */
  onStepStart(hook: StepHook): () => void {
    this.startHooks.add(hook);
    return () => this.startHooks.delete(hook);
  }

  /** Registers a hook called with the record of every step when it completes or fails; returns its remover. */
  onStepFinish(hook: StepHook): () => void {
    this.finishHooks.add(hook);
    return () => this.finishHooks.delete(hook);
  }

  /** Registers a listener called after every change (displays use it); returns a function that removes it. */
  onChange(listener: (session: PipelineSession) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Registers a listener for progress of long steps; returns a function that removes it. */
  onProgress(listener: (event: ProgressEvent) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** @internal Steps report progress here (through `defineStep`'s context). Listener errors are logged. */
  reportProgress(event: ProgressEvent): void {
    for (const listener of this.progressListeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(messages.listenerFailed(error instanceof Error ? error.message : String(error)));
      }
    }
  }

  /**
   * @internal Starts a step record (status `started`) before the step runs; `defineStep` calls this. The returned
   * handle completes or fails it. Hook errors are reported as session warnings and logged.
   */
  beginStep(name: string, params: Readonly<Record<string, unknown>>): StepRun {
    const startedAtMs = performance.now();
    const index = this._stepRecords.length;
    const stepWarnings: string[] = [];
    this._stepRecords.push({ name, params: recordParams(params), status: StepStatus.STARTED, startedAt: nowIso(), durationMs: null, warnings: [] });
    this.runHooks(this.startHooks, "onStepStart", this._stepRecords[index]);
    this.modified();
    const finish = (status: StepStatus, error?: unknown): StepRecord => {
      const record: StepRecord = {
        ...this._stepRecords[index],
        status,
        durationMs: performance.now() - startedAtMs,
        warnings: [...stepWarnings],
        ...(error === undefined ? {} : { error: error instanceof Error ? error.message : String(error) }),
      };
      this._stepRecords[index] = record;
      if (status === StepStatus.COMPLETED) this._completedSteps.add(name);
      this.runHooks(this.finishHooks, "onStepFinish", record);
      this.modified();
      return record;
    };
    return {
      name,
      warn: (message) => {
        stepWarnings.push(message);
        this.logger.warn(messages.stepWarning(name, message));
        this.addWarning(message);
      },
      complete: () => finish(StepStatus.COMPLETED),
      fail: (error) => finish(StepStatus.FAILED, error),
      skip: (reason, warning = reason) => {
        stepWarnings.push(warning);
        this.logger.warn(messages.stepSkipped(name, reason));
        this.addWarning(warning);
        return finish(StepStatus.FAILED, reason);
      },
    };
  }

  /**
   * One row per unit (id, spike count, mean rate, row, column, sensor id, SNR, STA peak position and polarity,
   * scalar features; curation label and quality metrics once there are any) as an Arrow table; display it with
   * `showTable`, save it with `writeArrow`. `{ hideRejected: true }` leaves out the units labelled "reject".
   */
  unitsTable(options: UnitsTableOptions = {}): Table {
    return unitsTable(this, options);
  }

  /** The spike train of one unit as an Arrow table (sample index and time in seconds). */
  spikesTable(unitId: string): Table {
    return spikesTable(this, unitId);
  }

  /** The session card bundle, for kernels that display objects through `Symbol.for("Jupyter.display")`. */
  [Symbol.for("Jupyter.display")](): SessionBundle {
    return sessionBundle(this);
  }

  /** A short description, so a cell ending in `session` does not print megabytes. */
  toString(): string {
    return (
      `PipelineSession(${this._datasetId}: ${this.unitCount} units, ${this._completedSteps.size} steps completed, ` +
      `${this._warnings.length} warnings, ${this._saveState}${this._hdf5Path ? ` → ${this._hdf5Path}` : ""})`
    );
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  private assertStorable(value: unknown, keyPath: string, what: string): void {
    if (!isSessionMap(value)) throw new SessionError(messages.unstorable(what, `expected a plain object, got ${typeof value}`));
    const problem = findUnstorable(value, keyPath);
    if (problem) throw new SessionError(messages.unstorable(what, problem));
  }

  private prepareTarget(
    target: string,
    overwrite: boolean,
    existsMessage: (file: string) => string,
    overwriteMessage: ((file: string) => string) | undefined,
  ): void {
    makeParentFolder(target);
    if (!fs.existsSync(target)) return;
    if (!overwrite) {
      this.logger.warn(`Blocked overwrite attempt: ${target}`);
      throw new FileExistsError(target, existsMessage(target));
    }
    if (overwriteMessage) this.logger.warn(overwriteMessage(target));
  }

  private async writeTo(target: string, savedAt: string, checkpointName: string | null): Promise<void> {
    try {
      await writeSessionFile(target, this.snapshot(savedAt, checkpointName));
    } catch (error) {
      if (error instanceof HdmeaError) throw error;
      const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new CheckpointError(target, messages.writeFailed(target, detail), { cause: error });
    }
  }

  private snapshot(savedAt: string, checkpointName: string | null): SessionSnapshot {
    return {
      datasetId: this._datasetId,
      createdAt: this._createdAt,
      hdmeaVersion: HDMEA_VERSION,
      units: this._units,
      metadata: this._metadata,
      stimulus: this._stimulus,
      sourceFiles: this._sourceFiles,
      completedSteps: [...this._completedSteps],
      warnings: this._warnings,
      savedAt,
      checkpointName,
      state: this.state.toJSON(),
      context: { ...this._contextExtra },
      stepRecords: this._stepRecords as unknown as JsonValue,
    };
  }

  private restore(snapshot: SessionSnapshot, file: string): void {
    this._units = { ...snapshot.units };
    this._metadata = snapshot.metadata;
    this._stimulus = snapshot.stimulus;
    this._sourceFiles = { ...snapshot.sourceFiles };
    for (const step of snapshot.completedSteps) this._completedSteps.add(step);
    this._warnings.push(...snapshot.warnings);
    this._savedAt = snapshot.savedAt;
    this._checkpointName = snapshot.checkpointName;
    if (isPlainJsonObject(snapshot.state)) {
      for (const [key, value] of Object.entries(snapshot.state)) this.state.set(key, value);
    }
    if (isPlainJsonObject(snapshot.context)) {
      const extra: Record<string, JsonValue> = {};
      for (const [key, value] of Object.entries(snapshot.context)) if (!LIVE_CONTEXT_KEYS.has(key)) extra[key] = value;
      if (Object.keys(extra).length > 0) this._contextExtra = extra;
    }
    if (Array.isArray(snapshot.stepRecords)) this._stepRecords.push(...(snapshot.stepRecords as unknown as StepRecord[]));
    this._saveState = SaveState.SAVED;
    this._hdf5Path = file;
  }

  private runHooks(hooks: Set<StepHook>, kind: string, record: StepRecord): void {
    for (const hook of hooks) {
      try {
        hook(record);
      } catch (error) {
        const text = messages.hookFailed(kind, record.name, error instanceof Error ? error.message : String(error));
        this._warnings.push(text);
        this.logger.error(text);
      }
    }
  }

  /** A change of what the session holds: the file (if any) no longer has it, so the session is deferred again. */
  private modified(): this {
    this._saveState = SaveState.DEFERRED;
    return this.changed();
  }

  /** Tells the listeners (the session card) that something they show changed. */
  private changed(): this {
    for (const listener of this.changeListeners) {
      try {
        listener(this);
      } catch (error) {
        this.logger.error(messages.listenerFailed(error instanceof Error ? error.message : String(error)));
      }
    }
    return this;
  }
}

/**
 * Creates the folders above `target`. A file where a folder should be (`output` is a file, the path is
 * `output/s.h5`) is a `CheckpointError` that names it, not Node's bare EEXIST / ENOTDIR.
 */
function makeParentFolder(target: string): void {
  const parent = path.dirname(target);
  for (let folder = parent; ; folder = path.dirname(folder)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(folder, { throwIfNoEntry: false });
    } catch {
      stat = undefined; // ENOTDIR: a file further up; found as the loop goes on
    }
    if (stat !== undefined) {
      if (!stat.isDirectory()) throw new CheckpointError(target, messages.parentIsFile(target, folder));
      break;
    }
    if (path.dirname(folder) === folder) break;
  }
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CheckpointError(target, messages.writeFailed(target, detail), { cause: error });
  }
}

/** What identifies one version of a file on disk without reading it. */
interface FileStamp {
  readonly path: string;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly ino: bigint;
  /** Whether a change has been reported already (once per stamp). */
  reported: boolean;
}

function statStamp(file: string): FileStamp | null {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return { path: file, size: Number(stat.size), mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino, reported: false };
  } catch {
    return null;
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino;
}

// Sessions with a file, so that a write by another session of this kernel (a step run with `hdf5Path` on the same
// file) is noticed at once rather than at the next card update. Weak references: a forgotten session is not kept.
const watchers = new Set<WeakRef<PipelineSession>>();

function watchWrites(session: PipelineSession): void {
  for (const ref of watchers) if (ref.deref() === session) return;
  watchers.add(new WeakRef(session));
}

function announceWrite(writer: PipelineSession, file: string): void {
  watchWrites(writer);
  for (const ref of [...watchers]) {
    const session = ref.deref();
    if (session === undefined) watchers.delete(ref);
    else if (session !== writer && session.hdf5Path === file) session.checkFile();
  }
}

function isPlainJsonObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
