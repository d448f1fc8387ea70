/**
 * `loadRecording` (reference §3.1 with the §9 decisions): reads the spike sorter (`.cmtr`) and the analog streams of
 * the raw file (`.cmcr`) — never the sensor data — and fills the session:
 *
 *   check paths → read CMTR units → read CMCR info + light reference → choose the acquisition rate →
 *   detect frame timestamps → convert spikes to samples, firing rates, mean waveforms → add to the session
 *
 * Problems the reference treats as recoverable (a file that fails to load, no analog data, frame detection
 * failing, mismatched file names) become session warnings with the reference's texts.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigurationError, FileNotFoundError, HdmeaError } from "../errors";
import { readAnalogChannel, readCmcrInfo, type CmcrInfo } from "../io/cmcr-reader";
import { readCmtrUnits, type CmtrContents, type CmtrUnit } from "../io/cmtr-reader";
import { detectFrameTimestamps } from "../dsp/frame-timestamps";
import { computeFiringRate } from "../dsp/firing-rate";
import { spikeTimesUsToSamples } from "../dsp/spike-samples";
import { downsampleByBlockMean } from "../dsp/templates";
import type { SessionMap } from "../hdf5/values";
import { deriveDatasetId } from "../session/create-session";
import { PipelineSession } from "../session/session";
import { defineStep, type StepContext } from "./define-step";
import { referenceAttributeMap, referenceUnitMeta } from "./unit-meta";
import { loadMessages as messages } from "./load-messages";

/** Options of {@link loadRecording}. */
export interface LoadRecordingOptions {
  /** The raw recording (`.cmcr`): root attributes and analog streams are read, not the sensor data. */
  cmcrPath: string | null;
  /** The spike-sorter results (`.cmtr`). */
  cmtrPath: string | null;
  /** Recording id written to `metadata.dataset_id`; derived from the file names when null. */
  datasetId: string | null;
}

const DEFAULT_RATE_HZ = 20_000;
const RATE_ATTRIBUTE = /samplingrate|sampling_rate|samplerate|sample_rate|acquisitionrate|acquisition_rate/;
const INVALID_ID = /[/\\:*?"<>|]/;
const STEM_NOISE = /(_sorted|_spikes|_raw)$/;
const MEMORY_WARNING_GB = 8;

/** Loads a recording's units, light reference, frame timestamps and metadata into a session. */
export const loadRecording = defineStep<LoadRecordingOptions>({
  name: "load_recording",
  defaults: { cmcrPath: null, cmtrPath: null, datasetId: null },
  validate: checkInputs,
  newSession: (options) => new PipelineSession({ datasetId: datasetIdOf(options) }),
  run: async (context) => {
    const { session, options, warn } = context;
    const datasetId = datasetIdOf(options);
    if (options.cmcrPath && options.cmtrPath && stemOf(options.cmcrPath) !== stemOf(options.cmtrPath)) {
      warn(messages.stemMismatch(options.cmcrPath, options.cmtrPath));
    }

    const cmtr = await loadCmtr(options.cmtrPath, warn);
    context.progress(1, 4, "spike sorter read");
    const cmcr = await loadCmcr(options.cmcrPath, warn);
    context.progress(2, 4, "light reference read");

    const sysMeta: SessionMap = referenceAttributeMap(
      { ...cmtr?.rootAttributes, ...cmcr?.info.rootAttributes },
      { ...cmtr?.rootAttributeDtypes, ...cmcr?.info.rootAttributeDtypes },
    );
    const durationS = cmcr?.info.recordingDurationUs ? cmcr.info.recordingDurationUs / 1e6 : null;
    if (durationS !== null) sysMeta.recording_duration_s = durationS;
    const rate = chooseRate(cmcr, cmtr, durationS, warn);

    const frameTimestamps = detectFrames(cmcr?.lightReference, warn);
    const units = unitsOf(cmtr, rate, durationS);
    context.progress(3, 4, "units converted");

    const metadata: SessionMap = { dataset_id: datasetId, acquisition_rate: rate, sample_interval: 1 / rate };
    if (frameTimestamps !== null) {
      metadata.frame_timestamps = frameTimestamps;
      metadata.frame_time = frameTimestamps.map((sample) => sample / rate);
    }
    metadata.sys_meta = sysMeta;
    const stimulus: SessionMap = {};
    if (cmcr !== null && Object.keys(cmcr.lightReference).length > 0) stimulus.light_reference = cmcr.lightReference;
    if (frameTimestamps !== null) stimulus.frame_times = { default: frameTimestamps };

    session.addUnits(units).addMetadata(metadata);
    if (Object.keys(stimulus).length > 0) session.addStimulus(stimulus);
    session.setSourceFiles({ cmcrPath: options.cmcrPath, cmtrPath: options.cmtrPath });
    if (session.memoryEstimateGb > MEMORY_WARNING_GB) warn(messages.largeSession(session.memoryEstimateGb));
    context.progress(4, 4, "done");
  },
});

function checkInputs(options: Readonly<LoadRecordingOptions>): void {
  const { cmcrPath, cmtrPath } = options;
  if (!cmcrPath && !cmtrPath) throw new ConfigurationError(messages.noInput());
  for (const [file, extension, kind] of [
    [cmcrPath, ".cmcr", "CMCR"],
    [cmtrPath, ".cmtr", "CMTR"],
  ] as const) {
    if (!file) continue;
    if (path.extname(file).toLowerCase() !== extension) throw new ConfigurationError(messages.wrongExtension(extension, file));
    if (!fs.existsSync(file)) throw new FileNotFoundError(file, messages.fileNotFound(kind, file));
  }
  if (options.datasetId !== null) datasetIdOf(options);
}

/** The validated dataset id (reference §3.1.1 step 3). */
function datasetIdOf(options: Readonly<LoadRecordingOptions>): string {
  if (options.datasetId === null) {
    const source = options.cmtrPath || options.cmcrPath;
    if (!source) throw new ConfigurationError(messages.noInput());
    return deriveDatasetId(source);
  }
  const id = options.datasetId.trim().replace(/-+$/, "");
  if (id === "" || INVALID_ID.test(id)) throw new ConfigurationError(messages.invalidDatasetId(options.datasetId));
  return id;
}

/** Lower-cased stem without the sorter's suffixes and the trailing `-` of real `X-.cmtr` files. */
function stemOf(file: string): string {
  return path.basename(file, path.extname(file)).toLowerCase().replace(/-+$/, "").replace(STEM_NOISE, "");
}

async function loadCmtr(cmtrPath: string | null, warn: StepContext<LoadRecordingOptions>["warn"]): Promise<CmtrContents | null> {
  if (!cmtrPath) {
    warn(messages.noCmtr());
    return null;
  }
  try {
    const contents = await readCmtrUnits({ cmtrPath, includeCutouts: true, skipBadUnits: true });
    for (const skipped of contents.skippedUnits) warn(messages.unitSkipped(skipped.groupName, skipped.error.message));
    if (contents.units.length === 0) warn(messages.noUnits(cmtrPath));
    return contents;
  } catch (error) {
    warn(messages.cmtrFailed(describe(error)));
    return null;
  }
}

interface CmcrContents {
  readonly info: CmcrInfo;
  /** `raw_ch1`, `raw_ch2`, `1khz_chN`, `10hz_chN` (float32); empty when the file has no analog stream. */
  readonly lightReference: Record<string, Float32Array>;
  readonly analogSamples: number;
}

async function loadCmcr(cmcrPath: string | null, warn: StepContext<LoadRecordingOptions>["warn"]): Promise<CmcrContents | null> {
  if (!cmcrPath) {
    warn(messages.noCmcr());
    return null;
  }
  try {
    const info = await readCmcrInfo({ cmcrPath });
    const lightReference: Record<string, Float32Array> = {};
    if (info.analog === null) {
      warn(messages.noAnalog(cmcrPath));
      return { info, lightReference, analogSamples: 0 };
    }
    const rawRate = info.recordingDurationUs ? info.analog.sampleCount / (info.recordingDurationUs / 1e6) : DEFAULT_RATE_HZ;
    for (let channel = 1; channel <= Math.min(2, info.analog.channelCount); channel++) {
      const { data } = await readAnalogChannel({ cmcrPath, channel });
      lightReference[`raw_ch${channel}`] = data;
      lightReference[`1khz_ch${channel}`] = downsampleByBlockMean({ signal: data, samplingRateHz: rawRate, targetRateHz: 1000 });
      lightReference[`10hz_ch${channel}`] = downsampleByBlockMean({ signal: data, samplingRateHz: rawRate, targetRateHz: 10 });
    }
    return { info, lightReference, analogSamples: info.analog.sampleCount };
  } catch (error) {
    warn(messages.cmcrFailed(describe(error)));
    return null;
  }
}

/**
 * Reference §3.1.4 step 4: the CMCR estimate (analog samples / recording duration) when the CMCR loaded, else a
 * CMTR rate attribute, else 20 000 Hz with the reference's warning. Without a recording duration the CMCR's sensor
 * tick is used before the default.
 */
function chooseRate(
  cmcr: CmcrContents | null,
  cmtr: CmtrContents | null,
  durationS: number | null,
  warn: StepContext<LoadRecordingOptions>["warn"],
): number {
  if (cmcr !== null) {
    if (durationS !== null && cmcr.analogSamples > 0) return cmcr.analogSamples / durationS;
    return cmcr.info.sensor?.samplingRateHz ?? DEFAULT_RATE_HZ;
  }
  for (const [name, value] of Object.entries(cmtr?.rootAttributes ?? {})) {
    const rate = typeof value === "number" ? value : Number.NaN;
    if (RATE_ATTRIBUTE.test(name.toLowerCase()) && rate > 0) return rate;
  }
  warn(messages.defaultRate());
  return DEFAULT_RATE_HZ;
}

function detectFrames(lightReference: Record<string, Float32Array> | undefined, warn: (m: string) => void): Float64Array | null {
  const signal = lightReference?.raw_ch2 ?? lightReference?.raw_ch1;
  if (signal === undefined || signal.length === 0) return null;
  try {
    return detectFrameTimestamps({ signal });
  } catch (error) {
    warn(messages.frameDetectionFailed(describe(error)));
    return null;
  }
}

/** `unit_NNN` maps (reference §3.1.2, §3.1.4 step 8; row/col/global_id from Unit Info, §3.3). */
function unitsOf(cmtr: CmtrContents | null, rate: number, durationS: number | null): Record<string, SessionMap> {
  const units: Record<string, SessionMap> = {};
  for (const unit of cmtr?.units ?? []) {
    const unitId = `unit_${String(unit.unitNumber).padStart(3, "0")}`;
    const timestampsUs = unit.includedTimestampsUs;
    const entry: SessionMap = {
      spike_times: spikeTimesUsToSamples({ spikeTimesUs: timestampsUs, samplingRateHz: rate }),
      waveform: meanWaveform(unit),
    };
    if (timestampsUs.length > 0) {
      const durationUs = durationS !== null && durationS > 0 ? durationS * 1e6 : timestampsUs[timestampsUs.length - 1] + 1e6;
      entry.firing_rate_10hz = computeFiringRate({ spikeTimesUs: timestampsUs, durationUs });
    }
    const info = unit.unitInfo ?? {};
    const sensorId = numberField(info, "SensorID") ?? numberField(unit.attributes, "SensorID");
    entry.row = numberField(info, "Row") ?? numberField(unit.attributes, "Row") ?? -1;
    entry.col = numberField(info, "Column") ?? numberField(unit.attributes, "Column") ?? -1;
    entry.global_id = sensorId ?? unit.unitNumber;
    entry.unit_num = unit.unitNumber;
    entry.original_name = `Unit_${unit.unitNumber}`;
    entry.unit_meta = referenceUnitMeta(unit);
    units[unitId] = entry;
  }
  return units;
}

/** Element-wise mean of the included cut-outs, summed in float64 from the file's values, stored float32 (as the reference). */
function meanWaveform(unit: CmtrUnit): Float32Array {
  const { data, count, length } = unit.cutouts;
  if (count === 0 || length === 0) return new Float32Array(0);
  const sum = new Float64Array(length);
  for (let row = 0; row < count; row++) {
    for (let i = 0; i < length; i++) sum[i] += data[row * length + i];
  }
  return Float32Array.from(sum, (total) => total / count);
}




function numberField(record: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = record[name];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function describe(error: unknown): string {
  if (error instanceof HdmeaError) return error.message;
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}
