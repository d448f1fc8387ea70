"""What a user leaves behind does not change what the tests run (issue 12 item 3): a user's own notebook in
notebooks/ or in the lab's work folder, an autosaved example in the work folder, and leftover notebooks/output/ and
notebooks/demo-data/ files are planted, then the notebook tests' collection, the folder the examples run in, the
e2e test's server root and one real notebook run are checked against the committed examples alone."""

import json
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import conftest
from conftest import REPO_ROOT, committed_notebooks, nbrun

WORK_DIR = REPO_ROOT / "work"


def failing_notebook(marker: str) -> dict:
    """A notebook whose only cell throws and writes to stderr: if any test ran it, that test would fail."""
    source = f'console.error("{marker}");\nthrow new Error("{marker}");\n'
    return {
        "cells": [{"cell_type": "code", "execution_count": 3, "metadata": {}, "source": source,
                   "outputs": [{"output_type": "stream", "name": "stderr", "text": marker}]}],
        "metadata": {"kernelspec": {"name": "hdmea-ts", "display_name": "HD-MEA (TypeScript)", "language": "typescript"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def git_listed() -> set[str]:
    out = subprocess.run(["git", "ls-files", "--", "notebooks/*.ipynb"], cwd=REPO_ROOT, capture_output=True,
                         text=True, timeout=30, check=True).stdout
    return {Path(line).name for line in out.splitlines() if line.count("/") == 1}


@pytest.fixture
def planted():
    """Plants the user's files (uniquely named, or only where nothing of the user's is) and removes them after."""
    marker = f"user-state-{secrets.token_hex(4)}"
    made: list[Path] = []

    def plant(path: Path, text: str) -> None:
        if path.exists():
            return  # something of the user's own is there already: it plays the part
        created = [p for p in reversed(path.parents) if not p.exists()]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        made.extend(created or [])
        made.append(path)

    bad = json.dumps(failing_notebook(marker))
    plant(REPO_ROOT / "notebooks" / f"zz-{marker}.ipynb", bad)  # a user's notebook among the examples
    plant(WORK_DIR / f"zz-{marker}.ipynb", bad)  # a user's notebook in the lab's work folder
    autosaved = json.loads((REPO_ROOT / "notebooks" / "01-explore-a-recording.ipynb").read_text())
    autosaved["cells"].insert(1, failing_notebook(marker)["cells"][0])
    plant(WORK_DIR / "01-explore-a-recording.ipynb", json.dumps(autosaved))  # an autosaved, edited example
    plant(REPO_ROOT / "notebooks" / "output" / marker / "session.h5", "not an HDF5 file")
    plant(REPO_ROOT / "notebooks" / "demo-data" / "sim-seed1.ground-truth.json", "{ not json")
    try:
        yield marker
    finally:
        for path in reversed(made):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def test_the_tests_select_only_the_committed_examples(planted):
    names = {p.name for p in committed_notebooks()}
    assert names == git_listed() and names, names
    assert not any(planted in name for name in names)
    assert {p.name for p in conftest.notebook_paths()} == names


def test_pytest_collects_the_same_notebook_tests(planted):
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                                "test/test_notebooks.py", "test/test_static_html.py"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    ids = [line for line in collected.stdout.splitlines() if "::" in line]
    stems = {Path(name).stem for name in git_listed()}
    parametrized = {line.split("[", 1)[1].rstrip("]") for line in ids if "[" in line}
    assert parametrized == stems, parametrized ^ stems
    assert planted not in collected.stdout


def test_the_examples_run_in_a_folder_of_committed_copies(planted, tmp_path_factory):
    run_dir = REPO_ROOT / "test-output" / f"examples-{planted}"
    try:
        conftest.prepare_examples(run_dir)
        assert {p.name for p in run_dir.iterdir()} == git_listed()  # no demo-data/, no output/, no user notebook
        for path in committed_notebooks():
            assert (run_dir / path.name).read_bytes() == path.read_bytes()
        # One real run beside the planted files: the committed example still passes, on its own demo data.
        run = nbrun.execute_notebook(run_dir / "01-explore-a-recording.ipynb")
        assert run.ok, "\n".join(run.problems)
        assert (run_dir / "demo-data" / "sim-seed1.cmcr").is_file()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def test_the_e2e_server_root_holds_only_committed_examples(planted):
    script = "console.log(JSON.stringify(require('./test/e2e/labextension.e2e.cjs').committedNotebooks()))"
    out = subprocess.run(["node", "-e", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert {Path(p).name for p in json.loads(out.stdout)} == git_listed()


def test_the_work_folder_keeps_what_the_user_changed(tmp_path):
    work = REPO_ROOT / "test-output" / f"work-{secrets.token_hex(4)}"
    try:
        work.mkdir(parents=True)
        edited = work / "01-explore-a-recording.ipynb"
        edited.write_text("the user's edited copy")
        (work / "my-analysis.ipynb").write_text("the user's own notebook")
        first = subprocess.run(["bash", "scripts/work-folder.sh", str(work)], cwd=REPO_ROOT, capture_output=True,
                               text=True, timeout=60, check=True)
        assert edited.read_text() == "the user's edited copy"
        assert (work / "my-analysis.ipynb").read_text() == "the user's own notebook"
        for name in git_listed() - {edited.name}:
            assert (work / name).read_bytes() == (REPO_ROOT / "notebooks" / name).read_bytes()
        assert f"{len(git_listed()) - 1} example notebook(s) copied in, 1 already there" in first.stdout
        second = subprocess.run(["bash", "scripts/work-folder.sh", str(work)], cwd=REPO_ROOT, capture_output=True,
                                text=True, timeout=60, check=True)
        assert f"0 example notebook(s) copied in, {len(git_listed())} already there" in second.stdout
        outside = subprocess.run(["bash", "scripts/work-folder.sh", str(tmp_path)], cwd=REPO_ROOT,
                                 capture_output=True, text=True, timeout=60)
        assert outside.returncode != 0 and "outside the repository" in outside.stderr
    finally:
        shutil.rmtree(work, ignore_errors=True)
