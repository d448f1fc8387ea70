/**
 * Writes the simulated spike-sorter file (.cmtr) in the vendor layout (mcs-file-format.md §2, §4.1–§4.2): the
 * Spike Sorter group with its Units table and one `Unit N` group per unit holding Peaks (Timestamp µs,
 * PeakAmplitude, IncludePeak, cut-out columns "1"…"N"), Unit Info, RoiSTAs and Unmixing.
 */
import type { H5File, H5Group } from "../hdf5/bridge";
import type { SimulationRecipe } from "./options";
import { writeIdentity, writeNumberAttribute, writeTextAttribute, TYPE_ID } from "./mcs-attributes";
import type { Random } from "./prng";
import type { UnitSpikes } from "./spike-model";
import { WAVEFORM_SAMPLES, WAVEFORM_TROUGH, type SimulatedUnit } from "./units-model";

/** Samples of a cut-out before the peak. */
export const CUTOUT_PRE = 8;
/** Source-unit amplitude threshold: included peaks lie above it, excluded ones below. */
export const AMPLITUDE_THRESHOLD = 6;

/** Random streams the writer draws from. */
export interface CmtrStreams {
  readonly ids: Random;
  readonly peaks: Random;
}

/** Everything the .cmtr holds, as plain data. */
export interface CmtrContent {
  readonly recipe: SimulationRecipe;
  readonly fileName: string;
  readonly cmcrFileName: string;
  readonly sampleCount: number;
  readonly units: readonly SimulatedUnit[];
  readonly spikes: readonly UnitSpikes[];
  readonly dateTime: string;
}

const IDENTITY_FIELDS = ["UnitID", "RoiID", "SensorID", "Row", "Column"] as const;
const MEASURE_FIELDS = ["SDScore", "AmplitudeSD", "RSTD", "Separability", "IsoINN", "IsoIBg", "NoiseStd", "SNR", "Skewness", "Kurtosis"] as const;
const COUNT_FIELDS = ["IcaConverged", "IcaIterations"] as const;

/** Writes the .cmtr content into the open, empty `file`. */
export function writeCmtr(file: H5File, content: CmtrContent, streams: CmtrStreams): void {
  const { recipe } = content;
  const tickUs = 1e6 / recipe.samplingRateHz;
  writeIdentity(file, "McsData", TYPE_ID.root, content.fileName, streams.ids);
  writeNumberAttribute(file, "FileVersion", 1, "<i");
  writeTextAttribute(file, "DateTime", content.dateTime);
  writeTextAttribute(file, "ProgramName", "CMOS-MEA-Tools");
  writeTextAttribute(file, "ProgramVersion", "2.4.0.0");
  writeNumberAttribute(file, "LB.RecordingDuration", content.sampleCount * tickUs, "<q");
  file.create_external_link(content.cmcrFileName, "/Acquisition", "Acquisition");

  const sorter = file.create_group("Spike Sorter");
  writeIdentity(sorter, "SpikeSorter", TYPE_ID.spikeSorter, "Spike Sorter", streams.ids);
  const measures = content.units.map((unit, u) => unitMeasures(unit, content.spikes[u], streams.peaks));
  const units = sorter.create_dataset({ name: "Units", data: unitTable(content.units, measures), dtype: unitTableDtype() });
  writeIdentity(units, "Units", TYPE_ID.units, "Units", streams.ids);

  content.units.forEach((unit, u) => writeUnit(sorter, unit, content.spikes[u], measures[u], recipe, tickUs, streams));
}

function writeUnit(
  sorter: H5Group,
  unit: SimulatedUnit,
  spikes: UnitSpikes,
  measures: Record<string, number>,
  recipe: SimulationRecipe,
  tickUs: number,
  streams: CmtrStreams,
): void {
  const name = `Unit ${unit.unitNumber}`;
  const group = sorter.create_group(name);
  writeIdentity(group, "SingleUnit", TYPE_ID.unit, name, streams.ids);
  writeNumberAttribute(group, "UnitID", unit.unitNumber, "<i");
  writeNumberAttribute(group, "SensorID", unit.sensorId, "<i");
  writeNumberAttribute(group, "Row", unit.row, "<i");
  writeNumberAttribute(group, "Column", unit.column, "<i");
  writeNumberAttribute(group, "RoiID", unit.unitNumber, "<i");

  const peaks = group.create_dataset({ name: "Peaks", data: peakColumns(unit, spikes, recipe.cutoutSamples, tickUs, streams.peaks), dtype: peakDtype(recipe.cutoutSamples) });
  writeIdentity(peaks, "Peaks", TYPE_ID.peaks, "Peaks", streams.ids);
  writeNumberAttribute(peaks, "Tick", tickUs, "<q");
  writeNumberAttribute(peaks, "AmplitudeThreshold", AMPLITUDE_THRESHOLD, "<d");

  const info = group.create_dataset({ name: "Unit Info", data: unitTable([unit], [measures]), dtype: unitTableDtype() });
  writeIdentity(info, "UnitInfo", TYPE_ID.unitInfo, "Unit Info", streams.ids);

  // RoiSTAs: the spike as seen on the footprint electrodes (channels × samples).
  const channels = unit.footprint.sensorIds.length;
  const stas = new Float32Array(channels * WAVEFORM_SAMPLES);
  for (let c = 0; c < channels; c++) {
    for (let t = 0; t < WAVEFORM_SAMPLES; t++) stas[c * WAVEFORM_SAMPLES + t] = unit.amplitudeUv * unit.footprint.weights[c] * unit.waveform[t];
  }
  const roiStas = group.create_dataset({ name: "RoiSTAs", data: stas, shape: [channels, WAVEFORM_SAMPLES], dtype: "<f" });
  writeIdentity(roiStas, "RoiSTAs", TYPE_ID.roiStas, "RoiSTAs", streams.ids);
  writeTextAttribute(roiStas, "ChannelIDs", unit.footprint.sensorIds.join(" "));

  const embedding = 4;
  const unmixing = Float32Array.from({ length: channels * embedding }, () => Math.fround(streams.peaks.normal() * 0.1));
  const unmixingDataset = group.create_dataset({ name: "Unmixing", data: unmixing, shape: [channels, embedding], dtype: "<f" });
  writeIdentity(unmixingDataset, "Unmixing", TYPE_ID.unmixing, "Unmixing", streams.ids);
}

/**
 * All peaks of a unit in time order: included spikes with amplitudes above the threshold, excluded peaks below it.
 * Timestamps are whole multiples of the tick, so µs → samples is exact.
 */
function peakColumns(unit: SimulatedUnit, spikes: UnitSpikes, cutoutSamples: number, tickUs: number, random: Random): Map<string, unknown> {
  const rows: { sample: number; include: number }[] = [];
  for (const sample of spikes.spikeSamples) rows.push({ sample, include: 1 });
  for (const sample of spikes.excludedSamples) rows.push({ sample, include: 0 });
  rows.sort((a, b) => a.sample - b.sample);
  const n = rows.length;
  const timestamps = new BigInt64Array(n);
  const amplitudes = new Float64Array(n);
  const include = new Int32Array(n);
  const cutouts = Array.from({ length: cutoutSamples }, () => new Float64Array(n));
  rows.forEach((row, i) => {
    timestamps[i] = BigInt(row.sample * tickUs);
    const amplitude = row.include === 1 ? AMPLITUDE_THRESHOLD + 4 + 2 * random.normal() ** 2 : 1 + (AMPLITUDE_THRESHOLD - 2) * random.uniform();
    amplitudes[i] = Math.round(amplitude * 1e4) / 1e4;
    include[i] = row.include;
    for (let j = 0; j < cutoutSamples; j++) {
      const t = WAVEFORM_TROUGH - CUTOUT_PRE + j;
      const shape = t >= 0 && t < WAVEFORM_SAMPLES ? -unit.waveform[t] : 0;
      cutouts[j][i] = Math.round((amplitudes[i] * shape + 0.4 * random.normal()) * 1e4) / 1e4;
    }
  });
  const columns = new Map<string, unknown>([
    ["Timestamp", timestamps],
    ["PeakAmplitude", amplitudes],
    ["IncludePeak", include],
  ]);
  cutouts.forEach((column, j) => columns.set(String(j + 1), column));
  return columns;
}

function peakDtype(cutoutSamples: number): [string, string][] {
  const dtype: [string, string][] = [
    ["Timestamp", "<q"],
    ["PeakAmplitude", "<d"],
    ["IncludePeak", "<i"],
  ];
  for (let j = 1; j <= cutoutSamples; j++) dtype.push([String(j), "<d"]);
  return dtype;
}

function unitMeasures(unit: SimulatedUnit, spikes: UnitSpikes, random: Random): Record<string, number> {
  const noiseStd = 1 + 0.1 * random.uniform();
  return {
    SDScore: round(8 + 4 * random.uniform()),
    AmplitudeSD: round(1 + random.uniform()),
    RSTD: round(0.1 + 0.1 * random.uniform()),
    Separability: round(5 + 4 * random.uniform()),
    IsoINN: round(0.85 + 0.15 * random.uniform()),
    IsoIBg: round(0.9 + 0.1 * random.uniform()),
    NoiseStd: round(noiseStd),
    SNR: round(unit.amplitudeUv / 10),
    Skewness: round(random.normal() * 0.3),
    Kurtosis: round(3 + random.uniform()),
    IcaConverged: 1,
    IcaIterations: 20 + Math.min(200, Math.round(spikes.spikeSamples.length / 100)),
  };
}

function unitTable(units: readonly SimulatedUnit[], measures: readonly Record<string, number>[]): Map<string, unknown> {
  const identity: Record<(typeof IDENTITY_FIELDS)[number], (unit: SimulatedUnit) => number> = {
    UnitID: (unit) => unit.unitNumber,
    RoiID: (unit) => unit.unitNumber,
    SensorID: (unit) => unit.sensorId,
    Row: (unit) => unit.row,
    Column: (unit) => unit.column,
  };
  const table = new Map<string, unknown>();
  for (const field of IDENTITY_FIELDS) table.set(field, Int32Array.from(units, identity[field]));
  for (const field of MEASURE_FIELDS) table.set(field, Float64Array.from(measures, (m) => m[field]));
  for (const field of COUNT_FIELDS) table.set(field, Int32Array.from(measures, (m) => m[field]));
  return table;
}

function unitTableDtype(): [string, string][] {
  return [
    ...IDENTITY_FIELDS.map((field): [string, string] => [field, "<i"]),
    ...MEASURE_FIELDS.map((field): [string, string] => [field, "<d"]),
    ...COUNT_FIELDS.map((field): [string, string] => [field, "<i"]),
  ];
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
