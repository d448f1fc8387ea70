/**
 * Reader of MCS spike-sorter result files (.cmtr, mcs-file-format.md §2). It reads metadata first, checks the
 * layout, then reads each unit's Peaks table in bounded blocks of rows as raw bytes.
 *
 *   open (typed errors) → root attributes → Spike Sorter group → per `Unit N`: attributes, Unit Info, Peaks
 *
 * Peak timestamps stay in µs, as in the file; converting them to samples is the loader's job.
 */
import { DataLoadError } from "../errors";
import type { H5Dataset, H5File, H5Group } from "../hdf5/bridge";
import type { Dtype } from "../hdf5/codec";
import { Int64Numbers, NdArray, Uint64Numbers, type NumericArray } from "../hdf5/values";
import {
  attributeDtypes,
  childDataset,
  childGroup,
  closeQuietly,
  compoundFields,
  fieldReader,
  guarded,
  guardedAsync,
  openVendorFile,
  readAttributes,
  readCompoundRecords,
  readRawRows,
  type AttributeValue,
  type CompoundField,
} from "./h5-read";
import { messages } from "./messages";

/** Options of {@link readCmtrUnits}. */
export interface ReadCmtrOptions {
  /** Path of the `.cmtr` file. */
  readonly cmtrPath: string;
  /** Also return every Peaks row (IncludePeak 0 and 1) in `allPeaks`. Default false. */
  readonly includeAllPeaks?: boolean;
  /** Read the cut-outs of the included peaks. Default true. */
  readonly includeCutouts?: boolean;
  /**
   * Also return every column of the Peaks table with its own element type in `peakColumns` (what the reference
   * stores as `unit_meta/peaks_data`); with `"withCutouts"` the cut-out columns "1".."N" too. Default false.
   */
  readonly peakColumns?: false | "withoutCutouts" | "withCutouts";
  /** Also read each unit's `RoiSTAs` and `Unmixing` datasets (as float32). Default false. */
  readonly includeUnitArrays?: boolean;
  /**
   * Skip a unit whose group cannot be read (no Peaks, Peaks of the wrong type) and list it in `skippedUnits`,
   * instead of failing the whole read. Default false.
   */
  readonly skipBadUnits?: boolean;
}

/** Every row of a unit's Peaks table. */
export interface CmtrPeakRows {
  /** Peak times in µs since the recording start. */
  readonly timestampsUs: Float64Array;
  readonly peakAmplitudes: Float64Array;
  /** 1 = classified as a spike, 0 = sub-threshold peak. */
  readonly includePeak: Int8Array;
}

/** Cut-outs of the included peaks: `count` rows of `length` samples, row-major, at full (float64) precision. */
export interface CmtrCutouts {
  readonly data: Float64Array;
  readonly count: number;
  readonly length: number;
}

/** One `Unit N` group of the Spike Sorter. */
export interface CmtrUnit {
  /** N of `Unit N`. */
  readonly unitNumber: number;
  /** The HDF5 name of the group, e.g. `Unit 7`. */
  readonly groupName: string;
  /** Timestamps (µs) of the peaks with IncludePeak = 1, in file order. */
  readonly includedTimestampsUs: Float64Array;
  /** PeakAmplitude of the included peaks (source units). */
  readonly includedAmplitudes: Float64Array;
  /** Cut-outs of the included peaks (every Peaks field after the third); empty when not read or absent. */
  readonly cutouts: CmtrCutouts;
  /** Every Peaks row, when `includeAllPeaks` was set. */
  readonly allPeaks?: CmtrPeakRows;
  /** The one-row `Unit Info` record (UnitID, RoiID, SensorID, Row, Column, SNR, …), or null when absent. */
  readonly unitInfo: Readonly<Record<string, number | string>> | null;
  /** The kind of each `Unit Info` field (integer fields are int64 in `unit_meta`, floats float64). */
  readonly unitInfoKinds: Readonly<Record<string, CompoundField["kind"]>>;
  /** Attributes of the unit group (UnitID, SensorID, Row, Column, ID.*, …). */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** The element type of each attribute of the unit group (undefined for types the codec does not know). */
  readonly attributeDtypes: Readonly<Record<string, Dtype | undefined>>;
  /** Every Peaks column in file order with its own element type, when `peakColumns` was set. */
  readonly peakColumns?: readonly CmtrPeakColumn[];
  /** `RoiSTAs` (float32, its own shape), when `includeUnitArrays` was set and the dataset is there and not empty. */
  readonly roiStas?: NdArray<Float32Array>;
  /** `Unmixing` (float32, its own shape), when `includeUnitArrays` was set and the dataset is there and not empty. */
  readonly unmixing?: NdArray<Float32Array>;
  /** Attributes of the Peaks table (Tick, AmplitudeThreshold, ID.*). */
  readonly peaksAttributes: Readonly<Record<string, AttributeValue>>;
}

/** One column of a Peaks table: int64 columns as {@link Int64Numbers}, others in their own typed array. */
export interface CmtrPeakColumn {
  readonly name: string;
  readonly values: NumericArray;
}

/** A unit left out because `skipBadUnits` was set. */
export interface SkippedCmtrUnit {
  readonly groupName: string;
  readonly error: DataLoadError;
}

/** What {@link readCmtrUnits} returns. */
export interface CmtrContents {
  readonly filePath: string;
  /** Root attributes of the file (ID.*, FileVersion, DateTime, LB.RecordingDuration, …). */
  readonly rootAttributes: Readonly<Record<string, AttributeValue>>;
  /** The element type of each root attribute. */
  readonly rootAttributeDtypes: Readonly<Record<string, Dtype | undefined>>;
  /** Units in ascending unit number. */
  readonly units: readonly CmtrUnit[];
  readonly skippedUnits: readonly SkippedCmtrUnit[];
}

const SPIKE_SORTER = "Spike Sorter";
const UNIT_NAME = /^Unit[ _](\d+)$/;
const PEAK_FIELDS = ["Timestamp", "PeakAmplitude", "IncludePeak"] as const;
/** Rows per raw read: bounds the HDF5 heap buffer whatever the size of the Peaks table. */
const ROWS_PER_BLOCK = 32_768;

/**
 * Reads every unit of a `.cmtr` file. Throws `FileNotFoundError` for a missing file and `DataLoadError` (naming the
 * file and the HDF5 path) for a wrong extension, a non-HDF5 or truncated file, a missing Spike Sorter group, a unit
 * without Peaks and a Peaks table of the wrong type.
 */
export async function readCmtrUnits(options: ReadCmtrOptions): Promise<CmtrContents> {
  const { cmtrPath, includeAllPeaks = false, includeCutouts = true, skipBadUnits = false } = options;
  const extras: UnitExtras = { peakColumns: options.peakColumns ?? false, unitArrays: options.includeUnitArrays ?? false };
  const file = await openVendorFile(cmtrPath, ".cmtr", "CMTR");
  try {
    const rootAttributes = guarded(cmtrPath, "/", () => readAttributes(file));
    const rootAttributeDtypes = guarded(cmtrPath, "/", () => attributeDtypes(file));
    const sorter = guarded(cmtrPath, `/${SPIKE_SORTER}`, () => childGroup(file, SPIKE_SORTER));
    if (sorter === undefined) {
      throw new DataLoadError(cmtrPath, messages.missingGroup(cmtrPath, `/${SPIKE_SORTER}`, "the spike sorter results"));
    }
    const names = guarded(cmtrPath, `/${SPIKE_SORTER}`, () => unitGroupNames(sorter));
    const units: CmtrUnit[] = [];
    const skippedUnits: SkippedCmtrUnit[] = [];
    for (const { name, unitNumber } of names) {
      try {
        units.push(await readUnit(file, cmtrPath, name, unitNumber, includeAllPeaks, includeCutouts, extras));
      } catch (error) {
        if (!(skipBadUnits && error instanceof DataLoadError)) throw error;
        skippedUnits.push({ groupName: name, error });
      }
    }
    return { filePath: cmtrPath, rootAttributes, rootAttributeDtypes, units, skippedUnits };
  } finally {
    closeQuietly(file);
  }
}

function unitGroupNames(sorter: H5Group): { name: string; unitNumber: number }[] {
  const found: { name: string; unitNumber: number }[] = [];
  for (const name of sorter.keys()) {
    const match = UNIT_NAME.exec(name);
    if (match !== null && childGroup(sorter, name) !== undefined) found.push({ name, unitNumber: Number(match[1]) });
  }
  return found.sort((a, b) => a.unitNumber - b.unitNumber);
}

interface UnitExtras {
  readonly peakColumns: false | "withoutCutouts" | "withCutouts";
  readonly unitArrays: boolean;
}

async function readUnit(
  file: H5File,
  filePath: string,
  name: string,
  unitNumber: number,
  includeAllPeaks: boolean,
  includeCutouts: boolean,
  extras: UnitExtras,
): Promise<CmtrUnit> {
  const unitPath = `/${SPIKE_SORTER}/${name}`;
  const group = guarded(filePath, unitPath, () => file.get(unitPath) as H5Group);
  const attributes = guarded(filePath, unitPath, () => readAttributes(group));
  const peaksPath = `${unitPath}/Peaks`;
  const peaks = guarded(filePath, peaksPath, () => childDataset(group, "Peaks"));
  if (peaks === undefined) throw new DataLoadError(filePath, messages.unitWithoutPeaks(filePath, unitPath));
  const fields = guarded(filePath, peaksPath, () => compoundFields(peaks));
  const shape = guarded(filePath, peaksPath, () => peaks.metadata.shape);
  const layout = fields === undefined || shape === null || shape.length !== 1 ? undefined : peakLayout(fields);
  if (layout === undefined || shape === null) {
    throw new DataLoadError(filePath, messages.peaksWrongType(filePath, peaksPath, describeDataset(peaks, fields)));
  }
  const peaksAttributes = guarded(filePath, peaksPath, () => readAttributes(peaks));
  const columnFields = extras.peakColumns === false ? [] : extras.peakColumns === "withCutouts" ? (fields ?? []) : (fields ?? []).slice(0, 3);
  const table = await guardedAsync(filePath, peaksPath, () => readPeaks(peaks, shape[0], layout, includeCutouts, columnFields));
  const unitInfoDataset = childDataset(group, "Unit Info") ?? childDataset(group, "Unit_Info");
  const unitInfo =
    unitInfoDataset === undefined
      ? null
      : ((await guardedAsync(filePath, `${unitPath}/Unit Info`, () => readCompoundRecords(unitInfoDataset)))[0] ?? null);
  const unitInfoKinds: Record<string, CompoundField["kind"]> = {};
  for (const field of unitInfoDataset === undefined ? [] : (compoundFields(unitInfoDataset) ?? [])) unitInfoKinds[field.name] = field.kind;
  const unitAttributeDtypes = guarded(filePath, unitPath, () => attributeDtypes(group));
  const roiStas = extras.unitArrays ? guarded(filePath, `${unitPath}/RoiSTAs`, () => float32Array(childDataset(group, "RoiSTAs"))) : undefined;
  const unmixing = extras.unitArrays ? guarded(filePath, `${unitPath}/Unmixing`, () => float32Array(childDataset(group, "Unmixing"))) : undefined;

  return {
    unitNumber,
    groupName: name,
    includedTimestampsUs: table.includedTimestampsUs,
    includedAmplitudes: table.includedAmplitudes,
    cutouts: table.cutouts,
    allPeaks: includeAllPeaks
      ? { timestampsUs: table.timestampsUs, peakAmplitudes: table.peakAmplitudes, includePeak: table.includePeak }
      : undefined,
    unitInfo,
    unitInfoKinds,
    attributes,
    attributeDtypes: unitAttributeDtypes,
    peakColumns: extras.peakColumns === false ? undefined : table.columns,
    roiStas,
    unmixing,
    peaksAttributes,
  };
}

/** A numeric dataset as float32 with its shape (the reference's `np.array(x, dtype=float32)`); undefined when absent or empty. */
function float32Array(dataset: H5Dataset | undefined): NdArray<Float32Array> | undefined {
  if (dataset === undefined) return undefined;
  const shape = dataset.metadata.shape;
  const value = dataset.value as unknown;
  if (shape === null || !ArrayBuffer.isView(value)) return undefined;
  const data = Float32Array.from(value as unknown as ArrayLike<number | bigint>, Number);
  return data.length === 0 ? undefined : new NdArray(data, shape.length === 0 ? [1] : shape);
}

/** An empty column of the typed array a compound field is kept in. */
function columnArray(field: CompoundField, rows: number): NumericArray {
  if (field.kind === "float") return field.size === 4 ? new Float32Array(rows) : new Float64Array(rows);
  const signed = field.kind === "int";
  switch (field.size) {
    case 1:
      return signed ? new Int8Array(rows) : new Uint8Array(rows);
    case 2:
      return signed ? new Int16Array(rows) : new Uint16Array(rows);
    case 4:
      return signed ? new Int32Array(rows) : new Uint32Array(rows);
    default:
      return signed ? new Int64Numbers(rows) : new Uint64Numbers(rows);
  }
}

interface PeakLayout {
  readonly timestamp: CompoundField;
  readonly amplitude: CompoundField;
  readonly include: CompoundField;
  /** Every field after the first three (McsPy's rule), numeric ones only. */
  readonly cutout: readonly CompoundField[];
}

function peakLayout(fields: readonly CompoundField[]): PeakLayout | undefined {
  const byName = new Map(fields.map((field) => [field.name, field]));
  const [timestamp, amplitude, include] = PEAK_FIELDS.map((name) => byName.get(name));
  if (timestamp === undefined || amplitude === undefined || include === undefined) return undefined;
  if ([timestamp, amplitude, include].some((field) => field.kind === "string" || field.kind === "other")) return undefined;
  const named = new Set<string>(PEAK_FIELDS);
  const cutout = fields.slice(3).filter((field) => !named.has(field.name) && field.kind !== "string" && field.kind !== "other");
  return { timestamp, amplitude, include, cutout };
}

function describeDataset(dataset: H5Dataset, fields: readonly CompoundField[] | undefined): string {
  if (fields === undefined) return `a non-compound dataset of shape [${(dataset.metadata.shape ?? []).join(", ")}]`;
  return `a compound table with fields ${fields.map((field) => field.name).join(", ") || "(none)"}`;
}

async function readPeaks(
  peaks: H5Dataset,
  rows: number,
  layout: PeakLayout,
  includeCutouts: boolean,
  columnFields: readonly CompoundField[],
): Promise<
  CmtrPeakRows & { cutouts: CmtrCutouts; includedTimestampsUs: Float64Array; includedAmplitudes: Float64Array; columns: CmtrPeakColumn[] }
> {
  const numericFields = columnFields.filter((field) => field.kind !== "string" && field.kind !== "other");
  const columns = numericFields.map((field) => ({ name: field.name, values: columnArray(field, rows) }));
  const rowBytes = peaks.metadata.size;
  const timestampsUs = new Float64Array(rows);
  const peakAmplitudes = new Float64Array(rows);
  const includePeak = new Int8Array(rows);
  const includedTimestamps = new Float64Array(rows);
  const includedAmplitudes = new Float64Array(rows);
  const cutoutLength = includeCutouts ? layout.cutout.length : 0;
  const cutoutBlocks: Float64Array[] = [];
  let includedCount = 0;
  for (let start = 0; start < rows; start += ROWS_PER_BLOCK) {
    const end = Math.min(rows, start + ROWS_PER_BLOCK);
    const bytes = await readRawRows(peaks, start, end);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const readTimestamp = fieldReader(view, layout.timestamp);
    const readAmplitude = fieldReader(view, layout.amplitude);
    const readInclude = fieldReader(view, layout.include);
    const readCutout = layout.cutout.map((field) => fieldReader(view, field));
    numericFields.forEach((field, c) => {
      const read = fieldReader(view, field);
      const values = columns[c].values as unknown as { [row: number]: number };
      for (let row = start; row < end; row++) values[row] = read((row - start) * rowBytes + field.offset);
    });
    let blockIncluded = 0;
    for (let row = start; row < end; row++) if (readInclude((row - start) * rowBytes + layout.include.offset) === 1) blockIncluded++;
    const block = new Float64Array(blockIncluded * cutoutLength);
    let k = 0;
    for (let row = start; row < end; row++) {
      const base = (row - start) * rowBytes;
      timestampsUs[row] = readTimestamp(base + layout.timestamp.offset);
      peakAmplitudes[row] = readAmplitude(base + layout.amplitude.offset);
      const included = readInclude(base + layout.include.offset) === 1;
      includePeak[row] = included ? 1 : 0;
      if (included) {
        includedTimestamps[includedCount + k] = timestampsUs[row];
        includedAmplitudes[includedCount + k] = peakAmplitudes[row];
        for (let j = 0; j < cutoutLength; j++) block[k * cutoutLength + j] = readCutout[j](base + layout.cutout[j].offset);
        k++;
      }
    }
    includedCount += blockIncluded;
    cutoutBlocks.push(block);
  }
  const data = new Float64Array(includedCount * cutoutLength);
  let offset = 0;
  for (const block of cutoutBlocks) {
    data.set(block, offset);
    offset += block.length;
  }
  return {
    timestampsUs,
    peakAmplitudes,
    includePeak,
    includedTimestampsUs: includedTimestamps.slice(0, includedCount),
    includedAmplitudes: includedAmplitudes.slice(0, includedCount),
    cutouts: { data, count: includeCutouts ? includedCount : 0, length: cutoutLength },
    columns,
  };
}
