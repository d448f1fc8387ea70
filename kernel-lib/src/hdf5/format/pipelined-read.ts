/**
 * Reads many runs of an open file into their buffers with a few asynchronous reads in flight (libuv's thread pool
 * copies the bytes) while the main thread computes each buffer's CRC-32 from the pieces already read, in order,
 * and plans the next buffers as reads are needed (the plans come from an iterator). A load then pays for the
 * slower of the two sides, not for all three passes one after the other.
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
 * Fills every planned buffer from `fd` and resolves with each plan and its buffer's CRC-32 (digest.ts), in the
 * iterator's order. Rejects on a failed or short read or when the iterator throws, only once no read is in flight
 * any more (the caller may then close `fd` or drop the buffers).
 */
export function readWithChecksums<T extends PlannedRead>(fd: number, plans: Iterator<T>): Promise<{ plan: T; checksum: number }[]> {
  const done: { plan: T; checksum: number }[] = [];
  const pieces: Piece[] = [];
  let planned = true;
  /** Adds the next plan's pieces; false when there is none left. */
  const planNext = (): boolean => {
    const next = plans.next();
    if (next.done === true) return (planned = false);
    const read = done.length;
    done.push({ plan: next.value, checksum: 0 });
    const { target, runs } = next.value;
    for (const run of runs) {
      for (let offset = 0; offset < run.length; offset += PIECE_BYTES) {
        const length = Math.min(PIECE_BYTES, run.length - offset);
        pieces.push({ read, target, at: run.at + offset, length, address: run.address + offset, done: false });
      }
    }
    return true;
  };
  return new Promise((resolve, reject) => {
    let next = 0;
    let checked = 0;
    let inFlight = 0;
    let failure: unknown;
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
      try {
        // Start the next reads first, so that the thread pool copies while this thread checksums and plans.
        while (failure === undefined && inFlight < READS_IN_FLIGHT) {
          if (next === pieces.length && !(planned && planNext())) break;
          if (next < pieces.length) start(pieces[next++]);
        }
      } catch (error) {
        failure ??= error;
      }
      if (failure !== undefined) {
        if (inFlight === 0) reject(failure);
        return;
      }
      while (checked < pieces.length && pieces[checked].done) {
        const piece = pieces[checked++];
        done[piece.read].checksum = crc32(piece.target.subarray(piece.at, piece.at + piece.length), done[piece.read].checksum);
      }
      if (checked === pieces.length && !planned) resolve(done);
    };
    pump();
  });
}
