"""Every notebook in notebooks/ runs top to bottom in the project's tslab kernel (nbclient, kernelspec hdmea-ts
from JUPYTER_PATH, cwd = notebooks/) without a failing cell and without a byte on stderr."""


import pytest

from conftest import EXECUTED_DIR, NOTEBOOKS_DIR, notebook_paths, nbrun


def _problems(run: nbrun.NotebookRun) -> str:
    return f"{run.path.name}:\n" + "\n".join(run.problems)


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_notebook_runs_cleanly(path, kernelspec_ready):
    run = nbrun.execute_notebook(path, output_path=EXECUTED_DIR / path.name)
    assert run.ok, _problems(run)
    code_cells = [cell for cell in run.notebook.cells if cell.cell_type == "code"]
    assert code_cells, f"{path.name} has no code cells"
    assert len(run.reply_status) == len(code_cells)


def test_notebooks_folder_has_the_session_basics_example():
    assert (NOTEBOOKS_DIR / "00-session-basics.ipynb").is_file()
