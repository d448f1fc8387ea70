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

// --- Recording input: MCS readers, .npy, stimulus configs, recording simulator (io/, simulate/) ---
export { readCmtrUnits } from "./io/cmtr-reader";
export type { ReadCmtrOptions, CmtrContents, CmtrUnit, CmtrPeakRows, CmtrCutouts, SkippedCmtrUnit } from "./io/cmtr-reader";
export { readCmcrInfo, readAnalogChannel, readSensorWindow, sensorChunks } from "./io/cmcr-reader";
export type {
  ReadCmcrInfoOptions,
  CmcrInfo,
  CmcrSensorInfo,
  CmcrAnalogInfo,
  SensorRegion,
  ReadAnalogChannelOptions,
  AnalogChannel,
  SensorSelection,
  ReadSensorWindowOptions,
  SensorChunksOptions,
  SensorWindow,
} from "./io/cmcr-reader";
export type { AttributeValue } from "./io/h5-read";
export { sensorIdOf, rowColumnOf, CHIP_SIDE } from "./io/sensor-ids";
export { readNpy } from "./io/npy-reader";
export type { ReadNpyOptions } from "./io/npy-reader";
export { writeNpy } from "./io/npy-writer";
export type { WriteNpyOptions } from "./io/npy-writer";
export type { NpyArray, NpyData, NpyDtype } from "./io/npy-format";
export { readPlaylistCsv, readMovieLengthCsv, readStimulusConfig } from "./io/stimulus-configs";
export type {
  ReadPlaylistCsvOptions,
  ReadMovieLengthCsvOptions,
  ReadStimulusConfigOptions,
  StimulusSectionConfig,
} from "./io/stimulus-configs";
export { simulateRecording } from "./simulate/simulate-recording";
export type { SimulatedRecording } from "./simulate/simulate-recording";
export type { SimulateRecordingOptions, SimulationRecipe, SimulatedStimulus, GridSubset } from "./simulate/options";
export type { GroundTruth, GroundTruthUnit } from "./simulate/ground-truth";
export type { StimulusFiles } from "./simulate/write-stimulus-files";
