"""fitReceptiveFields results in the session file, read by h5py: the keys, dtypes and values hdmea documents for
units/<u>/features/rf_fit_<movie>/ (data: spatial_map, temporal_filter, temporal_filter_time_ms; metadata: the fit,
its significance and the time axis), the same numbers hdmea holds in memory."""

import json
import math
import subprocess

import h5py
import numpy as np

from conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "test" / "rf_fit_io.cjs"

FLOAT_KEYS = ["center_x", "center_y", "sigma_major", "sigma_minor", "angle_rad", "amplitude", "offset", "r_squared",
              "peak_time_ms", "peak_energy", "null_mean", "null_std", "z_score", "p_value", "min_z_score",
              "max_p_value", "frame_period_ms"]
BOOL_KEYS = ["converged", "fit_valid", "significant"]


def test_rf_fits_read_back_in_h5py(tmp_path):
    out = tmp_path / "rf.h5"
    run = subprocess.run(["node", str(SCRIPT), str(tmp_path / "sim"), str(out)], cwd=REPO_ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    expected = json.loads(run.stdout)
    assert len(expected) == 4
    with h5py.File(out, "r") as f:
        for unit_id, want in expected.items():
            group = f["units"][unit_id]["features"][want["name"]]
            data = group["data"]
            assert set(data.keys()) == {"spatial_map", "temporal_filter", "temporal_filter_time_ms"}
            assert data["spatial_map"].dtype == np.float32 and data["spatial_map"].shape == (15, 15)
            np.testing.assert_array_equal(data["spatial_map"][()].ravel(), np.float32(want["spatial_map"]["values"]))
            assert data["temporal_filter"].dtype == np.float32
            np.testing.assert_array_equal(data["temporal_filter"][()], np.float32(want["temporal_filter"]))
            assert data["temporal_filter_time_ms"].dtype == np.float64
            np.testing.assert_array_equal(data["temporal_filter_time_ms"][()], want["temporal_filter_time_ms"])
            meta = group["metadata"]
            for key in FLOAT_KEYS:
                value = float(meta[key][()])
                if want["metadata"][key] is None:
                    assert math.isnan(value), key
                else:
                    assert value == want["metadata"][key], key
            for key in BOOL_KEYS:
                assert meta[key].attrs["hdmea_type"] == "bool", key
                assert bool(meta[key][()]) == want["metadata"][key], key
            assert meta["polarity"][()].decode() in ("ON", "OFF")
            assert list(meta["cover_range"][()]) == [-60, 0]
            assert int(meta["n_shuffles"][()]) == 5 and int(meta["shuffle_seed"][()]) == 3
            assert meta["movie_name"][()].decode() == want["metadata"]["movie_name"]
            assert meta["sta_feature"][()].decode() == "sta_" + want["metadata"]["movie_name"]
