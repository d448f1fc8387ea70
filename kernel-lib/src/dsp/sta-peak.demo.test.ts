/**
 * The robust STA peak on the simulator's demo recording, against its planted receptive fields (issue 12 item 5: the
 * plain maximum put unit_002's peak, cover [-45, 0], at frame -38 on noise at (13, 11), for a centre near (10.9, 4.7)).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { demoRecording } from "../simulate/demo-recording";
import { createSession } from "../session/create-session";
import { recordingLogger } from "../session/logger";
import { loadRecording } from "../steps/load-recording";
import { addSectionTime } from "../steps/add-section-time";
import { sectionSpikeTimes } from "../steps/section-spike-times";
import { computeSta } from "../steps/compute-sta";
import { NdArray, isSessionMap } from "../hdf5/values";
import { staPeak, type StaPeak } from "./sta-peak";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-sta-peak-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("staPeak on the demo recording", () => {
  it("lands within about a pixel of every planted centre, a few frames before the spike, for cover [-45, 0]", async () => {
    const rec = await demoRecording({ outputDir: dir });
    const session = createSession({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, logger: recordingLogger() });
    await loadRecording({ session, cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath });
    await addSectionTime({ session, playlistName: rec.playlistName, playlistPath: rec.playlistCsvPath, movieLengthPath: rec.movieLengthCsvPath });
    await sectionSpikeTimes({ session, configDir: rec.configDir });
    await computeSta({ session, stimuliDir: rec.moviesDir, coverRange: [-45, 0] });
    const planted = rec.groundTruth.units.filter((unit) => unit.receptiveField !== null);
    expect(planted.length).toBeGreaterThan(0);
    const peaks = new Map<string, StaPeak>();
    for (const unit of planted) {
      const features = session.units[unit.unitId].features;
      const entry = isSessionMap(features) ? Object.entries(features).find(([name]) => name.startsWith("sta_"))?.[1] : undefined;
      const sta = isSessionMap(entry) ? entry.data : undefined;
      expect(sta).toBeInstanceOf(NdArray);
      const peak = staPeak(sta as NdArray)!;
      peaks.set(unit.unitId, peak);
      const rf = unit.receptiveField;
      const distance = Math.hypot(peak.row - rf.centerRow, peak.col - rf.centerColumn);
      expect(distance, `${unit.unitId}: peak (${peak.row}, ${peak.col}) vs centre (${rf.centerRow}, ${rf.centerColumn})`).toBeLessThanOrEqual(1.5);
      const offset = peak.frame - 45;
      expect(offset, `${unit.unitId}: peak frame ${offset}`).toBeGreaterThanOrEqual(-8);
      expect(offset).toBeLessThanOrEqual(0);
      expect(peak.polarity).toBe(unit.polarity === "ON" ? 1 : -1);
    }
    const unit002 = peaks.get("unit_002")!;
    expect(Math.hypot(unit002.row - 10.902, unit002.col - 4.707)).toBeLessThanOrEqual(1);
  }, 300_000);
});
