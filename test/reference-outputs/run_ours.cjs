// Runs hdmea's session pipeline on a simulated recording folder the way make_reference_outputs.py runs the
// reference's, and saves the session:   node run_ours.cjs SIM_DIR OUT.h5
// Only the recording's files are used (the playlist, configs and movie from SIM_DIR/stimuli), never the
// simulator's ground truth. Uses the built library (kernel-lib/dist: run `npm run build` first).
"use strict";
const fs = require("fs");
const path = require("path");
const hdmea = require(path.join(__dirname, "..", "..", "kernel-lib", "dist"));

async function main() {
  const [simDir, out] = process.argv.slice(2);
  const stimuli = path.join(simDir, "stimuli");
  const playlistPath = path.join(stimuli, "playlist.csv");
  const playlistName = fs.readFileSync(playlistPath, "utf8").split("\n")[1].split(",")[0];
  const session = new hdmea.PipelineSession({ datasetId: "sim-seed11", logger: hdmea.recordingLogger() });
  await hdmea.loadRecordingWithEimageSta({ session, cmcrPath: path.join(simDir, "sim-seed11.cmcr"), cmtrPath: path.join(simDir, "sim-seed11.cmtr") });
  await hdmea.addSectionTime({ session, playlistName, playlistPath, movieLengthPath: path.join(stimuli, "movie_length.csv") });
  await hdmea.sectionSpikeTimes({ session, configDir: path.join(stimuli, "configs") });
  await hdmea.computeSta({ session, stimuliDir: path.join(stimuli, "movies") });
  await hdmea.extractFeatures({ session, features: ["baseline_127", "example_feature"] });
  await session.save(out);
  process.stdout.write(JSON.stringify({ warnings: session.warnings, completed: [...session.completedSteps] }) + "\n");
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
