/**
 * `unitsTable(session)`: one row per unit with what a lab member sorts and filters by — spike count, mean rate,
 * array position, SNR, STA peak and every scalar feature. Columns whose inputs are missing hold nulls; nothing here
 * throws for an incomplete session.
 */
import { Table, type Vector } from "apache-arrow";
import { isNumericArray, isSessionMap, NdArray, type SessionMap, type SessionValue } from "../hdf5/values";
import type { PipelineSession } from "../session/session";
import { staFirstFrameOffset, staPeak } from "../dsp/sta-peak";
import { TABLE_SESSION_ID_KEY, TABLE_UNIT_ID_COLUMN_KEY } from "../display/protocol";
import { cellsToVector, float64Vector, int32Vector, utf8Vector, type Cell } from "./columns";
import { qualityColumns, QUALITY_FEATURE_NAME } from "./quality-columns";
import { rejectedUnitIds } from "../quality/curation";

/** The fixed columns of {@link unitsTable}, in order; scalar feature columns follow, sorted by name. */
export const UNITS_TABLE_COLUMNS = [
  "unit_id",
  "spike_count",
  "mean_rate_hz",
  "row",
  "col",
  "sensor_id",
  "snr",
  "sta_peak_frame",
  "sta_peak_row",
  "sta_peak_col",
  "sta_polarity",
] as const;

const STA_FEATURE_PREFIX = "sta_";
const STA_COLUMNS = ["sta_peak_frame", "sta_peak_row", "sta_peak_col", "sta_polarity"] as const;

/**
 * Options of {@link unitsTable}. (Between the fixed and the feature columns, the table also holds, once any unit has
 * them, `curation_label`, the quality metrics of `computeQualityMetrics` and the `.cmtr`'s isolation scores: see
 * `qualityColumns`.)
 */
export interface UnitsTableOptions {
  /** Leave out the units labelled "reject" (`labelUnits`). Default false. */
  hideRejected?: boolean;
}

/**
 * The units of `session` as an Arrow table: `unit_id`, `spike_count`, `mean_rate_hz` (spikes over the recording
 * duration), `row`, `col`, `sensor_id`, `snr`, the peak of the first `sta_*` feature (`staPeak`, the same peak
 * the STA chart and viewer mark: `sta_peak_frame` in stimulus frames relative to the spike, e.g. −5 = five frames
 * before it, as the viewer labels frames; `sta_peak_row`, `sta_peak_col`, `sta_polarity` "ON"/"OFF") and one column
 * per scalar feature value (`frif_count` for a scalar feature, `step_up_5s_5i_3x.on_peak_value` for a key of a
 * feature map). The four STA columns are left out while no unit has an STA.
 */
export function unitsTable(session: PipelineSession, options: UnitsTableOptions = {}): Table {
  const rejected = new Set(options.hideRejected ? rejectedUnitIds(session) : []);
  const unitIds = Object.keys(session.units).filter((unitId) => !rejected.has(unitId));
  const durationS = recordingDurationS(session.metadata);
  const cells: Record<string, Cell[]> = {};
  const fixed = {
    spike_count: [] as (number | null)[],
    mean_rate_hz: [] as (number | null)[],
    row: [] as (number | null)[],
    col: [] as (number | null)[],
    sensor_id: [] as (number | null)[],
    snr: [] as (number | null)[],
    sta_peak_frame: [] as (number | null)[],
    sta_peak_row: [] as (number | null)[],
    sta_peak_col: [] as (number | null)[],
    sta_polarity: [] as (string | null)[],
  };
  unitIds.forEach((unitId, index) => {
    const unit = session.units[unitId];
    const meta = isSessionMap(unit.unit_meta) ? unit.unit_meta : {};
    const spikeCount = isNumericArray(unit.spike_times) ? unit.spike_times.length : null;
    fixed.spike_count.push(spikeCount);
    fixed.mean_rate_hz.push(spikeCount !== null && durationS !== null && durationS > 0 ? spikeCount / durationS : null);
    fixed.row.push(wholeNumber(unit.row) ?? wholeNumber(meta.row));
    fixed.col.push(wholeNumber(unit.col) ?? wholeNumber(meta.column) ?? wholeNumber(meta.col));
    fixed.sensor_id.push(wholeNumber(unit.global_id) ?? wholeNumber(meta.sensorid) ?? wholeNumber(meta.sensor_id));
    fixed.snr.push(scalarNumber(meta.snr) ?? scalarNumber(unit.snr));
    const features = isSessionMap(unit.features) ? unit.features : {};
    const peak = staPeakOf(features);
    fixed.sta_peak_frame.push(peak === null ? null : peak.frame + peak.firstFrameOffset);
    fixed.sta_peak_row.push(peak?.row ?? null);
    fixed.sta_peak_col.push(peak?.col ?? null);
    fixed.sta_polarity.push(peak === null ? null : peak.polarity > 0 ? "ON" : "OFF");
    for (const [name, cell] of scalarFeatureCells(features)) {
      const column = (cells[name] ??= new Array<Cell>(unitIds.length).fill(null));
      column[index] = cell;
    }
  });
  const columns: Record<string, Vector> = {
    unit_id: utf8Vector(unitIds),
    spike_count: int32Vector(fixed.spike_count),
    mean_rate_hz: float64Vector(fixed.mean_rate_hz),
    row: int32Vector(fixed.row),
    col: int32Vector(fixed.col),
    sensor_id: int32Vector(fixed.sensor_id),
    snr: float64Vector(fixed.snr),
    sta_peak_frame: int32Vector(fixed.sta_peak_frame),
    sta_peak_row: int32Vector(fixed.sta_peak_row),
    sta_peak_col: int32Vector(fixed.sta_peak_col),
    sta_polarity: utf8Vector(fixed.sta_polarity),
    ...qualityColumns(session, unitIds),
  };
  if (fixed.sta_polarity.every((polarity) => polarity === null)) {
    for (const name of STA_COLUMNS) delete columns[name];
  }
  for (const name of Object.keys(cells).sort()) if (!(name in columns)) columns[name] = cellsToVector(cells[name]);
  const table = new Table(columns);
  // Names the session, so a shown table can open a unit's page from a row (ArrowPayload.sessionId).
  table.schema.metadata.set(TABLE_SESSION_ID_KEY, session.sessionId);
  table.schema.metadata.set(TABLE_UNIT_ID_COLUMN_KEY, "unit_id");
  return table;
}

/** Recording length in seconds from the metadata the loaders write, or null when none is there. */
export function recordingDurationS(metadata: Readonly<SessionMap>): number | null {
  const candidates: SessionValue[] = [
    metadata.recording_duration_s,
    isSessionMap(metadata.sys_meta) ? metadata.sys_meta.recording_duration_s : undefined,
    isSessionMap(metadata.cmcr_meta) ? metadata.cmcr_meta.recording_duration_s : undefined,
  ];
  for (const candidate of candidates) {
    const value = scalarNumber(candidate);
    if (value !== null && value > 0) return value;
  }
  const rate = scalarNumber(metadata.acquisition_rate);
  const frames = metadata.frame_timestamps;
  if (rate !== null && rate > 0 && isNumericArray(frames) && frames.length > 0) return Number(frames[frames.length - 1]) / rate;
  return null;
}

/** A number, or the only element of a one-element numeric array (how vendor metadata stores scalars). */
function scalarNumber(value: SessionValue): number | null {
  if (typeof value === "number") return value;
  if (isNumericArray(value) && value.length === 1) return Number(value[0]);
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "number") return value[0];
  return null;
}

function wholeNumber(value: SessionValue): number | null {
  const number = scalarNumber(value);
  return number !== null && Number.isInteger(number) && Math.abs(number) <= 2 ** 31 - 1 ? number : null;
}

function staPeakOf(features: SessionMap) {
  for (const [name, entry] of Object.entries(features)) {
    if (!name.startsWith(STA_FEATURE_PREFIX) || !isSessionMap(entry)) continue;
    if (!(entry.data instanceof NdArray) || entry.data.ndim !== 3) continue;
    const peak = staPeak(entry.data);
    const coverRange = isSessionMap(entry.metadata) ? entry.metadata.cover_range : undefined;
    return peak === null ? null : { ...peak, firstFrameOffset: staFirstFrameOffset(coverRange, entry.data.shape[0]) };
  }
  return null;
}

/** The scalar values of every feature, as (column name, cell) pairs. */
function scalarFeatureCells(features: SessionMap): [string, Cell][] {
  const out: [string, Cell][] = [];
  for (const [name, entry] of Object.entries(features)) {
    if (name === QUALITY_FEATURE_NAME) continue; // shown as the quality columns
    const data = isSessionMap(entry) && "data" in entry ? entry.data : entry;
    const scalar = scalarCell(data);
    if (scalar !== undefined) {
      out.push([name, scalar]);
      continue;
    }
    if (!isSessionMap(data)) continue;
    for (const [key, value] of Object.entries(data)) {
      const cell = scalarCell(value);
      if (cell !== undefined) out.push([`${name}.${key}`, cell]);
    }
  }
  return out;
}

function scalarCell(value: SessionValue): Cell | undefined {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value === null) return null;
  const number = scalarNumber(value);
  return number === null ? undefined : number;
}
