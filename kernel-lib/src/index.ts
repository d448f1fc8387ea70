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
export type { ProgressEvent } from "./session/session";
export { defineStep } from "./steps/define-step";
export type { Step, StepDefinition, StepContext, StepFileResult, Prerequisite } from "./steps/define-step";
