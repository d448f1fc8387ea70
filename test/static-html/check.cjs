#!/usr/bin/env node
/**
 * Opens nbconvert HTML pages in headless Debian Chromium (playwright-core, no downloaded browser) and measures what
 * a reader of the static page sees: for every output of every cell, its mimetype, rendered size, images (loaded,
 * decoded, not blank) and tables (rows, header cells). It judges nothing itself: test/test_static_html.py asserts
 * on the JSON it writes, so every failure message names the notebook, the cell and the output.
 *
 *   node test/static-html/check.cjs PAGES.json RESULTS.json
 *
 * PAGES.json: [{"name", "html", "screenshot"}]. One Chromium serves every page; a full-page screenshot of each goes
 * where PAGES.json says. The pages are offline: anything but file: and data: URLs (nbconvert's require.js and
 * MathJax from a CDN) is aborted and listed, as on a machine without network. Every wait is bounded; Chromium is
 * stopped by its process id.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");

const REPO = path.resolve(__dirname, "..", "..");
const { CHROMIUM, CHROMIUM_FLAGS } = require("../chromium.cjs");
const VIEWPORT = { width: 1280, height: 900 };

// Bounds of every wait.
const LAUNCH_TIMEOUT_MS = 60_000;
const PAGE_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const TOTAL_TIMEOUT_MS = 240_000;

const { chromium } = require(require.resolve("playwright-core", { paths: [path.join(REPO, "labextension"), REPO] }));

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, wait, then SIGKILL: one process, by its id. */
async function stopPid(pid) {
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline && isAlive(pid)) await sleep(100);
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

/**
 * Runs in the page: one record per notebook cell (by its nbconvert anchor id "cell-id=…"), one per output child.
 * `inkFraction` is the share of an image's pixels that differ from white, drawn at natural size on a canvas: a
 * chart that decodes but draws nothing has 0.
 */
function measurePage() {
  const visible = (rect) => rect.width > 0 && rect.height > 0;
  const inkFraction = (img) => {
    const width = img.naturalWidth;
    const height = img.naturalHeight;
    if (!width || !height) return 0;
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    let data;
    try {
      data = context.getImageData(0, 0, width, height).data;
    } catch (error) {
      return `unreadable: ${error.name}`;
    }
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      const alpha = data[i + 3];
      const dark = data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235;
      if (alpha > 0 && dark) ink++;
    }
    return ink / (width * height);
  };
  const measureImage = (element) => {
    const rect = element.getBoundingClientRect();
    const tag = element.tagName.toLowerCase();
    const record = { tag, width: rect.width, height: rect.height, visible: visible(rect) };
    if (record.tag === "img") {
      record.complete = element.complete;
      record.naturalWidth = element.naturalWidth;
      record.naturalHeight = element.naturalHeight;
      record.inkFraction = inkFraction(element);
      record.srcScheme = (element.getAttribute("src") || "").split(":")[0];
    } else {
      record.marks = element.querySelectorAll("path, rect, line, text, circle").length;
    }
    return record;
  };
  const measureTable = (table) => {
    const wrapper = table.closest(".hdmea-arrow, .hdmea-session");
    const bodyRows = Array.from(table.querySelectorAll("tr")).filter((row) => row.querySelector("td"));
    return {
      kind: wrapper ? wrapper.className : null,
      rows: bodyRows.length,
      headerCells: table.querySelectorAll("thead th").length,
      caption: table.caption ? table.caption.textContent : null,
      visible: visible(table.getBoundingClientRect()),
    };
  };
  const cells = Array.from(document.querySelectorAll(".jp-Cell")).map((cell) => ({
    id: (cell.id || "").replace(/^cell-id=/, ""),
    outputs: Array.from(cell.querySelectorAll(".jp-OutputArea-child")).map((child) => {
      const rendered = Array.from(child.querySelectorAll(".jp-OutputArea-output"));
      const rect = child.getBoundingClientRect();
      // Images inside the output (not the prompt); inline <svg> counted only at its outermost level.
      const images = Array.from(child.querySelectorAll(".jp-OutputArea-output img, .jp-OutputArea-output svg"))
        .filter((element) => element.tagName.toLowerCase() === "img" || !element.parentElement.closest("svg"))
        .map(measureImage);
      return {
        mimeTypes: rendered.map((element) => element.getAttribute("data-mime-type")),
        height: rect.height,
        textLength: rendered.map((element) => element.textContent.trim().length).reduce((a, b) => a + b, 0),
        images,
        tables: Array.from(child.querySelectorAll(".jp-OutputArea-output table")).map(measureTable),
      };
    }),
  }));
  const vegaElements = Array.from(
    document.querySelectorAll('[data-mime-type*="vegalite"], [data-mime-type*="vega"], .vega-embed'),
  ).map((element) => ({
    mimeType: element.getAttribute("data-mime-type"),
    height: element.getBoundingClientRect().height,
    children: element.children.length,
  }));
  const text = document.body ? document.body.innerText : "";
  return {
    title: document.title,
    cells,
    vegaElements,
    javascriptErrorText: text.includes("Javascript Error"),
    bodyTextLength: text.length,
  };
}

async function checkPage(context, spec) {
  const page = await context.newPage();
  const result = { name: spec.name, pageErrors: [], consoleErrors: [], blockedRequests: [], failedRequests: [] };
  page.on("pageerror", (error) => result.pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const url = message.location().url || "";
    // The aborted CDN scripts log "Failed to load resource"; they are listed in blockedRequests instead.
    if (result.blockedRequests.includes(url)) return;
    result.consoleErrors.push(message.text());
  });
  page.on("requestfailed", (request) => {
    if (!result.blockedRequests.includes(request.url())) result.failedRequests.push(request.url());
  });
  try {
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      result.blockedRequests.push(url);
      return route.abort("internetdisconnected");
    });
    const started = Date.now();
    await page.goto(pathToFileURL(spec.html).href, { waitUntil: "load", timeout: PAGE_TIMEOUT_MS });
    await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete), null, {
      timeout: PAGE_TIMEOUT_MS,
    });
    result.loadMs = Date.now() - started;
    Object.assign(result, await page.evaluate(measurePage));
    await page.screenshot({ path: spec.screenshot, fullPage: true, timeout: PAGE_TIMEOUT_MS });
    result.screenshot = spec.screenshot;
  } catch (error) {
    result.error = `${error.name}: ${error.message}`;
  } finally {
    await page.close().catch(() => undefined);
  }
  return result;
}

async function main() {
  const [pagesPath, resultsPath] = process.argv.slice(2);
  if (!pagesPath || !resultsPath) throw new Error("usage: node test/static-html/check.cjs PAGES.json RESULTS.json");
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  }
  const pages = JSON.parse(fs.readFileSync(pagesPath, "utf8"));

  let browserServer = null;
  let chromiumPid = null;
  const results = { chromium: CHROMIUM, pages: [] };
  // A pending evaluate or screenshot has no timeout of its own here: closing the browser ends it.
  const watchdog = setTimeout(() => {
    results.error = `the browser session exceeded ${TOTAL_TIMEOUT_MS} ms`;
    if (browserServer) void browserServer.close().catch(() => undefined);
  }, TOTAL_TIMEOUT_MS);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      void (async () => {
        if (browserServer) await browserServer.close().catch(() => undefined);
        await stopPid(chromiumPid);
        process.exit(1);
      })();
    });
  }
  try {
    browserServer = await chromium.launchServer({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      timeout: LAUNCH_TIMEOUT_MS,
    });
    chromiumPid = browserServer.process().pid;
    results.chromiumPid = chromiumPid;
    const browser = await chromium.connect(browserServer.wsEndpoint(), { timeout: LAUNCH_TIMEOUT_MS });
    results.browserVersion = browser.version();
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    for (const spec of pages) results.pages.push(await checkPage(context, spec));
    await browser.close().catch(() => undefined);
  } catch (error) {
    results.error = `${error.name}: ${error.message}`;
  } finally {
    clearTimeout(watchdog);
    if (browserServer) await browserServer.close().catch(() => undefined);
    await stopPid(chromiumPid);
    results.chromiumStopped = chromiumPid ? !isAlive(chromiumPid) : null;
    fs.writeFileSync(resultsPath, JSON.stringify(results, null, 2));
  }
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
