// Benchmark of the unit quality metrics and correlograms (issue 12: quality metrics for 300 units × 20 000 spikes,
// with the ratio to a same-run baseline). Runs on the built library (npm run build first).
//
// Baseline, measured in the same run: a plain pass over the same arrays (each unit's spike train and peak
// amplitudes, summing the inter-spike intervals and the amplitudes) — the least any metric computation must do.
// The metrics read each spike train twice (ISIs, presence bins) and select the median amplitude, so a few times the
// baseline is expected; the budget catches an accidental sort or quadratic pass.
const { unitQualityMetrics, computeQualityMetrics, computeCorrelogram, PipelineSession, recordingLogger } = require("../dist/index.js");

const UNITS = 300;
const SPIKES = 20_000;
const RATE_HZ = 20_000;
const DURATION_S = 600;
const RATIO_BUDGET = 12;
const STEP_RATIO_BUDGET = 3;

function seeded(seed) {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/** 300 trains of 20 000 spikes over 600 s with a 2 ms dead time; every 50th unit has 2 % planted doublets. */
function makeUnits() {
  const random = seeded(7);
  const meanGap = (DURATION_S * RATE_HZ) / SPIKES - 40;
  return Array.from({ length: UNITS }, (_, u) => {
    const spikes = new Float64Array(SPIKES);
    let t = 0;
    for (let i = 0; i < SPIKES; i++) {
      t += 40 + Math.floor(-Math.log(1 - random()) * meanGap);
      spikes[i] = u % 50 === 0 && i > 0 && random() < 0.02 ? spikes[i - 1] + 10 : t;
    }
    spikes.sort();
    const amplitudes = Float32Array.from({ length: SPIKES }, () => 8 + 4 * random());
    return { spikes, amplitudes };
  });
}

function baselinePass(units) {
  let sum = 0;
  for (const { spikes, amplitudes } of units) {
    for (let i = 1; i < spikes.length; i++) sum += spikes[i] - spikes[i - 1];
    for (let i = 0; i < amplitudes.length; i++) sum += amplitudes[i];
  }
  return sum;
}

function best(times, fn) {
  let min = Infinity;
  let cpuMs = 0;
  let result;
  for (let r = 0; r < times; r++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    result = fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms < min) {
      min = ms;
      const used = process.cpuUsage(cpu);
      cpuMs = (used.user + used.system) / 1000;
    }
  }
  return { ms: min, cpuMs, result };
}

async function run(report) {
  const units = makeUnits();
  const bytes = units.reduce((sum, { spikes, amplitudes }) => sum + spikes.byteLength + amplitudes.byteLength, 0);
  const options = { samplingRateHz: RATE_HZ, durationS: DURATION_S, refractoryMs: 1.5 };
  const metricsOf = () => units.map(({ spikes, amplitudes }) => unitQualityMetrics({ spikeTimes: spikes, peakAmplitudes: amplitudes, ...options }));
  baselinePass(units);
  metricsOf(); // warm-up
  const baseline = best(5, () => baselinePass(units));
  const metrics = best(5, metricsOf);
  const violations = metrics.result.reduce((sum, m) => sum + m.isi_violations_count, 0);
  const ratio = metrics.ms / baseline.ms;
  report(`quality metrics ${UNITS} units × ${SPIKES} spikes`, {
    bytes,
    ms: metrics.ms,
    cpuMs: metrics.cpuMs,
    baselineMs: baseline.ms,
    baselineName: "plain pass over the spike and amplitude arrays",
    budgets: [{ text: `≤ ${RATIO_BUDGET}× baseline`, pass: ratio <= RATIO_BUDGET }],
    note: `ISI violations, presence ratio, firing rate, median amplitude; ${violations} violations found`,
  });

  const session = new PipelineSession({ datasetId: "bench-quality", logger: recordingLogger() });
  session.addMetadata({ acquisition_rate: RATE_HZ, recording_duration_s: DURATION_S });
  const map = {};
  units.forEach(({ spikes, amplitudes }, u) => (map[`unit_${String(u + 1).padStart(3, "0")}`] = { spike_times: spikes, unit_meta: { peak_amplitudes: amplitudes } }));
  session.addUnits(map);
  session.markStepComplete("load_recording");
  await computeQualityMetrics({ session }); // warm-up
  let stepMs = Infinity;
  for (let r = 0; r < 3; r++) {
    const start = process.hrtime.bigint();
    await computeQualityMetrics({ session });
    stepMs = Math.min(stepMs, Number(process.hrtime.bigint() - start) / 1e6);
  }
  report(`computeQualityMetrics step ${UNITS} units`, {
    ms: stepMs,
    baselineMs: metrics.ms,
    baselineName: "the plain metric functions",
    budgets: [{ text: `≤ ${STEP_RATIO_BUDGET}× the functions`, pass: stepMs <= STEP_RATIO_BUDGET * metrics.ms }],
    note: "session bookkeeping: step record, features stored per unit",
  });

  const acgs = () => units.map(({ spikes }) => computeCorrelogram({ spikesA: spikes, samplingRateHz: RATE_HZ, binMs: 1, windowMs: 100 }));
  acgs(); // warm-up
  const acg = best(3, acgs);
  const pairs = acg.result.reduce((sum, c) => sum + c.counts.reduce((a, b) => a + b, 0), 0);
  const spikeBytes = units.reduce((sum, { spikes }) => sum + spikes.byteLength, 0);
  const spikeBaseline = best(5, () => baselinePass(units.map(({ spikes }) => ({ spikes, amplitudes: [] }))));
  report(`auto-correlograms ${UNITS} units × ${SPIKES} spikes`, {
    bytes: spikeBytes,
    ms: acg.ms,
    cpuMs: acg.cpuMs,
    baselineMs: spikeBaseline.ms,
    baselineName: "plain pass over the spike arrays",
    budgets: [{ text: `≤ ${RATIO_BUDGET * 2}× baseline`, pass: acg.ms <= RATIO_BUDGET * 2 * spikeBaseline.ms }],
    note: `1 ms bins, ±50 ms; ${pairs} pairs counted (the work grows with the pairs in the window)`,
  });
}

module.exports = { run };
