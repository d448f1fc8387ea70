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
export { Int64Numbers, NdArray, Uint64Numbers } from "./hdf5/values";
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

// ── display and arrow (issue 5: display protocol, session card, charts, progress, Arrow tables) ──
export {
  PROTOCOL_SCHEMA,
  SESSION_MIME,
  ARROW_MIME,
  PROGRESS_MIME,
  VEGALITE_MIME,
  SVG_MIME,
  HTML_MIME,
  PLAIN_MIME,
  VEGALITE_SCHEMA_URL,
  SESSION_BUNDLE_MAX_BYTES,
  ARROW_BUNDLE_MAX_BYTES,
  SESSION_DISPLAY_ID_PREFIX,
  PROGRESS_DISPLAY_ID_PREFIX,
  JUPYTER_DISPLAY,
} from "./display/protocol";
export type {
  ProtocolJson,
  MimeBundle,
  SessionStepSummary,
  SessionPayload,
  ArrowPayload,
  ProgressPayload,
  VegaLiteSpec,
  SessionBundle,
  ChartBundle,
  ArrowBundle,
  ProgressBundle,
} from "./display/protocol";
export {
  RecordingSink,
  TslabBundleWriter,
  TslabSingleMimeWriter,
  selectDisplayWriter,
  defaultDisplayWriter,
  writeBundle,
} from "./display/writer";
export type {
  DisplayWriter,
  DisplayWriterKind,
  DisplayMessage,
  DisplayMessageType,
  WriteOptions,
  RecordingSinkOptions,
  SelectDisplayWriterOptions,
} from "./display/writer";
export {
  sessionPayload,
  sessionBundle,
  sessionText,
  sessionHtml,
  showSession,
  flushSessionCard,
  sessionDisplayable,
} from "./display/session-card";
export type { SessionBundleOptions, ShowSessionOptions, SessionCard } from "./display/session-card";
export { startProgress, progressBundle, progressText } from "./display/progress";
export type { Progress, ProgressOptions, ProgressOutput } from "./display/progress";
export { renderSvg } from "./display/charts/render";
export type { RenderedSvg } from "./display/charts/render";
export { chartBundle, renderChart, showChart } from "./display/charts/chart";
export type { Chart, PlotOptions } from "./display/charts/chart";
export { staSpec, staViewData, staText } from "./display/charts/sta";
export type { StaSpecOptions, StaViewData } from "./display/charts/sta";
export { rasterSpec, psthSpec, psthBins, alignedSpikes } from "./display/charts/raster";
export type { TrialSpikes, RasterSpecOptions, PsthSpecOptions } from "./display/charts/raster";
export { eimageSpec, eimageViewData, eimageText } from "./display/charts/eimage";
export type { EimageSpecOptions } from "./display/charts/eimage";
export { lightReferenceSpec, reduceTrace, sectionBands } from "./display/charts/light-reference";
export type { LightReferenceSpecOptions } from "./display/charts/light-reference";
export { unitsMapSpec, unitsMapPoints } from "./display/charts/units-map";
export type { UnitsMapSpecOptions, ColumnTable } from "./display/charts/units-map";
export { findPeak, pixelTrace } from "./display/charts/peaks";
export type { ArrayPeak } from "./display/charts/peaks";
export { plotSta, plotRaster, plotPsth, plotEimage, plotLightReference, plotUnitsMap } from "./display/charts/plot";
export type {
  PlotStaOptions,
  PlotTrialsOptions,
  PlotEimageOptions,
  PlotLightReferenceOptions,
  PlotUnitsMapOptions,
} from "./display/charts/plot";
export { unitsTable, recordingDurationS, UNITS_TABLE_COLUMNS } from "./arrow/units-table";
export { spikesTable } from "./arrow/spikes-table";
export { tableToBundle, showTable, tableDisplayable, tableText, tablePreviewHtml, estimateBase64Bytes } from "./arrow/bundle";
export type { TableBundleOptions, ShowTableOptions, ShownTable } from "./arrow/bundle";
export { writeArrow } from "./arrow/write";
export type { WriteArrowOptions } from "./arrow/write";

// --- Recording input: MCS readers, .npy, stimulus configs, recording simulator (io/, simulate/) ---
export { readCmtrUnits } from "./io/cmtr-reader";
export type { ReadCmtrOptions, CmtrContents, CmtrUnit, CmtrPeakRows, CmtrCutouts, SkippedCmtrUnit } from "./io/cmtr-reader";
export { readCmcrInfo, readAnalogChannel, readSensorWindow, sensorChunks, sensorCountChunks, readSensorScale } from "./io/cmcr-reader";
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
  SensorCountWindow,
  SensorScale,
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

// ── steps (issues 3 and 4) ──
export { loadRecording } from "./steps/load-recording";
export { demoRecording, openSimulatedRecording } from "./simulate/demo-recording";
export type { DemoRecordingOptions, OpenSimulatedRecordingOptions } from "./simulate/demo-recording";
export type { LoadRecordingOptions } from "./steps/load-recording";

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

// ── section steps (issue 4 items 2–3): playlist and analog section times, spike sectioning ──
export { addSectionTime } from "./steps/add-section-time";
export type { AddSectionTimeOptions } from "./steps/add-section-time";
export { addSectionTimeAnalog } from "./steps/add-section-time-analog";
export type { AddSectionTimeAnalogOptions } from "./steps/add-section-time-analog";
export { sectionSpikeTimes } from "./steps/section-spike-times";
export type { SectionSpikeTimesOptions } from "./steps/section-spike-times";
export { detectLightOnsets, analogSectionTimes } from "./dsp/light-onsets";
export type { DetectLightOnsetsOptions, AnalogSectionTimesOptions, AnalogSectionTimes } from "./dsp/light-onsets";
// ── features: registry, extractor contract, adapters, built-in extractors, extractFeatures (issue 4 item 6) ──
export { FeatureRegistry } from "./features/registry";
export type { FeatureRegistration } from "./features/registry";
export { defaultFeatureRegistry, createDefaultFeatureRegistry, BUILT_IN_EXTRACTORS } from "./features/default-registry";
export { missingInputs } from "./features/contract";
export type {
  FeatureExtractor,
  ExtractInput,
  FeatureConfig,
  FeatureValues,
  FeatureOutputField,
  FeatureMetadata,
  RuntimeClass,
  InputRoots,
} from "./features/contract";
export { MapAdapter, ValueAdapter } from "./features/adapters";
export { featureParamsHash } from "./features/params-hash";
export { computeFrif, frifExtractor } from "./features/extractors/frif";
export type { FrifOptions, FrifResult } from "./features/extractors/frif";
export { computeStepResponse, stepTrialsOf, stepUpExtractor } from "./features/extractors/step-up";
export type { StepUpConfig, StepResponse, StepResponseOptions } from "./features/extractors/step-up";
export { computeBaselineStats, baselineExtractor } from "./features/extractors/baseline";
export type { BaselineConfig, BaselineStats, BaselineStatsOptions } from "./features/extractors/baseline";
export { computeExampleStats, exampleExtractor } from "./features/extractors/example";
export type { ExampleStats } from "./features/extractors/example";
export { guessCellType, cellTypeExtractor } from "./features/extractors/cell-type";
export type { CellTypeGuess } from "./features/extractors/cell-type";
export { extractFeatures } from "./steps/extract-features";
export type { ExtractFeaturesOptions } from "./steps/extract-features";
// ---- steps: visual STA and electrical-image STA (issue 4 items 4–5) ----
export { computeSta } from "./steps/compute-sta";
export type { ComputeStaOptions } from "./steps/compute-sta";
export { loadRecordingWithEimageSta, computeEimageSta } from "./steps/eimage-sta";
export type { EimageStaStepOptions, EimageUnit, LoadRecordingWithEimageStaOptions, ComputeEimageStaOptions } from "./steps/eimage-sta";
// ---- display: STA viewer payload (labextension/e2e: one protocol for kernel and extension) ----
export { STA_MIME, STA_PAYLOAD_MAX_BYTES } from "./display/protocol";
export type { StaPayload, StaUnitData } from "./display/protocol";
export { staPayload } from "./display/charts/sta-payload";
export type { StaPayloadOptions, UnitSta } from "./display/charts/sta-payload";
export type { ChartExtras } from "./display/charts/chart";
