"""The h5py baseline of session-io.bench.cjs: the same arrays (same shapes, dtypes and values) in the same group
layout, written with the same atomic protocol (temporary file beside the target, fsync, rename) and read back
fully into numpy arrays. One phase per process so its peak RSS belongs to that phase.

    python h5py_session_io.py save|load <file>   → one JSON line on stdout
"""
import json
import os
import resource
import sys
import time

import h5py
import numpy as np

UNITS = 300
SPIKES_PER_UNIT = 20_000
STA_SHAPE = (60, 15, 15)
LIGHT_SAMPLES = 24_000_000
WARM_REPEATS = 3


def unit_id(index):
    return f"unit_{index + 1:03d}"


def build_arrays():
    i = np.arange(SPIKES_PER_UNIT, dtype=np.int64)
    k = np.arange(int(np.prod(STA_SHAPE)), dtype=np.int64)
    units = {}
    for u in range(UNITS):
        spikes = (u + i * 600 + (i * 7919 + u) % 500).astype(np.uint64)
        sta = (((k * 31 + u) % 1000) / 1000 - 0.5).astype(np.float32).reshape(STA_SHAPE)
        units[unit_id(u)] = (spikes, sta)
    n = np.arange(LIGHT_SAMPLES, dtype=np.int64)
    light = {f"raw_ch{c + 1}": (((n * (c + 3)) % 20_000) / 20_000).astype(np.float32) for c in range(2)}
    return units, light


def save(target, units, light):
    temp = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.h5py-tmp-{os.getpid()}")
    with h5py.File(temp, "w", track_order=True) as f:
        f.attrs["dataset_id"] = "bench-session-io"
        group = f.create_group("units", track_order=True)
        for name, (spikes, sta) in units.items():
            unit = group.create_group(name, track_order=True)
            unit.create_dataset("spike_times", data=spikes)
            feature = unit.create_group("features", track_order=True).create_group("sta", track_order=True)
            feature.create_dataset("data", data=sta)
        ref = f.create_group("stimulus", track_order=True).create_group("light_reference", track_order=True)
        for name, data in light.items():
            ref.create_dataset(name, data=data)
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)


def load(target):
    out = {}
    with h5py.File(target, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def max_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(action):
    """Wall time and CPU time of the process (all threads), in ms, and the action's value."""
    started, cpu_started = time.perf_counter(), time.process_time()
    value = action()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000, value


def main():
    mode, target = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = []  # (wall ms, cpu ms) per operation, the first one cold
    if mode == "save":
        units, light = build_arrays()
        nbytes = sum(s.nbytes + t.nbytes for s, t in units.values()) + sum(a.nbytes for a in light.values())
        for _ in range(WARM_REPEATS + 1):
            ms, cpu_ms, _ = timed(lambda: save(target, units, light))
            runs.append((ms, cpu_ms))
            if len(runs) == 1:
                cold_peak = max_rss_bytes()
    else:
        for _ in range(WARM_REPEATS + 1):
            ms, cpu_ms, arrays = timed(lambda: load(target))
            runs.append((ms, cpu_ms))
            nbytes = sum(a.nbytes for a in arrays.values())
            del arrays
            if len(runs) == 1:
                cold_peak = max_rss_bytes()
    print(json.dumps({
        "bytes": int(nbytes),
        "coldMs": runs[0][0],
        "coldCpuMs": runs[0][1],
        "warmMs": [ms for ms, _ in runs[1:]],
        "warmCpuMs": [cpu for _, cpu in runs[1:]],
        "coldPeakRssBytes": cold_peak,
        "peakRssBytes": max_rss_bytes(),
    }))

if __name__ == "__main__":
    main()
