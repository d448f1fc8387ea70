/**
 * Reads many runs of an open file into their buffers with a few asynchronous reads in flight (libuv's thread pool
 * copies the bytes) while the main thread computes each buffer's CRC-32 from the pieces already read, in order. A
 * load then pays for the slower of the two passes over the bytes, not for both one after the other.
 */
import * as fs from "fs";
import { crc32 } from "../digest";
import type { ByteRun } from "./dataset-bytes";

/** One buffer to fill: its runs (in the buffer's order, together covering it whole). */
export interface PlannedRead {
  readonly target: Uint8Array;
  readonly runs: readonly ByteRun[];
}

/** Big enough that a read's fixed cost is small, small enough that the checksum starts early and stays in cache. */
const PIECE_BYTES = 1024 * 1024;
/** Two reads keep the copy going while the main thread checksums; more only compete with it on two cores. */
const READS_IN_FLIGHT = 2;

interface Piece {
  readonly read: number;
  readonly target: Uint8Array;
  readonly at: number;
  readonly length: number;
  readonly address: number;
  done: boolean;
}

/**
 * Fills every planned buffer from `fd` and resolves with each buffer's CRC-32 (digest.ts), in `reads`' order.
 * Rejects on a failed or short read, only once no read is in flight any more (the caller may then close `fd`).
 */
export function readWithChecksums(fd: number, reads: readonly PlannedRead[]): Promise<number[]> {
  const pieces: Piece[] = [];
  reads.forEach(({ target, runs }, read) => {
    for (const run of runs) {
      for (let offset = 0; offset < run.length; offset += PIECE_BYTES) {
        const length = Math.min(PIECE_BYTES, run.length - offset);
        pieces.push({ read, target, at: run.at + offset, length, address: run.address + offset, done: false });
      }
    }
  });
  const checksums = reads.map(() => 0);
  return new Promise((resolve, reject) => {
    let next = 0;
    let checked = 0;
    let inFlight = 0;
    let failure: Error | undefined;
    const start = (piece: Piece): void => {
      inFlight++;
      fs.read(fd, piece.target, piece.at, piece.length, piece.address, (error, got) => {
        inFlight--;
        if (error !== null) failure ??= error;
        else if (got !== piece.length) failure ??= new Error(`short read at ${piece.address}: ${got} of ${piece.length} bytes`);
        else piece.done = true;
        pump();
      });
    };
    const pump = (): void => {
      if (failure !== undefined) {
        if (inFlight === 0) reject(failure);
        return;
      }
      // Start the next reads first, so that the thread pool copies while this thread checksums.
      while (inFlight < READS_IN_FLIGHT && next < pieces.length) start(pieces[next++]);
      while (checked < pieces.length && pieces[checked].done) {
        const piece = pieces[checked++];
        checksums[piece.read] = crc32(piece.target.subarray(piece.at, piece.at + piece.length), checksums[piece.read]);
      }
      if (checked === pieces.length) resolve(checksums);
    };
    pump();
  });
}
