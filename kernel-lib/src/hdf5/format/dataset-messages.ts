/**
 * The header messages that say where a dataset's bytes are: its dataspace (extent), its data layout, its fill
 * value (what never-written chunks read as) and whether a filter pipeline or external files stand between the file
 * and the values.
 */
import { ByteCursor } from "./file-bytes";
import {
  MESSAGE_DATASPACE,
  MESSAGE_EXTERNAL_FILES,
  MESSAGE_FILL_VALUE,
  MESSAGE_FILL_VALUE_OLD,
  MESSAGE_FILTER_PIPELINE,
  MESSAGE_FLAG_SHARED,
  MESSAGE_LAYOUT,
  type HeaderMessage,
} from "./object-header";

/** The dataset's current extent and its maximum one (undefined entries: unlimited). */
export interface Dataspace {
  readonly dims: readonly number[];
  readonly maxDims: readonly (number | undefined)[];
  /** Scalar (rank 0, one element), simple, or null (no elements, no shape). */
  readonly kind?: "scalar" | "simple" | "null";
}

/** Chunk index kinds of layout message version 4 (version 3 always uses the version-1 B-tree). */
export type ChunkIndex =
  | { readonly kind: "btree-v1"; readonly address: number | undefined }
  | { readonly kind: "single"; readonly address: number | undefined }
  | { readonly kind: "implicit"; readonly address: number | undefined }
  | { readonly kind: "fixed-array"; readonly address: number | undefined }
  | { readonly kind: "extensible-array"; readonly address: number | undefined }
  | { readonly kind: "btree-v2"; readonly address: number | undefined }
  | { readonly kind: "other" };

/** A data layout this reader can follow; virtual and old layout versions are not among them. */
export type Layout =
  | { readonly kind: "compact"; readonly data: Buffer }
  | { readonly kind: "contiguous"; readonly address: number | undefined; readonly bytes: number }
  | { readonly kind: "chunked"; readonly chunkShape: readonly number[]; readonly elementBytes: number; readonly index: ChunkIndex };

const RELEVANT_MESSAGES: readonly number[] = [
  MESSAGE_DATASPACE,
  MESSAGE_LAYOUT,
  MESSAGE_FILTER_PIPELINE,
  MESSAGE_EXTERNAL_FILES,
  MESSAGE_FILL_VALUE_OLD,
  MESSAGE_FILL_VALUE,
];
const FILL_VALUE_UNDEFINED = 0x10;
/** A fill value message saying the fill value is undefined (never-written chunks then read as zeros). */
const NOT_DEFINED = "not defined";
const FILL_VALUE_DEFINED = 0x20;
const LAYOUT_COMPACT = 0;
const LAYOUT_CONTIGUOUS = 1;
const LAYOUT_CHUNKED = 2;
const DATASPACE_HAS_MAX = 0x01;
const INDEX_SINGLE = 1;
const INDEX_IMPLICIT = 2;
const INDEX_FIXED_ARRAY = 3;
const INDEX_EXTENSIBLE_ARRAY = 4;
const INDEX_BTREE_V2 = 5;
const LAYOUT_V4_SINGLE_FILTERED = 0x02;

/** The facts of one dataset's header that a raw read depends on. */
export interface DatasetMessages {
  readonly dataspace: Dataspace;
  readonly layout: Layout;
  /** False when a fill value other than all-zero bytes is defined: never-written chunks do not read as zeros. */
  readonly fillIsZero: boolean;
  /**
   * What never-written elements read as: the fill value's bytes (empty: zeros), or undefined when the file says
   * the fill value is undefined (HDF5 then leaves the reader's buffer as it was).
   */
  readonly fillValue: Buffer | undefined;
}

/**
 * Dataspace and layout from a dataset's header messages; undefined when either is missing, shared, or of a kind
 * this reader does not follow, or when the data passes through filters or lives in external files.
 */
export function readDatasetMessages(options: { messages: readonly HeaderMessage[]; filePath: string }): DatasetMessages | undefined {
  let dataspace: Dataspace | undefined;
  let layout: Layout | undefined;
  let fillIsZero = true;
  let fillValue: Buffer | undefined = Buffer.alloc(0);
  let newFillValue: Buffer | undefined | null = null;
  for (const message of options.messages) {
    const relevant = RELEVANT_MESSAGES.includes(message.type);
    // A shared message's body only points at the message; following it is not worth it for these rare files.
    if (relevant && (message.flags & MESSAGE_FLAG_SHARED) !== 0) return undefined;
    const cursor = new ByteCursor({ buffer: message.body, filePath: options.filePath });
    if (message.type === MESSAGE_EXTERNAL_FILES) return undefined;
    if (message.type === MESSAGE_FILTER_PIPELINE && filterCount(cursor) > 0) return undefined;
    if (message.type === MESSAGE_DATASPACE) dataspace = readDataspace(cursor);
    if (message.type === MESSAGE_FILL_VALUE_OLD || message.type === MESSAGE_FILL_VALUE) {
      const read = message.type === MESSAGE_FILL_VALUE ? readFillValue(cursor) : cursor.bytes(cursor.u32());
      const bytes = read === NOT_DEFINED ? undefined : read;
      // HDF5 prefers the new fill value message to the old one when a file has both.
      if (message.type === MESSAGE_FILL_VALUE) newFillValue = bytes;
      else fillValue = bytes;
      const fill = read === NOT_DEFINED ? Buffer.alloc(0) : read;
      // Of the two fill value messages an old file may carry, either one defining a non-zero value counts.
      if (fill === undefined || fill.some((byte) => byte !== 0)) fillIsZero = false;
    }
    if (message.type === MESSAGE_LAYOUT) {
      layout = readLayout(cursor);
      if (layout === undefined) return undefined;
    }
  }
  if (newFillValue !== null) fillValue = newFillValue;
  return dataspace === undefined || layout === undefined ? undefined : { dataspace, layout, fillIsZero, fillValue };
}

/**
 * The fill value's bytes (empty when none is defined: HDF5 then fills with zeros), or undefined for a message
 * version this reader does not know.
 */
function readFillValue(cursor: ByteCursor): Buffer | typeof NOT_DEFINED | undefined {
  const version = cursor.u8();
  if (version === 1 || version === 2) {
    cursor.skip(2); // allocation and write times
    const defined = cursor.u8();
    if (version === 2 && defined === 0) return NOT_DEFINED;
    return cursor.bytes(cursor.u32());
  }
  if (version === 3) {
    const flags = cursor.u8();
    if ((flags & FILL_VALUE_UNDEFINED) !== 0) return NOT_DEFINED;
    return (flags & FILL_VALUE_DEFINED) === 0 ? Buffer.alloc(0) : cursor.bytes(cursor.u32());
  }
  return undefined;
}

function filterCount(cursor: ByteCursor): number {
  cursor.u8(); // version 1 or 2: the count is the next byte in both
  return cursor.u8();
}

/** A dataspace message (versions 1 and 2), or undefined for another version. */
export function readDataspace(cursor: ByteCursor): Dataspace | undefined {
  const version = cursor.u8();
  const rank = cursor.u8();
  const flags = cursor.u8();
  let kind: "scalar" | "simple" | "null" = rank === 0 ? "scalar" : "simple";
  if (version === 1) cursor.skip(5);
  else if (version === 2) {
    const type = cursor.u8(); // a scalar or null space has rank 0
    if (type > 2) return undefined;
    kind = type === 0 ? "scalar" : type === 1 ? "simple" : "null";
  } else return undefined;
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(cursor.u64());
  const maxDims: (number | undefined)[] = [];
  for (let d = 0; d < rank; d++) maxDims.push((flags & DATASPACE_HAS_MAX) !== 0 ? cursor.address() : dims[d]);
  return { dims, maxDims, kind };
}

function readLayout(cursor: ByteCursor): Layout | undefined {
  const version = cursor.u8();
  if (version !== 3 && version !== 4) return undefined;
  const layoutClass = cursor.u8();
  if (layoutClass === LAYOUT_COMPACT) return { kind: "compact", data: cursor.bytes(cursor.u16()) };
  if (layoutClass === LAYOUT_CONTIGUOUS) return { kind: "contiguous", address: cursor.address(), bytes: cursor.u64() };
  if (layoutClass !== LAYOUT_CHUNKED) return undefined;
  return version === 3 ? readChunkedV3(cursor) : readChunkedV4(cursor);
}

/** Version 3: rank + 1 dimensions of 4 bytes, the last one the element size, after the B-tree address. */
function readChunkedV3(cursor: ByteCursor): Layout | undefined {
  const dimensionality = cursor.u8();
  const address = cursor.address();
  const sizes: number[] = [];
  for (let d = 0; d < dimensionality; d++) sizes.push(cursor.u32());
  return chunked(sizes, { kind: "btree-v1", address });
}

function readChunkedV4(cursor: ByteCursor): Layout | undefined {
  const flags = cursor.u8();
  const dimensionality = cursor.u8();
  const sizeWidth = cursor.u8();
  const sizes: number[] = [];
  for (let d = 0; d < dimensionality; d++) sizes.push(cursor.uint(sizeWidth));
  const indexType = cursor.u8();
  if (indexType === INDEX_SINGLE) {
    // A filtered single chunk stores its size and filter mask here; a filter pipeline message then refuses it.
    if ((flags & LAYOUT_V4_SINGLE_FILTERED) !== 0) return chunked(sizes, { kind: "other" });
    return chunked(sizes, { kind: "single", address: cursor.address() });
  }
  if (indexType === INDEX_IMPLICIT) return chunked(sizes, { kind: "implicit", address: cursor.address() });
  if (indexType === INDEX_FIXED_ARRAY) {
    cursor.skip(1); // page bits: the array header repeats them
    return chunked(sizes, { kind: "fixed-array", address: cursor.address() });
  }
  if (indexType === INDEX_EXTENSIBLE_ARRAY) {
    cursor.skip(5); // creation parameters: the array header repeats them
    return chunked(sizes, { kind: "extensible-array", address: cursor.address() });
  }
  if (indexType === INDEX_BTREE_V2) {
    cursor.skip(6); // node size, split and merge percentages: the tree header repeats them
    return chunked(sizes, { kind: "btree-v2", address: cursor.address() });
  }
  return undefined;
}

function chunked(sizes: readonly number[], index: ChunkIndex): Layout | undefined {
  if (sizes.length < 2) return undefined;
  const chunkShape = sizes.slice(0, -1);
  const elementBytes = sizes[sizes.length - 1];
  if (elementBytes === 0 || chunkShape.some((size) => size === 0)) return undefined;
  return { kind: "chunked", chunkShape, elementBytes, index };
}
