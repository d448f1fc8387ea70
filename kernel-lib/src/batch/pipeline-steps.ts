/**
 * The steps a batch pipeline may name, by their recorded step names, and which of their options the batch fills in
 * per recording (paths of the recording and of its stimulus files). Everything else is the user's, checked against
 * the step's declared defaults.
 */
import type { PipelineSession } from "../session/session";
import { addSectionTime } from "../steps/add-section-time";
import { computeSta } from "../steps/compute-sta";
import { extractFeatures } from "../steps/extract-features";
import { computeEimageSta } from "../steps/eimage-sta";
import { loadRecording } from "../steps/load-recording";
import { sectionSpikeTimes } from "../steps/section-spike-times";

/** The stimulus keys of a batch file (`[stimulus]`). */
export type StimulusKey = "playlist" | "movie_length" | "playlist_name" | "config_dir" | "movies_dir";

/** One recording's inputs, as the batch resolved them. */
export interface RecordingInputs {
  readonly recordingId: string;
  readonly cmcrPath: string;
  readonly cmtrPath: string;
  readonly stimulus: Readonly<Partial<Record<StimulusKey, string>>>;
}

/** A step the batch can run, in session mode. */
export interface BatchStep {
  readonly name: string;
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Options the batch sets from the recording and `[stimulus]`; a pipeline entry may not set them. */
  readonly filledOptions: readonly string[];
  /** Options that cannot come from a text file (arrays in memory, registries). */
  readonly forbiddenOptions: readonly string[];
  /** `[stimulus]` keys this step needs. */
  readonly needsStimulus: readonly StimulusKey[];
  /** The filled options for one recording. */
  fill(recording: RecordingInputs): Record<string, unknown>;
  run(options: Record<string, unknown>, session: PipelineSession): Promise<PipelineSession>;
}

type SessionStep = (options: Record<string, unknown> & { session: PipelineSession }) => Promise<PipelineSession>;

function batchStep(
  step: { stepName: string; defaults: object },
  spec: Omit<BatchStep, "name" | "defaults" | "run">,
): BatchStep {
  const call = step as unknown as SessionStep;
  return {
    name: step.stepName,
    defaults: step.defaults as Record<string, unknown>,
    ...spec,
    run: (options, session) => call({ ...options, session }),
  };
}

/** The batch steps by recorded name, in the order a pipeline usually runs them. */
export const BATCH_STEPS: ReadonlyMap<string, BatchStep> = new Map(
  [
    batchStep(loadRecording, {
      filledOptions: ["cmcrPath", "cmtrPath", "datasetId"],
      forbiddenOptions: [],
      needsStimulus: [],
      fill: (r) => ({ cmcrPath: r.cmcrPath, cmtrPath: r.cmtrPath, datasetId: r.recordingId }),
    }),
    batchStep(addSectionTime, {
      filledOptions: ["playlistPath", "movieLengthPath", "playlistName"],
      forbiddenOptions: [],
      needsStimulus: ["playlist", "movie_length", "playlist_name"],
      fill: (r) => ({ playlistPath: r.stimulus.playlist, movieLengthPath: r.stimulus.movie_length, playlistName: r.stimulus.playlist_name }),
    }),
    batchStep(sectionSpikeTimes, {
      filledOptions: ["configDir"],
      forbiddenOptions: [],
      needsStimulus: ["config_dir"],
      fill: (r) => ({ configDir: r.stimulus.config_dir }),
    }),
    batchStep(computeSta, {
      filledOptions: ["stimuliDir"],
      forbiddenOptions: ["movie"],
      needsStimulus: ["movies_dir"],
      fill: (r) => ({ stimuliDir: r.stimulus.movies_dir }),
    }),
    batchStep(computeEimageSta, {
      filledOptions: ["cmcrPath"],
      forbiddenOptions: [],
      needsStimulus: [],
      fill: (r) => ({ cmcrPath: r.cmcrPath }),
    }),
    batchStep(extractFeatures, {
      filledOptions: [],
      forbiddenOptions: ["registry"],
      needsStimulus: [],
      fill: () => ({}),
    }),
  ].map((step) => [step.name, step]),
);
