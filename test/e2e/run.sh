#!/usr/bin/env bash
# Runs the JupyterLab end-to-end test of the hdmea labextension (called by scripts/test.sh, after scripts/setup.sh).
# Installs Debian's Chromium first when /usr/bin/chromium is missing (apt, as root or with sudo); playwright-core
# drives that binary and never downloads a browser.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
CHROMIUM="${HDMEA_CHROMIUM:-/usr/bin/chromium}"
APT_TIMEOUT_S=900
E2E_TIMEOUT_S=1000

if [ ! -x "$CHROMIUM" ]; then
  echo "[e2e] installing Debian's chromium (apt)"
  if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo -n); else
    echo "[e2e] ERROR: $CHROMIUM is missing and installing it needs root (or sudo)" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" timeout "$APT_TIMEOUT_S" apt-get update -qq </dev/null
  "${as_root[@]}" timeout "$APT_TIMEOUT_S" apt-get install -y -qq --no-install-recommends chromium </dev/null
fi

# The node script bounds each wait itself; this outer limit only guards against a hang outside them.
timeout --signal=TERM --kill-after=30 "$E2E_TIMEOUT_S" node test/e2e/labextension.e2e.cjs </dev/null
