"""Makes the committed reference outputs that test/test_reference_fidelity.py compares hdmea against.

How the committed files were made (run once; the outputs are committed, the reference's code never is):

1. The reference implementation: a checkout of the public repository jiang-lab-retina/hdmea_processing at commit
   fe13de2 ("fix(cursor): PS 5.1-safe JSON handling for multi-checkpoint stack"), and McsPyDataTools
   (multichannelsystems/McsPyDataTools at commit 3d2a863, "Version 0.4.3"), which the reference reads MCS files with.
2. A Python 3.11 venv from the machine's wheelhouse with numpy 1.26.4, scipy 1.13.1, pandas 2.3.3, h5py 3.14.0,
   pydantic, pint, tabulate, tqdm, scikit-image, pyarrow (``python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip
   install numpy==1.26.4 scipy==1.13.1 pandas==2.3.3 h5py==3.14.0 pyarrow pydantic scikit-image pint tabulate
   tqdm``). McsPy needs numpy < 2 (it converts 1-element attribute arrays with ``int()``); it is put on
   ``sys.path`` from its checkout (it has no wheel here).
3. The simulated recording (see SIMULATE below), written by this project's own command line:
   ``node kernel-lib/dist/cli/main.js simulate --out SIM --duration-s 40 --units 3 --seed 11 --grid 1-8,1-8``.
4. ``/tmp/refvenv/bin/python test/reference-outputs/make_reference_outputs.py REFERENCE_CHECKOUT MCSPY_CHECKOUT SIM``

It runs the reference's session pipeline on the recording (load_recording_with_eimage_sta → add_section_time →
section_spike_times → compute_sta → extract_features(baseline_127, example_feature) → save) and writes, in this
folder:

- ``reference_session.h5``: the reference's saved session, copied dataset by dataset with gzip compression (values,
  dtypes, shapes and attributes unchanged; compression only makes it small enough to commit);
- ``roundtrip_ours.h5``: a session file written by hdmea (``ours_session.h5``, made by
  test/reference-outputs/run_ours.cjs on the same recording), loaded with the reference's own
  ``PipelineSession.load`` and saved again with the reference's ``save`` (gzip-copied the same way);
- ``manifest.json``: the commands, versions and options above, as data.
"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SIMULATE = ["--duration-s", "40", "--units", "3", "--seed", "11", "--grid", "1-8,1-8"]
PLAYLIST = "simulated_playlist"
FEATURES = ["baseline_127", "example_feature"]


def gzip_copy(source: Path, target: Path) -> None:
    """Copies every group, dataset and attribute of ``source`` into ``target``; datasets of ≥ 64 elements gzip-compressed."""
    import h5py

    with h5py.File(source, "r") as src, h5py.File(target, "w") as dst:
        for name, value in src.attrs.items():
            dst.attrs[name] = value

        def copy(name, obj):
            if isinstance(obj, h5py.Group):
                group = dst.require_group(name)
                for key, value in obj.attrs.items():
                    group.attrs[key] = value
            else:
                big = obj.shape != () and obj.size >= 64 and obj.dtype.kind in "iufb"
                dataset = dst.create_dataset(
                    name, data=obj[()], dtype=obj.dtype, **({"compression": "gzip", "compression_opts": 9, "shuffle": True} if big else {})
                )
                for key, value in obj.attrs.items():
                    dataset.attrs[key] = value

        src.visititems(copy)


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    reference, mcspy, sim = (Path(arg).resolve() for arg in sys.argv[1:])
    sys.path[:0] = [str(reference / "src"), str(mcspy / "McsPyDataTools")]
    import h5py
    import numpy
    import scipy

    from hdmea.features.sta import compute_sta
    from hdmea.io.section_time import add_section_time
    from hdmea.io.spike_sectioning import section_spike_times
    from hdmea.pipeline.runner import extract_features, load_recording_with_eimage_sta
    from hdmea.pipeline.session import PipelineSession, create_session

    if not (sim / "sim-seed11.cmcr").exists():
        subprocess.run(["node", str(REPO / "kernel-lib/dist/cli/main.js"), "simulate", "--out", str(sim), *SIMULATE], check=True)
    stimuli = sim / "stimuli"
    work = Path(tempfile.mkdtemp(prefix="hdmea-reference-"))
    try:
        session = create_session(dataset_id="sim-seed11")
        session = load_recording_with_eimage_sta(str(sim / "sim-seed11.cmcr"), str(sim / "sim-seed11.cmtr"), session=session)
        session = add_section_time(
            playlist_name=PLAYLIST,
            playlist_file_path=str(stimuli / "playlist.csv"),
            movie_length_file_path=str(stimuli / "movie_length.csv"),
            session=session,
        )
        session = section_spike_times(config_dir=str(stimuli / "configs"), session=session)
        session = compute_sta(stimuli_dir=stimuli / "movies", use_multiprocessing=False, session=session)
        session = extract_features(features=FEATURES, session=session)
        saved = Path(session.save(str(work / "reference_session.h5"), overwrite=True))
        gzip_copy(saved, HERE / "reference_session.h5")

        ours = work / "ours_session.h5"
        subprocess.run(["node", str(HERE / "run_ours.cjs"), str(sim), str(ours)], check=True, cwd=REPO)
        loaded = PipelineSession.load(str(ours))
        resaved = Path(loaded.save(str(work / "roundtrip_ours.h5"), overwrite=True))
        gzip_copy(resaved, HERE / "roundtrip_ours.h5")

        manifest = {
            "reference": {"repository": "jiang-lab-retina/hdmea_processing", "commit": "fe13de2"},
            "mcspy": {"repository": "multichannelsystems/McsPyDataTools", "commit": "3d2a863"},
            "simulate": ["hdmea", "simulate", "--out", "SIM", *SIMULATE],
            "pipeline": {
                "load_recording_with_eimage_sta": "defaults",
                "add_section_time": {"playlist_name": PLAYLIST, "playlist_file_path": "SIM/stimuli/playlist.csv", "movie_length_file_path": "SIM/stimuli/movie_length.csv"},
                "section_spike_times": {"config_dir": "SIM/stimuli/configs"},
                "compute_sta": {"stimuli_dir": "SIM/stimuli/movies", "use_multiprocessing": False},
                "extract_features": FEATURES,
            },
            "versions": {"python": sys.version.split()[0], "numpy": numpy.__version__, "scipy": scipy.__version__, "h5py": h5py.__version__},
            "warnings": list(session.warnings),
            "completed_steps": sorted(session.completed_steps),
        }
        (HERE / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
