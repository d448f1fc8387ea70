/**
 * Must-show of issue 11 item 2: 500 damaged copies of a saved session (truncations, flipped bytes, zeroed
 * ranges; in the dataset values and in everything else — headers, heaps, B-trees, the global heap, the
 * superblock), made from a seed. None may load with changed contents: each either loads exactly the intact
 * contents or fails with a `DataLoadError` naming the file (an `IntegrityError` naming the object where the
 * difference was found), and the process survives them all.
 */
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { describe, expect, it } from "vitest";
import { DataLoadError, IntegrityError } from "../errors";
import { useTempDir } from "../test-support/temp-dir";
import { readSessionFile, writeSessionFile, type SessionSnapshot } from "./session-file";
import { NdArray } from "./values";
import { seededRandom as random } from "../test-support/seeded-random";

const DAMAGED_FILES = 500;
const SEED = 20261206;


/** A small session with every kind of value the writer stores: arrays of each layout, scalars, strings, maps. */
function snapshot(): SessionSnapshot {
  const units: Record<string, SessionSnapshot["units"][string]> = {};
  for (let u = 0; u < 6; u++) {
    units[`unit_${String(u + 1).padStart(3, "0")}`] = {
      spike_times: Float64Array.from({ length: 300 + u * 40 }, (_, i) => i * 97 + u),
      row: 3 + u,
      col: 7 - u,
      original_name: `Unit ${u + 1} — ü`,
      is_good: u % 2 === 0,
      features: {
        sta: { data: new NdArray(Float32Array.from({ length: 5 * 4 * 4 }, (_, i) => Math.sin(i + u)), [5, 4, 4]), metadata: { n_spikes_used: 300 + u, note: "sta" } },
      },
    };
  }
  return {
    datasetId: "damage-test",
    createdAt: "2026-12-06T00:00:00Z",
    hdmeaVersion: "test",
    units,
    metadata: { acquisition_rate: 20000, frame_timestamps: Float64Array.from({ length: 500 }, (_, i) => i * 400), labels: ["a", "bb", "ccc"] },
    stimulus: { light_reference: { raw_ch1: Float32Array.from({ length: 4000 }, (_, i) => (i % 200) / 200) } },
    sourceFiles: { cmcr_path: "/data/rec.cmcr", cmtr_path: null },
    completedSteps: ["load_recording", "compute_sta"],
    warnings: ["one warning"],
    savedAt: "2026-12-06T00:00:01Z",
    checkpointName: null,
    state: { step: 2, names: ["x"] },
    context: {},
    stepRecords: [{ step: "load_recording", ok: true }],
  };
}

/** Byte ranges of the file holding dataset values, found by looking for the values' own bytes. */
function valueRanges(file: Buffer, snap: SessionSnapshot): [number, number][] {
  const ranges: [number, number][] = [];
  const find = (bytes: Uint8Array) => {
    const at = file.indexOf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (at >= 0) ranges.push([at, at + bytes.byteLength]);
  };
  for (const unit of Object.values(snap.units)) {
    const sta = (unit.features as { sta: { data: NdArray } }).sta.data.data;
    find(new Uint8Array(sta.buffer, sta.byteOffset, sta.byteLength));
  }
  const light = (snap.stimulus.light_reference as { raw_ch1: Float32Array }).raw_ch1;
  find(new Uint8Array(light.buffer));
  return ranges;
}

type Damage = { kind: "truncate" | "flip" | "zero"; at: number; length: number; inValues: boolean };

function damage(intact: Buffer, ranges: [number, number][], next: () => number, index: number): { bytes: Buffer; damage: Damage } {
  const pick = (n: number) => Math.floor(next() * n);
  const kinds = ["truncate", "flip", "flip", "zero", "zero"] as const;
  const kind = kinds[index % kinds.length];
  // Half of the flips and zeroed ranges hit dataset values, the other half any byte of the file.
  const inValues = kind !== "truncate" && index % 2 === 0;
  let at: number;
  if (inValues) {
    const [start, end] = ranges[pick(ranges.length)];
    at = start + pick(end - start);
  } else {
    at = pick(intact.length);
  }
  const bytes = Buffer.from(intact);
  if (kind === "truncate") return { bytes: bytes.subarray(0, at), damage: { kind, at, length: intact.length - at, inValues: false } };
  if (kind === "flip") {
    bytes[at] ^= 1 + pick(255);
    return { bytes, damage: { kind, at, length: 1, inValues } };
  }
  const length = Math.min(intact.length - at, 1 + pick(64));
  bytes.fill(0, at, at + length);
  return { bytes, damage: { kind, at, length, inValues } };
}

describe("damaged session files", () => {
  const tempDir = useTempDir();

  it(`${DAMAGED_FILES} seeded damaged copies: none loads with changed contents, each failure is a typed error naming the file`, async () => {
    const snap = snapshot();
    const good = path.join(tempDir(), "good.h5");
    await writeSessionFile(good, snap);
    const intactBytes = fs.readFileSync(good);
    const intact = (await readSessionFile(good)).snapshot;
    const ranges = valueRanges(intactBytes, snap);
    expect(ranges.length).toBe(7);

    const next = random(SEED);
    const outcome = { loadedUnchanged: 0, integrity: 0, otherDataLoad: 0, namedObject: 0, inValues: 0 };
    const wrong: string[] = [];
    for (let i = 0; i < DAMAGED_FILES; i++) {
      const { bytes, damage: d } = damage(intactBytes, ranges, next, i);
      if (bytes.equals(intactBytes)) continue;
      if (d.inValues) outcome.inValues++;
      const file = path.join(tempDir(), `damaged-${i}-${d.kind}-${d.at}.h5`);
      fs.writeFileSync(file, bytes);
      try {
        const loaded = await readSessionFile(file);
        if (isDeepStrictEqual(loaded.snapshot, intact)) outcome.loadedUnchanged++;
        else wrong.push(`${path.basename(file)}: loaded with changed contents`);
      } catch (error) {
        if (!(error instanceof DataLoadError)) {
          wrong.push(`${path.basename(file)}: untyped error ${String(error).slice(0, 200)}`);
        } else if (error.filePath !== file || !error.message.includes(file)) {
          wrong.push(`${path.basename(file)}: the error does not name the file: ${error.message.slice(0, 200)}`);
        } else if (error instanceof IntegrityError) {
          outcome.integrity++;
          if (error.objectPath !== null) {
            outcome.namedObject++;
            if (!error.message.includes(error.objectPath)) wrong.push(`${path.basename(file)}: the message does not name ${error.objectPath}`);
          }
        } else {
          outcome.otherDataLoad++;
        }
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
    console.log(`damaged files: ${JSON.stringify(outcome)}`);
    // The process is still whole: both readers (h5wasm's WebAssembly HDF5 included) read the intact file again.
    expect(isDeepStrictEqual((await readSessionFile(good)).snapshot, intact)).toBe(true);
    expect(isDeepStrictEqual((await readSessionFile(good, { via: "h5wasm" })).snapshot, intact)).toBe(true);
    expect(wrong).toEqual([]);
    // The check must be what stops damaged values: most hits in the values are caught by it, naming the dataset.
    expect(outcome.integrity).toBeGreaterThan(outcome.inValues / 2);
    expect(outcome.namedObject).toBeGreaterThan(0);
  }, 600_000);

  it("a damaged global heap collection is refused, not handed to HDF5 (which loops forever on one)", async () => {
    const good = path.join(tempDir(), "heap.h5");
    await writeSessionFile(good, snapshot());
    const bytes = fs.readFileSync(good);
    const collection = bytes.indexOf("GCOL");
    expect(collection).toBeGreaterThan(0);
    // Object 1's header zeroed: it now reads as free space of 0 bytes.
    bytes.fill(0, collection + 16, collection + 32);
    const damaged = path.join(tempDir(), "heap-damaged.h5");
    fs.writeFileSync(damaged, bytes);
    const error = await readSessionFile(damaged).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DataLoadError);
    expect((error as DataLoadError).message).toContain(damaged);
    expect((error as DataLoadError).message).toContain(`global heap collection at byte ${collection} is damaged`);
  });
});
