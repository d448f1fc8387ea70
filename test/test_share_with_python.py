"""Notebook 04 promises a colleague a few lines of Python: this runs exactly the ```python block of the notebook
against the files the notebook wrote, and checks that pyarrow reads the same rows from the Arrow file that the
HDF5 file holds."""

import contextlib
import io
import json
import os
import re

import h5py
import pyarrow.ipc

from conftest import EXECUTED_DIR, examples_dir, nbrun

NOTEBOOK = examples_dir() / "04-share-with-python.ipynb"


def python_block(notebook_path):
    cells = json.loads(notebook_path.read_text())["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            match = re.search(r"```python\n(.*?)```", "".join(cell["source"]), re.S)
            if match:
                return match.group(1)
    raise AssertionError(f"{notebook_path.name} has no ```python block")


def test_the_python_block_of_notebook_04_runs_on_its_files(kernelspec_ready):
    run = nbrun.execute_notebook(NOTEBOOK, output_path=EXECUTED_DIR / NOTEBOOK.name)
    assert run.ok, "\n".join(run.problems)
    printed = io.StringIO()
    cwd = os.getcwd()
    os.chdir(NOTEBOOK.parent)
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(python_block(NOTEBOOK), "04-share-with-python.ipynb", "exec"), {})
    finally:
        os.chdir(cwd)
    text = printed.getvalue()
    assert "spikes, first at" in text and "load_recording" in text
    assert "unit_001" in text


def test_arrow_rows_match_the_hdf5_file(kernelspec_ready):
    out = NOTEBOOK.parent / "output" / "04-share"
    if not (out / "units.arrow").exists():
        run = nbrun.execute_notebook(NOTEBOOK, output_path=EXECUTED_DIR / NOTEBOOK.name)
        assert run.ok, "\n".join(run.problems)
    table = pyarrow.ipc.open_file(str(out / "units.arrow")).read_all()
    rows = table.to_pylist()
    with h5py.File(out / "session.h5", "r") as f:
        unit_ids = list(f["units"].keys())
        assert [row["unit_id"] for row in rows] == unit_ids
        for row in rows:
            unit = f["units"][row["unit_id"]]
            assert row["spike_count"] == len(unit["spike_times"])
            assert row["row"] == unit.attrs["row"] and row["col"] == unit.attrs["col"]
            flag = unit["features/step_up/data/on_response_flag"]
            assert flag.attrs["hdmea_type"] == "bool"
            assert row["step_up.on_response_flag"] == bool(flag[()])
