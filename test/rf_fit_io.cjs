// Helper for test_rf_fit_layout.py: simulates a small recording, runs the pipeline up to fitReceptiveFields with the
// built hdmea library, saves the session to OUT.h5 and prints what hdmea holds for each unit's rf_fit_* feature as
// JSON, so Python can compare it with what h5py reads. Usage: node rf_fit_io.cjs WORKDIR OUT.h5
const h = require("hdmea");

async function main(workDir, out) {
  const rec = await h.simulateRecording({ outputDir: workDir, durationS: 40, unitCount: 4, unitsWithoutRf: 1, seed: 9, stimuli: ["noise"], grid: { rows: [33, 34], columns: [33, 34] }, overwrite: true });
  const session = await h.loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new h.PipelineSession({ datasetId: "rf-layout", logger: h.recordingLogger() }) });
  await h.addSectionTime({ session, playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath });
  await h.sectionSpikeTimes({ session, configDir: rec.configDir });
  await h.computeSta({ session, stimuliDir: rec.moviesDir });
  await h.fitReceptiveFields({ session, stimuliDir: rec.moviesDir, shuffles: 5, seed: 3 });
  await session.save(out);
  const summary = {};
  for (const [unitId, unit] of Object.entries(session.units)) {
    const name = Object.keys(unit.features).find((key) => key.startsWith("rf_fit_"));
    const { data, metadata } = unit.features[name];
    summary[unitId] = {
      name,
      spatial_map: { shape: data.spatial_map.shape, values: Array.from(data.spatial_map.data) },
      temporal_filter: Array.from(data.temporal_filter),
      temporal_filter_time_ms: Array.from(data.temporal_filter_time_ms),
      metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v) : v])),
    };
  }
  process.stdout.write(JSON.stringify(summary));
}

main(process.argv[2], process.argv[3]).catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
