/**
 * The recording simulator:
 *
 *   resolve options (recipe) → plan the display → create units → LNP spikes → write stimulus files → write .cmcr
 *   → write .cmtr → write ground truth
 *
 * Every random draw comes from a stream derived from the recipe seed and a fixed label, so the same recipe gives
 * the same data. (HDF5 object headers carry modification times, so the .cmcr/.cmtr bytes differ between runs in
 * those header fields only; every dataset and attribute is identical, and the other files are byte-identical.)
 */
import * as fs from "fs";
import * as path from "path";
import { FileExistsError } from "../errors";
import { writeFileAtomically } from "../hdf5/atomic-write";
import { loadH5wasm } from "../hdf5/bridge";
import { buildGroundTruth, type GroundTruth } from "./ground-truth";
import { messages } from "./messages";
import { resolveOptions, type SimulateRecordingOptions, type SimulationRecipe } from "./options";
import { streamFor } from "./prng";
import { simulateSpikes } from "./spike-model";
import { withoutReceptiveFields } from "./rf-free-units";
import { planStimulus } from "./stimulus-plan";
import { createUnits, WAVEFORM_SAMPLES } from "./units-model";
import { MICROVOLTS_PER_COUNT, SENSOR_NOISE_UV, writeCmcr } from "./write-cmcr";
import { writeCmtr } from "./write-cmtr";
import { stimulusFilePaths, writeStimulusFiles, type StimulusFiles } from "./write-stimulus-files";

/** What {@link simulateRecording} wrote. */
export interface SimulatedRecording extends StimulusFiles {
  readonly cmcrPath: string;
  readonly cmtrPath: string;
  readonly groundTruthPath: string;
  /** The resolved options the recording was made from (also stored in the ground truth). */
  readonly recipe: SimulationRecipe;
  readonly groundTruth: GroundTruth;
}

/** The DateTime root attribute of simulated files (fixed, so files do not depend on the clock). */
const DATE_TIME = "01.01.2025 12:00:00";

/**
 * Writes a synthetic retina recording with known ground truth: a `.cmcr` (sensor data with each spike's footprint
 * plus noise; photodiode and frame-sync analog channels), a `.cmtr` (sorted units with included and excluded
 * peaks), the playlist/movie-length CSVs, stimulus JSON configs, the dense-noise movie `.npy`, and
 * `<name>.ground-truth.json`. Throws `ConfigurationError` for bad options (before writing anything) and
 * `FileExistsError` when the files exist and `overwrite` is not set.
 *
 * @example
 * const rec = await simulateRecording({ outputDir: "demo", durationS: 60, unitCount: 6, seed: 7 });
 * // rec.cmcrPath, rec.cmtrPath, rec.groundTruth.units[0].spikeTimesSamples
 */
export async function simulateRecording(options: SimulateRecordingOptions): Promise<SimulatedRecording> {
  const { recipe, outputDir, overwrite } = resolveOptions(options);
  const plan = planStimulus(recipe, streamFor(recipe.seed, "noise-movie"));
  const cmcrPath = path.join(outputDir, `${recipe.datasetName}.cmcr`);
  const cmtrPath = path.join(outputDir, `${recipe.datasetName}.cmtr`);
  const groundTruthPath = path.join(outputDir, `${recipe.datasetName}.ground-truth.json`);
  const files = stimulusFilePaths(outputDir, plan);
  if (!overwrite) {
    const targets = [cmcrPath, cmtrPath, groundTruthPath, files.playlistCsvPath, files.movieLengthCsvPath];
    const existing = targets.find((target) => fs.existsSync(target));
    if (existing !== undefined) throw new FileExistsError(existing, messages.outputExists(existing));
  }

  const units = withoutReceptiveFields(createUnits(recipe.unitCount, recipe.grid, streamFor(recipe.seed, "units")), recipe.unitsWithoutRf);
  const margin = Math.max(WAVEFORM_SAMPLES, recipe.cutoutSamples) + 1;
  const spikes = units.map((unit) =>
    simulateSpikes(unit, plan, recipe.samplingRateHz, margin, streamFor(recipe.seed, `spikes-${unit.unitNumber}`)),
  );

  fs.mkdirSync(outputDir, { recursive: true });
  writeStimulusFiles(files, plan);
  const h5 = await loadH5wasm();
  const cmcrName = path.basename(cmcrPath);
  await writeFileAtomically(cmcrPath, (tempPath) => {
    const file = new h5.File(tempPath, "w");
    try {
      writeCmcr(
        file,
        { recipe, fileName: cmcrName, plan, units, spikes, dateTime: DATE_TIME },
        {
          ids: streamFor(recipe.seed, "cmcr-ids"),
          sensorNoise: streamFor(recipe.seed, "sensor-noise"),
          analogNoise: streamFor(recipe.seed, "analog-noise"),
        },
      );
      file.flush();
    } finally {
      file.close();
    }
  });
  await writeFileAtomically(cmtrPath, (tempPath) => {
    const file = new h5.File(tempPath, "w");
    try {
      writeCmtr(
        file,
        { recipe, fileName: path.basename(cmtrPath), cmcrFileName: cmcrName, sampleCount: plan.sampleCount, units, spikes, dateTime: DATE_TIME },
        { ids: streamFor(recipe.seed, "cmtr-ids"), peaks: streamFor(recipe.seed, "peaks") },
      );
      file.flush();
    } finally {
      file.close();
    }
  });

  const groundTruth = buildGroundTruth({
    recipe,
    files: { cmcr: cmcrName, cmtr: path.basename(cmtrPath) },
    plan,
    playlistName: files.playlistName,
    units,
    spikes,
    microvoltsPerCount: MICROVOLTS_PER_COUNT,
    noiseUv: SENSOR_NOISE_UV,
  });
  await writeFileAtomically(groundTruthPath, (tempPath) => fs.writeFileSync(tempPath, `${JSON.stringify(groundTruth)}\n`));
  return { ...files, cmcrPath, cmtrPath, groundTruthPath, recipe, groundTruth };
}
