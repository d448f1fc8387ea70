#!/usr/bin/env bash
# Sets up everything hdmea needs on a fresh clone, and is quick to run again (each part is skipped when it is
# already done):
#   1. system packages (apt) — only when something is missing;
#   2. npm dependencies (`npm ci`, pinned by package-lock.json, including the tslab kernel);
#   3. the hdmea library build (`npm run build`);
#   4. the Python venv `.venv` for notebook execution and HDF5 checks (from the machine's offline wheelhouse,
#      or from Debian packages when there is no wheelhouse);
#   5. the project-local Jupyter kernelspec "HD-MEA (TypeScript)" in jupyter/kernels/hdmea-ts;
#   6. JupyterLab 4.6.4 in the venv with the hdmea labextension installed into it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
VENV="$ROOT/.venv"
WHEELHOUSE="${HDMEA_WHEELHOUSE:-/opt/pypi/simple}"
WHEELHOUSE_MORE="${HDMEA_WHEELHOUSE_MORE:-/opt/pypi-more/simple}"
PY_PACKAGES=(nbclient nbformat nbconvert jupyter_client ipykernel h5py numpy pytest pyarrow pandas cryptography)
PY_IMPORTS="import nbclient, nbformat, nbconvert, jupyter_client, ipykernel, h5py, numpy, pytest, pyarrow, pandas, cryptography"
APT_TIMEOUT_S=900
NPM_TIMEOUT_S=900
PIP_TIMEOUT_S=900

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo -n "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

apt_install() {
  log "installing with apt: $*"
  export DEBIAN_FRONTEND=noninteractive
  as_root timeout "$APT_TIMEOUT_S" apt-get update -qq </dev/null
  as_root timeout "$APT_TIMEOUT_S" apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

# 1. System packages. Node comes from the machine image: Debian's own nodejs (18) is too old for the workspace.
missing=()
command -v git >/dev/null || missing+=(git)
command -v python3 >/dev/null || missing+=(python3)
# Headless Chromium for the static-HTML and JupyterLab end-to-end tests (Debian's build; never a downloaded one).
[ -x /usr/bin/chromium ] || missing+=(chromium)
# A real one-node SLURM (with munge) for the batch tests: test/slurm_cluster.py starts its own daemons.
[ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && command -v sbatch >/dev/null || missing+=(slurm-wlm)
[ -x /usr/sbin/munged ] || missing+=(munge)
if [ ! -d "$WHEELHOUSE" ]; then
  # No wheelhouse: the venv is built on Debian's Python packages instead.
  for pkg in python3-venv python3-nbclient python3-nbformat python3-nbconvert python3-jupyter-client python3-ipykernel \
             python3-h5py python3-numpy python3-pytest python3-cryptography; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
elif command -v python3 >/dev/null && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  missing+=(python3-venv)
fi
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; else log "system packages: all present"; fi

command -v node >/dev/null || die "Node.js >= 20.19 is required (not found on PATH)."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  die "Node.js >= 20.19 is required, found $(node --version)."

# 2. npm dependencies, reinstalled only when the lockfile, a package.json or the Node version changed.
stamp="$ROOT/node_modules/.hdmea-setup-stamp"
want_stamp="$(cat package-lock.json package.json kernel-lib/package.json labextension/package.json | sha256sum | cut -d' ' -f1) $(node --version)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ] && [ -x node_modules/.bin/tslab ]; then
  log "npm dependencies: up to date"
else
  log "npm ci"
  timeout "$NPM_TIMEOUT_S" npm ci --no-audit --no-fund </dev/null
  printf '%s' "$want_stamp" >"$stamp"
fi

# 3. The library the notebooks import (node_modules/hdmea -> kernel-lib, main = dist/index.js).
log "npm run build"
npm run --silent build </dev/null

# 4. Python venv.
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "$PY_IMPORTS" 2>/dev/null; then
  log "python venv: up to date ($VENV)"
else
  rm -rf "$VENV"
  pip_log="$(mktemp)"
  if [ -d "$WHEELHOUSE" ]; then
    log "python venv from the wheelhouse $WHEELHOUSE"
    python3 -m venv "$VENV"
    extra=()
    [ -d "$WHEELHOUSE_MORE" ] && extra=(--extra-index-url "file://$WHEELHOUSE_MORE")
    if ! timeout "$PIP_TIMEOUT_S" "$VENV/bin/pip" install -q --disable-pip-version-check \
        --index-url "file://$WHEELHOUSE" "${extra[@]}" "${PY_PACKAGES[@]}" >"$pip_log" 2>&1 </dev/null; then
      cat "$pip_log" >&2
      die "pip install failed"
    fi
  else
    log "python venv on Debian's Python packages (no wheelhouse at $WHEELHOUSE)"
    /usr/bin/python3 -m venv --system-site-packages "$VENV"
  fi
  rm -f "$pip_log"
  "$VENV/bin/python" -c "$PY_IMPORTS" || die "the venv at $VENV lacks one of: ${PY_PACKAGES[*]}"
fi

# 5. Kernelspec (absolute paths of this machine, hence generated).
node scripts/kernelspec.cjs

# 6. JupyterLab 4.6.4 + the built labextension in the venv (labextension issue; see labextension/README.md).
bash labextension/scripts/setup-jupyterlab.sh "$VENV"
