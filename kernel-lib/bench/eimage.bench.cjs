// Benchmark of the eimage STA (issue 4): 8 s of full-grid (65 × 65) sensor data, 100 units at 10 spikes/s,
// window [−10, 40], order-2 100 Hz high-pass, 1 s chunks. Budget: ≥ 5× real time (≤ 1.6 s for 8 s), peak RSS
// ≤ 1.5 GB and flat between 2 s and 8 s of data. Runs on the built library (npm run build first).
//
// The sensor data is served as the step's .cmcr block reader serves it (float32 µV blocks in a reused buffer) from
// a quarter second of seeded noise, so the run measures the eimage and not the disk. Raw MB/s counts the int16 bytes the
// recording holds for that span. The baseline, measured in the same run, is a plain pass summing the same blocks
// from the same reader.
"use strict";

const RATE_HZ = 20000;
const ELECTRODES = 65 * 65;
const UNITS = 100;
const SPIKES_PER_UNIT_PER_S = 10;
const CHUNK_SAMPLES = 20000;
/** Samples of seeded noise served over and over (0.25 s; its period does not matter to the filter's cost). */
const PATTERN_SAMPLES = 5000;

/** A reader like the step's sliding .cmcr reader: float32 blocks in one reused buffer, valid until the next call. */
function makeReader() {
  let state = 7;
  // Float32 like the blocks sensorChunks yields (µV), so serving a block is one same-type copy as in the step.
  const pattern = new Float32Array(PATTERN_SAMPLES * ELECTRODES);
  for (let i = 0; i < pattern.length; i++) {
    state = (state * 48271) % 2147483647;
    pattern[i] = (state % 400) - 200;
  }
  // Sized once for the largest block (chunk + window + two settling margins), as the step's reader is.
  // In shared memory like the step's reader, so the eimage's worker threads read the blocks where they are.
  const shared = (length) => new Float32Array(new SharedArrayBuffer(length * 4));
  let buffer = shared((CHUNK_SAMPLES + 50 + 2 * 1244) * ELECTRODES);
  return ({ start, end }) => {
    if (buffer.length < (end - start) * ELECTRODES) buffer = shared((end - start) * ELECTRODES);
    const out = buffer.subarray(0, (end - start) * ELECTRODES);
    for (let s = start; s < end; ) {
      const inPattern = s % PATTERN_SAMPLES;
      const take = Math.min(end - s, PATTERN_SAMPLES - inPattern);
      out.set(pattern.subarray(inPattern * ELECTRODES, (inPattern + take) * ELECTRODES), (s - start) * ELECTRODES);
      s += take;
    }
    return out;
  };
}

function spikesFor(samples) {
  const spikeSamples = {};
  const count = Math.round((SPIKES_PER_UNIT_PER_S * samples) / RATE_HZ);
  for (let u = 0; u < UNITS; u++) {
    spikeSamples[`unit_${u}`] = Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) / count) * samples) + u);
  }
  return spikeSamples;
}

function baselinePass(readSamples, samples) {
  const started = performance.now();
  let sum = 0;
  for (let s = 0; s < samples; s += CHUNK_SAMPLES) {
    const block = readSamples({ start: s, end: Math.min(samples, s + CHUNK_SAMPLES) });
    for (let i = 0; i < block.length; i++) sum += block[i];
  }
  if (Number.isNaN(sum)) throw new Error("unreachable");
  return performance.now() - started;
}

async function runOnce(durationS, readSamples, threads) {
  const { computeEimageStas, designButterworthHighpass } = require("../dist");
  const samples = RATE_HZ * durationS;
  const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: RATE_HZ });
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await computeEimageStas({
    readSamples,
    sampleCount: samples,
    spikeSamples: spikesFor(samples),
    preSamples: 10,
    postSamples: 40,
    sos,
    chunkSamples: CHUNK_SAMPLES,
    threads,
    onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)),
  });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  return { ms, cpuMs: (used.user + used.system) / 1000, peak, filterMs: result.filterMs, overlap: result.overlapSamples };
}

async function warmUp() {
  const { computeEimageStas, designButterworthHighpass } = require("../dist");
  const data = Float32Array.from({ length: 30000 * 16 }, (_, i) => Math.sin(i));
  await computeEimageStas({
    readSamples: ({ start, end }) => data.subarray(start * 16, end * 16),
    sampleCount: 30000,
    gridShape: [4, 4],
    spikeSamples: { u: [100, 20000] },
    preSamples: 10,
    postSamples: 40,
    sos: designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: RATE_HZ }),
    chunkSamples: CHUNK_SAMPLES,
  });
}

/** Each duration runs in a fresh process, so its peak RSS is its own. */
function runInChild(durationS) {
  const { fork } = require("child_process");
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ["--child", String(durationS)], { execArgv: ["--expose-gc"] });
    child.once("message", resolve);
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`eimage bench child exited with ${code}`))));
  });
}

async function run(report) {
  const short = await runInChild(2);
  const long = await runInChild(8);
  const baselineMs = baselinePass(makeReader(), 8 * RATE_HZ);
  const rawBytes = 8 * RATE_HZ * ELECTRODES * 2;
  const realTime = 8 / (long.ms / 1000);
  report(`eimage STA 8 s full grid, ${UNITS} units`, {
    bytes: rawBytes,
    ms: long.ms,
    cpuMs: long.cpuMs,
    baselineMs,
    baselineName: "sum of the same float32 blocks",
    peakRssBytes: long.peak,
    budgets: [
      { text: "≥ 5× real time (≤ 1.6 s)", pass: long.ms <= 1600 },
      { text: "peak RSS ≤ 1.5 GB", pass: long.peak <= 1.5e9 },
      { text: "peak RSS flat 2 s → 8 s (within 10 %)", pass: long.peak <= short.peak * 1.1 },
    ],
    note:
      `${(rawBytes / 1e6 / (long.ms / 1000)).toFixed(0)} raw MB/s, ${realTime.toFixed(2)}× real time, ` +
      `filter+accumulate ${Math.round(long.filterMs)} ms, overlap ${long.overlap} samples; ` +
      `2 s run: ${Math.round(short.ms)} ms, peak RSS ${(short.peak / 1e6).toFixed(0)} MB`,
  });
}

module.exports = { run };
if (require.main === module) {
  if (process.argv[2] === "--child") {
    // Warm up on a 4 × 4 grid (JIT, WebAssembly compile) so that no full-grid memory is left over, then measure.
    warmUp()
      .then(() => runOnce(Number(process.argv[3]), makeReader(), process.argv[4] === undefined ? undefined : Number(process.argv[4])))
      .then((result) => process.send(result, () => process.exit(0)));
  } else {
    run((name, fields) => console.log(name, JSON.stringify(fields, null, 1)));
  }
}
