// Child process of the ledger concurrency tests and bench: works through a list of runs with the BUILT package
// (kernel-lib/dist), the way a batch worker does — project.run(identifier, { params }), skip if done, tryStart(),
// "compute" (write a small artefact), attach it, done() or error() — and prints one JSON line per run.
//
//   node ledger-worker.cjs '{"root": "...", "relpath": "", "ttlMs": 2000, "worker": 3,
//                            "tasks": [{"identifier": "sta", "params": {...}, "fail": false}, ...],
//                            "hold": "none" | "sleep" | "spin", "holdMs": 0, "retryBusyMs": 0}'
//
// Lines: {"worker", "task", "uid", "outcome": "reused" | "busy" | "done" | "error", "resume", "host", "pid"}.
// hold "sleep"/"spin" keeps each started run running for holdMs before finishing it (spin blocks the event loop,
// to show the heartbeat thread keeps a busy run alive). Typed-array params are given as {"$f64": [..]} and made
// into Float64Arrays here, so canonical matching is tested across processes.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const hdmea = require(path.join(__dirname, "..", "..", "dist"));

const config = JSON.parse(process.argv[2]);

function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === "object") {
    if (Array.isArray(value.$f64)) return Float64Array.from(value.$f64);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function spin(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // Blocks the main thread on purpose.
  }
}

function say(line) {
  process.stdout.write(`${JSON.stringify({ worker: config.worker, host: os.hostname(), pid: process.pid, ...line })}\n`);
}

async function main() {
  const project = new hdmea.Project(config.root, { relpath: config.relpath ?? "", heartbeatTtlMs: config.ttlMs ?? 60000 });
  for (let index = 0; index < config.tasks.length; index += 1) {
    const task = config.tasks[index];
    const run = project.run(task.identifier, { params: revive(task.params) });
    const base = { task: task.key ?? index, uid: run.uid, resume: run.resume.outcome };
    if (run.isDone()) {
      say({ ...base, outcome: "reused" });
      continue;
    }
    let started = run.tryStart();
    // retryBusyMs: keep trying a busy run (until its holder finishes or its heartbeat expires) for that long.
    const giveUpAt = Date.now() + (config.retryBusyMs ?? 0);
    while (!started && !run.isDone() && Date.now() < giveUpAt) {
      await sleep(100);
      started = run.tryStart();
    }
    if (!started) {
      say({ ...base, outcome: run.isDone() ? "reused" : "busy" });
      continue;
    }
    say({ ...base, outcome: "started" });
    if (config.hold === "sleep") await sleep(config.holdMs);
    if (config.hold === "spin") spin(config.holdMs);
    const artefact = run.path("result.json");
    fs.writeFileSync(artefact, JSON.stringify({ task: base.task, uid: run.uid, worker: config.worker, value: index }));
    run.attachFiles({ result: artefact });
    if (task.fail) {
      run.error(new Error(`task ${base.task} fails on purpose`));
      say({ ...base, outcome: "error" });
    } else {
      run.done();
      say({ ...base, outcome: "done" });
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
