"""The example notebook 00-session-basics, run twice in a row, then its saved HDF5 files read back with h5py."""

import shutil

import h5py
import numpy as np
import pytest

from conftest import EXECUTED_DIR, examples_dir, nbrun

NOTEBOOK = examples_dir() / "00-session-basics.ipynb"
OUTPUT_DIR = examples_dir() / "output" / "00-session-basics"
SAVED = OUTPUT_DIR / "demo-session-basics.h5"
CHECKPOINT = OUTPUT_DIR / "after-setup.h5"
DURATION_S = 10


@pytest.fixture(scope="module")
def runs(kernelspec_ready):
    """Two runs in a row from a missing output folder, so no file of an earlier test run can be checked."""
    shutil.rmtree(OUTPUT_DIR, ignore_errors=True)
    first = nbrun.execute_notebook(NOTEBOOK)
    second = nbrun.execute_notebook(NOTEBOOK, output_path=EXECUTED_DIR / "00-session-basics.rerun.ipynb")
    return first, second


def text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def test_second_run_writes_nothing_to_stderr(runs):
    first, second = runs
    assert first.ok, "\n".join(first.problems)
    assert second.ok, "\n".join(second.problems)
    assert second.stream_text("stderr") == ""


def test_notebook_prints_where_the_file_was_saved(runs):
    _, second = runs
    assert f"Saved session file: {SAVED}" in second.stream_text("stdout")


def test_saved_file_layout(runs):
    with h5py.File(SAVED, "r") as f:
        assert text(f.attrs["dataset_id"]) == "demo-session-basics"

        steps = f["pipeline/session_info/completed_steps"]
        info = h5py.check_string_dtype(steps.dtype)
        assert info is not None and info.length is None, f"completed_steps is not vlen text: {steps.dtype}"
        assert info.encoding == "utf-8"
        assert steps.ndim == 1
        assert sorted(steps.asstr()[:]) == ["add_unit_004", "mean_rate"]

        assert sorted(f["units"].keys()) == ["unit_001", "unit_002", "unit_003", "unit_004"]
        for unit_id, unit in f["units"].items():
            spikes = unit["spike_times"]
            assert spikes.dtype == np.uint64, f"{unit_id}/spike_times is {spikes.dtype}"
            values = spikes[:]
            assert values.size > 0 and np.all(np.diff(values.astype(np.int64)) >= 0)
            assert values.max() < DURATION_S * 20_000
            rate = unit["features/mean_rate/data"]
            assert rate.shape == ()
            assert rate[()] == pytest.approx(values.size / DURATION_S)

        assert f["metadata/acquisition_rate"].shape == ()
        assert f["metadata/acquisition_rate"][()] == 20_000


def test_checkpoint_file_holds_the_state_before_resume(runs):
    with h5py.File(CHECKPOINT, "r") as f:
        assert text(f["pipeline/session_info"].attrs["checkpoint_name"]) == "after-setup"
        assert sorted(f["units"].keys()) == ["unit_001", "unit_002", "unit_003"]
        assert list(f["pipeline/session_info/completed_steps"].asstr()[:]) == ["mean_rate"]
    with h5py.File(SAVED, "r") as saved, h5py.File(CHECKPOINT, "r") as checkpoint:
        for unit_id in checkpoint["units"]:
            np.testing.assert_array_equal(saved[f"units/{unit_id}/spike_times"][:], checkpoint[f"units/{unit_id}/spike_times"][:])
