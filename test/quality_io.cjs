// Helper for test_quality_with_h5py.py: simulates a small recording with planted refractory-period breaches,
// computes the quality metrics, labels units, saves the session to OUT.h5 with the built hdmea library, and prints
// what was planted and labelled as JSON. Usage: node quality_io.cjs OUT.h5 WORKDIR
const path = require("path");
const { simulateRecording, createSession, loadRecording, computeQualityMetrics, labelUnits, selectUnits, recordingLogger } = require("hdmea");

async function main() {
  const [out, workDir] = process.argv.slice(2);
  const rec = await simulateRecording({
    outputDir: path.join(workDir, "recording"),
    durationS: 30,
    unitCount: 5,
    seed: 21,
    grid: { rows: [10, 12], columns: [10, 12] },
    padFrames: 60,
    baselineFrames: 30,
    stepFrames: 30,
    stepRepeats: 2,
    stepLeadFrames: 30,
    refractoryBreaches: [{ unitNumber: 4, fraction: 0.1 }],
  });
  const session = createSession({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, logger: recordingLogger() });
  await loadRecording({ session, cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath });
  await computeQualityMetrics({ session, refractoryMs: 1.5, censoredMs: 0.1 });
  const rejected = selectUnits({ session, where: { isi_violations_count: { min: 1 } } });
  await labelUnits({ session, unitIds: rejected, label: "reject" });
  await labelUnits({ session, unitIds: ["unit_001"], label: "keep" });
  await session.save(out);
  const planted = {};
  for (const unit of rec.groundTruth.units) {
    planted[unit.unitId] = { spikes: unit.spikeTimesSamples.length, violations: unit.refractoryBreach ? unit.refractoryBreach.plantedSamples.length : 0 };
  }
  console.log(JSON.stringify({ planted, rejected, kept: ["unit_001"] }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
