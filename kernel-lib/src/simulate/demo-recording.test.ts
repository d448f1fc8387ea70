import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DataLoadError, FileNotFoundError } from "../errors";
import { useTempDir } from "../test-support/temp-dir";
import { demoRecording, openSimulatedRecording } from "./demo-recording";

describe("demoRecording", () => {
  const tempDir = useTempDir();

  it("simulates the default recording on first use and finds the same files afterwards", async () => {
    const dir = path.join(tempDir(), "demo");
    const first = await demoRecording({ outputDir: dir });
    expect(fs.existsSync(first.cmcrPath) && fs.existsSync(first.cmtrPath) && fs.existsSync(first.playlistCsvPath)).toBe(true);
    const mtime = fs.statSync(first.cmcrPath).mtimeMs;
    const again = await demoRecording({ outputDir: dir });
    expect(fs.statSync(again.cmcrPath).mtimeMs).toBe(mtime); // reused, not simulated again
    expect(JSON.parse(JSON.stringify(again))).toEqual(JSON.parse(JSON.stringify(first))); // JSON has no -0
  }, 600_000);

  it("openSimulatedRecording fails clearly for a missing or foreign ground truth", () => {
    expect(() => openSimulatedRecording({ groundTruthPath: path.join(tempDir(), "none.json") })).toThrow(FileNotFoundError);
    const foreign = path.join(tempDir(), "x.ground-truth.json");
    fs.writeFileSync(foreign, "{\"hello\": 1}");
    expect(() => openSimulatedRecording({ groundTruthPath: foreign })).toThrow(DataLoadError);
  });
});
