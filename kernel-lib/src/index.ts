/**
 * hdmea — the public API. This file alone decides what `import … from "hdmea"` gives a notebook.
 */
export {
  ErrorCode,
  HdmeaError,
  SessionError,
  ConfigurationError,
  DataLoadError,
  MissingInputError,
  CheckpointError,
  FileExistsError,
  FileNotFoundError,
} from "./errors";
export type { JsonValue } from "./json";
export { NdArray } from "./hdf5/values";
export type { NumericArray, SessionMap, SessionValue } from "./hdf5/values";
export { PipelineSession, SaveState, HDMEA_VERSION } from "./session/session";
export type {
  SessionOptions,
  SaveOptions,
  CheckpointOptions,
  FeatureEntry,
  SourceFiles,
  SessionContext,
  StepRun,
} from "./session/session";
export { createSession, deriveDatasetId } from "./session/create-session";
export type { CreateSessionOptions } from "./session/create-session";
export { StateStore } from "./session/state-store";
export { StepStatus } from "./session/step-records";
export type { StepRecord, StepHook, RecordedParam } from "./session/step-records";
export { consoleLogger, recordingLogger } from "./session/logger";
export type { Logger } from "./session/logger";
export type { MemoryBreakdown } from "./session/memory";
export { nowIso } from "./session/time";

// dsp — the pure numerical core of the pipeline steps (filters, peaks, frames, sectioning, STA, eimage)
export type { SosSection } from "./dsp/sos";
export { sosfiltfiltPadLength } from "./dsp/sos";
export { designButterworthHighpass, sosfiltZi } from "./dsp/butterworth";
export type { ButterworthHighpassOptions } from "./dsp/butterworth";
export { sosfiltfilt, sosfiltfiltColumn } from "./dsp/filtfilt";
export type { SosfiltfiltOptions, SosfiltfiltColumnOptions } from "./dsp/filtfilt";
export { percentile } from "./dsp/percentile";
export type { PercentileOptions } from "./dsp/percentile";
export { findPeaks } from "./dsp/find-peaks";
export type { FindPeaksOptions } from "./dsp/find-peaks";
export { detectFrameTimestamps } from "./dsp/frame-timestamps";
export type { DetectFrameTimestampsOptions } from "./dsp/frame-timestamps";
export { floorFrame, samplesToFrames, framesToSamples, nearestFrame } from "./dsp/frames";
export { computeFiringRate } from "./dsp/firing-rate";
export type { FiringRateOptions } from "./dsp/firing-rate";
export { spikeTimesUsToSamples, spikeTimesUsToSamplesTruncated, roundHalfEven } from "./dsp/spike-samples";
export type { SpikeSamplesOptions } from "./dsp/spike-samples";
export { nanPaddedMean, blockMean, downsampleByBlockMean } from "./dsp/templates";
export type { BlockMeanOptions } from "./dsp/templates";
export { computeSectionTimes, movieNameFromFileName, SECTION_PADDING_FRAMES } from "./dsp/section-time";
export type { SectionTimesOptions, SectionTimes } from "./dsp/section-time";
export {
  parseSectionConfig,
  computeTrialBoundaries,
  padMarginToSamples,
  sectionSpikeTrain,
  planSectioning,
  trialKeysInOrder,
} from "./dsp/trials";
export type {
  SectionConfig,
  TrialBoundariesOptions,
  TrialBoundaries,
  SectionSpikeTrainOptions,
  SectionedSpikeTrain,
  PlanSectioningOptions,
  SkippedMovie,
  SectioningPlan,
} from "./dsp/trials";
export { StaMovie, prepareStaMovie, computeUnitSta, spikeSamplesToMovieFrames, movieContentStartFrame } from "./dsp/sta";
export type { PrepareStaMovieOptions, UnitStaOptions, StaResult, SpikeSamplesToMovieFramesOptions } from "./dsp/sta";
export { computeEimageStas } from "./dsp/eimage";
export type { EimageStaOptions, EimageStaResult, EimageStas, SensorSampleReader } from "./dsp/eimage";
