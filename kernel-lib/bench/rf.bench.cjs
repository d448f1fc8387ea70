// Benchmark of the receptive-field fits (issue 12: RF fits for 300 units): the rank-1 split and Gaussian fit of 300
// STAs (60 × 15 × 15), and the same with the shuffle significance test (20 circularly shifted spike trains per unit,
// each a full STA). Runs on the built library (npm run build first).
//
// Baselines, measured in the same run:
// - fits: a plain pass computing each STA's per-pixel energy Σₜ (STA − mean)² (reads every STA value twice, as the
//   decomposition's cheapest part does); the ratio says how much the fit adds to merely looking at the STAs;
// - fits with shuffles: the 300 STAs themselves computed once from the same movie and spikes (computeUnitSta);
//   the ratio is ≈ shuffles + 1 when the shuffle test costs what its STAs cost.
const { prepareStaMovie, computeUnitSta } = require("../dist/dsp/sta");
const { fitReceptiveField, rfSignificance } = require("../dist/dsp/receptive-field");
const { NdArray } = require("../dist/hdf5/values");

const FRAMES = 10800;
const SIDE = 15;
const HOLD = 4;
const UNITS = 300;
const SPIKES_PER_UNIT = 3000;
const COVER = [-60, 0];
const SHUFFLES = 20;

function seeded(seed) {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/** A binary noise movie and, per unit, spikes that follow a Gaussian RF (so the STAs have something to fit). */
function makeInputs() {
  const random = seeded(7);
  const pixels = SIDE * SIDE;
  const movie = new Uint8Array(FRAMES * pixels);
  for (let g = 0; g < FRAMES; g += HOLD) {
    const pattern = Uint8Array.from({ length: pixels }, () => (random() < 0.5 ? 0 : 255));
    for (let k = 0; k < HOLD; k++) movie.set(pattern, (g + k) * pixels);
  }
  const units = [];
  for (let u = 0; u < UNITS; u++) {
    const cx = 3 + 9 * random();
    const cy = 3 + 9 * random();
    const weights = new Float64Array(pixels);
    for (let p = 0; p < pixels; p++) weights[p] = Math.exp(-((p % SIDE - cx) ** 2 + (Math.floor(p / SIDE) - cy) ** 2) / 2);
    const drive = new Float64Array(FRAMES);
    for (let f = 0; f < FRAMES; f++) {
      let sum = 0;
      for (let p = 0; p < pixels; p++) sum += weights[p] * (movie[f * pixels + p] / 127.5 - 1);
      drive[f] = sum;
    }
    const spikes = [];
    while (spikes.length < SPIKES_PER_UNIT) {
      const f = 60 + Math.floor(random() * (FRAMES - 60));
      if (random() < 1 / (1 + Math.exp(-drive[f - 5]))) spikes.push(f);
    }
    units.push(Float64Array.from(spikes.sort((a, b) => a - b)));
  }
  return { movie, units };
}

function timed(fn) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

function best(runs) {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

function energyPass(stas) {
  let total = 0;
  for (const sta of stas) {
    const [frames, rows, cols] = sta.shape;
    const pixels = rows * cols;
    for (let p = 0; p < pixels; p++) {
      let mean = 0;
      for (let t = 0; t < frames; t++) mean += sta.data[t * pixels + p];
      mean /= frames;
      let energy = 0;
      for (let t = 0; t < frames; t++) energy += (sta.data[t * pixels + p] - mean) ** 2;
      total += energy;
    }
  }
  return total;
}

async function run(report) {
  const { movie, units } = makeInputs();
  const prepared = prepareStaMovie({ movie, movieShape: [FRAMES, SIDE, SIDE] });
  const staRuns = [0, 1, 2].map(() => timed(() => units.map((spikeFrames) => computeUnitSta({ movie: prepared, spikeFrames, coverRange: COVER }).sta)));
  const stas = staRuns[0].value.map((sta) => new NdArray(sta.data, sta.shape));

  energyPass(stas); // warm-up
  const baseline = best([0, 1, 2].map(() => timed(() => energyPass(stas))));
  stas.slice(0, 10).forEach((sta) => fitReceptiveField({ sta }));
  const fits = best([0, 1, 2].map(() => timed(() => stas.map((sta) => fitReceptiveField({ sta })))));
  const centred = fits.value.filter((fit) => fit.gaussian.rSquared > 0.3).length;
  const fitRatio = fits.ms / baseline.ms;
  report(`RF fits ${UNITS} units (no shuffles)`, {
    ms: fits.ms,
    cpuMs: fits.cpuMs,
    baselineMs: baseline.ms,
    baselineName: "per-pixel energy pass over the STAs",
    budgets: [{ text: "≤ 100× energy pass", pass: fitRatio <= 100 }],
    note: `${UNITS} STAs 60×15×15, ${centred} fits with R² > 0.3`,
  });

  const staMs = best(staRuns).ms;
  const shuffled = timed(() =>
    units.map((spikeFrames, u) => {
      const { decomposition } = fits.value[u];
      return rfSignificance({ movie: prepared, spikeFrames, coverRange: COVER, peakEnergy: decomposition.peakEnergy, shuffles: SHUFFLES, seed: u });
    }),
  );
  const total = fits.ms + shuffled.ms;
  const significant = shuffled.value.filter((s) => s.zScore >= 3 && s.pValue <= 0.05).length;
  report(`RF fits ${UNITS} units + ${SHUFFLES} shuffles`, {
    ms: total,
    cpuMs: fits.cpuMs + shuffled.cpuMs,
    baselineMs: staMs,
    baselineName: "the 300 STAs computed once",
    budgets: [{ text: `≤ ${2 * (SHUFFLES + 1)}× the STAs (2 × (shuffles + 1))`, pass: total / staMs <= 2 * (SHUFFLES + 1) }],
    note: `${SPIKES_PER_UNIT} spikes per unit, ${significant} of ${UNITS} significant (z ≥ 3, p ≤ 0.05)`,
  });
}

module.exports = { run };
