// The session panel's Batch section end to end (issue 10): a notebook runs a small sweep whose one setting fails,
// the panel shows the sweep with one row per setting, and clicking the failed row opens its error. Called by
// labextension.e2e.cjs with its helpers; the notebook is written here (no recordings needed: a sweep's task is
// plain code), into the server root.
"use strict";
const fs = require("fs");
const path = require("path");

const NOTEBOOK = "batch-panel.ipynb";
const SECTION = '[data-hdmea-section="batch"]';

function notebookJson() {
  const code = (source) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source });
  return {
    cells: [
      code(
        [
          'import * as path from "path";',
          'import * as fs from "fs";',
          'import { Project, product, runSweep } from "hdmea";',
          'const sweepRoot = path.resolve("output", "batch-panel");',
          "fs.rmSync(sweepRoot, { recursive: true, force: true });",
          "const project = new Project(sweepRoot).ensureFolder();",
        ].join("\n"),
      ),
      code(
        [
          "const result = await runSweep({",
          '  project: project, identifier: "cover-range", name: "e2e sweep",',
          "  sweep: product({ coverRange: [[-45, 0], [-30, 0], [-15, 0]] }),",
          "  task: (params) => {",
          '    if ((params.coverRange as number[])[0] === -30) throw new Error("e2e: the noise movie is missing for this setting");',
          "  },",
          "});",
          "`${result.computed} computed, ${result.failed.length} failed`",
        ].join("\n"),
      ),
    ],
    metadata: {
      kernelspec: { display_name: "HD-MEA (TypeScript)", language: "typescript", name: "hdmea-ts" },
      language_info: { file_extension: ".ts", mimetype: "text/typescript", name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Writes the notebook into the server root before the server starts (or any time: the contents API reads disk). */
function writeBatchNotebook(root) {
  fs.writeFileSync(path.join(root, NOTEBOOK), JSON.stringify(notebookJson(), null, 1));
}

/**
 * Opens the notebook, runs it, and checks the panel's Batch section: three rows (done, failed, done) and the failed
 * row's error after a click. `helpers` are labextension.e2e.cjs's own functions and constants.
 */
async function checkBatchSection(page, helpers) {
  const { openNotebook, runAllCells, check, PANEL, OUT, UI_TIMEOUT_MS } = helpers;
  await openNotebook(page, NOTEBOOK);
  const problems = await runAllCells(page);
  check(problems.length === 0, `${NOTEBOOK} runs without errors (${problems.join(" | ")})`);
  const section = page.locator(`${PANEL} ${SECTION}`);
  await section.waitFor({ timeout: UI_TIMEOUT_MS });
  await section.locator("[data-hdmea-batch-item]").nth(2).waitFor({ timeout: UI_TIMEOUT_MS });
  const states = await section.locator("[data-hdmea-batch-item]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-hdmea-state")));
  check(JSON.stringify(states) === JSON.stringify(["done", "failed", "done"]), `the Batch section lists the sweep's settings as done, failed, done (got ${states})`);
  check((await section.innerText()).includes("sweep e2e sweep"), "the Batch section names the sweep");
  check((await section.locator('[data-hdmea-field="error"]').count()) === 0, "errors are closed until asked for");
  await section.locator(".hdmea-BatchSection-failure").click();
  const error = section.locator('[data-hdmea-field="error"]');
  await error.waitFor({ timeout: UI_TIMEOUT_MS });
  check((await error.innerText()).includes("the noise movie is missing"), "clicking the failed setting shows its error");
  await page.locator(PANEL).screenshot({ path: path.join(OUT, "session-panel-batch-section.png") });
}

module.exports = { writeBatchNotebook, checkBatchSection, BATCH_PANEL_NOTEBOOK: NOTEBOOK };
