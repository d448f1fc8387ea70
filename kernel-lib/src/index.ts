/**
 * hdmea — the public API. This file alone decides what `import … from "hdmea"` gives a notebook.
 */
export {
  ErrorCode,
  HdmeaError,
  SessionError,
  ConfigurationError,
  DataLoadError,
  IntegrityError,
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
  FileStatus,
  UnitData,
  SourceFiles,
  SessionContext,
  StepRun,
} from "./session/session";
export { createSession, deriveDatasetId } from "./session/create-session";
export { sessionById, sessionIds } from "./session/registry";
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
export type { Chart, PlotOptions, PlotResult } from "./display/charts/chart";
export { staSpec, staViewData, staText } from "./display/charts/sta";
export type { StaSpecOptions, StaViewData } from "./display/charts/sta";
export { rasterSpec, psthSpec, psthBins, alignedSpikes, meanTrialStimulus } from "./display/charts/raster";
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
export type { TableBundleOptions, ShowTableOptions } from "./arrow/bundle";
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
export type { StaPayload, StaUnitData, StaUnitPeak } from "./display/protocol";
export { staPeak, staFirstFrameOffset, STA_NOISE_FRACTION } from "./dsp/sta-peak";
export type { StaPeak, StaFrames } from "./dsp/sta-peak";
export { staPayload } from "./display/charts/sta-payload";
export type { StaPayloadOptions, UnitSta } from "./display/charts/sta-payload";
export type { ChartExtras } from "./display/charts/chart";
// ---- runs ledger (issue 10 item 1): Project / Run, canonical params, sweeps, aggregation (ledger/) ----
export { Project, DEFAULT_HEARTBEAT_TTL_MS } from "./ledger/project";
export type { ProjectOptions, RunOptions } from "./ledger/project";
export { Run } from "./ledger/run";
export type { ResumeInfo, RunPathOptions } from "./ledger/run";
export type { RunState, RunAttempt } from "./ledger/run-state";
export type { RunStatus, StorageMode, ExistingRunPolicy } from "./ledger/records";
export { canonicalParams, canonicalJson, paramsHash, differingKeys } from "./ledger/canonical-params";
export type { CanonicalParams, CanonicalValue, RunParams } from "./ledger/canonical-params";
export { InvalidParamsError, ParamsMismatchError, RunBusyError, RunStateError, LedgerCorruptError } from "./ledger/errors";
export { product, zip, chain, constants } from "./ledger/sweeps";
export type { Sweep, SweepAxes } from "./ledger/sweeps";
export { aggregateRuns } from "./ledger/aggregate";
export type { AggregateRunsOptions } from "./ledger/aggregate";

// ---- batch over many recordings, schedulers, sweeps as ledger runs (issue 10 items 2–5; batch/) ----
export { openBatch, Batch } from "./batch/open-batch";
export type { BatchRunOptions, BatchRunResult, BatchTaskOptions, BatchStatusReport } from "./batch/open-batch";
export { BatchConfig, RECORDING_DIR_PLACEHOLDER } from "./batch/config";
export type { RecordingsSpec, PipelineEntry, RecordingOverride, BatchResources, LocalSettings } from "./batch/config";
export type { BatchManifest, ManifestEntry } from "./batch/manifest";
export type { FoundRecording } from "./batch/discover";
export type { BatchEvent, LocalRunSummary } from "./batch/local-scheduler";
export type { RecordingOutcome } from "./batch/stage1";
export type { Stage2Result } from "./batch/stage2";
export type { RecordingStatus, RecordingState } from "./batch/status";
export type { SubmitOptions, SubmitResult, ArrayChunk } from "./batch/slurm";
export { arrayIndexFromEnv, ARRAY_INDEX_VARIABLES } from "./batch/array-task";
export type { ArrayIndex } from "./batch/array-task";
export { runSweep } from "./batch/run-sweep";
export type { RunSweepOptions, SweepResult } from "./batch/run-sweep";
export { BatchConfigError, BatchError } from "./errors";
export { BATCH_MIME, BATCH_DISPLAY_ID_PREFIX, BATCH_PAYLOAD_MAX_ITEMS } from "./display/protocol";
export type { BatchPayload, BatchItem, BatchItemState, BatchBundle } from "./display/protocol";
export { batchBundle, batchText, BatchDisplay } from "./display/batch-display";
export type { BatchDisplayOptions } from "./display/batch-display";
export { featureAcrossSpec, featureAcrossPoints } from "./display/charts/feature-across";
export type { FeatureAcrossSpecOptions } from "./display/charts/feature-across";
// ---- unit views: waveform and auto-/cross-correlograms (issue 12, helper "quality") ----
export { computeCorrelogram, CORRELOGRAM_DEFAULTS } from "./dsp/correlogram";
export type { CorrelogramOptions, Correlogram } from "./dsp/correlogram";
export { waveformSpec, waveformPoints, waveformText } from "./display/charts/waveform";
export type { WaveformSpecOptions } from "./display/charts/waveform";
export { correlogramSpec, correlogramBars, correlogramText, pairsWithin } from "./display/charts/correlogram";
export type { CorrelogramSpecOptions, CorrelogramPanel, CorrelogramBar } from "./display/charts/correlogram";
export { plotWaveform, plotCorrelogram, plotEimageFootprint } from "./display/charts/plot-unit";
export type { PlotWaveformOptions, PlotCorrelogramOptions, PlotEimageFootprintOptions } from "./display/charts/plot-unit";
export { eimageFootprintSpec, eimageFootprintData, eimageFootprintText } from "./display/charts/eimage-footprint";
export type { EimageFootprintSpecOptions, EimageFootprintData } from "./display/charts/eimage-footprint";
// ---- unit quality and curation (issue 12, helper "quality") ----
export { isiViolations, contaminationOf, presenceRatio, medianOf, unitQualityMetrics, QUALITY_DEFAULTS, QUALITY_METRIC_NAMES, QUALITY_FEATURE } from "./quality/metrics";
export type { IsiViolationsOptions, IsiViolations, PresenceRatioOptions, UnitQualityOptions, UnitQualityMetrics } from "./quality/metrics";
export { computeQualityMetrics } from "./steps/compute-quality-metrics";
export type { ComputeQualityMetricsOptions } from "./steps/compute-quality-metrics";
export { labelUnits, unitLabel, rejectedUnitIds, unitIdsForStep, UnitLabel, CURATION_LABEL_KEY } from "./quality/curation";
export type { LabelUnitsOptions } from "./quality/curation";
export { selectUnits, unitRows } from "./quality/select-units";
export type { SelectUnitsOptions, UnitFilter, UnitCondition, UnitRange, UnitRow } from "./quality/select-units";
export type { UnitsTableOptions } from "./arrow/units-table";
export { CMTR_SCORE_COLUMNS } from "./arrow/quality-columns";
export type { RefractoryBreach } from "./simulate/refractory-breach";

// ---- receptive-field fits, RF charts and the unit page (issue 12, helper "rf") ----
export { fitGaussian2d, gaussian2dAt, initialGaussian } from "./dsp/gaussian-fit";
export type { Gaussian2d, Gaussian2dFit, FitGaussian2dOptions } from "./dsp/gaussian-fit";
export { decomposeSta, fitReceptiveField, isPlausibleRf, rfSignificance, staPeakEnergy } from "./dsp/receptive-field";
export type { StaDecomposition, DecomposeStaOptions, ReceptiveFieldFit, RfSignificanceOptions, RfSignificance } from "./dsp/receptive-field";
export { fitReceptiveFields } from "./steps/fit-receptive-fields";
export type { FitReceptiveFieldsOptions } from "./steps/fit-receptive-fields";
export { rfMapSpec, rfMosaicSpec, temporalFilterSpec, ellipsePoints } from "./display/charts/receptive-field";
export type { RfOutline, MosaicUnit, RfMapSpecOptions, RfMosaicSpecOptions, TemporalFilterSpecOptions } from "./display/charts/receptive-field";
export { plotRfMosaic, plotRfMap, plotTemporalFilter } from "./display/charts/plot-receptive-field";
export type { PlotRfMosaicOptions, PlotUnitRfOptions } from "./display/charts/plot-receptive-field";
export { showUnitPage, unitPageSpec } from "./display/charts/unit-page";
export type { ShowUnitPageOptions, UnitPageSpecOptions, UnitPageSection } from "./display/charts/unit-page";
export { saveFigure } from "./display/save-figure";
export type { SaveFigureOptions, SavedFigure, FigureFormat } from "./display/save-figure";
