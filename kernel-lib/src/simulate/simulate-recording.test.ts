import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, FileExistsError } from "../errors";
import { loadH5wasm } from "../hdf5/bridge";
import { readAnalogChannel, readCmcrInfo, readSensorWindow } from "../io/cmcr-reader";
import { readCmtrUnits } from "../io/cmtr-reader";
import { readNpy } from "../io/npy-reader";
import { readMovieLengthCsv, readPlaylistCsv, readStimulusConfig } from "../io/stimulus-configs";
import { simulateRecording, type SimulatedRecording } from "./simulate-recording";
import type { SimulateRecordingOptions } from "./options";

/** A small recording: 12 s on a 4 × 4 grid with a shrunken playlist. */
const SMALL: Omit<SimulateRecordingOptions, "outputDir"> = {
  durationS: 12,
  unitCount: 4,
  seed: 11,
  grid: { rows: [10, 13], columns: [20, 23] },
  padFrames: 60,
  baselineFrames: 30,
  stepFrames: 30,
  stepRepeats: 2,
  stepLeadFrames: 30,
};

/** µs → sample with round-half-to-even (hdmea-pipeline.md §3.10.8). */
function microsToSample(us: number, rateHz: number): number {
  const x = (us * rateHz) / 1e6;
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

let dir: string;
let rec: SimulatedRecording;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
  rec = await simulateRecording({ outputDir: path.join(dir, "a"), ...SMALL });
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("simulateRecording → readers", () => {
  it("recovers every unit's included spike times exactly, and only those", async () => {
    const contents = await readCmtrUnits({ cmtrPath: rec.cmtrPath, includeAllPeaks: true });
    const truth = rec.groundTruth;
    expect(contents.units.map((u) => u.unitNumber)).toEqual(truth.units.map((u) => u.unitNumber));
    for (const [i, unit] of contents.units.entries()) {
      const expected = truth.units[i];
      expect(expected.spikeTimesSamples.length).toBeGreaterThan(20);
      const samples = Array.from(unit.includedTimestampsUs, (us) => microsToSample(us, truth.samplingRateHz));
      expect(samples).toEqual(expected.spikeTimesSamples);
      expect(expected.excludedPeakSamples.length).toBeGreaterThan(0);
      const all = unit.allPeaks;
      expect(all).toBeDefined();
      const excluded = Array.from(all!.timestampsUs)
        .filter((_, k) => all!.includePeak[k] === 0)
        .map((us) => microsToSample(us, truth.samplingRateHz));
      expect(excluded).toEqual(expected.excludedPeakSamples);
      const includedSet = new Set(samples);
      expect(excluded.some((s) => includedSet.has(s))).toBe(false);
      expect(unit.cutouts.count).toBe(samples.length);
      expect(unit.cutouts.length).toBe(32);
      expect(unit.cutouts.data.length).toBe(samples.length * 32);
      expect(unit.unitInfo?.SensorID).toBe(expected.sensorId);
      expect(unit.unitInfo?.Row).toBe(expected.row);
      expect(unit.unitInfo?.Column).toBe(expected.column);
      expect(unit.attributes.UnitID).toBe(expected.unitNumber);
      expect(unit.attributes["ID.Type"]).toBe("SingleUnit");
      expect(unit.peaksAttributes.Tick).toBe(50);
    }
    expect(contents.rootAttributes["LB.RecordingDuration"]).toBe(truth.recordingDurationUs);
  });

  it("has a sync pulse rising right after every frame onset of the ground truth, and no others", async () => {
    const truth = rec.groundTruth;
    const sync = await readAnalogChannel({ cmcrPath: rec.cmcrPath, channel: 2 });
    const half = sync.data.reduce((max, v) => Math.max(max, v), 0) / 2;
    const rises: number[] = [];
    for (let t = 0; t + 1 < sync.data.length; t++) if (sync.data[t] < half && sync.data[t + 1] >= half) rises.push(t);
    expect(rises).toEqual([...truth.display.warmupOnsetSamples, ...truth.display.frameTimestamps]);
    expect(truth.display.warmupOnsetSamples).toHaveLength(4);
    const periods = new Set(truth.display.frameTimestamps.slice(1).map((s, i) => s - truth.display.frameTimestamps[i]));
    expect([...periods]).toEqual([333]);
  });

  it("reports the acquisition rate both ways (analog length / duration, and 1e6 / Tick)", async () => {
    const info = await readCmcrInfo({ cmcrPath: rec.cmcrPath });
    expect(info.recordingDurationUs).toBe(12_000_000);
    expect(info.analog?.sampleCount).toBe(240_000);
    expect(info.analog!.sampleCount / (info.recordingDurationUs! / 1e6)).toBe(20_000);
    expect(info.sensor?.samplingRateHz).toBe(20_000);
    expect(info.sensor?.shape).toEqual([240_000, 4, 4]);
    expect(info.sensor?.region).toEqual({ left: 20, top: 10, right: 23, bottom: 13 });
    expect(info.rootAttributes["ID.Type"]).toBe("McsData");
    expect(info.rootAttributes.FileVersion).toBe(1);
  });

  it("makes the photodiode follow the stimulus: bright during step ON frames, dark on pads", async () => {
    const truth = rec.groundTruth;
    const light = await readAnalogChannel({ cmcrPath: rec.cmcrPath, channel: 1 });
    const step = truth.playlist.movies.find((m) => m.kind === "step")!;
    const ts = truth.display.frameTimestamps;
    const mid = (f: number) => light.data[ts[f] + 150];
    const onFrame = step.contentStartFrame + step.sectionKwargs.start_frame + 5;
    const offFrame = onFrame + SMALL.stepFrames!;
    expect(mid(onFrame) - mid(offFrame)).toBeGreaterThan(9e6);
    expect(Math.abs(mid(offFrame) - mid(0))).toBeLessThan(1e5);
  });

  it("plants each spike's footprint in the sensor data (µV)", async () => {
    const truth = rec.groundTruth;
    const unit = truth.units[0];
    const spikes = unit.spikeTimesSamples.slice(0, 40);
    const grid = SMALL.grid as { rows: [number, number]; columns: [number, number] };
    let sum = 0;
    for (const s of spikes) {
      const window = await readSensorWindow({ cmcrPath: rec.cmcrPath, startSample: s, endSample: s + 1, rows: [unit.row, unit.row], columns: [unit.column, unit.column] });
      sum += window.data[0];
    }
    const mean = sum / spikes.length;
    // The trough is −amplitude at the soma, plus the other units' overlaps and noise (σ 10 µV).
    expect(mean).toBeLessThan(-0.7 * unit.amplitudeUv);
    const quiet = await readSensorWindow({ cmcrPath: rec.cmcrPath, startSample: 0, endSample: 2000, rows: grid.rows, columns: grid.columns });
    let sq = 0;
    for (const v of quiet.data) sq += v * v;
    expect(Math.sqrt(sq / quiet.data.length)).toBeGreaterThan(5);
  });

  it("drives spikes through the receptive field: the noise STA centre has the unit's polarity", () => {
    const truth = rec.groundTruth;
    const noise = truth.playlist.movies.find((m) => m.kind === "noise")!;
    const movie = readNpy({ npyPath: rec.noiseMoviePath! });
    expect(movie.dtype).toBe("uint8");
    expect(movie.shape).toEqual([noise.lengthFrames, 15, 15]);
    expect(new Set(movie.data)).toEqual(new Set([0, 255]));
    const ts = truth.display.frameTimestamps;
    let checked = 0;
    for (const unit of truth.units) {
      const rf = unit.receptiveField;
      const r = Math.round(rf.centerRow);
      const c = Math.round(rf.centerColumn);
      let sum = 0;
      let n = 0;
      for (const s of unit.spikeTimesSamples) {
        // The frame shown ~5 frames before the spike (the kernel's main lobe).
        let f = 0;
        while (f + 1 < ts.length && ts[f + 1] < s) f++;
        const k = f - 5 - noise.contentStartFrame;
        if (k < 0 || k >= noise.lengthFrames) continue;
        sum += movie.data[k * 225 + r * 15 + c];
        n++;
      }
      if (n < 100) continue;
      checked++;
      const deviation = sum / n - 127.5;
      if (unit.polarity === "ON") expect(deviation).toBeGreaterThan(10);
      else expect(deviation).toBeLessThan(-10);
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it("writes playlist, movie lengths and stimulus configs the readers accept", () => {
    const playlists = readPlaylistCsv({ csvPath: rec.playlistCsvPath });
    const movies = rec.groundTruth.playlist.movies;
    expect(playlists.get(rec.playlistName)).toEqual(movies.map((m) => m.name));
    const lengths = readMovieLengthCsv({ csvPath: rec.movieLengthCsvPath });
    for (const movie of movies) {
      expect(lengths.get(movie.name)).toBe(movie.lengthFrames);
      const config = readStimulusConfig({ jsonPath: path.join(rec.configDir, `${movie.name}.json`) });
      expect(config.startFrame).toBe(movie.sectionKwargs.start_frame);
      expect(config.trialLengthFrame).toBe(movie.sectionKwargs.trial_length_frame);
      expect(config.repeat).toBe(movie.sectionKwargs.repeat);
    }
    // The reference's bookkeeping: each movie's content starts at fc + pad, fc += 2·pad + L + 1.
    let fc = 0;
    for (const movie of movies) {
      expect(movie.contentStartFrame).toBe(fc + SMALL.padFrames!);
      fc += 2 * SMALL.padFrames! + movie.lengthFrames + 1;
    }
    expect(rec.groundTruth.display.frameTimestamps).toHaveLength(fc);
  });

  it("stores the recipe in the ground truth file", () => {
    const stored = JSON.parse(fs.readFileSync(rec.groundTruthPath, "utf8"));
    expect(stored.recipe).toEqual(rec.recipe);
    expect(stored.recipe.seed).toBe(11);
    expect(stored.recipe.grid).toEqual(SMALL.grid);
  });
});

describe("simulateRecording determinism", () => {
  it("gives the same data for the same seed and different data for another seed", async () => {
    const again = await simulateRecording({ outputDir: path.join(dir, "b"), ...SMALL });
    const other = await simulateRecording({ outputDir: path.join(dir, "c"), ...SMALL, seed: 12 });
    for (const key of ["groundTruthPath", "playlistCsvPath", "movieLengthCsvPath", "noiseMoviePath"] as const) {
      expect(fs.readFileSync(again[key]!).equals(fs.readFileSync(rec[key]!))).toBe(true);
    }
    expect(fs.readFileSync(other.groundTruthPath).equals(fs.readFileSync(rec.groundTruthPath))).toBe(false);
    for (const file of ["cmcrPath", "cmtrPath"] as const) {
      expect(await hdf5Digest(again[file])).toEqual(await hdf5Digest(rec[file]));
    }
    expect(await hdf5Digest(other.cmcrPath)).not.toEqual(await hdf5Digest(rec.cmcrPath));
  });
});

describe("simulateRecording bad options", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["negative duration", { durationS: -1 }, /durationS.*-1/],
    ["fractional unit count", { unitCount: 2.5 }, /unitCount.*2\.5/],
    ["seed out of range", { seed: 2 ** 40 }, /seed/],
    ["grid outside the chip", { grid: { rows: [0, 4], columns: [1, 4] } }, /grid/],
    ["unknown option", { durationSeconds: 5 }, /Unknown simulateRecording option 'durationSeconds'/],
    ["rate without whole tick", { samplingRateHz: 30000 }, /30000/],
    ["too short for the playlist", { durationS: 3 }, /durationS 3 is too short/],
    ["unknown stimulus", { stimuli: ["chirp"] }, /stimuli/],
  ];
  for (const [name, bad, pattern] of cases) {
    it(`rejects ${name} before writing anything`, async () => {
      const out = path.join(dir, `bad-${name.replace(/\W+/g, "-")}`);
      const error = await simulateRecording({ outputDir: out, ...SMALL, ...bad } as SimulateRecordingOptions).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(pattern);
      expect(fs.existsSync(out)).toBe(false);
    });
  }

  it("refuses to overwrite without overwrite: true", async () => {
    const error = await simulateRecording({ outputDir: path.join(dir, "a"), ...SMALL }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileExistsError);
  });
});

/** Every dataset's bytes and every attribute of an HDF5 file, as text (object-header times left out). */
async function hdf5Digest(filePath: string): Promise<string> {
  const h5 = await loadH5wasm();
  const file = new h5.File(filePath, "r");
  const hash = createHash("sha256");
  const parts = { push: (text: string) => hash.update(`${text}\n`) };
  try {
    const visit = (name: string) => {
      // The .cmtr's Acquisition is an external link into the .cmcr, digested on its own.
      if (filePath.endsWith(".cmtr") && name === "/Acquisition") return;
      const entity = file.get(name);
      if (entity === null) return;
      const attrs = (entity as { attrs?: Record<string, { value: unknown }> }).attrs ?? {};
      for (const [key, attribute] of Object.entries(attrs)) parts.push(`${name}@${key}=${String(attribute.value)}`);
      const type = (entity as { type?: string }).type;
      if (type === "Dataset") {
        const value = (entity as { value: unknown }).value;
        parts.push(`${name}=${JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v))}`);
      } else if (type === "Group") {
        for (const key of (entity as { keys(): string[] }).keys()) visit(`${name === "/" ? "" : name}/${key}`);
      }
    };
    visit("/");
  } finally {
    file.close();
  }
  return hash.digest("hex");
}
