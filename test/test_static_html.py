"""Every executed notebook still shows its charts and tables where no extension runs: converted to HTML with
nbconvert (HTMLExporter, default template, as nbviewer does) and opened in headless Chromium, every chart is a
loaded, non-blank image and every Arrow table and session card an HTML table with rows.

The executed copies in test-output/notebooks/ (written by test_notebooks.py) are reused when they are newer than
their notebook and the built library; otherwise the notebook is executed here, so this test also runs alone. The
HTML pages and a full-page screenshot of each are kept in test-output/static-html/. One Chromium
(test/static-html/check.cjs, playwright-core driving /usr/bin/chromium) measures every page; the assertions are
here, per notebook, cell and output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

from conftest import EXECUTED_DIR, REPO_ROOT, notebook_paths, nbrun

SESSION = "application/vnd.hdmea.session.v1+json"
ARROW = "application/vnd.hdmea.arrow.v1+json"
VEGALITE = "application/vnd.vegalite.v5+json"
SVG = "image/svg+xml"
HTML = "text/html"

STATIC_DIR = REPO_ROOT / "test-output" / "static-html"
CHECK_SCRIPT = REPO_ROOT / "test" / "static-html" / "check.cjs"
LIBRARY_DIST = REPO_ROOT / "kernel-lib" / "dist"
CHROMIUM = Path(os.environ.get("HDMEA_CHROMIUM", "/usr/bin/chromium"))
CHECK_TIMEOUT_S = 300  # check.cjs bounds its own waits (240 s for the whole browser session)

# A chart must draw something: the share of its pixels that are not white. An empty vega-lite SVG (axes missing,
# no marks) is pure white; the lightest chart in the examples is around 5 %.
MIN_CHART_INK = 0.005


@dataclass(frozen=True)
class Expected:
    """What one output of the executed notebook must look like in the static page."""

    cell_id: str
    index: int  # position among the cell's outputs
    kind: str  # "chart", "table", "session", "display" (another rich output) or "stream"
    data: dict


def classify(output: dict) -> str:
    if output.get("output_type") not in ("display_data", "execute_result"):
        return "stream" if output.get("output_type") == "stream" else output.get("output_type", "?")
    data = output.get("data", {})
    if VEGALITE in data:
        return "chart"
    if ARROW in data:
        return "table"
    if SESSION in data:
        return "session"
    return "display"


def expected_outputs(notebook: nbformat.NotebookNode) -> list[Expected]:
    expected = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for index, output in enumerate(cell.get("outputs", [])):
            expected.append(Expected(cell.get("id", ""), index, classify(output), dict(output.get("data", {}))))
    return expected


def _newest_mtime(folder: Path) -> float:
    if not folder.is_dir():
        return 0.0
    return max((p.stat().st_mtime for p in folder.rglob("*.js")), default=0.0)


def executed_notebook(path: Path) -> tuple[nbformat.NotebookNode, list[str]]:
    """The executed copy of `path` (reused when fresh, else executed now) and the problems of a run made here."""
    copy = EXECUTED_DIR / path.name
    fresh_after = max(path.stat().st_mtime, _newest_mtime(LIBRARY_DIST))
    if copy.is_file() and copy.stat().st_mtime >= fresh_after:
        return nbformat.read(copy, as_version=4), []
    run = nbrun.execute_notebook(path, output_path=copy)
    return run.notebook, run.problems


def to_html(notebook: nbformat.NotebookNode, html_path: Path) -> None:
    body, _resources = HTMLExporter().from_notebook_node(notebook)
    html_path.write_text(body, encoding="utf-8")


BLANK_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">'
             '<rect width="300" height="200" fill="white"/></svg>')
CONTROL = "negative-control"


def broken_copy(notebook: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, dict[tuple[str, int], str]]:
    """A copy of `notebook` with one chart blank, one chart without its SVG, one table without rows, a session card
    without its HTML, and a script that throws and shows nothing: what the checks must catch, as
    {(cell id, output index): part of the expected problem}."""
    broken = nbformat.from_dict(json.loads(json.dumps(notebook)))
    breaks = {
        "chart": [lambda data: data.update({SVG: BLANK_SVG}) or "is blank",
                  lambda data: data.pop(SVG) and "expected the image/svg+xml fallback"],
        "table": [lambda data: data.update({HTML: '<div class="hdmea-arrow"><table><tbody></tbody></table></div>'})
                  or "0 table rows"],
        "session": [lambda data: data.pop(HTML) and "expected the text/html fallback"],
    }
    wanted: dict[tuple[str, int], str] = {}
    for expected in expected_outputs(broken):
        if breaks.get(expected.kind):
            cell = next(c for c in broken.cells if c.get("id") == expected.cell_id)
            wanted[(expected.cell_id, expected.index)] = breaks[expected.kind].pop(0)(cell.outputs[expected.index].data)
    missing = [kind for kind, left in breaks.items() if left]
    assert not missing, f"the control notebook lacks outputs of kind {missing}"
    broken.cells.append(nbformat.v4.new_code_cell("", id="control-script", outputs=[nbformat.v4.new_output(
        "display_data", data={"application/javascript": 'throw new Error("negative control");', "text/plain": "js"})]))
    wanted[("control-script", 0)] = "an empty output"
    return broken, wanted


@dataclass
class StaticPage:
    name: str
    notebook: nbformat.NotebookNode
    expected: list[Expected]
    run_problems: list[str]
    html: Path
    screenshot: Path
    measured: dict


@pytest.fixture(scope="session")
def static_pages(kernelspec_ready) -> dict[str, StaticPage]:
    """Every notebook executed, converted and measured in one Chromium session."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install chromium`) "
                    "or point HDMEA_CHROMIUM at a Chromium binary.")
    shutil.rmtree(STATIC_DIR, ignore_errors=True)
    STATIC_DIR.mkdir(parents=True)
    pages: dict[str, StaticPage] = {}
    for path in notebook_paths():
        notebook, problems = executed_notebook(path)
        html_path = STATIC_DIR / f"{path.stem}.html"
        to_html(notebook, html_path)
        pages[path.stem] = StaticPage(path.stem, notebook, expected_outputs(notebook), problems, html_path,
                                      STATIC_DIR / f"{path.stem}.png", {})

    # A broken copy of the notebook that shows every kind: the checks below must find each break in it.
    source = next(page for page in pages.values()
                  if {"chart", "table", "session"} <= {e.kind for e in page.expected}
                  and sum(e.kind == "chart" for e in page.expected) >= 2)
    control, breaks = broken_copy(source.notebook)
    to_html(control, STATIC_DIR / f"{CONTROL}.html")
    pages[CONTROL] = StaticPage(CONTROL, control, expected_outputs(control), [], STATIC_DIR / f"{CONTROL}.html",
                                STATIC_DIR / f"{CONTROL}.png", {"breaks": breaks})

    pages_json = STATIC_DIR / "pages.json"
    results_json = STATIC_DIR / "results.json"
    pages_json.write_text(json.dumps([
        {"name": page.name, "html": str(page.html), "screenshot": str(page.screenshot)} for page in pages.values()
    ], indent=2))
    completed = subprocess.run(["node", str(CHECK_SCRIPT), str(pages_json), str(results_json)], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=CHECK_TIMEOUT_S)
    assert completed.returncode == 0 and results_json.is_file(), (
        f"check.cjs failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    results = json.loads(results_json.read_text())
    assert not results.get("error"), f"Chromium session: {results['error']}"
    assert results.get("chromiumStopped") is True, f"Chromium (pid {results.get('chromiumPid')}) is still running"
    for measured in results["pages"]:
        pages[measured["name"]].measured = {**pages[measured["name"]].measured, **measured}
    return pages


def _chart_problems(where: str, shown: dict) -> list[str]:
    problems = []
    if shown["mimeTypes"] != [SVG]:
        problems.append(f"{where}: rendered as {shown['mimeTypes']}, expected the {SVG} fallback")
    images = shown["images"]
    if len(images) != 1:
        return problems + [f"{where}: {len(images)} images in the output, expected 1"]
    image = images[0]
    if not image["visible"]:
        problems.append(f"{where}: the chart has no rendered size ({image['width']} × {image['height']})")
    if image["tag"] == "img":
        if not (image["complete"] and image["naturalWidth"] > 0 and image["naturalHeight"] > 0):
            problems.append(f"{where}: the chart image did not decode (natural size "
                            f"{image['naturalWidth']} × {image['naturalHeight']})")
        ink = image["inkFraction"]
        if not isinstance(ink, (int, float)) or ink < MIN_CHART_INK:
            problems.append(f"{where}: the chart image is blank (non-white share {ink}, expected ≥ {MIN_CHART_INK})")
    elif image["marks"] == 0:
        problems.append(f"{where}: the inline chart SVG has no marks")
    return problems


def _table_problems(where: str, shown: dict, css_class: str, min_rows: int, max_rows: int | None,
                    header_cells: int | None) -> list[str]:
    if shown["mimeTypes"] != [HTML]:
        return [f"{where}: rendered as {shown['mimeTypes']}, expected the {HTML} fallback"]
    tables = [t for t in shown["tables"] if t["kind"] == css_class]
    if not tables:
        return [f"{where}: no <table> inside .{css_class} (tables: {shown['tables']})"]
    problems = []
    for table in tables:
        if not table["visible"]:
            problems.append(f"{where}: a table has no rendered size")
    first = tables[0]
    if first["rows"] < min_rows or (max_rows is not None and first["rows"] > max_rows):
        problems.append(f"{where}: {first['rows']} table rows, expected {min_rows}…{max_rows}")
    if header_cells is not None and first["headerCells"] != header_cells:
        problems.append(f"{where}: {first['headerCells']} header cells, expected one per column ({header_cells})")
    return problems


def output_problems(expected: Expected, shown: dict) -> list[str]:
    where = f"cell {expected.cell_id} output {expected.index} ({expected.kind})"
    if expected.kind == "chart":
        return _chart_problems(where, shown)
    if expected.kind == "table":
        bundle = expected.data[ARROW]
        total = bundle.get("totalRows", bundle.get("numRows"))
        return _table_problems(where, shown, "hdmea-arrow", min(1, total), total, bundle.get("numCols"))
    if expected.kind == "session":
        problems = _table_problems(where, shown, "hdmea-session", 1, None, None)
        dataset_id = expected.data[SESSION].get("datasetId")
        captions = " ".join(t["caption"] or "" for t in shown["tables"])
        if dataset_id and dataset_id not in captions:
            problems.append(f"{where}: the card does not name its dataset {dataset_id!r} (captions: {captions!r})")
        return problems
    if expected.kind == "display" and (shown["height"] <= 0 or not (shown["textLength"] or shown["images"])):
        return [f"{where}: an empty output ({shown['mimeTypes']}, height {shown['height']})"]
    return []


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_static_html_shows_every_chart_and_table(path, static_pages):
    page = static_pages[path.stem]
    assert not page.run_problems, f"{path.name} did not run cleanly:\n" + "\n".join(page.run_problems)
    measured = page.measured
    assert measured, f"{path.name}: check.cjs measured nothing"
    assert not measured.get("error"), f"{page.html}: {measured['error']}"
    assert not measured["pageErrors"], f"{page.html}: page errors {measured['pageErrors']}"
    assert not measured["consoleErrors"], f"{page.html}: console errors {measured['consoleErrors']}"
    assert not measured["failedRequests"], f"{page.html}: local resources failed to load {measured['failedRequests']}"
    assert not measured["javascriptErrorText"], f"{page.html} shows 'Javascript Error'"
    empty_vega = [e for e in measured["vegaElements"] if e["height"] <= 0 or e["children"] == 0]
    assert not empty_vega, f"{page.html}: empty vega outputs {empty_vega}"
    assert page.screenshot.is_file() and page.screenshot.stat().st_size > 0, f"no screenshot {page.screenshot}"

    cells = {cell["id"]: cell["outputs"] for cell in measured["cells"]}
    problems = []
    for cell in page.notebook.cells:
        if cell.cell_type != "code":
            continue
        assert cell.get("id"), f"{path.name}: a code cell has no id (nbformat ≥ 4.5 gives every cell one)"
        shown = cells.get(cell.id)
        if shown is None:
            problems.append(f"cell {cell.id} is missing from the page")
        elif len(shown) != len(cell.get("outputs", [])):
            problems.append(f"cell {cell.id}: {len(shown)} outputs on the page, {len(cell.outputs)} in the notebook")
    assert not problems, f"{page.html}:\n" + "\n".join(problems)

    for expected in page.expected:
        problems += output_problems(expected, cells[expected.cell_id][expected.index])
    assert not problems, f"{page.html}:\n" + "\n".join(problems)


def test_static_html_checks_catch_a_broken_notebook(static_pages):
    page = static_pages[CONTROL]
    measured = page.measured
    assert not measured.get("error"), f"{page.html}: {measured['error']}"
    assert any("negative control" in error for error in measured["pageErrors"]), measured["pageErrors"]
    cells = {cell["id"]: cell["outputs"] for cell in measured["cells"]}
    for expected in page.expected:
        problems = output_problems(expected, cells[expected.cell_id][expected.index])
        wanted = measured["breaks"].get((expected.cell_id, expected.index))
        if wanted is None:
            assert not problems, f"an intact output was judged broken: {problems}"
        else:
            assert any(wanted in problem for problem in problems), f"expected {wanted!r} among {problems}"


def test_static_html_covers_charts_tables_and_session_cards(static_pages):
    kinds = [expected.kind for page in static_pages.values() if page.name != CONTROL for expected in page.expected]
    counts = {kind: kinds.count(kind) for kind in ("chart", "table", "session")}
    assert all(counts.values()), f"the example notebooks must show every kind of output at least once: {counts}"
    measured = {page.name for page in static_pages.values() if page.measured.get("cells") is not None}
    assert measured == {p.stem for p in notebook_paths()} | {CONTROL}
