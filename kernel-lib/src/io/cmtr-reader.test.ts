import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataLoadError, FileNotFoundError } from "../errors";
import { buildCmtr, writeH5 } from "../test-support/mcs-fixtures";
import { readCmtrUnits } from "./cmtr-reader";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function expectDataLoadError(promise: Promise<unknown>, file: string, pattern: RegExp): Promise<void> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataLoadError);
  expect((error as DataLoadError).filePath).toBe(file);
  expect((error as Error).message).toMatch(pattern);
}

describe("readCmtrUnits", () => {
  it("reads included peaks, cut-outs and all rows of each unit, in unit-number order", async () => {
    const file = path.join(dir, "ok.cmtr");
    await writeH5(file, buildCmtr([
      { number: 10, peaks: "ok", timestampsUs: [50, 100, 150, 200], include: [1, 0, 1, 1] },
      { number: 2, peaks: "ok" },
    ]));
    const { units, rootAttributes } = await readCmtrUnits({ cmtrPath: file, includeAllPeaks: true });
    expect(rootAttributes["ID.Type"]).toBe("McsData");
    expect(units.map((u) => u.groupName)).toEqual(["Unit 2", "Unit 10"]);
    const unit = units[1];
    expect(Array.from(unit.includedTimestampsUs)).toEqual([50, 150, 200]);
    expect(Array.from(unit.includedAmplitudes)).toEqual([0.5, 2.5, 3.5]);
    expect(unit.cutouts.count).toBe(3);
    expect(unit.cutouts.length).toBe(2);
    expect(Array.from(unit.cutouts.data)).toEqual([0, 1, 20, 21, 30, 31]);
    expect(Array.from(unit.allPeaks!.includePeak)).toEqual([1, 0, 1, 1]);
    expect(unit.attributes.SensorID).toBe(110);
    expect(unit.unitInfo).toBeNull();
  });

  it("rejects a wrong extension with a DataLoadError naming the file", async () => {
    const file = path.join(dir, "spikes.h5");
    fs.writeFileSync(file, "x");
    await expectDataLoadError(readCmtrUnits({ cmtrPath: file }), file, /Expected a \.cmtr file/);
  });

  it("rejects a missing file with FileNotFoundError", async () => {
    const file = path.join(dir, "missing.cmtr");
    const error = await readCmtrUnits({ cmtrPath: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileNotFoundError);
    expect((error as FileNotFoundError).filePath).toBe(file);
  });

  it("rejects a file that is not HDF5", async () => {
    const file = path.join(dir, "text.cmtr");
    fs.writeFileSync(file, "not an hdf5 file at all");
    await expectDataLoadError(readCmtrUnits({ cmtrPath: file }), file, /not an HDF5 file/);
  });

  it("rejects a .cmtr without Spike Sorter, naming the HDF5 path", async () => {
    const file = path.join(dir, "nosorter.cmtr");
    await writeH5(file, (f) => f.create_group("Something Else"));
    await expectDataLoadError(readCmtrUnits({ cmtrPath: file }), file, /'\/Spike Sorter'/);
  });

  it("rejects a unit without Peaks, or skips it when asked", async () => {
    const file = path.join(dir, "nopeaks.cmtr");
    await writeH5(file, buildCmtr([{ number: 1, peaks: "ok" }, { number: 3, peaks: "none" }]));
    await expectDataLoadError(readCmtrUnits({ cmtrPath: file }), file, /'\/Spike Sorter\/Unit 3' .* no Peaks/);
    const result = await readCmtrUnits({ cmtrPath: file, skipBadUnits: true });
    expect(result.units.map((u) => u.unitNumber)).toEqual([1]);
    expect(result.skippedUnits.map((s) => s.groupName)).toEqual(["Unit 3"]);
    expect(result.skippedUnits[0].error).toBeInstanceOf(DataLoadError);
  });

  it("rejects a Peaks table of the wrong type", async () => {
    const file = path.join(dir, "badpeaks.cmtr");
    await writeH5(file, buildCmtr([{ number: 4, peaks: "array" }]));
    await expectDataLoadError(readCmtrUnits({ cmtrPath: file }), file, /Unit 4\/Peaks.*non-compound/);
  });

  it("rejects a truncated file, and the process keeps reading good files", async () => {
    const good = path.join(dir, "good.cmtr");
    await writeH5(good, buildCmtr([{ number: 1, peaks: "ok", timestampsUs: Array.from({ length: 5000 }, (_, i) => i * 50) }]));
    const bytes = fs.readFileSync(good);
    const cut = path.join(dir, "cut.cmtr");
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expectDataLoadError(readCmtrUnits({ cmtrPath: cut }), cut, /truncated or damaged/);
    const again = await readCmtrUnits({ cmtrPath: good });
    expect(again.units[0].includedTimestampsUs.length).toBe(5000);
  });
});
