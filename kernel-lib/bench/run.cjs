// `npm run bench [filter …]`: runs every bench/*.bench.cjs in name order (or only those whose file name contains
// one of the filters). Each bench exports `{ run: async (report) => … }` and calls `report` once per measurement,
// either as `report(name, fields)` or as `report({ name, ...fields })`. Every report prints one line.
//
// Fields with a known meaning get a fixed column; any other field is printed as `key=value` after them:
//   bytes         data size the operation moved (with ms: MB/s)
//   ms            wall time of the operation
//   cpuMs         CPU time (user + system, all threads); on a shared machine wall ≫ CPU means it waited
//   baselineMs    same-run baseline time for the same work; printed with the time ratio ms / baselineMs
//   baselineName  what the baseline is (default "baseline")
//   peakRssBytes  peak resident set size of the process doing the operation
//   ratioBudget   the most ms / baselineMs may be: PASS/FAIL on the ratio (how speed budgets are judged: both
//                 times come from the same run on the same machine, so a loaded or slow machine moves both)
//   budgets       [{ text, pass }], each printed as PASS/FAIL text (ratios and counts, never absolute times)
//   budgetMs      an issue's absolute time budget: printed beside the time for reading, never judged (it would
//                 judge the machine's load, not the code)
//   ok            a verdict the bench computed itself (PASS/FAIL), on a ratio or a count
//   note          free text at the end
//
// A bench reports; a missed budget prints FAIL and does not stop the run. A bench that throws is reported and the
// run goes on with the next file. The run ends with a summary: every file with its outcome, the FAIL lines again,
// and the exit code is 1 when a bench threw (a missed budget alone keeps it 0: times on a shared machine are noisy).
"use strict";
const fs = require("fs");
const path = require("path");

const MB = 1e6;
const KNOWN = new Set(["name", "bytes", "ms", "cpuMs", "baselineMs", "baselineName", "peakRssBytes", "budgets", "budgetMs", "ratioBudget", "ok", "note"]);

function formatValue(value) {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function formatMs(ms) {
  return (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(6);
}

function formatLine(name, fields) {
  const cells = [String(name).padEnd(34)];
  if (fields.bytes !== undefined) cells.push(`${(fields.bytes / MB).toFixed(1).padStart(7)} MB`);
  if (fields.ms !== undefined) cells.push(`${formatMs(fields.ms)} ms`);
  if (fields.cpuMs !== undefined) cells.push(`cpu ${formatMs(fields.cpuMs)} ms`);
  if (fields.bytes !== undefined && fields.ms > 0) cells.push(`${(fields.bytes / MB / (fields.ms / 1000)).toFixed(0).padStart(5)} MB/s`);
  if (fields.baselineMs !== undefined && fields.ms !== undefined) {
    const label = fields.baselineName ?? "baseline";
    cells.push(`${(fields.ms / fields.baselineMs).toFixed(2).padStart(5)}× ${label} time`);
  }
  if (fields.peakRssBytes !== undefined) cells.push(`RSS ${(fields.peakRssBytes / MB).toFixed(0).padStart(4)} MB`);
  const verdicts = [];
  if (fields.ratioBudget !== undefined && fields.ms !== undefined && fields.baselineMs !== undefined) {
    const label = fields.baselineName ?? "baseline";
    verdicts.push({ pass: fields.ms / fields.baselineMs <= fields.ratioBudget, text: `≤ ${fields.ratioBudget}× ${label}` });
  }
  verdicts.push(...(fields.budgets ?? []));
  if (fields.ok !== undefined) verdicts.push({ pass: Boolean(fields.ok), text: "budget" });
  if (verdicts.length > 0) cells.push(verdicts.map((v) => `${v.pass ? "PASS" : "FAIL"} ${v.text}`).join("; "));
  if (fields.budgetMs !== undefined) cells.push(`(absolute budget ${fields.budgetMs} ms: reported, not judged)`);
  const extra = Object.entries(fields).filter(([key, value]) => !KNOWN.has(key) && value !== undefined);
  if (extra.length > 0) cells.push(extra.map(([key, value]) => `${key}=${formatValue(value)}`).join(" "));
  if (fields.note !== undefined) cells.push(fields.note);
  return cells.join("  ");
}

/** The lines printed with a FAIL verdict, for the summary. */
const failedLines = [];

function report(nameOrEntry, fields = {}) {
  const entry = typeof nameOrEntry === "object" && nameOrEntry !== null ? nameOrEntry : { ...fields, name: nameOrEntry };
  const line = formatLine(entry.name ?? "(unnamed)", entry);
  if (line.includes("FAIL ")) failedLines.push(line);
  console.log(line);
}

async function main() {
  const filters = process.argv.slice(2);
  const all = fs.readdirSync(__dirname).filter((name) => name.endsWith(".bench.cjs")).sort();
  const files = all.filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)));
  if (files.length === 0) {
    console.log(`no bench file matches ${filters.join(", ")}; bench files: ${all.join(", ")}`);
    return;
  }
  const outcomes = [];
  for (const file of files) {
    console.log(`\n== ${file}`);
    const started = performance.now();
    const failsBefore = failedLines.length;
    try {
      await require(path.join(__dirname, file)).run(report);
      const seconds = (performance.now() - started) / 1000;
      console.log(`-- ${file} done in ${seconds.toFixed(1)} s`);
      outcomes.push({ file, seconds, error: undefined, fails: failedLines.length - failsBefore });
    } catch (error) {
      const seconds = (performance.now() - started) / 1000;
      console.log(`-- ${file} THREW after ${seconds.toFixed(1)} s:`);
      console.log(String(error && error.stack ? error.stack : error).replace(/^/gm, "   "));
      outcomes.push({ file, seconds, error, fails: failedLines.length - failsBefore });
    }
  }
  console.log("\n== summary");
  for (const o of outcomes) {
    const what = o.error ? `THREW: ${String(o.error.message ?? o.error).split("\n")[0]}` : o.fails > 0 ? `ran, ${o.fails} budget(s) FAIL` : "ran";
    console.log(`${o.file.padEnd(34)}  ${o.seconds.toFixed(1).padStart(6)} s  ${what}`);
  }
  if (failedLines.length > 0) {
    console.log("\nmissed budgets:");
    for (const line of failedLines) console.log(`  ${line}`);
  }
  const threw = outcomes.filter((o) => o.error).length;
  console.log(`\n${outcomes.length - threw} of ${outcomes.length} bench files ran to their end; ${failedLines.length} line(s) with a missed budget`);
  if (threw > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
