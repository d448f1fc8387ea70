"""Every committed notebook of notebooks/ runs top to bottom in the project's tslab kernel (nbclient, kernelspec
hdmea-ts from JUPYTER_PATH), as a copy in test-output/examples/ (conftest.py), without a failing cell and without a
byte on stderr."""


import re

import nbformat
import pytest

from conftest import EXECUTED_DIR, NOTEBOOKS_DIR, committed_notebooks, notebook_paths, nbrun


SESSION = "application/vnd.hdmea.session.v1+json"
ARROW = "application/vnd.hdmea.arrow.v1+json"
VEGALITE = "application/vnd.vegalite.v5+json"
SVG = "image/svg+xml"
STA = "application/vnd.hdmea.sta.v1+json"
BATCH = "application/vnd.hdmea.batch.v1+json"

# What each example notebook must show (on top of running cleanly).
EXPECTED_MIMETYPES = {
    "00-session-basics": set(),
    "01-explore-a-recording": {SESSION, ARROW, VEGALITE, SVG},
    "02-tweak-sta": {SESSION, ARROW, VEGALITE, SVG, STA},
    "03-checkpoint-and-resume": {SESSION},
    "04-share-with-python": {ARROW},
    "05-write-your-own-step": {SESSION, ARROW},
    "06-batch-and-sweeps": {BATCH, ARROW, VEGALITE, SVG},
    "07-curate-units": {ARROW, VEGALITE, SVG},
    "08-receptive-fields": {SESSION, VEGALITE, SVG},
}


def _display_outputs(notebook):
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") in ("display_data", "update_display_data", "execute_result"):
                yield output


# What tslab prints under a cell whose last expression is a chart or a shown table (issue 12): the chart and table
# functions resolve to nothing once they showed their output, so no notebook may print these.
DEVELOPER_LINES = re.compile(r"Chart\(|^shown: ", re.MULTILINE)


def _stream_texts(notebook):
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = output.get("text", "")
                yield index, "".join(text) if isinstance(text, list) else text


def _developer_lines(notebook) -> list[str]:
    return [f"cell {index}: {text.strip()[:200]}" for index, text in _stream_texts(notebook) if DEVELOPER_LINES.search(text)]


def _problems(run: nbrun.NotebookRun) -> str:
    return f"{run.path.name}:\n" + "\n".join(run.problems)


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_notebook_runs_cleanly(path, kernelspec_ready):
    run = nbrun.execute_notebook(path, output_path=EXECUTED_DIR / path.name)
    assert run.ok, _problems(run)
    code_cells = [cell for cell in run.notebook.cells if cell.cell_type == "code"]
    assert code_cells, f"{path.name} has no code cells"
    assert len(run.reply_status) == len(code_cells)

    printed = _developer_lines(run.notebook)
    assert not printed, f"{path.name} prints a chart or table object under a cell (resolve to nothing once shown): {printed}"

    outputs = list(_display_outputs(run.notebook))
    shown = {mime for output in outputs for mime in output.get("data", {})}
    missing = EXPECTED_MIMETYPES.get(path.stem, set()) - shown
    assert not missing, f"{path.name} shows no output of type {sorted(missing)}"
    for output in outputs:
        data = output.get("data", {})
        if VEGALITE in data:
            assert isinstance(data[VEGALITE], dict), "vega-lite specs must be objects (a string is fetched as a URL)"
            assert "/v5" in data[VEGALITE]["$schema"]
            assert SVG in data and data[SVG].lstrip().startswith("<svg"), "every chart carries its SVG"
            assert "text/html" not in data, "a chart bundle with text/html would show the HTML instead of the chart"
        if SESSION in data:
            assert {"text/html", "text/plain"} <= set(data), "the session card carries its static fallbacks"
            running = [step["name"] for step in data[SESSION]["steps"] if step["status"] == "started"]
            assert not running, f"{path.name}: a saved session card still shows {running} running (a late update was lost)"
        if ARROW in data:
            assert {"text/html", "text/plain"} <= set(data), "tables carry an HTML preview"
        if STA in data:
            assert {VEGALITE, SVG} <= set(data), "the STA viewer's data comes beside the chart and its SVG"


def test_every_example_notebook_has_expectations():
    assert {p.stem for p in committed_notebooks()} == set(EXPECTED_MIMETYPES)


def test_committed_notebooks_print_no_chart_or_table_objects():
    for path in committed_notebooks():
        printed = _developer_lines(nbformat.read(path, as_version=4))
        assert not printed, f"{path.name} was committed with a printed chart or table object: {printed}"


def test_notebooks_folder_has_the_session_basics_example():
    assert (NOTEBOOKS_DIR / "00-session-basics.ipynb").is_file()
