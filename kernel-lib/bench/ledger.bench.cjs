// Runs-ledger claims per second (issue 10): P processes (1 and 8) work through one shared pool of ITEMS runs,
// each starting at its own offset so they contend for the same runs; a claim is project.run() + tryStart() +
// done() — the full cycle of a batch worker — and every run must be claimed exactly once. The same-run baseline
// does, plainly and with the same processes and contention, the synced writes no crash-safe claim can avoid: an
// exclusive create + fsync per item (who claims it), then two more synced files (started, outcome). The ratio is
// the cost of the ledger's bookkeeping beyond those three fsyncs (uid, params index, heartbeat, reads of other
// processes' records). Processes load the library before the clock starts. Best of ROUNDS; CPU is all children's.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");

const ITEMS = 400;
const ROUNDS = 3;
const CHILD = path.join(__dirname, "ledger.child.cjs");
const TIMEOUT_MS = 5 * 60_000;
/** Bookkeeping may at most double the unavoidable synced writes (plus a little): budget 2.5× the baseline time. */
const MAX_RATIO = 2.5;

function startChild(mode, root, worker, workers) {
  const child = spawn(process.execPath, [CHILD, mode, root, String(ITEMS), String(worker), String(workers)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  const ready = new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.startsWith("ready\n")) resolve();
    });
    child.on("error", reject);
  });
  const result = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`ledger bench child ${child.pid} timed out`));
    }, TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`ledger bench child ${child.pid} exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop()));
    });
  });
  return { child, ready, result };
}

/** Wall time (first start → last end) of one contended pass, checking every item was claimed exactly once. */
async function pass(mode, workers) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-ledger-bench-"));
  try {
    const children = Array.from({ length: workers }, (_, w) => startChild(mode, root, w, workers));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.end("go\n");
    const results = await Promise.all(children.map((c) => c.result));
    const claimed = results.reduce((sum, r) => sum + r.claimed, 0);
    if (claimed !== ITEMS) throw new Error(`${mode} with ${workers} processes claimed ${claimed} of ${ITEMS} items`);
    return {
      ms: Math.max(...results.map((r) => r.endMs)) - Math.min(...results.map((r) => r.startMs)),
      cpuMs: results.reduce((sum, r) => sum + r.cpuMs, 0),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function run(report) {
  for (const workers of [1, 8]) {
    let best = { ms: Infinity, cpuMs: Infinity, baselineMs: Infinity, baselineCpuMs: Infinity };
    for (let round = 0; round < ROUNDS; round += 1) {
      const baseline = await pass("baseline", workers);
      const ledger = await pass("ledger", workers);
      if (ledger.ms < best.ms) best = { ...best, ms: ledger.ms, cpuMs: ledger.cpuMs };
      if (baseline.ms < best.baselineMs) best = { ...best, baselineMs: baseline.ms, baselineCpuMs: baseline.cpuMs };
    }
    const ratio = best.ms / best.baselineMs;
    report(`ledger claims, ${workers} process${workers > 1 ? "es" : ""}`, {
      ms: best.ms,
      cpuMs: best.cpuMs,
      baselineMs: best.baselineMs,
      baselineName: "3 synced O_EXCL/plain writes",
      baselineCpuMs: Math.round(best.baselineCpuMs),
      budgets: [{ pass: ratio <= MAX_RATIO, text: `≤ ${MAX_RATIO}× baseline` }],
      runs: ITEMS,
      claimsPerS: Math.round((ITEMS / best.ms) * 1000),
      baselinePerS: Math.round((ITEMS / best.baselineMs) * 1000),
    });
  }
}

module.exports = { run };
