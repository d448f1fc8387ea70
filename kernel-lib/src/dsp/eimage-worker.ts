/**
 * The worker-thread side of `eimage-pool.ts`: one {@link BandRange} per thread, driven by messages.
 *
 *   ← { type: "ready", memory, sumsByteOffset, sumsLength }   the range's shared kernel memory and where its sums
 *                                                             lie (the pool reads them there: no copy), or
 *   ← { type: "unavailable" }                                 without WebAssembly SIMD or shared memory
 *   → { type: "block", raw, rows, float32Padding, windows, firstNeededRow }
 *   ← { type: "staged" }  (raw may be reused)   ← { type: "done" }  (the block is filtered and accumulated)
 * @internal
 */
import { parentPort, workerData } from "worker_threads";
import { createBandRange, type BandRange, type BandRangeOptions, type SensorBlockArray } from "./eimage-bands";

/** What the pool passes as `workerData`. */
export interface BandWorkerData {
  /** The worker script the bootstrap loads (this file, compiled or not). */
  entry: string;
  range: BandRangeOptions;
}

/** Messages the pool sends. */
export interface BandWorkerRequest {
  type: "block";
  raw: SensorBlockArray;
  rows: number;
  float32Padding: boolean;
  windows: Int32Array;
  firstNeededRow: number;
}

/** Messages a worker sends back. */
export type BandWorkerReply =
  | { type: "ready"; memory: BandRange["memory"]; sumsByteOffset: number; sumsLength: number }
  | { type: "unavailable" }
  | { type: "staged" }
  | { type: "done" };

/** Runs the band range of `workerData` until the pool terminates the thread (called by `eimage-worker.cjs`). */
export function serveBandRange(): void {
  const port = parentPort;
  if (port === null) return;
  const range = createBandRange({ ...(workerData as BandWorkerData).range, sharedMemory: true });
  const reply = (message: BandWorkerReply) => port.postMessage(message);
  if (range === undefined) {
    reply({ type: "unavailable" });
    return;
  }
  port.on("message", (request: BandWorkerRequest) => {
    range.stage(request.raw, request.rows);
    reply({ type: "staged" });
    range.filter(request.rows, request.float32Padding, request.windows, request.firstNeededRow);
    reply({ type: "done" });
  });
  reply({ type: "ready", memory: range.memory, sumsByteOffset: range.sumsByteOffset, sumsLength: range.sumsLength });
}
