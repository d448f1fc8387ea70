#!/usr/bin/env node
// Builds the prebuilt (federated) extension into labext/ with @jupyter/builder and the core metadata of
// JupyterLab 4.6.4 from @jupyterlab/core-meta: Node only, no Python JupyterLab (jupyter-integration.md §B5).
// The packages are resolved through Node, so the build works whether npm hoisted them or not.
"use strict";
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const builder = require.resolve("@jupyter/builder/lib/build-labextension.js", { paths: [root] });
const corePackage = require.resolve("@jupyterlab/core-meta/core.package.json", { paths: [root] });
const result = spawnSync(process.execPath, [builder, "--core-package-file", corePackage, ...process.argv.slice(2), root], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
