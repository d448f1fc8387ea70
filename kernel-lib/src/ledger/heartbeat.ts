/**
 * Heartbeats of the runs this process holds. One worker thread per process rewrites each heartbeat file on a
 * timer; a thread (not a timer on the main thread) so a long synchronous computation cannot starve it and get a
 * live run reclaimed. The worker is unref'd: it never keeps the process alive, and it dies with the process, so a
 * killed worker's heartbeat simply stops.
 */
import * as fs from "fs";
import { Worker } from "worker_threads";

const WORKER_SOURCE = `
const { parentPort } = require("worker_threads");
const fs = require("fs");
const beats = new Map();
let timer;
function beat(file) { try { fs.writeFileSync(file, String(Date.now())); } catch (e) { /* folder gone: nothing to keep alive */ } }
function schedule() {
  if (timer) clearInterval(timer);
  timer = undefined;
  if (beats.size === 0) return;
  const every = Math.min(...beats.values());
  timer = setInterval(() => { for (const file of beats.keys()) beat(file); }, every);
}
parentPort.on("message", (m) => {
  if (m.type === "add") beats.set(m.file, m.everyMs); else beats.delete(m.file);
  schedule();
});
`;

let worker: Worker | undefined;

function heartbeatWorker(): Worker {
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on("exit", () => (worker = undefined));
  }
  return worker;
}

/** Writes the first beat now, then keeps beating every `everyMs` until {@link stopHeartbeat}. */
export function startHeartbeat(file: string, everyMs: number): void {
  fs.writeFileSync(file, String(Date.now()));
  heartbeatWorker().postMessage({ type: "add", file, everyMs: Math.max(10, Math.round(everyMs)) });
}

export function stopHeartbeat(file: string): void {
  worker?.postMessage({ type: "remove", file });
}
