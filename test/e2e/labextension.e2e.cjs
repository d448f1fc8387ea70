#!/usr/bin/env node
/**
 * End to end: the HD-MEA Session panel and the hdmea renderers in a real JupyterLab 4.6.4 with the project's tslab
 * kernel, driven through Debian's Chromium by playwright-core (DESIGN §8, issue 6).
 *
 *   node test/e2e/labextension.e2e.cjs          (after `bash scripts/setup.sh`; `bash test/e2e/run.sh` does both checks)
 *
 * It starts `jupyter lab` from .venv on a free port with a random token, on a fresh copy of notebooks/ (without its
 * demo-data/: the first notebook simulates the demo recording there, as on a fresh clone) plus the extras notebook
 * test/e2e/table-and-latency.ipynb, under test-output/e2e/root (inside the repository, so the kernel resolves `hdmea`
 * and `tslab` from the root node_modules). Everything the notebooks show comes from the library itself. In the
 * browser:
 *   1. 01-explore-a-recording: opens the panel (command palette, sidebar), runs all cells, and checks the panel
 *      against the session file the notebook saved (every completed step with its duration and parameters, the
 *      warning count, the memory estimate, the unit count, deferred then saved), the session card, the Arrow table
 *      and the vega charts; Checkpoint and Save insert a visible cell and run it, and the files exist.
 *   2. table-and-latency: the panel follows the notebook; the progress bar; the panel shows every step's session
 *      update (the time from its websocket frame to the panel is measured and reported, not judged); sorting and
 *      scrolling the 10 000-row Arrow table, checked on the rows it rendered (no check compares a duration with
 *      a budget: speed budgets are ratios in `npm run bench`).
 *   3. 02-tweak-sta: runs all cells; the STA viewer (it outranks the chart) renders with a frame slider and a unit
 *      picker holding every unit; moving them changes the frame and the unit.
 *   4. Dark theme screenshots; a kernel restart clears the panel; reopening 01 re-seeds it from the saved outputs.
 *   Issue 12 (functions after "helper lab" below): Checkpoint on a session called `resumed` (by id, relative path,
 *   re-run writes the same file); chart cells print no `Chart(…)` line; the STA viewer's colour bar, labelled axes
 *   and ArrowLeft; clicking a unit id in the units table inserts and runs a showUnitPage cell below the table.
 * No "Javascript Error" output, no failing cell, no browser console error. Screenshots and results.json go to
 * test-output/e2e/. Every wait is bounded; the server, its kernels and Chromium are stopped by process id.
 */
"use strict";
const childProcess = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");

const REPO = path.resolve(__dirname, "..", "..");
const OUT = path.join(REPO, "test-output", "e2e");
const ROOT = path.join(OUT, "root");
const VENV = path.join(REPO, ".venv");
const { CHROMIUM, CHROMIUM_FLAGS } = require("../chromium.cjs");
const { writeBatchNotebook, checkBatchSection } = require("./batch-section.cjs");
const EXPLORE = "01-explore-a-recording.ipynb";
const STA_NOTEBOOK = "02-tweak-sta.ipynb";
const EXTRAS = "table-and-latency.ipynb";
const SAVE_STATE = "save-state-and-warnings.ipynb";
const PANEL = "#hdmea-session-panel";

// No check here compares a duration with a budget (issue 11 item 4): on a shared machine a wall-clock budget fails
// when another process takes the CPU. Durations (panel latency, scrolling) are measured and written to results.json
// for reading; the checks count what happened (steps shown, rows rendered, frames scrolled).

// Bounds of every wait.
const SERVER_START_TIMEOUT_MS = 90_000;
const UI_TIMEOUT_MS = 60_000;
const RUN_ALL_TIMEOUT_MS = 300_000;
const STOP_TIMEOUT_MS = 20_000;
const TOTAL_TIMEOUT_MS = 900_000;
// the whole browser session (TOTAL_TIMEOUT_MS above); past it the browser is closed and the test fails
const MAX_SCROLL_FRAMES = 4000; // bound of one scroll pass, in frames (a pass to row 10 000 needs ≈ 250)

const { chromium } = require(require.resolve("playwright-core", { paths: [path.join(REPO, "labextension"), REPO] }));

const failures = [];
const results = {};

function log(message) {
  console.log(`[e2e] ${message}`);
}

function check(condition, message) {
  if (condition) {
    log(`ok   ${message}`);
  } else {
    log(`FAIL ${message}`);
    failures.push(message);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, wait, then SIGKILL: one process, by its id. */
async function stopPid(pid, name) {
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline && isAlive(pid)) await sleep(100);
  if (isAlive(pid)) {
    log(`${name} (pid ${pid}) did not stop on SIGTERM; killing it`);
    process.kill(pid, "SIGKILL");
  }
}

/**
 * The committed example notebooks (git's list): a user's own notebook in notebooks/ is not one of them, and
 * nothing else a user left there (demo-data/, output/) is copied.
 */
function committedNotebooks() {
  const listed = childProcess.execFileSync("git", ["ls-files", "-z", "--", "notebooks/*.ipynb"], { cwd: REPO, encoding: "utf8" });
  const names = listed.split("\0").filter((name) => name !== "" && !name.slice("notebooks/".length).includes("/"));
  if (names.length === 0) throw new Error("git lists no notebooks/*.ipynb: the e2e test needs a git checkout");
  return names.map((name) => path.join(REPO, name));
}

/** A fresh server root: the committed example notebooks (no demo-data/, no output/) and the extras notebook. */
function prepareRoot() {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(ROOT, { recursive: true });
  for (const file of committedNotebooks()) fs.copyFileSync(file, path.join(ROOT, path.basename(file)));
  fs.copyFileSync(path.join(__dirname, EXTRAS), path.join(ROOT, EXTRAS));
  fs.copyFileSync(path.join(__dirname, SAVE_STATE), path.join(ROOT, SAVE_STATE));
  writeBatchNotebook(ROOT);
}

async function startServer() {
  const port = await freePort();
  const token = crypto.randomBytes(24).toString("hex");
  const state = path.join(OUT, "jupyter-state");
  const env = {
    ...process.env,
    JUPYTER_PATH: path.join(REPO, "jupyter"),
    // Keep the user's own Jupyter settings, workspaces and extensions out of the test (and the test out of them).
    JUPYTER_CONFIG_DIR: path.join(state, "config"),
    JUPYTER_DATA_DIR: path.join(state, "data"),
    JUPYTER_RUNTIME_DIR: path.join(state, "runtime"),
    JUPYTERLAB_SETTINGS_DIR: path.join(state, "settings"),
    JUPYTERLAB_WORKSPACES_DIR: path.join(state, "workspaces"),
  };
  const args = [
    "lab",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${ROOT}`,
    "--LabApp.expose_app_in_browser=True", // window.jupyterapp: commands and kernel state for the test's checks
    "--LabApp.news_url=None", // no internet here: no news fetch, no update check
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly", // no PyPI queries from the extension manager
  ];
  if (process.getuid && process.getuid() === 0) args.push("--allow-root"); // CI containers run as root
  // No "get notified about Jupyter news?" toast over the screenshots (there is no internet here anyway).
  const notificationSettings = path.join(env.JUPYTERLAB_SETTINGS_DIR, "@jupyterlab", "apputils-extension");
  fs.mkdirSync(notificationSettings, { recursive: true });
  fs.writeFileSync(path.join(notificationSettings, "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false" }));
  // tslab has no debugger (jupyter-integration.md §A5), and JupyterLab 4.6.4's debugger extension throws
  // "No active debugger session" from its execute_reply handler for such kernels (a page error on every run of
  // cells, from jlab_core, without the hdmea extension involved). Disabled here so the console check sees ours.
  const labConfig = path.join(env.JUPYTER_CONFIG_DIR, "labconfig");
  fs.mkdirSync(labConfig, { recursive: true });
  fs.writeFileSync(path.join(labConfig, "page_config.json"), JSON.stringify({ disabledExtensions: { "@jupyterlab/debugger-extension": true } }));
  const logFile = fs.openSync(path.join(OUT, "jupyter-server.log"), "w");
  const server = childProcess.spawn(path.join(VENV, "bin", "jupyter"), args, { env, stdio: ["ignore", logFile, logFile] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter lab exited with ${server.exitCode}; see ${path.join(OUT, "jupyter-server.log")}`);
    try {
      const response = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2000) });
      if (response.ok) return { server, base, token };
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`jupyter lab did not answer within ${SERVER_START_TIMEOUT_MS} ms`);
}

/** Process ids of every descendant of `pid` (from /proc), children first. */
function descendants(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  const found = [];
  const visit = (parent) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/**
 * Shuts down every kernel through the REST API, then stops the server by pid, then any of its former child
 * processes (kernels) that outlived it, each by its own pid.
 */
async function stopServer(handle) {
  if (!handle) return;
  const headers = { Authorization: `token ${handle.token}` };
  try {
    const kernels = await (await fetch(`${handle.base}/api/kernels`, { headers, signal: AbortSignal.timeout(5000) })).json();
    for (const kernel of kernels) {
      await fetch(`${handle.base}/api/kernels/${kernel.id}`, { method: "DELETE", headers, signal: AbortSignal.timeout(10_000) });
    }
  } catch (error) {
    log(`could not shut kernels down through the API: ${error.message}`);
  }
  const children = descendants(handle.server.pid);
  await stopPid(handle.server.pid, "jupyter lab");
  for (const pid of children) await stopPid(pid, "a kernel process of the server");
}

/**
 * Runs in the page before JupyterLab: notes when each kernel websocket frame carrying a session update arrives
 * (performance.now()), keyed by the names of the completed steps it carries. Decodes both kernel websocket
 * protocols (v1 binary and legacy JSON text).
 */
function installFrameClock() {
  const SESSION_MIME = "application/vnd.hdmea.session.v1+json";
  const decoder = new TextDecoder();
  const state = { frames: {}, shown: {}, errors: [] };
  window.__hdmeaE2E = state;
  function contentOf(data) {
    if (typeof data === "string") {
      const msg = JSON.parse(data);
      return { type: msg.header && msg.header.msg_type, content: msg.content };
    }
    if (!(data instanceof ArrayBuffer)) return null;
    const view = new DataView(data);
    const count = Number(view.getBigUint64(0, true));
    if (count < 6 || count > 64) return null;
    const offsets = [];
    for (let i = 0; i < count; i++) offsets.push(Number(view.getBigUint64(8 * (i + 1), true)));
    const part = (i) => decoder.decode(new Uint8Array(data, offsets[i], offsets[i + 1] - offsets[i]));
    const header = JSON.parse(part(1));
    return { type: header.msg_type, content: JSON.parse(part(4)) };
  }
  const Native = window.WebSocket;
  class ClockedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      // Registered before JupyterLab sets onmessage, so it runs first for every frame.
      this.addEventListener("message", (event) => {
        const now = performance.now();
        try {
          const msg = contentOf(event.data);
          if (!msg || (msg.type !== "display_data" && msg.type !== "update_display_data")) return;
          const payload = msg.content && msg.content.data && msg.content.data[SESSION_MIME];
          if (!payload || !Array.isArray(payload.steps)) return;
          for (const step of payload.steps) {
            if (step.status === "completed" && !(step.name in state.frames)) state.frames[step.name] = now;
          }
        } catch (error) {
          state.errors.push(String(error));
        }
      });
    }
  }
  window.WebSocket = ClockedWebSocket;
}

/** Watches the panel: the first time it shows each step as completed, and every save state it shows, in order. */
async function watchPanel(page) {
  await page.evaluate((panelSelector) => {
    const state = window.__hdmeaE2E;
    state.saveStates = [];
    const panel = document.querySelector(panelSelector);
    const observer = new MutationObserver(() => {
      const now = performance.now();
      for (const row of panel.querySelectorAll("[data-hdmea-step]")) {
        const name = row.getAttribute("data-hdmea-step");
        const status = row.querySelector(".hdmea-step-status");
        if (status && status.getAttribute("data-status") === "completed" && !(name in state.shown)) state.shown[name] = now;
      }
      const dataset = panel.querySelector('[data-hdmea-field="dataset-id"]');
      const saveState = panel.querySelector('[data-hdmea-field="save-state"]');
      const seen = dataset && saveState ? `${dataset.textContent}:${saveState.textContent}` : null;
      if (seen && state.saveStates[state.saveStates.length - 1] !== seen) state.saveStates.push(seen);
    });
    observer.observe(panel, { childList: true, subtree: true, characterData: true });
  }, PANEL);
}

const field = (page, name) => page.locator(`${PANEL} [data-hdmea-field="${name}"]`).first();

/** Starts a JupyterLab command without waiting for it (some open dialogs); callers wait for its visible effect. */
async function appCommand(page, id, args) {
  await page.evaluate(([command, commandArgs]) => {
    void window.jupyterapp.commands.execute(command, commandArgs);
  }, [id, args ?? {}]);
}

/** Scrolls the notebook to the first cell whose source contains `fragment` (off-screen cells are not in the DOM). */
async function scrollToCell(page, fragment) {
  const found = await page.evaluate(async (text) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    const index = notebook.widgets.findIndex((cell) => cell.model.sharedModel.getSource().includes(text));
    if (index < 0) return false;
    await notebook.scrollToItem(index, "start");
    return true;
  }, fragment);
  if (!found) throw new Error(`no cell contains ${JSON.stringify(fragment)}`);
  await page.waitForTimeout(300); // let the windowed notebook attach the cell's outputs
}

async function waitKernelIdle(page) {
  await page.waitForFunction(
    () => {
      const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
      const kernel = widget && widget.sessionContext && widget.sessionContext.session && widget.sessionContext.session.kernel;
      return kernel && kernel.status === "idle" && kernel.connectionStatus === "connected";
    },
    null,
    { timeout: UI_TIMEOUT_MS },
  );
}

async function openPanelFromPalette(page) {
  await page.keyboard.press("Control+Shift+C");
  const input = page.locator(".lm-CommandPalette-input");
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  await input.fill("Show HD-MEA Session Panel");
  await page.locator(".lm-CommandPalette-item", { hasText: "Show HD-MEA Session Panel" }).first().waitFor({ timeout: UI_TIMEOUT_MS });
  await page.keyboard.press("Enter");
  await page.locator(PANEL).waitFor({ state: "visible", timeout: UI_TIMEOUT_MS });
}

/** The notebook's cells from its model (the DOM holds only the cells in view). */
async function modelCells(page) {
  return page.evaluate(() =>
    window.jupyterapp.shell.currentWidget.content.widgets.map((cell) => ({
      source: cell.model.sharedModel.getSource(),
      executionCount: cell.model.type === "code" ? cell.model.executionCount : null,
    })),
  );
}

/** Clicks a panel action and waits until exactly one new cell holding `codeFragment` exists and has run. */
async function insertedCellAfterClick(page, action, codeFragment) {
  const before = (await modelCells(page)).length;
  await page.locator(`${PANEL} [data-hdmea-action="${action}"]`).click();
  await page.waitForFunction(
    ([count, fragment]) => {
      const cells = window.jupyterapp.shell.currentWidget.content.widgets;
      return cells.length === count + 1 && cells.some((cell) => cell.model.sharedModel.getSource().includes(fragment) && cell.model.executionCount !== null);
    },
    [before, codeFragment],
    { timeout: UI_TIMEOUT_MS },
  );
  const after = await modelCells(page);
  const inserted = after.filter((cell) => cell.source.includes(codeFragment));
  return after.length === before + 1 && inserted.length === 1 && inserted[0].executionCount !== null;
}

// ── issue 12 (helper "lab"): panel actions by session id, STA viewer keys and axes, units table → unit page ──

/** Outputs (nbformat JSON) of the first cell whose source contains `fragment`. */
async function cellOutputs(page, fragment) {
  return page.evaluate((text) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    const cell = notebook.widgets.find((c) => c.model.sharedModel.getSource().includes(text));
    return cell ? cell.model.outputs.toJSON() : null;
  }, fragment);
}

/** Errors and stderr of a cell's outputs, as text. */
function outputProblems(outputs) {
  return (outputs ?? [])
    .filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
    .map((o) => (o.output_type === "error" ? `${o.ename}: ${o.evalue}` : String(o.text).slice(0, 300)));
}

/** Adds a code cell with `code` at the end of the current notebook, runs it and waits until it ran. */
async function runNewCell(page, code) {
  await page.evaluate(() => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    notebook.activeCellIndex = notebook.widgets.length - 1;
  });
  await appCommand(page, "notebook:insert-cell-below");
  await page.waitForFunction((text) => {
    const cell = window.jupyterapp.shell.currentWidget.content.activeCell;
    if (!cell || cell.model.sharedModel.getSource() !== "") return false;
    cell.model.sharedModel.setSource(text);
    return true;
  }, code, { timeout: UI_TIMEOUT_MS });
  await appCommand(page, "notebook:run-cell");
  await page.waitForFunction((text) => {
    const cell = window.jupyterapp.shell.currentWidget.content.widgets.find((c) => c.model.sharedModel.getSource() === text);
    return cell && cell.model.executionCount !== null;
  }, code, { timeout: RUN_ALL_TIMEOUT_MS });
  await waitKernelIdle(page);
  return cellOutputs(page, code);
}

/**
 * Item 4: the panel's Checkpoint works on a session not called `session`. The notebook resumes its saved file as
 * `resumed` (a second session, which the panel then shows); Checkpoint inserts a cell that addresses it by id, with a
 * path relative to the notebook, and a second run of that cell (what Run All does) writes the same file again.
 */
async function checkCheckpointOfRenamedSession(page, savedPath) {
  const relative = path.relative(ROOT, savedPath).split(path.sep).join("/");
  const problems = outputProblems(
    await runNewCell(page, `import { PipelineSession as Resumable, showSession as showResumed } from "hdmea";\nconst resumed = await Resumable.load(${JSON.stringify(relative)});\nshowResumed(resumed);`),
  );
  check(problems.length === 0, `a cell resumes the saved file as \`resumed\` (${problems.join(" | ")})`);
  const resumedId = await page.evaluate(() => {
    const select = document.querySelector("#hdmea-session-panel select.hdmea-SessionPanel-select");
    return select ? select.value : null;
  });
  check(resumedId !== null && /-2$/.test(resumedId), `the panel offers both sessions and shows the resumed one (${resumedId})`);
  const folder = path.dirname(savedPath);
  const before = new Set(fs.readdirSync(folder));
  check(await insertedCellAfterClick(page, "checkpoint", `sessionById(${JSON.stringify(resumedId)}).checkpoint(`), "Checkpoint on `resumed` inserts one visible cell addressing it by id, and runs it");
  await waitKernelIdle(page);
  const code = (await modelCells(page)).map((cell) => cell.source).find((source) => source.includes(`sessionById(${JSON.stringify(resumedId)}).checkpoint(`));
  const fileInCode = /checkpoint\("([^"]+)"/.exec(code)?.[1] ?? "";
  check(!/\bsession\./.test(code) && !path.isAbsolute(fileInCode), `the inserted cell uses no variable name and a path relative to the notebook (${fileInCode})`);
  const checkpointProblems = outputProblems(await cellOutputs(page, code));
  check(checkpointProblems.length === 0, `the checkpoint cell of \`resumed\` ran without an error (${checkpointProblems.join(" | ")})`);
  const written = path.join(ROOT, fileInCode);
  const created = fs.readdirSync(folder).filter((f) => !before.has(f));
  check(fs.existsSync(written) && created.length === 1, `the checkpoint of \`resumed\` exists beside its file (${created.join(", ")})`);
  // Run the inserted cell again, as Run All would: the same state goes to the same file, no second file.
  const mtime = fs.statSync(written).mtimeMs;
  await page.evaluate((text) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    notebook.activeCellIndex = notebook.widgets.findIndex((c) => c.model.sharedModel.getSource() === text);
  }, code);
  await appCommand(page, "notebook:run-cell");
  // Bounded: 80 × 250 ms for the kernel to write the file again.
  for (let i = 0; i < 80 && fs.statSync(written).mtimeMs <= mtime; i++) await sleep(250);
  await waitKernelIdle(page);
  check(fs.statSync(written).mtimeMs > mtime && fs.readdirSync(folder).filter((f) => !before.has(f)).length === 1, "re-running the checkpoint cell rewrites the same file");
  await page.screenshot({ path: path.join(OUT, "checkpoint-renamed-session-light.png") });
}

/** Item 6: a chart cell shows only the chart, not a `Chart(…)` line from the returned value. */
async function checkChartCellsPrintNothing(page, calls) {
  for (const call of calls) {
    const streams = ((await cellOutputs(page, `await ${call}(`)) ?? []).filter((o) => o.output_type === "stream").map((o) => String(o.text));
    check(!streams.some((text) => text.includes("Chart(")), `the ${call} cell shows only the chart, no developer line (${streams.join(" | ").slice(0, 160)})`);
  }
}

/**
 * Item 5: the STA viewer has a colour bar and a labelled time axis, and ArrowLeft moves its frame (after a click on
 * it) without JupyterLab moving to another cell.
 */
async function checkStaViewerKeysAndAxes(page, viewer) {
  check((await viewer.locator(".hdmea-StaViewer-colourBar .hdmea-StaViewer-colourScale").count()) === 1, "the STA viewer has a colour bar");
  const colourLabels = await viewer.locator(".hdmea-StaViewer-colourLabels span").allInnerTexts();
  check(colourLabels.length === 3 && /ON$/.test(colourLabels[0]) && /OFF$/.test(colourLabels[2]), `the colour bar names its values (${colourLabels.join(" / ")})`);
  const xLabel = await viewer.locator(".hdmea-StaViewer-xLabel").textContent();
  const xTicks = await viewer.locator(".hdmea-StaViewer-xTick").allTextContents();
  const yTicks = await viewer.locator(".hdmea-StaViewer-yTick").count();
  check(xLabel === "frames relative to spike (0 = spike)" && xTicks.length >= 3 && xTicks.every((t, i) => i === 0 || Number(t) > Number(xTicks[i - 1])) && yTicks === 3, `the time course has a labelled frame axis with ticks (${xLabel}: ${xTicks.join(", ")}) and a value axis`);
  await viewer.locator(".hdmea-StaViewer-grid").click();
  const activeBefore = await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.activeCellIndex);
  const frameBefore = await viewer.locator("input.hdmea-StaViewer-frame").inputValue();
  await page.keyboard.press("ArrowLeft");
  const frameAfter = await viewer.locator("input.hdmea-StaViewer-frame").inputValue();
  const activeAfter = await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.activeCellIndex);
  check(Number(frameAfter) === Number(frameBefore) - 1, `ArrowLeft moves the STA frame (${frameBefore} → ${frameAfter})`);
  check(activeAfter === activeBefore, `ArrowLeft in the viewer does not move JupyterLab to another cell (active cell ${activeBefore} → ${activeAfter})`);
  await page.keyboard.press("ArrowRight");
  check((await viewer.locator("input.hdmea-StaViewer-frame").inputValue()) === frameBefore, "ArrowRight moves it back");
  await viewer.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, "sta-viewer-axes-light.png") });
}

/**
 * Clicking a unit in the units table inserts and runs a visible `showUnitPage` cell below the table's cell. The page
 * itself comes from helper "rf"'s showUnitPage; without it in the build, only the insertion is checked.
 */
async function checkUnitTableOpensPage(page, tableScope, hasUnitPage) {
  const keyCell = page.locator(`${tableScope} .hdmea-Table-key.hdmea-mod-link`).nth(2);
  const unitId = await keyCell.innerText();
  const before = (await modelCells(page)).length;
  await keyCell.click();
  const fragment = `showUnitPage({ session: sessionById(`;
  await page.waitForFunction(
    ([count, text, unit]) => {
      const cells = window.jupyterapp.shell.currentWidget.content.widgets;
      return cells.length === count + 1 && cells.some((c) => c.model.sharedModel.getSource().includes(text) && c.model.sharedModel.getSource().includes(unit) && c.model.executionCount !== null);
    },
    [before, fragment, `unitId: "${unitId}"`],
    { timeout: RUN_ALL_TIMEOUT_MS },
  );
  await waitKernelIdle(page);
  const placed = await page.evaluate((text) => {
    const cells = window.jupyterapp.shell.currentWidget.content.widgets.map((c) => c.model.sharedModel.getSource());
    const inserted = cells.findIndex((source) => source.includes(text));
    return { inserted, tableCell: cells.findIndex((source) => source.includes("showTable(session.unitsTable())")) };
  }, fragment);
  check(placed.inserted === placed.tableCell + 1, `clicking ${unitId} in the units table inserts a visible showUnitPage cell right below the table (cell ${placed.inserted}) and runs it`);
  if (!hasUnitPage) {
    log("showUnitPage is not in this build (helper rf's branch not merged): the unit page's content is not checked");
    return;
  }
  const problems = outputProblems(await cellOutputs(page, fragment));
  check(problems.length === 0, `the unit page of ${unitId} opens without an error (${problems.join(" | ")})`);
  await checkChartCellsPrintNothing(page, ["showUnitPage"]);
  await scrollToCell(page, fragment);
  await page.screenshot({ path: path.join(OUT, "unit-page-light.png") });
}

/**
 * Scrolls the 10 000-row Arrow table down to its end and flicks back up, one frame at a time, counting what the
 * viewer rendered: rows visible and row elements in the DOM per frame, every row index shown, the last and first row.
 */
async function scrollArrowTable(page, scope) {
  return page.evaluate(async ([scopeSelector, maxFrames]) => {
    const scroller = document.querySelector(`${scopeSelector} .hdmea-ArrowTable .hdmea-Table-scroller`);
    if (!scroller) return { error: "no Arrow table scroller" };
    scroller.scrollIntoView({ block: "center" });
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))); // let it settle
    const maxTop = scroller.scrollHeight - scroller.clientHeight;
    const start = performance.now(); // reported only, never judged
    let frames = 0;
    let maxRows = 0;
    let maxRowElements = 0;
    const seenRows = new Set();
    const pass = (stepPx, towardsEnd) =>
      new Promise((resolve) => {
        const step = () => {
          frames += 1;
          scroller.scrollTop = towardsEnd ? Math.min(maxTop, scroller.scrollTop + stepPx) : Math.max(0, scroller.scrollTop - stepPx);
          const all = scroller.querySelectorAll(".hdmea-Table-row");
          const shown = [...all].filter((row) => row.style.display !== "none");
          maxRows = Math.max(maxRows, shown.length);
          maxRowElements = Math.max(maxRowElements, all.length);
          for (const row of shown) seenRows.add(row.getAttribute("aria-rowindex"));
          const done = towardsEnd ? scroller.scrollTop >= maxTop : scroller.scrollTop <= 0;
          if (done || frames > maxFrames) resolve();
          else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    await pass(960, true); // 40 rows per frame down to row 10 000
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))); // the last scroll's render
    const shownRows = [...scroller.querySelectorAll(".hdmea-Table-row")].filter((row) => row.style.display !== "none");
    const bottomRow = String(Math.max(...shownRows.map((row) => Number(row.getAttribute("aria-rowindex")))));
    await pass(4800, false); // fast flicks back up
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const topRow = [...scroller.querySelectorAll(".hdmea-Table-row")].filter((row) => row.style.display !== "none")[0];
    return {
      frames,
      durationMs: Math.round(performance.now() - start),
      scrollHeightPx: scroller.scrollHeight,
      maxRowsInDom: maxRows,
      maxRowElements,
      distinctRowsShown: seenRows.size,
      bottomRow,
      topRow: topRow ? topRow.getAttribute("aria-rowindex") : null,
    };
  }, [scope, MAX_SCROLL_FRAMES]);
}

/** Bytes as the panel writes them (labextension/src/format.ts). */
function formatBytes(bytes) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** What a session file holds, read with the kernel library itself: the truth the panel is checked against. */
async function readSessionFile(file) {
  const { PipelineSession } = require(path.join(REPO, "kernel-lib"));
  const session = await PipelineSession.load(file);
  return {
    datasetId: session.datasetId,
    completedSteps: [...session.completedSteps],
    stepRecords: session.stepRecords.map((record) => ({ name: record.name, params: record.params, warnings: record.warnings.length })),
    warnings: session.warnings.length,
    unitCount: session.unitCount,
    memoryBytes: session.memoryEstimateBytes,
  };
}

/** Opens (or activates) a notebook and waits until it is the current widget with an idle kernel. */
async function openNotebook(page, name) {
  await appCommand(page, "docmanager:open", { path: name });
  await page.waitForFunction(
    (file) => {
      const widget = window.jupyterapp.shell.currentWidget;
      return widget && widget.context && widget.context.path === file && widget.content && widget.content.widgets.length > 0;
    },
    name,
    { timeout: UI_TIMEOUT_MS },
  );
  await waitKernelIdle(page);
}

/**
 * Runs every cell of the current notebook and waits until each code cell has run, or a cell failed (JupyterLab then
 * stops the queue), with the kernel idle. Returns the failing outputs (error, or anything on stderr).
 */
async function runAllCells(page) {
  await appCommand(page, "notebook:run-all-cells");
  await page.waitForFunction(
    () => {
      const widget = window.jupyterapp.shell.currentWidget;
      const kernel = widget.sessionContext.session && widget.sessionContext.session.kernel;
      if (!kernel || kernel.status !== "idle") return false;
      const cells = [];
      for (let i = 0; i < widget.content.model.cells.length; i++) cells.push(widget.content.model.cells.get(i));
      const code = cells.filter((cell) => cell.type === "code");
      const failed = code.some((cell) => cell.outputs.toJSON().some((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr")));
      return failed || code.every((cell) => cell.executionCount !== null);
    },
    null,
    { timeout: RUN_ALL_TIMEOUT_MS, polling: 250 },
  );
  return page.evaluate(() => {
    const model = window.jupyterapp.shell.currentWidget.content.model;
    const problems = [];
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      if (cell.type !== "code") continue;
      if (cell.executionCount === null) problems.push(`cell ${i} did not run`);
      for (const output of cell.outputs.toJSON()) {
        if (output.output_type === "error") problems.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
        if (output.output_type === "stream" && output.name === "stderr") problems.push(`cell ${i} stderr: ${String(output.text).slice(0, 300)}`);
      }
    }
    return problems;
  });
}

/**
 * Scrolls to the first cell whose source contains `fragment`, marks its node with `data-e2e-cell="<key>"` (so
 * locators can be scoped to it; other notebooks stay in the DOM in their hidden tabs) and waits until it holds at
 * least `minCount` elements matching `selector`. Returns the scope selector.
 */
async function cellWith(page, key, fragment, selector, minCount = 1) {
  await scrollToCell(page, fragment);
  await page.waitForFunction(
    ([text, mark, sel, min]) => {
      const notebook = window.jupyterapp.shell.currentWidget.content;
      const cell = notebook.widgets.find((c) => c.model.sharedModel.getSource().includes(text));
      if (!cell) return false;
      cell.node.setAttribute("data-e2e-cell", mark);
      return cell.node.querySelectorAll(sel).length >= min;
    },
    [fragment, key, selector, minCount],
    { timeout: UI_TIMEOUT_MS },
  );
  return `[data-e2e-cell="${key}"]`;
}

/** The mimetypes of every display output of the first cell whose source contains `fragment` (from the model). */
async function cellMimeTypes(page, fragment) {
  return page.evaluate((text) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    const cell = notebook.widgets.find((c) => c.model.sharedModel.getSource().includes(text));
    return cell.model.outputs.toJSON().filter((o) => o.output_type === "display_data").map((o) => Object.keys(o.data).sort());
  }, fragment);
}

const VEGA_RENDERED = ".jp-RenderedVegaCommon5 svg, .jp-RenderedVegaCommon5 canvas";

async function javascriptErrors(page) {
  return page.locator(".jp-OutputArea-output", { hasText: "Javascript Error" }).count();
}

/** Runs the code cell at `index` of the current notebook and waits until it has run and the kernel is idle. */
async function runCellAt(page, index) {
  await page.evaluate((i) => {
    const panel = window.jupyterapp.shell.currentWidget;
    panel.content.activeCellIndex = i;
    void window.jupyterapp.commands.execute("notebook:run-cell");
  }, index);
  await page.waitForFunction(
    (i) => {
      const widget = window.jupyterapp.shell.currentWidget;
      const kernel = widget.sessionContext.session && widget.sessionContext.session.kernel;
      return kernel && kernel.status === "idle" && widget.content.model.cells.get(i).executionCount !== null;
    },
    index,
    { timeout: RUN_ALL_TIMEOUT_MS, polling: 250 },
  );
}

/** The text of the stream outputs (`stdout` or `stderr`) of the cell at `index`, from the model. */
async function cellStream(page, index, name) {
  return page.evaluate(
    ([i, stream]) =>
      window.jupyterapp.shell.currentWidget.content.model.cells
        .get(i)
        .outputs.toJSON()
        .filter((o) => o.output_type === "stream" && o.name === stream)
        .map((o) => o.text)
        .join(""),
    [index, name],
  );
}

/**
 * Issue 12 items 1, 2 and 7 (save-state-and-warnings.ipynb, run cell by cell): a step run before its prerequisites
 * says so under its cell, on stderr, visibly; after `save()` the card and the panel show "saved"; a step that follows
 * the save turns both back to "deferred"; an hdmea error thrown in a cell is one line with its code.
 */
async function checkSaveStateAndWarnings(page, serverHandle) {
  await openNotebook(page, SAVE_STATE);
  const codeCells = await page.evaluate(() => {
    const model = window.jupyterapp.shell.currentWidget.content.model;
    const found = [];
    for (let i = 0; i < model.cells.length; i++) if (model.cells.get(i).type === "code") found.push(i);
    return found;
  });
  const [setupCell, skippedCell, saveCell, stepCell, errorCell] = codeCells;
  const cardBadge = (scope) => page.locator(`${scope} .hdmea-SessionCard [data-hdmea-field="save-state"]`).first();
  const panelBadge = page.locator(`${PANEL} [data-hdmea-field="save-state"]`);

  await runCellAt(page, setupCell);
  await page.locator(`${PANEL} [data-hdmea-field="dataset-id"]`, { hasText: "e2e-save-state" }).waitFor({ timeout: UI_TIMEOUT_MS });

  // 2. The skipped step, under its cell.
  await runCellAt(page, skippedCell);
  const stderr = await cellStream(page, skippedCell, "stderr");
  check(/section_spike_times skipped: section_spike_times needs 'add_section_time'/.test(stderr), `a step run before its prerequisites says it was skipped, on stderr (${JSON.stringify(stderr.slice(0, 200))})`);
  const shown = await cellWith(page, "skipped", "await sectionSpikeTimes({ session: session, configDir: ", '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  const visible = page.locator(`${shown} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]`, { hasText: "section_spike_times skipped" });
  check((await visible.count()) === 1 && (await visible.first().isVisible()), "the prerequisite warning is visible under the cell");
  await page.screenshot({ path: path.join(OUT, "prerequisite-warning-light.png") });

  // 1. Saved, then a step: deferred again, in the card and in the panel.
  await runCellAt(page, saveCell);
  check((await cellStream(page, saveCell, "stdout")).includes("after save: saved"), "the session is saved after save()");
  await panelBadge.filter({ hasText: /^saved$/ }).waitFor({ timeout: UI_TIMEOUT_MS });
  const card = await cellWith(page, "save-state-card", "const card = showSession(session);", ".hdmea-SessionCard");
  await cardBadge(card).filter({ hasText: /^saved$/ }).waitFor({ timeout: UI_TIMEOUT_MS });
  check(true, "after save() the card and the panel show saved");
  await runCellAt(page, stepCell);
  check((await cellStream(page, stepCell, "stdout")).includes("after a step: deferred"), "a step after the save leaves the session deferred");
  const panelState = await panelBadge.filter({ hasText: /^deferred$/ }).waitFor({ timeout: UI_TIMEOUT_MS }).then(() => "deferred", () => panelBadge.innerText());
  check(panelState === "deferred", `the panel's badge turns deferred after a step that follows a save (${panelState})`);
  await scrollToCell(page, "const card = showSession(session);");
  const cardState = await cardBadge(card).filter({ hasText: /^deferred$/ }).waitFor({ timeout: UI_TIMEOUT_MS }).then(() => "deferred", () => cardBadge(card).innerText());
  check(cardState === "deferred", `the session card's badge turns deferred after a step that follows a save (${cardState})`);
  await page.screenshot({ path: path.join(OUT, "deferred-after-save-light.png") });

  // Issue 12 item 7: an hdmea error thrown in a cell is one line with its code, no stack after it.
  await runCellAt(page, errorCell);
  const errorText = (await cellStream(page, errorCell, "stderr")).trimEnd();
  check(
    errorText.startsWith("ConfigurationError [HDMEA_CONFIGURATION]: computeSta needs the noise movie") && errorText.split("\n").length === 1,
    `an hdmea error thrown in a cell shows as one line with its code (${JSON.stringify(errorText.slice(0, 300))})`,
  );
  check((await javascriptErrors(page)) === 0, `${SAVE_STATE} shows no "Javascript Error"`);
  await closeAndShutDown(page, serverHandle, SAVE_STATE);
}

/** Saves the current notebook, closes its tab and shuts its kernel down through the REST API. */
async function closeAndShutDown(page, server, name) {
  await appCommand(page, "docmanager:save");
  await page.waitForFunction(() => !window.jupyterapp.shell.currentWidget.context.model.dirty, null, { timeout: UI_TIMEOUT_MS });
  await appCommand(page, "application:close");
  await page.waitForFunction((file) => !window.jupyterapp.shell.currentWidget || window.jupyterapp.shell.currentWidget.context?.path !== file, name, { timeout: UI_TIMEOUT_MS });
  const headers = { Authorization: `token ${server.token}` };
  const sessions = await (await fetch(`${server.base}/api/sessions`, { headers, signal: AbortSignal.timeout(10_000) })).json();
  for (const session of sessions.filter((s) => s.path === name)) {
    await fetch(`${server.base}/api/sessions/${session.id}`, { method: "DELETE", headers, signal: AbortSignal.timeout(20_000) });
  }
}

async function main() {
  for (const [what, file] of [
    ["JupyterLab in .venv", path.join(VENV, "bin", "jupyter-lab")],
    ["Chromium", CHROMIUM],
    ["the hdmea labextension in .venv", path.join(VENV, "share", "jupyter", "labextensions", "hdmea-labextension", "package.json")],
    ["the project kernelspec", path.join(REPO, "jupyter", "kernels", "hdmea-ts", "kernel.json")],
    ["the hdmea build", path.join(REPO, "kernel-lib", "dist", "index.js")],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${what} is missing (${file}): run bash scripts/setup.sh and bash test/e2e/run.sh`);
  }
  prepareRoot();
  let serverHandle = null;
  let browserServer = null;
  let stopped = null;
  // Stops Chromium, the kernels and the server, each by pid; once, whoever asks first (finally, a signal).
  const stopAll = () =>
    (stopped ??= (async () => {
      if (browserServer) {
        const pid = browserServer.process().pid;
        await browserServer.close().catch(() => undefined);
        await stopPid(pid, "chromium");
      }
      await stopServer(serverHandle);
    })());
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      log(`${signal}: stopping the browser and the server`);
      void stopAll().finally(() => process.exit(1));
    });
  }
  // A pending page.evaluate has no timeout of its own: closing the browser ends it (and the test, as a failure).
  const watchdog = setTimeout(() => {
    log(`the browser session exceeded ${TOTAL_TIMEOUT_MS} ms; closing the browser`);
    failures.push(`the test finished within ${TOTAL_TIMEOUT_MS} ms`);
    if (browserServer) void browserServer.close().catch(() => undefined);
  }, TOTAL_TIMEOUT_MS);
  const consoleErrors = [];
  const started = Date.now();
  let page = null;
  let phase = "start";
  try {
    serverHandle = await startServer();
    log(`jupyter lab pid ${serverHandle.server.pid} at ${serverHandle.base}`);
    browserServer = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
    const chromiumPid = browserServer.process().pid;
    log(`chromium pid ${chromiumPid} (fresh profile from playwright-core)`);
    const browser = await chromium.connect(browserServer.wsEndpoint(), { timeout: UI_TIMEOUT_MS });
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    await context.addInitScript(installFrameClock);
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`[${phase}] ${message.text()}`);
    });
    page.on("pageerror", (error) => {
      consoleErrors.push(`[${phase}] pageerror: ${error.message}`);
      fs.appendFileSync(path.join(OUT, "page-errors.log"), `[${phase}] ${error.stack || error.message}\n\n`);
    });

    await page.goto(`${serverHandle.base}/lab/tree/${EXPLORE}?token=${serverHandle.token}`, { timeout: UI_TIMEOUT_MS });
    await page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first().waitFor({ timeout: UI_TIMEOUT_MS });
    await waitKernelIdle(page);
    log(`${EXPLORE} open, kernel idle`);

    phase = "panel";
    // The panel: from the command palette, and from its sidebar tab.
    await openPanelFromPalette(page);
    check(await page.locator(`${PANEL}`).isVisible(), "the command palette opens the HD-MEA Session panel");
    const tab = page.locator(`.jp-SideBar [data-id="hdmea-session-panel"]`);
    check((await tab.count()) === 1, "the panel has a sidebar tab");
    await tab.click(); // collapses the sidebar
    await page.locator(PANEL).waitFor({ state: "hidden", timeout: UI_TIMEOUT_MS });
    await tab.click();
    await page.locator(PANEL).waitFor({ state: "visible", timeout: UI_TIMEOUT_MS });
    check(await page.locator(PANEL).isVisible(), "the sidebar tab opens the panel");
    check((await page.locator(PANEL).innerText()).includes("No hdmea session"), "before running, the panel shows no session");
    await watchPanel(page);

    // ---------------------------------------------------------------------------------------------------------
    phase = "explore";
    const exploreStarted = Date.now();
    const exploreProblems = await runAllCells(page);
    results.exploreRunAllS = Math.round((Date.now() - exploreStarted) / 100) / 10;
    check(exploreProblems.length === 0, `${EXPLORE}: every cell ran, none failed or wrote to stderr (${exploreProblems.join(" | ")})`);
    check(fs.existsSync(path.join(ROOT, "demo-data", "sim-seed1.ground-truth.json")), "the demo recording was simulated into the server root's demo-data/ on first use");
    await page.locator(`${PANEL} [data-hdmea-field="save-state"]`, { hasText: "saved" }).waitFor({ timeout: UI_TIMEOUT_MS });
    const savedPath = await field(page, "hdf5-path").innerText();
    check(path.isAbsolute(savedPath) && fs.existsSync(savedPath), `the notebook's own save wrote the file the panel names (${savedPath})`);
    const expected = await readSessionFile(savedPath);
    results.explore = expected;
    log(`session file: ${JSON.stringify({ ...expected, stepRecords: expected.stepRecords.map((r) => r.name) })}`);
    check(
      ["load_recording", "add_section_time", "section_spike_times"].every((step) => expected.completedSteps.includes(step)),
      `the notebook ran loadRecording, addSectionTime and sectionSpikeTimes (${expected.completedSteps.join(", ")})`,
    );

    // The panel against the session file.
    const panelSteps = await page.$$eval(`${PANEL} [data-hdmea-step]`, (rows) =>
      rows.map((row) => ({ name: row.getAttribute("data-hdmea-step"), status: row.querySelector(".hdmea-step-status")?.getAttribute("data-status") })),
    );
    check(
      JSON.stringify(panelSteps.map((s) => s.name)) === JSON.stringify(expected.completedSteps) && panelSteps.every((s) => s.status === "completed"),
      `the panel lists every completed step (${panelSteps.map((s) => `${s.name}:${s.status}`).join(", ")})`,
    );
    const durations = await page.$$eval(`${PANEL} .hdmea-step-duration`, (cells) => cells.map((c) => c.textContent));
    check(durations.length === expected.stepRecords.length && durations.every((d) => /^\d+(\.\d+)? (ms|s)$/.test(d)), `every step shows its duration (${durations.join(", ")})`);
    const sectionParams = await page.locator(`${PANEL} [data-hdmea-step="add_section_time"] .hdmea-step-params`).innerText();
    check(sectionParams.includes('"playlistName":"simulated_playlist"'), `the panel shows a step's parameters (${sectionParams.slice(0, 120)}…)`);
    check((await field(page, "warning-count").innerText()) === String(expected.warnings), `the panel shows the warning count (${expected.warnings})`);
    const memoryText = await field(page, "memory").innerText();
    check(memoryText === formatBytes(expected.memoryBytes), `the panel shows the memory estimate (${memoryText} for ${expected.memoryBytes} bytes)`);
    check((await page.locator(`${PANEL} .hdmea-SessionSummary-breakdown li`).count()) === 3, "the memory breakdown lists units, metadata, stimulus");
    check((await field(page, "unit-count").innerText()) === String(expected.unitCount), `the panel shows the unit count (${expected.unitCount})`);
    const saveStates = (await page.evaluate(() => window.__hdmeaE2E.saveStates)).filter((s) => s.startsWith(`${expected.datasetId}:`));
    check(
      saveStates[0] === `${expected.datasetId}:deferred` && saveStates[saveStates.length - 1] === `${expected.datasetId}:saved`,
      `the panel showed the session deferred, then saved (${saveStates.join(" → ")})`,
    );
    await page.screenshot({ path: path.join(OUT, "session-panel-light.png") });

    // Renderers and charts in the notebook.
    const cardScope = await cellWith(page, "card", "const card = showSession(session);", ".hdmea-SessionCard [data-hdmea-field='dataset-id']");
    check((await page.locator(`${cardScope} .hdmea-SessionCard [data-hdmea-field='dataset-id']`).innerText()) === expected.datasetId, "the session card renders in the notebook");
    check((await page.locator(`${cardScope} .hdmea-SessionCard [data-hdmea-step]`).count()) === expected.completedSteps.length, "the session card lists every step");
    const unitsScope = await cellWith(page, "units-table", "showTable(session.unitsTable());", ".hdmea-ArrowTable-info");
    const unitsInfo = await page.locator(`${unitsScope} .hdmea-ArrowTable-info`).innerText();
    check(unitsInfo.startsWith(`${expected.unitCount} rows`), `the Arrow viewer renders the units table (${unitsInfo})`);
    await page.screenshot({ path: path.join(OUT, "renderers-light.png") });
    const charts = {};
    for (const call of ["plotUnitsMap", "plotLightReference", "plotRaster", "plotPsth"]) {
      const scope = await cellWith(page, call, `await ${call}(`, VEGA_RENDERED).catch(() => null);
      charts[call] = scope === null ? 0 : await page.locator(`${scope} ${VEGA_RENDERED}`).count();
      const mimes = await cellMimeTypes(page, `await ${call}(`);
      check(charts[call] > 0, `the vega chart of ${call} renders (${mimes.map((m) => m.join("+")).join("; ")})`);
      if (call === "plotRaster") await page.screenshot({ path: path.join(OUT, "charts-light.png") });
    }
    check((await javascriptErrors(page)) === 0, `${EXPLORE} shows no "Javascript Error"`);
    await checkChartCellsPrintNothing(page, ["plotUnitsMap", "plotLightReference", "plotRaster", "plotPsth"]);

    // Checkpoint, then Save: each inserts a visible cell below the active (last) cell and runs it.
    phase = "actions";
    const outputDir = path.dirname(savedPath);
    const savedMtimeMs = fs.statSync(savedPath).mtimeMs;
    check(await insertedCellAfterClick(page, "checkpoint", ").checkpoint("), "Checkpoint inserts one visible cell and runs it");
    await waitKernelIdle(page);
    const checkpoints = fs.readdirSync(outputDir).filter((f) => f.includes(".after-"));
    check(checkpoints.length === 1, `the checkpoint file, named after the state it holds, exists beside the saved file (${checkpoints.join(", ")})`);
    const relativeSaved = path.relative(ROOT, savedPath).split(path.sep).join("/");
    check(await insertedCellAfterClick(page, "save", `.save(${JSON.stringify(relativeSaved)});`), `Save inserts one visible cell saving to the same file, relative to the notebook (${relativeSaved}), and runs it`);
    await waitKernelIdle(page);
    await page.waitForFunction((file) => document.querySelector('#hdmea-session-panel [data-hdmea-field="hdf5-path"]')?.textContent === file, savedPath, { timeout: UI_TIMEOUT_MS });
    check((await field(page, "save-state").innerText()) === "saved", "after Save the panel shows the session as saved");
    check(fs.existsSync(savedPath) && fs.statSync(savedPath).mtimeMs > savedMtimeMs, `Save wrote the session file again (${savedPath})`);
    await page.screenshot({ path: path.join(OUT, "session-panel-saved-light.png") });
    await checkCheckpointOfRenamedSession(page, savedPath);

    // ---------------------------------------------------------------------------------------------------------
    phase = "extras";
    await openNotebook(page, EXTRAS);
    await page.locator(PANEL, { hasText: EXTRAS }).waitFor({ timeout: UI_TIMEOUT_MS });
    check((await page.locator(PANEL).innerText()).includes("No hdmea session"), `the panel follows the current notebook (${EXTRAS}: no session yet)`);
    const extrasProblems = await runAllCells(page);
    check(extrasProblems.length === 0, `${EXTRAS}: every cell ran cleanly (${extrasProblems.join(" | ")})`);
    await page.locator(`${PANEL} [data-hdmea-field="dataset-id"]`, { hasText: "e2e-latency" }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator(`${PANEL} [data-hdmea-step="latency_probe_3"] .hdmea-step-status[data-status="completed"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    const progressScope = await cellWith(page, "progress", "startProgress({", ".hdmea-Progress");
    check((await page.locator(`${progressScope} .hdmea-Progress.hdmea-mod-finished`).count()) === 1, "the progress bar renders and finishes in place (one output)");

    // Latency: websocket frame → panel shows the completed step (the probes, and notebook 01's real steps).
    const clock = await page.evaluate(() => window.__hdmeaE2E);
    const timed = Object.keys(clock.frames).filter((name) => name in clock.shown);
    const latencies = timed.map((name) => ({ step: name, latencyMs: Number((clock.shown[name] - clock.frames[name]).toFixed(1)) }));
    results.panelLatency = latencies;
    check(clock.errors.length === 0, `the frame clock decoded every frame (${clock.errors.slice(0, 2).join("; ")})`);
    const probes = latencies.filter((l) => l.step.startsWith("latency_probe_"));
    const realSteps = latencies.filter((l) => expected.completedSteps.includes(l.step));
    check(probes.length === 3 && realSteps.length === expected.completedSteps.length, `every probe and every step of ${EXPLORE} was timed (${timed.join(", ")})`);
    const worst = Math.max(...latencies.map((l) => l.latencyMs));
    // Reported for reading (results.json), not judged: the latency budget lives in `npm run bench`.
    log(`panel latency, websocket frame → step shown: worst ${worst} ms (${latencies.length} steps; not judged)`);

    // The 10 000-row Arrow table: sort, then scroll.
    phase = "table";
    const tableScope = await cellWith(page, "table", "showTable(tableFromArrays(", ".hdmea-ArrowTable-info");
    const tableInfo = await page.locator(`${tableScope} .hdmea-ArrowTable-info`).innerText();
    check(tableInfo.startsWith("10000 rows × 5 columns"), `the Arrow viewer renders the 10 000-row table (${tableInfo})`);
    const sortMs = await page.evaluate(async (scope) => {
      // The header is rebuilt on every sort: look the heading up again for the second click.
      const heading = () => [...document.querySelectorAll(`${scope} .hdmea-ArrowTable .hdmea-Table-heading`)].find((h) => h.textContent.startsWith("spike_count"));
      const t0 = performance.now();
      heading().click(); // ascending
      heading().click(); // descending
      return performance.now() - t0;
    }, tableScope);
    const firstCount = await page.locator(`${tableScope} .hdmea-ArrowTable .hdmea-Table-row[aria-rowindex="1"]`).first().locator(".hdmea-Table-cell").nth(2).innerText();
    check(firstCount === "999", `sorting the Arrow table by spike_count (descending) puts 999 first (got ${firstCount}; two sorts took ${sortMs.toFixed(1)} ms)`);
    results.arrowSortTwiceMs = Number(sortMs.toFixed(1));
    await page.screenshot({ path: path.join(OUT, "table-10k-light.png") });
    // What scrolling is checked on: counts of the rendering work, never its duration (the long-task budget is a
    // ratio in `npm run bench`, table-view.bench.cjs).
    results.loadAverage = os.loadavg().map((load) => Number(load.toFixed(2)));
    const scroll = await scrollArrowTable(page, tableScope);
    results.arrowScroll = scroll;
    log(`scroll: ${scroll.frames} frames in ${scroll.durationMs} ms (not judged; load average ${results.loadAverage.join(", ")})`);
    check(!scroll.error && scroll.bottomRow === "10000", `the Arrow viewer scrolls to row 10 000 (${scroll.error ?? `last row shown ${scroll.bottomRow}`})`);
    check(!scroll.error && scroll.topRow === "1", `flicking back up shows row 1 again (${scroll.topRow})`);
    check(!scroll.error && scroll.frames <= MAX_SCROLL_FRAMES, `the scroll reached both ends within ${MAX_SCROLL_FRAMES} frames (${scroll.frames})`);
    check(scroll.maxRowsInDom > 0 && scroll.maxRowsInDom < 60, `only the rows in view are shown (at most ${scroll.maxRowsInDom} per frame)`);
    check(scroll.maxRowElements < 120, `the viewer reuses row elements instead of creating one per row (at most ${scroll.maxRowElements} in the DOM)`);
    check(scroll.distinctRowsShown > 1000, `the rows shown along the way change with the scroll position (${scroll.distinctRowsShown} distinct rows)`);
    check((await javascriptErrors(page)) === 0, `${EXTRAS} shows no "Javascript Error"`);

    // ---------------------------------------------------------------------------------------------------------
    phase = "save-state";
    await checkSaveStateAndWarnings(page, serverHandle);

    // ---------------------------------------------------------------------------------------------------------
    phase = "sta";
    await openNotebook(page, STA_NOTEBOOK);
    const staStarted = Date.now();
    const staProblems = await runAllCells(page);
    results.staRunAllS = Math.round((Date.now() - staStarted) / 100) / 10;
    check(staProblems.length === 0, `${STA_NOTEBOOK}: every cell ran, none failed or wrote to stderr (${staProblems.join(" | ")})`);
    await page.locator(`${PANEL} [data-hdmea-field="save-state"]`, { hasText: "saved" }).waitFor({ timeout: UI_TIMEOUT_MS });
    const staUnits = Number(await field(page, "unit-count").innerText());
    const staScope = await cellWith(page, "sta", "await plotSta(", ".hdmea-StaViewer .hdmea-StaViewer-pixel", 3 * 225);
    const viewers = page.locator(`${staScope} .hdmea-StaViewer`);
    check((await viewers.count()) === 3, `the STA viewer renders each of the three cover ranges (${await viewers.count()})`);
    const staMimes = await cellMimeTypes(page, "await plotSta(");
    check(
      staMimes.length === 3 && staMimes.every((m) => ["application/vnd.hdmea.sta.v1+json", "application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"].every((x) => m.includes(x))),
      `each STA output carries the STA frames beside the vega-lite chart and its SVG fallback (${staMimes.map((m) => m.join("+")).join("; ")})`,
    );
    check((await page.locator(`${staScope} .jp-RenderedVegaCommon5`).count()) === 0, "the STA viewer outranks the vega-lite chart in JupyterLab");
    const first = viewers.first();
    check((await first.locator(".hdmea-StaViewer-pixel").count()) === 225, "the STA viewer shows a 15 × 15 frame");
    const picker = first.locator("select.hdmea-StaViewer-unit");
    const unitOptions = await picker.locator("option").allInnerTexts();
    check(unitOptions.length === staUnits && staUnits > 1, `the unit picker offers every unit of the session (${unitOptions.join(", ")}; the session has ${staUnits})`);
    check((await picker.inputValue()) === "0" && unitOptions[0] === "unit_001", "the viewer opens at the plotted unit (unit_001)");
    const slider = first.locator("input.hdmea-StaViewer-frame");
    check((await slider.getAttribute("max")) === "59", `the frame slider spans the 60 frames of cover range [-60, 0] (max ${await slider.getAttribute("max")})`);
    await slider.fill("0");
    const frameLabel = await first.locator(".hdmea-StaViewer-frameLabel").innerText();
    check(frameLabel.startsWith("-60 "), `moving the frame slider to the first frame shows frame -60 (${frameLabel})`);
    const traceBefore = await first.locator(".hdmea-StaViewer-line").getAttribute("points");
    await picker.selectOption({ index: 2 });
    const traceAfter = await first.locator(".hdmea-StaViewer-line").getAttribute("points");
    check(traceAfter !== traceBefore && (await first.locator(".hdmea-StaViewer-trace title").textContent()).startsWith(unitOptions[2]), `picking ${unitOptions[2]} shows its STA`);
    await first.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUT, "sta-viewer-light.png") });
    await checkStaViewerKeysAndAxes(page, first);
    const staCard = await cellWith(page, "sta-card", "const card = showSession(session);", ".hdmea-SessionCard");
    // computeSta ran four times: three cover ranges, then the chosen one again.
    const staRuns = await page.locator(`${staCard} .hdmea-SessionCard [data-hdmea-step="compute_sta"]`).count();
    check(staRuns === 4, `${STA_NOTEBOOK}: the session card lists the four computeSta runs (${staRuns})`);
    const staTable = await cellWith(page, "sta-table", "showTable(session.unitsTable());", ".hdmea-ArrowTable-info");
    check((await page.locator(`${staTable} .hdmea-ArrowTable-info`).innerText()).startsWith(`${staUnits} rows`), `${STA_NOTEBOOK}: the Arrow viewer renders the units table`);
    await checkUnitTableOpensPage(page, staTable, typeof require(path.join(REPO, "kernel-lib", "dist", "index.js")).showUnitPage === "function");
    check((await javascriptErrors(page)) === 0, `${STA_NOTEBOOK} shows no "Javascript Error"`);

    // ---------------------------------------------------------------------------------------------------------
    phase = "dark";
    await appCommand(page, "apputils:change-theme", { theme: "JupyterLab Dark" });
    await page.waitForFunction(() => document.body.dataset.jpThemeLight === "false", null, { timeout: UI_TIMEOUT_MS });
    await page.waitForTimeout(500); // the theme's stylesheet applies asynchronously
    const panelBackground = await page.locator(PANEL).evaluate((node) => getComputedStyle(node).backgroundColor);
    check(panelBackground !== "rgb(255, 255, 255)", `the panel follows the dark theme (background ${panelBackground})`);
    await scrollToCell(page, "await plotSta(");
    await page.screenshot({ path: path.join(OUT, "sta-viewer-dark.png") });
    await closeAndShutDown(page, serverHandle, STA_NOTEBOOK);

    await openNotebook(page, EXPLORE);
    await page.locator(`${PANEL} [data-hdmea-field="dataset-id"]`, { hasText: expected.datasetId }).waitFor({ timeout: UI_TIMEOUT_MS });
    check((await field(page, "save-state").innerText()) === "saved", `back on ${EXPLORE}, the panel shows its session again`);
    await scrollToCell(page, "const card = showSession(session);");
    await page.screenshot({ path: path.join(OUT, "session-panel-dark.png") });
    await scrollToCell(page, "showTable(session.unitsTable());");
    await page.screenshot({ path: path.join(OUT, "renderers-dark.png") });
    await scrollToCell(page, "await plotRaster(");
    await page.screenshot({ path: path.join(OUT, "charts-dark.png") });
    check((await javascriptErrors(page)) === 0, 'no "Javascript Error" output in the dark theme');

    // ---------------------------------------------------------------------------------------------------------
    phase = "batch section";
    await checkBatchSection(page, { openNotebook, runAllCells, check, PANEL, OUT, UI_TIMEOUT_MS });
    await openNotebook(page, EXPLORE);

    // ---------------------------------------------------------------------------------------------------------
    phase = "restart";
    await appCommand(page, "notebook:restart-kernel");
    await page.locator(".jp-Dialog .jp-mod-accept").click({ timeout: UI_TIMEOUT_MS });
    await page.locator(PANEL, { hasText: "No hdmea session" }).waitFor({ timeout: UI_TIMEOUT_MS });
    check((await page.locator(`${PANEL} [data-hdmea-step]`).count()) === 0, "after a kernel restart the panel clears");
    await waitKernelIdle(page);

    phase = "reopen";
    // Save, close and reopen the notebook: the panel re-seeds from the outputs.
    await appCommand(page, "docmanager:save");
    await page.waitForFunction(() => !window.jupyterapp.shell.currentWidget.context.model.dirty, null, { timeout: UI_TIMEOUT_MS });
    await appCommand(page, "application:close");
    // The panel now shows the other open notebook (or none): anything but the closed one.
    await page.waitForFunction(([selector, name]) => !document.querySelector(selector).innerText.includes(name), [PANEL, EXPLORE], { timeout: UI_TIMEOUT_MS });
    await openNotebook(page, EXPLORE);
    await page.locator(`${PANEL} [data-hdmea-field="dataset-id"]`, { hasText: expected.datasetId }).waitFor({ timeout: UI_TIMEOUT_MS });
    check((await page.locator(`${PANEL} [data-hdmea-step]`).count()) === expected.completedSteps.length, "reopening the notebook re-seeds the panel with every step");
    check((await field(page, "save-state").innerText()) === "saved", "the re-seeded panel shows the saved state");
    check((await page.locator(`${PANEL} [data-hdmea-field="origin"]`).count()) === 1, "the re-seeded panel says it shows saved outputs");
    await page.screenshot({ path: path.join(OUT, "session-panel-reseeded-dark.png") });

    check(consoleErrors.length === 0, `no browser console error (${consoleErrors.slice(0, 5).join(" | ")})`);
    results.consoleErrors = consoleErrors;
    await browser.close();
  } catch (error) {
    if (page) {
      await page.screenshot({ path: path.join(OUT, "failure.png") }).catch(() => undefined);
      const dom = await page.content().catch(() => "");
      fs.writeFileSync(path.join(OUT, "failure.html"), dom);
    }
    results.consoleErrors = consoleErrors;
    results.failedIn = phase;
    throw error;
  } finally {
    clearTimeout(watchdog);
    await stopAll();
    results.failures = failures;
    results.wallTimeS = Math.round((Date.now() - started) / 100) / 10;
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, "results.json"), JSON.stringify(results, null, 2) + "\n");
  }
  log(`results: ${path.join(OUT, "results.json")}; screenshots in ${OUT}`);
  if (failures.length > 0) throw new Error(`${failures.length} check(s) failed:\n  - ${failures.join("\n  - ")}`);
  log(`passed in ${results.wallTimeS} s`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`[e2e] ${error.stack || error}`);
    process.exitCode = 1;
  });
}

module.exports = { committedNotebooks };
