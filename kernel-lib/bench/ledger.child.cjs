// One process of ledger.bench.cjs. Loads everything, prints "ready", waits for "go" on stdin, then works through
// a shared pool of items starting at its own offset, so that processes contend for the same items:
//   ledger   — project.run("bench", { params: { item } }), skip if done, tryStart(), done()  (one ledger claim)
//   baseline — the synced writes a crash-safe claim cannot do without, done plainly: per item one exclusive create
//              (O_EXCL) + write + fsync (EEXIST = someone else's item), then two more synced files for it (the
//              start and the outcome)
// Prints one JSON line: { startMs, endMs, cpuMs, claimed } (epoch ms with sub-ms precision).
//   node ledger.child.cjs <mode> <root> <items> <worker> <workers>
"use strict";
const fs = require("fs");
const path = require("path");
const hdmea = require("../dist");

const [mode, root, itemsText, workerText, workersText] = process.argv.slice(2);
const items = Number(itemsText);
const worker = Number(workerText);
const workers = Number(workersText);
const now = () => performance.timeOrigin + performance.now();

function order() {
  const offset = Math.floor((items / workers) * worker);
  return Array.from({ length: items }, (_, i) => (i + offset) % items);
}

function runLedger() {
  const project = new hdmea.Project(root);
  let claimed = 0;
  for (const item of order()) {
    const run = project.run("bench", { params: { item, sta: { coverRange: [-60, 0] } } });
    if (run.isDone() || !run.tryStart()) continue;
    run.done();
    claimed += 1;
  }
  return claimed;
}

function writeSynced(file, flag, text) {
  const fd = fs.openSync(file, flag);
  fs.writeSync(fd, text);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}

function runBaseline() {
  const dir = path.join(root, "baseline");
  fs.mkdirSync(dir, { recursive: true });
  let claimed = 0;
  for (const item of order()) {
    const file = path.join(dir, String(item));
    try {
      writeSynced(file, "wx", JSON.stringify({ item, pid: process.pid }));
    } catch (error) {
      if (error.code === "EEXIST") continue;
      throw error;
    }
    writeSynced(`${file}.started`, "w", JSON.stringify({ pid: process.pid }));
    writeSynced(`${file}.done`, "w", JSON.stringify({ pid: process.pid }));
    claimed += 1;
  }
  return claimed;
}

process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
process.stdin.once("data", () => {
  const startMs = now();
  const cpuBefore = process.cpuUsage();
  const claimed = mode === "ledger" ? runLedger() : runBaseline();
  const cpu = process.cpuUsage(cpuBefore);
  const endMs = now();
  process.stdout.write(`${JSON.stringify({ startMs, endMs, cpuMs: (cpu.user + cpu.system) / 1000, claimed })}\n`);
  process.exit(0);
});
