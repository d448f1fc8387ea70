/**
 * The display protocol as the extension reads it (DESIGN §6). The mimetypes, constants and payload types come from
 * the kernel library's `display/protocol.ts` (built as `hdmea/dist/display/protocol`), the single source of the
 * contract, so the two sides cannot drift. This file adds what only a frontend needs: the type guards every handler
 * runs before it trusts a payload, and small readers of payloads.
 */
import type { ProtocolJson, SessionPayload, SessionStepSummary, ArrowPayload, ProgressPayload, StaPayload } from "hdmea/dist/display/protocol";
import { PROTOCOL_SCHEMA } from "hdmea/dist/display/protocol";

export {
  ARROW_MIME,
  PROGRESS_MIME,
  PROTOCOL_SCHEMA,
  SESSION_DISPLAY_ID_PREFIX,
  SESSION_MIME,
  STA_MIME,
} from "hdmea/dist/display/protocol";
export type {
  ArrowPayload,
  ProgressPayload,
  ProtocolJson,
  SessionPayload,
  SessionStepSummary,
  StaPayload,
  StaUnitData,
  StaUnitPeak,
} from "hdmea/dist/display/protocol";

export type SaveState = SessionPayload["saveState"];
export type StepStatus = SessionStepSummary["status"];

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

function isNullableNumber(value: unknown): value is number | null {
  return value === null || isFiniteNumber(value);
}

function isStepStatus(value: unknown): value is StepStatus {
  return value === "started" || value === "completed" || value === "failed";
}

/** True for JSON data (what a step's parameters may hold); JSON from a Jupyter message always is. */
function isJson(value: unknown, depth = 0): value is ProtocolJson {
  if (value === null || typeof value === "boolean" || typeof value === "string") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (depth > 32) return false;
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  return isRecord(value) && Object.values(value).every((item) => isJson(item, depth + 1));
}

/** True for a step summary: parameters as an object, the step's warnings as a list. */
export function isStepSummary(value: unknown): value is SessionStepSummary {
  return (
    isRecord(value) &&
    typeof value.name === "string" &&
    isStepStatus(value.status) &&
    typeof value.startedAt === "string" &&
    isNullableNumber(value.durationMs) &&
    isRecord(value.params) &&
    isJson(value.params) &&
    isStringArray(value.warnings) &&
    isNonNegativeInteger(value.warningsOmitted) &&
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
    (value.hdf5RelativePath === undefined || value.hdf5RelativePath === null || typeof value.hdf5RelativePath === "string") &&
    (value.outputDir === undefined || typeof value.outputDir === "string") &&
    isNonNegativeInteger(value.unitCount) &&
    isRecord(memory) &&
    isFiniteNumber(memory.bytes) &&
    isRecord(breakdown) &&
    isFiniteNumber(breakdown.units) &&
    isFiniteNumber(breakdown.metadata) &&
    isFiniteNumber(breakdown.stimulus) &&
    isStringArray(value.completedSteps) &&
    Array.isArray(value.steps) &&
    value.steps.every(isStepSummary) &&
    isNonNegativeInteger(value.stepsOmitted) &&
    isStringArray(value.warnings) &&
    isNonNegativeInteger(value.warningsOmitted) &&
    typeof value.updatedAt === "string"
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
    isNonNegativeInteger(value.totalRows) &&
    (value.sessionId === undefined || (typeof value.sessionId === "string" && value.sessionId !== "")) &&
    (value.unitIdColumn === undefined || typeof value.unitIdColumn === "string")
  );
}

/** True for a progress payload. */
export function isProgressPayload(value: unknown): value is ProgressPayload {
  return (
    isRecord(value) &&
    value.schema === PROTOCOL_SCHEMA &&
    typeof value.taskId === "string" &&
    typeof value.label === "string" &&
    (value.state === "running" || value.state === "done" || value.state === "failed") &&
    isFiniteNumber(value.done) &&
    isNullableNumber(value.total) &&
    isNullableNumber(value.fraction) &&
    isFiniteNumber(value.elapsedMs) &&
    isNullableNumber(value.etaMs) &&
    typeof value.message === "string" &&
    isFiniteNumber(value.seq) &&
    typeof value.updatedAt === "string"
  );
}

/** True for a unit's peak as the kernel sends it, or for none (older kernels; null: no finite value). */
function isStaUnitPeak(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return (
    isRecord(value) &&
    isNonNegativeInteger(value.frame) &&
    isNonNegativeInteger(value.row) &&
    isNonNegativeInteger(value.col) &&
    isFiniteNumber(value.zScore) &&
    (value.polarity === 1 || value.polarity === -1)
  );
}

/** True for an STA payload: a shape of three positive integers, and units that each name an id and data. */
export function isStaPayload(value: unknown): value is StaPayload {
  if (!isRecord(value) || value.schema !== PROTOCOL_SCHEMA) return false;
  const shape = value.shape;
  const units = value.units;
  return (
    Array.isArray(shape) &&
    shape.length === 3 &&
    shape.every((n) => isNonNegativeInteger(n) && n > 0) &&
    isFiniteNumber(value.firstFrameOffset) &&
    typeof value.feature === "string" &&
    typeof value.title === "string" &&
    Array.isArray(units) &&
    units.length > 0 &&
    units.every((unit) => isRecord(unit) && typeof unit.unitId === "string" && typeof unit.base64 === "string" && isStaUnitPeak(unit.peak)) &&
    typeof value.selectedUnitId === "string" &&
    units.some((unit) => isRecord(unit) && unit.unitId === value.selectedUnitId)
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
// Small readers of payloads, shared by the panel and the renderers.

/** Number of warnings a step left, including those left out of its list. */
export function stepWarningCount(step: SessionStepSummary): number {
  return step.warnings.length + step.warningsOmitted;
}

/** A step's parameters as one line of compact JSON ("" when it had none). */
export function stepParamsText(step: SessionStepSummary): string {
  return Object.keys(step.params).length === 0 ? "" : JSON.stringify(step.params);
}

/** Warnings the session holds in total, including those left out of the payload. */
export function sessionWarningCount(payload: SessionPayload): number {
  return payload.warnings.length + payload.warningsOmitted;
}

/** True when the task will send no more updates. */
export function progressFinished(payload: ProgressPayload): boolean {
  return payload.state === "done" || payload.state === "failed";
}

/** Fraction done in [0, 1], or null when unknown. */
export function progressFraction(payload: ProgressPayload): number | null {
  const raw = payload.fraction ?? (payload.total !== null && payload.total > 0 ? payload.done / payload.total : null);
  return raw === null ? null : Math.min(1, Math.max(0, raw));
}

/** Index of the unit the STA viewer shows first. */
export function staSelectedIndex(payload: StaPayload): number {
  return Math.max(0, payload.units.findIndex((unit) => unit.unitId === payload.selectedUnitId));
}
