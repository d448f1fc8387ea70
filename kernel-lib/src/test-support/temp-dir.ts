import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach } from "vitest";

/** A fresh temporary folder per test, removed after the test (registered with vitest's afterEach). */
export function useTempDir(): () => string {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-test-"));
    return dir;
  };
}

/** Folder of the committed HDF5 fixtures written by h5py (see test-fixtures/make_reference_fixtures.py). */
export const FIXTURES_DIR = path.join(__dirname, "..", "..", "test-fixtures");
