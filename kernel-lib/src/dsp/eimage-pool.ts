/**
 * The band accumulator on several cores: the grid's bands are split into contiguous ranges, one per worker thread
 * (`eimage-worker.ts`), each with its own kernel memory and its own bands' accumulators, so no sums are reduced
 * across threads and every band's arithmetic is the single-thread path's (identical results).
 *
 * Per block: the workers copy their electrodes out of the block (shared with them through a SharedArrayBuffer,
 * so a reader that already returns shared memory costs no copy), say "staged" — once all have, the caller may read
 * the next block into the same buffer while they filter — and say "done". A worker takes the next block as soon as
 * it is done with its part of the last one. The pool lives for one call and is terminated by `close`.
 * @internal
 */
import * as path from "path";
import { Worker } from "worker_threads";
import { ConfigurationError } from "../errors";
import {
  bandCountOf,
  windowPairs,
  type BandAccumulator,
  type BandAccumulatorOptions,
  type BandRangeOptions,
  type SensorBlockArray,
} from "./eimage-bands";
import { compileEimageKernel } from "./eimage-kernel";
import type { BandWorkerData, BandWorkerReply, BandWorkerRequest } from "./eimage-worker";
import { messages } from "./messages";

/** One worker and the replies it has sent that nobody has taken yet. */
interface PoolWorker {
  readonly worker: Worker;
  readonly firstBand: number;
  /** The next reply (replies arrive in order: ready, then staged and done per block, then means). */
  next(): Promise<BandWorkerReply>;
}

/**
 * Starts `threads` workers (at most one per band) over the bands of the grid; undefined when fewer than two would
 * work, when they cannot start, or without WebAssembly SIMD (the caller then filters in its own thread).
 */
export async function createWorkerBandAccumulator(options: BandAccumulatorOptions & { threads: number }): Promise<BandAccumulator | undefined> {
  const { plan, electrodes, windowSamples, unitCount, maxRows } = options;
  const bands = bandCountOf(electrodes);
  const threads = Math.min(options.threads, bands);
  const entry = path.join(__dirname, `eimage-worker${path.extname(__filename)}`);
  const kernelModule = compileEimageKernel();
  if (kernelModule === undefined || threads < 2) return undefined;
  const workers: PoolWorker[] = [];
  const terminate = async () => {
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  };
  try {
    for (let t = 0; t < threads; t++) workers.push(startRange(t));
    const replies = await Promise.all(workers.map((w) => w.next()));
    if (!replies.every((reply) => reply.type === "ready")) {
      await terminate();
      return undefined;
    }
  } catch {
    await terminate();
    return undefined;
  }

  function startRange(t: number): PoolWorker {
    const firstBand = Math.round((t * bands) / threads);
    const range: BandRangeOptions = {
      plan: { coefficients: plan.coefficients, zi: plan.zi, padLength: plan.padLength },
      electrodes,
      firstBand,
      bandCount: Math.round(((t + 1) * bands) / threads) - firstBand,
      windowSamples,
      unitCount,
      maxRows,
      module: kernelModule,
    };
    const data: BandWorkerData = { entry, range };
    return startWorker(new Worker(path.join(__dirname, "eimage-worker.cjs"), { workerData: data }), firstBand);
  }

  // A copy of the block in shared memory, only for readers whose blocks are not shared already.
  let sharedCopy: Float32Array | undefined;
  let blocksPosted = 0;
  const expectReply = async (w: PoolWorker, expected: BandWorkerReply["type"]) => {
    const reply = await w.next();
    if (reply.type !== expected) throw new ConfigurationError(messages.eimageWorkerFailed(`replied ${reply.type}, expected ${expected}`));
    return reply;
  };
  return {
    threads,
    async addBlock(raw, rows, float32Padding, starts, firstNeededRow) {
      let shared: SensorBlockArray = raw;
      if (!(raw.buffer instanceof SharedArrayBuffer)) {
        sharedCopy ??= new Float32Array(new SharedArrayBuffer(maxRows * electrodes * 4));
        shared = sharedCopy.subarray(0, raw.length);
        shared.set(raw);
      }
      // Posted at once, also to workers still filtering the previous block: a worker that is done early goes on
      // to this one instead of waiting for the slowest (which matters most when other processes share the cores).
      const request: BandWorkerRequest = { type: "block", raw: shared, rows, float32Padding, windows: windowPairs(starts), firstNeededRow };
      for (const { worker } of workers) worker.postMessage(request);
      const previous = blocksPosted++;
      await Promise.all(
        workers.map(async (w) => {
          if (previous > 0) await expectReply(w, "done");
          await expectReply(w, "staged");
        }),
      );
    },
    async finish(counts, scale) {
      if (blocksPosted > 0) await Promise.all(workers.map((w) => expectReply(w, "done")));
      // Every worker writes its electrodes of every unit's means into one shared output, all at once.
      const slab = windowSamples * electrodes;
      const out = new Float32Array(new SharedArrayBuffer(unitCount * slab * 4));
      const request: BandWorkerRequest = { type: "means", out, counts: Float64Array.from(counts), scale: scale === undefined ? undefined : Float64Array.from(scale) };
      for (const { worker } of workers) worker.postMessage(request);
      await Promise.all(workers.map((w) => expectReply(w, "means")));
      await terminate();
      return (u, target) => target.set(out.subarray(u * slab, (u + 1) * slab));
    },
    close: terminate,
  };
}

function startWorker(worker: Worker, firstBand: number): PoolWorker {
  const replies: BandWorkerReply[] = [];
  const waiting: Array<{ resolve: (reply: BandWorkerReply) => void; reject: (error: unknown) => void }> = [];
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  worker.on("message", (reply: BandWorkerReply) => {
    const w = waiting.shift();
    if (w === undefined) replies.push(reply);
    else w.resolve(reply);
  });
  worker.on("error", (error) => fail(new ConfigurationError(messages.eimageWorkerFailed(String(error)), { cause: error })));
  worker.on("exit", (code) => fail(new ConfigurationError(messages.eimageWorkerFailed(`exited with code ${code}`))));
  return {
    worker,
    firstBand,
    next() {
      const reply = replies.shift();
      if (reply !== undefined) return Promise.resolve(reply);
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
  };
}
