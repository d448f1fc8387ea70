/**
 * The h5wasm bridge: loads the ESM-only h5wasm once through the native-import shim, switches its throwing error
 * handler on (so HDF5 failures become exceptions instead of console noise), and moves codec payloads in and out of
 * h5wasm objects. It holds no file state: every function takes the object it works on.
 */
import type * as H5 from "h5wasm";
import { importEsm } from "../esm/import-esm";
import type { Dtype, Encoded, Raw } from "./codec";
import { HDMEA_TYPE_ATTRIBUTE } from "./schema";

export type H5File = H5.File;
export type H5Group = H5.Group;
export type H5Dataset = H5.Dataset;
type H5Library = typeof H5.default;
type Metadata = H5Dataset["metadata"];

let library: Promise<H5Library> | undefined;

/** The h5wasm library, loaded once per process. */
export function loadH5wasm(): Promise<H5Library> {
  library ??= (async () => {
    const mod = (await importEsm("h5wasm/node")) as { default: H5Library };
    const module = await mod.default.ready;
    module.activate_throwing_error_handler();
    return mod.default;
  })();
  return library;
}

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;
const H5T_ENUM = 8;

/** h5wasm's struct-style type strings. (`<i8` would mean int32 to h5wasm, hence `<q` for int64.) */
const H5WASM_TYPE: Readonly<Record<Exclude<Dtype, "string">, string>> = {
  int8: "<b",
  uint8: "<B",
  int16: "<h",
  uint16: "<H",
  int32: "<i",
  uint32: "<I",
  int64: "<q",
  uint64: "<Q",
  float32: "<f",
  float64: "<d",
};

/** Options for new groups: creation order is tracked so maps come back in the order they were written. */
export const TRACK_ORDER = true;

export function createGroup(parent: H5Group, name: string): H5Group {
  return parent.create_group(name, TRACK_ORDER);
}

/** Writes one encoded value as dataset `name` of `group`, with its type tag when it has one. */
export function writeDataset(group: H5Group, name: string, encoded: Encoded): void {
  const dataset = group.create_dataset({
    name,
    data: payloadData(encoded),
    shape: [...encoded.shape],
    dtype: encoded.dtype === "string" ? null : H5WASM_TYPE[encoded.dtype],
  });
  if (encoded.hdmeaType !== undefined) dataset.create_attribute(HDMEA_TYPE_ATTRIBUTE, encoded.hdmeaType);
}

/** Writes one encoded value as attribute `name` of a group or dataset. */
export function writeAttribute(target: H5Group | H5Dataset, name: string, encoded: Encoded): void {
  target.create_attribute(
    name,
    payloadData(encoded),
    [...encoded.shape],
    encoded.dtype === "string" ? null : H5WASM_TYPE[encoded.dtype],
  );
}

function payloadData(encoded: Encoded): H5.GuessableDataTypes {
  if (encoded.dtype === "string") {
    const strings = encoded.data as readonly string[];
    return encoded.shape.length === 0 ? strings[0] : [...strings];
  }
  return encoded.data as H5.GuessableDataTypes;
}

/** The element type of an HDF5 numeric or string type, or undefined for types the codec does not read. */
function dtypeOf(metadata: Pick<Metadata, "type" | "size" | "signed">): Dtype | undefined {
  if (metadata.type === H5T_STRING) return "string";
  if (metadata.type === H5T_FLOAT) return metadata.size === 4 ? "float32" : metadata.size === 8 ? "float64" : undefined;
  if (metadata.type !== H5T_INTEGER) return undefined;
  const bits = metadata.size * 8;
  if (![8, 16, 32, 64].includes(bits)) return undefined;
  return `${metadata.signed ? "int" : "uint"}${bits}` as Dtype;
}

function isBooleanEnum(metadata: Metadata): boolean {
  const members = metadata.enum_type?.members;
  return members !== undefined && Object.keys(members).length === 2 && members.FALSE === 0 && members.TRUE === 1;
}

/** Reads a dataset into a codec `Raw`, or returns undefined when its HDF5 type is not one the codec reads. */
export function readDataset(dataset: H5Dataset): Raw | undefined {
  const metadata = dataset.metadata;
  const enumBool = metadata.type === H5T_ENUM && isBooleanEnum(metadata);
  const dtype = enumBool ? dtypeOf({ ...metadata, type: H5T_INTEGER }) : dtypeOf(metadata);
  if (dtype === undefined || metadata.shape === null) return undefined;
  // Only int8 datasets (booleans) and 1-D float64/int64 datasets (number lists) can carry a type tag; skipping
  // the attribute lookup for the others saves one HDF5 call per dataset on load.
  const mayBeTagged = dtype === "int8" || (metadata.shape.length === 1 && (dtype === "float64" || dtype === "int64"));
  const typeAttr = mayBeTagged ? dataset.attrs[HDMEA_TYPE_ATTRIBUTE]?.value : undefined;
  return {
    dtype,
    shape: metadata.shape,
    data: flatData(dataset.value, dtype, metadata.shape.length === 0),
    hdmeaType: typeof typeAttr === "string" ? typeAttr : undefined,
    isEnumBool: enumBool,
  };
}

/** Reads the attribute `name` of a group or dataset, or undefined when its type is not one the codec reads. */
export function readAttribute(target: H5Group | H5Dataset, name: string): Raw | undefined {
  const attribute = target.attrs[name];
  return attribute === undefined ? undefined : attributeRaw(attribute);
}

/**
 * Every attribute of a group or dataset, in the object's own order; `raw` is undefined for a type the codec does
 * not read. (Each `attrs` access lists the names again in HDF5, so this asks once for all of them.)
 */
export function readAttributes(target: H5Group | H5Dataset): { name: string; raw: Raw | undefined }[] {
  const attrs = target.attrs;
  return Object.keys(attrs).map((name) => ({ name, raw: attributeRaw(attrs[name]) }));
}

function attributeRaw(attribute: H5Dataset["attrs"][string]): Raw | undefined {
  const metadata = attribute.metadata;
  const enumBool = metadata.type === H5T_ENUM && isBooleanEnum(metadata);
  const dtype = enumBool ? dtypeOf({ ...metadata, type: H5T_INTEGER }) : dtypeOf(metadata);
  const shape = attribute.shape;
  if (dtype === undefined || shape === null) return undefined;
  return { dtype, shape, data: flatData(attribute.value, dtype, shape.length === 0), isEnumBool: enumBool };
}

/** h5wasm returns scalars as bare values and arrays as typed arrays or string lists; the codec wants flat data. */
function flatData(value: unknown, dtype: Dtype, isScalar: boolean): Raw["data"] {
  if (dtype === "string") {
    if (isScalar || typeof value === "string") return [String(value)];
    return (value as unknown[]).map(String);
  }
  if (ArrayBuffer.isView(value)) return value as Raw["data"];
  if (typeof value === "bigint") return dtype === "uint64" ? BigUint64Array.of(value) : BigInt64Array.of(value);
  if (typeof value === "boolean") return Int8Array.of(value ? 1 : 0);
  return Float64Array.of(Number(value));
}

/** One member of a group: its kind and its h5wasm object (null for links and named types). */
export interface Member {
  readonly name: string;
  readonly kind: "group" | "dataset" | "other";
  readonly entity: H5Group | H5Dataset | null;
}

/**
 * Each member of a group, in the group's own order. Readers use `entity` instead of `group.get(name)` again:
 * every `get` resolves the full path inside HDF5, which is most of the cost of loading a session of many units.
 */
export function membersOf(group: H5Group): Member[] {
  return group.keys().map((name) => {
    const entity = group.get(name);
    const type = entity !== null && "type" in entity ? String(entity.type) : "";
    const kind = type === "Group" ? "group" : type === "Dataset" ? "dataset" : "other";
    return { name, kind, entity: kind === "other" ? null : (entity as H5Group | H5Dataset) };
  });
}

/** Attribute names of a group or dataset, in the object's own order. */
export function attributeNames(target: H5Group | H5Dataset): string[] {
  return Object.keys(target.attrs);
}
