/**
 * What every chunk index reader shares: the chunk record it produces, the facts it reads with, and the chunk grid
 * the layout-v4 indexes number their chunks in.
 */
import type { Dataspace } from "./dataset-messages";
import type { FileBytes } from "./file-bytes";

/** One allocated chunk: its first element's coordinates, its absolute file offset and its stored size. */
export interface ChunkLocation {
  readonly offset: readonly number[];
  readonly address: number;
  readonly bytes: number;
}

/** The inputs of a chunk index read. */
export interface IndexRead {
  readonly file: FileBytes;
  readonly baseAddress: number;
  readonly dataspace: Dataspace;
  readonly chunkShape: readonly number[];
  readonly elementBytes: number;
}
export { CHECKSUM_BYTES } from "./checksum";

/** Bytes of one whole (unfiltered) chunk. */
export function chunkBytes(read: IndexRead): number {
  return read.chunkShape.reduce((product, size) => product * size, read.elementBytes);
}

/**
 * Chunks per dimension over the maximum extent, or undefined when a dimension is unlimited: the layout-v4 indexes
 * number chunks row-major over this grid, so room kept for growth shifts every later chunk's number.
 */
export function chunkGrid(read: IndexRead): number[] | undefined {
  const grid: number[] = [];
  for (let d = 0; d < read.chunkShape.length; d++) {
    const max = read.dataspace.maxDims[d];
    if (max === undefined) return undefined;
    grid.push(Math.ceil(max / read.chunkShape[d]));
  }
  return grid;
}

/** Element offset of the chunk numbered `linear` row-major in `grid` (dimension `order[i]` is the i-th slowest). */
export function offsetOf(linear: number, grid: readonly number[], chunkShape: readonly number[], order?: readonly number[]): number[] {
  const offset = new Array<number>(grid.length);
  let rest = linear;
  for (let i = grid.length - 1; i >= 0; i--) {
    const d = order === undefined ? i : order[i];
    offset[d] = (rest % grid[d]) * chunkShape[d];
    rest = Math.floor(rest / grid[d]);
  }
  return offset;
}

export function gridCount(grid: readonly number[]): number {
  return grid.reduce((product, size) => product * size, 1);
}
