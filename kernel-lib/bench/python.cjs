// Finds a Python with h5py and numpy for same-run baselines: the project's .venv if it has them, else a cached
// venv in the temp directory, created once from the offline wheelhouse. Returns { python } or { reason }.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const REPO_ROOT = path.join(__dirname, "..", "..");
const CACHED_VENV = path.join(os.tmpdir(), "hdmea-bench-venv");
const WHEELHOUSE = ["--index-url", "file:///opt/pypi/simple", "--extra-index-url", "file:///opt/pypi-more/simple"];

function hasH5py(python) {
  if (!fs.existsSync(python)) return false;
  return spawnSync(python, ["-c", "import h5py, numpy"], { stdio: "ignore", timeout: 60_000 }).status === 0;
}

function findH5pyPython() {
  const projectPython = path.join(REPO_ROOT, ".venv", "bin", "python");
  if (hasH5py(projectPython)) return { python: projectPython };
  const cachedPython = path.join(CACHED_VENV, "bin", "python");
  if (hasH5py(cachedPython)) return { python: cachedPython };
  if (spawnSync("python3", ["--version"], { stdio: "ignore", timeout: 10_000 }).status !== 0) {
    return { reason: "python3 is not installed" };
  }
  fs.rmSync(CACHED_VENV, { recursive: true, force: true });
  const steps = [
    ["python3", ["-m", "venv", CACHED_VENV]],
    [path.join(CACHED_VENV, "bin", "pip"), ["install", "-q", ...WHEELHOUSE, "h5py", "numpy"]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { encoding: "utf8", timeout: 300_000 });
    if (result.status !== 0) {
      return { reason: `could not set up h5py (${command} ${args.join(" ")}: ${(result.stderr || String(result.error)).trim().split("\n").pop()})` };
    }
  }
  return hasH5py(cachedPython) ? { python: cachedPython } : { reason: "h5py did not import after installing it" };
}

module.exports = { findH5pyPython };
