/**
 * The worker-thread side of `eimage-pool.ts`: one {@link BandRange} per thread, driven by messages.
 *
 *   ← { type: "ready" }, or { type: "unavailable" } without WebAssembly SIMD
 *   → { type: "block", raw, rows, float32Padding, windows, firstNeededRow }
 *   ← { type: "staged" }  (raw may be reused)   ← { type: "done" }  (the block is filtered and accumulated)
 *   → { type: "means", out, counts, scale? }   ← { type: "means" }   this range's means of every unit written
 *                                                             into `out` (a Float32Array on a SharedArrayBuffer)
 *
 * The kernel memory is the worker's own (not shared): first touches of shared memory pages cost more, and the
 * workers write their part of the means straight into the caller's shared output instead.
 * @internal
 */
import { parentPort, workerData } from "worker_threads";
import { createBandRange, type BandRangeOptions, type SensorBlockArray } from "./eimage-bands";

/** What the pool passes as `workerData`. */
export interface BandWorkerData {
  /** The worker script the bootstrap loads (this file, compiled or not). */
  entry: string;
  range: BandRangeOptions;
}

/** Messages the pool sends. */
export type BandWorkerRequest =
  | { type: "block"; raw: SensorBlockArray; rows: number; float32Padding: boolean; windows: Int32Array; firstNeededRow: number }
  | { type: "means"; out: Float32Array; counts: Float64Array; scale: Float64Array | undefined };

/** Messages a worker sends back. */
export type BandWorkerReply = { type: "ready" } | { type: "unavailable" } | { type: "staged" } | { type: "done" } | { type: "means" };

/** Runs the band range of `workerData` until the pool terminates the thread (called by `eimage-worker.cjs`). */
export function serveBandRange(): void {
  const port = parentPort;
  if (port === null) return;
  const range = createBandRange((workerData as BandWorkerData).range);
  const reply = (message: BandWorkerReply) => port.postMessage(message);
  if (range === undefined) {
    reply({ type: "unavailable" });
    return;
  }
  port.on("message", (request: BandWorkerRequest) => {
    if (request.type === "block") {
      range.stage(request.raw, request.rows);
      reply({ type: "staged" });
      range.filter(request.rows, request.float32Padding, request.windows, request.firstNeededRow);
      reply({ type: "done" });
    } else {
      range.writeMeans(request.out, request.counts, request.scale);
      reply({ type: "means" });
    }
  });
  reply({ type: "ready" });
}
