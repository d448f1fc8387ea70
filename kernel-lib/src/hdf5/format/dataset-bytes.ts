/**
 * A dataset's elements as stored, gathered into one buffer in row-major order: from the layout message (compact),
 * one contiguous block, or its chunks (unfiltered); elements never written are the fill value, as HDF5 reads them.
 */
import { readChunkIndex } from "./chunk-index";
import type { DatasetMessages } from "./dataset-messages";
import type { FileBytes } from "./file-bytes";
import { unsupported } from "./unsupported";

/** Reads above this many bytes skip the page cache and go straight into the result. */
const DIRECT_READ_BYTES = 64 * 1024;

/**
 * All `count` elements of `elementBytes` bytes each, in a fresh buffer of exactly that size that nothing else
 * shares (typed arrays are made over its whole ArrayBuffer).
 */
export function readDatasetBytes(options: { file: FileBytes; baseAddress: number; dataset: DatasetMessages; elementBytes: number; count: number }): Uint8Array {
  const { file, baseAddress, dataset, elementBytes, count } = options;
  const total = elementBytes * count;
  const layout = dataset.layout;
  if (layout.kind === "contiguous" && layout.address !== undefined && total >= DIRECT_READ_BYTES) {
    // Every byte is read into it: no need to zero it first.
    const buffer = Buffer.allocUnsafeSlow(total);
    const out = new Uint8Array(buffer.buffer, buffer.byteOffset, total);
    if (layout.bytes < total) unsupported("contiguous storage shorter than the dataspace");
    file.readInto(baseAddress + layout.address, out);
    return out;
  }
  const out = new Uint8Array(new ArrayBuffer(total));
  if (total === 0) return out;
  if (layout.kind === "compact") {
    if (layout.data.length < total) unsupported("compact data shorter than the dataspace");
    out.set(layout.data.subarray(0, total));
  } else if (layout.kind === "contiguous") {
    if (layout.address === undefined) fill(out, dataset.fillValue, elementBytes);
    else if (layout.bytes < total) unsupported("contiguous storage shorter than the dataspace");
    else readAt(file, baseAddress + layout.address, out);
  } else {
    readChunks(options, out);
  }
  return out;
}

function readAt(file: FileBytes, address: number, target: Uint8Array): void {
  if (target.length >= DIRECT_READ_BYTES) file.readInto(address, target);
  else target.set(file.read(address, target.length));
}

function fill(out: Uint8Array, fillValue: Buffer | undefined, elementBytes: number): void {
  if (fillValue === undefined) unsupported("never-written elements with an undefined fill value");
  if (fillValue.length === 0 || fillValue.every((byte) => byte === 0)) return; // already zeros
  if (fillValue.length !== elementBytes) unsupported("fill value of another size than the element");
  for (let at = 0; at < out.length; at += elementBytes) out.set(fillValue, at);
}

function readChunks(options: { file: FileBytes; baseAddress: number; dataset: DatasetMessages; elementBytes: number }, out: Uint8Array): void {
  const { file, baseAddress, dataset, elementBytes } = options;
  const { dataspace, layout } = dataset;
  if (layout.kind !== "chunked") return;
  const dims = dataspace.dims;
  const rank = dims.length;
  if (layout.chunkShape.length !== rank || layout.elementBytes !== elementBytes) unsupported("chunk shape");
  const chunks = readChunkIndex({ file, baseAddress, dataspace, chunkShape: layout.chunkShape, elementBytes, index: layout.index });
  if (chunks === undefined) unsupported("chunk index");
  const chunksInExtent = dims.reduce((product, size, d) => product * Math.ceil(size / layout.chunkShape[d]), 1);
  if (chunks.length < chunksInExtent) fill(out, dataset.fillValue, elementBytes);
  const chunkShape = layout.chunkShape;
  const chunkBytes = chunkShape.reduce((a, b) => a * b, elementBytes);
  // Strides in bytes of the output and of a chunk, per dimension.
  const outStride = new Array<number>(rank);
  const chunkStride = new Array<number>(rank);
  for (let d = rank - 1, o = elementBytes, c = elementBytes; d >= 0; d--) {
    outStride[d] = o;
    chunkStride[d] = c;
    o *= dims[d];
    c *= chunkShape[d];
  }
  // Chunks of whole rows (the shape of large arrays our writer splits into blocks) are one run each in the output:
  // read straight into place.
  const wholeRows = chunkShape.slice(1).every((size, d) => size === dims[d + 1]);
  for (const chunk of chunks) {
    if (chunk.bytes < chunkBytes) unsupported("chunk smaller than its shape");
    if (wholeRows && chunk.offset.slice(1).every((offset) => offset === 0)) {
      const at = chunk.offset[0] * outStride[0];
      readAt(file, chunk.address, out.subarray(at, at + Math.min(chunkShape[0], dims[0] - chunk.offset[0]) * outStride[0]));
      continue;
    }
    const bytes = chunkBytes >= DIRECT_READ_BYTES ? readFresh(file, chunk.address, chunkBytes) : file.read(chunk.address, chunkBytes);
    const extent = chunkShape.map((size, d) => Math.min(size, dims[d] - chunk.offset[d]));
    const runBytes = extent[rank - 1] * elementBytes;
    const index = new Array<number>(rank).fill(0);
    for (;;) {
      let source = 0;
      let target = 0;
      for (let d = 0; d < rank; d++) {
        source += index[d] * chunkStride[d];
        target += (chunk.offset[d] + index[d]) * outStride[d];
      }
      out.set(bytes.subarray(source, source + runBytes), target);
      // Next row: the last dimension is copied as a run, so step the ones before it.
      let d = rank - 2;
      for (; d >= 0; d--) {
        if (++index[d] < extent[d]) break;
        index[d] = 0;
      }
      if (d < 0) break;
    }
  }
}

function readFresh(file: FileBytes, address: number, length: number): Uint8Array {
  const target = new Uint8Array(length);
  file.readInto(address, target);
  return target;
}
