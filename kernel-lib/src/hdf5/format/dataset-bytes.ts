/**
 * A dataset's elements as stored, gathered into one buffer in row-major order: from the layout message (compact),
 * one contiguous block, or its chunks (unfiltered); elements never written are the fill value, as HDF5 reads them.
 */
import { readChunkIndex } from "./chunk-index";
import type { DatasetMessages } from "./dataset-messages";
import type { FileBytes } from "./file-bytes";
import { unsupported } from "./unsupported";

/**
 * Runs of dataset bytes at least this long are read straight into the result with one system call; shorter ones
 * (and every structure read) go through the file's page cache, where neighbouring small objects share a page.
 */
const DIRECT_READ_BYTES = 4 * 1024;

/** The inputs of a dataset read. */
export interface DatasetRead {
  readonly file: FileBytes;
  readonly baseAddress: number;
  readonly dataset: DatasetMessages;
  readonly elementBytes: number;
  readonly count: number;
}

/** `length` bytes at absolute file offset `address` that are bytes `at` … `at + length` of the dataset's result. */
export interface ByteRun {
  readonly address: number;
  readonly at: number;
  readonly length: number;
}

/**
 * All `count` elements of `elementBytes` bytes each, in a fresh buffer of exactly that size that nothing else
 * shares (typed arrays are made over its whole ArrayBuffer).
 */
export function readDatasetBytes(read: DatasetRead): Uint8Array {
  const total = read.elementBytes * read.count;
  const runs = total > 0 ? directRuns(read) : undefined;
  if (runs !== undefined) {
    // Every byte is read into it: no need to zero it first.
    const out = unzeroedBytes(total);
    for (const run of runs) readAt(read.file, run.address, out.subarray(run.at, run.at + run.length));
    return out;
  }
  const { dataset, elementBytes } = read;
  const layout = dataset.layout;
  const out = new Uint8Array(new ArrayBuffer(total));
  if (total === 0) return out;
  if (layout.kind === "compact") {
    if (layout.data.length < total) unsupported("compact data shorter than the dataspace");
    out.set(layout.data.subarray(0, total));
  } else if (layout.kind === "contiguous") {
    // (Stored contiguous data was a direct run: only never-written storage is left.)
    fill(out, dataset.fillValue, elementBytes);
  } else {
    readChunks(read, out);
  }
  return out;
}

/** A buffer of `length` bytes, not zeroed, over its own ArrayBuffer of exactly that size. */
export function unzeroedBytes(length: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
}

/**
 * The file runs that make up the whole result, in result order, when the dataset's stored bytes are its result
 * as they lie — one contiguous block, or chunks of whole rows that cover every row once — else undefined (compact
 * or never-written data, missing chunks, chunks that must be cut into rows). Throws for storage shorter than the
 * dataspace, as a read would.
 */
export function directRuns(read: DatasetRead): ByteRun[] | undefined {
  const { baseAddress, dataset, elementBytes, count } = read;
  const total = elementBytes * count;
  const layout = dataset.layout;
  if (layout.kind === "contiguous") {
    if (layout.address === undefined) return undefined;
    if (layout.bytes < total) unsupported("contiguous storage shorter than the dataspace");
    return [{ address: baseAddress + layout.address, at: 0, length: total }];
  }
  if (layout.kind !== "chunked") return undefined;
  const dims = dataset.dataspace.dims;
  const { chunkShape } = layout;
  if (dims.length === 0 || chunkShape.length !== dims.length || layout.elementBytes !== elementBytes) return undefined;
  if (!chunkShape.slice(1).every((size, d) => size === dims[d + 1])) return undefined;
  const chunks = readChunkIndex({ file: read.file, baseAddress, dataspace: dataset.dataspace, chunkShape, elementBytes, index: layout.index });
  const rows = chunkShape[0];
  if (chunks === undefined || rows <= 0 || chunks.length !== Math.ceil(dims[0] / rows)) return undefined;
  const rowBytes = total / dims[0];
  const chunkBytes = rows * rowBytes;
  const runs: ByteRun[] = [];
  // Sorted by offset and as many as the rows need: each chunk k must start at row k·rows for every row to be read once.
  for (let k = 0; k < chunks.length; k++) {
    const chunk = chunks[k];
    if (chunk.offset[0] !== k * rows || chunk.offset.some((offset, d) => d > 0 && offset !== 0)) return undefined;
    if (chunk.bytes < chunkBytes) unsupported("chunk smaller than its shape");
    runs.push({ address: chunk.address, at: k * chunkBytes, length: Math.min(rows, dims[0] - k * rows) * rowBytes });
  }
  return runs;
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

function readChunks(options: DatasetRead, out: Uint8Array): void {
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
