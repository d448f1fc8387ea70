"""Shared fixtures of the cross-package tests: the repository's folders and the notebook runner."""

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import nbrun  # noqa: E402  (lives in scripts/, shared with scripts/main.sh)

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
EXECUTED_DIR = REPO_ROOT / "test-output" / "notebooks"


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.fixture(scope="session")
def kernelspec_ready() -> None:
    kernel_json = nbrun.JUPYTER_DIR / "kernels" / nbrun.KERNEL_NAME / "kernel.json"
    if not kernel_json.is_file():
        pytest.fail(f"{kernel_json} is missing: run `bash scripts/setup.sh` first.")


SESSION_IO = REPO_ROOT / "test" / "session_io.cjs"


def run_node(*args: str, timeout: float = 120):
    """Runs test/session_io.cjs (write or read a session) with the built hdmea library."""
    import subprocess

    return subprocess.run(["node", str(SESSION_IO), *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=timeout, check=True)


@pytest.fixture
def node():
    return run_node
