#!/usr/bin/env bash
# The main job: set everything up, prepare the work folder (work/, git-ignored: the example notebooks are copied in
# on first start and never overwritten), write the demo recording there, and launch JupyterLab 4.6.4 on it with the
# project's kernel "HD-MEA (TypeScript)" and the hdmea extension. notebooks/ keeps the committed examples untouched
# (the tests run those). Prints the URL with its token; stop JupyterLab with Ctrl+C.
#   HDMEA_PORT      first port to try (default 8888; the next free one is used)
#   HDMEA_IP        address to listen on (default 127.0.0.1)
#   HDMEA_WORK_DIR  the work folder (default work/; it must be inside the repository)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
bash scripts/setup.sh

[ -x .venv/bin/jupyter-lab ] || { echo "[main] ERROR: JupyterLab is not installed in .venv (see scripts/setup.sh)" >&2; exit 1; }

WORK="${HDMEA_WORK_DIR:-$ROOT/work}"
bash scripts/work-folder.sh "$WORK"
WORK="$(cd "$WORK" && pwd)"

printf '\n[main] demo recording (simulated on first use, a few seconds)\n'
(cd "$WORK" && node -e '
  require("hdmea").demoRecording().then((rec) => console.log(`[main]   ${rec.cmcrPath}\n[main]   ${rec.cmtrPath}`));
')

# The project's own Jupyter folders: the kernelspec (jupyter/kernels, written by setup.sh) and a config that turns
# off JupyterLab's debugger, which tslab does not support (it would report an error on every cell run).
export JUPYTER_PATH="$ROOT/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_CONFIG_DIR="$ROOT/jupyter/config"
mkdir -p "$JUPYTER_CONFIG_DIR/labconfig"
printf '{"disabledExtensions": {"@jupyterlab/debugger-extension": true}}\n' > "$JUPYTER_CONFIG_DIR/labconfig/page_config.json"

ip="${HDMEA_IP:-127.0.0.1}"
port="$(.venv/bin/python - "${HDMEA_PORT:-8888}" "$ip" <<'PY'
import socket, sys
start, ip = int(sys.argv[1]), sys.argv[2]
for port in range(start, start + 100):
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            continue
        print(port)
        break
PY
)"
token="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(24))')"
extra=()
[ "$(id -u)" = "0" ] && extra+=(--allow-root)

printf '\n[main] JupyterLab on %s — open:\n\n    http://%s:%s/lab?token=%s\n\n' "$WORK" "$ip" "$port" "$token"
printf '[main] start with 01-explore-a-recording.ipynb; stop with Ctrl+C\n\n'
exec .venv/bin/jupyter-lab --no-browser --ip="$ip" --port="$port" --IdentityProvider.token="$token" \
  --ServerApp.root_dir="$WORK" --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
  --LabApp.extension_manager=readonly \
  "${extra[@]}"
