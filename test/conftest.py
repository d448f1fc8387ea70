"""Shared fixtures of the cross-package tests: the repository's folders and the notebook runner.

The tests run only the committed example notebooks (`git ls-files notebooks/*.ipynb`), and never in notebooks/
itself: each pytest process copies them once into test-output/examples/ (inside the repository, so the kernel
resolves `hdmea` and `tslab` from the root node_modules) and runs the copies there, where the first notebook
simulates its own demo-data/. A user's notebook, an autosaved example, or a leftover notebooks/output/ or
notebooks/demo-data/ therefore never reach a test (issue 12 item 3).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import nbrun  # noqa: E402  (lives in scripts/, shared with scripts/main.sh)

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
EXECUTED_DIR = REPO_ROOT / "test-output" / "notebooks"
EXAMPLES_RUN_DIR = REPO_ROOT / "test-output" / "examples"


def committed_notebooks() -> list[Path]:
    """The example notebooks git tracks in notebooks/ (their working-tree files), in name order."""
    listed = subprocess.run(["git", "ls-files", "-z", "--", "notebooks/*.ipynb"], cwd=REPO_ROOT, capture_output=True,
                            timeout=30, check=True).stdout.decode()
    paths = sorted(REPO_ROOT / name for name in listed.split("\0") if name and "/" not in name[len("notebooks/"):])
    if not paths:
        raise RuntimeError("git lists no notebooks/*.ipynb: the tests need a git checkout of the repository")
    return paths


def notebook_paths() -> list[Path]:
    """What the tests run: copies of the committed examples in test-output/examples/, never notebooks/ itself."""
    run_dir = examples_dir()
    return [run_dir / path.name for path in committed_notebooks()]


_examples_ready = False


def prepare_examples(run_dir: Path) -> None:
    """A fresh `run_dir` holding a copy of each committed example notebook and nothing else."""
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    for path in committed_notebooks():
        shutil.copyfile(path, run_dir / path.name)


def examples_dir() -> Path:
    """The folder the example notebooks run in, prepared once per test process."""
    global _examples_ready
    if not _examples_ready:
        prepare_examples(EXAMPLES_RUN_DIR)
        _examples_ready = True
    return EXAMPLES_RUN_DIR


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
