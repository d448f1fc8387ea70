"""Checks a simulated recording from the other side (h5py + numpy), as the reference would read it.

Usage: node dist/cli/main.js simulate --out DIR --duration-s 20 --units 3 --stimuli noise,step --pad-frames 30
       python check-with-h5py.py DIR/sim-seed1   (needs h5py and numpy)

Asserts: identity attributes are scalar fixed-length strings, numeric attributes have shape (1,); numpy rounding of
the IncludePeak == 1 timestamps (µs -> samples at analog samples / LB.RecordingDuration) equals the ground truth;
the reference frame-detection recipe (99.9th percentile, diff, peaks >= 0.1, drop 4) returns exactly the ground
truth frame onsets; the .cmtr external link resolves; the noise movie loads with numpy.load.
"""
import sys
import os
PREFIX = sys.argv[1]
import h5py, numpy as np, json, glob
cm = h5py.File(PREFIX + ".cmcr", "r"); ct = h5py.File(PREFIX + ".cmtr", "r")
gt = json.load(open(PREFIX + ".ground-truth.json"))
def check_attrs(obj, name):
    for k, v in obj.attrs.items():
        if isinstance(v, (bytes, np.bytes_)): continue
        assert isinstance(v, np.ndarray) and v.shape == (1,), (name, k, type(v), getattr(v, "shape", None))
    for k in ("ID.Type", "ID.TypeID", "ID.Instance", "ID.InstanceID"):
        assert isinstance(obj.attrs[k], (bytes, np.bytes_)), (name, k, type(obj.attrs[k]))
def walk(f, skip=()):
    check_attrs(f, "/")
    def visit(name, obj):
        if name.split("/")[0] in skip: return
        check_attrs(obj, name)
    f.visititems(visit)
walk(cm); walk(ct, skip=("Acquisition",))
print("identity attrs OK; root", {k: cm.attrs[k] for k in ("ID.Type", "FileVersion", "LB.RecordingDuration")})
sd = cm["Acquisition/Sensor Data/SensorData 1 1"]; print("sensor", sd.shape, sd.dtype, sd.chunks)
ad = cm["Acquisition/Analog Data/ChannelData 1"]; print("analog", ad.shape, ad.dtype, ad.chunks)
print("SensorMeta", cm["Acquisition/Sensor Data/SensorMeta"].dtype.names)
rate = ad.shape[1] / (cm.attrs["LB.RecordingDuration"][0] / 1e6); print("rate", rate)
sorter = ct["Spike Sorter"]
for u in gt["units"]:
    p = sorter[f"Unit {u['unitNumber']}/Peaks"][()]
    assert p.dtype.names[:3] == ("Timestamp", "PeakAmplitude", "IncludePeak"), p.dtype.names
    inc = p[p["IncludePeak"] == 1]["Timestamp"]
    samples = np.round(inc * rate / 1e6).astype(np.uint64)
    assert samples.tolist() == u["spikeTimesSamples"], u["unitId"]
    ex = np.round(p[p["IncludePeak"] == 0]["Timestamp"] * rate / 1e6).astype(np.uint64)
    assert ex.tolist() == u["excludedPeakSamples"]
    info = sorter[f"Unit {u['unitNumber']}/Unit Info"][()]
    assert info["SensorID"][0] == u["sensorId"] and info["Row"][0] == u["row"]
print("numpy round(µs) == ground truth for", len(gt["units"]), "units")
print("external link via h5py:", ct["Acquisition/Sensor Data/SensorData 1 1"].shape)
ch2 = ad[1].astype(np.float32); p = np.percentile(ch2, 99.9); d = np.diff(ch2 / p)
pk = np.where((d[1:-1] >= 0.1) & (d[1:-1] > d[:-2]) & (d[1:-1] > d[2:]))[0] + 1
assert pk[4:].tolist() == gt["display"]["frameTimestamps"], (pk[:8], gt["display"]["frameTimestamps"][:4])
print("frame detection (reference recipe, numpy) == ground truth:", len(pk) - 4, "frames")
mv = np.load(glob.glob(os.path.join(os.path.dirname(PREFIX), "stimuli/movies/*.npy"))[0]); print("movie", mv.shape, mv.dtype, np.unique(mv))
