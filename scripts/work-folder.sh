#!/usr/bin/env bash
# Prepares the folder JupyterLab works in (scripts/main.sh): `work/` at the repository root by default, git-ignored.
# The committed example notebooks are copied in when they are missing there and never overwritten afterwards, so
# what a user runs, edits and autosaves stays in the work folder and notebooks/ keeps the committed examples the
# tests run. The folder must be inside the repository: the tslab kernel resolves `hdmea` and `tslab` (and their
# type declarations) from the node_modules folders above the notebook's folder.
#   bash scripts/work-folder.sh [FOLDER]     (default: $HDMEA_WORK_DIR, else work/)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
work="${1:-${HDMEA_WORK_DIR:-$ROOT/work}}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
case "$work/" in
  "$ROOT"/notebooks/*) echo "[work] ERROR: the work folder $work is inside notebooks/, which holds the committed examples; choose another" >&2; exit 1 ;;
  "$ROOT"/*) ;;
  *) echo "[work] ERROR: the work folder $work is outside the repository $ROOT: notebooks there cannot import hdmea" >&2; exit 1 ;;
esac

# The committed examples (git's list on a checkout; every notebooks/*.ipynb in an unpacked archive).
if examples="$(git ls-files -- 'notebooks/*.ipynb' 2>/dev/null)" && [ -n "$examples" ]; then :; else
  examples="$(cd "$ROOT" && ls notebooks/*.ipynb)"
fi
copied=0
kept=0
while IFS= read -r example; do
  case "$example" in notebooks/*/*) continue ;; esac
  name="$(basename "$example")"
  if [ -e "$work/$name" ]; then
    kept=$((kept + 1))
  else
    cp "$ROOT/$example" "$work/$name"
    copied=$((copied + 1))
  fi
done <<<"$examples"
printf '[work] %s: %d example notebook(s) copied in, %d already there (kept as they are)\n' "$work" "$copied" "$kept"
