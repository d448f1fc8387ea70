import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SESSION_IO = os.path.join(ROOT, "test", "python", "session_io.cjs")


def run_node(*args, timeout=120):
    """Runs the session_io.cjs helper with the built hdmea library (npm run build first)."""
    return subprocess.run(["node", SESSION_IO, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True)


@pytest.fixture
def node():
    return run_node
