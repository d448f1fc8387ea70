"""A session saved by hdmea, opened with h5py: the reference layout (hdmea-pipeline.md §2) with the §9 decisions
and DESIGN §4 (booleans as int8 0/1 tagged hdmea_type="bool"); and the reverse, files written by h5py in the
reference's two layouts load in hdmea with the right values."""
import importlib.util
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ISO = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$"


def is_vlen_utf8(dtype):
    info = h5py.check_string_dtype(dtype)
    return info is not None and info.length is None and info.encoding == "utf-8"


def test_saved_session_layout(tmp_path, node):
    out = tmp_path / "session.h5"
    node("write", str(out))
    with h5py.File(out, "r") as f:
        assert f.attrs["dataset_id"] == "2025.04.10-11.12.57-Rec"
        assert f.attrs["hdmea_version"] == "0.1.0"
        import re
        assert re.match(ISO, f.attrs["created_at"])

        u = f["units/unit_001"]
        st = u["spike_times"]
        assert st.dtype == np.uint64 and st.shape == (3,)
        assert st[()].tolist() == [10, 20, 2**40 + 7]
        assert u["firing_rate_10hz"].dtype == np.float32
        assert u["waveform"].shape == (0,) and u["waveform"].dtype == np.float32
        assert u.attrs["row"] == 12 and u.attrs["row"].dtype == np.int64
        assert u.attrs["col"].dtype == np.int64
        assert u.attrs["original_name"] == "Unit_1"
        flag = u["is_good"]
        assert flag.shape == () and flag.dtype == np.int8 and flag[()] == 1 and flag.attrs["hdmea_type"] == "bool"

        mv = u["spike_times_sectioned/step_up_5s_5i_b0_30x"]
        assert sorted(mv["trials_spike_times"].keys(), key=int) == [str(k) for k in range(12)]
        assert mv["trials_spike_times/10"].dtype == np.int64
        assert mv["trials_spike_times/10"][()].tolist() == [1000, 1005]
        assert mv["trials_start_end"].shape == (12, 2) and mv["trials_start_end"].dtype == np.int64
        assert mv["full_spike_times"].dtype == np.int64
        attrs = mv["_attrs"]
        assert attrs["n_trials"].shape == () and attrs["n_trials"].dtype == np.int64 and attrs["n_trials"][()] == 12
        assert attrs["pad_margin"].dtype == np.float64 and attrs["pad_margin"][()].tolist() == [0.0, 0.0]

        sta = u["features/sta_noise"]
        assert sta["data"].shape == (60, 15, 15) and sta["data"].dtype == np.float32
        assert sta["metadata/n_spikes_used"].shape == () and sta["metadata/n_spikes_used"].dtype == np.int64
        assert sta["metadata/cover_range"].dtype == np.int64 and sta["metadata/cover_range"][()].tolist() == [-60, 0]
        assert is_vlen_utf8(sta["metadata/movie_name"].dtype) and sta["metadata/movie_name"].shape == ()
        assert sta["metadata/movie_name"].asstr()[()] == "noise"
        assert sta["metadata/on_response_flag"].dtype == np.int8 and sta["metadata/on_response_flag"][()] == 0

        m = f["metadata"]
        assert m["acquisition_rate"].shape == () and m["acquisition_rate"].dtype == np.float64
        assert m["acquisition_rate"][()] == 20000.0
        assert m["frame_timestamps"].dtype == np.uint64
        assert is_vlen_utf8(m["note"].dtype) and m["note"].asstr()[()] == "héllo ✓"
        assert is_vlen_utf8(m["tags"].dtype) and m["tags"].asstr()[()].tolist() == ["a", "bé"]

        s = f["stimulus"]
        assert s["frame_times/default"].dtype == np.uint64
        assert s["section_time/step_up_5s_5i_b0_30x"].dtype == np.int64
        assert s["section_time/step_up_5s_5i_b0_30x"].shape == (2, 2)
        assert s["light_reference/raw_ch1"].dtype == np.float32
        # Arrays above 8 MB are one contiguous block each (written straight from memory); h5py reads them as usual.
        ch2 = s["light_reference/raw_ch2"]
        assert ch2.dtype == np.float32 and ch2.shape == (3_000_001,) and ch2.chunks is None
        assert np.array_equal(ch2[()], (np.arange(3_000_001) % 1000).astype(np.float32) * np.float32(0.5))
        big = s["big_matrix"]
        assert big.shape == (1201, 1000) and big.chunks is None and big.dtype == np.float64
        assert np.array_equal(big[()], np.arange(1201 * 1000, dtype=np.float64).reshape(1201, 1000))

        assert f["source_files"].attrs["cmcr_path"] == "/data/rec.cmcr"
        assert f["source_files"].attrs["cmtr_path"] == "/data/rec-.cmtr"

        p = f["pipeline"]
        assert p.attrs["stage1_completed"] == 1 and p.attrs["stage1_completed"].dtype == np.int8
        info = p["session_info"]
        assert re.match(ISO, info.attrs["saved_at"])
        assert p.attrs["stage1_timestamp"] == info.attrs["saved_at"]
        steps = info["completed_steps"]
        assert is_vlen_utf8(steps.dtype)
        assert set(steps.asstr()[()].tolist()) == {"load_recording", "section_spike_times"}
        assert info["warnings"].asstr()[()].tolist() == ["Using default acquisition_rate: 20000 Hz"]
        assert json.loads(info["state_json"].asstr()[()]) == {"chosen_cover_range": [-30, 0]}
        context = json.loads(info["context_json"].asstr()[()])
        assert context["versions"]["hdmea"] == "0.1.0"
        assert json.loads(info["step_records_json"].asstr()[()]) == []


def _fixture_writer():
    spec = importlib.util.spec_from_file_location(
        "make_reference_fixtures", os.path.join(ROOT, "kernel-lib", "test-fixtures", "make_reference_fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_session_layout_loads_in_hdmea(tmp_path, node):
    path = tmp_path / "reference-session.h5"
    _fixture_writer().session_layout(str(path))
    seen = json.loads(node("read", str(path)).stdout)
    assert seen["datasetId"] == "2024.08.08-10.40.20-Rec"
    assert seen["saveState"] == "saved"
    assert seen["completedSteps"] == ["load_recording", "add_section_time"]
    unit = seen["units"]["unit_001"]
    assert unit["spike_times"] == {"typed": "Float64Array", "values": [10, 20, 2**40 + 7]}
    assert unit["flag"] is True
    assert unit["row"] == 12
    trials = unit["spike_times_sectioned"]["step_up_5s_5i_b0_30x"]["trials_spike_times"]
    assert trials["__keys"] == [str(k) for k in range(12)]
    frif = unit["features"]["frif"]["data"]
    assert frif["flag"] is True and frif["bools"] == [True, False, True]
    assert seen["metadata"]["acquisition_rate"] == 20000
    assert seen["stimulus"]["section_time"]["step_up_5s_5i_b0_30x"]["shape"] == [2, 2]


def test_reference_immediate_layout_loads_in_hdmea(tmp_path, node):
    path = tmp_path / "reference-immediate.h5"
    _fixture_writer().immediate_layout(str(path))
    seen = json.loads(node("read", str(path)).stdout)
    assert seen["datasetId"] == "2023.01.01-00.00.00-Rec"
    assert seen["sourceFiles"] == {"cmcr_path": "/data/x.cmcr", "cmtr_path": "/data/x-.cmtr"}
    assert seen["metadata"]["acquisition_rate"] == {"typed": "Float64Array", "values": [20000]}
    assert seen["stimulus"]["frame_times"]["default"] == {"typed": "Float64Array", "values": [5, 338, 671]}
    feature = seen["units"]["unit_002"]["features"]["perfect_dense_noise_15x15_15hz_r42_3min"]
    assert feature["metadata"]["n_spikes"] == 2
    assert feature["data"]["sta"]["shape"] == [2, 3, 3]


def test_integrity_record_checks_out_in_h5py(tmp_path, node):
    """The integrity record (kernel-lib/src/hdf5/integrity.ts) is plain data h5py reads: a root attribute naming
    its format and one JSON string dataset listing every group, every dataset with its element type, shape, type
    tag and the checksum of its little-endian values — the CRC-32 (zlib's) below 16 KiB, the AES-128-GCM tag with
    zero key and nonce and the values as associated data (GMAC) from there on — and every attribute. Recomputed here
    from h5py's own reading, it matches the file; the rest of the file is what it was (test_saved_session_layout)."""
    import zlib

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    def checksum(data: bytes) -> str:
        if len(data) >= 16 * 1024:
            return AESGCM(bytes(16)).encrypt(bytes(12), b"", data).hex()
        return f"{zlib.crc32(data):08x}"

    out = tmp_path / "session.h5"
    node("write", str(out))
    with h5py.File(out, "r") as f:
        assert f.attrs["hdmea_integrity"] == "hdmea-digest-v2"
        record = json.loads(f["pipeline/session_info/integrity_json"].asstr()[()])
        assert record["format"] == "hdmea-digest-v2"

        seen_groups, seen_datasets = {"/"}, set()
        f.visititems(lambda name, obj: (seen_groups if isinstance(obj, h5py.Group) else seen_datasets).add("/" + name))
        assert set(record["groups"]) == seen_groups
        assert {path for path, _ in record["datasets"]} == seen_datasets

        checked = large = 0
        for path, digest in record["datasets"]:
            if path.endswith("/integrity_json"):
                assert digest == ""
                continue
            dtype, shape, tag, crc = digest.split("|")
            dataset = f[path]
            assert shape == ",".join(str(n) for n in dataset.shape), path
            assert tag == (dataset.attrs["hdmea_type"] if "hdmea_type" in dataset.attrs else ""), path
            if dtype == "string":
                continue
            assert np.dtype(dtype) == dataset.dtype, path
            values = np.ascontiguousarray(dataset[()]).astype(dataset.dtype.newbyteorder("<"))
            assert checksum(values.tobytes()) == crc, path
            checked += 1
            large += values.nbytes >= 16 * 1024
        assert checked > 10 and large >= 2

        for owner, name, digest in record["attributes"]:
            assert name in f[owner].attrs, f"{owner}@{name}"


def test_file_edited_in_h5py_is_refused_until_its_integrity_attribute_is_deleted(tmp_path, node):
    """A file changed by another program no longer matches its integrity record: hdmea refuses it with
    HDMEA_INTEGRITY and says how to accept the change (delete the root attribute), after which it loads."""
    import subprocess

    import pytest

    out = tmp_path / "session.h5"
    node("write", str(out))
    with h5py.File(out, "a") as f:
        f["metadata/acquisition_rate"][()] = 10000.0
    with pytest.raises(subprocess.CalledProcessError) as refused:
        node("read", str(out))
    assert "HDMEA_INTEGRITY" in refused.value.stderr
    assert "/metadata/acquisition_rate" in refused.value.stderr
    assert "delete its root attribute 'hdmea_integrity'" in refused.value.stderr
    with h5py.File(out, "a") as f:
        del f.attrs["hdmea_integrity"]
    seen = json.loads(node("read", str(out)).stdout)
    assert seen["metadata"]["acquisition_rate"] == 10000.0
