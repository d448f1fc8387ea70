// Benchmark of the STA math (issue 4 budget: 300 units × ~3 000 spikes, 10 800-frame 15 × 15 noise movie,
// coverRange (−60, 0) in ≤ 1 s), for the dsp math and for the computeSta step re-run with another cover range
// (movie cached). Runs on the built library (npm run build first).
//
// The baseline, measured in the same run, is a plain pass summing movie bytes, scaled to the number of bytes the
// direct STA definition reads (units × spikes × window × pixels); ratioToBaseline < 1 means the STA costs less
// than merely reading those bytes once.
const { prepareStaMovie, computeUnitSta } = require("../dist/dsp/sta");

const FRAMES = 10800;
const HEIGHT = 15;
const WIDTH = 15;
const HOLD = 4; // 15 Hz patterns on a 60 Hz display, like the reference's dense-noise movie
const UNITS = 300;
const SPIKES_PER_UNIT = 3000;
const COVER = [-60, 0];

function seeded(seed) {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

function makeInputs() {
  const random = seeded(42);
  const pixels = HEIGHT * WIDTH;
  const movie = new Uint8Array(FRAMES * pixels);
  for (let g = 0; g < FRAMES; g += HOLD) {
    const pattern = Uint8Array.from({ length: pixels }, () => (random() < 0.5 ? 0 : 255));
    for (let k = 0; k < HOLD; k++) movie.set(pattern, (g + k) * pixels);
  }
  const units = Array.from({ length: UNITS }, () =>
    Float64Array.from({ length: SPIKES_PER_UNIT }, () => Math.floor(random() * FRAMES)),
  );
  return { movie, units };
}

function baselineMsPerByte(movie) {
  const passes = 100;
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let r = 0; r < passes; r++) for (let i = 0; i < movie.length; i++) sum += movie[i];
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (sum < 0) throw new Error("unreachable");
  return ms / (passes * movie.length);
}

function runOnce(movie, units) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const prepared = prepareStaMovie({ movie, movieShape: [FRAMES, HEIGHT, WIDTH] });
  let used = 0;
  for (const spikeFrames of units) used += computeUnitSta({ movie: prepared, spikeFrames, coverRange: COVER }).nSpikesUsed;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, used, webAssembly: prepared.usesWebAssembly };
}

async function run(report) {
  const { movie, units } = makeInputs();
  runOnce(movie, units); // warm-up (JIT, WebAssembly compile)
  const runs = [runOnce(movie, units), runOnce(movie, units), runOnce(movie, units)];
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const directBytes = UNITS * SPIKES_PER_UNIT * (COVER[1] - COVER[0]) * HEIGHT * WIDTH;
  const baselineMs = baselineMsPerByte(movie) * directBytes;
  report(`computeSta math ${UNITS} units × ${SPIKES_PER_UNIT} spikes`, {
    bytes: directBytes,
    ms: best.ms,
    cpuMs: best.cpuMs,
    baselineMs,
    baselineName: "byte pass over the windows the direct STA reads",
    // Issue budget 1 s (absolute: shown, not judged); judged as a ratio, above the 0.02× measured on 2026-12-06.
    ratioBudget: 0.05,
    budgetMs: 1000,
    note: `${FRAMES}×${HEIGHT}×${WIDTH} uint8 movie, hold ${HOLD}, cover [${COVER.join(", ")}], ${best.used} spikes used, WebAssembly ${best.webAssembly}`,
  });
  const step = await runStep(movie, units);
  report(`computeSta step ${UNITS} units, re-run with another coverRange`, {
    ms: step.secondMs,
    baselineMs,
    baselineName: "byte pass over the windows the direct STA reads",
    // Issue budget 1 s (absolute: shown, not judged); judged as a ratio to the math's baseline, above the 0.05×
    // measured on 2026-12-06 (the re-run is the STA math plus the step's bookkeeping).
    ratioBudget: 0.1,
    budgetMs: 1000,
    note: `session with ${UNITS} sectioned units; first run ${Math.round(step.firstMs)} ms, re-run with cover [-30, 0] ${Math.round(step.secondMs)} ms`,
  });
}

/** The whole step on a session: movie from a .npy file (read, checked, prepared, cached), features added. */
async function runStep(movie, units) {
  const fs = require("fs");
  const os = require("os");
  const path = require("path");
  const { computeSta, PipelineSession, NdArray, recordingLogger } = require("../dist");
  const { encodeNpy } = require("../dist/io/npy-writer");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-bench-sta-"));
  try {
    const name = "dense_noise_bench";
    fs.writeFileSync(path.join(dir, `${name}.npy`), encodeNpy(movie, [FRAMES, HEIGHT, WIDTH]));
    const period = 333; // samples per display frame
    const frameTimestamps = Float64Array.from({ length: FRAMES + 400 }, (_, k) => 1000 + k * period);
    const session = new PipelineSession({ datasetId: "bench", logger: recordingLogger() });
    const sectionStart = frameTimestamps[0];
    const trialStart = frameTimestamps[60];
    const trialEnd = frameTimestamps[60 + FRAMES];
    const trialsStartEnd = new NdArray(Float64Array.of(trialStart, trialEnd), [1, 2]);
    const entries = {};
    units.forEach((frames, u) => {
      const samples = Float64Array.from(frames, (f) => frameTimestamps[60 + f] + 5).sort();
      entries[`unit_${String(u + 1).padStart(3, "0")}`] = {
        spike_times: samples,
        spike_times_sectioned: {
          [name]: { full_spike_times: samples, trials_spike_times: { 0: samples }, trials_start_end: trialsStartEnd },
        },
      };
    });
    session.addUnits(entries).addMetadata({ frame_timestamps: frameTimestamps });
    session.addStimulus({ section_time: { [name]: new NdArray(Float64Array.of(sectionStart, trialEnd), [1, 2]) } });
    session.markStepComplete("section_spike_times");
    let started = performance.now();
    await computeSta({ session, stimuliDir: dir, coverRange: [-60, 0] });
    const firstMs = performance.now() - started;
    started = performance.now();
    await computeSta({ session, stimuliDir: dir, coverRange: [-30, 0] });
    const secondMs = performance.now() - started;
    if (session.warnings.length > 0) throw new Error(`computeSta bench warned: ${session.warnings[0]}`);
    return { firstMs, secondMs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };
if (require.main === module) run((name, fields) => console.log(name, JSON.stringify(fields, null, 1)));
