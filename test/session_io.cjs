// Helper for the Python layout tests: writes a session with the built hdmea library, or loads a file and prints a
// JSON summary of what hdmea sees; or writes the same session once with each of the library's two HDF5 writers.
// Usage: node session_io.cjs write OUT.h5 | read FILE.h5 | write-both NATIVE.h5 H5WASM.h5
const path = require("path");
const { PipelineSession, NdArray, recordingLogger } = require("hdmea");

function summarize(value) {
  if (value instanceof NdArray) return { ndarray: value.data.constructor.name, shape: value.shape, values: Array.from(value.data, Number) };
  if (ArrayBuffer.isView(value)) return { typed: value.constructor.name, values: Array.from(value, Number) };
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === "object") {
    const out = { __keys: Object.keys(value) };
    for (const [k, v] of Object.entries(value)) out[k] = summarize(v);
    return out;
  }
  return value;
}

async function write(out) {
  const session = new PipelineSession({ datasetId: "2025.04.10-11.12.57-Rec", logger: recordingLogger() });
  const trials = {};
  for (let k = 0; k < 12; k++) trials[String(k)] = Float64Array.of(k * 100, k * 100 + 5);
  session.addUnits({
    unit_001: {
      spike_times: Float64Array.of(10, 20, 2 ** 40 + 7),
      firing_rate_10hz: Float32Array.of(30, 10, 20),
      waveform: new Float32Array(0),
      row: 12,
      col: 40,
      original_name: "Unit_1",
      is_good: true,
      spike_times_sectioned: {
        step_up_5s_5i_b0_30x: {
          full_spike_times: Float64Array.of(0, 100, 105),
          trials_spike_times: trials,
          trials_start_end: new NdArray(Float64Array.from({ length: 24 }, (_, i) => i), [12, 2]),
          _attrs: { n_trials: 12, pad_margin: [0, 0], pre_samples: 0, post_samples: 0 },
        },
      },
    },
  });
  session.addFeature("unit_001", "sta_noise", new NdArray(new Float32Array(60 * 15 * 15), [60, 15, 15]), {
    n_spikes_used: 2,
    cover_range: [-60, 0],
    movie_name: "noise",
    on_response_flag: false,
  });
  session.addMetadata({
    acquisition_rate: 20000,
    frame_timestamps: Float64Array.of(0, 333, 666),
    note: "héllo ✓",
    tags: ["a", "bé"],
  });
  session.addStimulus({
    frame_times: { default: Float64Array.of(0, 333, 666) },
    section_time: { step_up_5s_5i_b0_30x: new NdArray(Float64Array.of(100, 900, 1000, 1900), [2, 2]) },
    light_reference: {
      raw_ch1: new Float32Array(5),
      // Above 8 MB: one contiguous block written straight from memory, which h5py must read like any other.
      raw_ch2: Float32Array.from({ length: 3_000_001 }, (_, i) => (i % 1000) * 0.5),
    },
    big_matrix: new NdArray(Float64Array.from({ length: 1201 * 1000 }, (_, i) => i), [1201, 1000]),
  });
  session.setSourceFiles({ cmcrPath: "/data/rec.cmcr", cmtrPath: "/data/rec-.cmtr" });
  session.markStepComplete("load_recording");
  session.markStepComplete("section_spike_times");
  session.addWarning("Using default acquisition_rate: 20000 Hz");
  session.state.set("chosen_cover_range", [-30, 0]);
  await session.save(out);
}

async function read(file) {
  const s = await PipelineSession.load(file, { logger: recordingLogger() });
  const result = {
    datasetId: s.datasetId,
    saveState: s.saveState,
    createdAt: s.createdAt,
    savedAt: s.savedAt,
    completedSteps: [...s.completedSteps],
    warnings: s.warnings,
    sourceFiles: s.sourceFiles,
    units: summarize(s.units),
    metadata: summarize(s.metadata),
    stimulus: summarize(s.stimulus),
  };
  process.stdout.write(JSON.stringify(result));
}

/**
 * The session of `write`, saved by the native writer (as every save is), then its snapshot written again through
 * h5wasm (the internal writer a save falls back on), for comparing the two files with h5py.
 */
async function writeBoth(nativeFile, h5wasmFile) {
  await write(nativeFile);
  // Internal module of the built package (not part of the public API), reached by its file path.
  const sessionFile = require(path.join(path.dirname(require.resolve("hdmea")), "hdf5", "session-file.js"));
  const { snapshot, via } = await sessionFile.readSessionFile(nativeFile);
  if (via !== "native") throw new Error(`the native reader did not read ${nativeFile}`);
  await sessionFile.writeSessionFile(h5wasmFile, snapshot, { via: "h5wasm" });
}

const [mode, file, second] = process.argv.slice(2);
const modes = { write: () => write(file), read: () => read(file), "write-both": () => writeBoth(file, second) };
modes[mode]().catch((error) => {
  console.error(error);
  process.exit(1);
});
