// Batch throughput (issue 10): the same per-recording pipeline over 6 small simulated recordings, run
//   (baseline) in this process in a plain loop (runRecordingPipeline, one recording after the other),
//   (1 worker) through the batch's local scheduler with one worker process,
//   (2 workers) through the local scheduler with two worker processes.
// Each batch run starts from an empty output folder and includes everything the batch adds: completeness checks,
// the ledger run per recording, a fresh worker process per recording. Reported: recordings/min and the time ratio
// to the in-process loop (the overhead of the batch machinery; below 1 with 2 workers = the parallel gain).
// Stage 2 is left out so the three measure the same work. Runs on the built library (npm run build first).
const fs = require("fs");
const os = require("os");
const path = require("path");
const { simulateRecording } = require("../dist/simulate/simulate-recording");
const { BatchConfig } = require("../dist/batch/config");
const { freezeManifest } = require("../dist/batch/manifest");
const { runRecordingPipeline } = require("../dist/batch/recording-pipeline");
const { runLocal } = require("../dist/batch/local-scheduler");
const { batchRuns } = require("../dist/batch/runs");

const RECORDINGS = 6;

function configText(output) {
  return `name = "bench"
[recordings]
root = "recordings"
pattern = "*/*.cm?r"
[stimulus]
playlist = "{recording_dir}/stimuli/playlist.csv"
movie_length = "{recording_dir}/stimuli/movie_length.csv"
playlist_name = "simulated_playlist"
config_dir = "{recording_dir}/stimuli/configs"
movies_dir = "{recording_dir}/stimuli/movies"
[[pipeline]]
step = "load_recording"
[[pipeline]]
step = "add_section_time"
[[pipeline]]
step = "section_spike_times"
[[pipeline]]
step = "compute_sta"
coverRange = [-30, 0]
[[pipeline]]
step = "extract_features"
features = ["frif", "baseline_127"]
[output]
dir = "${output}"
`;
}

function openConfig(dir, output) {
  const file = path.join(dir, `${output}.toml`);
  fs.writeFileSync(file, configText(output));
  return BatchConfig.fromFile(file);
}

function timed(fn) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  return Promise.resolve(fn()).then((value) => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000, value };
  });
}

async function run(report) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-batch-bench-"));
  try {
    for (let i = 0; i < RECORDINGS; i++) {
      const name = `rec-${i}`;
      await simulateRecording({
        outputDir: path.join(dir, "recordings", name), datasetName: name, durationS: 18, unitCount: 3, seed: 200 + i,
        stimuli: ["step", "noise"], padFrames: 30, grid: { rows: [32, 33], columns: [32, 33] },
      });
    }
    const perMin = (ms) => (RECORDINGS / (ms / 60000)).toFixed(2);

    const loopConfig = openConfig(dir, "loop");
    const loopManifest = await freezeManifest(loopConfig);
    await runRecordingPipeline(openConfig(dir, "warmup"), loopManifest.recordings[0]); // JIT, WebAssembly compile
    const loop = await timed(async () => {
      for (const entry of loopManifest.recordings) await runRecordingPipeline(loopConfig, entry);
    });
    report("batch: in-process loop (baseline)", { ms: loop.ms, cpuMs: loop.cpuMs, recordings: RECORDINGS, recordingsPerMin: perMin(loop.ms) });

    for (const workers of [1, 2]) {
      const config = openConfig(dir, `workers-${workers}`);
      const manifest = await freezeManifest(config);
      const result = await timed(() => runLocal(config, manifest, batchRuns(config), { workers, handleSigint: false }));
      if (result.value.computed !== RECORDINGS) throw new Error(`batch computed ${result.value.computed} of ${RECORDINGS}: ${JSON.stringify(result.value.failed)}`);
      const budget = workers === 1 ? 1.6 : 1.3;
      report(`batch: local scheduler, ${workers} worker${workers === 1 ? "" : "s"}`, {
        ms: result.ms,
        baselineMs: loop.ms,
        baselineName: "in-process loop",
        recordings: RECORDINGS,
        recordingsPerMin: perMin(result.ms),
        budgets: [{ pass: result.ms <= budget * loop.ms, text: `≤ ${budget}× loop time` }],
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };
