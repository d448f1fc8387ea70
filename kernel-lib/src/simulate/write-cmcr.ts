/**
 * Writes the simulated raw recording (.cmcr) in the vendor layout (mcs-file-format.md §1, §4). Sensor and analog
 * data are generated and written one HDF5 chunk at a time (`write_slice` on chunked datasets), so memory stays
 * bounded by a chunk whatever the recording's length.
 */
import type { H5File, H5Group } from "../hdf5/bridge";
import { rowColumnOf } from "../io/sensor-ids";
import type { SimulationRecipe } from "./options";
import { writeIdentity, writeNumberAttribute, writeTextAttribute, TYPE_ID } from "./mcs-attributes";
import type { Random } from "./prng";
import type { UnitSpikes } from "./spike-model";
import { frameBrightness, WARMUP_FRAMES, type StimulusPlan } from "./stimulus-plan";
import { WAVEFORM_SAMPLES, WAVEFORM_TROUGH, type SimulatedUnit } from "./units-model";

/** Sensor ADC scaling written to SensorMeta: µV per count = CF × 10^(Exponent + 6). */
export const SENSOR_CONVERSION = { conversionFactor: 500, exponent: -9 } as const;
export const MICROVOLTS_PER_COUNT = SENSOR_CONVERSION.conversionFactor * 10 ** (SENSOR_CONVERSION.exponent + 6);
/** Standard deviation of the electrode noise. */
export const SENSOR_NOISE_UV = 10;
/** Analog levels, raw ADC counts (the reference keeps raw counts, §1.6). */
export const ANALOG_LEVELS = { lightOffset: 200_000, lightGain: 10_000_000, lightNoise: 10_000, syncHigh: 1_000_000, syncNoise: 1_000 } as const;

const TARGET_CHUNK_BYTES = 512 * 1024;
const ANALOG_CHUNK = 65_536;
const NOISE_TABLE = 1 << 18;

/** Random streams the writer draws from. */
export interface CmcrStreams {
  readonly ids: Random;
  readonly sensorNoise: Random;
  readonly analogNoise: Random;
}

/** Everything the .cmcr holds, as plain data. */
export interface CmcrContent {
  readonly recipe: SimulationRecipe;
  readonly fileName: string;
  readonly plan: StimulusPlan;
  readonly units: readonly SimulatedUnit[];
  readonly spikes: readonly UnitSpikes[];
  readonly dateTime: string;
}

/** Writes the .cmcr content into the open, empty `file`. */
export function writeCmcr(file: H5File, content: CmcrContent, streams: CmcrStreams): void {
  const { recipe, plan } = content;
  const tickUs = 1e6 / recipe.samplingRateHz;
  const durationUs = plan.sampleCount * tickUs;
  writeIdentity(file, "McsData", TYPE_ID.root, content.fileName, streams.ids);
  writeNumberAttribute(file, "FileVersion", 1, "<i");
  writeTextAttribute(file, "DateTime", content.dateTime);
  writeTextAttribute(file, "ProgramName", "CMOS-MEA-Control");
  writeTextAttribute(file, "ProgramVersion", "2.0.0.0");
  writeNumberAttribute(file, "LB.RecordingDuration", durationUs, "<q");
  writeTextAttribute(file, "hdmea.Simulation", `hdmea simulator v${recipe.simulatorVersion}, seed ${recipe.seed}`);

  const acquisition = file.create_group("Acquisition");
  writeIdentity(acquisition, "Acquisition", TYPE_ID.acquisition, "Acquisition", streams.ids);
  writeNumberAttribute(acquisition, "From", 0, "<q");
  writeNumberAttribute(acquisition, "To", durationUs, "<q");

  writeSensorStream(acquisition, content, streams, tickUs, durationUs);
  writeAnalogStream(acquisition, content, streams, tickUs, durationUs);
}

function writeSensorStream(acquisition: H5Group, content: CmcrContent, streams: CmcrStreams, tickUs: number, durationUs: number): void {
  const { recipe, plan, units, spikes } = content;
  const { rows, columns } = recipe.grid;
  const width = columns[1] - columns[0] + 1; // X axis = columns
  const height = rows[1] - rows[0] + 1; // Y axis = rows
  const frame = width * height;
  const total = plan.sampleCount;
  const chunk = Math.max(1, Math.min(total, Math.max(64, Math.floor(TARGET_CHUNK_BYTES / (2 * frame)))));

  const group = acquisition.create_group("Sensor Data");
  writeIdentity(group, "SensorStream", TYPE_ID.sensorStream, "Sensor Data", streams.ids);
  writeTextAttribute(group, "SubType", "CMosSensor");

  const noise = noiseTable(streams.sensorNoise, SENSOR_NOISE_UV);
  const footprints = units.map((unit) =>
    unit.footprint.sensorIds.map((sensorId, i) => {
      const { row, column } = rowColumnOf(sensorId);
      return { index: (column - columns[0]) * height + (row - rows[0]), amplitude: unit.amplitudeUv * unit.footprint.weights[i] };
    }),
  );
  const next = new Int32Array(units.length);
  const microvolts = new Float32Array(chunk * frame);
  const counts = new Int16Array(chunk * frame);
  const makeChunk = (c0: number, c1: number): Int16Array => {
    const n = (c1 - c0) * frame;
    fillFromTable(microvolts, n, noise, streams.sensorNoise);
    for (let u = 0; u < units.length; u++) {
      const train = spikes[u].spikeSamples;
      let p = next[u];
      while (p < train.length && train[p] - WAVEFORM_TROUGH + WAVEFORM_SAMPLES <= c0) p++;
      next[u] = p;
      const waveform = units[u].waveform;
      for (let q = p; q < train.length && train[q] - WAVEFORM_TROUGH < c1; q++) {
        const start = train[q] - WAVEFORM_TROUGH;
        const t0 = Math.max(c0, start);
        const t1 = Math.min(c1, start + WAVEFORM_SAMPLES);
        for (const { index, amplitude } of footprints[u]) {
          for (let t = t0; t < t1; t++) microvolts[(t - c0) * frame + index] += amplitude * waveform[t - start];
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const raw = Math.round(microvolts[i] / MICROVOLTS_PER_COUNT);
      counts[i] = raw > 32767 ? 32767 : raw < -32768 ? -32768 : raw;
    }
    return counts.subarray(0, n);
  };

  const first = Math.min(total, chunk);
  const dataset = group.create_dataset({
    name: "SensorData 1 1",
    data: makeChunk(0, first),
    shape: [first, width, height],
    maxshape: [total, width, height],
    chunks: [chunk, width, height],
    dtype: "<h",
  });
  if (total > first) {
    dataset.resize([total, width, height]);
    for (let c0 = first; c0 < total; c0 += chunk) {
      const c1 = Math.min(total, c0 + chunk);
      dataset.write_slice([[c0, c1], [0, width], [0, height]], makeChunk(c0, c1));
    }
  }
  writeIdentity(dataset, "SensorData", TYPE_ID.sensorData, "SensorData 1 1", streams.ids);
  writeNumberAttribute(dataset, "From", 0, "<q");
  writeNumberAttribute(dataset, "To", durationUs, "<q");
  writeNumberAttribute(dataset, "RegionID", 1, "<i");

  const factors = `${SENSOR_CONVERSION.conversionFactor} `.repeat(frame);
  const meta = group.create_dataset({
    name: "SensorMeta",
    data: new Map<string, unknown>([
      ["RegionID", Int32Array.of(1)],
      ["GroupID", Int32Array.of(1)],
      ["Region.Left", Int32Array.of(columns[0])],
      ["Region.Top", Int32Array.of(rows[0])],
      ["Region.Right", Int32Array.of(columns[1])],
      ["Region.Bottom", Int32Array.of(rows[1])],
      ["Tick", BigInt64Array.of(BigInt(tickUs))],
      ["Exponent", Int32Array.of(SENSOR_CONVERSION.exponent)],
      ["Unit", ["V"]],
      ["Conversion Factors", [factors]],
    ]),
    dtype: [
      ["RegionID", "<i"],
      ["GroupID", "<i"],
      ["Region.Left", "<i"],
      ["Region.Top", "<i"],
      ["Region.Right", "<i"],
      ["Region.Bottom", "<i"],
      ["Tick", "<q"],
      ["Exponent", "<i"],
      ["Unit", "S1"],
      ["Conversion Factors", `S${factors.length}`],
    ],
  });
  writeIdentity(meta, "SensorMeta", TYPE_ID.sensorMeta, "SensorMeta", streams.ids);
}

function writeAnalogStream(acquisition: H5Group, content: CmcrContent, streams: CmcrStreams, tickUs: number, durationUs: number): void {
  const { plan } = content;
  const total = plan.sampleCount;
  const group = acquisition.create_group("Analog Data");
  writeIdentity(group, "ChannelStream", TYPE_ID.channelStream, "Analog Data", streams.ids);
  writeTextAttribute(group, "SubType", "Auxiliary");

  const frames = plan.frameOnsets.length;
  const brightness = Float64Array.from({ length: frames }, (_, f) => frameBrightness(plan, f));
  const firstPulse = plan.warmupOnsets[0];
  const pulses = frames + WARMUP_FRAMES;
  const period = plan.framePeriodSamples;
  const lightNoise = noiseTable(streams.analogNoise, ANALOG_LEVELS.lightNoise);
  const syncNoise = noiseTable(streams.analogNoise, ANALOG_LEVELS.syncNoise);
  const light = new Float32Array(ANALOG_CHUNK);
  const sync = new Float32Array(ANALOG_CHUNK);
  const buffer = new Int32Array(2 * ANALOG_CHUNK);
  const makeChunk = (c0: number, c1: number): Int32Array => {
    const n = c1 - c0;
    fillFromTable(light, n, lightNoise, streams.analogNoise);
    fillFromTable(sync, n, syncNoise, streams.analogNoise);
    const out = buffer.subarray(0, 2 * n);
    for (let t = c0; t < c1; t++) {
      // A frame is on screen from onset + 1 (when its sync pulse rises) to the next frame's onset + 1.
      const since = t - 1 - firstPulse;
      const pulse = since >= 0 ? Math.floor(since / period) : -1;
      const high = pulse >= 0 && pulse < pulses && since - pulse * period < plan.pulseWidthSamples;
      const f = pulse - WARMUP_FRAMES;
      const level = f >= 0 && f < frames ? brightness[f] : 0;
      out[t - c0] = Math.round(ANALOG_LEVELS.lightOffset + ANALOG_LEVELS.lightGain * level + light[t - c0]);
      out[n + t - c0] = Math.round((high ? ANALOG_LEVELS.syncHigh : 0) + sync[t - c0]);
    }
    return out;
  };

  const chunk = Math.min(total, ANALOG_CHUNK);
  const dataset = group.create_dataset({
    name: "ChannelData 1",
    data: makeChunk(0, chunk),
    shape: [2, chunk],
    maxshape: [2, total],
    chunks: [2, chunk],
    dtype: "<i",
  });
  if (total > chunk) {
    dataset.resize([2, total]);
    for (let c0 = chunk; c0 < total; c0 += ANALOG_CHUNK) {
      const c1 = Math.min(total, c0 + ANALOG_CHUNK);
      dataset.write_slice([[0, 2], [c0, c1]], makeChunk(c0, c1));
    }
  }
  writeIdentity(dataset, "ChannelData", TYPE_ID.channelData, "ChannelData 1", streams.ids);
  writeNumberAttribute(dataset, "From", 0, "<q");
  writeNumberAttribute(dataset, "To", durationUs, "<q");

  const meta = group.create_dataset({
    name: "ChannelMeta",
    data: new Map<string, unknown>([
      ["ChannelID", Int32Array.of(1, 2)],
      ["GroupID", Int32Array.of(1, 1)],
      ["Label", ["Photodiode", "FrameSync"]],
      ["Unit", ["V", "V"]],
      ["Exponent", Int32Array.of(-9, -9)],
      ["ConversionFactor", BigInt64Array.of(1n, 1n)],
      ["ADZero", Int32Array.of(0, 0)],
      ["Tick", BigInt64Array.of(BigInt(tickUs), BigInt(tickUs))],
    ]),
    dtype: [
      ["ChannelID", "<i"],
      ["GroupID", "<i"],
      ["Label", "S16"],
      ["Unit", "S2"],
      ["Exponent", "<i"],
      ["ConversionFactor", "<q"],
      ["ADZero", "<i"],
      ["Tick", "<q"],
    ],
  });
  writeIdentity(meta, "ChannelMeta", TYPE_ID.channelMeta, "ChannelMeta", streams.ids);
}

/** A table of Gaussian noise values; chunks read it from a random offset, which is far cheaper than fresh draws. */
function noiseTable(random: Random, sigma: number): Float32Array {
  const table = new Float32Array(NOISE_TABLE);
  for (let i = 0; i < NOISE_TABLE; i++) table[i] = sigma * random.normal();
  return table;
}

function fillFromTable(target: Float32Array, n: number, table: Float32Array, random: Random): void {
  let offset = random.integer(0, table.length - 1);
  const step = 1 + 2 * random.integer(0, 1023); // odd step: visits the whole table before repeating
  for (let i = 0; i < n; i++) {
    target[i] = table[offset];
    offset = (offset + step) & (table.length - 1);
  }
}
