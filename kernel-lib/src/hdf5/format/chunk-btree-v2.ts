/**
 * The version-2 B-tree chunk index of layout message version 4 (chunked datasets with more than one unlimited
 * dimension). Records sit in leaves and internal nodes alike; each holds a chunk's address and its offsets in
 * chunks (scaled).
 */
import { checksumHolds } from "./checksum";
import { CHECKSUM_BYTES, chunkBytes, type ChunkLocation, type IndexRead } from "./chunk-grid";

const RECORD_UNFILTERED_CHUNK = 10;
const HEADER_BYTES = 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + 8 + 2 + 8; // through the total record count
const NODE_PREFIX_BYTES = 4 + 1 + 1; // signature, version, record type
/** Deeper than any tree a real file holds. */
const MAX_DEPTH = 32;

export interface TreeShape {
  readonly nodeBytes: number;
  readonly recordBytes: number;
  /** Per depth: bytes of a child's record count and of its subtree's total count in an internal node's pointers. */
  readonly countBytes: readonly number[];
  readonly totalBytes: readonly number[];
}

export function readBtreeV2Chunks(read: IndexRead & { readonly headerAddress: number }): ChunkLocation[] | undefined {
  const rank = read.chunkShape.length;
  const header = read.file.cursor(read.headerAddress, HEADER_BYTES);
  if (header.ascii(4) !== "BTHD" || header.u8() !== 0 || header.u8() !== RECORD_UNFILTERED_CHUNK) return undefined;
  if (!checksumHolds(read.file, read.headerAddress, read.headerAddress + HEADER_BYTES)) return undefined;
  const nodeBytes = header.u32();
  const recordBytes = header.u16();
  const depth = header.u16();
  header.skip(2); // split and merge percentages
  const root = header.address();
  const rootRecords = header.u16();
  if (recordBytes !== 8 + 8 * rank || depth > MAX_DEPTH) return undefined;
  if (root === undefined || rootRecords === 0) return [];
  const shape = treeShape(nodeBytes, recordBytes, depth);
  if (shape === undefined) return undefined;

  const bytes = chunkBytes(read);
  const chunks: ChunkLocation[] = [];
  const pending = [{ address: read.baseAddress + root, records: rootRecords, depth }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const leaf = node.depth === 0;
    const pointerBytes = leaf ? 0 : 8 + shape.countBytes[node.depth] + shape.totalBytes[node.depth];
    const length = NODE_PREFIX_BYTES + node.records * recordBytes + (leaf ? 0 : (node.records + 1) * pointerBytes);
    const cursor = read.file.cursor(node.address, length);
    if (cursor.ascii(4) !== (leaf ? "BTLF" : "BTIN") || cursor.u8() !== 0 || cursor.u8() !== RECORD_UNFILTERED_CHUNK) return undefined;
    if (!checksumHolds(read.file, node.address, node.address + length)) return undefined;
    for (let r = 0; r < node.records; r++) {
      const address = cursor.address();
      const offset: number[] = [];
      for (let d = 0; d < rank; d++) offset.push(cursor.u64() * read.chunkShape[d]);
      if (address !== undefined) chunks.push({ offset, address: read.baseAddress + address, bytes });
    }
    if (leaf) continue;
    for (let c = 0; c <= node.records; c++) {
      const child = cursor.address();
      const records = cursor.uint(shape.countBytes[node.depth]);
      cursor.skip(shape.totalBytes[node.depth]);
      if (child === undefined) return undefined;
      pending.push({ address: read.baseAddress + child, records, depth: node.depth - 1 });
    }
  }
  return chunks;
}

/**
 * The widths of the counts in internal nodes, which depend on how many records a node (and a subtree) of each
 * depth can hold: each is the fewest bytes that can store that maximum.
 */
export function treeShape(nodeBytes: number, recordBytes: number, depth: number): TreeShape | undefined {
  const prefixBytes = NODE_PREFIX_BYTES + CHECKSUM_BYTES;
  const leafMax = Math.floor((nodeBytes - prefixBytes) / recordBytes);
  if (leafMax <= 0) return undefined;
  const countWidth = widthFor(leafMax);
  const countBytes = [0];
  const totalBytes = [0];
  let subtreeMax = leafMax; // most records a subtree of the depth below can hold
  for (let d = 1; d <= depth; d++) {
    const total = d > 1 ? widthFor(subtreeMax) : 0;
    const pointer = 8 + countWidth + total;
    const nodeMax = Math.floor((nodeBytes - prefixBytes - pointer) / (recordBytes + pointer));
    if (nodeMax <= 0) return undefined;
    countBytes.push(countWidth);
    totalBytes.push(total);
    subtreeMax = (nodeMax + 1) * subtreeMax + nodeMax;
  }
  return { nodeBytes, recordBytes, countBytes, totalBytes };
}

/** Bytes needed for an unsigned count up to `max`: ⌊log2(max)/8⌋ + 1. */
function widthFor(max: number): number {
  return Math.floor(Math.floor(Math.log2(max)) / 8) + 1;
}
