// Bench of the MCS sensor readers on full-grid (65 × 65) simulated recordings:
// - sliced sensor reads (readSensorWindow) in MB/s of int16 data, against a same-run memory pass over the same
//   number of bytes (int16 → µV float32, the conversion work without HDF5);
// - peak RSS of simulating and of streaming the whole sensor stream (sensorChunks) for a 2 s and an 8 s recording,
//   each measured in its own child process so one run's peak cannot hide another's. It must not grow with duration.
// Imports the built library: run `npm run build -w hdmea` first.
"use strict";
const { peakRssBytes } = require("./peak-rss.cjs");
const { fork } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const DIST = path.join(__dirname, "..", "dist");
const SIM = { unitCount: 8, grid: "full", stimuli: ["noise"], padFrames: 10, seed: 5 };

async function simulate(outputDir, durationS) {
  const { simulateRecording } = require(DIST);
  const started = process.hrtime.bigint();
  const rec = await simulateRecording({ outputDir, durationS, ...SIM });
  return { rec, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Child-process tasks: each prints one JSON line with its result and peak RSS. */
async function child(task, dir, durationS) {
  if (task === "simulate") {
    const { seconds } = await simulate(dir, Number(durationS));
    return { seconds };
  }
  const { sensorChunks } = require(DIST);
  const cmcrPath = path.join(dir, "sim-seed5.cmcr");
  let samples = 0;
  let checksum = 0;
  const started = process.hrtime.bigint();
  for await (const chunk of sensorChunks({ cmcrPath, chunkSamples: 1000 })) {
    samples += chunk.shape[0];
    checksum += chunk.data[0];
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, samples, mbPerS: (samples * 65 * 65 * 2) / 1e6 / seconds, checksum };
}

function runChild(task, dir, durationS) {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ["--child", task, dir, String(durationS)], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    const timer = setTimeout(() => proc.kill(), 300_000);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`bench child ${task} exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop()));
    });
  });
}

/** Median time of `fn` over `repeats` runs, in seconds. */
async function timeIt(fn, repeats) {
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function run(report) {
  const { readSensorWindow } = require(DIST);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-bench-"));
  try {
    const short = path.join(root, "s2");
    const long = path.join(root, "s8");
    const simShort = await runChild("simulate", short, 2);
    const simLong = await runChild("simulate", long, 8);
    report("simulate full grid 2 s", { seconds: simShort.seconds.toFixed(2), peakRssMB: (simShort.maxRssKB / 1024).toFixed(0) });
    report("simulate full grid 8 s", {
      seconds: simLong.seconds.toFixed(2),
      peakRssMB: (simLong.maxRssKB / 1024).toFixed(0),
      rssRatio8sTo2s: (simLong.maxRssKB / simShort.maxRssKB).toFixed(2),
    });

    // Sliced reads: full-frame windows of 2000 samples (16.9 MB int16) and an 8 × 8 block over 40 000 samples.
    const cmcrPath = path.join(short, "sim-seed5.cmcr");
    const frameWindow = { samples: 2000, bytes: 2000 * 65 * 65 * 2 };
    const readFrames = await timeIt(() => readSensorWindow({ cmcrPath, startSample: 10_000, endSample: 12_000 }), 5);
    const block = { samples: 40_000, bytes: 40_000 * 64 * 2 };
    const readBlock = await timeIt(
      () => readSensorWindow({ cmcrPath, startSample: 0, endSample: 40_000, rows: [29, 36], columns: [29, 36] }),
      5,
    );
    // The same bytes already in memory: int16 → µV float32 into a fresh array, as the reader's output is.
    const raw = new Int16Array(frameWindow.bytes / 2);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) & 1023;
    const memoryPass = await timeIt(() => {
      const out = new Float32Array(raw.length);
      for (let i = 0; i < raw.length; i++) out[i] = raw[i] * 0.5;
      return out[out.length - 1];
    }, 5);
    const mb = (bytes, s) => bytes / 1e6 / s;
    report("sensor window 2000 × 65 × 65", {
      MBps: mb(frameWindow.bytes, readFrames).toFixed(0),
      memoryPassMBps: mb(frameWindow.bytes, memoryPass).toFixed(0),
      ratioToMemoryPass: (readFrames / memoryPass).toFixed(2),
    });
    report("sensor window 40000 × 8 × 8 (sub-grid)", {
      MBps: mb(block.bytes, readBlock).toFixed(0),
      memoryPassMBps: mb(frameWindow.bytes, memoryPass).toFixed(0),
      ratioToMemoryPass: (readBlock / ((memoryPass * block.bytes) / frameWindow.bytes)).toFixed(2),
    });

    const streamShort = await runChild("read", short, 2);
    const streamLong = await runChild("read", long, 8);
    report("sensorChunks whole stream 2 s", { MBps: streamShort.mbPerS.toFixed(0), peakRssMB: (streamShort.maxRssKB / 1024).toFixed(0) });
    report("sensorChunks whole stream 8 s", {
      MBps: streamLong.mbPerS.toFixed(0),
      peakRssMB: (streamLong.maxRssKB / 1024).toFixed(0),
      rssRatio8sTo2s: (streamLong.maxRssKB / streamShort.maxRssKB).toFixed(2),
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

module.exports = { run };

if (process.argv[2] === "--child") {
  child(process.argv[3], process.argv[4], process.argv[5]).then(
    (result) => {
      process.stdout.write(`${JSON.stringify({ ...result, maxRssKB: peakRssBytes() / 1024 })}\n`);
    },
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      process.exitCode = 1;
    },
  );
} else if (require.main === module) {
  run((name, fields) => console.log(`${name}: ${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join("  ")}`)).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
