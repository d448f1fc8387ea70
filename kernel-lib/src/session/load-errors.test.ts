/** Bad input to PipelineSession.load: typed errors naming the file and the problem, nothing modified, process alive. */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DataLoadError, ErrorCode, FileNotFoundError, HdmeaError } from "../errors";
import { FIXTURES_DIR, useTempDir } from "../test-support/temp-dir";
import { recordingLogger } from "./logger";
import { PipelineSession } from "./session";

async function loadError(file: string): Promise<HdmeaError> {
  const before = fs.existsSync(file) && fs.statSync(file).isFile() ? { bytes: fs.readFileSync(file), mtimeMs: fs.statSync(file).mtimeMs } : undefined;
  const error = await PipelineSession.load(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (before !== undefined) {
    expect(fs.readFileSync(file).equals(before.bytes)).toBe(true);
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
  }
  expect(error).toBeInstanceOf(HdmeaError);
  return error as HdmeaError;
}

async function savedSession(dir: string): Promise<string> {
  const session = new PipelineSession({ datasetId: "good", logger: recordingLogger() });
  session.addUnits({ unit_001: { spike_times: Float64Array.from({ length: 5000 }, (_, i) => i * 7) } });
  session.addStimulus({ light_reference: { raw_ch1: new Float32Array(50_000).fill(0.5) } });
  session.markStepComplete("load_recording");
  return session.save(path.join(dir, "good.h5"));
}

describe("PipelineSession.load on bad input", () => {
  const tempDir = useTempDir();

  it("a missing file → FileNotFoundError naming the file", async () => {
    const file = path.join(tempDir(), "nope.h5");
    const error = await loadError(file);
    expect(error).toBeInstanceOf(FileNotFoundError);
    expect(error.code).toBe(ErrorCode.FILE_NOT_FOUND);
    expect(error.message).toContain(`Checkpoint file not found: ${file}`);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("a text file → DataLoadError: not an HDF5 file", async () => {
    const file = path.join(tempDir(), "notes.h5");
    fs.writeFileSync(file, "dataset_id,units\nrec,3\n");
    const error = await loadError(file);
    expect(error).toBeInstanceOf(DataLoadError);
    expect(error.code).toBe(ErrorCode.DATA_LOAD);
    expect(error.message).toContain(`'${file}' is not an HDF5 file`);
    expect((error as DataLoadError).filePath).toBe(file);
  });

  it("an empty file and a directory are refused too", async () => {
    const empty = path.join(tempDir(), "empty.h5");
    fs.writeFileSync(empty, "");
    expect((await loadError(empty)).message).toContain("is not an HDF5 file");
    expect(await loadError(tempDir())).toBeInstanceOf(FileNotFoundError);
  });

  it.each([0.02, 0.3, 0.6, 0.95, 0.9999])("a session file truncated to %f of its size → DataLoadError", async (fraction) => {
    const good = await savedSession(tempDir());
    const truncated = path.join(tempDir(), "truncated.h5");
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.max(8, Math.floor(bytes.length * fraction))));
    const error = await loadError(truncated);
    expect(error).toBeInstanceOf(DataLoadError);
    expect(error.message).toContain(truncated);
    expect(error.message).toMatch(/truncated or damaged/);
  });

  it("an HDF5 file that is not a session → DataLoadError saying what is missing", async () => {
    const file = path.join(FIXTURES_DIR, "plain-hdf5-not-a-session.h5");
    const error = await loadError(file);
    expect(error).toBeInstanceOf(DataLoadError);
    expect(error.message).toContain(`'${file}' is an HDF5 file but not an hdmea session file: it has no root attribute 'dataset_id'`);
  });

  it("after all of that the process still loads a good file", async () => {
    const good = await savedSession(tempDir());
    for (const bad of ["a", "b"]) {
      const file = path.join(tempDir(), `${bad}.h5`);
      fs.writeFileSync(file, fs.readFileSync(good).subarray(0, 3000));
      await loadError(file);
    }
    const session = await PipelineSession.load(good);
    expect(session.units.unit_001.spike_times).toHaveLength(5000);
    expect([...session.completedSteps]).toEqual(["load_recording"]);
  });
});
