// Runs every bench/*.bench.cjs in name order (or only those whose name contains one of the command-line
// filters) and prints one aligned line per measurement. A bench reports; it never fails the run, so a missed
// budget shows as FAIL in the output and the exit code stays 0 unless a bench itself throws.
"use strict";
const fs = require("fs");
const path = require("path");

const MB = 1e6;

/**
 * Column layout of one report line. `fields`:
 *   bytes        data size the operation moved (drives MB/s)
 *   ms           wall time of the operation
 *   cpuMs        CPU time (user + system, all threads) of the operation: on a shared machine, wall ≫ CPU means
 *                the operation waited for a core or for the disk
 *   baselineMs   same-run baseline time for the same bytes (ratio printed as baseline time / our time: >1 is faster)
 *   baselineName name of the baseline (default "baseline")
 *   peakRssBytes peak resident set size of the process doing the operation
 *   budgets      [{ text, pass }] printed as PASS/FAIL
 *   note         free text at the end of the line
 */
function formatLine(name, fields) {
  const mbps = fields.bytes !== undefined && fields.ms > 0 ? fields.bytes / MB / (fields.ms / 1000) : undefined;
  const ratio = fields.baselineMs !== undefined && fields.ms > 0 ? fields.baselineMs / fields.ms : undefined;
  const cells = [
    name.padEnd(34),
    fields.bytes !== undefined ? `${(fields.bytes / MB).toFixed(1).padStart(8)} MB` : " ".repeat(11),
    fields.ms !== undefined ? `${fields.ms.toFixed(0).padStart(7)} ms` : " ".repeat(10),
    fields.cpuMs !== undefined ? `cpu ${fields.cpuMs.toFixed(0).padStart(6)} ms` : " ".repeat(13),
    mbps !== undefined ? `${mbps.toFixed(0).padStart(6)} MB/s` : " ".repeat(11),
    ratio !== undefined ? `${ratio.toFixed(2).padStart(6)}× ${(fields.baselineName ?? "baseline").padEnd(6)}` : " ".repeat(14),
    fields.peakRssBytes !== undefined ? `peak RSS ${(fields.peakRssBytes / MB).toFixed(0).padStart(5)} MB` : " ".repeat(17),
  ];
  const budgets = (fields.budgets ?? []).map((b) => `${b.pass ? "PASS" : "FAIL"} ${b.text}`).join("; ");
  return [...cells, budgets, fields.note ?? ""].join("  ").trimEnd();
}

function report(name, fields = {}) {
  console.log(formatLine(name, fields));
}

async function main() {
  const filters = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith(".bench.cjs"))
    .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
    .sort();
  if (files.length === 0) {
    console.log(`no bench file matches ${filters.join(", ")}; bench files are ${fs.readdirSync(__dirname).filter((n) => n.endsWith(".bench.cjs")).join(", ")}`);
    return;
  }
  for (const file of files) {
    console.log(`\n== ${file}`);
    const started = performance.now();
    await require(path.join(__dirname, file)).run(report);
    console.log(`-- ${file} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
