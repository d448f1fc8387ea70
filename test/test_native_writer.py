"""The native HDF5 writer (kernel-lib/src/hdf5/native-writer.ts) against h5wasm's HDF5 writing the same snapshot:
h5py must see the same file — every group, dataset and attribute in the same order, with the same names, types,
shapes and values, the same creation-order tracking, and the same integrity record — only the storage layout of
large arrays (contiguous instead of chunked) may differ."""
import json

import h5py
import numpy as np


def describe(obj, out, path="/"):
    """Everything h5py can see of `obj` except where its bytes are stored, in h5py's iteration order."""
    attrs = [(name, describe_value(obj.attrs[name], obj.attrs.get_id(name).dtype)) for name in obj.attrs]
    if isinstance(obj, h5py.Group):
        order = obj.id.get_create_plist().get_link_creation_order()
        out.append((path, "group", order, attrs))
        for name in obj:
            describe(obj[name], out, f"{path.rstrip('/')}/{name}")
    else:
        out.append((path, "dataset", str(obj.dtype), obj.shape, describe_value(obj[()], obj.dtype), attrs))
    return out


def describe_value(value, dtype):
    string = h5py.check_string_dtype(dtype)
    if string is not None:
        info = ("vlen" if string.length is None else string.length, string.encoding)
        return info, np.asarray(value, dtype=object).tolist()
    array = np.asarray(value)
    # Bytes, so that NaN compares equal to NaN and -0.0 differs from 0.0.
    return str(array.dtype), array.shape, array.tobytes().hex() if array.nbytes < 4096 else hash(array.tobytes())


def canonical(record):
    """The integrity record with its lists as sorted sets."""
    return {key: sorted(map(json.dumps, value)) if isinstance(value, list) else value for key, value in record.items()}


def test_native_and_h5wasm_files_look_the_same_to_h5py(tmp_path, node):
    native, via_h5wasm = tmp_path / "native.h5", tmp_path / "h5wasm.h5"
    node("write-both", str(native), str(via_h5wasm))
    with h5py.File(native, "r") as a, h5py.File(via_h5wasm, "r") as b:
        seen_native, seen_h5wasm = describe(a, []), describe(b, [])
        record = "/pipeline/session_info/integrity_json"
        assert len(seen_native) > 30
        for left, right in zip(seen_native, seen_h5wasm):
            if left[0] != record:
                assert left == right
        assert len(seen_native) == len(seen_h5wasm)
        # Creation order is tracked on every group below the root (h5py shows the root's file properties instead), as
        # h5wasm's track_order makes it.
        assert all(entry[2] != 0 for entry in seen_native if entry[1] == "group" and entry[0] != "/")
        # The large array is one contiguous block in the native file (HDF5 reads it with a single read).
        assert a["stimulus/light_reference/raw_ch2"].chunks is None
        # The same record (listed in write order: the h5wasm file was written from the loaded snapshot, whose unit
        # maps list attributes first).
        native_record, h5wasm_record = (json.loads(f[record][()]) for f in (a, b))
        assert canonical(native_record) == canonical(h5wasm_record)
