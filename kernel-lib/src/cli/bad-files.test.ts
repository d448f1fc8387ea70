/**
 * `hdmea inspect` on bad input, run as the built command in a child process: a damaged session file (in its
 * values and in its metadata), a truncated one, a folder, a symbolic link loop, a missing path, a file that is not
 * HDF5 and an empty one. Each failure is exactly one line on stderr, `Error [HDMEA_…]: …` naming the path and
 * saying what to do, with exit code 1; never a stack trace.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeSessionFile } from "../hdf5/session-file";
import { ensureBuiltPackage, KERNEL_LIB_DIR } from "../test-support/built-package";
import { sessionSnapshot } from "../test-support/session-snapshot";
import { useTempDir } from "../test-support/temp-dir";

const CLI = path.join(KERNEL_LIB_DIR, "dist", "cli", "main.js");
const CHILD_TIMEOUT_MS = 120_000;

function inspect(file: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, "inspect", file], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** One line, the typed error's code, the path named, no stack frame and no "unexpected failure". */
function expectOneLineFailure(result: ReturnType<typeof inspect>, file: string, code: string): void {
  expect(result.status, result.stderr).toBe(1);
  const lines = result.stderr.split("\n").filter((line) => line !== "");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^Error \\[${code}\\]: `));
  expect(lines[0]).toContain(file);
  expect(result.stderr).not.toMatch(/\n\s+at |unexpected failure/);
}

const snapshot = sessionSnapshot({
  datasetId: "cli-bad-files",
  units: { unit_001: { spike_times: Float64Array.from({ length: 2000 }, (_, i) => i * 11), row: 4, col: 9 } },
  metadata: { acquisition_rate: 20000 },
  completedSteps: ["load_recording"],
});

describe("hdmea inspect on bad files (built command, child process)", () => {
  const tempDir = useTempDir();
  beforeAll(() => ensureBuiltPackage(), 300_000);

  async function goodFile(): Promise<{ file: string; bytes: Buffer }> {
    const file = path.join(tempDir(), "good.h5");
    await writeSessionFile(file, snapshot);
    return { file, bytes: fs.readFileSync(file) };
  }

  it("an intact session file is summarised (exit 0)", async () => {
    const { file } = await goodFile();
    const result = inspect(file);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/dataset id: cli-bad-files/);
  });

  it("a session file with a damaged value → one HDMEA_INTEGRITY line naming the file and the dataset", async () => {
    const { bytes } = await goodFile();
    // spike_times are stored as uint64: find four of them in the file and flip one bit of the first.
    const spikes = Buffer.from(BigUint64Array.from({ length: 4 }, (_, i) => BigInt((i + 100) * 11)).buffer);
    const at = bytes.indexOf(spikes);
    expect(at).toBeGreaterThan(0);
    const damaged = Buffer.from(bytes);
    damaged[at + 1] ^= 0x40;
    const file = path.join(tempDir(), "damaged-value.h5");
    fs.writeFileSync(file, damaged);
    const result = inspect(file);
    expectOneLineFailure(result, file, "HDMEA_INTEGRITY");
    expect(result.stderr).toContain("/units/unit_001/spike_times");
  });

  it("damaged metadata (zeroed object headers, a truncation) → one line with a typed code, never a stack", async () => {
    const { bytes } = await goodFile();
    const cases: [string, Buffer][] = [["truncated", bytes.subarray(0, Math.floor(bytes.length * 0.6))]];
    // Every object header of the file, zeroed from its signature on: the root, groups and datasets.
    for (let at = bytes.indexOf("OHDR"), n = 0; at >= 0 && n < 6; at = bytes.indexOf("OHDR", at + 4), n++) {
      const damaged = Buffer.from(bytes);
      damaged.fill(0, at + 4, at + 24);
      cases.push([`header-${at}`, damaged]);
    }
    expect(cases.length).toBeGreaterThan(4);
    for (const [name, content] of cases) {
      const file = path.join(tempDir(), `${name}.h5`);
      fs.writeFileSync(file, content);
      expectOneLineFailure(inspect(file), file, "HDMEA_(DATA_LOAD|INTEGRITY)");
    }
  });

  it("a folder (EISDIR), a symbolic link loop (ELOOP), a missing path (ENOENT), a text file and an empty file", () => {
    const dir = tempDir();
    const folder = path.join(dir, "folder.h5");
    fs.mkdirSync(folder);
    expectOneLineFailure(inspect(folder), folder, "HDMEA_DATA_LOAD");
    expect(inspect(folder).stderr).toMatch(/is a folder/);

    const loopA = path.join(dir, "loop-a.h5");
    const loopB = path.join(dir, "loop-b.h5");
    fs.symlinkSync(loopB, loopA);
    fs.symlinkSync(loopA, loopB);
    expectOneLineFailure(inspect(loopA), loopA, "HDMEA_DATA_LOAD");
    expect(inspect(loopA).stderr).toMatch(/symbolic links form a loop/);

    const missing = path.join(dir, "missing", "session.h5");
    expectOneLineFailure(inspect(missing), missing, "HDMEA_FILE_NOT_FOUND");

    const text = path.join(dir, "notes.h5");
    fs.writeFileSync(text, "dataset_id,units\nrec,3\n");
    expectOneLineFailure(inspect(text), text, "HDMEA_DATA_LOAD");
    expect(inspect(text).stderr).toMatch(/is not an HDF5 file/);

    const empty = path.join(dir, "empty.h5");
    fs.writeFileSync(empty, "");
    expectOneLineFailure(inspect(empty), empty, "HDMEA_DATA_LOAD");
  });
});
