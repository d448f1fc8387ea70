#!/usr/bin/env bash
# The main job: set everything up, then execute the example notebook headlessly in the project's tslab kernel and
# print where its saved session file is. (A later step turns this into a JupyterLab launch on notebooks/.)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

notebook="notebooks/00-session-basics.ipynb"
executed_dir="artifacts/executed-notebooks"
printf '\n[main] executing %s with the kernel "HD-MEA (TypeScript)"\n' "$notebook"
.venv/bin/python scripts/nbrun.py "$notebook" --out "$executed_dir"

saved="$(pwd)/notebooks/output/00-session-basics/demo-session-basics.h5"
[ -f "$saved" ] || { echo "[main] ERROR: the notebook did not save $saved" >&2; exit 1; }
printf '\n[main] saved session file: %s\n' "$saved"
printf '[main] executed notebook:    %s\n' "$(pwd)/$executed_dir/$(basename "$notebook")"
