/**
 * Rows of an uncompressed numeric dataset read straight from its file with `fs.readSync`, one read per stored
 * piece, into the caller's buffer: reading through HDF5 costs three extra copies of every byte (file → chunk
 * cache → WebAssembly heap → JavaScript). Used for the sensor stream (1.35 GB of int16 per 8 s of the full chip)
 * and for the large arrays of session files.
 *
 * A row is everything below the first index (a sample frame, one value of a 1-D array). Only storage this module
 * understands is read this way — contiguous data, or chunks that each hold whole rows (chunk shape [n, …rest of the
 * shape]), all allocated, no filters — and the caller's HDF5 reading of one row is compared with the direct one at
 * open; anything else leaves the caller on the HDF5 path.
 * @internal
 */
import * as fs from "fs";
import { FileBytes } from "./format/file-bytes";
import { readDatasetStorage, type DatasetStorage } from "./storage-layout";

/** Reads rows [start, end) into `target` (exactly (end − start) × rowBytes bytes). */
export interface DirectRowReader {
  readonly rowBytes: number;
  read(start: number, end: number, target: ArrayBufferView): void;
  close(): void;
}

/**
 * A direct reader of the dataset whose object header is at `objectHeaderAddress` in `filePath` (shape `shape`,
 * `elementBytes` per value, stored in this machine's byte order — the caller checks that), or undefined when its
 * storage is not one this module reads. `checkWith(row, target)` reads one row through HDF5: the last row is read
 * both ways and must agree.
 */
export function openDirectRows(options: {
  filePath: string;
  objectHeaderAddress: number | undefined;
  shape: readonly number[];
  elementBytes: number;
  checkWith: (row: number, target: Uint8Array) => void;
}): DirectRowReader | undefined {
  const { filePath, shape, elementBytes } = options;
  if (options.objectHeaderAddress === undefined || shape.length < 1) return undefined;
  const rows = shape[0];
  const rowBytes = shape.slice(1).reduce((a, b) => a * b, 1) * elementBytes;
  if (rows === 0 || rowBytes === 0) return undefined;
  const storage = readDatasetStorage({ filePath, objectHeaderAddress: options.objectHeaderAddress });
  const pieces = storage === undefined ? undefined : rowPieces(storage, rows, rowBytes, shape, elementBytes);
  if (pieces === undefined) return undefined;
  const fd = fs.openSync(filePath, "r");
  const file = new FileBytes({ filePath, fd });
  const reader: DirectRowReader = {
    rowBytes,
    read(start, end, target) {
      const { rowsPerPiece, addresses } = pieces;
      if (target.byteLength !== (end - start) * rowBytes) throw new RangeError(`rows ${start}–${end} need ${(end - start) * rowBytes} bytes, the target has ${target.byteLength}`);
      let written = 0;
      for (let row = start; row < end; ) {
        const piece = Math.floor(row / rowsPerPiece);
        const take = Math.min(end, (piece + 1) * rowsPerPiece) - row;
        const bytes = take * rowBytes;
        file.readInto(addresses[piece] + (row - piece * rowsPerPiece) * rowBytes, new Uint8Array(target.buffer, target.byteOffset + written, bytes));
        written += bytes;
        row += take;
      }
    },
    close() {
      fs.closeSync(fd);
    },
  };
  try {
    const direct = new Uint8Array(rowBytes);
    const viaHdf5 = new Uint8Array(rowBytes);
    reader.read(rows - 1, rows, direct);
    options.checkWith(rows - 1, viaHdf5);
    if (Buffer.compare(direct, viaHdf5) === 0) return reader;
  } catch {
    // A failed check read means the same as a mismatch: this dataset is read through HDF5.
  }
  reader.close();
  return undefined;
}

/** File positions of consecutive runs of whole rows: one run for contiguous data, one per chunk otherwise. */
function rowPieces(
  storage: DatasetStorage,
  rows: number,
  rowBytes: number,
  shape: readonly number[],
  elementBytes: number,
): { rowsPerPiece: number; addresses: number[] } | undefined {
  if (storage.kind === "contiguous") {
    return storage.bytes >= rows * rowBytes ? { rowsPerPiece: rows, addresses: [storage.address] } : undefined;
  }
  const [rowsPerChunk, ...chunkRow] = storage.chunkShape;
  // Every chunk must hold whole rows, and every chunk must be there (never-written chunks read as the fill value).
  if (storage.elementBytes !== elementBytes || chunkRow.length !== shape.length - 1 || chunkRow.some((n, i) => n !== shape[i + 1])) return undefined;
  const chunkCount = Math.ceil(rows / rowsPerChunk);
  if (storage.chunks.length !== chunkCount) return undefined;
  const addresses: number[] = [];
  for (let c = 0; c < chunkCount; c++) {
    const chunk = storage.chunks[c];
    if (chunk.offset[0] !== c * rowsPerChunk || chunk.offset.slice(1).some((o) => o !== 0) || chunk.bytes < rowsPerChunk * rowBytes) return undefined;
    addresses.push(chunk.address);
  }
  return { rowsPerPiece: rowsPerChunk, addresses };
}
