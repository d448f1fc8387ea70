/**
 * Where a dataset's raw bytes sit in its HDF5 file, so that large uncompressed datasets can be read with plain
 * `fs.readSync` calls into our own buffers instead of through h5wasm (which copies every byte three times: file →
 * chunk cache → WebAssembly heap → JavaScript). h5wasm cannot say where the bytes are, so the few HDF5 structures
 * involved are parsed here; anything unusual makes the answer undefined and the caller reads through h5wasm.
 *
 * @internal
 */
import * as fs from "fs";
import { readChunkIndex, type ChunkLocation } from "./format/chunk-index";
import { readDatasetMessages } from "./format/dataset-messages";
import { FileBytes } from "./format/file-bytes";
import { readHeaderMessages } from "./format/object-header";
import { readSuperblock } from "./format/superblock";

export type { ChunkLocation } from "./format/chunk-index";

/**
 * A dataset's storage. Contiguous: `bytes` bytes from `address`, row-major. Chunked: every allocated chunk that
 * overlaps the extent (sorted row-major by `offset`, the coordinates of its first element), each a full
 * `chunkShape` block of `elementBytes`-byte elements, row-major, even where it overhangs the extent; chunks never
 * written are absent and read as zeros. Addresses are absolute file offsets. The bytes are the elements as stored:
 * in the file's byte order, and for variable-length types references into a heap, not values.
 */
export type DatasetStorage =
  | { readonly kind: "contiguous"; readonly address: number; readonly bytes: number }
  | {
      readonly kind: "chunked";
      readonly chunkShape: readonly number[];
      readonly elementBytes: number;
      readonly chunks: readonly ChunkLocation[];
    };

/**
 * Locates the raw bytes of the dataset whose object header is at `objectHeaderAddress` (relative to the
 * superblock, as `objectHeaderAddress()` in bridge.ts returns it). Undefined when they cannot be read directly:
 * compact, virtual or never-allocated contiguous storage, filters (compression, shuffle, checksums), external
 * files, extensible arrays with paged data blocks (past ~130 000 chunks), never-written chunks of a dataset whose
 * fill value is not zero, shared messages, offsets or lengths other than 8 bytes, or anything that does not parse.
 * Never throws. Reads only the structures, a few small reads on one file descriptor. The file must be closed (or
 * flushed) by any writer first, or the structures on disk may be stale.
 *
 * @internal
 */
export function readDatasetStorage(options: { filePath: string; objectHeaderAddress: number }): DatasetStorage | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(options.filePath, "r");
    return locate(new FileBytes({ filePath: options.filePath, fd }), options.objectHeaderAddress);
  } catch {
    // A structure that does not parse (or a file that cannot be opened) only means "not directly readable".
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function locate(file: FileBytes, objectHeaderAddress: number): DatasetStorage | undefined {
  const superblock = readSuperblock(file);
  if (superblock === undefined) return undefined;
  const { baseAddress } = superblock;
  const messages = readHeaderMessages({ file, baseAddress, address: objectHeaderAddress });
  if (messages === undefined) return undefined;
  const dataset = readDatasetMessages({ messages, filePath: file.filePath });
  if (dataset === undefined) return undefined;
  const { layout, dataspace } = dataset;
  if (layout.kind === "compact") return undefined;
  if (layout.kind === "contiguous") {
    if (layout.address === undefined) return undefined;
    const address = baseAddress + layout.address;
    if (address + layout.bytes > file.size) return undefined;
    return { kind: "contiguous", address, bytes: layout.bytes };
  }
  if (layout.chunkShape.length !== dataspace.dims.length) return undefined;
  const chunks = readChunkIndex({ file, baseAddress, dataspace, chunkShape: layout.chunkShape, elementBytes: layout.elementBytes, index: layout.index });
  if (chunks === undefined || chunks.some((chunk) => chunk.address + chunk.bytes > file.size)) return undefined;
  // Callers fill never-written chunks with zeros, which is only right when the fill value is zero.
  const chunksInExtent = dataspace.dims.reduce((product, size, d) => product * Math.ceil(size / layout.chunkShape[d]), 1);
  if (!dataset.fillIsZero && chunks.length < chunksInExtent) return undefined;
  return { kind: "chunked", chunkShape: layout.chunkShape, elementBytes: layout.elementBytes, chunks };
}
