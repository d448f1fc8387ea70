/**
 * `units.<id>.unit_meta` as the reference's `add_cmtr_unit_info` writes it (reference §3.3, mcs-file-format.md
 * §2.4): every `Unit Info` field (lower-cased) and every unit attribute (`attr_<lower-cased>`) as a 1-element array —
 * int64 for integers, float64 for floats — so that `f["units/unit_001/unit_meta/row"][0]` works in h5py as on the
 * lab's files; text as text; then `peak_amplitudes` (float32, included peaks), `peaks_data` (every Peaks column with
 * its own type), `roi_stas` and `unmixing_matrix` (float32).
 */
import type { Dtype } from "../hdf5/codec";
import { Int64Numbers, Uint64Numbers, markScalarInteger, type NumericArray, type SessionMap, type SessionValue } from "../hdf5/values";
import type { CmtrUnit } from "../io/cmtr-reader";
import type { AttributeValue } from "../io/h5-read";

/** The `unit_meta` map of one CMTR unit; `peaks_data`, `roi_stas`, `unmixing_matrix` only when the reader read them. */
export function referenceUnitMeta(unit: CmtrUnit): SessionMap {
  const meta: SessionMap = {};
  for (const [name, value] of Object.entries(unit.unitInfo ?? {})) {
    const kind = unit.unitInfoKinds[name];
    meta[safeKey(name.toLowerCase())] =
      typeof value === "string" ? value : kind === "int" || kind === "uint" ? Int64Numbers.of(value) : Float64Array.of(value);
  }
  for (const [name, value] of Object.entries(unit.attributes)) {
    meta[`attr_${safeKey(name.toLowerCase())}`] = attributeEntry(value, unit.attributeDtypes[name]);
  }
  if (unit.includedAmplitudes.length > 0) meta.peak_amplitudes = Float32Array.from(unit.includedAmplitudes);
  if (unit.peakColumns !== undefined && (unit.peakColumns[0]?.values.length ?? 0) > 0) {
    const peaks: SessionMap = {};
    for (const column of unit.peakColumns) peaks[safeKey(column.name.toLowerCase())] = column.values;
    meta.peaks_data = peaks;
  }
  if (unit.roiStas !== undefined) meta.roi_stas = unit.roiStas;
  if (unit.unmixing !== undefined) meta.unmixing_matrix = unit.unmixing;
  return meta;
}

/**
 * Vendor root attributes as the reference's `cmcr_meta` / `cmtr_meta` / `sys_meta` hold them (§3.1.2): one value →
 * a scalar (an integer attribute stays an int64 scalar on disk), several → an array of the attribute's type.
 */
export function referenceAttributeMap(
  attributes: Readonly<Record<string, AttributeValue>>,
  dtypes: Readonly<Record<string, Dtype | undefined>>,
): SessionMap {
  const out: SessionMap = {};
  for (const [name, value] of Object.entries(attributes)) {
    const key = safeKey(name);
    if (typeof value === "string") out[key] = value;
    else if (typeof value === "number") {
      out[key] = value;
      if (isInteger(dtypes[name]) && Number.isInteger(value)) markScalarInteger(out, key, "int64");
    } else if (value.length > 0 && typeof value[0] === "string") out[key] = [...(value as readonly string[])];
    else out[key] = typedArrayOf(value as readonly number[], dtypes[name]);
  }
  return out;
}

/** The reference's attribute rule: one value → a 1-element int64/float64 array; several → an array of their type. */
function attributeEntry(value: AttributeValue, dtype: Dtype | undefined): SessionValue {
  if (typeof value === "string") return value;
  if (typeof value === "number") return isInteger(dtype) ? Int64Numbers.of(value) : Float64Array.of(value);
  if (value.length > 0 && typeof value[0] === "string") return [...(value as readonly string[])];
  return typedArrayOf(value as readonly number[], dtype);
}

function isInteger(dtype: Dtype | undefined): boolean {
  return dtype !== undefined && dtype !== "string" && dtype.includes("int");
}

function typedArrayOf(values: readonly number[], dtype: Dtype | undefined): NumericArray {
  switch (dtype) {
    case "int8":
      return Int8Array.from(values);
    case "uint8":
      return Uint8Array.from(values);
    case "int16":
      return Int16Array.from(values);
    case "uint16":
      return Uint16Array.from(values);
    case "int32":
      return Int32Array.from(values);
    case "uint32":
      return Uint32Array.from(values);
    case "int64":
      return Int64Numbers.from(values);
    case "uint64":
      return Uint64Numbers.from(values);
    case "float32":
      return Float32Array.from(values);
    default:
      return Float64Array.from(values);
  }
}

/** Vendor names never contain '/', but an HDF5 member name must not; keep the rest of the name as it is. */
function safeKey(name: string): string {
  return name.replace(/\//g, "_") || "_";
}
