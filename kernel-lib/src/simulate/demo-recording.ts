/**
 * The demo recording the notebooks and the README's main command use: the simulator's default recipe, written on
 * first use (a few seconds) and reused afterwards.
 */
import * as fs from "fs";
import * as path from "path";
import { DataLoadError, FileNotFoundError } from "../errors";
import type { GroundTruth } from "./ground-truth";
import { messages } from "./messages";
import { streamFor } from "./prng";
import { simulateRecording, type SimulatedRecording } from "./simulate-recording";
import { planStimulus } from "./stimulus-plan";
import { stimulusFilePaths } from "./write-stimulus-files";

/** Options of {@link demoRecording}. */
export interface DemoRecordingOptions {
  /** Folder of the demo files. Default `demo-data` in the working directory (the notebook's folder). */
  readonly outputDir?: string;
}

/** The default demo recording: simulated into `outputDir` on first use, then found there again. */
export async function demoRecording(options: DemoRecordingOptions = {}): Promise<SimulatedRecording> {
  const outputDir = path.resolve(options.outputDir ?? "demo-data");
  const groundTruthPath = path.join(outputDir, "sim-seed1.ground-truth.json");
  if (fs.existsSync(groundTruthPath)) return openSimulatedRecording({ groundTruthPath });
  return simulateRecording({ outputDir });
}

/** Options of {@link openSimulatedRecording}. */
export interface OpenSimulatedRecordingOptions {
  /** The `<name>.ground-truth.json` written by `simulateRecording`. */
  readonly groundTruthPath: string;
}

/**
 * Finds the files of a recording simulated earlier from its ground truth (the recipe in it rebuilds the stimulus
 * plan, which names the stimulus files). Throws `FileNotFoundError` when the ground truth or a recording file is
 * missing, `DataLoadError` when the ground truth is not one.
 */
export function openSimulatedRecording(options: OpenSimulatedRecordingOptions): SimulatedRecording {
  const groundTruthPath = path.resolve(options.groundTruthPath);
  if (!fs.existsSync(groundTruthPath)) throw new FileNotFoundError(groundTruthPath, messages.groundTruthMissing(groundTruthPath));
  let groundTruth: GroundTruth;
  try {
    groundTruth = JSON.parse(fs.readFileSync(groundTruthPath, "utf8")) as GroundTruth;
  } catch (error) {
    throw new DataLoadError(groundTruthPath, messages.groundTruthUnreadable(groundTruthPath), { cause: error });
  }
  if (typeof groundTruth?.recipe?.datasetName !== "string" || typeof groundTruth.files?.cmcr !== "string") {
    throw new DataLoadError(groundTruthPath, messages.groundTruthUnreadable(groundTruthPath));
  }
  const outputDir = path.dirname(groundTruthPath);
  const { recipe } = groundTruth;
  const cmcrPath = path.join(outputDir, groundTruth.files.cmcr);
  const cmtrPath = path.join(outputDir, groundTruth.files.cmtr);
  for (const file of [cmcrPath, cmtrPath]) {
    if (!fs.existsSync(file)) throw new FileNotFoundError(file, messages.recordingFileMissing(file, groundTruthPath));
  }
  const files = stimulusFilePaths(outputDir, planStimulus(recipe, streamFor(recipe.seed, "noise-movie")));
  return { ...files, cmcrPath, cmtrPath, groundTruthPath, recipe, groundTruth };
}
