"""The project's kernelspec: generated with absolute paths of this clone, found by Jupyter through JUPYTER_PATH, and
usable from a folder outside the project exactly as the README describes."""

import json
import os
import subprocess

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbformat.v4 import new_code_cell, new_notebook

from conftest import REPO_ROOT, nbrun


def test_kernelspec_points_at_the_projects_pinned_tslab(kernelspec_ready):
    spec = json.loads((nbrun.JUPYTER_DIR / "kernels" / "hdmea-ts" / "kernel.json").read_text())
    assert spec["display_name"] == "HD-MEA (TypeScript)"
    assert spec["argv"][1] == str(REPO_ROOT / "node_modules" / ".bin" / "tslab")
    assert os.path.isabs(spec["argv"][0]) and os.access(spec["argv"][0], os.X_OK)
    assert spec["argv"][2:] == ["kernel", "--config-path", "{connection_file}"]
    pinned = json.loads((REPO_ROOT / "package.json").read_text())["devDependencies"]["tslab"]
    installed = json.loads((REPO_ROOT / "node_modules" / "tslab" / "package.json").read_text())["version"]
    assert pinned == installed == spec["metadata"]["hdmea"]["tslab"] == "1.0.22"
    assert spec["env"] == {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}


def test_kernelspec_is_current():
    result = subprocess.run(["node", "scripts/kernelspec.cjs", "--check"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_jupyter_finds_the_kernelspec_through_jupyter_path(kernelspec_ready):
    nbrun.use_project_kernelspec()
    spec = KernelSpecManager().get_kernel_spec("hdmea-ts")
    assert spec.display_name == "HD-MEA (TypeScript)"
    assert os.path.realpath(spec.resource_dir) == str(nbrun.JUPYTER_DIR / "kernels" / "hdmea-ts")


def test_kernel_works_from_a_folder_outside_the_project(tmp_path, kernelspec_ready):
    """README "Using the kernel from a folder elsewhere": a link to kernel-lib, no @types/node of its own."""
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "hdmea").symlink_to(REPO_ROOT / "kernel-lib")
    source = (
        'import * as fs from "fs";\n'
        'import { createSession, PipelineSession } from "hdmea";\n'
        'const session = createSession({ datasetId: "elsewhere" });\n'
        "session.addUnits({ unit_001: { spike_times: Float64Array.from([3, 5, 8]) } });\n"
        'const saved = await session.save("out/elsewhere.h5");\n'
        "const back = await PipelineSession.load(saved);\n"
        'console.log(`units=${back.unitCount} spikes=${Array.from(back.units.unit_001.spike_times as Float64Array).join(",")}`);\n'
        # The kernel runs with the environment of its kernelspec (scripts/kernelspec.cjs: malloc on huge pages).
        "console.log(`tunables=${process.env.GLIBC_TUNABLES}`);"
    )
    notebook = new_notebook(
        cells=[new_code_cell(source)],
        metadata={"kernelspec": {"name": "hdmea-ts", "display_name": "HD-MEA (TypeScript)", "language": "typescript"}},
    )
    path = tmp_path / "elsewhere.ipynb"
    nbformat.write(notebook, path)
    run = nbrun.execute_notebook(path)
    assert run.ok, "\n".join(run.problems)
    assert run.stream_text("stdout").strip().splitlines() == ["units=1 spikes=3,5,8", "tunables=glibc.malloc.hugetlb=1"]
    assert (tmp_path / "out" / "elsewhere.h5").is_file()
