"""Execute hdmea notebooks headlessly with nbclient and the project's tslab kernelspec.

Used by `scripts/main.sh` (run the example notebook, show what it printed) and by the notebook tests in `test/`.

tslab never sends `error` messages: a failed cell shows up only as an `execute_reply` with status "error" (or
"abort" for cells queued behind it) and as text on stderr (jupyter-integration.md §0.1, §C2). So a run is judged by
the reply status of every code cell and by the absence of stderr output, not by error outputs.

    python scripts/nbrun.py notebooks/00-session-basics.ipynb [more.ipynb …] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

REPO_ROOT = Path(__file__).resolve().parent.parent
JUPYTER_DIR = REPO_ROOT / "jupyter"
KERNEL_NAME = "hdmea-ts"
CELL_TIMEOUT_S = 120
STARTUP_TIMEOUT_S = 60
KILL_WAIT_S = 5.0


@dataclass
class NotebookRun:
    """What happened when one notebook was executed."""

    path: Path
    notebook: nbformat.NotebookNode
    reply_status: dict[int, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def stream_text(self, name: str) -> str:
        """All `stdout` or `stderr` text of the notebook's code cells, in cell order."""
        parts = []
        for cell in self.notebook.cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == name:
                    parts.append(output.get("text", ""))
        return "".join(parts)


def use_project_kernelspec() -> None:
    """Puts the project's Jupyter folder first on JUPYTER_PATH (jupyter_client reads it at kernel start)."""
    kernel_json = JUPYTER_DIR / "kernels" / KERNEL_NAME / "kernel.json"
    if not kernel_json.is_file():
        raise SystemExit(f"{kernel_json} is missing: run `bash scripts/setup.sh` (or `node scripts/kernelspec.cjs`).")
    current = os.environ.get("JUPYTER_PATH", "")
    parts = [p for p in current.split(os.pathsep) if p and Path(p).resolve() != JUPYTER_DIR]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(JUPYTER_DIR), *parts])


def _stop_by_pid(pid: int | None) -> None:
    """Makes sure the kernel process is gone: jupyter_client already asked it to stop; kill it if it did not."""
    if pid is None:
        return
    deadline = time.monotonic() + KILL_WAIT_S
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def execute_notebook(path: Path, *, output_path: Path | None = None, timeout_s: int = CELL_TIMEOUT_S) -> NotebookRun:
    """Executes `path` in its own folder with a fresh `hdmea-ts` kernel; never raises for a failing cell."""
    use_project_kernelspec()
    path = path.resolve()
    notebook = nbformat.read(path, as_version=4)
    run = NotebookRun(path=path, notebook=notebook)

    spec_name = notebook.metadata.get("kernelspec", {}).get("name")
    if spec_name != KERNEL_NAME:
        run.problems.append(f"kernelspec name in the notebook metadata is {spec_name!r}, expected {KERNEL_NAME!r}")

    def record_reply(cell, cell_index, execute_reply):  # nbclient hook
        run.reply_status[cell_index] = execute_reply["content"].get("status", "?") if execute_reply else "none"

    km = KernelManager(kernel_name=KERNEL_NAME)
    pid = None
    client = NotebookClient(
        notebook,
        km=km,
        timeout=timeout_s,
        startup_timeout=STARTUP_TIMEOUT_S,
        allow_errors=False,
        on_cell_executed=record_reply,
    )
    try:
        km.start_kernel(cwd=str(path.parent))
        pid = getattr(km.provisioner, "pid", None)
        client.execute()
    except CellExecutionError as error:
        run.problems.append(f"a cell failed (execute_reply status 'error'):\n{error}")
    except (CellTimeoutError, DeadKernelError) as error:
        run.problems.append(f"{type(error).__name__}: {error}")
    except Exception as error:  # kernel did not start, channels failed, …: still a report, not a crash
        run.problems.append(f"could not run the notebook: {type(error).__name__}: {error}")
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=False)
        _stop_by_pid(pid)

    not_run = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        status = run.reply_status.get(index)
        if status is None:
            not_run.append(index)
        elif status != "ok":
            run.problems.append(f"cell {index}: execute_reply status {status!r} (expected 'ok')")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                run.problems.append(f"cell {index} wrote to stderr:\n{output.get('text', '').rstrip()}")
            if output.get("output_type") == "error":
                run.problems.append(f"cell {index} has an error output: {output.get('ename')}: {output.get('evalue')}")

    if not_run:
        run.problems.append(f"cells never executed: {not_run}")

    if output_path is not None:
        output_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, output_path)
    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="folder for the executed copies of the notebooks")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks:
        started = time.monotonic()
        output_path = args.out / path.name if args.out else None
        run = execute_notebook(path, output_path=output_path)
        print(f"── {path} ({time.monotonic() - started:.1f} s)")
        print(run.stream_text("stdout").rstrip())
        if output_path is not None:
            print(f"(executed copy: {output_path})")
        if not run.ok:
            failed += 1
            print(f"FAILED: {path}", file=sys.stderr)
            for problem in run.problems:
                print(f"  {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
