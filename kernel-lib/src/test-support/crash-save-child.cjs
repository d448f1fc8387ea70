// Child process of atomic-write.crash.test.ts: builds a large session with the BUILT package (kernel-lib/dist)
// and saves it to one target path again and again, each save with the next generation number in its state and
// in its light-reference arrays, printing "ready" before the first save and "saved <generation>" after each one.
// The parent kills it with SIGKILL at random moments.
//
//   node crash-save-child.cjs '{"target": "...", "startGeneration": 3, "saves": 0, "units": 100,
//                               "spikesPerUnit": 20000, "lightSamples": 22000000}'
// saves: 0 = until killed.
"use strict";
const path = require("path");
const hdmea = require(path.join(__dirname, "..", "..", "dist"));

const silent = { warn() {}, error() {} };

function buildSession(config) {
  const session = new hdmea.PipelineSession({ datasetId: "crash-test", logger: silent });
  const units = {};
  for (let u = 0; u < config.units; u++) {
    const spikes = new Float64Array(config.spikesPerUnit);
    for (let i = 0; i < spikes.length; i++) spikes[i] = u + i * 600 + ((i * 7919 + u) % 500);
    units[`unit_${String(u + 1).padStart(3, "0")}`] = { spike_times: spikes, row: u % 65, col: Math.floor(u / 65) };
  }
  session.addUnits(units);
  for (const unitId of Object.keys(units)) {
    const sta = new Float32Array(60 * 15 * 15);
    for (let i = 0; i < sta.length; i++) sta[i] = ((i * 31) % 1000) / 1000;
    session.addFeature(unitId, "sta", new hdmea.NdArray(sta, [60, 15, 15]), { n_spikes_used: config.spikesPerUnit });
  }
  const raw_ch1 = new Float32Array(config.lightSamples);
  const raw_ch2 = new Float32Array(config.lightSamples);
  for (let i = 0; i < raw_ch1.length; i++) {
    raw_ch1[i] = (i % 20_000) / 20_000;
    raw_ch2[i] = (i % 7_000) / 7_000;
  }
  return { session, raw_ch1, raw_ch2 };
}

/** Marks both ends of both channels and the state, so a file can be told apart from the other generations. */
function markGeneration({ session, raw_ch1, raw_ch2 }, generation) {
  raw_ch1[0] = generation;
  raw_ch1[raw_ch1.length - 1] = generation;
  raw_ch2[0] = -generation;
  raw_ch2[raw_ch2.length - 1] = -generation;
  session.addStimulus({ light_reference: { raw_ch1, raw_ch2 } });
  session.state.set("generation", generation);
}

async function main() {
  const config = JSON.parse(process.argv[2]);
  const built = buildSession(config);
  process.stdout.write("ready\n");
  for (let g = config.startGeneration; config.saves === 0 || g < config.startGeneration + config.saves; g++) {
    markGeneration(built, g);
    await built.session.save(config.target);
    process.stdout.write(`saved ${g}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
