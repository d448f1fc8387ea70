/**
 * Read-side helpers shared by the MCS readers: open a vendor file with typed errors, decode MCS attributes, read
 * hyperslabs and compound tables as raw bytes (a compound table read through h5wasm's `value` becomes one JS array
 * per row, far too slow for hundreds of thousands of peaks).
 */
import * as fs from "fs";
import { DataLoadError, FileNotFoundError } from "../errors";
import { loadH5wasm, type H5Dataset, type H5File, type H5Group } from "../hdf5/bridge";
import { h5ErrorSummary, openHdf5ReadOnly } from "../hdf5/open-file";
import { messages } from "./messages";
import type { Dtype } from "../hdf5/codec";
import { dtypeOfClass } from "../hdf5/format/datatype";

/** A decoded attribute: strings as text, numbers as numbers; 1-element arrays are unwrapped (as the reference does). */
export type AttributeValue = string | number | readonly number[] | readonly string[];

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;
const H5T_COMPOUND = 6;

/** Checks the extension, that the file exists and carries the HDF5 signature, then opens it read-only. */
export async function openVendorFile(filePath: string, extension: ".cmcr" | ".cmtr" | ".h5", kind: string): Promise<H5File> {
  if (!filePath.toLowerCase().endsWith(extension)) throw new DataLoadError(filePath, messages.wrongExtension(extension, filePath));
  if (!fs.existsSync(filePath)) throw new FileNotFoundError(filePath, messages.fileNotFound(kind, filePath));
  return openHdf5(filePath);
}

/** Opens any HDF5 file read-only, with typed errors for non-HDF5 and damaged files. */
export async function openHdf5(filePath: string): Promise<H5File> {
  if (!fs.existsSync(filePath)) throw new FileNotFoundError(filePath, messages.fileNotFound("HDF5", filePath));
  return openHdf5ReadOnly(filePath, messages);
}

/** Closes `file`, ignoring a second failure from a damaged file (the first error is the one worth reporting). */
export function closeQuietly(file: H5File): void {
  try {
    file.close();
  } catch {
    // Closing a file whose read already failed may fail again; the original error is already on its way.
  }
}


/** The line of an HDF5 error worth showing. */
export const firstLine = h5ErrorSummary;

/** Runs `read` and turns any low-level failure into a `DataLoadError` naming the file and the HDF5 path. */
export function guarded<T>(filePath: string, h5Path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DataLoadError || error instanceof FileNotFoundError) throw error;
    throw new DataLoadError(filePath, messages.cannotRead(filePath, h5Path, firstLine(error)), { cause: error });
  }
}

/** `guarded` for asynchronous reads. */
export async function guardedAsync<T>(filePath: string, h5Path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    return guarded(filePath, h5Path, () => {
      throw error;
    });
  }
}

/** The child `name` of `group` if it is a group, else undefined. */
export function childGroup(group: H5Group, name: string): H5Group | undefined {
  if (!group.keys().includes(name)) return undefined;
  const entity = group.get(name);
  return entity !== null && (entity as { type?: unknown }).type === "Group" ? (entity as H5Group) : undefined;
}

/** The child `name` of `group` if it is a dataset, else undefined. */
export function childDataset(group: H5Group, name: string): H5Dataset | undefined {
  if (!group.keys().includes(name)) return undefined;
  const entity = group.get(name);
  return entity !== null && (entity as { type?: unknown }).type === "Dataset" ? (entity as H5Dataset) : undefined;
}

/** Decodes every attribute of `target` (see `AttributeValue`); attributes of other types are left out. */
export function readAttributes(target: H5Group | H5Dataset): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const [name, attribute] of Object.entries(target.attrs)) {
    const value = decodeAttributeValue(attribute.value);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

function decodeAttributeValue(value: unknown): AttributeValue | undefined {
  if (typeof value === "string") return stripNul(value);
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (ArrayBuffer.isView(value)) {
    const numbers = Array.from(value as unknown as ArrayLike<number | bigint>, Number);
    return numbers.length === 1 ? numbers[0] : numbers;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) {
      const strings = (value as string[]).map(stripNul);
      return strings.length === 1 ? strings[0] : strings;
    }
    if (value.every((v) => typeof v === "number" || typeof v === "bigint")) {
      const numbers = value.map(Number);
      return numbers.length === 1 ? numbers[0] : numbers;
    }
  }
  return undefined;
}

function stripNul(text: string): string {
  const end = text.indexOf("\0");
  return end === -1 ? text : text.slice(0, end);
}

/** The element type of each attribute of `target` (undefined for types the codec does not know). */
export function attributeDtypes(target: H5Group | H5Dataset): Record<string, Dtype | undefined> {
  const out: Record<string, Dtype | undefined> = {};
  for (const [name, attribute] of Object.entries(target.attrs)) out[name] = dtypeOfClass(attribute.metadata);
  return out;
}

/** A numeric attribute as a number, or undefined when absent or not numeric. */
export function numericAttribute(attributes: Record<string, AttributeValue>, name: string): number | undefined {
  const value = attributes[name];
  if (typeof value === "number") return value;
  if (Array.isArray(value) && typeof value[0] === "number") return value[0] as number;
  return undefined;
}

/** One member of a compound type, as laid out in memory by HDF5 (packed, file order). */
export interface CompoundField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly kind: "int" | "uint" | "float" | "string" | "other";
}

/** The members of a compound dataset, or undefined when the dataset is not compound. */
export function compoundFields(dataset: H5Dataset): CompoundField[] | undefined {
  const metadata = dataset.metadata;
  if (metadata.type !== H5T_COMPOUND || metadata.compound_type === undefined) return undefined;
  return metadata.compound_type.members.map((member) => ({
    name: member.name,
    offset: member.offset,
    size: member.size,
    kind:
      member.type === H5T_INTEGER
        ? member.signed
          ? "int"
          : "uint"
        : member.type === H5T_FLOAT
          ? "float"
          : member.type === H5T_STRING && !member.vlen
            ? "string"
            : "other",
  }));
}

/** The raw bytes of rows [start, end) of a 1-D dataset (or of the whole dataset with no range). */
export async function readRawRows(dataset: H5Dataset, start: number, end: number): Promise<Uint8Array> {
  const h5 = await loadH5wasm();
  const module = await h5.ready;
  const rowBytes = dataset.metadata.size;
  const nbytes = (end - start) * rowBytes;
  if (nbytes === 0) return new Uint8Array(0);
  const pointer = module._malloc(nbytes);
  if (pointer === 0) throw new RangeError(`cannot allocate ${nbytes} bytes in the HDF5 heap`);
  try {
    module.get_dataset_data(dataset.file_id, dataset.path, [BigInt(end - start)], [BigInt(start)], [1n], BigInt(pointer));
    return module.HEAPU8.slice(pointer, pointer + nbytes);
  } finally {
    module._free(pointer);
  }
}

/** Reads one numeric field of every row of a raw compound buffer as float64. */
export function compoundColumn(bytes: Uint8Array, rowBytes: number, field: CompoundField): Float64Array {
  const rows = rowBytes === 0 ? 0 : bytes.byteLength / rowBytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(rows);
  const read = fieldReader(view, field);
  for (let row = 0; row < rows; row++) out[row] = read(row * rowBytes + field.offset);
  return out;
}

/** A function reading `field` at a byte position of `view` as a number (little-endian, as HDF5 gives it). */
export function fieldReader(view: DataView, field: CompoundField): (position: number) => number {
  const { kind, size } = field;
  if (kind === "float") {
    if (size === 8) return (p) => view.getFloat64(p, true);
    if (size === 4) return (p) => view.getFloat32(p, true);
  }
  if (kind === "int") {
    // Two 32-bit halves instead of a BigInt: several times faster, exact below 2^53 (µs timestamps are).
    if (size === 8) return (p) => view.getInt32(p + 4, true) * 4294967296 + view.getUint32(p, true);
    if (size === 4) return (p) => view.getInt32(p, true);
    if (size === 2) return (p) => view.getInt16(p, true);
    if (size === 1) return (p) => view.getInt8(p);
  }
  if (kind === "uint") {
    if (size === 8) return (p) => view.getUint32(p + 4, true) * 4294967296 + view.getUint32(p, true);
    if (size === 4) return (p) => view.getUint32(p, true);
    if (size === 2) return (p) => view.getUint16(p, true);
    if (size === 1) return (p) => view.getUint8(p);
  }
  return () => Number.NaN;
}

/** Reads a fixed-length string field at a byte position (NUL- or space-padded). */
export function readFixedString(bytes: Uint8Array, position: number, size: number): string {
  let end = position;
  const limit = position + size;
  while (end < limit && bytes[end] !== 0) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + position, end - position).toString("utf8").trimEnd();
}

/** Every row of a (small) compound table as a record of field name → number or text. */
export async function readCompoundRecords(dataset: H5Dataset): Promise<Record<string, number | string>[]> {
  const fields = compoundFields(dataset) ?? [];
  const rows = dataset.metadata.shape?.[0] ?? 0;
  const rowBytes = dataset.metadata.size;
  const bytes = await readRawRows(dataset, 0, rows);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const readers = fields.map((field) => (field.kind === "string" ? undefined : fieldReader(view, field)));
  const records: Record<string, number | string>[] = [];
  for (let row = 0; row < rows; row++) {
    const record: Record<string, number | string> = {};
    fields.forEach((field, i) => {
      const position = row * rowBytes + field.offset;
      const reader = readers[i];
      if (reader !== undefined) record[field.name] = reader(position);
      else if (field.kind === "string") record[field.name] = readFixedString(bytes, position, field.size);
    });
    records.push(record);
  }
  return records;
}
