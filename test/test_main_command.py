"""The README's main command (`bash scripts/main.sh`) sets up, prepares the work folder, writes the demo recording
there and serves JupyterLab on it with the project kernel and the hdmea extension: started here on a free port with
a fresh work folder under test-output/ (a user's work/ is never touched), checked over HTTP, then stopped."""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request

from conftest import REPO_ROOT

START_TIMEOUT_S = 420


def test_main_command_serves_jupyterlab_with_the_kernel_and_extension(tmp_path):
    log_path = tmp_path / "main.log"
    work = REPO_ROOT / "test-output" / "main-work"
    shutil.rmtree(work, ignore_errors=True)
    env = dict(os.environ, HDMEA_PORT="18931", HDMEA_WORK_DIR=str(work))
    with open(log_path, "w") as log:
        process = subprocess.Popen(["bash", "scripts/main.sh"], cwd=REPO_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        url = None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and process.poll() is None:
            text = log_path.read_text()
            match = re.search(r"(http://127\.0\.0\.1:\d+)/lab\?token=([0-9a-f]+)", text)
            if match and "is running at" in text:
                url = match
                break
            time.sleep(1)
        assert url, f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}"
        base, token = url.group(1), url.group(2)
        headers = {"Authorization": f"token {token}"}

        def get(path):
            request = urllib.request.Request(base + path, headers=headers)
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()

        status, kernelspecs = get("/api/kernelspecs")
        assert status == 200 and '"hdmea-ts"' in kernelspecs and "HD-MEA (TypeScript)" in kernelspecs
        status, page = get("/lab")
        assert status == 200 and "hdmea-labextension" in page
        status, contents = get("/api/contents")
        assert status == 200 and "01-explore-a-recording.ipynb" in contents
        assert (work / "demo-data" / "sim-seed1.cmcr").is_file()
        assert (work / "01-explore-a-recording.ipynb").read_bytes() == (REPO_ROOT / "notebooks" / "01-explore-a-recording.ipynb").read_bytes()
        assert f"JupyterLab on {work}" in log_path.read_text()
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
