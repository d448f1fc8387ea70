// The native tree reader against the h5wasm bridge: a full walk of the bench session (300 units, ≈ 256 MB), each
// walk in a fresh process (the cost a user sees on the first load in a kernel). Best of 3 rounds.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROUNDS = 3;

function runJson(args) {
  const out = execFileSync(process.execPath, [path.join(__dirname, "native-tree.child.cjs"), ...args], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop());
}

async function run(report) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-bench-"));
  try {
    const file = path.join(dir, "session.h5");
    runJson(["write", file]);
    const best = { bridge: undefined, native: undefined };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ["bridge", "native"]) {
        const r = runJson([mode, file]);
        const total = r.unitsMs + r.restMs;
        if (best[mode] === undefined || total < best[mode].unitsMs + best[mode].restMs) best[mode] = r;
      }
    }
    const { bridge, native } = best;
    if (bridge.attributes !== native.attributes || bridge.bytes !== native.bytes) throw new Error("the two walks read different amounts");
    report("tree walk, units (bridge)", { ms: bridge.unitsMs, note: `open ${bridge.openMs.toFixed(0)} ms (h5wasm init + open)` });
    report("tree walk, units (native)", { ms: native.unitsMs, baselineMs: bridge.unitsMs, baselineName: "bridge" });
    report("tree walk, whole file (bridge)", { bytes: bridge.bytes, ms: bridge.unitsMs + bridge.restMs });
    report("tree walk, whole file (native)", {
      bytes: native.bytes,
      ms: native.unitsMs + native.restMs,
      baselineMs: bridge.unitsMs + bridge.restMs,
      baselineName: "bridge",
      note: `open ${native.openMs.toFixed(1)} ms`,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };
