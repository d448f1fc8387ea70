/**
 * Reads many runs of an open file into their buffers with a few asynchronous reads in flight (libuv's thread pool
 * copies the bytes) while the main thread computes each buffer's checksum from the pieces already read, in order
 * (and takes the next plans from an iterator as reads are needed, so a lazy iterator plans while reads run). A
 * load then pays for the slower of the two sides, not for the copy and the checksum one after the other.
 */
import * as fs from "fs";
import type { ChecksumScheme, RunningChecksum, ValueChecksum } from "../digest";
import type { ByteRun } from "./dataset-bytes";

/** One buffer to fill: its runs (in the buffer's order, together covering it whole). */
export interface PlannedRead {
  readonly target: Uint8Array;
  readonly runs: readonly ByteRun[];
}

/**
 * Bytes per read: big enough that a read's fixed cost is small, small enough that the checksum starts early and
 * the pieces stay in cache. Neighbouring pieces (of the same or the next buffers) share a read (`fs.readv`).
 */
const PIECE_BYTES = 1024 * 1024;
/**
 * Pieces this close in the file share a read, the bytes between them going to a scratch buffer: a session file
 * keeps a few KB of object headers between one unit's arrays and the next.
 */
const MAX_GAP_BYTES = 8 * 1024;
/** Buffers per `readv` at most (far below any system's IOV_MAX). */
const MAX_BUFFERS_PER_READ = 64;
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

/** One system call: consecutive pieces (with the gaps between them) from `address` on. */
interface Read {
  readonly pieces: Piece[];
  readonly buffers: Uint8Array[];
  readonly address: number;
  bytes: number;
}

/** Where the bytes between grouped pieces go; several reads may fill it at once, nobody reads it. */
const gapScratch = new Uint8Array(MAX_GAP_BYTES);

/** A filled buffer's plan and the checksum of its bytes under the scheme asked for (none without one). */
export interface CompletedRead<T> {
  readonly plan: T;
  readonly checksum?: ValueChecksum;
}

/**
 * Fills every planned buffer from `fd` and resolves with each plan and its buffer's checksum under `scheme`
 * (`digest.ts`; none when `scheme` is undefined), in the iterator's order. Rejects on a failed or short read or when
 * the iterator throws, only once no read is in flight any more (the caller may then close `fd` or drop the buffers).
 */
export function readWithChecksums<T extends PlannedRead>(fd: number, plans: Iterator<T>, scheme?: ChecksumScheme): Promise<CompletedRead<T>[]> {
  const done: { plan: T; running: RunningChecksum | undefined }[] = [];
  const pieces: Piece[] = [];
  let planned = true;
  /** Adds the next plan's pieces; false when there is none left. */
  const planNext = (): boolean => {
    const next = plans.next();
    if (next.done === true) return (planned = false);
    const read = done.length;
    const { target, runs } = next.value;
    done.push({ plan: next.value, running: scheme?.start(target.byteLength) });
    for (const run of runs) {
      for (let offset = 0; offset < run.length; offset += PIECE_BYTES) {
        const length = Math.min(PIECE_BYTES, run.length - offset);
        pieces.push({ read, target, at: run.at + offset, length, address: run.address + offset, done: false });
      }
    }
    return true;
  };
  /** The next read: the next piece and those that follow it closely in the file, up to PIECE_BYTES. */
  let next = 0;
  const nextRead = (): Read | undefined => {
    if (next === pieces.length && !(planned && planNext())) return undefined;
    if (next === pieces.length) return nextRead();
    const first = pieces[next++];
    const read: Read = { pieces: [first], buffers: [view(first)], address: first.address, bytes: first.length };
    for (;;) {
      if (next === pieces.length && !(planned && planNext())) break;
      if (next === pieces.length) continue;
      const piece = pieces[next];
      const gap = piece.address - (read.address + read.bytes);
      if (gap < 0 || gap > MAX_GAP_BYTES || read.bytes + gap + piece.length > PIECE_BYTES || read.buffers.length + 2 > MAX_BUFFERS_PER_READ) break;
      if (gap > 0) read.buffers.push(gapScratch.subarray(0, gap));
      read.buffers.push(view(piece));
      read.pieces.push(piece);
      read.bytes += gap + piece.length;
      next++;
    }
    return read;
  };
  return new Promise((resolve, reject) => {
    let checked = 0;
    let inFlight = 0;
    let failure: unknown;
    const start = (read: Read): void => {
      inFlight++;
      fs.readv(fd, read.buffers, read.address, (error, got) => {
        inFlight--;
        if (error !== null) failure ??= error;
        else if (got !== read.bytes) failure ??= new Error(`short read at ${read.address}: ${got} of ${read.bytes} bytes`);
        else for (const piece of read.pieces) piece.done = true;
        pump();
      });
    };
    const pump = (): void => {
      try {
        // Start the next reads first, so that the thread pool copies while this thread checksums and plans.
        while (failure === undefined && inFlight < READS_IN_FLIGHT) {
          const read = nextRead();
          if (read === undefined) break;
          start(read);
        }
      } catch (error) {
        failure ??= error;
      }
      if (failure === undefined) {
        // (A checksum that throws must reject the read, not escape from a read's callback.)
        try {
          while (checked < pieces.length && pieces[checked].done) {
            const piece = pieces[checked++];
            done[piece.read].running?.update(piece.target.subarray(piece.at, piece.at + piece.length));
          }
          if (checked === pieces.length && !planned) {
            resolve(done.map(({ plan, running }) => (running === undefined || scheme === undefined ? { plan } : { plan, checksum: { format: scheme.format, hex: running.hex() } })));
          }
        } catch (error) {
          failure = error;
        }
      }
      if (failure !== undefined && inFlight === 0) reject(failure);
    };
    pump();
  });
}

function view(piece: Piece): Uint8Array {
  return piece.target.subarray(piece.at, piece.at + piece.length);
}
