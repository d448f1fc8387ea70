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
import { unitsTable } from "../arrow/units-table";
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
    this.state = new StateStore(() => this.changed());
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
  /** Per-unit data keyed by unit id (`unit_001`, …). Change it through `addUnits` / `addFeature`. */
  get units(): Readonly<Record<string, Readonly<SessionMap>>> {
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
    return this.changed();
  }

  /** Merges `metadata` into the session's metadata (top-level keys replace, nested maps replace whole). */
  addMetadata(metadata: Readonly<SessionMap>): this {
    this.assertStorable(metadata, "metadata", "metadata");
    this._metadata = { ...this._metadata, ...metadata };
    return this.changed();
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
    return this.changed();
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
    return this.changed();
  }

  /** Adds a warning (recoverable problem) to the session. */
  addWarning(message: string): this {
    this._warnings.push(String(message));
    return this.changed();
  }

  /** Adds `name` to `completedSteps`. */
  markStepComplete(name: string): this {
    this._completedSteps.add(name);
    return this.changed();
  }

  /** Records source file paths; a missing or empty argument leaves the existing entry as it is. */
  setSourceFiles(files: SourceFiles): this {
    if (files.cmcrPath) this._sourceFiles.cmcr_path = files.cmcrPath;
    if (files.cmtrPath) this._sourceFiles.cmtr_path = files.cmtrPath;
    return this.changed();
  }

  /** @internal Records a context entry (e.g. the simulator recipe); the library calls this, notebooks read `context`. */
  setContextEntry(key: string, value: JsonValue): this {
    if (LIVE_CONTEXT_KEYS.has(key)) throw new SessionError(`context.${key} is derived from the session and cannot be set`);
    this._contextExtra = { ...this._contextExtra, [key]: copyJson(value) };
    return this.changed();
  }

  /**
   * Saves the whole session to `outputPath` (default `<outputDir>/<datasetId>.h5`) atomically and returns the
   * absolute path. The session becomes SAVED with `hdf5Path` set. An existing file is replaced with a logged
   * warning, unless `overwrite: false`, which throws `FileExistsError`.
   */
  async save(outputPath?: string, options: SaveOptions = {}): Promise<string> {
    const target = path.resolve(outputPath ?? path.join(this._outputDir, `${this._datasetId}.h5`));
    this.prepareTarget(target, options.overwrite ?? true, messages.fileExists, options.inPlace ? undefined : messages.overwriting);
    const savedAt = nowIso();
    await this.writeTo(target, savedAt, null);
    this._savedAt = savedAt;
    this._saveState = SaveState.SAVED;
    this._hdf5Path = target;
    this.changed();
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
    return target;
  }

  /**
   * Returns `hdf5Path` when the session is saved; otherwise saves it (to `defaultPath` or the default path) with a
   * logged warning, never replacing an existing file (`FileExistsError`).
   */
  async ensureSaved(defaultPath?: string): Promise<string> {
    if (this.isSaved && this._hdf5Path !== null) return this._hdf5Path;
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
    this.changed();
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
      this.changed();
      return record;
    };
    return {
      name,
      warn: (message) => {
        stepWarnings.push(message);
        this.addWarning(message);
      },
      complete: () => finish(StepStatus.COMPLETED),
      fail: (error) => finish(StepStatus.FAILED, error),
    };
  }

  /**
   * One row per unit (id, spike count, mean rate, row, column, sensor id, SNR, STA peak position and polarity,
   * scalar features) as an Arrow table; display it with `showTable`, save it with `writeArrow`.
   */
  unitsTable(): Table {
    return unitsTable(this);
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
    fs.mkdirSync(path.dirname(target), { recursive: true });
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
