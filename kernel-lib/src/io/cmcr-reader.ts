/**
 * Reader of MCS raw recordings (.cmcr, mcs-file-format.md §1). Metadata first (root attributes, SensorMeta,
 * ChannelMeta, dataset shapes), then bounded hyperslab reads: no function here ever reads a whole sensor stream.
 *
 * Axes as stored: `SensorData 1 1` is (samples, X = column, Y = row) int16 ADC counts; `ChannelData 1` of the analog
 * stream is (channels, samples), channel 1 (row 0) = light reference, channel 2 (row 1) = display frame sync.
 */
import { ConfigurationError, DataLoadError } from "../errors";
import type { H5Dataset, H5File, H5Group } from "../hdf5/bridge";
import { objectHeaderAddress, readHyperslabInto } from "../hdf5/bridge";
import { openDirectRows, type DirectRowReader } from "../hdf5/direct-rows";
import type { Dtype } from "../hdf5/codec";
import {
  attributeDtypes,
  childDataset,
  childGroup,
  closeQuietly,
  guarded,
  guardedAsync,
  numericAttribute,
  openVendorFile,
  readAttributes,
  readCompoundRecords,
  type AttributeValue,
} from "./h5-read";
import { messages } from "./messages";

const ACQUISITION = "Acquisition";
const SENSOR_GROUP = "Sensor Data";
const SENSOR_DATASET = "SensorData 1 1";
const ANALOG_GROUP = "Analog Data";
const ANALOG_DATASET = "ChannelData 1";
/** Bytes of ADC data per hyperslab read: bounds the HDF5 heap and the temporary integer copy. */
const READ_BLOCK_BYTES = 8 * 1024 * 1024;

/** The sensor region of a recording, 1-based inclusive chip coordinates (Left/Right = column, Top/Bottom = row). */
export interface SensorRegion {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The sensor stream of a `.cmcr`. */
export interface CmcrSensorInfo {
  readonly path: string;
  /** [samples, X (columns), Y (rows)] as stored. */
  readonly shape: readonly [number, number, number];
  readonly sampleCount: number;
  /** Sampling period in µs (SensorMeta Tick), or null when the file has no SensorMeta. */
  readonly tickUs: number | null;
  /** 1e6 / Tick, or null when the tick is unknown. */
  readonly samplingRateHz: number | null;
  readonly region: SensorRegion;
  /** The SensorMeta row of this region, or null when absent. */
  readonly meta: Readonly<Record<string, number | string>> | null;
  /** Attributes of the dataset (From, To, RegionID, ID.*). */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** True when the samples are stored as int16 ADC counts (then `sensorCountChunks` can read them unconverted). */
  readonly int16Samples: boolean;
}

/** The analog (auxiliary) stream of a `.cmcr`. */
export interface CmcrAnalogInfo {
  readonly path: string;
  readonly channelCount: number;
  readonly sampleCount: number;
  /** Sampling period in µs from ChannelMeta, or null when absent. */
  readonly tickUs: number | null;
  /** One ChannelMeta row per channel (ChannelID, Label, Unit, Exponent, ConversionFactor, Tick, …); may be empty. */
  readonly channels: readonly Readonly<Record<string, number | string>>[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** What {@link readCmcrInfo} returns. */
export interface CmcrInfo {
  readonly filePath: string;
  /** Root attributes (ID.*, FileVersion, DateTime, ProgramName, LB.RecordingDuration, …); 1-element arrays unwrapped. */
  readonly rootAttributes: Readonly<Record<string, AttributeValue>>;
  /** The element type of each root attribute (integers become int64 in `metadata.cmcr_meta`, as in the reference). */
  readonly rootAttributeDtypes: Readonly<Record<string, Dtype | undefined>>;
  /** `LB.RecordingDuration` in µs, or null when absent or not positive. */
  readonly recordingDurationUs: number | null;
  readonly sensor: CmcrSensorInfo | null;
  readonly analog: CmcrAnalogInfo | null;
}

/** Options of {@link readCmcrInfo}. */
export interface ReadCmcrInfoOptions {
  readonly cmcrPath: string;
}

/** Reads the metadata of a `.cmcr` (no sample data). */
export async function readCmcrInfo(options: ReadCmcrInfoOptions): Promise<CmcrInfo> {
  const { cmcrPath } = options;
  const file = await openVendorFile(cmcrPath, ".cmcr", "CMCR");
  try {
    return await infoOf(file, cmcrPath);
  } finally {
    closeQuietly(file);
  }
}

async function infoOf(file: H5File, filePath: string): Promise<CmcrInfo> {
  const rootAttributes = guarded(filePath, "/", () => readAttributes(file));
  const rootAttributeDtypes = guarded(filePath, "/", () => attributeDtypes(file));
  const duration = numericAttribute(rootAttributes, "LB.RecordingDuration");
  const acquisition = guarded(filePath, `/${ACQUISITION}`, () => childGroup(file, ACQUISITION));
  return {
    filePath,
    rootAttributes,
    rootAttributeDtypes,
    recordingDurationUs: duration !== undefined && duration > 0 ? duration : null,
    sensor: acquisition === undefined ? null : await sensorInfo(acquisition, filePath),
    analog: acquisition === undefined ? null : await analogInfo(acquisition, filePath),
  };
}

async function sensorInfo(acquisition: H5Group, filePath: string): Promise<CmcrSensorInfo | null> {
  const groupPath = `/${ACQUISITION}/${SENSOR_GROUP}`;
  const group = guarded(filePath, groupPath, () => childGroup(acquisition, SENSOR_GROUP));
  const dataset = group === undefined ? undefined : guarded(filePath, groupPath, () => childDataset(group, SENSOR_DATASET));
  if (group === undefined || dataset === undefined) return null;
  const path = `${groupPath}/${SENSOR_DATASET}`;
  const metadata = guarded(filePath, path, () => dataset.metadata);
  const shape = metadata.shape;
  if (shape === null || shape.length !== 3) {
    throw new DataLoadError(filePath, messages.cannotRead(filePath, path, `expected 3 axes, found shape [${(shape ?? []).join(", ")}]`));
  }
  const attributes = guarded(filePath, path, () => readAttributes(dataset));
  const metaDataset = childDataset(group, "SensorMeta");
  const rows = metaDataset === undefined ? [] : await guardedAsync(filePath, `${groupPath}/SensorMeta`, () => readCompoundRecords(metaDataset));
  const regionId = numericAttribute(attributes, "RegionID") ?? 1;
  const meta = rows.find((row) => row.RegionID === regionId) ?? rows[0] ?? null;
  const tick = meta === null ? undefined : numberField(meta, "Tick");
  const left = (meta && numberField(meta, "Region.Left")) ?? 1;
  const top = (meta && numberField(meta, "Region.Top")) ?? 1;
  return {
    path,
    shape: [shape[0], shape[1], shape[2]],
    sampleCount: shape[0],
    tickUs: tick ?? null,
    samplingRateHz: tick !== undefined && tick > 0 ? 1e6 / tick : null,
    region: { left, top, right: left + shape[1] - 1, bottom: top + shape[2] - 1 },
    meta,
    attributes,
    int16Samples: metadata.type === 0 && metadata.size === 2 && metadata.signed,
  };
}

async function analogInfo(acquisition: H5Group, filePath: string): Promise<CmcrAnalogInfo | null> {
  const groupPath = `/${ACQUISITION}/${ANALOG_GROUP}`;
  const group = guarded(filePath, groupPath, () => childGroup(acquisition, ANALOG_GROUP));
  const dataset = group === undefined ? undefined : guarded(filePath, groupPath, () => childDataset(group, ANALOG_DATASET));
  if (group === undefined || dataset === undefined) return null;
  const path = `${groupPath}/${ANALOG_DATASET}`;
  const shape = guarded(filePath, path, () => dataset.metadata.shape);
  if (shape === null || shape.length !== 2) {
    throw new DataLoadError(filePath, messages.cannotRead(filePath, path, `expected (channels, samples), found shape [${(shape ?? []).join(", ")}]`));
  }
  const metaDataset = childDataset(group, "ChannelMeta");
  const channels = metaDataset === undefined ? [] : await guardedAsync(filePath, `${groupPath}/ChannelMeta`, () => readCompoundRecords(metaDataset));
  const tick = channels.length > 0 ? numberField(channels[0], "Tick") : undefined;
  return {
    path,
    channelCount: shape[0],
    sampleCount: shape[1],
    tickUs: tick ?? null,
    channels,
    attributes: guarded(filePath, path, () => readAttributes(dataset)),
  };
}

function numberField(record: Readonly<Record<string, number | string>>, name: string): number | undefined {
  const value = record[name];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Analog channels

/** Options of {@link readAnalogChannel}. */
export interface ReadAnalogChannelOptions {
  readonly cmcrPath: string;
  /** 1-based channel number: 1 = light reference (photodiode), 2 = display frame sync. */
  readonly channel: number;
  /** First sample (inclusive). Default 0. */
  readonly startSample?: number;
  /** Last sample (exclusive). Default: the end of the stream. */
  readonly endSample?: number;
}

/** Raw ADC counts of one analog channel, as float32 (the reference keeps raw counts for the light reference). */
export interface AnalogChannel {
  readonly channel: number;
  readonly startSample: number;
  readonly endSample: number;
  readonly data: Float32Array;
  /** The channel's ChannelMeta row, or null when the file has none. */
  readonly meta: Readonly<Record<string, number | string>> | null;
}

/**
 * Reads one analog channel (or a window of it) in blocks of bounded size. Throws `DataLoadError` when the file has
 * no analog stream, `ConfigurationError` for a channel or sample range outside the stream.
 */
export async function readAnalogChannel(options: ReadAnalogChannelOptions): Promise<AnalogChannel> {
  const { cmcrPath, channel } = options;
  const file = await openVendorFile(cmcrPath, ".cmcr", "CMCR");
  try {
    const info = await infoOf(file, cmcrPath);
    if (info.analog === null) throw new DataLoadError(cmcrPath, messages.noAnalogData(cmcrPath));
    const analog = info.analog;
    if (!Number.isInteger(channel) || channel < 1 || channel > analog.channelCount) {
      throw new ConfigurationError(messages.analogChannelOutOfRange(cmcrPath, channel, analog.channelCount));
    }
    const [start, end] = checkedRange("analog", options.startSample ?? 0, options.endSample ?? analog.sampleCount, analog.sampleCount);
    const dataset = file.get(analog.path) as H5Dataset;
    const data = new Float32Array(end - start);
    const block = Math.max(1, Math.floor(READ_BLOCK_BYTES / 4));
    for (let a = start; a < end; a += block) {
      const b = Math.min(end, a + block);
      const part = guarded(cmcrPath, analog.path, () => dataset.slice([[channel - 1, channel], [a, b]]));
      data.set(toNumbers(part, cmcrPath, analog.path), a - start);
    }
    return { channel, startSample: start, endSample: end, data, meta: analog.channels[channel - 1] ?? null };
  } finally {
    closeQuietly(file);
  }
}

function toNumbers(part: unknown, filePath: string, path: string): ArrayLike<number> {
  if (part instanceof BigInt64Array || part instanceof BigUint64Array) return Float64Array.from(part, Number);
  if (ArrayBuffer.isView(part)) return part as unknown as ArrayLike<number>;
  throw new DataLoadError(filePath, messages.cannotRead(filePath, path, "the data is not numeric"));
}

function checkedRange(what: string, start: number, end: number, length: number): [number, number] {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > length) {
    throw new ConfigurationError(messages.sampleRangeInvalid(what, start, end, length));
  }
  return [start, end];
}

// ---------------------------------------------------------------------------------------------------------------
// Sensor data

/** Which part of the chip to read; 1-based inclusive chip coordinates. Default: the whole recorded region. */
export interface SensorSelection {
  /** [first, last] chip rows (MCS Y axis). */
  readonly rows?: readonly [number, number];
  /** [first, last] chip columns (MCS X axis). */
  readonly columns?: readonly [number, number];
}

/** Options of {@link readSensorWindow}. */
export interface ReadSensorWindowOptions extends SensorSelection {
  readonly cmcrPath: string;
  /** First sample (inclusive). */
  readonly startSample: number;
  /** Last sample (exclusive). */
  readonly endSample: number;
}

/**
 * A window of sensor data in µV, laid out as stored: `data[(t · nColumns + c) · nRows + r]` for sample t, column
 * offset c and row offset r. On the full chip the index inside one frame is therefore `SensorID − 1`.
 */
export interface SensorWindow {
  readonly startSample: number;
  readonly endSample: number;
  /** [first, last] chip rows of the window. */
  readonly rows: readonly [number, number];
  /** [first, last] chip columns of the window. */
  readonly columns: readonly [number, number];
  /** [samples, columns, rows]. */
  readonly shape: readonly [number, number, number];
  readonly data: Float32Array;
}

/**
 * Reads samples [startSample, endSample) of the selected sensors, converted to µV with the SensorMeta conversion
 * factors (µV = (raw − ADZero) × CF × 10^(Exponent + 6) for Unit "V"; ADZero is 0 when the table has none).
 * The window is read in bounded blocks; the caller chooses the window's size.
 */
export async function readSensorWindow(options: ReadSensorWindowOptions): Promise<SensorWindow> {
  const { cmcrPath, startSample, endSample } = options;
  const file = await openVendorFile(cmcrPath, ".cmcr", "CMCR");
  let reader: SensorReader | undefined;
  try {
    reader = await openSensorReader(file, cmcrPath, options);
    const [start, end] = checkedRange("sensor", startSample, endSample, reader.sampleCount);
    return reader.read(start, end);
  } finally {
    reader?.close();
    closeQuietly(file);
  }
}

/** Options of {@link sensorChunks}. */
export interface SensorChunksOptions extends SensorSelection {
  readonly cmcrPath: string;
  /** Samples per yielded chunk (the last one may be shorter). */
  readonly chunkSamples: number;
  /** First sample (inclusive). Default 0. */
  readonly startSample?: number;
  /** Last sample (exclusive). Default: the end of the stream. */
  readonly endSample?: number;
}

/**
 * Iterates over the sensor data in consecutive windows of `chunkSamples` samples (µV, see {@link SensorWindow}).
 * Memory stays bounded by one chunk; the file is closed when the loop ends, also on `break` or an error.
 */
export function sensorChunks(options: SensorChunksOptions): AsyncGenerator<SensorWindow, void, undefined> {
  return sensorWindows(options, (reader, start, end) => reader.read(start, end));
}

/** The chunk loop both iterators share: open, check the range, read window after window, close. */
async function* sensorWindows<Window>(
  options: SensorChunksOptions,
  read: (reader: SensorReader, start: number, end: number) => Window,
): AsyncGenerator<Window, void, undefined> {
  const { cmcrPath, chunkSamples } = options;
  if (!Number.isInteger(chunkSamples) || chunkSamples < 1) throw new ConfigurationError(messages.chunkSizeInvalid(chunkSamples));
  const file = await openVendorFile(cmcrPath, ".cmcr", "CMCR");
  let reader: SensorReader | undefined;
  try {
    reader = await openSensorReader(file, cmcrPath, options);
    const [start, end] = checkedRange("sensor", options.startSample ?? 0, options.endSample ?? reader.sampleCount, reader.sampleCount);
    for (let a = start; a < end; a += chunkSamples) {
      yield read(reader, a, Math.min(end, a + chunkSamples));
    }
  } finally {
    reader?.close();
    closeQuietly(file);
  }
}

interface SensorReader {
  readonly sensor: CmcrSensorInfo;
  readonly sampleCount: number;
  /** µV per count of every selected sensor, in the window's (column, row) order, and the ADC zero. */
  readonly scale: SensorScale;
  read(start: number, end: number): SensorWindow;
  readCounts(start: number, end: number): SensorCountWindow;
  /** Samples [start, end) of the selection as int16 counts into `target` ((end − start) × sensors values). */
  readCountsInto(start: number, end: number, target: Int16Array): void;
  /** True when int16 counts of the selection are read straight from the file (see `direct-rows.ts`). */
  directReads(): boolean;
  close(): void;
}

/** µV = (count − adZero) × factors[sensor], sensors in a window's (column, row) order. */
export interface SensorScale {
  readonly factors: Float64Array;
  readonly adZero: number;
}

/** A window of raw int16 ADC counts, laid out like {@link SensorWindow}; convert with the {@link SensorScale}. */
export interface SensorCountWindow extends Omit<SensorWindow, "data"> {
  readonly data: Int16Array;
}

/**
 * Like {@link sensorChunks}, but yields the stored int16 ADC counts without converting them (half the bytes, no
 * per-value pass), for computations that are linear in the signal and can apply {@link readSensorScale} at the end.
 * Throws `DataLoadError` when the stream is not stored as int16.
 */
export function sensorCountChunks(options: SensorChunksOptions): AsyncGenerator<SensorCountWindow, void, undefined> {
  return sensorWindows(options, (reader, start, end) => reader.readCounts(start, end));
}

/** The µV scale of the selected sensors (see {@link SensorScale}). */
export async function readSensorScale(options: SensorSelection & { readonly cmcrPath: string }): Promise<SensorScale> {
  const file = await openVendorFile(options.cmcrPath, ".cmcr", "CMCR");
  try {
    return (await openSensorReader(file, options.cmcrPath, options)).scale;
  } finally {
    closeQuietly(file);
  }
}

/** The int16 counts of the whole sensor region, read into the caller's memory (see {@link openSensorCounts}). */
export interface SensorCountStream {
  readonly sampleCount: number;
  /** [columns, rows] of a frame as stored. */
  readonly frameShape: readonly [number, number];
  readonly scale: SensorScale;
  /** True when the counts are read straight from the file, false when through HDF5 (compressed or unusual storage). */
  readonly directFileReads: boolean;
  /** Samples [start, end) into `target` ((end − start) × columns × rows values, as stored). */
  readInto(start: number, end: number, target: Int16Array): void;
  close(): void;
}

/**
 * Opens the sensor stream of `cmcrPath` for reading raw int16 counts into buffers the caller owns — no array per
 * read, and straight from the file when the storage allows. Throws `DataLoadError` when the stream is not int16.
 * @internal
 */
export async function openSensorCounts(options: { readonly cmcrPath: string }): Promise<SensorCountStream> {
  const { cmcrPath } = options;
  const file = await openVendorFile(cmcrPath, ".cmcr", "CMCR");
  let reader: SensorReader | undefined;
  try {
    reader = await openSensorReader(file, cmcrPath, {});
    const info = reader;
    const sensor = info.sensor;
    if (!sensor.int16Samples) throw new DataLoadError(cmcrPath, messages.cannotRead(cmcrPath, sensor.path, "the samples are not int16 ADC counts"));
    return {
      sampleCount: info.sampleCount,
      frameShape: [sensor.shape[1], sensor.shape[2]],
      scale: info.scale,
      directFileReads: info.directReads(),
      readInto(start, end, target) {
        const [a, b] = checkedRange("sensor", start, end, info.sampleCount);
        info.readCountsInto(a, b, target);
      },
      close() {
        info.close();
        closeQuietly(file);
      },
    };
  } catch (error) {
    reader?.close();
    closeQuietly(file);
    throw error;
  }
}

function selectionScale(scale: { factors: Float64Array; adZero: number }, x0: number, nx: number, y0: number, ny: number, height: number): SensorScale {
  const factors = new Float64Array(nx * ny);
  for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) factors[x * ny + y] = scale.factors[(x0 + x) * height + y0 + y];
  return { factors, adZero: scale.adZero };
}

async function openSensorReader(file: H5File, filePath: string, selection: SensorSelection): Promise<SensorReader> {
  const info = await infoOf(file, filePath);
  if (info.sensor === null) throw new DataLoadError(filePath, messages.noSensorData(filePath));
  const sensor = info.sensor;
  const scale = microvoltScale(sensor, filePath);
  const { region } = sensor;
  const rows = checkedAxis("row", selection.rows ?? [region.top, region.bottom], region.top, region.bottom);
  const columns = checkedAxis("column", selection.columns ?? [region.left, region.right], region.left, region.right);
  const x0 = columns[0] - region.left;
  const x1 = columns[1] - region.left + 1;
  const y0 = rows[0] - region.top;
  const y1 = rows[1] - region.top + 1;
  const nx = x1 - x0;
  const ny = y1 - y0;
  const height = sensor.shape[2];
  const dataset = file.get(sensor.path) as H5Dataset;
  const samplesPerBlock = Math.max(1, Math.floor(READ_BLOCK_BYTES / (2 * nx * ny)));
  const rawBlock = (a: number, b: number) =>
    toNumbers(guarded(filePath, sensor.path, () => dataset.slice([[a, b], [x0, x1], [y0, y1]])), filePath, sensor.path);
  const hdf5Counts = (start: number, end: number, target: Int16Array) => {
    for (let a = start; a < end; a += samplesPerBlock) {
      const b = Math.min(end, a + samplesPerBlock);
      const block = target.subarray((a - start) * nx * ny, (b - start) * nx * ny);
      guarded(filePath, sensor.path, () => readHyperslabInto(dataset, [a, x0, y0], [b - a, nx, ny], block));
    }
  };
  // undefined: not tried yet; null: the storage is not one openDirectRows reads.
  let direct: DirectRowReader | null | undefined;
  /** The direct reader of the whole region when the storage allows (opened on first use), else null. */
  const directReader = (): DirectRowReader | null => {
    if (direct === undefined) {
      const whole = nx === sensor.shape[1] && ny === sensor.shape[2] && dataset.metadata.littleEndian;
      const open = () =>
        openDirectRows({
          filePath,
          objectHeaderAddress: objectHeaderAddress(dataset),
          shape: sensor.shape,
          elementBytes: 2,
          checkWith: (row, target) => readHyperslabInto(dataset, [row, 0, 0], [1, nx, ny], target),
        });
      direct = (whole ? guarded(filePath, sensor.path, open) : undefined) ?? null;
    }
    return direct;
  };
  const readCountsInto = (start: number, end: number, target: Int16Array): void => {
    if (!sensor.int16Samples) throw new DataLoadError(filePath, messages.cannotRead(filePath, sensor.path, "the samples are not int16 ADC counts"));
    const reader = directReader();
    if (reader !== null) guarded(filePath, sensor.path, () => reader.read(start, end, target));
    else hdf5Counts(start, end, target);
  };
  return {
    sensor,
    sampleCount: sensor.sampleCount,
    scale: selectionScale(scale, x0, nx, y0, ny, height),
    read(start: number, end: number): SensorWindow {
      const data = new Float32Array((end - start) * nx * ny);
      for (let a = start; a < end; a += samplesPerBlock) {
        const b = Math.min(end, a + samplesPerBlock);
        convertToMicrovolts({ raw: rawBlock(a, b), data, out: (a - start) * nx * ny, samples: b - a, nx, ny, rowStart: x0 * height + y0, height, scale });
      }
      return { startSample: start, endSample: end, rows, columns, shape: [end - start, nx, ny], data };
    },
    readCounts(start: number, end: number): SensorCountWindow {
      const data = new Int16Array((end - start) * nx * ny);
      readCountsInto(start, end, data);
      return { startSample: start, endSample: end, rows, columns, shape: [end - start, nx, ny], data };
    },
    readCountsInto,
    directReads: () => sensor.int16Samples && directReader() !== null,
    close() {
      direct?.close();
    },
  };
}

/**
 * µV = (raw − ADZero) × factor of the sensor, for `samples` frames of nx × ny sensors. The hot loop of every sensor
 * read (1.35 G values for 8 s of the full chip): when the selection spans whole rows of the stored frame the factor
 * index runs contiguously over the frame, so the inner loop is one flat pass with hoisted constants.
 */
function convertToMicrovolts(options: {
  raw: ArrayLike<number>;
  data: Float32Array;
  out: number;
  samples: number;
  nx: number;
  ny: number;
  rowStart: number;
  height: number;
  scale: { factors: Float64Array; adZero: number };
}): void {
  const { raw, data, samples, nx, ny, rowStart, height } = options;
  const adZero = options.scale.adZero;
  const factors = options.scale.factors;
  let out = options.out;
  let k = 0;
  if (ny === height) {
    const frame = nx * ny;
    const frameFactors = factors.subarray(rowStart, rowStart + frame);
    for (let t = 0; t < samples; t++) {
      for (let i = 0; i < frame; i++) data[out + i] = (raw[k + i] - adZero) * frameFactors[i];
      out += frame;
      k += frame;
    }
    return;
  }
  for (let t = 0; t < samples; t++) {
    for (let x = 0; x < nx; x++) {
      const scaleRow = rowStart + x * height;
      for (let y = 0; y < ny; y++) data[out++] = (raw[k++] - adZero) * factors[scaleRow + y];
    }
  }
}

function checkedAxis(axis: string, range: readonly [number, number], lo: number, hi: number): [number, number] {
  const [first, last] = range;
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < lo || last > hi || first > last) {
    throw new ConfigurationError(messages.gridRangeInvalid(axis, first, last, lo, hi));
  }
  return [first, last];
}

const MICROVOLTS_PER_UNIT: Readonly<Record<string, number>> = { V: 1e6, mV: 1e3, µV: 1, uV: 1 };

/**
 * µV per ADC count for every sensor of the region, in stored (X, Y) order. The Conversion Factors list is read in
 * the official MATLAB toolbox's order (X varies fastest); third-party code reads it the other way round
 * (mcs-file-format.md §1.4 — an open question that only matters for non-uniform factors).
 */
function microvoltScale(sensor: CmcrSensorInfo, filePath: string): { factors: Float64Array; adZero: number } {
  const meta = sensor.meta;
  const exponent = meta === null ? undefined : numberField(meta, "Exponent");
  const list = meta?.["Conversion Factors"];
  if (meta === null || exponent === undefined || typeof list !== "string") {
    throw new DataLoadError(filePath, messages.noSensorMeta(filePath));
  }
  const unit = typeof meta.Unit === "string" ? meta.Unit.trim() : "V";
  const perUnit = MICROVOLTS_PER_UNIT[unit];
  if (perUnit === undefined) throw new DataLoadError(filePath, messages.unknownVoltageUnit(filePath, unit));
  const values = list.trim().split(/\s+/).filter((token) => token !== "").map(Number);
  const [, width, height] = sensor.shape;
  const count = width * height;
  if (values.some((v) => !Number.isFinite(v)) || (values.length !== 1 && values.length !== count)) {
    throw new DataLoadError(filePath, messages.badConversionFactors(filePath, values.length, count));
  }
  const base = 10 ** exponent * perUnit;
  const factors = new Float64Array(count);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) factors[x * height + y] = (values.length === 1 ? values[0] : values[x + width * y]) * base;
  }
  return { factors, adZero: numberField(meta, "ADZero") ?? 0 };
}
