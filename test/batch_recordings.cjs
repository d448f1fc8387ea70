// Writes small simulated recordings for the batch tests, each in its own folder with its stimulus files:
//   node batch_recordings.cjs OUT_DIR FIRST COUNT   → OUT_DIR/rec-XX/rec-XX.{cmcr,cmtr} + stimuli/, XX = FIRST…
// Short (18 s), 3 units, a 2 × 2 electrode block: the batch machinery is what is tested, not the science.
"use strict";
const path = require("path");
const hdmea = require(path.join(__dirname, "..", "kernel-lib", "dist"));

async function main() {
  const [outDir, first, count] = process.argv.slice(2);
  for (let i = Number(first); i < Number(first) + Number(count); i++) {
    const name = `rec-${String(i).padStart(2, "0")}`;
    await hdmea.simulateRecording({
      outputDir: path.join(outDir, name),
      datasetName: name,
      durationS: 18,
      unitCount: 3,
      seed: 100 + i,
      stimuli: ["step", "noise"],
      padFrames: 30,
      grid: { rows: [32, 33], columns: [32, 33] },
    });
  }
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
