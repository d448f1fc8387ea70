// Benchmark of the eimage STA math (issue 4: 8 s of full-grid sensor data, 100 units, budget ≥ 5× real time).
// This measures 2 s of data to keep the run short; time scales linearly with the duration. Runs on the built
// library (npm run build first). The baseline, measured in the same run, is a plain pass summing the same raw
// int16 bytes the eimage reads.
const { computeEimageStas } = require("../dist/dsp/eimage");
const { designButterworthHighpass } = require("../dist/dsp/butterworth");

const RATE_HZ = 20000;
const DURATION_S = 2;
const ELECTRODES = 65 * 65;
const UNITS = 100;
const SPIKES_PER_UNIT_PER_S = 10;
const CHUNK_SAMPLES = 20000;

module.exports = {
  run: async (report) => {
    const samples = RATE_HZ * DURATION_S;
    // One second of noisy int16 data, served again for every second (the reader only sees sample ranges).
    let state = 7;
    const second = Int16Array.from({ length: RATE_HZ * ELECTRODES }, () => {
      state = (state * 48271) % 2147483647;
      return (state % 400) - 200;
    });
    const readSamples = ({ start, end }) => {
      const out = new Int16Array((end - start) * ELECTRODES);
      for (let s = start; s < end; ) {
        const inSecond = s % RATE_HZ;
        const take = Math.min(end - s, RATE_HZ - inSecond);
        out.set(second.subarray(inSecond * ELECTRODES, (inSecond + take) * ELECTRODES), (s - start) * ELECTRODES);
        s += take;
      }
      return out;
    };
    const spikeSamples = {};
    for (let u = 0; u < UNITS; u++) {
      spikeSamples[`unit_${u}`] = Array.from({ length: SPIKES_PER_UNIT_PER_S * DURATION_S }, (_, i) =>
        Math.floor(((i + 0.5) / (SPIKES_PER_UNIT_PER_S * DURATION_S)) * samples) + u,
      );
    }
    const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: RATE_HZ });

    const rawBytes = samples * ELECTRODES * 2;
    let sum = 0;
    const baselineStart = process.hrtime.bigint();
    for (let s = 0; s < samples; s += CHUNK_SAMPLES) {
      const block = readSamples({ start: s, end: Math.min(samples, s + CHUNK_SAMPLES) });
      for (let i = 0; i < block.length; i++) sum += block[i];
    }
    const baselineMs = Number(process.hrtime.bigint() - baselineStart) / 1e6;
    if (Number.isNaN(sum)) throw new Error("unreachable");

    let peakRss = process.memoryUsage().rss;
    const start = process.hrtime.bigint();
    const result = await computeEimageStas({
      readSamples,
      sampleCount: samples,
      spikeSamples,
      preSamples: 10,
      postSamples: 40,
      sos,
      chunkSamples: CHUNK_SAMPLES,
      onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    report(`eimage STA ${DURATION_S} s full grid, ${UNITS} units`, {
      ms: Math.round(ms),
      filterMs: Math.round(result.filterMs),
      rawMBps: Number((rawBytes / 1e6 / (ms / 1000)).toFixed(1)),
      realTimeFactor: Number((DURATION_S / (ms / 1000)).toFixed(2)),
      budgetRealTimeFactor: 5,
      baselineMs: Math.round(baselineMs),
      ratioToBaseline: Number((ms / baselineMs).toFixed(1)),
      overlapSamples: result.overlapSamples,
      peakRssMB: Math.round(peakRss / 1e6),
    });
  },
};
