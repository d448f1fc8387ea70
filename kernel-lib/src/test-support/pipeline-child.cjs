// A fresh process that runs part of the demo pipeline with the built library (kernel-lib/dist):
//   node pipeline-child.cjs GROUND_TRUTH FIRST_STEP LAST_STEP OUT.h5 [CHECKPOINT_IN.h5]
// runs steps FIRST_STEP … LAST_STEP-1 (0-based, see PIPELINE) on a new session, or on CHECKPOINT_IN when given,
// then checkpoints the session to OUT.h5. Used by steps/pipeline-resume.test.ts.
"use strict";
const path = require("path");
const hdmea = require(path.join(__dirname, "..", "..", "dist"));

/** The pipeline, in order; each entry runs one step on `session` for the simulated recording `rec`. */
function pipeline(rec) {
  const stepMovie = rec.groundTruth.playlist.movies.find((m) => m.kind === "step").name;
  const steps = [
    (session) => hdmea.loadRecording({ session, cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath }),
    (session) =>
      hdmea.addSectionTime({ session, playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath }),
    (session) => hdmea.sectionSpikeTimes({ session, configDir: rec.configDir }),
  ];
  if (typeof hdmea.computeSta === "function") {
    steps.push((session) => hdmea.computeSta({ session, stimuliDir: rec.moviesDir, coverRange: [-30, 0] }));
  }
  steps.push((session) =>
    hdmea.extractFeatures({ session, features: ["frif", "baseline_127", "step_up"], config: { step_up: { movieName: stepMovie } } }),
  );
  return steps;
}

async function main() {
  const [groundTruthPath, first, last, out, checkpointIn] = process.argv.slice(2);
  const rec = hdmea.openSimulatedRecording({ groundTruthPath });
  const logger = hdmea.recordingLogger();
  const session = checkpointIn
    ? await hdmea.PipelineSession.load(checkpointIn, { logger })
    : new hdmea.PipelineSession({ datasetId: "resume", logger, createdAt: "2026-01-01T00:00:00.000000+00:00" });
  const steps = pipeline(rec);
  for (let i = Number(first); i < Number(last); i++) await steps[i](session);
  await session.checkpoint(out, { checkpointName: `after-step-${last}` });
  process.stdout.write(JSON.stringify({ steps: steps.length, completed: [...session.completedSteps] }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
