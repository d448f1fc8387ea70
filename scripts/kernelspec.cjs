#!/usr/bin/env node
// Writes the project's Jupyter kernelspec "HD-MEA (TypeScript)" into a project-local Jupyter data folder
// (`<repo>/jupyter/kernels/hdmea-ts/kernel.json`). Jupyter finds it when JUPYTER_PATH names `<repo>/jupyter`, so
// nothing is registered globally and no Python is needed. The file holds absolute paths of this machine (the
// Node that installed the dependencies and the project's pinned tslab), which is why it is generated, not
// committed.
//
// Usage: node scripts/kernelspec.cjs [--check]
//   --check  exit 1 (without writing) when the kernelspec is missing or out of date.
"use strict";

const fs = require("fs");
const path = require("path");

const KERNEL_NAME = "hdmea-ts";
const DISPLAY_NAME = "HD-MEA (TypeScript)";

const repoRoot = path.resolve(__dirname, "..");
const jupyterPath = path.join(repoRoot, "jupyter");
const kernelDir = path.join(jupyterPath, "kernels", KERNEL_NAME);
const tslabBin = path.join(repoRoot, "node_modules", ".bin", "tslab");

function fail(message) {
  process.stderr.write(`kernelspec: ${message}\n`);
  process.exit(1);
}

function pinnedTslabVersion() {
  const rootPackage = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
  return (rootPackage.devDependencies || {}).tslab;
}

function installedTslabVersion() {
  const file = path.join(repoRoot, "node_modules", "tslab", "package.json");
  if (!fs.existsSync(file) || !fs.existsSync(tslabBin)) return null;
  return JSON.parse(fs.readFileSync(file, "utf8")).version;
}

/**
 * The kernel process's environment: glibc's malloc asks for transparent huge pages for its large blocks (glibc
 * ≥ 2.35; older ones ignore the setting), as numpy does for its arrays. A 256 MB session then takes ~130 page faults
 * to load instead of ~65 000 (on these VMs first-touching fresh memory costs ~0.75 s per 256 MB otherwise).
 */
const KERNEL_ENV = Object.freeze({ GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" });

function kernelJson(tslabVersion) {
  // The Node binary is named explicitly: a Jupyter server started from another environment may have a different
  // (or no) `node` on PATH, and zeromq's prebuilt addon must match the Node ABI it was installed for.
  return {
    argv: [process.execPath, tslabBin, "kernel", "--config-path", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    env: { ...KERNEL_ENV },
    metadata: { hdmea: { tslab: tslabVersion, generatedBy: "scripts/kernelspec.cjs" } },
  };
}

function main() {
  const pinned = pinnedTslabVersion();
  const installed = installedTslabVersion();
  if (installed === null) fail(`tslab is not installed in ${repoRoot}/node_modules; run "npm ci" first.`);
  if (installed !== pinned) {
    fail(`node_modules has tslab ${installed} but package.json pins ${pinned}; run "npm ci" to install the pinned one.`);
  }
  const text = JSON.stringify(kernelJson(installed), null, 2) + "\n";
  const file = path.join(kernelDir, "kernel.json");
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  if (process.argv.includes("--check")) {
    if (current !== text) fail(`${file} is missing or out of date; run "node scripts/kernelspec.cjs".`);
    return;
  }
  if (current !== text) {
    fs.mkdirSync(kernelDir, { recursive: true });
    fs.writeFileSync(file, text);
  }
  process.stdout.write(`Kernelspec "${DISPLAY_NAME}" (${KERNEL_NAME}, tslab ${installed}): ${file}\n`);
  process.stdout.write(`Use it with: export JUPYTER_PATH=${jupyterPath}\n`);
}

module.exports = { KERNEL_ENV };
if (require.main === module) main();
