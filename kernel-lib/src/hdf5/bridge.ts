/**
 * The h5wasm bridge: loads the ESM-only h5wasm once through the native-import shim, switches its throwing error
 * handler on (so HDF5 failures become exceptions instead of console noise), and moves codec payloads in and out of
 * h5wasm objects. It holds no file state: every function takes the object it works on.
 */
import type * as H5 from "h5wasm";
import { importEsm } from "../esm/import-esm";
import { TYPED_ARRAY_OF, WholeNumbers, type Dtype, type Encoded, type Raw } from "./codec";
import type { NumericArray } from "./values";
import { openDirectRows } from "./direct-rows";
import { dtypeOfClass } from "./format/datatype";
import { recorderOf } from "./integrity";
import { HDMEA_TYPE_ATTRIBUTE } from "./schema";

export type H5File = H5.File;
export type H5Group = H5.Group;
export type H5Dataset = H5.Dataset;
type H5Library = typeof H5.default;
type Metadata = H5Dataset["metadata"];

/** The part of h5wasm's WebAssembly module the bridge calls directly (not in h5wasm's published types). */
interface H5ModuleExtras {
  /** Every member of the group at `path` with its HDF5 object type, in one call. */
  get_types(fileId: bigint, path: string): Record<string, number>;
  /** Writes a hyperslab (count/offset/strides per dimension) of a dataset from the heap at `pointer`. */
  set_dataset_data(fileId: bigint, path: string, count: bigint[] | null, offset: bigint[] | null, strides: bigint[] | null, pointer: bigint): number;
  resize_dataset(fileId: bigint, path: string, shape: bigint[]): number;
  /** Reads a hyperslab (count/offset/strides per dimension) of a dataset into the heap at `pointer`. */
  get_dataset_data(fileId: bigint, path: string, count: bigint[] | null, offset: bigint[] | null, strides: bigint[] | null, pointer: bigint): number;
  get_attribute_metadata(fileId: bigint, path: string, name: string): Metadata;
  get_attribute_data(fileId: bigint, path: string, name: string, pointer: bigint): number;
  /** The 8 bytes of an `hobj_ref_t` for the object at `path`: its header address, little-endian. */
  create_object_reference(fileId: bigint, path: string): ArrayLike<number>;
  create_group(fileId: bigint, path: string, trackOrder: boolean): number;
  /** Creates a dataset from the metadata (type, size, signed, vlen, shape, maxshape, chunks, …) and writes it from `pointer`. */
  create_dataset(fileId: bigint, path: string, pointer: bigint, metadata: object): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  readonly HEAPU8: Uint8Array;
}

let library: Promise<H5Library> | undefined;
let moduleExtras: H5ModuleExtras | undefined;
let loadedLibrary: H5Library | undefined;

/** The h5wasm library, loaded once per process. */
export function loadH5wasm(): Promise<H5Library> {
  library ??= (async () => {
    const mod = (await importEsm("h5wasm/node")) as { default: H5Library };
    const module = await mod.default.ready;
    module.activate_throwing_error_handler();
    moduleExtras = module as unknown as H5ModuleExtras;
    loadedLibrary = mod.default;
    return mod.default;
  })();
  return library;
}

const H5O_TYPE_GROUP = 0;
const H5O_TYPE_DATASET = 1;

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
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
  const { module, h5 } = loaded();
  // h5wasm's create_group looks the new group up again to return it: one more path resolution per group, which
  // is a fifth of the HDF5 calls of saving a unit. The group's object needs nothing but its file and path.
  const path = childPath(parent, name);
  module.create_group(parent.file_id, path, TRACK_ORDER);
  recorderOf(parent.file_id)?.group(path);
  return new h5.Group(parent.file_id, path);
}

/** Writes one encoded value as dataset `name` of `group`, with its type tag when it has one. */
export function writeDataset(group: H5Group, name: string, encoded: Encoded): void {
  const { module, h5 } = loaded();
  const path = childPath(group, name);
  if (encoded.dtype === "string") {
    group.create_dataset({ name, data: payloadData(encoded), shape: [...encoded.shape], dtype: null });
  } else {
    // Numbers go to HDF5 the way h5wasm's create_dataset sends them, minus its look-up of the new dataset.
    const dtype = encoded.dtype;
    const data = encoded.data instanceof WholeNumbers ? encoded.data.toArray() : (encoded.data as NumericArray);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.length > LARGE_DATASET_BYTES && encoded.shape.length > 0 && encoded.shape[0] > 1) {
      writeLargeNumeric(module, group.file_id, path, dtype, encoded.shape, bytes);
    } else {
      const shape = encoded.shape.map(BigInt);
      withHeapCopy(module, bytes, (pointer) =>
        module.create_dataset(group.file_id, path, pointer, { ...numericMetadata(dtype), shape, maxshape: shape, chunks: null }),
      );
    }
  }
  if (encoded.hdmeaType !== undefined) new h5.Dataset(group.file_id, path).create_attribute(HDMEA_TYPE_ATTRIBUTE, encoded.hdmeaType);
  recorderOf(group.file_id)?.dataset(path, encoded);
}

/** The loaded h5wasm library and module (writers run only after `loadH5wasm`). */
function loaded(): { module: H5ModuleExtras; h5: H5Library } {
  if (moduleExtras === undefined || loadedLibrary === undefined) throw new Error("h5wasm is not loaded");
  return { module: moduleExtras, h5: loadedLibrary };
}

/** HDF5 class, size and sign of each numeric dtype (as h5wasm describes types to its C side). */
const NUMERIC_TYPE: Readonly<Record<Exclude<Dtype, "string">, { type: number; size: number; signed: boolean }>> = {
  int8: { type: H5T_INTEGER, size: 1, signed: true },
  uint8: { type: H5T_INTEGER, size: 1, signed: false },
  int16: { type: H5T_INTEGER, size: 2, signed: true },
  uint16: { type: H5T_INTEGER, size: 2, signed: false },
  int32: { type: H5T_INTEGER, size: 4, signed: true },
  uint32: { type: H5T_INTEGER, size: 4, signed: false },
  int64: { type: H5T_INTEGER, size: 8, signed: true },
  uint64: { type: H5T_INTEGER, size: 8, signed: false },
  float32: { type: H5T_FLOAT, size: 4, signed: true },
  float64: { type: H5T_FLOAT, size: 8, signed: true },
};

/**
 * A large array written block by block into a dataset chunked in blocks of about WRITE_BLOCK_BYTES whole rows: the
 * HDF5 heap then only ever holds one block, where one whole-array write would grow it to the array's size — memory
 * first touched on the first save (slow and erratic on a VM) and never given back. Chunks of whole rows stay
 * readable straight from the file (`direct-rows.ts`, `native-tree.ts`) and by h5py.
 */
function writeLargeNumeric(module: H5ModuleExtras, fileId: bigint, path: string, dtype: Exclude<Dtype, "string">, shape: readonly number[], bytes: Uint8Array): void {
  const rows = shape[0];
  const rowBytes = bytes.length / rows;
  const rowsPerBlock = Math.max(1, Math.min(rows, Math.floor(WRITE_BLOCK_BYTES / Math.max(1, rowBytes))));
  const full = shape.map(BigInt);
  const rest = full.slice(1);
  const empty = new Uint8Array(0);
  withHeapCopy(module, empty, (pointer) =>
    module.create_dataset(fileId, path, pointer, { ...numericMetadata(dtype), shape: [0n, ...rest], maxshape: full, chunks: [BigInt(rowsPerBlock), ...rest] }),
  );
  module.resize_dataset(fileId, path, full);
  const zeros = rest.map(() => 0n);
  const ones = full.map(() => 1n);
  for (let row = 0; row < rows; row += rowsPerBlock) {
    const count = Math.min(rowsPerBlock, rows - row);
    withHeapCopy(module, bytes.subarray(row * rowBytes, (row + count) * rowBytes), (pointer) =>
      module.set_dataset_data(fileId, path, [BigInt(count), ...rest], [BigInt(row), ...zeros], ones, pointer),
    );
  }
}

/** Copies `bytes` into the HDF5 heap for the duration of `use`. */
function withHeapCopy(module: H5ModuleExtras, bytes: Uint8Array, use: (pointer: bigint) => void): void {
  const pointer = module._malloc(Math.max(1, bytes.length));
  if (pointer === 0) throw new Error(`could not allocate ${bytes.length} bytes in the HDF5 heap`);
  try {
    module.HEAPU8.set(bytes, pointer);
    use(BigInt(pointer));
  } finally {
    module._free(pointer);
  }
}

/** The metadata h5wasm's C side creates a numeric dataset from (without shape, maxshape and chunks). */
function numericMetadata(dtype: Exclude<Dtype, "string">): object {
  return { ...NUMERIC_TYPE[dtype], vlen: false, compression: 0, compression_opts: [], track_order: false };
}

/** Blocks of large arrays written at a time (see writeLargeNumeric). */
const WRITE_BLOCK_BYTES = 4 * 1024 * 1024;

function childPath(group: H5Group, name: string): string {
  return `${group.path === "/" ? "" : group.path}/${name}`;
}

/** Writes one encoded value as attribute `name` of a group or dataset. */
export function writeAttribute(target: H5Group | H5Dataset, name: string, encoded: Encoded): void {
  target.create_attribute(
    name,
    payloadData(encoded),
    [...encoded.shape],
    encoded.dtype === "string" ? null : H5WASM_TYPE[encoded.dtype],
  );
  recorderOf(target.file_id)?.attribute(target.path, name, encoded);
}

function payloadData(encoded: Encoded): H5.GuessableDataTypes {
  if (encoded.dtype === "string") {
    const strings = encoded.data as readonly string[];
    return encoded.shape.length === 0 ? strings[0] : [...strings];
  }
  return encoded.data as H5.GuessableDataTypes;
}

function isBooleanEnum(metadata: Metadata): boolean {
  const members = metadata.enum_type?.members;
  return members !== undefined && Object.keys(members).length === 2 && members.FALSE === 0 && members.TRUE === 1;
}

/** Reads a dataset into a codec `Raw`, or returns undefined when its HDF5 type is not one the codec reads. */
export function readDataset(dataset: H5Dataset, filePath?: string): Raw | undefined {
  const metadata = dataset.metadata;
  const enumBool = metadata.type === H5T_ENUM && isBooleanEnum(metadata);
  const dtype = enumBool ? dtypeOfClass({ ...metadata, type: H5T_INTEGER }) : dtypeOfClass(metadata);
  if (dtype === undefined || metadata.shape === null) return undefined;
  // Only int8 datasets (booleans) and 1-D float64/int64 datasets (number lists) can carry a type tag; skipping
  // the attribute lookup for the others saves one HDF5 call per dataset on load.
  const mayBeTagged = dtype === "int8" || (metadata.shape.length === 1 && (dtype === "float64" || dtype === "int64"));
  const typeAttr = mayBeTagged ? dataset.attrs[HDMEA_TYPE_ATTRIBUTE]?.value : undefined;
  const large = !enumBool && dtype !== "string" && metadata.shape.length > 0 && metadata.size * metadata.total_size > LARGE_DATASET_BYTES;
  return {
    dtype,
    shape: metadata.shape,
    data: large ? readLargeNumeric(dataset, metadata, dtype, filePath) : flatData(dataset.value, dtype, metadata.shape.length === 0),
    hdmeaType: typeof typeAttr === "string" ? typeAttr : undefined,
    isEnumBool: enumBool,
  };
}

/** Numeric datasets above this size are read block by block (see `readLargeNumeric`). */
const LARGE_DATASET_BYTES = 8 * 1024 * 1024;
const READ_BLOCK_BYTES = 4 * 1024 * 1024;


/**
 * Reads a large numeric dataset into one unzeroed buffer (every byte is written): straight from `filePath` when its
 * storage allows (`direct-rows.ts`), else in blocks of rows through a small heap buffer — h5wasm's own read would
 * first grow the WebAssembly heap to the dataset's size (memory that is never given back) and then copy the whole
 * array out of it.
 */
function readLargeNumeric(dataset: H5Dataset, metadata: Metadata, dtype: Exclude<Dtype, "string">, filePath: string | undefined): NumericArray {
  if (moduleExtras === undefined) return dataset.value as NumericArray;
  const shape = metadata.shape as number[];
  const totalBytes = metadata.size * metadata.total_size;
  const out = Buffer.allocUnsafeSlow(totalBytes);
  const result = new TYPED_ARRAY_OF[dtype](out.buffer as ArrayBuffer, out.byteOffset, metadata.total_size);
  const valuesPerRow = metadata.total_size / Math.max(1, shape[0]);
  const zeros = shape.slice(1).map(() => 0);
  const readRows = (row: number, rows: number, target: NumericArray) => readHyperslabInto(dataset, [row, ...zeros], [rows, ...shape.slice(1)], target);
  const direct =
    filePath !== undefined && (metadata.littleEndian || metadata.size === 1)
      ? openDirectRows({
          filePath,
          objectHeaderAddress: objectHeaderAddress(dataset),
          shape,
          elementBytes: metadata.size,
          checkWith: (row, target) => readRows(row, 1, target),
        })
      : undefined;
  if (direct !== undefined) {
    try {
      direct.read(0, shape[0], result);
      return result;
    } finally {
      direct.close();
    }
  }
  const rowsPerBlock = Math.max(1, Math.floor(READ_BLOCK_BYTES / Math.max(1, totalBytes / Math.max(1, shape[0]))));
  for (let row = 0; row < shape[0]; row += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, shape[0] - row);
    readRows(row, rows, result.subarray(row * valuesPerRow, (row + rows) * valuesPerRow));
  }
  return result;
}

/**
 * Reads the hyperslab `offset` + `count` (one entry per dimension, contiguous, stride 1) of a numeric dataset
 * straight into `target` (whose element type must be the dataset's) through a heap buffer of the same size — no
 * intermediate array per read, unlike `Dataset.slice`. For streaming reads of large datasets in bounded blocks.
 */
export function readHyperslabInto(dataset: H5Dataset, offset: readonly number[], count: readonly number[], target: NumericArray): void {
  const { module } = loaded();
  const bytes = target.byteLength;
  const pointer = module._malloc(Math.max(1, bytes));
  if (pointer === 0) throw new Error(`could not allocate ${bytes} bytes in the HDF5 heap`);
  try {
    module.get_dataset_data(dataset.file_id, dataset.path, count.map(BigInt), offset.map(BigInt), count.map(() => 1n), BigInt(pointer));
    new Uint8Array(target.buffer, target.byteOffset, bytes).set(module.HEAPU8.subarray(pointer, pointer + bytes));
  } finally {
    module._free(pointer);
  }
}

const OBJECT_REFERENCE_BYTES = 8;

/**
 * The address of a dataset's object header, relative to the file's superblock (an HDF5 object reference is that
 * address), for locating its raw bytes with `readDatasetStorage`; undefined when h5wasm cannot make the reference.
 */
export function objectHeaderAddress(dataset: H5Dataset): number | undefined {
  const module = moduleExtras;
  if (module === undefined || typeof module.create_object_reference !== "function") return undefined;
  let reference: ArrayLike<number>;
  try {
    reference = module.create_object_reference(dataset.file_id, dataset.path);
  } catch {
    return undefined;
  }
  if (reference.length !== OBJECT_REFERENCE_BYTES) return undefined;
  let address = 0;
  for (let i = OBJECT_REFERENCE_BYTES - 1; i >= 0; i--) address = address * 256 + reference[i];
  // An address past 2^53 cannot be a file offset JavaScript reads, and all-ones is HDF5's undefined address.
  return Number.isSafeInteger(address) ? address : undefined;
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
  return Object.keys(attrs).map((name) => ({ name, raw: numericAttributeRaw(target, name) ?? attributeRaw(attrs[name]) }));
}

/**
 * A plain numeric attribute read with one metadata call (h5wasm's `Attribute` asks for the metadata twice: once
 * when it is made and again when its value is read); undefined for strings, enums and other types, which go the
 * general way.
 */
function numericAttributeRaw(target: H5Group | H5Dataset, name: string): Raw | undefined {
  const module = moduleExtras;
  if (module === undefined) return undefined;
  const metadata = module.get_attribute_metadata(target.file_id, target.path, name);
  if ((metadata.type !== H5T_INTEGER && metadata.type !== H5T_FLOAT) || !metadata.littleEndian) return undefined;
  const dtype = dtypeOfClass(metadata);
  if (dtype === undefined || dtype === "string" || metadata.shape === null) return undefined;
  const bytes = metadata.size * metadata.total_size;
  const pointer = module._malloc(Math.max(1, bytes));
  if (pointer === 0) return undefined;
  let copy: Uint8Array;
  try {
    module.get_attribute_data(target.file_id, target.path, name, BigInt(pointer));
    copy = module.HEAPU8.slice(pointer, pointer + bytes);
  } finally {
    module._free(pointer);
  }
  return { dtype, shape: metadata.shape, data: new TYPED_ARRAY_OF[dtype](copy.buffer as ArrayBuffer, 0, metadata.total_size) };
}

function attributeRaw(attribute: H5Dataset["attrs"][string]): Raw | undefined {
  const metadata = attribute.metadata;
  const enumBool = metadata.type === H5T_ENUM && isBooleanEnum(metadata);
  const dtype = enumBool ? dtypeOfClass({ ...metadata, type: H5T_INTEGER }) : dtypeOfClass(metadata);
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
  const types = memberTypes(group);
  const h5 = loadedLibrary;
  if (types === undefined || h5 === undefined) return membersOneByOne(group);
  return Object.entries(types).map(([name, type]): Member => {
    const path = childPath(group, name);
    if (type === H5O_TYPE_GROUP) return { name, kind: "group", entity: new h5.Group(group.file_id, path) };
    if (type === H5O_TYPE_DATASET) return { name, kind: "dataset", entity: new h5.Dataset(group.file_id, path) };
    return { name, kind: "other", entity: null };
  });
}

/**
 * Member name → HDF5 object type for the whole group in one WebAssembly call (h5wasm's `get_types`), instead of
 * a path-validating lookup per member; undefined when that call fails (e.g. a group holding a broken link).
 */
function memberTypes(group: H5Group): Record<string, number> | undefined {
  if (moduleExtras === undefined || typeof moduleExtras.get_types !== "function") return undefined;
  try {
    return moduleExtras.get_types(group.file_id, group.path);
  } catch {
    return undefined;
  }
}

function membersOneByOne(group: H5Group): Member[] {
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

/** Dataset `name` of `group` (just written), without a path look-up inside HDF5. */
export function datasetAt(group: H5Group, name: string): H5Dataset {
  return new (loaded().h5.Dataset)(group.file_id, childPath(group, name));
}
