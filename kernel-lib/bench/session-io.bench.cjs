// Save and load of the issue-2 bench session (bench/session-data.cjs, ≈ 256 MB) against h5py writing and reading
// the same arrays in the same run. Each phase runs in its own process so its peak RSS is its own: the save
// process builds the session, makes one tiny save (h5wasm init), one cold save (the WebAssembly heap grows) and
// warm saves; the load process makes a cold load and warm loads. Warm numbers are medians.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { findH5pyPython } = require("./python.cjs");

const BUDGET = { saveMBps: 400, loadMBps: 800, peakRssPerSessionByte: 2.5 };
const PHASE_TIMEOUT_MS = 10 * 60_000;
const MB = 1e6;

function runJson(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: PHASE_TIMEOUT_MS, maxBuffer: 16 * MB });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(" ")} failed (${result.error ?? `exit ${result.status}`}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout.trim().split("\n").pop());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function budgets(bytes, ms, peakRssBytes, minMBps) {
  const mbps = bytes / MB / (ms / 1000);
  const rssRatio = peakRssBytes / bytes;
  return [
    { text: `≥ ${minMBps} MB/s`, pass: mbps >= minMBps },
    { text: `RSS ${rssRatio.toFixed(2)}× ≤ ${BUDGET.peakRssPerSessionByte}× session`, pass: rssRatio <= BUDGET.peakRssPerSessionByte },
  ];
}

async function run(report) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-bench-"));
  try {
    const child = path.join(__dirname, "session-io.child.cjs");
    const file = path.join(dir, "session.h5");
    const save = runJson(process.execPath, ["--expose-gc", child, "save", file]);
    const load = runJson(process.execPath, ["--expose-gc", child, "load", file]);

    const found = findH5pyPython();
    let pySave;
    let pyLoad;
    if (found.python) {
      const script = path.join(__dirname, "h5py_session_io.py");
      const pyFile = path.join(dir, "session-h5py.h5");
      pySave = runJson(found.python, [script, "save", pyFile]);
      pyLoad = runJson(found.python, [script, "load", pyFile]);
    } else {
      console.log(`(no h5py baseline: ${found.reason})`);
    }

    const bytes = save.bytes;
    console.log(`session: ${(bytes / MB).toFixed(1)} MB of arrays; save file ${(fs.statSync(file).size / MB).toFixed(1)} MB`);
    const baseline = (py, key) => (py ? { baselineMs: key === "cold" ? py.coldMs : median(py.warmMs), baselineName: "h5py" } : {});
    report("h5wasm init + tiny save", { ms: save.initMs });
    const saveWarmMs = median(save.warmMs);
    const loadWarmMs = median(load.warmMs);
    report("save cold (first large save)", { bytes, ms: save.coldMs, ...baseline(pySave, "cold"), peakRssBytes: save.peakRssBytes, budgets: budgets(bytes, save.coldMs, save.peakRssBytes, BUDGET.saveMBps) });
    report("save warm (median of 3)", { bytes, ms: saveWarmMs, ...baseline(pySave, "warm"), peakRssBytes: save.peakRssBytes, budgets: budgets(bytes, saveWarmMs, save.peakRssBytes, BUDGET.saveMBps) });
    report("load cold (first load)", { bytes: load.bytes, ms: load.coldMs, ...baseline(pyLoad, "cold"), peakRssBytes: load.peakRssBytes, budgets: budgets(bytes, load.coldMs, load.peakRssBytes, BUDGET.loadMBps) });
    report("load warm (median of 3)", { bytes: load.bytes, ms: loadWarmMs, ...baseline(pyLoad, "warm"), peakRssBytes: load.peakRssBytes, budgets: budgets(bytes, loadWarmMs, load.peakRssBytes, BUDGET.loadMBps) });
    if (pySave && pyLoad) {
      report("h5py save cold", { bytes: pySave.bytes, ms: pySave.coldMs, peakRssBytes: pySave.peakRssBytes });
      report("h5py save warm (median of 3)", { bytes: pySave.bytes, ms: median(pySave.warmMs), peakRssBytes: pySave.peakRssBytes });
      report("h5py load cold", { bytes: pyLoad.bytes, ms: pyLoad.coldMs, peakRssBytes: pyLoad.peakRssBytes });
      report("h5py load warm (median of 3)", { bytes: pyLoad.bytes, ms: median(pyLoad.warmMs), peakRssBytes: pyLoad.peakRssBytes });
    }
    report("node process baseline RSS", { peakRssBytes: save.rssBeforeBytes, note: "(save process after building the session, before the first large save)" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };
