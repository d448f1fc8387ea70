"""Quality metrics and curation labels saved by hdmea, read back with h5py: the labels are text attributes of the
unit groups, the metrics a feature in the reference's layout (float64 scalars in data/, parameters in metadata/),
and the ISI violations match the breach the simulator planted."""
import json
import subprocess

import h5py
import numpy as np

from conftest import REPO_ROOT

QUALITY_IO = REPO_ROOT / "test" / "quality_io.cjs"
METRICS = ["num_spikes", "firing_rate", "presence_ratio", "isi_violations_count", "isi_violations_rate",
           "isi_violations_ratio", "isi_contamination", "amplitude_median"]


def test_labels_and_metrics_read_with_h5py(tmp_path):
    out = tmp_path / "curated.h5"
    done = subprocess.run(["node", str(QUALITY_IO), str(out), str(tmp_path)], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=180, check=True)
    summary = json.loads(done.stdout)
    assert summary["rejected"] == ["unit_004"]
    with h5py.File(out, "r") as f:
        units = f["units"]
        assert sorted(units.keys()) == sorted(summary["planted"])
        for unit_id, planted in summary["planted"].items():
            unit = units[unit_id]
            label = unit.attrs.get("curation_label")
            expected = "reject" if unit_id in summary["rejected"] else "keep" if unit_id in summary["kept"] else None
            assert label == expected, unit_id
            quality = unit["features/quality_metrics"]
            assert sorted(quality.keys()) == ["data", "metadata"]
            data = quality["data"]
            assert sorted(data.keys()) == sorted(METRICS)
            for name in METRICS:
                assert data[name].shape == () and data[name].dtype == np.float64, name
            assert data["num_spikes"][()] == planted["spikes"] == len(unit["spike_times"])
            assert data["isi_violations_count"][()] == planted["violations"]
            spikes = unit["spike_times"][()].astype(np.int64)
            short = int(np.count_nonzero(np.diff(spikes) < 1.5e-3 * 20000))
            assert short == planted["violations"]
            assert np.isclose(data["isi_violations_rate"][()], short / (len(spikes) - 1))
            metadata = quality["metadata"]
            assert metadata["refractory_ms"][()] == 1.5 and metadata["censored_ms"][()] == 0.1
            assert metadata["duration_s"][()] > 29
            amplitudes = unit["unit_meta/peak_amplitudes"][()]
            assert np.isclose(data["amplitude_median"][()], np.median(amplitudes))
