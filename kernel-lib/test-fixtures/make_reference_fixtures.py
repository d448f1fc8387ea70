"""Writes small HDF5 files in the two layouts of the Python reference implementation (hdmea-pipeline.md §2.1-§2.5),
the way h5py writes them (enum booleans, vlen strings, shape-() scalars in the session layout, shape-(1,) scalars
in the immediate layout). The TypeScript tests load these files; regenerate them with

    python3 make_reference_fixtures.py

(needs h5py + numpy). The files are committed so the unit tests need no Python.
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
STR = h5py.string_dtype("utf-8")


def session_layout(path):
    with h5py.File(path, "w") as f:
        f.attrs["dataset_id"] = "2024.08.08-10.40.20-Rec"
        f.attrs["created_at"] = "2025-12-28T10:00:00.123456+00:00"
        f.attrs["hdmea_version"] = "0.1.0"

        u = f.create_group("units/unit_001")
        u.attrs["row"] = np.int64(12)
        u.attrs["col"] = np.int64(40)
        u.attrs["global_id"] = np.int64(820)
        u.attrs["unit_num"] = np.int64(1)
        u.attrs["original_name"] = "Unit_1"
        u.attrs["flag"] = np.bool_(True)
        u.attrs["lst"] = np.array([1, 2, 3], dtype=np.int64)
        u.attrs["strlist"] = np.array(["a", "bé"], dtype=STR)
        u.create_dataset("spike_times", data=np.array([10, 20, 2**40 + 7], dtype=np.uint64))
        u.create_dataset("firing_rate_10hz", data=np.array([30, 10, 20], dtype=np.float32))
        u.create_dataset("waveform", data=np.zeros(0, dtype=np.float32))

        mv = u.create_group("spike_times_sectioned/step_up_5s_5i_b0_30x")
        mv.create_dataset("full_spike_times", data=np.arange(12, dtype=np.int64) * 100)
        trials = mv.create_group("trials_spike_times")
        for k in range(12):
            trials.create_dataset(str(k), data=np.array([k * 100, k * 100 + 5], dtype=np.int64))
        mv.create_dataset("trials_start_end", data=np.arange(24, dtype=np.int64).reshape(12, 2))
        a = mv.create_group("_attrs")
        a.create_dataset("n_trials", data=np.int64(12))
        a.create_dataset("pad_margin", data=np.array([0.0, 0.0]))
        a.create_dataset("pre_samples", data=np.int64(0))
        a.create_dataset("post_samples", data=np.int64(0))

        frif = u.create_group("features/frif/data")
        frif.create_dataset("flag", data=np.bool_(True))
        frif.create_dataset("npflag", data="False", dtype=STR)
        frif.create_dataset("lst", data=np.array([1.5, 2.5]))
        frif.create_dataset("tup", data=np.array([1, 2], dtype=np.int64))
        frif.create_dataset("f32", data=np.float64(np.float32(0.25)))
        frif.create_dataset("i32", data=np.int64(7))
        frif.create_dataset("bools", data=np.array([True, False, True]))
        u.create_group("features/frif/metadata")
        sta = u.create_group("features/sta_perfect_dense_noise_15x15_15hz_r42_3min")
        sta.create_dataset("data", data=np.arange(36, dtype=np.float32).reshape(4, 3, 3))
        sm = sta.create_group("metadata")
        sm.create_dataset("n_spikes_used", data=np.int64(2))
        sm.create_dataset("n_spikes_excluded", data=np.int64(1))
        sm.create_dataset("cover_range", data=np.array([-60, 0], dtype=np.int64))
        sm.create_dataset("movie_name", data="perfect_dense_noise_15x15_15hz_r42_3min", dtype=STR)

        m = f.create_group("metadata")
        m.create_dataset("dataset_id", data="2024.08.08-10.40.20-Rec", dtype=STR)
        m.create_dataset("acquisition_rate", data=np.float64(20000.0))
        m.create_dataset("sample_interval", data=np.float64(1 / 20000.0))
        m.create_dataset("frame_timestamps", data=np.array([0, 333, 666, 1000], dtype=np.uint64))
        m.create_dataset("section_time_repeats", data=np.int64(2))
        m.create_dataset("sys_meta/key/with/slash", data=np.int64(1))
        m.create_dataset("sys_meta/LB.RecordingDuration", data=np.int64(60000000))

        s = f.create_group("stimulus")
        s.create_dataset("frame_times/default", data=np.array([0, 333, 666, 1000], dtype=np.uint64))
        s.create_dataset("section_time/step_up_5s_5i_b0_30x", data=np.array([[100, 900], [1000, 1900]], dtype=np.int64))
        s.create_dataset("light_reference/raw_ch1", data=np.linspace(0, 1, 5, dtype=np.float32))

        src = f.create_group("source_files")
        src.attrs["cmcr_path"] = "O:\\data\\2024.08.08-10.40.20-Rec.cmcr"
        src.attrs["cmtr_path"] = "O:\\data\\2024.08.08-10.40.20-Rec-.cmtr"

        p = f.create_group("pipeline")
        p.attrs["stage1_completed"] = np.bool_(True)
        p.attrs["stage1_timestamp"] = "2025-12-28T11:00:00.000001+00:00"
        info = p.create_group("session_info")
        info.attrs["saved_at"] = "2025-12-28T11:00:00.000001+00:00"
        info.create_dataset("completed_steps", data=np.array(["load_recording", "add_section_time"], dtype=object), dtype=STR)
        info.create_dataset("warnings", data=np.array(["Using default acquisition_rate: 20000 Hz"], dtype=object), dtype=STR)


def immediate_layout(path):
    with h5py.File(path, "w") as f:
        f.attrs["dataset_id"] = "2023.01.01-00.00.00-Rec"
        f.attrs["hdmea_pipeline_version"] = "0.1.0"
        f.attrs["created_at"] = "2023-01-01T00:00:00.000000+00:00"
        f.attrs["updated_at"] = "2023-01-02T00:00:00.000000+00:00"
        f.attrs["stage1_completed"] = np.bool_(True)
        f.attrs["features_extracted"] = json.dumps(["frif"])
        f.attrs["source_files"] = json.dumps(
            {"cmcr_path": "/data/x.cmcr", "cmtr_path": "/data/x-.cmtr", "cmcr_exists": True, "cmtr_exists": True})

        m = f.create_group("metadata")
        m.create_dataset("acquisition_rate", data=np.array([20000.0]))
        m.create_dataset("dataset_id", data=np.array(["2023.01.01-00.00.00-Rec"], dtype=object), dtype=STR)

        f.create_dataset("stimulus/frame_time/default", data=np.array([5, 338, 671], dtype=np.uint64))

        u = f.create_group("units/unit_002")
        u.attrs["row"] = np.int64(3)
        u.attrs["col"] = np.int64(4)
        u.attrs["global_id"] = np.int64(199)
        u.attrs["spike_count"] = np.int64(2)
        st = u.create_dataset("spike_times", data=np.array([7, 9], dtype=np.uint64))
        st.attrs["unit"] = "sample_index"
        feat = u.create_group("features/perfect_dense_noise_15x15_15hz_r42_3min")
        feat.create_dataset("sta", data=np.ones((2, 3, 3), dtype=np.float32))
        feat.attrs["n_spikes"] = np.int64(2)
        feat.attrs["cover_range"] = np.array([-60, 0], dtype=np.int64)
        feat.attrs["dtype_warning"] = np.bool_(True)
        eim = u.create_group("features/eimage_sta")
        eim.create_dataset("data", data=np.zeros((3, 2, 2), dtype=np.float32))
        eim.attrs["version"] = "1.0.0"


def not_a_session(path):
    with h5py.File(path, "w") as f:
        f.create_dataset("x", data=np.arange(3))


if __name__ == "__main__":
    session_layout(os.path.join(HERE, "reference-session-layout.h5"))
    immediate_layout(os.path.join(HERE, "reference-immediate-layout.h5"))
    not_a_session(os.path.join(HERE, "plain-hdf5-not-a-session.h5"))
    print("fixtures written to", HERE)
