"""A real one-node SLURM cluster for tests (Debian slurm-wlm + munge), everything under one temporary folder.

munged runs with its own key and socket; slurmctld and slurmd run in the foreground from a generated slurm.conf that
names this host (`hostname -s`), its CPUs and memory, keeps state and spool in the folder, and talks over loopback
on free ports. `stop()` ends every daemon by its process id (SIGTERM, then SIGKILL after a bounded wait); use the
class as a context manager so that happens on failure too. Clients (sbatch, squeue, scontrol) need `env`.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd")
SBIN = ("/usr/sbin", "/usr/bin", "/sbin", "/bin")


def find_program(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in SBIN:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def missing_programs() -> list[str]:
    """Programs the cluster needs that are not installed (install slurm-wlm and munge, see scripts/setup.sh)."""
    return [name for name in (*DAEMONS, "sbatch", "squeue", "scontrol") if find_program(name) is None]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine_memory_mb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 1024


class SlurmCluster:
    """One controller and one compute node on this machine, for the lifetime of a `with` block."""

    def __init__(self, folder: Path, *, max_array_size: int = 1001, cpus: int | None = None, memory_mb: int | None = None):
        self.folder = Path(folder)
        self.host = subprocess.run(["hostname", "-s"], capture_output=True, text=True, check=True).stdout.strip()
        self.cpus = cpus or os.cpu_count() or 1
        # Leave the machine some memory: slurmd refuses a node that claims more than it has.
        self.memory_mb = memory_mb or max(256, int(machine_memory_mb() * 0.8))
        self.max_array_size = max_array_size
        self.processes: dict[str, subprocess.Popen] = {}
        self.conf = self.folder / "slurm.conf"
        self.munge_socket = self.folder / "munge" / "munge.socket"
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}

    # -- lifecycle -------------------------------------------------------------------------------------------------
    def __enter__(self) -> "SlurmCluster":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout_s: float = 60) -> None:
        for sub in ("munge", "state", "spool", "logs"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder / "munge", 0o700)
        self._start_munge(timeout_s)
        self._write_conf()
        log = self.folder / "logs"
        self._spawn("slurmctld", [find_program("slurmctld"), "-D", "-i", "-f", str(self.conf)], log / "slurmctld.out")
        self._wait_for(lambda: self._ok(["scontrol", "ping"]) and "UP" in self._out(["scontrol", "ping"]), timeout_s, "slurmctld to answer")
        self._spawn("slurmd", [find_program("slurmd"), "-D", "-f", str(self.conf), "-N", self.host], log / "slurmd.out")
        self._wait_for(self._node_idle, timeout_s, f"node {self.host} to become idle")

    def stop(self, timeout_s: float = 20) -> None:
        # Jobs first, so slurmd has nothing left to run; then the daemons in reverse order, each by its pid.
        if "slurmctld" in self.processes and self.processes["slurmctld"].poll() is None:
            subprocess.run([find_program("scancel") or "scancel", "--full", "--user", str(os.getuid())], env=self.env, capture_output=True, timeout=30)
        for name in ("slurmd", "slurmctld", "munged"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout_s)

    # -- helpers ---------------------------------------------------------------------------------------------------
    def _start_munge(self, timeout_s: float) -> None:
        key = self.folder / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        os.chmod(key, 0o400)
        log = self.folder / "logs"
        self._spawn(
            "munged",
            [
                find_program("munged"),
                "--foreground",
                "--force",
                f"--socket={self.munge_socket}",
                f"--key-file={key}",
                f"--pid-file={self.folder / 'munge' / 'munged.pid'}",
                f"--log-file={log / 'munged.log'}",
                f"--seed-file={self.folder / 'munge' / 'munged.seed'}",
            ],
            log / "munged.out",
        )
        self._wait_for(self.munge_socket.exists, timeout_s, "munged's socket")

    def _write_conf(self) -> None:
        f = self.folder
        lines = [
            "ClusterName=hdmeatest",
            f"SlurmctldHost={self.host}(127.0.0.1)",
            f"SlurmctldPort={free_port()}",
            f"SlurmdPort={free_port()}",
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={self.munge_socket}",
            f"StateSaveLocation={f / 'state'}",
            f"SlurmdSpoolDir={f / 'spool'}",
            f"SlurmctldPidFile={f / 'slurmctld.pid'}",
            f"SlurmdPidFile={f / 'slurmd.pid'}",
            f"SlurmctldLogFile={f / 'logs' / 'slurmctld.log'}",
            f"SlurmdLogFile={f / 'logs' / 'slurmd.log'}",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "SchedulerType=sched/backfill",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU",
            "MpiDefault=none",
            "ReturnToService=2",
            "SlurmctldTimeout=30",
            "SlurmdTimeout=30",
            "InactiveLimit=0",
            "MinJobAge=600",
            "KillWait=5",
            "Waittime=0",
            f"MaxArraySize={self.max_array_size}",
            f"NodeName={self.host} NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory={self.memory_mb} State=UNKNOWN",
            f"PartitionName=debug Nodes={self.host} Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO",
        ]
        self.conf.write_text("\n".join(lines) + "\n")

    def _spawn(self, name: str, argv: list, log_path: Path) -> None:
        with open(log_path, "ab") as log:
            self.processes[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env)

    def _out(self, argv: list[str]) -> str:
        result = subprocess.run([find_program(argv[0]), *argv[1:]], env=self.env, capture_output=True, text=True, timeout=30)
        return result.stdout

    def _ok(self, argv: list[str]) -> bool:
        try:
            return subprocess.run([find_program(argv[0]), *argv[1:]], env=self.env, capture_output=True, timeout=30).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def _node_idle(self) -> bool:
        state = self._out(["sinfo", "-h", "-N", "-o", "%T"]).strip().lower()
        return state.startswith("idle") or state.startswith("mix")

    def _wait_for(self, condition, timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode} while waiting for {what}; logs in {self.folder / 'logs'}")
            if condition():
                return
            time.sleep(0.3)
        raise TimeoutError(f"timed out after {timeout_s} s waiting for {what}; logs in {self.folder / 'logs'}")

    # -- job helpers -----------------------------------------------------------------------------------------------
    def wait_for_jobs(self, job_ids: list[str], timeout_s: float) -> dict[str, str]:
        """Waits until none of `job_ids` is pending or running; returns job id (array tasks included) → final state."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            queued = self._out(["squeue", "-h", "-o", "%i %T", "-j", ",".join(job_ids)]).strip()
            if queued == "":
                break
            time.sleep(1)
        else:
            raise TimeoutError(f"SLURM jobs {job_ids} still queued after {timeout_s} s: {queued}")
        states: dict[str, str] = {}
        for job_id in job_ids:
            for line in self._out(["scontrol", "show", "job", "-o", job_id]).splitlines():
                fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
                task = fields.get("ArrayTaskId")
                states[f"{fields.get('ArrayJobId', job_id)}_{task}" if task else job_id] = fields.get("JobState", "?")
        return states
