#!/usr/bin/env bash
# Puts JupyterLab 4.6.4 and the built hdmea labextension into the project's venv (called by scripts/setup.sh).
#   1. `pip install jupyterlab==4.6.4` from the machine's offline wheelhouse, unless the venv already has 4.6.4;
#   2. copies labextension/labext (built by `npm run build`) to .venv/share/jupyter/labextensions/hdmea-labextension.
# Without a wheelhouse (Debian has no JupyterLab package) step 1 is skipped with a note; the e2e test then says so.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
VENV="${1:-.venv}"
JUPYTERLAB_VERSION="4.6.4"
WHEELHOUSE="${HDMEA_WHEELHOUSE:-/opt/pypi/simple}"
WHEELHOUSE_MORE="${HDMEA_WHEELHOUSE_MORE:-/opt/pypi-more/simple}"
PIP_TIMEOUT_S=900

log() { printf '[setup] %s\n' "$*"; }

have="$("$VENV/bin/python" -c 'import jupyterlab; print(jupyterlab.__version__)' 2>/dev/null || true)"
if [ "$have" = "$JUPYTERLAB_VERSION" ]; then
  log "JupyterLab $JUPYTERLAB_VERSION: present in $VENV"
elif [ -d "$WHEELHOUSE" ]; then
  log "JupyterLab $JUPYTERLAB_VERSION from the wheelhouse $WHEELHOUSE"
  extra=()
  [ -d "$WHEELHOUSE_MORE" ] && extra=(--extra-index-url "file://$WHEELHOUSE_MORE")
  pip_log="$(mktemp)"
  if ! timeout "$PIP_TIMEOUT_S" "$VENV/bin/pip" install -q --disable-pip-version-check \
      --index-url "file://$WHEELHOUSE" "${extra[@]}" "jupyterlab==$JUPYTERLAB_VERSION" >"$pip_log" 2>&1 </dev/null; then
    cat "$pip_log" >&2
    rm -f "$pip_log"
    echo "[setup] ERROR: pip install jupyterlab==$JUPYTERLAB_VERSION failed" >&2
    exit 1
  fi
  rm -f "$pip_log"
else
  log "JupyterLab: no wheelhouse at $WHEELHOUSE, not installed (the end-to-end test needs it)"
fi

node labextension/scripts/install.cjs "$VENV"
