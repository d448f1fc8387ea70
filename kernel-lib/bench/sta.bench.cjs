// Benchmark of the STA math (issue 4 budget: 300 units × ~3 000 spikes, 10 800-frame 15 × 15 noise movie,
// coverRange (−60, 0) in ≤ 1 s). Runs on the built library (npm run build first).
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

module.exports = {
  run: async (report) => {
    const { movie, units } = makeInputs();
    runOnce(movie, units); // warm-up (JIT, WebAssembly compile)
    const runs = [runOnce(movie, units), runOnce(movie, units), runOnce(movie, units)];
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const directBytes = UNITS * SPIKES_PER_UNIT * (COVER[1] - COVER[0]) * HEIGHT * WIDTH;
    const baselineMs = baselineMsPerByte(movie) * directBytes;
    report(`computeSta ${UNITS} units`, {
      ms: Math.round(best.ms),
      cpuMs: Math.round(best.cpuMs),
      budgetMs: 1000,
      spikes: UNITS * SPIKES_PER_UNIT,
      spikesUsed: best.used,
      movie: `${FRAMES}x${HEIGHT}x${WIDTH} uint8, hold ${HOLD}`,
      coverRange: `[${COVER.join(", ")}]`,
      webAssembly: best.webAssembly,
      baselineMs: Math.round(baselineMs),
      ratioToBaseline: Number((best.ms / baselineMs).toFixed(3)),
    });
  },
};
