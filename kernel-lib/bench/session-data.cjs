// The bench session (issue 2): 300 units × 20 000 spike times (Float64Array sample indices, uint64 on disk),
// one 60×15×15 float32 STA feature per unit, and two 24-million-sample float32 light-reference channels,
// ≈ 256 MB of array data. The values follow simple formulas so bench/h5py_session_io.py can build the same
// arrays with numpy.
"use strict";

const SHAPE = Object.freeze({
  units: 300,
  spikesPerUnit: 20_000,
  staShape: [60, 15, 15],
  lightSamples: 24_000_000,
});

function unitId(index) {
  return `unit_${String(index + 1).padStart(3, "0")}`;
}

function spikeTimes(unit) {
  const out = new Float64Array(SHAPE.spikesPerUnit);
  for (let i = 0; i < out.length; i++) out[i] = unit + i * 600 + ((i * 7919 + unit) % 500);
  return out;
}

function sta(unit) {
  const size = SHAPE.staShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = ((i * 31 + unit) % 1000) / 1000 - 0.5;
  return out;
}

function lightChannel(channel) {
  const out = new Float32Array(SHAPE.lightSamples);
  for (let i = 0; i < out.length; i++) out[i] = ((i * (channel + 3)) % 20_000) / 20_000;
  return out;
}

/** Builds the bench session with the public API of the built package `hdmea` (kernel-lib/dist). */
function buildSession(hdmea) {
  const silent = { info() {}, warn() {}, error() {} };
  const session = new hdmea.PipelineSession({ datasetId: "bench-session-io", logger: silent });
  const units = {};
  for (let u = 0; u < SHAPE.units; u++) units[unitId(u)] = { spike_times: spikeTimes(u), row: u % 65, col: Math.floor(u / 65) };
  session.addUnits(units);
  for (let u = 0; u < SHAPE.units; u++) {
    session.addFeature(unitId(u), "sta", new hdmea.NdArray(sta(u), SHAPE.staShape), { n_spikes_used: SHAPE.spikesPerUnit });
  }
  session.addStimulus({ light_reference: { raw_ch1: lightChannel(0), raw_ch2: lightChannel(1) } });
  return session;
}

module.exports = { SHAPE, buildSession, unitId };
