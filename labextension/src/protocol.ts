/**
 * The display protocol as the extension reads it (DESIGN §6): mimetypes, payload shapes, and the type guards every
 * handler uses before it trusts a payload. This is the ONLY file of the extension that knows the protocol.
 *
 * The kernel library's `kernel-lib/src/display/protocol.ts` is the source of truth; until the extension imports it,
 * this file mirrors it. Fields the kernel side adds beyond DESIGN §6 (`completedSteps`, `stepsOmitted`,
 * `warningCount`, a progress `state`, …) are optional here, so the guards accept payloads from either version, and
 * the small readers at the end (`stepWarningCount`, `progressFinished`, …) hide the difference from the views.
 */

/** Version number carried by every hdmea payload. */
export const PROTOCOL_SCHEMA = 1;

/** The live session card: one display per session, updated in place. */
export const SESSION_MIME = "application/vnd.hdmea.session.v1+json";
/** An Arrow table as a base64 IPC stream. */
export const ARROW_MIME = "application/vnd.hdmea.arrow.v1+json";
/** Progress of one long-running task. */
export const PROGRESS_MIME = "application/vnd.hdmea.progress.v1+json";
/**
 * STA frames of one or more units, for the interactive STA viewer. Not in DESIGN §6 yet: a proposal of this
 * extension. The kernel sends it beside the vega-lite chart and its SVG, which remain the fallback.
 */
export const STA_MIME = "application/vnd.hdmea.sta.v1+json";

/** Display ids of session cards are this prefix followed by the session id. */
export const SESSION_DISPLAY_ID_PREFIX = "hdmea-session-";

/** Any JSON value, as it travels in a Jupyter message. */
export type ProtocolJson = null | boolean | number | string | ProtocolJson[] | { [key: string]: ProtocolJson };

export type SaveState = "deferred" | "saved";
export type StepStatus = "started" | "completed" | "failed";

/** One step record as the session card shows it. */
export interface SessionStepSummary {
  name: string;
  status: StepStatus;
  /** ISO time the step started. */
  startedAt: string;
  /** Wall time in ms; null while the step runs. */
  durationMs: number | null;
  /** The step's parameters: an object (DESIGN §6) or compact JSON text (kernel-lib's shortened form). */
  params: { [key: string]: ProtocolJson } | string;
  /** The step's warnings (DESIGN §6); the kernel library may send only `warningCount`. */
  warnings?: string[];
  warningCount?: number;
  /** Error message of a failed step. */
  error?: string;
}

/** Payload of {@link SESSION_MIME}: a bounded summary of a session, never its data. */
export interface SessionPayload {
  schema: 1;
  sessionId: string;
  datasetId: string;
  /** Grows with every bundle; an update whose `seq` is not larger than the last one seen is stale. */
  seq: number;
  saveState: SaveState;
  hdf5Path: string | null;
  unitCount: number;
  memory: { bytes: number; breakdown: { units: number; metadata: number; stimulus: number } };
  steps: SessionStepSummary[];
  warnings: string[];
  /** ISO time this payload was built. */
  updatedAt: string;
  /** Names in the session's `completedSteps`, including ones without a step record. */
  completedSteps?: string[];
  /** Step records left out of `steps` (the oldest ones). */
  stepsOmitted?: number;
  /** Warnings left out of `warnings` (the oldest ones). */
  warningsOmitted?: number;
  /** The notebook variable holding the session, when the kernel knows it; panel actions use it. */
  variableName?: string;
}

/** Payload of {@link ARROW_MIME}. */
export interface ArrowPayload {
  schema: 1;
  encoding: "arrow-ipc-stream";
  /** The Arrow IPC stream, base64. */
  base64: string;
  numRows: number;
  numCols: number;
  /** Bytes of the IPC stream before base64. */
  bytes: number;
  /** Rows of the table the bundle was made from; larger than `numRows` when a size cap cut it. */
  totalRows?: number;
}

/** Payload of {@link PROGRESS_MIME}. */
export interface ProgressPayload {
  schema: 1;
  taskId: string;
  label: string;
  done: number;
  /** null when the amount of work is unknown. */
  total: number | null;
  /** done / total in [0, 1], or null when unknown. */
  fraction: number | null;
  /** DESIGN §6 flag; the kernel library may send `state` instead. */
  finished?: boolean;
  state?: "running" | "done" | "failed";
  message?: string;
  elapsedMs?: number;
  etaMs?: number | null;
}

/** One unit's STA in an {@link StaPayload}: frames × rows × cols float32 values, little-endian, base64. */
export interface StaUnitData {
  unitId: string;
  base64: string;
}

/** Payload of {@link STA_MIME} (proposal): the same shape for every unit. */
export interface StaPayload {
  schema: 1;
  /** [frames, rows, cols], e.g. [60, 15, 15]. */
  shape: [number, number, number];
  /** Offset, in stimulus frames relative to the spike, of the first frame (e.g. the cover range's start, −60). */
  firstFrameOffset: number;
  units: StaUnitData[];
  title?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading mime data: JupyterLab hands renderers whatever JSON is stored, an object or a JSON string (§B2).

/** The JSON value of mime data given as an object or as JSON text; undefined for text that is not JSON. */
export function parseMimeData(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0 && Math.floor(value) === value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function isOptional<T>(value: unknown, guard: (v: unknown) => v is T): boolean {
  return value === undefined || guard(value);
}

function isNullableNumber(value: unknown): value is number | null {
  return value === null || isFiniteNumber(value);
}

function isStepStatus(value: unknown): value is StepStatus {
  return value === "started" || value === "completed" || value === "failed";
}

/** True for a step summary of either protocol version. */
export function isStepSummary(value: unknown): value is SessionStepSummary {
  return (
    isRecord(value) &&
    typeof value.name === "string" &&
    isStepStatus(value.status) &&
    typeof value.startedAt === "string" &&
    isNullableNumber(value.durationMs) &&
    (typeof value.params === "string" || isRecord(value.params)) &&
    isOptional(value.warnings, isStringArray) &&
    isOptional(value.warningCount, isNonNegativeInteger) &&
    (value.error === undefined || typeof value.error === "string")
  );
}

/** True for a session payload this extension can show (schema 1). */
export function isSessionPayload(value: unknown): value is SessionPayload {
  if (!isRecord(value) || value.schema !== PROTOCOL_SCHEMA) return false;
  const memory = value.memory;
  const breakdown = isRecord(memory) ? memory.breakdown : undefined;
  return (
    typeof value.sessionId === "string" &&
    value.sessionId !== "" &&
    typeof value.datasetId === "string" &&
    isFiniteNumber(value.seq) &&
    (value.saveState === "deferred" || value.saveState === "saved") &&
    (value.hdf5Path === null || typeof value.hdf5Path === "string") &&
    isNonNegativeInteger(value.unitCount) &&
    isRecord(memory) &&
    isFiniteNumber(memory.bytes) &&
    isRecord(breakdown) &&
    isFiniteNumber(breakdown.units) &&
    isFiniteNumber(breakdown.metadata) &&
    isFiniteNumber(breakdown.stimulus) &&
    Array.isArray(value.steps) &&
    value.steps.every(isStepSummary) &&
    isStringArray(value.warnings) &&
    typeof value.updatedAt === "string" &&
    isOptional(value.completedSteps, isStringArray) &&
    isOptional(value.stepsOmitted, isNonNegativeInteger) &&
    isOptional(value.warningsOmitted, isNonNegativeInteger) &&
    (value.variableName === undefined || typeof value.variableName === "string")
  );
}

/** True for an Arrow table payload (schema 1, IPC stream encoding). */
export function isArrowPayload(value: unknown): value is ArrowPayload {
  return (
    isRecord(value) &&
    value.schema === PROTOCOL_SCHEMA &&
    value.encoding === "arrow-ipc-stream" &&
    typeof value.base64 === "string" &&
    isNonNegativeInteger(value.numRows) &&
    isNonNegativeInteger(value.numCols) &&
    isNonNegativeInteger(value.bytes) &&
    isOptional(value.totalRows, isNonNegativeInteger)
  );
}

/** True for a progress payload of either protocol version. */
export function isProgressPayload(value: unknown): value is ProgressPayload {
  return (
    isRecord(value) &&
    value.schema === PROTOCOL_SCHEMA &&
    typeof value.taskId === "string" &&
    typeof value.label === "string" &&
    isFiniteNumber(value.done) &&
    isNullableNumber(value.total) &&
    isNullableNumber(value.fraction) &&
    (value.finished === undefined || typeof value.finished === "boolean") &&
    (value.state === undefined || value.state === "running" || value.state === "done" || value.state === "failed") &&
    (value.message === undefined || typeof value.message === "string")
  );
}

/** True for an STA payload whose shape is three positive integers and whose units each name an id and data. */
export function isStaPayload(value: unknown): value is StaPayload {
  if (!isRecord(value) || value.schema !== PROTOCOL_SCHEMA) return false;
  const shape = value.shape;
  return (
    Array.isArray(shape) &&
    shape.length === 3 &&
    shape.every((n) => isNonNegativeInteger(n) && n > 0) &&
    isFiniteNumber(value.firstFrameOffset) &&
    Array.isArray(value.units) &&
    value.units.length > 0 &&
    value.units.every((unit) => isRecord(unit) && typeof unit.unitId === "string" && typeof unit.base64 === "string") &&
    (value.title === undefined || typeof value.title === "string")
  );
}

/** The session payload in mime data (object or JSON text), or null when it is missing or malformed. */
export function readSessionPayload(data: unknown): SessionPayload | null {
  const value = parseMimeData(data);
  return isSessionPayload(value) ? value : null;
}

/** The Arrow payload in mime data, or null. */
export function readArrowPayload(data: unknown): ArrowPayload | null {
  const value = parseMimeData(data);
  return isArrowPayload(value) ? value : null;
}

/** The progress payload in mime data, or null. */
export function readProgressPayload(data: unknown): ProgressPayload | null {
  const value = parseMimeData(data);
  return isProgressPayload(value) ? value : null;
}

/** The STA payload in mime data, or null. */
export function readStaPayload(data: unknown): StaPayload | null {
  const value = parseMimeData(data);
  return isStaPayload(value) ? value : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Readers that hide the differences between the two payload versions.

/** Number of warnings a step left. */
export function stepWarningCount(step: SessionStepSummary): number {
  return step.warnings?.length ?? step.warningCount ?? 0;
}

/** A step's parameters as one line of compact JSON. */
export function stepParamsText(step: SessionStepSummary): string {
  return typeof step.params === "string" ? step.params : JSON.stringify(step.params);
}

/** Warnings the session holds in total, including those left out of the payload. */
export function sessionWarningCount(payload: SessionPayload): number {
  return payload.warnings.length + (payload.warningsOmitted ?? 0);
}

/** Names of the session's completed steps, in order. */
export function completedStepNames(payload: SessionPayload): string[] {
  if (payload.completedSteps) return payload.completedSteps;
  return payload.steps.filter((step) => step.status === "completed").map((step) => step.name);
}

/** True when the task will send no more updates. */
export function progressFinished(payload: ProgressPayload): boolean {
  return payload.finished === true || payload.state === "done" || payload.state === "failed";
}

/** Fraction done in [0, 1], or null when unknown. */
export function progressFraction(payload: ProgressPayload): number | null {
  const raw = payload.fraction ?? (payload.total !== null && payload.total > 0 ? payload.done / payload.total : null);
  return raw === null ? null : Math.min(1, Math.max(0, raw));
}
