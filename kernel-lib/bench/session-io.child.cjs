// One measured phase of session-io.bench.cjs in its own process, so the process's peak RSS belongs to that phase.
//   node session-io.child.cjs save <file>   → builds the session, one tiny save (the modules load), a cold save, warm saves
//   node session-io.child.cjs load <file>   → a cold load, then warm loads
// Prints one JSON line on stdout: times, the peak RSS right after the cold operation (one save or load of one
// session) and at the end (after the repeats, which can raise it through allocator fragmentation).
"use strict";
const fs = require("fs");
const path = require("path");
const hdmea = require("../dist");
const { checksumHex, CURRENT_SCHEME } = require("../dist/hdf5/digest");
const { peakRssBytes } = require("./peak-rss.cjs");
const { SHAPE, buildSession, unitId } = require("./session-data.cjs");

const WARM_REPEATS = 3;
/** A pause between loads, as between two notebook cells: background work of the previous load may finish. */
const FREE_SETTLE_MS = 300;
const silent = { info() {}, warn() {}, error() {} };

function gc() {
  if (typeof global.gc === "function") global.gc();
}

/** Peak resident set size of this process so far (the kernel's high-water mark). */
function maxRssBytes() {
  return peakRssBytes();
}

/** Wall time and CPU time (user + system, all threads) of one operation. */
async function timed(action) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const value = await action();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

async function measureSave(file) {
  const tiny = new hdmea.PipelineSession({ datasetId: "tiny", logger: silent });
  const init = await timed(() => tiny.save(`${file}.tiny.h5`));
  fs.rmSync(`${file}.tiny.h5`, { force: true });
  const session = buildSession(hdmea);
  gc();
  const rssBeforeBytes = process.memoryUsage().rss;
  const cold = await timed(() => session.save(file));
  const coldPeakRssBytes = maxRssBytes();
  const warm = [];
  for (let i = 0; i < WARM_REPEATS; i++) warm.push(await timed(() => session.save(file)));
  return {
    bytes: session.memoryEstimateBytes,
    initMs: init.ms,
    coldMs: cold.ms,
    coldCpuMs: cold.cpuMs,
    warmMs: warm.map((r) => r.ms),
    warmCpuMs: warm.map((r) => r.cpuMs),
    rssBeforeBytes,
    coldPeakRssBytes,
  };
}

async function measureLoad(file) {
  // Loading the modules is not part of the cold load (the save phase reports it).
  const tinyFile = `${file}.tiny.h5`;
  await new hdmea.PipelineSession({ datasetId: "tiny", logger: silent }).save(tinyFile);
  await hdmea.PipelineSession.load(tinyFile, { logger: silent });
  fs.rmSync(tinyFile, { force: true });
  const runs = [];
  let bytes = 0;
  let coldPeakRssBytes = 0;
  let lastSession;
  for (let i = 0; i <= WARM_REPEATS; i++) {
    // The previous session is dropped before the next load, as the h5py baseline deletes its arrays, and the
    // collector is left to free it when it runs, as in a notebook kernel. A forced full collection here (gc()) would
    // also collect the hidden classes the dropped session's objects were the last users of, and with them the
    // optimised code built on them: every load would then recompile the reader (~200 ms of CPU on V8's background
    // threads, measured with --trace-deopt: "marking dependent code … reason: weak objects"), which no kernel does
    // between two loads.
    lastSession = undefined;
    await new Promise((resolve) => setTimeout(resolve, FREE_SETTLE_MS));
    const { value: session, ...times } = await timed(() => hdmea.PipelineSession.load(file, { logger: silent }));
    runs.push(times);
    bytes = session.memoryEstimateBytes;
    checkLoaded(session);
    lastSession = session;
    if (i === 0) coldPeakRssBytes = maxRssBytes();
  }
  return {
    bytes,
    checksumMs: checksumPassMs(lastSession),
    coldMs: runs[0].ms,
    coldCpuMs: runs[0].cpuMs,
    warmMs: runs.slice(1).map((r) => r.ms),
    warmCpuMs: runs.slice(1).map((r) => r.cpuMs),
    coldPeakRssBytes,
  };
}

/**
 * The integrity check's own cost: the best of three checksum passes (the current record format's: CRC-32 below
 * 16 KiB, GMAC above) over every array of the loaded session — the pass a load makes over the values besides
 * reading them.
 */
function checksumPassMs(session) {
  const arrays = [];
  for (const unit of Object.values(session.units)) {
    arrays.push(unit.spike_times, unit.features.sta.data.data);
  }
  arrays.push(session.stimulus.light_reference.raw_ch1, session.stimulus.light_reference.raw_ch2);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (const array of arrays) checksumHex(CURRENT_SCHEME, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** A load that returned the wrong data would make its speed meaningless. */
function checkLoaded(session) {
  const last = session.units[unitId(SHAPE.units - 1)];
  const spikes = last.spike_times;
  const i = SHAPE.spikesPerUnit - 1;
  const expected = SHAPE.units - 1 + i * 600 + ((i * 7919 + SHAPE.units - 1) % 500);
  if (session.unitCount !== SHAPE.units || !(spikes instanceof Float64Array) || spikes[i] !== expected) {
    throw new Error(`loaded session does not hold the bench data (unit count ${session.unitCount}, last spike ${spikes?.[i]})`);
  }
  const ch2 = session.stimulus.light_reference.raw_ch2;
  if (!(ch2 instanceof Float32Array) || ch2.length !== SHAPE.lightSamples) throw new Error("light reference did not load");
}

async function main() {
  const [mode, file] = process.argv.slice(2);
  const result = mode === "save" ? await measureSave(path.resolve(file)) : await measureLoad(path.resolve(file));
  result.peakRssBytes = maxRssBytes();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
