/**
 * Chunk indexes: where each allocated chunk of a chunked dataset starts in the file. Version-1 B-trees (layout
 * message v3) and the single-chunk, implicit and fixed-array indexes (layout message v4); extensible arrays and
 * version-2 B-trees are not read.
 */
import type { ChunkIndex, Dataspace } from "./dataset-messages";
import type { FileBytes } from "./file-bytes";

/** One allocated chunk: its first element's coordinates, its absolute file offset and its stored size. */
export interface ChunkLocation {
  readonly offset: readonly number[];
  readonly address: number;
  readonly bytes: number;
}

interface IndexRead {
  readonly file: FileBytes;
  readonly baseAddress: number;
  readonly dataspace: Dataspace;
  readonly chunkShape: readonly number[];
  readonly elementBytes: number;
}

const BTREE_CHUNK_NODE = 1;
const BTREE_PREFIX_BYTES = 24; // "TREE", type, level, entries used, two sibling addresses
/** Deeper than any tree a real file holds (each level multiplies the chunks by at least 2K ≥ 4). */
const MAX_BTREE_LEVEL = 64;
const FIXED_ARRAY_CLIENT_UNFILTERED = 0;
const FIXED_ARRAY_HEADER_BYTES = 4 + 1 + 1 + 1 + 1 + 8 + 8; // signature, version, client, entry size, page bits, count, address
const FIXED_ARRAY_BLOCK_PREFIX_BYTES = 4 + 1 + 1 + 8; // signature, version, client, header address
const CHECKSUM_BYTES = 4;

/** The allocated chunks of a dataset in row-major order of their offsets, or undefined for an index not read. */
export function readChunkIndex(read: IndexRead & { readonly index: ChunkIndex }): ChunkLocation[] | undefined {
  const index = read.index;
  if (index.kind === "other") return undefined;
  if (index.address === undefined) return []; // nothing written yet
  const address = read.baseAddress + index.address;
  let chunks: ChunkLocation[] | undefined;
  if (index.kind === "btree-v1") chunks = readBtreeV1(read, address);
  else if (index.kind === "single") chunks = [{ offset: read.chunkShape.map(() => 0), address, bytes: chunkBytes(read) }];
  else if (index.kind === "implicit") chunks = readImplicit(read, address);
  else chunks = readFixedArray(read, address);
  if (chunks === undefined) return undefined;
  // Chunks wholly beyond the current extent (room kept for growth up to the maximum extent) hold no data.
  const dims = read.dataspace.dims;
  return chunks.filter((chunk) => chunk.offset.every((start, d) => start < dims[d])).sort(compareOffsets);
}

function chunkBytes(read: IndexRead): number {
  return read.chunkShape.reduce((product, size) => product * size, read.elementBytes);
}

function compareOffsets(a: ChunkLocation, b: ChunkLocation): number {
  for (let d = 0; d < a.offset.length; d++) {
    if (a.offset[d] !== b.offset[d]) return a.offset[d] - b.offset[d];
  }
  return 0;
}

/**
 * Walks a version-1 B-tree of chunk nodes. Each key carries the stored size, filter mask and element offsets of
 * the chunk its child points to (one more offset than the dataset's rank, always 0, for the element bytes).
 */
function readBtreeV1(read: IndexRead, rootAddress: number): ChunkLocation[] | undefined {
  const rank = read.chunkShape.length;
  const keyBytes = 4 + 4 + 8 * (rank + 1);
  const chunks: ChunkLocation[] = [];
  const pending: { address: number; expectedLevel: number | undefined }[] = [{ address: rootAddress, expectedLevel: undefined }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const prefix = read.file.cursor(node.address, BTREE_PREFIX_BYTES);
    if (prefix.ascii(4) !== "TREE" || prefix.u8() !== BTREE_CHUNK_NODE) return undefined;
    const level = prefix.u8();
    const entries = prefix.u16();
    if (level > MAX_BTREE_LEVEL || (node.expectedLevel !== undefined && level !== node.expectedLevel)) return undefined;
    const body = read.file.cursor(node.address + BTREE_PREFIX_BYTES, entries * (keyBytes + 8) + keyBytes);
    for (let entry = 0; entry < entries; entry++) {
      const bytes = body.u32();
      body.skip(4); // filter mask: no filters reach here
      const offset: number[] = [];
      for (let d = 0; d < rank; d++) offset.push(body.u64());
      body.skip(8);
      const child = body.address();
      if (child === undefined) return undefined;
      if (level === 0) chunks.push({ offset, address: read.baseAddress + child, bytes });
      else pending.push({ address: read.baseAddress + child, expectedLevel: level - 1 });
    }
  }
  return chunks;
}

/** Chunks per dimension over the maximum extent: the grid the v4 indexes number their chunks in (row-major). */
function chunkGrid(read: IndexRead): number[] | undefined {
  const grid: number[] = [];
  for (let d = 0; d < read.chunkShape.length; d++) {
    const max = read.dataspace.maxDims[d];
    if (max === undefined) return undefined;
    grid.push(Math.ceil(max / read.chunkShape[d]));
  }
  return grid;
}

function offsetOf(linear: number, grid: readonly number[], chunkShape: readonly number[]): number[] {
  const offset = new Array<number>(grid.length);
  let rest = linear;
  for (let d = grid.length - 1; d >= 0; d--) {
    offset[d] = (rest % grid[d]) * chunkShape[d];
    rest = Math.floor(rest / grid[d]);
  }
  return offset;
}

/** Implicit index (early allocation, no filters): every chunk of the grid, back to back from one address. */
function readImplicit(read: IndexRead, address: number): ChunkLocation[] | undefined {
  const grid = chunkGrid(read);
  if (grid === undefined) return undefined;
  const count = grid.reduce((product, size) => product * size, 1);
  const bytes = chunkBytes(read);
  const chunks: ChunkLocation[] = [];
  for (let linear = 0; linear < count; linear++) {
    chunks.push({ offset: offsetOf(linear, grid, read.chunkShape), address: address + linear * bytes, bytes });
  }
  return chunks;
}

/**
 * Fixed array index: a "FAHD" header pointing to a "FADB" data block of one chunk address per grid cell. Above
 * 2^pageBits entries the block is split into pages, each followed by its checksum, and a bitmap after the block's
 * prefix says which pages were ever written (an unwritten page holds no chunks).
 */
function readFixedArray(read: IndexRead, headerAddress: number): ChunkLocation[] | undefined {
  const grid = chunkGrid(read);
  if (grid === undefined) return undefined;
  const header = read.file.cursor(headerAddress, FIXED_ARRAY_HEADER_BYTES);
  if (header.ascii(4) !== "FAHD" || header.u8() !== 0 || header.u8() !== FIXED_ARRAY_CLIENT_UNFILTERED) return undefined;
  const entryBytes = header.u8();
  const pageBits = header.u8();
  const count = header.u64();
  const blockAddress = header.address();
  if (entryBytes !== 8 || count !== grid.reduce((product, size) => product * size, 1)) return undefined;
  if (blockAddress === undefined) return [];
  const block = read.baseAddress + blockAddress;
  const prefix = read.file.cursor(block, FIXED_ARRAY_BLOCK_PREFIX_BYTES);
  if (prefix.ascii(4) !== "FADB" || prefix.u8() !== 0 || prefix.u8() !== FIXED_ARRAY_CLIENT_UNFILTERED) return undefined;

  const pageEntries = 2 ** pageBits;
  const pages: { first: number; entries: number; address: number }[] = [];
  if (count <= pageEntries) {
    pages.push({ first: 0, entries: count, address: block + FIXED_ARRAY_BLOCK_PREFIX_BYTES });
  } else {
    const pageCount = Math.ceil(count / pageEntries);
    const bitmapBytes = Math.ceil(pageCount / 8);
    const bitmap = read.file.read(block + FIXED_ARRAY_BLOCK_PREFIX_BYTES, bitmapBytes);
    const firstPage = block + FIXED_ARRAY_BLOCK_PREFIX_BYTES + bitmapBytes + CHECKSUM_BYTES;
    const pageStride = pageEntries * entryBytes + CHECKSUM_BYTES;
    for (let page = 0; page < pageCount; page++) {
      // Bit `page` of the bitmap, most significant bit first.
      if ((bitmap[page >> 3] & (0x80 >> (page & 7))) === 0) continue;
      const first = page * pageEntries;
      pages.push({ first, entries: Math.min(pageEntries, count - first), address: firstPage + page * pageStride });
    }
  }

  const bytes = chunkBytes(read);
  const chunks: ChunkLocation[] = [];
  for (const page of pages) {
    const entries = read.file.cursor(page.address, page.entries * entryBytes);
    for (let i = 0; i < page.entries; i++) {
      const chunk = entries.address();
      if (chunk === undefined) continue; // never written
      chunks.push({ offset: offsetOf(page.first + i, grid, read.chunkShape), address: read.baseAddress + chunk, bytes });
    }
  }
  return chunks;
}
