/** The version-1 B-tree chunk index of layout message version 3 (every file in the HDF5 1.8 format). */
import type { ChunkLocation, IndexRead } from "./chunk-grid";

const BTREE_CHUNK_NODE = 1;
const NODE_PREFIX_BYTES = 24; // "TREE", type, level, entries used, two sibling addresses
/** Deeper than any tree a real file holds (each level multiplies the chunks by at least 2K ≥ 4). */
const MAX_LEVEL = 64;

/**
 * Walks a version-1 B-tree of chunk nodes. Each key carries the stored size, filter mask and element offsets of
 * the chunk its child points to (one more offset than the dataset's rank, always 0, for the element bytes).
 */
export function readBtreeV1Chunks(read: IndexRead & { readonly rootAddress: number }): ChunkLocation[] | undefined {
  const rank = read.chunkShape.length;
  const keyBytes = 4 + 4 + 8 * (rank + 1);
  const chunks: ChunkLocation[] = [];
  const pending: { address: number; expectedLevel: number | undefined }[] = [{ address: read.rootAddress, expectedLevel: undefined }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const prefix = read.file.cursor(node.address, NODE_PREFIX_BYTES);
    if (prefix.ascii(4) !== "TREE" || prefix.u8() !== BTREE_CHUNK_NODE) return undefined;
    const level = prefix.u8();
    const entries = prefix.u16();
    if (level > MAX_LEVEL || (node.expectedLevel !== undefined && level !== node.expectedLevel)) return undefined;
    const body = read.file.cursor(node.address + NODE_PREFIX_BYTES, entries * (keyBytes + 8) + keyBytes);
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
