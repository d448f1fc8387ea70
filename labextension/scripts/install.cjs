#!/usr/bin/env node
// Installs the built extension into a Jupyter environment by copying labext/ to
// <prefix>/share/jupyter/labextensions/hdmea-labextension (jupyter-integration.md §B6): no Python, no rebuild of
// JupyterLab. The previous copy is replaced as a whole, so no stale chunks remain.
//
//   node labextension/scripts/install.cjs <prefix>      e.g. .venv, or `python -c 'import sys; print(sys.prefix)'`
"use strict";
const fs = require("fs");
const path = require("path");

const PACKAGE_ROOT = path.resolve(__dirname, "..");
const BUILT = path.join(PACKAGE_ROOT, "labext");

function fail(message) {
  console.error(`[hdmea-labextension] ${message}`);
  process.exit(1);
}

const prefixArg = process.argv[2];
if (!prefixArg || prefixArg === "-h" || prefixArg === "--help") {
  fail("usage: node labextension/scripts/install.cjs <jupyter prefix> (for example .venv)");
}
const builtPackage = path.join(BUILT, "package.json");
if (!fs.existsSync(builtPackage)) fail(`${BUILT} is missing: run \`npm run build -w hdmea-labextension\` first.`);
const { name, version } = JSON.parse(fs.readFileSync(builtPackage, "utf8"));
const prefix = path.resolve(prefixArg);
if (!fs.existsSync(prefix)) fail(`the prefix ${prefix} does not exist.`);

const labextensions = path.join(prefix, "share", "jupyter", "labextensions");
const target = path.join(labextensions, name);
const staging = path.join(labextensions, `.${name}.installing-${process.pid}`);
fs.mkdirSync(labextensions, { recursive: true });
fs.rmSync(staging, { recursive: true, force: true });
fs.cpSync(BUILT, staging, { recursive: true });
fs.writeFileSync(
  path.join(staging, "install.json"),
  JSON.stringify(
    {
      packageManager: "npm",
      packageName: name,
      uninstallInstructions: `Remove the folder ${target}`,
    },
    null,
    2,
  ) + "\n",
);
// Swap in the complete copy at the end, so JupyterLab never sees a half-copied extension.
fs.rmSync(target, { recursive: true, force: true });
fs.renameSync(staging, target);
console.log(`[hdmea-labextension] installed ${name} ${version} into ${target}`);
