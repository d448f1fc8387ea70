/**
 * Chunk indexes: where each allocated chunk of a chunked dataset starts in the file. The version-1 B-tree of
 * layout message v3, and the single-chunk, implicit, fixed-array, extensible-array and version-2 B-tree indexes
 * of layout message v4.
 */
import { readBtreeV1Chunks } from "./chunk-btree-v1";
import { readBtreeV2Chunks } from "./chunk-btree-v2";
import { readExtensibleArrayChunks } from "./chunk-extensible-array";
import { readFixedArrayChunks } from "./chunk-fixed-array";
import { chunkBytes, chunkGrid, gridCount, offsetOf, type ChunkLocation, type IndexRead } from "./chunk-grid";
import type { ChunkIndex } from "./dataset-messages";

export type { ChunkLocation } from "./chunk-grid";

/**
 * The allocated chunks that overlap the dataset's current extent, sorted row-major by offset; undefined for an
 * index this reader does not follow or one that does not parse.
 */
export function readChunkIndex(read: IndexRead & { readonly index: ChunkIndex }): ChunkLocation[] | undefined {
  const index = read.index;
  if (index.kind === "other") return undefined;
  if (index.address === undefined) return []; // nothing written yet
  const address = read.baseAddress + index.address;
  let chunks: ChunkLocation[] | undefined;
  if (index.kind === "btree-v1") chunks = readBtreeV1Chunks({ ...read, rootAddress: address });
  else if (index.kind === "single") chunks = [{ offset: read.chunkShape.map(() => 0), address, bytes: chunkBytes(read) }];
  else if (index.kind === "implicit") chunks = readImplicitChunks(read, address);
  else if (index.kind === "fixed-array") chunks = readFixedArrayChunks({ ...read, headerAddress: address });
  else if (index.kind === "extensible-array") chunks = readExtensibleArrayChunks({ ...read, headerAddress: address });
  else chunks = readBtreeV2Chunks({ ...read, headerAddress: address });
  if (chunks === undefined) return undefined;
  // Chunks wholly beyond the current extent (room kept for growth, or left after a shrink) hold no data.
  const dims = read.dataspace.dims;
  return chunks.filter((chunk) => chunk.offset.every((start, d) => start < dims[d])).sort(compareOffsets);
}

function compareOffsets(a: ChunkLocation, b: ChunkLocation): number {
  for (let d = 0; d < a.offset.length; d++) {
    if (a.offset[d] !== b.offset[d]) return a.offset[d] - b.offset[d];
  }
  return 0;
}

/** Implicit index (early allocation, no filters): every chunk of the grid, back to back from one address. */
function readImplicitChunks(read: IndexRead, address: number): ChunkLocation[] | undefined {
  const grid = chunkGrid(read);
  if (grid === undefined) return undefined;
  const bytes = chunkBytes(read);
  const count = gridCount(grid);
  // Every chunk is allocated: a grid larger than the file is a damaged dataspace, not millions of chunks to list.
  if (address + count * bytes > read.file.size) return undefined;
  const chunks: ChunkLocation[] = [];
  for (let linear = 0; linear < count; linear++) {
    chunks.push({ offset: offsetOf(linear, grid, read.chunkShape), address: address + linear * bytes, bytes });
  }
  return chunks;
}
