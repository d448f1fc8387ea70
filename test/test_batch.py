"""The batch from the command line on 12 simulated recordings: stages 1 and 2 with the local scheduler and on a real
one-node SLURM cluster started here (test/slurm_cluster.py), resume after a truncated output and changed step
options, a SIGKILLed worker and Ctrl+C leaving no half file, and the stage-2 table checked against the session
files with pyarrow, pandas and h5py."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pyarrow.ipc as ipc
import pytest

from conftest import REPO_ROOT
from slurm_cluster import SlurmCluster, missing_programs

CLI = REPO_ROOT / "kernel-lib" / "dist" / "cli" / "main.js"
RECORDINGS = 12
TEMP_MARKER = ".hdmea-tmp-"

PIPELINE = """
[[pipeline]]
step = "load_recording"

[[pipeline]]
step = "add_section_time"

[[pipeline]]
step = "section_spike_times"

[[pipeline]]
step = "compute_sta"
coverRange = [-30, 0]

[[pipeline]]
step = "extract_features"
features = ["frif", "baseline_127"]
"""


def write_config(folder: Path, output: str, *, extra: str = "", workers: int = 2) -> Path:
    config = folder / f"{output}.toml"
    config.write_text(
        f'name = "{output}"\n\n'
        '[recordings]\nroot = "recordings"\npattern = "*/*.cm?r"\n\n'
        "[stimulus]\n"
        'playlist = "{recording_dir}/stimuli/playlist.csv"\n'
        'movie_length = "{recording_dir}/stimuli/movie_length.csv"\n'
        'playlist_name = "simulated_playlist"\n'
        'config_dir = "{recording_dir}/stimuli/configs"\n'
        'movies_dir = "{recording_dir}/stimuli/movies"\n'
        f"{PIPELINE}\n{extra}\n"
        f'[output]\ndir = "{output}"\n\n[local]\nworkers = {workers}\n\n'
        "[resources]\ncpus_per_task = 1\nmemory = \"1G\"\ntime = \"00:20:00\"\n"
    )
    return config


def hdmea(*args: str, env: dict | None = None, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["node", str(CLI), *args], capture_output=True, text=True, timeout=timeout, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"hdmea {' '.join(args)} exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def status_of(config: Path, env: dict | None = None) -> dict[str, tuple[str, str]]:
    out = hdmea("batch", "status", "--config", str(config), env=env).stdout
    rows = {}
    for line in out.splitlines()[1:-1]:
        match = re.match(r"\s*(\d+)\s+(\S+)\s+(\S+)\s*(.*)$", line)
        assert match, line
        rows[match.group(2)] = (match.group(3), match.group(4))
    return rows


def session_files(output: Path) -> dict[str, Path]:
    return {path.stem: path for path in sorted((output / "sessions").glob("*.h5"))}


def no_temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if TEMP_MARKER in p.name]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    recordings = folder / "recordings"
    # Two writer processes, six recordings each.
    writers = [
        subprocess.Popen(["node", str(REPO_ROOT / "test" / "batch_recordings.cjs"), str(recordings), str(first), str(RECORDINGS // 2)])
        for first in (0, RECORDINGS // 2)
    ]
    for writer in writers:
        assert writer.wait(timeout=600) == 0
    return folder


def check_table_against_sessions(output: Path) -> pd.DataFrame:
    table = ipc.open_file(output / "units.arrow").read_all()
    frame = pd.read_feather(output / "units.arrow")
    assert table.num_rows == len(frame)
    assert {"recording_id", "unit_id", "spike_count", "mean_rate_hz", "row", "col"} <= set(frame.columns)
    sessions = session_files(output)
    assert sorted(frame["recording_id"].unique()) == sorted(sessions)
    expected_rows = 0
    for recording_id, path in sessions.items():
        with h5py.File(path, "r") as f:
            units = sorted(f["units"].keys())
            expected_rows += len(units)
            rows = frame[frame["recording_id"] == recording_id].set_index("unit_id")
            assert sorted(rows.index) == units
            for unit in units:
                spikes = f["units"][unit]["spike_times"][()]
                assert rows.loc[unit, "spike_count"] == len(spikes)
                meta = f["units"][unit]["unit_meta"]
                assert rows.loc[unit, "row"] == int(np.asarray(meta["row"][()]).item())
                assert rows.loc[unit, "col"] == int(np.asarray(meta["column"][()]).item())
                assert rows.loc[unit, "snr"] == pytest.approx(float(np.asarray(meta["snr"][()]).item()), rel=1e-12)
                features = f["units"][unit]["features"]
                if "baseline_127" not in features:
                    assert pd.isna(rows.loc[unit, "baseline_127.spike_count"])
                    continue
                baseline = features["baseline_127"]["data"]
                for key in baseline.keys():
                    value = float(np.asarray(baseline[key][()]).item())
                    cell = rows.loc[unit, f"baseline_127.{key}"]
                    assert (np.isnan(value) and pd.isna(cell)) or cell == pytest.approx(value, rel=1e-12), key
    assert len(frame) == expected_rows
    return frame


def test_local_batch_then_resume_recomputes_exactly_what_changed(workspace):
    config = write_config(workspace, "local")
    output = workspace / "local"
    run = hdmea("batch", "run", "--config", str(config), "--workers", "2")
    # Not a terminal: one plain line per recording, then the summaries.
    assert len([line for line in run.stdout.splitlines() if re.match(r"\[\d+/12\] rec-\d\d done", line)]) == RECORDINGS
    assert "Stage 1: 12 computed, 0 already complete, 0 failed." in run.stdout
    manifest = json.loads((output / "manifest.json").read_text())
    assert [entry["recordingId"] for entry in manifest["recordings"]] == [f"rec-{i:02d}" for i in range(RECORDINGS)]
    assert [entry["index"] for entry in manifest["recordings"]] == list(range(RECORDINGS))
    assert len(session_files(output)) == RECORDINGS
    frame = check_table_against_sessions(output)
    assert frame.groupby("recording_id").size().to_dict() == {f"rec-{i:02d}": 3 for i in range(RECORDINGS)}
    summary = json.loads((output / "summary.json").read_text())
    assert summary["totals"]["done"] == RECORDINGS and summary["totals"]["units"] == len(frame)
    assert all(state == "done" for state, _ in status_of(config).values())

    # One output truncated, one recording's step options changed (an override in the batch file).
    sessions = session_files(output)
    truncated = sessions["rec-03"]
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    write_config(workspace, "local", extra='[[override]]\nrecording = "rec-07"\nstep = "compute_sta"\ncoverRange = [-20, 0]\n')
    before = {rid: path.stat().st_mtime_ns for rid, path in session_files(output).items()}
    status = status_of(config)
    stale = {rid: detail for rid, (state, detail) in status.items() if state != "done"}
    assert set(stale) == {"rec-03", "rec-07"}, status
    assert status["rec-03"][0] == "stale" and "does not load" in status["rec-03"][1]
    assert status["rec-07"][0] == "stale" and "compute_sta" in status["rec-07"][1] and "coverRange" in status["rec-07"][1]

    rerun = hdmea("batch", "run", "--config", str(config), "--workers", "2")
    assert "Stage 1: 2 computed, 10 already complete, 0 failed." in rerun.stdout
    after = {rid: path.stat().st_mtime_ns for rid, path in session_files(output).items()}
    changed = sorted(rid for rid in after if after[rid] != before[rid])
    assert changed == ["rec-03", "rec-07"]
    with h5py.File(session_files(output)["rec-07"], "r") as f:
        assert f["units"]["unit_001"]["features"]["sta_dense_noise_15x15_15hz"]["data"].shape[0] == 20  # the override's cover range
    assert all(state == "done" for state, _ in status_of(config).values())
    check_table_against_sessions(output)
    assert no_temp_files(output) == []


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(child) for child in text.split()]


def wait_for_worker(parent: subprocess.Popen, timeout_s: float = 60) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        workers = children_of(parent.pid)
        if workers:
            return workers[0]
        assert parent.poll() is None, parent.communicate()
        time.sleep(0.05)
    raise TimeoutError("no worker process appeared")


def test_sigkilled_worker_and_ctrl_c_leave_no_half_file(workspace):
    config = write_config(workspace, "kill", workers=1)
    output = workspace / "kill"
    hdmea("batch", "run", "--config", str(config), "--stage", "1", "--workers", "2")
    for rid in ("rec-00", "rec-01", "rec-02"):
        (output / "sessions" / f"{rid}.h5").unlink()

    # A worker killed with SIGKILL in the middle of its recordings: the recording it held fails, the others go on.
    # Which of the three it held depends on the machine's speed, so the test reads it from the output.
    parent = subprocess.Popen(["node", str(CLI), "batch", "run", "--config", str(config), "--stage", "1", "--workers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    worker = wait_for_worker(parent)
    time.sleep(0.5)
    os.kill(worker, signal.SIGKILL)
    stdout, stderr = parent.communicate(timeout=300)
    assert parent.returncode == 1, stdout + stderr
    assert "Stage 1: 2 computed, 9 already complete, 1 failed." in stdout
    killed = re.search(r"^failed (rec-0[012]): .*SIGKILL", stderr, flags=re.M)
    assert killed, stderr
    killed_id = killed.group(1)
    assert not (output / "sessions" / f"{killed_id}.h5").exists()
    assert no_temp_files(output) == []
    status = status_of(config)
    assert status[killed_id][0] == "failed" and "SIGKILL" in status[killed_id][1]

    # Ctrl+C (SIGINT to the whole process group, as a terminal sends it) as soon as the worker exists: the worker is
    # still starting, so the first recording of the queue (the killed one) is the one interrupted, whatever the speed.
    (output / "sessions" / "rec-05.h5").unlink()
    parent = subprocess.Popen(["node", str(CLI), "batch", "run", "--config", str(config), "--stage", "1", "--workers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for_worker(parent)
    os.killpg(parent.pid, signal.SIGINT)
    stdout, stderr = parent.communicate(timeout=120)
    assert parent.returncode == 130, stdout + stderr
    assert "Interrupted" in stderr
    assert no_temp_files(output) == []
    status = status_of(config)
    assert status[killed_id][0] == "failed" and "interrupted" in status[killed_id][1]
    assert status["rec-05"][0] == "missing"
    for rid, (state, _) in status.items():
        if state == "done":
            with h5py.File(output / "sessions" / f"{rid}.h5", "r") as f:
                assert "units" in f

    rerun = hdmea("batch", "run", "--config", str(config), "--workers", "2")
    assert "Stage 1: 2 computed, 10 already complete, 0 failed." in rerun.stdout
    assert all(state == "done" for state, _ in status_of(config).values())


def test_bad_command_lines_name_the_problem(workspace):
    config = write_config(workspace, "bad")
    hdmea("batch", "run", "--config", str(config), "--index", "0")
    out_of_range = hdmea("batch", "run", "--config", str(config), "--array", check=False,
                         env={**os.environ, "SLURM_ARRAY_TASK_ID": "12"})
    assert out_of_range.returncode == 1
    assert "SLURM_ARRAY_TASK_ID=12" in out_of_range.stderr and "12 recordings" in out_of_range.stderr
    sge = hdmea("batch", "run", "--config", str(config), "--array", check=False,
                env={**{k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}, "SGE_TASK_ID": "undefined"})
    assert sge.returncode == 1 and "SGE_TASK_ID" in sge.stderr and "none is set" in sge.stderr
    zero_based = hdmea("batch", "run", "--config", str(config), "--array", env={**os.environ, "PBS_ARRAY_INDEX": "0"})
    assert "rec-00: already complete" in zero_based.stdout

    fresh = write_config(workspace, "nosbatch")
    missing = hdmea("batch", "submit", "--config", str(fresh), "--sbatch", str(workspace / "no-such-sbatch"), check=False)
    assert missing.returncode == 1 and "HDMEA_BATCH" in missing.stderr and "no-such-sbatch" in missing.stderr
    assert not (workspace / "nosbatch").exists(), "nothing may be written when sbatch is missing"


def test_slurm_batch_on_a_real_cluster(workspace, tmp_path_factory):
    # Never skipped: without SLURM the test fails and says what to install.
    assert not missing_programs(), f"SLURM/munge not installed: {missing_programs()} (scripts/setup.sh installs them)"
    config = write_config(workspace, "slurm")
    output = workspace / "slurm"
    with SlurmCluster(tmp_path_factory.mktemp("slurm"), max_array_size=8) as cluster:
        submitted = hdmea("batch", "submit", "--config", str(config), "--max-parallel", "2", env=cluster.env).stdout
        # MaxArraySize 8 (from scontrol) splits the 12 recordings into two arrays: indices 0–7 and 8–11.
        arrays = re.findall(r"Submitted stage 1 array job (\d+): (\d+) recordings \(manifest indices from (\d+)\)", submitted)
        assert [(count, offset) for _, count, offset in arrays] == [("8", "0"), ("4", "8")], submitted
        stage2 = re.search(r"Submitted stage 2 job (\d+) \(afterok:(\S+)\)", submitted)
        assert stage2 and stage2.group(2) == ":".join(job for job, _, _ in arrays)
        script = (output / "slurm" / "stage1-1.sbatch").read_text()
        assert "#SBATCH --array=0-3%2" in script and "--index-offset 8" in script and "#SBATCH --mem=1G" in script
        states = cluster.wait_for_jobs([job for job, _, _ in arrays] + [stage2.group(1)], timeout_s=600)
        assert len(states) == RECORDINGS + 1 and set(states.values()) == {"COMPLETED"}, states
        assert all(state == "done" for state, _ in status_of(config, cluster.env).values())
        frame = check_table_against_sessions(output)
        local = pd.read_feather(workspace / "local" / "units.arrow") if (workspace / "local" / "units.arrow").exists() else None
        if local is not None:
            # Same recordings, same pipeline (the local batch's override aside): same numbers.
            keep = ~local["recording_id"].isin(["rec-07"])
            pd.testing.assert_frame_equal(
                frame[~frame["recording_id"].isin(["rec-07"])].reset_index(drop=True)[["recording_id", "unit_id", "spike_count", "mean_rate_hz"]],
                local[keep].reset_index(drop=True)[["recording_id", "unit_id", "spike_count", "mean_rate_hz"]],
            )

        sessions = session_files(output)
        sessions["rec-10"].write_bytes(sessions["rec-10"].read_bytes()[:4096])
        write_config(workspace, "slurm", extra='[[override]]\nrecording = "rec-02"\nstep = "extract_features"\nfeatures = ["frif"]\n')
        before = {rid: path.stat().st_mtime_ns for rid, path in session_files(output).items()}
        status = status_of(config, cluster.env)
        assert {rid for rid, (state, _) in status.items() if state != "done"} == {"rec-02", "rec-10"}, status
        resubmitted = hdmea("batch", "submit", "--config", str(config), env=cluster.env).stdout
        arrays = re.findall(r"Submitted stage 1 array job (\d+): (\d+) recordings \(manifest indices from (\d+)\)", resubmitted)
        assert [(count, offset) for _, count, offset in arrays] == [("1", "2"), ("1", "10")], resubmitted
        stage2 = re.search(r"Submitted stage 2 job (\d+)", resubmitted)
        states = cluster.wait_for_jobs([job for job, _, _ in arrays] + [stage2.group(1)], timeout_s=300)
        assert set(states.values()) == {"COMPLETED"}, states
        after = {rid: path.stat().st_mtime_ns for rid, path in session_files(output).items()}
        assert sorted(rid for rid in after if after[rid] != before[rid]) == ["rec-02", "rec-10"]
        assert all(state == "done" for state, _ in status_of(config, cluster.env).values())
        check_table_against_sessions(output)
        assert no_temp_files(output) == []
